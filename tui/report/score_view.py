"""The score section's facts, gathered once for the HTML and Markdown reports: each figure
(readiness, framing) with the rules that cost it points, the cap apart, and the sum that
adds up to the figure shown (docs/rules.md, "Scores")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from releve.rules.result import FRAMING_PILLARS, READINESS_PILLARS, Score
from releve.tui.report import Report, strings


@dataclass(frozen=True)
class CostLine:
    rule: str
    title: str
    pillar: str
    weight: float
    grade: float
    fired: int
    among: int
    points: float  # points of its figure
    open_findings: int
    unknown: int = 0  # facts lacking the measure, costing in full (grade.missing = "all")


@dataclass(frozen=True)
class FigureCosts:
    """One figure's lost points: its rules, then the cap (readiness only), then the sum."""

    figure: str  # readiness | framing
    rows: tuple[CostLine, ...]
    lost: float  # Σ points of the rules (before rounding the figure)
    cap: float  # points the cap takes from the unrounded figure (0: not capped)
    cap_rules: tuple[tuple[str, str], ...]  # (rule, title) of the findings that cap it
    value: int | None  # the figure shown (readiness after the cap); None: not assessed

    @property
    def total(self) -> float:
        return self.lost + self.cap

    @property
    def exact(self) -> float:
        """100 − what the rules and the cap take: the figure before rounding."""
        return round(100 - self.total, 2)

    @property
    def rounded(self) -> bool:
        return self.value is not None and abs(self.exact - self.value) > 1e-9

    @property
    def ready(self) -> int | None:
        """Where the ready band starts (the cap holds readiness at one below it)."""
        return self.value + 1 if self.cap and self.value is not None else None


def figure_costs(report: Report) -> list[FigureCosts]:
    """Readiness, then framing (a figure only when it has weighted rules in force)."""
    score: Score = report.result.score
    titles: dict[str, str] = {}
    open_count: dict[str, int] = {}
    for f in report.result.findings:
        titles.setdefault(f.rule, f.title)
        if not f.waived:
            open_count[f.rule] = open_count.get(f.rule, 0) + 1
    out = []
    for figure, pillars, value in (
        ("readiness", READINESS_PILLARS, score.overall),
        ("framing", FRAMING_PILLARS, score.framing),
    ):
        if not any(p in score.pillars for p in pillars) and value is None:
            continue
        rows = tuple(
            CostLine(
                c.rule,
                titles.get(c.rule, c.title or c.name),
                c.pillar,
                c.weight,
                c.grade,
                c.fired,
                c.among,
                c.points,
                open_count.get(c.rule, 0),
                c.unknown,
            )
            for c in score.costs
            if c.figure == figure and c.points > 0
        )
        lost = round(sum(c.points for c in rows), 2)
        cap, cap_rules = 0.0, cast(tuple[tuple[str, str], ...], ())
        if figure == "readiness" and score.capped and value is not None:
            cap = round(max(0.0, 100 - lost - value), 2)
            seen: dict[str, str] = {}
            for c in score.caps:
                seen.setdefault(c.rule, c.title)
            cap_rules = tuple(seen.items())
        out.append(FigureCosts(figure, rows, lost, cap, cap_rules, value))
    return out


def weight_grade_text(lang: str, c: CostLine) -> str:
    """``4 × 0.4 (2 of 5)``: the weight, the grade, and the facts behind the grade; facts
    the plan says nothing about (they cost in full) are named: ``(0 of 7, 6 without data)``."""
    text = f"{strings.number(lang, c.weight)} × {strings.number(lang, c.grade)}"
    parts = []
    if c.among:
        parts.append(strings.t(lang, "costs.of", fired=c.fired, among=c.among))
        if c.unknown:
            parts.append(strings.t(lang, "costs.unknown", n=c.unknown))
    elif c.unknown:
        parts.append(strings.t(lang, "costs.nothing"))
    if parts:
        text += f" ({', '.join(parts)})"
    return text
