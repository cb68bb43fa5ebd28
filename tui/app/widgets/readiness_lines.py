"""The readiness view's lines, laid out for a width: the two figures, their pillars and the
rules that cost points, and the KPIs. Plain Python (no Textual): the widget (readiness.py)
draws these lines, and a test can read them without a terminal.

``Frame.of(lang, width)``: the language and the widths the lines are laid out for (the
label column is 27 cells, less below 58 columns; a full bar takes the rest, 10 to 50).
``page_lines(result, frame, history=())``: every line of the view, each cut to the width
(``history``: the history's lines, drawn between the figures and the KPIs).
``score_lines``, ``kpi_lines``: its parts (see readiness.py for what they say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from releve.planner.model import Direction
from releve.rules.result import FRAMING_PILLARS, READINESS_PILLARS, CheckResult, Finding, RuleCost
from releve.tui import i18n
from releve.tui.app.widgets.readiness_text import (
    BAND_CLASS,
    PILLAR_NAMES,
    TEXT,
    Run,
    cap_causes,
    cost_shares,
    crop,
    fit,
    format_number,
    hbar,
    kpi_direction,
    kpi_history,
    kpi_status,
    level_class,
    percent,
    wrap_runs,
)
from releve.tui.app.widgets.sparkline import sparkline

#: Cells of a figure's number (right-aligned, before ``/100``).
NUMBER_W = 5
#: Fewest cells a KPI's sparkline takes beside its figures (else it gets a line of its own).
SPARK_MIN = 4
#: Indent of the lines a rule's cost wraps onto.
COST_INDENT = 8

STATUS_CLASS = {
    "met": "readiness--met",
    "on_track": "readiness--on-track",
    "off_track": "readiness--off-track",
}


@dataclass(frozen=True)
class Frame:
    """The language and the widths the view's lines are laid out for."""

    lang: str
    width: int  # cells of a line (at least 20)
    label_width: int  # cells before the bars (pillar names, KPI names)
    bar_width: int  # cells of a full (100) bar (``/100`` still fits after it)

    @classmethod
    def of(cls, lang: str, width: int) -> Frame:
        """The frame of a view ``width`` cells wide (0: not laid out yet, taken as 80)."""
        width = width or 80
        label = max(14, min(27, width - 31))
        bar = max(10, min(50, width - label - NUMBER_W - 5))
        return cls(lang, max(20, width), label, bar)

    def t(self, key: str, **kw: object) -> str:
        """The view's text ``key`` in the frame's language."""
        return TEXT[self.lang][key].format(**kw)

    def label(self, text: str, indent: int = 2) -> str:
        """A label cell: ``text`` indented, cut with an ellipsis, padded to the column."""
        return (" " * indent + fit(text, self.label_width - indent - 1)).ljust(self.label_width)


def page_lines(
    result: CheckResult | None, frame: Frame, history: Sequence[list[Run]] = ()
) -> list[list[Run]]:
    """Every line of the view, top to bottom, each cut to the frame's width."""
    if result is None:
        lines = [[(frame.t("empty"), "readiness--muted")]]
    else:
        lines = [*score_lines(result, frame), [], *history, [], *kpi_lines(result, frame)]
    return [crop(runs, frame.width) for runs in lines]


def bar_runs(frame: Frame, value: float) -> list[Run]:
    """A bar of ``value``: the filled part in its level's colour, the rest as the track."""
    text = hbar(value, frame.bar_width)
    filled = text.rstrip(" ")
    return [(filled, level_class(value)), (text[len(filled) :], "readiness--track")]


def figure_line(frame: Frame, title: str, value: int | None, level: str | None = None) -> list[Run]:
    """``Readiness  ████▌   79/100``: a figure's title, bar and number (``–`` when not
    assessed: no bar, never 100)."""
    runs: list[Run] = [(frame.label(title, indent=0), "readiness--title")]
    if value is None:
        runs.append((" " * frame.bar_width, "readiness--track"))
    else:
        bar = bar_runs(frame, value)
        if level is not None:
            bar[0] = (bar[0][0], level)
        runs += bar
    number = "–" if value is None else str(value)
    runs += [(f"{number:>{NUMBER_W}}", "readiness--number"), ("/100", "readiness--muted")]
    return runs


