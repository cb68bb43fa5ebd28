"""The score in words, for every human output (check text and Markdown, the report).

Readiness (the company) is the headline, with its band after the cap, the findings that cap
it, the figure without waivers when a waiver counts, and the coverage of the evidence it
needs; framing (the plan: governance, planning) is stated beside it, never mixed in. When
readiness is not assessed (too little evidence, or no weighted rule in force) the headline
says so and why, and the pillar figures stay visible.

Coverage (``score.coverage``, ``score.coverage_pillars``, ``score.min_coverage``) is read
with ``getattr``: a score without it is shown without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from releve.planner.records import record
from releve.rules.grading import ScoreSettings
from releve.rules.result import BANDS, FRAMING_PILLARS, Score
from releve.tui import i18n
from releve.tui.i18n import band_label as band_label  # the one label of a band, re-exported


def coverage_of(score: Score) -> float | None:
    """The share (0..1) of the evidence readiness needs that the plan gives; None: unknown."""
    value = getattr(score, "coverage", None)
    return float(value) if isinstance(value, (int, float)) else None


def coverage_pillars_of(score: Score) -> dict[str, float]:
    value = getattr(score, "coverage_pillars", None)
    return dict(value) if isinstance(value, Mapping) else {}


def min_coverage_of(score: Score) -> float:
    """The coverage below which readiness is not assessed (the pack's ``score.min_coverage``
    when the score carries it, else the default)."""
    value = getattr(score, "min_coverage", None)
    return float(value) if isinstance(value, (int, float)) else ScoreSettings().min_coverage


def under_covered(score: Score) -> bool:
    """Readiness is not assessed because the plan gives too little evidence."""
    cov = coverage_of(score)
    return score.overall is None and cov is not None and cov < min_coverage_of(score)


def percent(lang: str, share: float) -> str:
    """A share as a whole percentage: ``45 %`` in French (narrow no-break space), ``45%``."""
    n = int(share * 100 + 0.5)
    return f"{n}\u202f%" if i18n.norm_lang(lang) == "fr" else f"{n}%"


def word(lang: str, key: str, **values: object) -> str:
    text = i18n.text(lang, f"check.{key}")
    return text.format(**values) if values else text


def caps_phrase(lang: str, score: Score) -> str:
    """``capped by EXT001 "title"`` (each capping rule once), or "" when the cap changes
    nothing."""
    if not score.capped:
        return ""
    seen: dict[str, str] = {}
    for c in score.caps:
        seen.setdefault(c.rule, c.title)
    items = ", ".join(word(lang, "cap_item", rule=r, title=t) for r, t in seen.items())
    return word(lang, "capped_by", rules=items)


@record
class Headline:
    """The parts of the score line, each in words (the caller joins and marks them up)."""

    readiness: str  # "Readiness" / "Préparation"
    figure: str  # "79/100", or "not assessed (coverage 45% < 60%)"
    detail: str  # "to secure, capped by EXT001 "…"" ("" when none)
    extras: tuple[str, ...]  # "without waivers 90", "coverage 45%", "Framing 96/100"
    assessed: bool = True  # False: the figure says why readiness is not assessed

    def text(self, strong: Callable[[str], str] = str, esc: Callable[[str], str] = str) -> str:
        """The line: `esc` makes each part safe to print, `strong` marks the figure up."""
        figure = strong(esc(self.figure)) if self.assessed else esc(self.figure)
        head = f"{esc(self.readiness)} {figure}"
        if self.detail:
            head += f" ({esc(self.detail)})"
        return " · ".join((head, *(esc(x) for x in self.extras)))


def headline(lang: str, score: Score) -> Headline:
    """Readiness with its band, cap, figure without waivers and coverage; framing beside."""
    cov = coverage_of(score)
    if score.overall is None:
        if under_covered(score):
            figure = word(
                lang,
                "not_assessed_coverage",
                coverage=percent(lang, cov or 0.0),
                min=percent(lang, min_coverage_of(score)),
            )
        else:
            figure = word(lang, "not_assessed")
        detail = ""
    else:
        figure = f"{score.overall}/100"
        parts = [band_label(lang, score.band)] if score.band in BANDS else []
        cap = caps_phrase(lang, score)
        if cap:
            parts.append(cap)
        detail = ", ".join(parts)
    extras = []
    if (
        score.overall is not None
        and score.without_waivers is not None
        and score.without_waivers != score.overall
    ):
        extras.append(word(lang, "without_waivers", score=score.without_waivers))
    if cov is not None and not under_covered(score):
        extras.append(word(lang, "coverage", pct=percent(lang, cov)))
    if score.framing is not None:
        extras.append(f"{word(lang, 'framing')} {score.framing}/100")
    return Headline(
        word(lang, "readiness"), figure, detail, tuple(extras), score.overall is not None
    )


def pillar_groups(score: Score) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(readiness pillars, framing pillars) with their figures, in the score's order."""
    readiness = [(p, v) for p, v in score.pillars.items() if p not in FRAMING_PILLARS]
    framing = [(p, v) for p, v in score.pillars.items() if p in FRAMING_PILLARS]
    return readiness, framing


def pillar_lines(lang: str, score: Score, show: Callable[[str], str] = str) -> list[str]:
    """``Readiness by pillar: Founder dependence 91 · …`` then ``Framing by pillar: …``
    (a line only for a figure with pillars in force); `show` makes a label safe to print."""
    lines = []
    cov = coverage_pillars_of(score)
    for key, group in zip(
        ("readiness_pillars", "framing_pillars"), pillar_groups(score), strict=True
    ):
        if not group:
            continue
        items = []
        for p, v in group:
            item = f"{show(i18n.pillar_label(lang, p))} {v}"
            if cov.get(p, 1.0) < 1.0:
                item += f" ({word(lang, 'coverage', pct=percent(lang, cov[p]))})"
            items.append(item)
        lines.append(word(lang, "pillars_of", figure=word(lang, key), pillars=" · ".join(items)))
    return lines
