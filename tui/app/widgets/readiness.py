"""Readiness widget: readiness (the company) and framing (the plan) kept apart, each with its
pillar bars and the rules that cost points; the plan's history in git; the KPIs.

Public API
==========

``Readiness(*, lang=None, name=None, id=None, classes=None)``
    A focusable Line-API widget (a ``ScrollView``; arrow keys / page keys scroll).
    ``lang`` is ``"en"`` or ``"fr"`` (``None``: the check result's language).

``readiness.update(result: CheckResult, *, lang=None) -> None``
    Show a check result (``rules.pipeline.check_plan(...)``). Call it after each
    pipeline run. Nothing is read from the clock: the KPIs are judged as of
    ``result.as_of`` (history measures dated after it are ignored), and the plan's
    history is read with ``result.as_of`` as today.

``readiness.plan_path``
    The plan file whose git history is shown (None: the app's ``path``; a host app
    without one shows no history line).

Pure helpers (no Textual state, reusable by text renderers)
    ``wrap_runs(runs, width, indent)``: (text, class) runs word-wrapped to ``width``.
    ``hbar(value, width) -> str``: a bar of ``value`` in 0..100 drawn with ``█`` and the
    eighth blocks ``▏▎▍▌▋▊▉``, padded with spaces to exactly ``width`` cells.
    ``pillar_shares(score, weights)``: a pillar's lost points split by weight;
    ``cost_shares(score, costs)``: split by graded cost (weight × grade, ``RuleCost``),
    what the pillar bar's ``−N pts`` says.
    ``kpi_history(kpi, as_of)``, ``kpi_latest(kpi, as_of)``, ``kpi_status(result, kpi_id)``
    (the rules' one "on track", ``rules.tracking`` through ``result.kpi_track``: ``met``,
    ``on_track``, ``off_track``, ``unknown``).
    ``cap_causes(score)``: the findings that cap readiness, one per rule.

What is drawn (top to bottom)
    ``Readiness  ████▌   79/100`` (readiness after the cap, coloured by its band), under
    it the band's label, the finding that caps it (``capped at 79 by EXT001 <title> (92
    before the cap)``), readiness without waivers when it differs, coverage when the check
    measures it (``–/100`` and "not assessed" when readiness is not assessed; the pillars
    stay). Then each readiness pillar (``rules.result.READINESS_PILLARS``) with a bar and
    its number (``—`` when no rule of the pillar is in force) and under it one line per
    rule that costs points (``Score.costs``): code, title, the pillar points it costs (its
    graded cost's share), the points of its figure in brackets, and the message of its
    finding (``×N`` when it fired N times). Then ``Framing  …/100`` and the framing
    pillars the same way. Then the history: when the plan's file is in git, a sparkline
    per figure over its versions (``tui.history.versions.plan_history``, read in a worker
    thread, from the history cache) with the first and last values, and the last 3 moves
    of readiness, newest first, each named by its causes; else one quiet line (not saved,
    not in git, never committed). Then the KPIs, one row each: name,
    ``baseline → latest → target unit``, direction arrow (``↑`` up is better, ``↓`` down
    is better), status (``✓ met``, ``✓ on track``, ``✗ off track``, ``—``) and a sparkline
    of the history.

Key: ``d`` (binding id ``readiness.diff``, remappable in keys.toml) opens
``screens/diff.py``: the plan in memory against its last commit.

Layout: the label column is 27 cells (less below 58 columns); bars take the rest (10 to
50 cells). A cost line too long for the width puts the message on the next line, both
word-wrapped onto lines indented by 8 (``wrap_runs``), never cut. When a KPI row does not
fit on one line, its name goes on a line of its own and its figures, status and sparkline
under it; the sparkline takes the cells left (up to 24), or a line of its own below the
figures when fewer than 4 are left. Read-only: ``result``, ``lang``, ``history``,
``history_state``, ``label_width``, ``bar_width``, ``text_lines()`` (all content lines as
plain text).

Component classes (for app.tcss): ``readiness--title``, ``--label``, ``--good`` (≥ 80;
the headline: band ready), ``--fair`` (≥ 50; to secure), ``--poor``, ``--track``,
``--number``, ``--rule``, ``--cost``, ``--message``, ``--waived``, ``--heading``,
``--met``, ``--on-track``, ``--off-track``, ``--muted``, ``--spark`` (all prefixed
``readiness``).

How F mounts it (tui/app/app.py)::

    from releve.tui.app.widgets.readiness import Readiness

    def compose(self):
        yield Readiness(id="readiness")

    def show_result(self, result):                    # after each pipeline run
        self.query_one(Readiness).update(result)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from releve.planner.model import Direction, Kpi
from releve.rules.result import (
    FRAMING_PILLARS,
    READINESS_PILLARS,
    CheckResult,
    Finding,
    RuleCost,
    Score,
)
from releve.rules.tracking import STATUSES, track_all
from releve.tui import i18n
from releve.tui.app import keys
from releve.tui.app.widgets.sparkline import sparkline

if TYPE_CHECKING:
    from releve.tui.history.versions import History

EIGHTHS = " ▏▎▍▌▋▊▉█"

# The words of the readiness view, from the string catalog (releve.tui.i18n).
PILLAR_NAMES = {lang: i18n.table(lang, "readiness.pillar") for lang in i18n.LANGS}
TEXT = {lang: i18n.table(lang, "readiness") for lang in i18n.LANGS}

Run = tuple[str, str]  # (text, component class or "")


# --- pure helpers ------------------------------------------------------------------------


def hbar(value: float, width: int) -> str:
    """``value`` (0..100, clamped) as a bar exactly ``width`` cells wide, to an eighth of a cell."""
    if width <= 0:
        return ""
    if not math.isfinite(value):
        value = 0.0
    eighths = round(max(0.0, min(100.0, value)) * width * 8 / 100)
    full, rest = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[rest] if rest else "")
    return text.ljust(width)


def pillar_shares(score: float, weights: list[float]) -> list[float]:
    """The points of a pillar each costly rule takes, from the pillar's score and the
    weights of its rules with an unwaived finding (rule-packs.md: a pillar loses
    100 × lost weight ÷ weight in force, so each rule takes its weight's share of the
    loss). The shares add up to ``100 - score``."""
    lost = sum(weights)
    if lost <= 0:
        return [0.0 for _ in weights]
    return [(100 - score) * w / lost for w in weights]


def kpi_history(kpi: Kpi, as_of: dt.date) -> list[float]:
    """The KPI's measured values up to ``as_of``, oldest first."""
    return [m.value for m in sorted(kpi.history, key=lambda m: m.on) if m.on <= as_of]