def status_runs(result: CheckResult, frame: Frame) -> list[Run]:
    """The headline's band (after the cap), the findings that cap it, readiness without
    waivers when it differs, and coverage when the check measures it."""
    score = result.score
    band = score.band if score.overall is not None else "not_assessed"
    runs: list[Run] = [
        (i18n.t(frame.lang, f"band.{band}"), BAND_CLASS.get(band, "readiness--muted"))
    ]
    if score.capped and score.overall is not None:  # the cap lowered it
        uncapped = "–" if score.uncapped is None else score.uncapped
        capped = frame.t("capped", n=score.overall, causes=cap_causes(score), uncapped=uncapped)
        runs += [(" · ", "readiness--muted"), (capped, "readiness--cost")]
    without = score.without_waivers
    if without is not None and without != score.overall:
        runs.append((" · " + frame.t("without_waivers", n=without), "readiness--muted"))
    coverage = getattr(score, "coverage", None)
    needed = getattr(score, "min_coverage", None)
    if isinstance(coverage, (int, float)):
        pct = percent(coverage)
        if score.overall is None and isinstance(needed, (int, float)) and coverage < needed:
            # why it is not assessed, and what it takes
            text = frame.t("coverage_needed", pct=pct, min=percent(needed))
            runs.append((" · " + text, "readiness--cost"))
        else:
            runs.append((" · " + frame.t("coverage", pct=pct), "readiness--muted"))
    return runs


def score_lines(result: CheckResult, frame: Frame) -> list[list[Run]]:
    """Readiness with its status line and pillars, then framing with its pillars."""
    score = result.score
    band = score.band if score.overall is not None else "not_assessed"
    lines = [figure_line(frame, frame.t("title"), score.overall, BAND_CLASS.get(band))]
    lines += wrap_runs([(" " * 2, ""), *status_runs(result, frame)], frame.width, 4)
    lines.append([])
    lines += pillar_lines(result, READINESS_PILLARS, frame)
    lines.append([])
    lines.append(figure_line(frame, frame.t("framing_title"), score.framing))
    lines.append([])
    lines += pillar_lines(result, FRAMING_PILLARS, frame)
    return lines


def pillar_lines(result: CheckResult, pillars: Sequence[str], frame: Frame) -> list[list[Run]]:
    """Each pillar's bar and number (``—`` when no rule of it is in force), and under it
    one line per rule that costs it points."""
    score = result.score
    names = PILLAR_NAMES[frame.lang]
    lines: list[list[Run]] = []
    by_rule: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule, []).append(f)
    for pillar in pillars:
        label = frame.label(names.get(pillar, pillar))
        if pillar not in score.pillars:
            # No bar: the empty track says why.
            note = fit(" " + frame.t("no_rules"), frame.bar_width).ljust(frame.bar_width)
            lines.append(
                [
                    (label, "readiness--label"),
                    (note, "readiness--muted"),
                    (f"{'—':>{NUMBER_W}}", "readiness--muted"),
                ]
            )
            continue
        value = score.pillars[pillar]
        lines.append(
            [
                (label, "readiness--label"),
                *bar_runs(frame, value),
                (f"{value:>{NUMBER_W}}", "readiness--number"),
            ]
        )
        costs = [c for c in score.costs if c.pillar == pillar]
        for cost, share in zip(costs, cost_shares(value, costs), strict=True):
            runs = cost_line(frame, cost, share, by_rule.get(cost.rule, []))
            if sum(len(text) for text, _ in runs) <= frame.width:
                lines.append(runs)
                continue
            # Too long for one line: the message goes under, both wrapped, not cut.
            head, message = runs[:5], runs[5:]
            lines += wrap_runs(head, frame.width, COST_INDENT)
            if message:
                text, cls = message[0]
                message = [(" " * COST_INDENT, ""), (text.removeprefix(" · "), cls)]
                lines += wrap_runs(message, frame.width, COST_INDENT)
    return lines


