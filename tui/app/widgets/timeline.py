"""Timeline widget: the mission's phases as bars on the COO's week grid, with a days-a-week what-if.

Three modules: timeline_layout.py (pure: weeks, rows, marks, the footer's texts),
timeline_paint.py (the lines drawn as strips), and this one (the widget: data, what-if,
layout, keys).

Public API
==========

``Timeline(*, lang=None, week_width=None, name=None, id=None, classes=None)``
    A focusable Line-API widget (a ``ScrollView``: one line drawn per visible row, no
    widget per phase, so 1,000 phases scroll as fast as 10). ``lang`` is ``"en"`` or
    ``"fr"`` (``None``: the plan's ``[mission].language``). ``week_width`` is the number of
    cells per week (``None``: 1 to 4, as the width allows; past that the grid scrolls
    sideways while the names, month row and footer stay put).

``timeline.update(plan, schedule=None, *, non_working=None, lang=None, as_of=None) -> None``
    Show ``plan``. ``schedule`` defaults to ``planner.schedule.schedule_plan(plan)``;
    ``non_working`` (``(from, to, label, kind)`` tuples) defaults to
    ``planner.calendar.WorkCalendar.for_plan(plan).non_working_periods(start, end)``.
    Call it after each pipeline run (e.g. with ``check_result.plan,
    check_result.schedule``). A what-if being tried is kept when the plan is unchanged
    (by value) and dropped when it changed (e.g. once the app applied the accepted days).
    The grid spans the mission start to the last of the end, the target date and
    ``as_of`` (the check's date, marked ``●``; ignored when before the mission or more
    than 26 weeks past the plan). When that many weeks do not fit the width beside a
    10-cell name column, one cell stands for 2 to 4 weeks (the legend says so).
    Names get up to 24 cells (ellipsis past that) when the grid still fits beside them.

What-if keys (bindings with ids, remappable through the app's keymap)
    ``+`` ``timeline.more_days`` / ``-`` ``timeline.fewer_days``: try one more / one fewer
    COO day a week (1 to 5, the first N weekdays). The bars, the end, whether the target
    is met and the fewest days a week that meet it are shown; the plan is NOT touched.
    ``enter`` ``timeline.accept``: posts ``Timeline.WhatIfAccepted(days_per_week)``.
    ``escape`` ``timeline.reset``: back to the plan's own schedule. ``enter`` and
    ``escape`` only act during a what-if (otherwise they bubble up to the app).

Messages
    ``Timeline.WhatIfAccepted`` (handler ``on_timeline_what_if_accepted``):
    ``.days_per_week`` (int) and ``.timeline``. The widget keeps showing the what-if until
    an ``update()`` with a changed plan: the app turns the message into an undoable edit
    of ``[coo].workdays`` (the first N of mon…fri), reruns its pipeline and calls
    ``update`` with the edited plan.

Read-only state (for the app and tests)
    ``whatif_days``, ``days_per_week`` (shown), ``shown_end``, ``shown_meets_target``,
    ``fewest_days``, ``week_width``, ``weeks_per_cell``, ``today``, ``name_width``, ``column_of(day)`` (the cell of a day
    in the grid, from the widget's left edge, unscrolled), ``status_text``, ``legend_text``.

How F mounts it (tui/app/app.py)::

    from releve.tui.app.widgets.timeline import Timeline

    def compose(self):
        yield Timeline(id="timeline")

    def show_result(self, result):                    # after each pipeline run
        self.query_one(Timeline).update(result.plan, result.schedule)

    def on_timeline_what_if_accepted(self, msg: Timeline.WhatIfAccepted) -> None:
        # one undoable edit: [coo].workdays = the first N of mon…fri (WEEKDAYS[:N])
        self.apply_edit(with_workdays(self.plan, msg.days_per_week))

    (F's app does exactly this, and passes ``lang=`` and the pipeline's schedule.)

Lines drawn (top to bottom)
    - the years, then the month labels in the plan's language (``janv. févr.`` / ``Jan
      Feb``; three letters at one cell a week);
    - a week ruler: ``▒`` a week with no COO working day (leave, closure, holidays on all
      of the COO's days), ``╌`` a week with some of them off, ``◆`` the target date,
      ``▼`` the mission end, ``●`` the as-of date;
    - one row per phase, in plan order (scrolls): ``█`` weeks with booked days, ``░``
      weeks inside the phase's span with none, ``┊`` the target column, ``━`` before the
      name of a phase on the critical path (also drawn in the critical colour), ``◀ end
      DATE`` after the phase that ends the mission, ``— not scheduled`` for a phase the
      planner could not place; non-working weeks are shaded down every row;
    - the footer, right under the rows (or at the bottom when they scroll): end and
      target (met / missed, days early or late), one line per scheduling problem, the
      what-if line (fewest days a week that meet the target, keys), and the legend
      ``COO: 2 days/week (mon, tue) · leave 12–16 Apr · closure 2–20 Aug · no COO day ▒
      · 1 cell = 2 weeks · as of 2027-03-01 ● · critical path ━`` wrapped at its
      separators (a wrapped line does not end on ``·``); the cell size only when it is not
      one week, ``as of`` only when drawn, ``critical path`` only when a shown phase is.

Component classes (for app.tcss): ``timeline--bar``, ``--critical``, ``--gap``, ``--off``,
``--partial``, ``--target``, ``--end``, ``--today``, ``--month``, ``--ruler``, ``--name``, ``--status``,
``--whatif``, ``--legend``, ``--problem`` (all prefixed ``timeline``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message

from releve.planner.model import Plan
from releve.planner.schedule import Schedule
from releve.planner.tracking import Tracking
from releve.tui import i18n
from releve.tui.app import keys
from releve.tui.app.screens import phase_log
from releve.tui.app.widgets.timeline_layout import (
    DAY_NAMES,
    HEADER_ROWS,
    MAX_NAME_W,
    MAX_WEEKS_PER_CELL,
    MIN_NAME_W,
    MONTHS,
    MONTHS_SHORT,
    TEXT,
    TODAY_REACH,
    WEEKDAYS,
    Chart,
    Item,
    NonWorking,
    Texts,
    build_chart,
    format_date,
    format_range,
    meets,
    merge_states,
    monday,
    month_labels,
    week_index,
    week_states,
    wrap_footer,
)
from releve.tui.app.widgets.timeline_paint import TimelinePainter

__all__ = [
    "DAY_NAMES",
    "MONTHS",
    "NonWorking",
    "Timeline",
    "format_date",
    "format_range",
    "merge_states",
    "monday",
    "week_index",
    "week_states",
]


class Timeline(TimelinePainter, can_focus=True):
    """The phases of a mission as bars on the COO's weeks (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,+", "more_days", "+1 day/week", id="timeline.more_days"),
        Binding("minus,-", "fewer_days", "-1 day/week", id="timeline.fewer_days"),
        Binding("enter", "accept", "Keep days/week", id="timeline.accept"),
        Binding("escape", "reset", "Reset what-if", id="timeline.reset"),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
        *keys.bindings(keys.PHASE_KEYS),
    ]

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
    Timeline {
        height: 1fr;
        background: $surface;
    }
    Timeline > .timeline--month { color: $text; text-style: bold; }
    Timeline > .timeline--ruler { color: $text-muted; }
    Timeline > .timeline--name { color: $text; }
    Timeline > .timeline--bar { color: $primary; }
    Timeline > .timeline--critical { color: $error; text-style: bold; }
    Timeline > .timeline--gap { color: $text-muted; }
    Timeline > .timeline--off { background: $panel-lighten-1; color: $text-muted; }
    Timeline > .timeline--partial { background: $panel; }
    Timeline > .timeline--target { color: $warning; text-style: bold; }
    Timeline > .timeline--end { color: $success; text-style: bold; }
    Timeline > .timeline--today { color: $accent; text-style: bold; }
    Timeline > .timeline--status { color: $text; }
    Timeline > .timeline--whatif { color: $warning; text-style: bold; }
    Timeline > .timeline--legend { color: $text-muted; }
    Timeline > .timeline--problem { color: $error; text-style: bold; }
    Timeline > .timeline--done { color: $success; }
    Timeline > .timeline--baseline { color: $text-muted; }
    Timeline > .timeline--variance { color: $warning; }
    Timeline > .timeline--cursor { background: $accent 40%; }
    """

    class WhatIfAccepted(Message):
        """The user kept a what-if number of COO days a week (``enter``)."""

        def __init__(self, timeline: Timeline, days_per_week: int) -> None:
            super().__init__()
            self.timeline = timeline
            self.days_per_week = days_per_week

        @property
        def control(self) -> Timeline:
            return self.timeline

    def __init__(
        self,
        *,
        lang: str | None = None,
        week_width: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._lang_arg = lang
        self._week_width_arg = week_width
        self._plan: Plan | None = None
        self._plan_dump: dict[str, object] | None = None
        self._non_working: tuple[NonWorking, ...] = ()
        self._as_of: dt.date | None = None
        self._tracking: Tracking | None = None
        self._cursor_id: str | None = None  # the phase selected, kept across updates
        self._nw_until = self._origin
        self._per = 1
        self._base: Chart | None = None
        self._whatif: Chart | None = None
        self._whatif_days: int | None = None
        self._fewest: int | None = None
        self._fewest_known = False

    # -- public state ----------------------------------------------------------------

    @property
    def lang(self) -> str:
        if self._lang_arg in TEXT:
            return self._lang_arg  # type: ignore[return-value]
        if self._plan is not None and self._plan.mission.language.value in TEXT:
            return self._plan.mission.language.value
        return "en"

    @lang.setter
    def lang(self, value: str | None) -> None:
        self._lang_arg = value
        self._changed()

    @property
    def whatif_days(self) -> int | None:
        """The days a week being tried, or None when the plan's own schedule is shown."""
        return self._whatif_days

    @property
    def days_per_week(self) -> int | None:
        chart = self._chart
        return chart.days_per_week if chart else None

    @property
    def shown_end(self) -> dt.date | None:
        chart = self._chart
        return chart.schedule.end if chart else None

    @property
    def shown_meets_target(self) -> bool | None:
        chart = self._chart
        return self._meets(chart.schedule) if chart else None

    @property
    def fewest_days(self) -> int | None:
        """Fewest COO days a week that meet the target (computed at the first what-if)."""
        return self._fewest

    @property
    def week_width(self) -> int:
        return self._ww

    @property
    def name_width(self) -> int:
        return self._name_w

    @property
    def weeks_per_cell(self) -> int:
        """Weeks drawn in one grid cell: 1, or more when a long mission would not fit
        the width at one cell a week (then the legend says so)."""
        return self._per

    @property
    def today(self) -> dt.date | None:
        """The as-of date marked ``●`` on the week ruler (None: not given, or too far
        from the plan to stretch the grid for it)."""
        if self._as_of is None or self._plan is None or self._base is None:
            return None
        if not self._origin <= self._as_of <= self._plan_horizon() + TODAY_REACH:
            return None
        return self._as_of

    def column_of(self, day: dt.date) -> int:
        """Cell (from the widget's left edge, unscrolled) where ``day`` is drawn."""
        w = week_index(self._origin, day)
        per, ww = self._per, self._ww
        offset = min(ww - 1, ((w % per) * 5 + day.weekday()) * ww // (5 * per))
        return self._name_w + (w // per) * ww + offset

    @property
    def status_text(self) -> str:
        """The status lines under the grid (end, target, what-if, keys), one per line."""
        groups = self._groups()[:-1]  # all but the legend
        return "\n".join(
            " · ".join("".join(text for text, _ in item) for item in items) for items in groups
        )

    @property
    def legend_text(self) -> str:
        """The legend on one line (drawn wrapped at `·` to the widget's width)."""
        return " · ".join(self._legend_parts())

    # -- data -------------------------------------------------------------------------

    def update(
        self,
        plan: Plan,
        schedule: Schedule | None = None,
        *,
        non_working: Iterable[NonWorking] | None = None,
        lang: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        """Show ``plan`` with ``schedule``. A what-if being tried survives an update with an
        unchanged plan (a rerun of the pipeline) and is dropped when the plan changed.
        ``as_of`` (the check's date) is marked ``●`` on the week ruler, the grid stretched
        to it, unless it is before the mission or more than 26 weeks past the plan."""
        if schedule is None:
            from releve.planner.schedule import schedule_plan

            schedule = schedule_plan(plan)
        if lang is not None:
            self._lang_arg = lang
        dump = plan.model_dump()  # by value: an app may edit the same object in place
        keep = self._whatif_days if dump == self._plan_dump else None
        self._plan = plan
        self._plan_dump = dump
        self._as_of = as_of
        self._tracking = _tracked(plan, as_of, schedule)
        shown = self._tracking.forecast if self._tracking is not None else schedule
        starts = [s.start for s in shown.phases.values()]
        self._origin = monday(min(plan.mission.start, schedule.start, *starts))
        self._base = None
        horizon = self._horizon(schedule, shown)
        # a few weeks more: the last cell of a grid of several weeks a cell
        reach = horizon + dt.timedelta(weeks=MAX_WEEKS_PER_CELL)
        self._nw_until = reach
        if non_working is None:
            from releve.planner.calendar import WorkCalendar

            non_working = WorkCalendar.for_plan(plan).non_working_periods(self._origin, reach)
        self._non_working = tuple(non_working)
        workdays = tuple(sorted(d.index for d in (plan.coo.workdays if plan.coo else WEEKDAYS)))
        weeks = week_index(self._origin, horizon) + 1
        self._base = build_chart(
            plan,
            shown,
            self._origin,
            weeks,
            workdays,
            self._non_working,
            self._per,
            self._tracking,
        )
        self._whatif = None
        self._whatif_days = None
        self._fewest = None
        self._fewest_known = False
        if keep is not None:
            self._try_days(keep)
        else:
            self._changed()

    def _plan_horizon(self, *schedules: Schedule) -> dt.date:
        """The last of the mission start, the schedules' ends and the target date."""
        assert self._plan is not None
        days = [self._plan.mission.start]
        if self._base is not None:
            schedules = (self._base.schedule, *schedules)
        for s in schedules:
            days += [d for d in (s.start, s.end, s.target_date) if d is not None]
        if self._plan.exit and self._plan.exit.target_date:
            days.append(self._plan.exit.target_date)
        return max(days)

    def _horizon(self, *schedules: Schedule) -> dt.date:
        """The last day the grid must show: the plan's horizon, or the as-of date when it
        is later but near enough (``TODAY_REACH``), plus a week for the markers."""
        last = self._plan_horizon(*schedules)
        if self._as_of is not None and last < self._as_of <= last + TODAY_REACH:
            last = self._as_of
        return last + dt.timedelta(days=7)

    @property
    def _chart(self) -> Chart | None:
        return self._whatif or self._base

    def _meets(self, schedule: Schedule) -> bool | None:
        return meets(schedule, self._target())

    def _target(self) -> dt.date | None:
        if self._base and self._base.schedule.target_date:
            return self._base.schedule.target_date
        if self._plan and self._plan.exit:
            return self._plan.exit.target_date
        return None

    # -- what-if ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "reset"):
            return self._whatif_days is not None
        if action in ("more_days", "fewer_days", "log_day", "close_phase", "deliver"):
            return self._plan is not None and bool(self._plan.phase)
        return True

    def _try_days(self, n: int) -> None:
        assert self._plan is not None and self._base is not None
        from releve.planner import schedule as planner_schedule

        n = max(1, min(5, n))
        plan = self._plan
        tracking = self._tracking
        if tracking is not None:  # the what-if applies to the forecast (tracking.md)
            from releve.planner.tracking import track

            tracking = track(plan, tracking.as_of, days_per_week=n, baseline=tracking.baseline)
            what_if = tracking.forecast
        else:
            what_if = planner_schedule.schedule_plan(plan, days_per_week=n)
        if not self._fewest_known and self._target() is not None:
            self._fewest = planner_schedule.fewest_days_per_week(plan)
            self._fewest_known = True
        horizon = self._horizon(self._base.schedule, what_if)
        weeks = week_index(self._origin, horizon) + 1
        if horizon + dt.timedelta(weeks=MAX_WEEKS_PER_CELL) > self._non_working_horizon():
            self._extend_non_working(horizon)
        self._whatif = build_chart(
            plan,
            what_if,
            self._origin,
            weeks,
            tuple(d.index for d in WEEKDAYS[:n]),
            self._non_working,
            self._per,
            tracking,
        )
        self._whatif_days = n
        self._changed()

    def _non_working_horizon(self) -> dt.date:
        """The last day ``self._non_working`` was read up to."""
        return self._nw_until

    def _extend_non_working(self, horizon: dt.date) -> None:
        # A slower what-if may run past the plan's horizon: its leave and holidays too.
        from releve.planner.calendar import WorkCalendar

        assert self._plan is not None
        start = self._non_working_horizon() + dt.timedelta(days=1)
        reach = horizon + dt.timedelta(weeks=MAX_WEEKS_PER_CELL)
        extra = WorkCalendar.for_plan(self._plan).non_working_periods(start, reach)
        self._non_working = self._non_working + tuple(extra)
        self._nw_until = reach

    def _current_days(self) -> int:
        if self._whatif_days is not None:
            return self._whatif_days
        assert self._base is not None
        return min(5, max(1, self._base.days_per_week))

    def action_more_days(self) -> None:
        self._try_days(self._current_days() + 1)

    def action_fewer_days(self) -> None:
        self._try_days(self._current_days() - 1)

    def action_accept(self) -> None:
        if self._whatif_days is not None:
            self.post_message(self.WhatIfAccepted(self, self._whatif_days))

    def action_reset(self) -> None:
        self._whatif = None
        self._whatif_days = None
        self._changed()

    # -- layout -----------------------------------------------------------------------

    def _changed(self) -> None:
        self._generation += 1
        self._cache.clear()
        self._relayout()
        self.refresh()
        # enter/escape are shown only during a what-if (check_action): tell the footer now,
        # not at whatever event happens next.
        self.refresh_bindings()

    def on_resize(self) -> None:
        self._relayout()
        self._generation += 1
        self._cache.clear()

    def _relayout(self) -> None:
        chart = self._chart
        if chart is None:
            self.virtual_size = Size(0, 0)
            return
        region_w = self.scrollable_content_region.width
        per = self._weeks_per_cell(chart, region_w)
        if per != self._per:
            self._regrid(per)
            chart = self._chart
            assert chart is not None
        longest = max((len(r.name) for r in chart.rows), default=8)
        weeks = chart.weeks
        # Names get what they need (up to MAX_NAME_W) as long as every cell of the grid
        # still fits beside them; the weeks share the rest, 1 to 4 cells each. When the
        # grid scrolls anyway, names keep at most a quarter of the width.
        want = min(MAX_NAME_W, longest + 3)
        grid_min = weeks * max(1, self._week_width_arg or 1)
        if not region_w:
            self._name_w = want
        elif region_w - grid_min >= MIN_NAME_W:
            self._name_w = max(MIN_NAME_W, min(want, region_w - grid_min))
        else:
            self._name_w = max(MIN_NAME_W, min(want, region_w // 4))
        if self._week_width_arg:
            self._ww = max(1, self._week_width_arg)
        else:
            avail = region_w - self._name_w
            self._ww = max(1, min(4, avail // max(1, weeks)))
        self._grid_w = weeks * self._ww
        # When the weeks fit the view, the end marker and the last month label must fit
        # too (shortened rather than adding a scrollbar for a few cells of text).
        visible = region_w - self._name_w if region_w else None
        room = None if visible is None or self._grid_w > visible else visible
        self._end_marker = ""
        if chart.end_week is not None and chart.schedule.end is not None:
            marker = self._t("end_marker", date=format_date(chart.schedule.end, self.lang))
            if chart.end_row is not None:
                variance = self._variance_text(chart.rows[chart.end_row])
                marker = f"{variance} {marker}" if variance else marker
            start = (chart.end_week + 1) * self._ww + 1
            if room is not None and start + len(marker) + 1 > room:
                marker = "◀" if start + 2 <= room else ""
            self._end_marker = marker
            if marker:
                self._grid_w = max(self._grid_w, start + len(marker) + 1)
        months = MONTHS_SHORT[self.lang] if self._ww == 1 else MONTHS[self.lang]
        self._months = month_labels(
            self._origin,
            chart.weeks * self._ww,
            lambda day: self.column_of(day) - self._name_w,
            months,
        )
        if self._months:
            x, label = self._months[-1]
            if room is not None and x + len(label) > room:
                label = label[: room - x]
                self._months[-1] = (x, label) if len(label) >= 3 else (x, "")
            self._grid_w = max(self._grid_w, x + len(self._months[-1][1]))
        line_w = max(20, self.scrollable_content_region.width)
        self._footer = wrap_footer(self._groups(), line_w)
        texts = self._texts()
        usage = texts.usage_items() if texts is not None else []
        self._top = wrap_footer([usage], line_w) if usage else []
        self._sync_cursor(chart)
        width = self._name_w + self._grid_w
        height = HEADER_ROWS + len(self._top) + max(1, len(chart.rows)) + len(self._footer)
        self.virtual_size = Size(width, height)

    # -- the phase selected, and the mission log's keys on it --------------------------

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

    def _phase_action(self, act: Callable[..., None]) -> None:
        plan, phase = self._plan, self.selected_phase
        if plan is None or phase is None:
            self.notify(i18n.t(self.lang, "app_log.no_phase"), timeout=3)
            return
        day = self._as_of or plan.mission.start
        act(self, plan, phase, day, self.lang)

    def action_log_day(self) -> None:
        self._phase_action(phase_log.log_day)

    def action_close_phase(self) -> None:
        self._phase_action(phase_log.close_phase)

    def action_deliver(self) -> None:
        self._phase_action(phase_log.deliver)

    def _weeks_per_cell(self, chart: Chart, region_w: int) -> int:
        """1, or the fewest weeks a cell that fit the whole grid beside the shortest name
        column (at most MAX_WEEKS_PER_CELL; a fixed ``week_width`` always means 1)."""
        avail = region_w - MIN_NAME_W
        if self._week_width_arg or avail <= 0 or chart.n_weeks <= avail:
            return 1
        return min(MAX_WEEKS_PER_CELL, -(-chart.n_weeks // avail))

    def _regrid(self, per: int) -> None:
        """Rebuild the charts shown with ``per`` weeks a cell."""
        assert self._plan is not None and self._base is not None
        self._per = per
        old = (self._base, self._whatif)
        self._base, self._whatif = (
            None
            if c is None
            else build_chart(
                self._plan,
                c.schedule,
                self._origin,
                c.n_weeks,
                c.workdays,
                self._non_working,
                per,
                c.tracking,
            )
            for c in old
        )

    # -- text parts ---------------------------------------------------------------------

    def _t(self, key: str, **kw: object) -> str:
        return TEXT[self.lang][key].format(**kw)

    def _texts(self) -> Texts | None:
        chart = self._chart
        if chart is None or self._plan is None or self._base is None:
            return None
        return Texts(
            lang=self.lang,
            plan=self._plan,
            chart=chart,
            base=self._base,
            target=self._target(),
            whatif_days=self._whatif_days,
            fewest_known=self._fewest_known,
            fewest=self._fewest,
            per=self._per,
            today=self.today,
        )

    def _groups(self) -> list[list[Item]]:
        texts = self._texts()
        return texts.groups() if texts is not None else []

    def _legend_parts(self) -> list[str]:
        texts = self._texts()
        return texts.legend_parts() if texts is not None else []


def _tracked(plan: Plan, as_of: dt.date | None, schedule: Schedule) -> Tracking | None:
    """The plan's tracking as of the check date when it has a log (else None: the
    baseline is all there is to draw)."""
    if as_of is None or not (plan.booking or any(p.done_on for p in plan.phase)):
        return None
    from releve.planner.tracking import track

    tracking = track(plan, as_of, baseline=schedule)
    return tracking if tracking.tracked else None