def kpi_latest(kpi: Kpi, as_of: dt.date) -> float | None:
    values = kpi_history(kpi, as_of)
    return values[-1] if values else None


def _direction(kpi: Kpi) -> Direction | None:
    if kpi.direction is not None:
        return kpi.direction
    if kpi.baseline is not None and kpi.target is not None and kpi.baseline != kpi.target:
        return Direction.up if kpi.target > kpi.baseline else Direction.down
    return None


def kpi_status(result: CheckResult, kpi_id: str) -> str:
    """``met``, ``on_track``, ``off_track`` or ``unknown``: the rules' one definition
    (rules.tracking, the check's ``kpi_track``), never judged again here. A result made
    without it (``kpi_track`` empty) is judged from its KPI facts the same way."""
    status = result.kpi_track.get(kpi_id)
    if status is None and not result.kpi_track and result.facts:
        status = track_all(result.facts, ()).get(kpi_id)
    return status if status in STATUSES else "unknown"


def cost_shares(value: float, costs: Sequence[RuleCost]) -> list[float]:
    """The points of a pillar (scored ``value``) each of its costly rules takes: the loss
    split by graded cost (weight × grade, what the score counts), not by weight."""
    return pillar_shares(value, [c.weight * c.grade for c in costs])


#: The headline's colour by band (after the cap): the bar's and the band label's class.
BAND_CLASS = {
    "ready": "readiness--good",
    "to_secure": "readiness--fair",
    "not_ready": "readiness--poor",
    "not_assessed": "readiness--muted",
}


