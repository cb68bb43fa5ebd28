"""Two check results compared (`releve diff`): findings that appeared and were resolved,
readiness and framing by pillar, phases whose dates moved, rows added, removed, changed.

Pure: `compare(old, new)` reads two `CheckResult`s and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from releve.rules.result import PILLARS, CheckResult
from releve.tui.history.figures import Figures, FindingKey, figures_of, tracking_of
from releve.tui.history.labels import row_name

#: The tables whose rows diff lists one by one.
ROW_TABLES = ("person", "process", "transfer")

Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class FieldChange:
    field: str  # the TOML key ("backup", "from")
    before: Any
    after: Any
    enum: str | None = None  # the enumeration the values belong to ("TransferStatus")


@dataclass(frozen=True)
class RowChange:
    table: str  # "person" | "process" | "transfer"
    id: str
    name: str  # as the plan names it (the new version's name; the old one's when removed)
    kind: str  # "added" | "removed" | "changed"
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class PhaseMove:
    id: str
    name: str
    baseline_before: Span | None
    baseline_after: Span | None
    forecast_before: Span | None = None
    forecast_after: Span | None = None

    @property
    def end_shift_days(self) -> int | None:
        """Calendar days the baseline end moved (positive: later)."""
        if self.baseline_before is None or self.baseline_after is None:
            return None
        return (self.baseline_after[1] - self.baseline_before[1]).days


@dataclass(frozen=True)
class FindingChange:
    kind: str  # "appeared" | "resolved" | "waived" | "unwaived"
    finding: FindingKey


@dataclass
class Comparison:
    old_label: str
    new_label: str
    old: Figures
    new: Figures
    findings: list[FindingChange] = field(default_factory=list)
    pillars: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    phases: list[PhaseMove] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    lang: str = "en"

    def of_kind(self, kind: str) -> list[FindingKey]:
        return [c.finding for c in self.findings if c.kind == kind]

    @property
    def empty(self) -> bool:
        return (
            not self.findings
            and not self.phases
            and not self.rows
            and self.old.readiness == self.new.readiness
            and self.old.framing == self.new.framing
            and all(a == b for _, a, b in self.pillars)
        )


def _spans(result: CheckResult) -> dict[str, Span]:
    return {pid: (slot.start, slot.end) for pid, slot in result.schedule.phases.items()}


def forecast_spans(result: CheckResult) -> dict[str, Span] | None:
    """Each phase's forecast (start, end) when the plan is tracked (planner.tracking);
    else None (the forecast is the baseline)."""
    tracking = tracking_of(result)
    if tracking is None:
        return None
    return {pid: (slot.start, slot.end) for pid, slot in tracking.forecast.phases.items()}


def _dump(row: Any) -> dict[str, Any]:
    return dict(row.model_dump(by_alias=True, mode="json", exclude_none=False))


def _enum_of(model: type, key: str) -> str | None:
    """The enumeration class name of a row field (by its TOML key), if it is one."""
    import enum
    import typing

    fields = getattr(model, "model_fields", {})
    for name, info in fields.items():
        if key not in (name, info.alias):
            continue
        stack = [info.annotation]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, enum.Enum):
                return t.__name__
            stack.extend(typing.get_args(t))
    return None


def _rows(old: CheckResult, new: CheckResult) -> list[RowChange]:
    out: list[RowChange] = []
    for table in ROW_TABLES:
        before = {r.id: r for r in getattr(old.plan, table)}
        after = {r.id: r for r in getattr(new.plan, table)}
        for rid, row in after.items():
            if rid not in before:
                out.append(RowChange(table, rid, row_name(row), "added"))
                continue
            a, b = _dump(before[rid]), _dump(row)
            changes = tuple(
                FieldChange(k, a.get(k), b.get(k), _enum_of(type(row), k))
                for k in dict.fromkeys([*a, *b])
                if a.get(k) != b.get(k)
            )
            if changes:
                out.append(RowChange(table, rid, row_name(row), "changed", changes))
        for rid, row in before.items():
            if rid not in after:
                out.append(RowChange(table, rid, row_name(row), "removed"))
    return out


def _phases(old: CheckResult, new: CheckResult) -> list[PhaseMove]:
    a, b = _spans(old), _spans(new)
    fa, fb = forecast_spans(old), forecast_spans(new)
    if (fa is None) != (fb is None):  # the forecast of a plan not tracked is its baseline
        fa, fb = (a if fa is None else fa), (b if fb is None else fb)
    names = {p.id: row_name(p) for p in old.plan.phase}
    names.update({p.id: row_name(p) for p in new.plan.phase})
    order = [p.id for p in new.plan.phase] + [p.id for p in old.plan.phase]
    out = []
    for pid in dict.fromkeys(order):
        before, after = a.get(pid), b.get(pid)
        f_before = fa.get(pid) if fa is not None else None
        f_after = fb.get(pid) if fb is not None else None
        if before != after or f_before != f_after:
            out.append(PhaseMove(pid, names[pid], before, after, f_before, f_after))
    return out


def _findings(old: Figures, new: Figures) -> list[FindingChange]:
    a = {f.key: f for f in old.findings}
    b = {f.key: f for f in new.findings}
    out: list[FindingChange] = []
    for k, f in b.items():
        g = a.get(k)
        if g is None:
            out.append(FindingChange("waived" if f.waived else "appeared", f))
        elif f.waived != g.waived:
            out.append(FindingChange("waived" if f.waived else "unwaived", f))
    for k, g in a.items():
        if k not in b:
            out.append(FindingChange("resolved", g))
    rank = {"error": 0, "warning": 1, "info": 2}
    out.sort(key=lambda c: (c.kind, rank.get(c.finding.severity, 3), c.finding.rule))
    return out


def compare(
    old: CheckResult, new: CheckResult, *, old_label: str = "old", new_label: str = "new"
) -> Comparison:
    """What changed from ``old`` to ``new`` (both checked as of the same date, ideally)."""
    fo, fn = figures_of(old), figures_of(new)
    pillars = [
        (p, fo.pillars.get(p), fn.pillars.get(p))
        for p in PILLARS
        if p in fo.pillars or p in fn.pillars
    ]
    for p in list(fo.pillars) + list(fn.pillars):
        if p not in PILLARS and p not in [x for x, _, _ in pillars]:
            pillars.append((p, fo.pillars.get(p), fn.pillars.get(p)))
    return Comparison(
        old_label=old_label,
        new_label=new_label,
        old=fo,
        new=fn,
        findings=_findings(fo, fn),
        pillars=pillars,
        phases=_phases(old, new),
        rows=_rows(old, new),
        lang=new.lang,
    )
