"""The Timeline's drawing: lines of the week grid as Textual strips (see timeline.py).

``TimelinePainter`` is the ``ScrollView`` the Timeline widget builds on: it draws the
chart the widget laid out (``_chart``, ``_name_w``, ``_ww``, ``_grid_w``, ``_months``,
``_footer``, ``_end_marker``), one line per ``render_line`` call, each cached per
generation, scroll offset and width. A row costs its weeks, not its cells: a week is
drawn once and repeated unless a marker sits in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.scroll_view import ScrollView
from textual.strip import Strip

from releve.tui import i18n
from releve.tui.app.widgets.timeline_layout import HEADER_ROWS, Chart, Item, Row

Run = tuple[int, int, str, Style]  # (x0, x1, text, style) on the grid


def clip(runs: list[Run], x0: int, x1: int) -> list[Run]:
    """The part of (x0, x1, text, style) runs that lies in [x0, x1)."""
    out = []
    for a, b, text, style in runs:
        if b <= x0 or a >= x1:
            continue
        lo, hi = max(a, x0), min(b, x1)
        out.append((lo, hi, text[lo - a : hi - a], style))
    return out


class GridPainter(ScrollView):
    """Lines of a grid with a name column as strips: runs of text merged by style, each
    style made once from component classes (``_styles_for``), a grid walked week by week
    (a week drawn once and repeated unless a marker sits in it), lines cached per
    generation. ``TimelinePainter`` draws the Timeline's lines with it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ww = 2
        self._name_w = 12
        self._grid_w = 0
        self._generation = 0
        self._cache: LRUCache[tuple[Any, ...], Strip] = LRUCache(1024)
        self._style_cache: dict[tuple[str, ...], Style] = {}
        self._base_style_cache: Style | None = None
        self._blank_key: tuple[Any, ...] | None = None
        self._blank: list[Run] = []

    def _blank_runs(self, chart: Chart, scroll_x: int, stop: int) -> list[Run]:
        """The runs of a row with no bar from ``scroll_x`` to ``stop`` (cached)."""
        raise NotImplementedError

    def _style(self, *names: str) -> Style:
        """The widget's style with these component classes over it (cached)."""
        return self._styles_for(names)

    @property
    def _base_style(self) -> Style:
        base = self._base_style_cache
        if base is None:
            base = self._base_style_cache = self.rich_style
        return base

    def _strip(self, runs: list[tuple[str, Style]], width: int) -> Strip:
        """One line from (text, full style) runs; styles come from ``_styles_for``, so
        equal styles are the same object and adjacent runs merge on identity."""
        texts: list[str] = []
        styles: list[Style] = []
        for text, style in runs:
            if not text:
                continue
            if styles and styles[-1] is style:
                texts[-1] += text
            else:
                texts.append(text)
                styles.append(style)
        strip = Strip([Segment(t, st) for t, st in zip(texts, styles, strict=True)])
        return strip.adjust_cell_length(width, self._base_style)

    def _name_cell(self, text: str, style: Style) -> list[tuple[str, Style]]:
        w = self._name_w
        if len(text) > w - 1:
            text = text[: w - 2] + "…"
        return [(text.ljust(w), style)]

    def _grid_runs(
        self,
        chart: Chart,
        scroll_x: int,
        width: int,
        cell: Callable[[int, int], tuple[str, tuple[str, ...]]],
        specials: Iterable[int | None] = (),
        busy: tuple[int, int] | None = None,
    ) -> list[tuple[str, Style]]:
        """Runs of the grid's visible part. ``cell(x, week)`` gives (char, class names);
        it depends on ``x`` only at the ``specials`` columns (markers), so every other
        week is asked once and its char repeated: a row costs its weeks, not its cells.
        With ``busy=(first, last)``, weeks outside it are known blank (only shaded)."""
        visible = max(0, width - self._name_w)
        ww = self._ww
        x, stop = scroll_x, min(scroll_x + visible, self._grid_w)
        special = {sx for sx in specials if sx is not None}
        if busy is not None:
            # Outside the phase's span the row is the blank row (shading, target line):
            # take it ready-made, and only walk the weeks of the span.
            blank = self._blank_runs(chart, scroll_x, stop)
            bx0 = min(max(x, busy[0] * ww), stop)
            bx1 = max(min(stop, (busy[1] + 1) * ww), bx0)
            out = clip(blank, x, bx0)
            out += self._walk(chart, bx0, bx1, cell, special)
            out += clip(blank, bx1, stop)
            return [(text, style) for _, _, text, style in out]
        return [(text, style) for _, _, text, style in self._walk(chart, x, stop, cell, special)]

    def _walk(
        self,
        chart: Chart,
        x: int,
        stop: int,
        cell: Callable[[int, int], tuple[str, tuple[str, ...]]],
        special: set[int],
    ) -> list[tuple[int, int, str, Style]]:
        """(x0, x1, text, style) runs of the grid from x to stop."""
        ww = self._ww
        special_weeks = {sx // ww for sx in special}
        merged: list[list[Any]] = []  # [x0, x1, text, classes]

        def add(x0: int, text: str, classes: tuple[str, ...]) -> None:
            if merged and merged[-1][3] == classes:
                merged[-1][1] += len(text)
                merged[-1][2] += text
            else:
                merged.append([x0, x0 + len(text), text, classes])

        week = x // ww
        while x < stop:
            week_stop = min((week + 1) * ww, stop)
            if week in special_weeks:
                for cx in range(x, week_stop):
                    add(cx, *cell(cx, week))
            else:
                char, classes = cell(-1, week)
                add(x, char * (week_stop - x), classes)
            x, week = week_stop, week + 1
        return [(x0, x1, text, self._styles_for(classes)) for x0, x1, text, classes in merged]

    def _styles_for(self, classes: tuple[str, ...]) -> Style:
        style = self._style_cache.get(classes)
        if style is None:
            style = self._base_style
            for name in classes:
                # partial: only what the class sets, so a colour never wipes a week's shading
                style += self.get_component_rich_style(name, partial=True)
            self._style_cache[classes] = style
        return style

    def notify_style_update(self) -> None:
        # A theme or CSS change: drop the styles and lines drawn with the old ones.
        if hasattr(self, "_style_cache"):  # may run before __init__ has finished
            self._style_cache.clear()
            self._base_style_cache = None
            self._blank_key = None
            self._cache.clear()
        super().notify_style_update()

    def _week_bg(self, chart: Chart, week: int) -> tuple[str, ...]:
        return chart.bg[week] if 0 <= week < len(chart.bg) else ()

    def _text_line(self, lines: list[Item], index: int, width: int) -> Strip:
        if index >= len(lines):
            return Strip.blank(width, self._base_style)
        runs = [(text, self._style(cls)) for text, cls in lines[index]]
        total = sum(len(t) for t, _ in runs)
        if total > width > 1:
            # Crop with an ellipsis so a cut line reads as cut, not as complete.
            kept: list[tuple[str, Style]] = []
            room = width - 1
            for text, style in runs:
                kept.append((text[:room], style))
                room -= len(text[:room])
                if room <= 0:
                    break
            kept.append(("…", runs[-1][1]))
            runs = kept
        return self._strip(runs, width)


class TimelinePainter(GridPainter):
    """Draws a laid-out chart (the Timeline widget fills the state below)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--month",
        "timeline--ruler",
        "timeline--name",
        "timeline--bar",
        "timeline--critical",
        "timeline--gap",
        "timeline--off",
        "timeline--partial",
        "timeline--target",
        "timeline--end",
        "timeline--today",
        "timeline--status",
        "timeline--whatif",
        "timeline--legend",
        "timeline--problem",
        "timeline--done",
        "timeline--baseline",
        "timeline--variance",
        "timeline--cursor",
    }

    DEFAULT_CSS = """
    TimelinePainter {
        height: 1fr;
        background: $surface;
    }
    TimelinePainter > .timeline--month { color: $text; text-style: bold; }
    TimelinePainter > .timeline--ruler { color: $text-muted; }
    TimelinePainter > .timeline--name { color: $text; }
    TimelinePainter > .timeline--bar { color: $primary; }
    TimelinePainter > .timeline--critical { color: $error; text-style: bold; }
    TimelinePainter > .timeline--gap { color: $text-muted; }
    TimelinePainter > .timeline--off { background: $panel-lighten-1; color: $text-muted; }
    TimelinePainter > .timeline--partial { background: $panel; }
    TimelinePainter > .timeline--target { color: $warning; text-style: bold; }
    TimelinePainter > .timeline--end { color: $success; text-style: bold; }
    TimelinePainter > .timeline--today { color: $accent; text-style: bold; }
    TimelinePainter > .timeline--status { color: $text; }
    TimelinePainter > .timeline--whatif { color: $warning; text-style: bold; }
    TimelinePainter > .timeline--legend { color: $text-muted; }
    TimelinePainter > .timeline--problem { color: $error; text-style: bold; }
    TimelinePainter > .timeline--done { color: $success; }
    TimelinePainter > .timeline--baseline { color: $text-muted; }
    TimelinePainter > .timeline--variance { color: $warning; }
    TimelinePainter > .timeline--cursor { background: $accent 40%; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._origin = dt.date(2000, 1, 3)
        self._end_marker = ""
        self._months: list[tuple[int, str]] = []
        self._footer: list[Item] = []
        self._top: list[Item] = []  # lines above the grid (a tracked plan's days used)
        self._cursor_row: int | None = None  # the phase selected (highlighted name)
        self._cursor_id: str | None = None  # its id, kept across updates

    # What the widget provides.
    @property
    def _chart(self) -> Chart | None:
        raise NotImplementedError

    def _target(self) -> dt.date | None:
        raise NotImplementedError

    def _t(self, key: str, **kw: object) -> str:
        raise NotImplementedError

    @property
    def today(self) -> dt.date | None:
        raise NotImplementedError

    @property
    def lang(self) -> str:
        raise NotImplementedError

    # -- the phase selected ------------------------------------------------------------

    def _sync_cursor(self, chart: Chart) -> None:
        ids = [r.id for r in chart.rows]
        if not ids:
            self._cursor_row = None
            return
        index = ids.index(self._cursor_id) if self._cursor_id in ids else 0
        self._cursor_row, self._cursor_id = index, ids[index]

    @property
    def header_rows(self) -> int:
        """Lines above the phases' rows: a tracked plan's days used, the months, the ruler."""
        return len(self._top) + HEADER_ROWS

    @property
    def selected_phase(self) -> str | None:
        """The id of the phase selected (``up``/``down``), on which ``l``, ``d`` and ``v``
        act."""
        return self._cursor_id if self._cursor_row is not None else None

    def action_cursor(self, step: int) -> None:
        chart = self._chart
        if chart is None or not chart.rows or self._cursor_row is None:
            return
        index = max(0, min(len(chart.rows) - 1, self._cursor_row + step))
        self._cursor_row, self._cursor_id = index, chart.rows[index].id
        self._generation += 1
        self._cache.clear()
        self.refresh()
        # keep the row in view (rows scroll under the month rows and above the footer)
        top = int(self.scroll_offset.y)
        shown = self.scrollable_content_region.height - HEADER_ROWS - len(self._top)
        shown -= len(self._footer) + 1
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif shown > 0 and index >= top + shown:
            self.scroll_to(y=index - shown + 1, animate=False)

    def _check_x(self, chart: Chart) -> int | None:
        """The check date's column, drawn down the rows of a tracked plan."""
        return self._marker_x(self.today) if chart.tracking is not None else None

    def _variance_text(self, row: Row) -> str:
        """``+3 d`` after a tracked phase whose forecast end moved (working days)."""
        if not row.variance:
            return ""
        return i18n.t(self.lang, "app_log.variance", n=row.variance)

    def column_of(self, day: dt.date) -> int:
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        region = self.scrollable_content_region
        width, height = region.width, region.height
        scroll_x, scroll_y = int(self.scroll_offset.x), int(self.scroll_offset.y)
        chart = self._chart
        rows = max(1, len(chart.rows)) if chart else 0
        footer = len(self._footer)
        top = len(self._top)
        header = top + HEADER_ROWS
        # The footer follows the last row when everything fits, else sits at the bottom.
        footer_top = header + rows + 1
        if footer_top + footer > height:
            footer_top = max(header, height - footer)
        if y >= footer_top:
            key: tuple[Any, ...] = ("footer", y - footer_top, width, self._generation)
        elif y < top:
            key = ("top", y, width, self._generation)
        elif y < header:
            key = ("header", y - top, scroll_x, width, self._generation)
        else:
            key = ("row", scroll_y + y - header, scroll_x, width, self._generation)
        strip = self._cache.get(key)
        if strip is None:
            if key[0] == "footer":
                strip = self._footer_line(key[1], width)
            elif key[0] == "top":
                strip = self._text_line(self._top, key[1], width)
            elif key[0] == "header":
                strip = self._header_line(key[1], scroll_x, width)
            else:
                strip = self._row_line(key[1], scroll_x, width)
            self._cache[key] = strip
        return strip

    def _blank_runs(
        self, chart: Chart, scroll_x: int, stop: int
    ) -> list[tuple[int, int, str, Style]]:
        key = (self._generation, scroll_x, stop)
        if self._blank_key != key:
            target_x = self._marker_x(self._target())
            check_x = self._check_x(chart)

            def cell(x: int, week: int) -> tuple[str, tuple[str, ...]]:
                bg = self._week_bg(chart, week)
                if x == check_x:
                    return "│", (*bg, "timeline--today")
                return ("┊", (*bg, "timeline--target")) if x == target_x else (" ", bg)

            special = {x for x in (target_x, check_x) if x is not None}
            self._blank = self._walk(chart, scroll_x, stop, cell, special)
            self._blank_key = key
        return self._blank

    def _marker_x(self, day: dt.date | None) -> int | None:
        if day is None:
            return None
        return self.column_of(day) - self._name_w

    def _header_line(self, y: int, scroll_x: int, width: int) -> Strip:
        chart = self._chart
        if chart is None:
            return Strip.blank(width, self._base_style)
        if y == 0:
            return self._months_line(chart, scroll_x, width)
        target_x = self._marker_x(self._target())
        end_x = self._marker_x(chart.schedule.end)
        today_x = self._marker_x(self.today)

        def cell(x: int, week: int) -> tuple[str, tuple[str, ...]]:
            bg = self._week_bg(chart, week)
            if x == target_x:
                return "◆", (*bg, "timeline--target")
            if x == end_x:
                return "▼", (*bg, "timeline--end")
            if x == today_x:
                return "●", (*bg, "timeline--today")
            state = chart.states[week] if week < len(chart.states) else 0
            return ("▒" if state == 2 else "╌" if state == 1 else "─"), ("timeline--ruler", *bg)

        runs = [(" " * self._name_w, self._base_style)]
        runs += self._grid_runs(chart, scroll_x, width, cell, (target_x, end_x, today_x))
        return self._strip(runs, width)

    def _months_line(self, chart: Chart, scroll_x: int, width: int) -> Strip:
        line = [" "] * self._grid_w
        for x, label in self._months:
            for i, ch in enumerate(label):
                if x + i < self._grid_w:
                    line[x + i] = ch
        visible = max(0, width - self._name_w)
        text = "".join(line[scroll_x : scroll_x + visible])
        style = self._style("timeline--month")
        # The years the grid spans sit in the name column, above the phase names.
        first = self._origin.year
        last = (self._origin + dt.timedelta(days=7 * chart.weeks * chart.per - 1)).year
        years = f"  {first}" if first == last else f"  {first}–{last}"
        return self._strip(
            [(years.ljust(self._name_w)[: self._name_w], style), (text, style)], width
        )

    def _row_line(self, row: int, scroll_x: int, width: int) -> Strip:
        chart = self._chart
        if chart is None:
            return Strip.blank(width, self._base_style)
        if not chart.rows:
            if row == 0:
                return self._strip([(self._t("no_phases"), self._style("timeline--legend"))], width)
            return Strip.blank(width, self._base_style)
        if row >= len(chart.rows):
            return Strip.blank(width, self._base_style)
        r = chart.rows[row]
        name_cls = "timeline--critical" if r.critical else "timeline--name"
        mark = "✓ " if r.done else "━ " if r.critical else "  "
        name_classes = (name_cls, "timeline--cursor") if row == self._cursor_row else (name_cls,)
        runs = self._name_cell(mark + r.name, self._styles_for(name_classes))
        if r.first is None or r.last is None:
            runs.append((self._t("unscheduled"), self._style("timeline--problem")))
            return self._strip(runs, width)
        target_x = self._marker_x(self._target())
        check_x = self._check_x(chart)
        bar_cls = "timeline--critical" if r.critical else "timeline--bar"
        overlay = self._overlay(chart, row, r.last)
        booked, first, last = r.booked, r.first, r.last
        actual, baseline = r.actual, r.baseline
        over_cls = "timeline--end" if row == chart.end_row else "timeline--variance"

        def cell(x: int, week: int) -> tuple[str, tuple[str, ...]]:
            bg = self._week_bg(chart, week)
            if week in actual:
                return "█", (*bg, "timeline--done")
            if week in booked:
                return "█", (*bg, bar_cls)
            if x in overlay:
                return overlay[x], (*bg, over_cls)
            if first <= week <= last:
                return "░", (*bg, "timeline--gap")
            if week in baseline:
                return "▁", (*bg, "timeline--baseline")
            if x == check_x:
                return "│", (*bg, "timeline--today")
            if x == target_x:
                return "┊", (*bg, "timeline--target")
            return " ", bg

        span = (min(first, *baseline), max(last, *baseline)) if baseline else (first, last)
        # A row's marker runs past the span: that one row is walked in full.
        runs += self._grid_runs(
            chart,
            scroll_x,
            width,
            cell,
            (target_x, check_x, *overlay),
            busy=None if overlay else span,
        )
        return self._strip(runs, width)

    def _overlay(self, chart: Chart, row: int, last: int) -> dict[int, str]:
        """The text after a row's bar, by grid x: the end marker on the row that ends the
        mission (with its variance), the variance on a tracked row that moved."""
        r = chart.rows[row]
        text = self._variance_text(r)
        if row == chart.end_row and chart.schedule.end is not None and self._end_marker:
            text = self._end_marker  # it carries the variance of the row that ends
        if not text:
            return {}
        start = (last + 1) * self._ww + 1
        return {start + i: ch for i, ch in enumerate(text)}

    def _footer_line(self, index: int, width: int) -> Strip:
        return self._text_line(self._footer, index, width)
