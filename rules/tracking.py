"""One definition of "on track" for a KPI, read by the app's Readiness view, the report
and rule IND001 alike (docs/rules.md, "On track").

A KPI is judged at its latest measure (on or before the check date) against the straight
path from its baseline, at the mission start, to its target, at the exit target date (the
scheduled end when the plan gives none): ``met`` when the latest measure reaches the
target; ``on_track`` when it is behind that path by at most ``max_gap`` of the whole way
(the parameter of IND001, 0.2 by default); ``off_track`` when further behind; ``unknown``
without a baseline, a target, a direction or a measure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: The IND001 parameter when the rule is not in force.
DEFAULT_MAX_GAP = 0.2
TRACK_RULE = "IND001"
STATUSES = ("met", "on_track", "off_track", "unknown")


def kpi_status(fact: dict[str, Any], max_gap: float = DEFAULT_MAX_GAP) -> str:
    """The status of one KPI fact (rules.facts, kind ``kpi``)."""
    if fact.get("met") is True:
        return "met"
    gap = fact.get("path_gap")
    if gap is None:
        return "unknown"
    return "on_track" if gap <= max_gap else "off_track"


def max_gap_of(rules: Iterable[Any]) -> float:
    """IND001's ``max_gap`` in the pack set in force, else the default."""
    for r in rules:
        if r.code == TRACK_RULE:
            v = r.params.get("max_gap")
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return float(v)
    return DEFAULT_MAX_GAP


def track_all(facts: Iterable[dict[str, Any]], rules: Iterable[Any]) -> dict[str, str]:
    """KPI id → status, for every KPI fact."""
    gap = max_gap_of(rules)
    return {f["id"]: kpi_status(f, gap) for f in facts if f["fact"] == "kpi" and "id" in f}