def cost_line(frame: Frame, cost: RuleCost, share: float, findings: list[Finding]) -> list[Run]:
    """``− SIG002 <title> −20 pts (−5 pts of readiness) · <message> (×N)``."""
    here = format_number(round(share), frame.lang)
    figure_pts = format_number(round(cost.points, 1), frame.lang)
    of = "of_framing" if cost.figure == "framing" else "of_readiness"
    runs: list[Run] = [
        ("      − ", "readiness--cost"),
        (cost.rule, "readiness--rule"),
        # the rule as its findings title it, in the plan's words (its id when none)
        (f" {findings[0].title if findings else cost.title or cost.name} ", "readiness--label"),
        (frame.t("pts", pts=here), "readiness--cost"),
        (frame.t(of, pts=figure_pts), "readiness--muted"),
    ]
    live = [f for f in findings if not f.waived]
    shown = live or findings
    if shown:
        message = shown[0].message
        if len(shown) > 1:
            message += f" (×{len(shown)})"
        cls = "readiness--message" if live else "readiness--waived"
        runs.append((" · " + message, cls))
    elif cost.unknown:
        # no finding of its own: it costs for what the plan does not say
        if cost.among:
            said = frame.t("cost_unknown", n=cost.unknown, among=cost.among)
        else:
            said = frame.t("cost_nothing")
        runs.append((" · " + said, "readiness--message"))
    return runs


def kpi_lines(result: CheckResult, frame: Frame) -> list[list[Run]]:
    """The KPIs' heading, then one row per KPI: name, ``baseline → latest → target unit``,
    direction arrow, status and a sparkline of its history. A row too wide for the frame
    puts the name on a line of its own, and the sparkline too when fewer than
    ``SPARK_MIN`` cells are left beside the figures."""
    plan, as_of, lang, width = result.plan, result.as_of, frame.lang, frame.width
    lines: list[list[Run]] = [[(frame.t("kpis"), "readiness--heading")]]
    if not plan.kpi:
        lines.append([("  " + frame.t("no_kpis"), "readiness--muted")])
        return lines
    texts = []
    for kpi in plan.kpi:
        history = kpi_history(kpi, as_of)
        latest = history[-1] if history else None
        values = (
            f"{format_number(kpi.baseline, lang)} → {format_number(latest, lang)} → "
            f"{format_number(kpi.target, lang)}"
        )
        if kpi.unit:
            values += f" {kpi.unit}"
        texts.append((kpi, history, values))
    name_w = frame.label_width
    head = frame.t("kpi_head")
    values_w = min(26, max(len(v) for _, _, v in texts))
    status_w = max(len(frame.t(k)) for k in ("met", "on_track", "off_track")) + 1
    # The column heading spans the figures, arrow and status columns.
    rest = max(values_w + 3 + status_w, len(head) + 1)
    status_w = rest - values_w - 3
    # One line per KPI when it fits; else the name on its own line, the figures under
    # it; the sparkline takes the room left (up to 24), or a line of its own.
    two_lines = name_w + rest + SPARK_MIN > width
    lead = 4 if two_lines else name_w
    spark_w = min(24, width - lead - rest)
    spark_alone = spark_w < SPARK_MIN
    if spark_alone:
        spark_w = max(1, min(24, width - lead))
    word = frame.t("history")
    heading: list[Run] = [(" " * lead, ""), (head.ljust(rest), "readiness--muted")]
    if not spark_alone:
        heading.append(
            (fit(word, spark_w) if len(word) > spark_w + 2 else word, "readiness--muted")
        )
    lines.append(heading)
    for kpi, history, values in texts:
        direction = kpi_direction(kpi)
        arrow = "↑" if direction == Direction.up else "↓" if direction == Direction.down else " "
        status = kpi_status(result, kpi.id)
        figures: list[Run] = [
            (fit(values, values_w).ljust(values_w), "readiness--number"),
            (f" {arrow} ", "readiness--label"),
            (frame.t(status).ljust(status_w), STATUS_CLASS.get(status, "readiness--muted")),
        ]
        spark: list[Run] = [(sparkline(history, spark_w), "readiness--spark")]
        if not spark_alone:
            figures += spark
        if two_lines:
            lines.append([("  " + fit(kpi.name or kpi.id, width - 2), "readiness--label")])
            lines.append([(" " * lead, ""), *figures])
        else:
            lines.append([(frame.label(kpi.name or kpi.id), "readiness--label"), *figures])
        if spark_alone and history:
            lines.append([(" " * lead, ""), *spark])
    return lines