def cap_causes(score: Score) -> str:
    """The findings that cap readiness, one per rule: ``EXT001 <its title>`` (``×N`` when
    the rule caps on N facts)."""
    seen: dict[str, list[str]] = {}
    for cap in score.caps:
        seen.setdefault(cap.rule, []).append(cap.title)
    return "; ".join(
        f"{rule} {titles[0]}" + (f" (×{len(titles)})" if len(titles) > 1 else "")
        for rule, titles in seen.items()
    )


def percent(share: float) -> int:
    """A 0..1 share as a whole percentage, rounded half up (0.455 → 46)."""
    if not math.isfinite(share):
        return 0
    return math.floor(max(0.0, min(1.0, share)) * 100 + 0.5)


def format_number(value: float | None, lang: str = "en") -> str:
    """``6.5`` / ``90`` in English, ``6,5`` in French; ``?`` when unknown."""
    if value is None:
        return "?"
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.4g}"
    return text.replace(".", ",") if lang == "fr" else text


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _crop(runs: list[Run], width: int) -> list[Run]:
    """Runs cut to ``width`` cells, the cut marked with an ellipsis (codes come first in a
    line, so it is the message that gets cut)."""
    if sum(len(text) for text, _ in runs) <= width:
        return runs
    out: list[Run] = []
    used = 0
    for text, cls in runs:
        room = width - used
        if room <= 0:
            break
        piece = _fit(text, room)
        out.append((piece, cls))
        used += len(piece)
    return out


def _trailing_spaces(line: list[Run]) -> int:
    n = 0
    for text, _ in reversed(line):
        if not text.isspace():
            break
        n += len(text)
    return n


def wrap_runs(runs: list[Run], width: int, indent: int) -> list[list[Run]]:  # noqa: C901
    """Runs word-wrapped to ``width`` cells, each continuation line indented by ``indent``
    spaces; lines break at spaces only, and a word longer than a whole line is cut with
    an ellipsis (nothing else is)."""
    if sum(len(text) for text, _ in runs) <= width:
        return [runs]
    # Words (lists of (piece, class): a word may span runs) and the spaces between them.
    tokens: list[tuple[bool, list[Run]]] = []  # (is_space, pieces)
    for text, cls in runs:
        for piece in re.findall(r"\S+|\s+", text):
            space = piece.isspace()
            if tokens and tokens[-1][0] == space:
                tokens[-1][1].append((piece, cls))
            else:
                tokens.append((space, [(piece, cls)]))
    lines: list[list[Run]] = [[]]
    used = 0
    for space, pieces in tokens:
        size = sum(len(p) for p, _ in pieces)
        if space:  # kept for now; dropped again if the line breaks here
            lines[-1] += pieces
            used += size
            continue
        if used + size > width and used - _trailing_spaces(lines[-1]) > indent:
            while lines[-1] and lines[-1][-1][0].isspace():  # no trailing spaces
                used -= len(lines[-1].pop()[0])
            lines.append([(" " * indent, "")])
            used = indent
        for piece, cls in pieces:
            if used + len(piece) > width:
                piece = _fit(piece, width - used)
            lines[-1].append((piece, cls))
            used += len(piece)
    while lines[-1] and lines[-1][-1][0].isspace():
        lines[-1].pop()
    out = []
    for line in lines:  # merge the pieces of a run again
        merged: list[Run] = []
        for text, cls in line:
            if not text:
                continue
            if merged and merged[-1][1] == cls:
                merged[-1] = (merged[-1][0] + text, cls)
            else:
                merged.append((text, cls))
        out.append(merged)
    return out


# --- the widget -----------------------------------------------------------------------------


