"""Scores: readiness (the company) and framing (the plan), per pillar, graded, capped.

Arithmetic only, over findings already found (docs/rules.md, "Scores"):

- a rule costs ``weight × grade``; the grade (rules.grading) is the share of the facts
  it looks at that it fires on, or how far past its threshold the measure is, 0..1;
- a pillar scores ``100 × (1 − cost of its rules ÷ their weight)``; readiness is the same
  over the readiness pillars' rules, framing over the framing pillars';
- an unwaived error on readiness caps readiness at one below the ready band; the band
  (not ready, to secure, ready) is read after the cap;
- waived findings cost nothing and cap nothing; ``without_waivers`` is readiness as if
  none applied. Rounding is half up, once, at the end;
- coverage (rules.coverage, docs/rules.md "Coverage") is the share of the evidence
  readiness needs that the plan gives; below ``min_coverage`` readiness is not assessed
  (``overall``, ``without_waivers`` None, band ``not_assessed``) while the pillar figures,
  ``uncapped`` and the costs stay.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from releve.planner.records import record
from releve.rules.coverage import coverage as coverage_of
from releve.rules.grading import DEFAULT_GRADE, Grade, ScoreSettings
from releve.rules.result import PILLARS, Cap, Finding, RuleCost, Score, Severity, figure_of


def _round(x: float) -> int:
    """Half up, never banker's rounding: 72.5 → 73."""
    return math.floor(x + 0.5)


@record
class RuleGrade:
    grade: float  # with waivers
    grade_all: float  # as if no waiver applied
    fired: int  # unwaived findings
    among: int  # facts looked at (0: out_of or all)
    unknown: int = 0  # facts lacking the measure, or 1 for nothing to look at (grade.missing)


def _unknown(rule: Any, g: Grade, findings: list[Finding], facts: Any) -> int:
    """Facts of the rule's kind that lack its measure (``grade.missing = "all"``) and did
    not fire: each costs in full, like a firing at the worst."""
    if not g.missing or g.field is None or facts is None:
        return 0
    fired = {f.target for f in findings}
    return sum(
        1
        for fid, fact in facts.items()
        if fact.get("fact") == rule.fact and g.field not in fact and fid not in fired
    )


def grade_rule(
    rule: Any,
    findings: list[Finding],
    facts: Mapping[str, dict[str, Any]] | None,
    population: int | None,
) -> RuleGrade:
    """One rule's grade from its findings. `population`: how many facts it looks at
    (None: unknown, then every firing costs the whole weight)."""
    g: Grade = getattr(rule, "grade", DEFAULT_GRADE)

    def one(f: Finding) -> float:
        fact = facts.get(f.target) if facts is not None else None
        return g.fact_grade(fact) if fact is not None else 1.0

    if g.missing and population == 0:
        # Nothing to look at (no critical process, no key person, no KPI): the worst, not
        # the best, with or without grade.field.
        return RuleGrade(1.0, 1.0, 0, 0, unknown=1)
    unknown = _unknown(rule, g, findings, facts)
    if unknown:
        denom = max(population or 0, len({f.target for f in findings}) + unknown, 1)
        unwaived_cost = sum(one(f) for f in findings if not f.waived) + unknown
        all_cost = sum(one(f) for f in findings) + unknown
        return RuleGrade(
            min(1.0, unwaived_cost / denom),
            min(1.0, all_cost / denom),
            sum(1 for f in findings if not f.waived),
            denom,
            unknown=unknown,
        )
    unwaived = [f for f in findings if not f.waived]
    if g.mode == "all" or population is None and g.mode != "out_of":
        return RuleGrade(
            1.0 if unwaived else 0.0,
            1.0 if findings else 0.0,
            len(unwaived),
            0,
        )
    if g.mode == "out_of":
        n = g.out_of or 1
        return RuleGrade(
            min(1.0, sum(map(one, unwaived)) / n),
            min(1.0, sum(map(one, findings)) / n),
            len(unwaived),
            0,
        )
    denom = max(population or 0, len({f.target for f in findings}), 1)
    return RuleGrade(
        min(1.0, sum(map(one, unwaived)) / denom),
        min(1.0, sum(map(one, findings)) / denom),
        len(unwaived),
        denom,
    )


def _mission_language(facts: Mapping[str, dict[str, Any]] | None) -> str:
    mission = facts.get("mission") if facts is not None else None
    lang = mission.get("language") if mission is not None else None
    return lang if isinstance(lang, str) and lang else "en"


