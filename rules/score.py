"""Readiness scores: per pillar and overall, with the points each failing rule costs.

A pillar's score is 100 × the weight of its rules with no unwaived finding ÷ the weight of
all its rules in force; the overall score is the same over every rule (rule-packs.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from releve.rules.result import PILLARS, Finding, RuleCost, Score


def _round(x: float) -> int:
    """Half up, never banker's rounding: 72.5 → 73."""
    return math.floor(x + 0.5)


def compute_score(rules: Iterable, findings: Iterable[Finding]) -> Score:
    """The score of a check: `rules` are the rules in force (with code, name, pillar,
    weight), `findings` the check's findings (waived ones cost nothing)."""
    rules = list(rules)
    failing = {f.rule for f in findings if not f.waived}
    total = sum(r.weight for r in rules)
    lost = sum(r.weight for r in rules if r.code in failing)
    # No rule in force that carries weight: nothing was assessed, which is not 100.
    overall = None if total == 0 else _round(100 * (total - lost) / total)
    pillars: dict[str, int] = {}
    for pillar in PILLARS:
        in_pillar = [r for r in rules if r.pillar == pillar]
        w = sum(r.weight for r in in_pillar)
        if not in_pillar or w == 0:
            continue
        w_lost = sum(r.weight for r in in_pillar if r.code in failing)
        pillars[pillar] = _round(100 * (w - w_lost) / w)
    costs = [
        RuleCost(r.code, r.name, r.pillar, r.weight, round(100 * r.weight / total, 2))
        for r in rules
        if r.code in failing and r.weight > 0 and total > 0
    ]
    costs.sort(key=lambda c: (-c.points, c.rule))
    return Score(overall=overall, pillars=pillars, costs=tuple(costs))