class Readiness(ScrollView, can_focus=True):
    """The readiness score, pillar bars with their costly rules, and KPI rows."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "readiness--title",
        "readiness--label",
        "readiness--good",
        "readiness--fair",
        "readiness--poor",
        "readiness--track",
        "readiness--number",
        "readiness--rule",
        "readiness--cost",
        "readiness--message",
        "readiness--waived",
        "readiness--heading",
        "readiness--met",
        "readiness--on-track",
        "readiness--off-track",
        "readiness--muted",
        "readiness--spark",
    }

    DEFAULT_CSS = """
    Readiness {
        height: 1fr;
        background: $surface;
    }
    Readiness > .readiness--title { text-style: bold; color: $text; }
    Readiness > .readiness--label { color: $text; }
    Readiness > .readiness--good { color: $success; }
    Readiness > .readiness--fair { color: $warning; }
    Readiness > .readiness--poor { color: $error; }
    Readiness > .readiness--track { background: $panel; }
    Readiness > .readiness--number { text-style: bold; color: $text; }
    Readiness > .readiness--rule { color: $warning; text-style: bold; }
    Readiness > .readiness--cost { color: $error; }
    Readiness > .readiness--message { color: $text-muted; }
    Readiness > .readiness--waived { color: $text-muted; text-style: italic; }
    Readiness > .readiness--heading { text-style: bold underline; color: $text; }
    Readiness > .readiness--met { color: $success; text-style: bold; }
    Readiness > .readiness--on-track { color: $success; }
    Readiness > .readiness--off-track { color: $error; }
    Readiness > .readiness--muted { color: $text-muted; }
    Readiness > .readiness--spark { color: $accent; }
    """

    BINDINGS = keys.bindings(keys.READINESS_KEYS)

    NUMBER_W = 5
    SPARK_MIN = 4
    COST_INDENT = 8
    #: Moves of readiness named under the history sparklines, newest first.
    MOVES_SHOWN = 3

    def __init__(
        self,
        *,
        lang: str | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._lang_arg = lang
        self._result: CheckResult | None = None
        self._lines: list[list[Run]] = []
        self._generation = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(512)
        self._styles: dict[str, Style] = {}
        self._built_width = -1
        #: The plan file whose git history is shown; None: the app's (``app.path``).
        self.plan_path: Path | None = None
        self.history_state = "none"  # none|loading|ready|no_file|no_git|never|error
        self._history: History | None = None
        self._history_error = ""
        self._history_sig: tuple[Any, ...] | None = None

    # -- public -------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        if self._lang_arg in TEXT:
            return self._lang_arg
        if self._result is not None and self._result.lang in TEXT:
            return self._result.lang
        return "en"

    @lang.setter
    def lang(self, value: str | None) -> None:
        self._lang_arg = value
        self._changed()

    @property
    def result(self) -> CheckResult | None:
        return self._result

    @property
    def label_width(self) -> int:
        """Cells before the bars (pillar names, KPI names): 27, less in a narrow panel."""
        width = self.scrollable_content_region.width or 80
        return max(14, min(27, width - 31))

    @property
    def bar_width(self) -> int:
        """Cells of a full (100) bar at the current width (``/100`` still fits after it)."""
        width = self.scrollable_content_region.width or 80
        return max(10, min(50, width - self.label_width - self.NUMBER_W - 5))

    def update(self, result: CheckResult, *, lang: str | None = None) -> None:
        """Show ``result``; call after each pipeline run."""
        if lang is not None:
            self._lang_arg = lang
        self._result = result
        self._changed()
        self._refresh_history(result)

    def text_lines(self) -> list[str]:
        """Every line of the content as plain text (all of it, not only the visible part)."""
        return ["".join(text for text, _ in runs) for runs in self._lines]

    # -- building ---------------------------------------------------------------------

    def _t(self, key: str, **kw: object) -> str:
        return TEXT[self.lang][key].format(**kw)

    def _changed(self) -> None:
        self._build()
        self.refresh()

    def on_resize(self) -> None:
        self._build()

    def _level(self, value: float) -> str:
        if value >= 80:
            return "readiness--good"
        return "readiness--fair" if value >= 50 else "readiness--poor"

    def _bar_runs(self, value: float) -> list[Run]:
        width = self.bar_width
        text = hbar(value, width)
        filled = text.rstrip(" ")
        return [(filled, self._level(value)), (text[len(filled) :], "readiness--track")]

    def _build(self) -> None:
        self._generation += 1
        self._cache.clear()
        width = max(20, self.scrollable_content_region.width or 80)
        self._built_width = self.scrollable_content_region.width
        result = self._result
        lines: list[list[Run]] = []
        if result is None:
            lines.append([(self._t("empty"), "readiness--muted")])
        else:
            lines += self._score_lines(result, width)
            lines.append([])
            lines += self._history_lines(width)
            lines.append([])
            lines += self._kpi_lines(result, width)
        self._lines = [_crop(runs, width) for runs in lines]
        self.virtual_size = Size(width, len(lines))

    def _figure_line(self, title: str, value: int | None, level: str | None = None) -> list[Run]:
        """``Readiness  ████▌   79/100``: a figure's title, bar and number (``–`` when not
        assessed: no bar, never 100)."""
        runs: list[Run] = [
            (_fit(title, self.label_width - 1).ljust(self.label_width), "readiness--title")
        ]
        if value is None:
            runs.append((" " * self.bar_width, "readiness--track"))
        else:
            bar = self._bar_runs(value)
            if level is not None:
                bar[0] = (bar[0][0], level)
            runs += bar
        number = "–" if value is None else str(value)
        runs += [(f"{number:>{self.NUMBER_W}}", "readiness--number"), ("/100", "readiness--muted")]
        return runs

    def _status_runs(self, result: CheckResult) -> list[Run]:
        """The headline's band (after the cap), the findings that cap it, readiness without
        waivers when it differs, and coverage when the check measures it."""
        score = result.score
        lang = self.lang
        band = score.band if score.overall is not None else "not_assessed"
        runs: list[Run] = [(i18n.t(lang, f"band.{band}"), BAND_CLASS.get(band, "readiness--muted"))]
        if score.capped and score.overall is not None:  # the cap lowered it
            runs.append((" · ", "readiness--muted"))
            runs.append(
                (
                    self._t(
                        "capped",
                        n=score.overall,
                        causes=cap_causes(score),
                        uncapped="–" if score.uncapped is None else score.uncapped,
                    ),
                    "readiness--cost",
                )
            )
        without = score.without_waivers
        if without is not None and without != score.overall:
            runs.append((" · " + self._t("without_waivers", n=without), "readiness--muted"))
        coverage = getattr(score, "coverage", None)
        needed = getattr(score, "min_coverage", None)
        if isinstance(coverage, (int, float)):
            pct = percent(coverage)
            if score.overall is None and isinstance(needed, (int, float)) and coverage < needed:
                # why it is not assessed, and what it takes
                text = self._t("coverage_needed", pct=pct, min=percent(needed))
                runs.append((" · " + text, "readiness--cost"))
            else:
                runs.append((" · " + self._t("coverage", pct=pct), "readiness--muted"))
        return runs

    def _score_lines(self, result: CheckResult, width: int) -> list[list[Run]]:
        score = result.score
        lines: list[list[Run]] = []
        band = score.band if score.overall is not None else "not_assessed"
        lines.append(self._figure_line(self._t("title"), score.overall, BAND_CLASS.get(band)))
        status = [(" " * 2, ""), *self._status_runs(result)]
        lines += wrap_runs(status, width, 4)
        lines.append([])
        lines += self._pillar_lines(result, READINESS_PILLARS, width)
        lines.append([])
        lines.append(self._figure_line(self._t("framing_title"), score.framing))
        lines.append([])
        lines += self._pillar_lines(result, FRAMING_PILLARS, width)
        return lines

    def _pillar_lines(
        self, result: CheckResult, pillars: Sequence[str], width: int
    ) -> list[list[Run]]:
        score = result.score
        names = PILLAR_NAMES[self.lang]
        lines: list[list[Run]] = []
        by_rule: dict[str, list[Finding]] = {}
        for f in result.findings:
            by_rule.setdefault(f.rule, []).append(f)
        for pillar in pillars:
            label = "  " + _fit(names.get(pillar, pillar), self.label_width - 3)
            label = label.ljust(self.label_width)
            if pillar not in score.pillars:
                # No bar: the empty track says why.
                note = _fit(" " + self._t("no_rules"), self.bar_width).ljust(self.bar_width)
                lines.append(
                    [
                        (label, "readiness--label"),
                        (note, "readiness--muted"),
                        (f"{'—':>{self.NUMBER_W}}", "readiness--muted"),
                    ]
                )
                continue
            value = score.pillars[pillar]
            lines.append(
                [
                    (label, "readiness--label"),
                    *self._bar_runs(value),
                    (f"{value:>{self.NUMBER_W}}", "readiness--number"),
                ]
            )
            costs = [c for c in score.costs if c.pillar == pillar]
            for cost, share in zip(costs, cost_shares(value, costs), strict=True):
                runs = self._cost_line(cost, share, by_rule.get(cost.rule, []))
                if sum(len(text) for text, _ in runs) <= width:
                    lines.append(runs)
                    continue
                # Too long for one line: the message goes under, both wrapped, not cut.
                head, message = runs[:5], runs[5:]
                lines += wrap_runs(head, width, self.COST_INDENT)
                if message:
                    text, cls = message[0]
                    message = [(" " * self.COST_INDENT, ""), (text.removeprefix(" · "), cls)]
                    lines += wrap_runs(message, width, self.COST_INDENT)
        return lines

    def _cost_line(self, cost: RuleCost, share: float, findings: list[Finding]) -> list[Run]:
        here = format_number(round(share), self.lang)
        figure_pts = format_number(round(cost.points, 1), self.lang)
        of = "of_framing" if cost.figure == "framing" else "of_readiness"
        runs: list[Run] = [
            ("      − ", "readiness--cost"),
            (cost.rule, "readiness--rule"),
            # the rule as its findings title it, in the plan's words (its id when none)
            (f" {findings[0].title if findings else cost.name} ", "readiness--label"),
            (self._t("pts", pts=here), "readiness--cost"),
            (self._t(of, pts=figure_pts), "readiness--muted"),
        ]
        live = [f for f in findings if not f.waived]
        shown = live or findings
        if shown:
            message = shown[0].message
            if len(shown) > 1:
                message += f" (×{len(shown)})"
            cls = "readiness--message" if live else "readiness--waived"
            runs.append((" · " + message, cls))
        return runs

    # -- the plan's history in git (issue 13) -------------------------------------------

    @property
    def history(self) -> History | None:
        """The plan's history as last read from git (None: not read, or not in git)."""
        return self._history

    def history_path(self) -> Path | None:
        """The plan file: ``plan_path`` when set, else the app's plan file (None: unsaved)."""
        if self.plan_path is not None:
            return self.plan_path
        path = getattr(self.app, "path", None)
        return Path(path) if isinstance(path, (str, os.PathLike)) else None

    def _has_plan_file(self) -> bool:
        """The view shows a plan that may have a file: set by ``plan_path`` or the app's
        (a widget shown on its own, in a host without plans, says nothing of history)."""
        return self.plan_path is not None or hasattr(self.app, "path")

    def _signature(self, path: Path, result: CheckResult) -> tuple[Any, ...]:
        """What decides the history: the file as saved and the repository's index and
        HEAD (a commit made outside the app moves them), the check date and language."""

        def stamp(p: Path) -> tuple[int, int] | None:
            try:
                st = p.stat()
            except OSError:
                return None
            return (st.st_mtime_ns, st.st_size)

        marks: list[Any] = [str(path), stamp(path), result.as_of, self.lang]
        folder = path.resolve().parent
        for parent in (folder, *folder.parents):
            git = parent / ".git"
            if git.exists():
                marks += [stamp(git / "index"), stamp(git / "HEAD"), stamp(git / "logs" / "HEAD")]
                break
        return tuple(marks)

    def _refresh_history(self, result: CheckResult) -> None:
        """Read the history again, off the UI thread, when the file or git moved."""
        path = self.history_path()
        if path is None:
            self._history_sig = None
            self._set_history("no_file" if self._has_plan_file() else "none", None, "")
            return
        sig = self._signature(path, result)
        if sig == self._history_sig:
            return
        self._history_sig = sig
        if self._history is None:
            self.history_state = "loading"
            self._changed()
        self._load_history(path, sig, result.as_of, self.lang)

    @work(thread=True, exclusive=True, group="readiness-history", exit_on_error=False)
    def _load_history(self, path: Path, sig: tuple[Any, ...], today: dt.date, lang: str) -> None:
        from releve.tui.history.cache import Cache
        from releve.tui.history.git import HistoryError
        from releve.tui.history.versions import plan_history

        history: History | None = None
        state, error = "ready", ""
        try:
            history = plan_history(path, today=today, lang=lang, cache=Cache.default())
        except HistoryError as err:
            message = err.message
            if "not in a git repository" in message:
                state = "no_git"
            elif "never committed" in message:
                state = "never"
            else:
                state, error = "error", message
        except Exception as err:  # noqa: BLE001 - the history must never take the view down
            state, error = "error", f"{type(err).__name__}: {err}"
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._history_loaded, sig, state, history, error)

    def _history_loaded(
        self, sig: tuple[Any, ...], state: str, history: History | None, error: str
    ) -> None:
        if sig != self._history_sig:
            return  # an older read: a newer one is on its way
        self._set_history(state, history, error)

    def _set_history(self, state: str, history: History | None, error: str) -> None:
        same = history is self._history and error == self._history_error
        if same and state == self.history_state:
            return
        self.history_state, self._history, self._history_error = state, history, error
        self._changed()

    def _history_lines(self, width: int) -> list[list[Run]]:
        state = self.history_state
        if state in ("none", "loading", "no_file", "no_git", "never", "error"):
            if state == "none":
                return []
            key = {"loading": "hist_loading", "error": "hist_error"}.get(state, f"hist_{state}")
            text = self._t(key, reason=self._history_error)
            return wrap_runs([(text, "readiness--muted")], width, 2)
        history = self._history
        assert history is not None
        versions = history.versions
        lines: list[list[Run]] = [[(self._t("hist_title", n=len(versions)), "readiness--heading")]]
        for title, values in (
            (self._t("title"), [v.figures.readiness if v.figures.ok else None for v in versions]),
            (
                self._t("framing_title"),
                [v.figures.framing if v.figures.ok else None for v in versions],
            ),
        ):
            known = [v for v in values if v is not None]
            series = [math.nan if v is None else float(v) for v in values]
            spark_w = max(1, min(self.bar_width, len(series)))
            label = ("  " + _fit(title, self.label_width - 3)).ljust(self.label_width)
            spark = sparkline(series, spark_w).ljust(self.bar_width)
            ends = f"{known[0]} → {known[-1]}" if known else "—"
            lines.append(
                [
                    (label, "readiness--label"),
                    (spark, "readiness--spark"),
                    ("  " + ends, "readiness--number"),
                ]
            )
        lines.append([("  " + self._t("hist_moves"), "readiness--label")])
        moves = history.moves()[-self.MOVES_SHOWN :][::-1]
        if not moves:
            lines.append([("    " + self._t("hist_no_moves"), "readiness--muted")])
        for move in moves:
            after = move.after
            where = after.short or self._t("hist_uncommitted")
            runs: list[Run] = [
                (f"    {after.date.isoformat()} {where}  ", "readiness--muted"),
                (move.describe(self.lang), "readiness--message"),
            ]
            lines += wrap_runs(runs, width, 6)
        key = self._key_for_diff()
        if key:
            lines.append(
                [("  " + i18n.t(self.lang, "readiness.diff_hint", key=key), "readiness--muted")]
            )
        return lines

    def _key_for_diff(self) -> str:
        """The key that opens the diff, as the footer shows it (a remapped one too)."""
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id == "readiness.diff":
                    try:
                        return binding.key_display or self.app.get_key_display(binding)
                    except Exception:  # noqa: BLE001 - no app: the key as declared
                        return binding.key
        return ""

    # -- the diff against the last commit ---------------------------------------------------

    def action_diff(self) -> None:
        """Open the diff of the plan in memory against the plan's last commit."""
        from releve.tui.app.screens.diff import DiffScreen

        result = self._result
        if result is None:  # the view was just made (the palette): the app's last check
            app_result = getattr(self.app, "result", None)
            result = app_result if isinstance(app_result, CheckResult) else None
        path = self.history_path()
        if result is None:
            self.notify(self._t("diff_no_plan"), timeout=3)
            return
        if path is None:
            self.notify(self._t("hist_no_file"), timeout=3)
            return
        self.app.push_screen(DiffScreen(path, result, lang=self.lang))

    def _kpi_lines(self, result: CheckResult, width: int) -> list[list[Run]]:
        plan, as_of = result.plan, result.as_of
        lines: list[list[Run]] = [[(self._t("kpis"), "readiness--heading")]]
        if not plan.kpi:
            lines.append([("  " + self._t("no_kpis"), "readiness--muted")])
            return lines
        lang = self.lang
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
        name_w = self.label_width
        head = self._t("kpi_head")
        values_w = min(26, max(len(v) for _, _, v in texts))
        status_w = max(len(self._t(k)) for k in ("met", "on_track", "off_track")) + 1
        # The column heading spans the figures, arrow and status columns.
        rest = max(values_w + 3 + status_w, len(head) + 1)
        status_w = rest - values_w - 3
        # One line per KPI when it fits; else the name on its own line, the figures under
        # it; the sparkline takes the room left (up to 24), or a line of its own.
        two_lines = name_w + rest + self.SPARK_MIN > width
        lead = 4 if two_lines else name_w
        spark_w = min(24, width - lead - rest)
        spark_alone = spark_w < self.SPARK_MIN
        if spark_alone:
            spark_w = max(1, min(24, width - lead))
        word = self._t("history")
        heading: list[Run] = [(" " * lead, ""), (head.ljust(rest), "readiness--muted")]
        if not spark_alone:
            heading.append(
                (
                    _fit(word, spark_w) if len(word) > spark_w + 2 else word,
                    "readiness--muted",
                )
            )
        lines.append(heading)
        for kpi, history, values in texts:
            direction = _direction(kpi)
            arrow = (
                "↑" if direction == Direction.up else "↓" if direction == Direction.down else " "
            )
            status = kpi_status(result, kpi.id)
            status_cls = {
                "met": "readiness--met",
                "on_track": "readiness--on-track",
                "off_track": "readiness--off-track",
            }.get(status, "readiness--muted")
            figures: list[Run] = [
                (_fit(values, values_w).ljust(values_w), "readiness--number"),
                (f" {arrow} ", "readiness--label"),
                (self._t(status).ljust(status_w), status_cls),
            ]
            spark: list[Run] = [(sparkline(history, spark_w), "readiness--spark")]
            if not spark_alone:
                figures += spark
            if two_lines:
                lines.append([("  " + _fit(kpi.name or kpi.id, width - 2), "readiness--label")])
                lines.append([(" " * lead, ""), *figures])
            else:
                label = "  " + _fit(kpi.name or kpi.id, name_w - 3)
                lines.append([(label.ljust(name_w), "readiness--label"), *figures])
            if spark_alone and history:
                lines.append([(" " * lead, ""), *spark])
        return lines

    # -- drawing ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._built_width:  # e.g. a scrollbar came or went: lay out again
            self._build()
        index = int(self.scroll_offset.y) + y
        key = (index, width, self._generation)
        strip = self._cache.get(key)
        if strip is None:
            runs = self._lines[index] if 0 <= index < len(self._lines) else []
            strip = self._strip(runs, width)
            self._cache[key] = strip
        return strip

    def _style(self, cls: str) -> Style:
        """The widget's style with component class ``cls`` over it (cached)."""
        style = self._styles.get(cls)
        if style is None:
            style = self.rich_style
            if cls:
                style += self.get_component_rich_style(cls, partial=True)
            self._styles[cls] = style
        return style

    def notify_style_update(self) -> None:
        # A theme or CSS change: drop the styles and lines drawn with the old ones.
        if hasattr(self, "_styles"):  # may run before __init__ has finished
            self._styles.clear()
            self._cache.clear()
        super().notify_style_update()

    def _strip(self, runs: list[Run], width: int) -> Strip:
        segments = [Segment(text, self._style(cls)) for text, cls in runs if text]
        return Strip(segments).adjust_cell_length(width, self._style(""))