def band_of(score: int | None, settings: ScoreSettings) -> str:
    if score is None:
        return "not_assessed"
    if score >= settings.ready:
        return "ready"
    return "to_secure" if score >= settings.to_secure else "not_ready"


def _figure(rules: list[Any], grades: dict[str, RuleGrade], *, all_: bool) -> int | None:
    total = sum(r.weight for r in rules)
    if total == 0:
        return None
    cost = sum(
        r.weight * (grades[r.code].grade_all if all_ else grades[r.code].grade) for r in rules
    )
    return _round(100 * (total - cost) / total)


def _capped(score: int | None, caps: bool, settings: ScoreSettings) -> int | None:
    if score is None or not caps:
        return score
    return min(score, settings.ready - 1)


def compute_score(
    rules: Iterable[Any],
    findings: Iterable[Finding],
    *,
    facts: Mapping[str, dict[str, Any]] | None = None,
    populations: Mapping[str, int] | None = None,
    settings: ScoreSettings | None = None,
    lang: str | None = None,
) -> Score:
    """The scores of a check. `rules`: the rules in force (code, name, pillar, weight,
    severity, grade); `findings`: the check's findings; `facts`: fact id → fact (for
    measured grades); `populations`: rule code → facts it looks at (for per-fact grades;
    without it a firing rule costs its whole weight); `lang`: the language of the titles
    of caps that come from missing evidence (default: the mission's)."""
    rules = list(rules)
    settings = settings or ScoreSettings()
    findings = list(findings)
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    grades = {
        r.code: grade_rule(
            r,
            by_rule.get(r.code, []),
            facts,
            populations.get(r.code) if populations is not None else None,
        )
        for r in rules
    }
    readiness_rules = [r for r in rules if figure_of(r.pillar) == "readiness"]
    framing_rules = [r for r in rules if figure_of(r.pillar) == "framing"]
    pillars: dict[str, int] = {}
    for pillar in PILLARS:
        value = _figure([r for r in rules if r.pillar == pillar], grades, all_=False)
        if value is not None:
            pillars[pillar] = value
    readiness_codes = {r.code for r in readiness_rules if r.weight > 0}
    cap_findings = [
        f for f in findings if f.rule in readiness_codes and Severity(f.severity) == Severity.error
    ]
    caps = tuple(Cap(f.rule, f.target, f.title) for f in cap_findings if not f.waived)
    # An error rule that costs in full for want of evidence caps as if it had fired.
    lang = lang or _mission_language(facts)
    unknown_caps = tuple(
        Cap(r.code, r.fact, r.text("title", lang) if hasattr(r, "text") else r.code)
        for r in readiness_rules
        if grades[r.code].unknown and r.weight > 0 and Severity(r.severity) == Severity.error
    )
    caps += unknown_caps
    uncapped = _figure(readiness_rules, grades, all_=False)
    overall = _capped(uncapped, bool(caps), settings)
    without = _capped(
        _figure(readiness_rules, grades, all_=True),
        bool(cap_findings) or bool(unknown_caps),
        settings,
    )
    totals = {
        "readiness": sum(r.weight for r in readiness_rules),
        "framing": sum(r.weight for r in framing_rules),
    }
    costs = []
    for r in rules:
        g = grades[r.code]
        fig = figure_of(r.pillar)
        if g.grade <= 0 or r.weight <= 0 or totals[fig] <= 0:
            continue
        points = round(100 * r.weight * g.grade / totals[fig], 2)
        title = r.text("title", lang) if hasattr(r, "text") else ""
        costs.append(
            RuleCost(
                r.code,
                r.name,
                r.pillar,
                r.weight,
                points,
                round(g.grade, 4),
                fig,
                g.fired,
                g.among,
                g.unknown,
                title or "",
            )
        )
    costs.sort(key=lambda c: (c.figure != "readiness", -c.points, c.rule))
    cov = None
    if facts is not None:
        weights: dict[str, float] = {}
        for r in readiness_rules:
            weights[r.pillar] = weights.get(r.pillar, 0.0) + r.weight
        cov = coverage_of(facts.values(), weights)
        if cov.overall < settings.min_coverage:
            overall = without = None
    return Score(
        overall=overall,
        pillars=pillars,
        costs=tuple(costs),
        framing=_figure(framing_rules, grades, all_=False),
        without_waivers=without,
        uncapped=uncapped,
        band=band_of(overall, settings),
        caps=caps,
        coverage=round(cov.overall, 4) if cov is not None else None,
        coverage_pillars={p: round(v, 4) for p, v in cov.pillars.items()} if cov else {},
        min_coverage=settings.min_coverage,
    )
