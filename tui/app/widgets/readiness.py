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

The view in four modules (only this one imports Textual)
    ``readiness_text.py``: the pure helpers (``wrap_runs``, ``hbar``, ``pillar_shares``,
    ``cost_shares``, ``kpi_history``, ``kpi_latest``, ``kpi_status``, ``cap_causes``,
    ``format_number``, …), imported from here too; ``readiness_lines.py``: the lines of the
    figures, pillars, costly rules and KPIs laid out for a width (``Frame``,
    ``page_lines``); ``readiness_history.py``: the plan's history in git (when to read it
    again, the read, its lines); this one: the widget (state, the history's worker, the
    diff key, drawing).

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
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from releve.rules.result import CheckResult
from releve.tui.app import keys
from releve.tui.app.widgets.readiness_history import (
    MOVES_SHOWN,
    history_lines,
    history_signature,
    read_history,
)
from releve.tui.app.widgets.readiness_lines import Frame, page_lines
from releve.tui.app.widgets.readiness_text import (
    BAND_CLASS,
    TEXT,
    Run,
    cap_causes,
    cost_shares,
    format_number,
    hbar,
    kpi_history,
    kpi_latest,
    kpi_status,
    percent,
    pillar_shares,
    wrap_runs,
)

if TYPE_CHECKING:
    from releve.tui.history.versions import History

__all__ = [
    "BAND_CLASS",
    "Readiness",
    "Run",
    "cap_causes",
    "cost_shares",
    "format_number",
    "hbar",
    "kpi_history",
    "kpi_latest",
    "kpi_status",
    "percent",
    "pillar_shares",
    "wrap_runs",
]


class Readiness(ScrollView, can_focus=True):
    """The readiness score, pillar bars with their costly rules, the plan's history in git,
    and KPI rows."""

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

    #: Moves of readiness named under the history sparklines, newest first.
    MOVES_SHOWN = MOVES_SHOWN

    class HistoryRead(Message):
        """The history worker read the plan's history (the view posts it to itself)."""

        bubble = False

        def __init__(
            self, sig: tuple[Any, ...], state: str, history: History | None, error: str
        ) -> None:
            super().__init__()
            self.sig, self.state, self.history, self.error = sig, state, history, error

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
        return self._frame().label_width

    @property
    def bar_width(self) -> int:
        """Cells of a full (100) bar at the current width (``/100`` still fits after it)."""
        return self._frame().bar_width

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

    def _frame(self) -> Frame:
        return Frame.of(self.lang, self.scrollable_content_region.width)

    def _changed(self) -> None:
        self._build()
        self.refresh()

    def on_resize(self) -> None:
        self._build()

    def _build(self) -> None:
        self._generation += 1
        self._cache.clear()
        frame = self._frame()
        self._built_width = self.scrollable_content_region.width
        history: list[list[Run]] = []
        if self._result is not None:
            history = history_lines(
                frame,
                self.history_state,
                self._history,
                self._history_error,
                self._key_for_diff(),
                self.MOVES_SHOWN,
            )
        self._lines = page_lines(self._result, frame, history)
        self.virtual_size = Size(frame.width, len(self._lines))

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

    def _refresh_history(self, result: CheckResult) -> None:
        """Read the history again, off the UI thread, when the file or git moved."""
        path = self.history_path()
        if path is None:
            self._history_sig = None
            self._set_history("no_file" if self._has_plan_file() else "none", None, "")
            return
        sig = history_signature(path, result.as_of, self.lang)
        if sig == self._history_sig:
            return
        self._history_sig = sig
        if self._history is None:
            self.history_state = "loading"
            self._changed()
        self._load_history(path, sig, result.as_of, self.lang)

    @work(thread=True, exclusive=True, group="readiness-history", exit_on_error=False)
    def _load_history(self, path: Path, sig: tuple[Any, ...], today: dt.date, lang: str) -> None:
        read = self.HistoryRead(sig, *read_history(path, today, lang))
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.post_message(read)

    def on_readiness_history_read(self, message: HistoryRead) -> None:
        if message.sig != self._history_sig:
            return  # an older read: a newer one is on its way
        self._set_history(message.state, message.history, message.error)

    def _set_history(self, state: str, history: History | None, error: str) -> None:
        same = history is self._history and error == self._history_error
        if same and state == self.history_state:
            return
        self.history_state, self._history, self._history_error = state, history, error
        self._changed()

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
