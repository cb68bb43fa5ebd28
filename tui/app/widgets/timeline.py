"""Timeline widget: the mission's phases as bars on the COO's week grid, with a days-a-week what-if.

Three modules: timeline_layout.py (pure: weeks, rows, marks, the fit to the width, the
texts around the grid), timeline_paint.py (the lines drawn as strips, the phase selected),
and this one (the widget: data, tracking, what-if, layout, keys).

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

The mission log (tracking.md)
    ``up``/``down`` select a phase (its name highlighted; kept by id across updates);
    ``l`` ``phase.log_day`` logs a day on it on the check date (``as_of``), ``d``
    ``phase.close`` asks the day it was done (the check date typed in), ``v``
    ``phase.deliver`` offers its deliverables to mark delivered. Each posts
    ``PlanEdited`` (messages.py): the main screen applies it as one undoable edit.
    A plan with a log as of ``as_of`` is tracked (``planner.tracking.track``): the bars
    are its forecast (the what-if applies to the forecast), drawn over the baseline.

Read-only state (for the app and tests)
    ``whatif_days``, ``days_per_week`` (shown), ``shown_end``, ``shown_meets_target``,
    ``fewest_days``, ``week_width``, ``weeks_per_cell``, ``today``, ``name_width``, ``column_of(day)`` (the cell of a day
    in the grid, from the widget's left edge, unscrolled), ``status_text``, ``legend_text``,
    ``selected_phase`` (an id), ``header_rows`` (lines above the phases' rows).

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
    - a tracked plan only: ``COO days used 9 / 60 contracted · 41 remaining`` (and ``over
      the contract by N`` when the forecast needs more days than contracted);
    - the years, then the month labels in the plan's language (``janv. févr.`` / ``Jan
      Feb``; three letters at one cell a week);
    - a week ruler: ``▒`` a week with no COO working day (leave, closure, holidays on all
      of the COO's days), ``╌`` a week with some of them off, ``◆`` the target date,
      ``▼`` the mission end, ``●`` the as-of date;
    - one row per phase, in plan order (scrolls): ``█`` weeks with booked days, ``░``
      weeks inside the phase's span with none, ``┊`` the target column, ``━`` before the
      name of a phase on the critical path (also drawn in the critical colour), ``◀ end
      DATE`` after the phase that ends the mission, ``— not scheduled`` for a phase the
      planner could not place; non-working weeks are shaded down every row. A tracked
      plan: the bars are the forecast, ``█`` in the done colour the weeks with days
      booked up to the check date (a done phase: its whole span, ``✓`` before its name),
      ``▁`` the baseline's weeks the forecast left, ``│`` the check date down the rows,
      ``+3 d`` after a bar whose forecast end moved (working days against the baseline);
    - the footer, right under the rows (or at the bottom when they scroll): end and
      target (met / missed, days early or late), one line per scheduling problem, the
      what-if line (fewest days a week that meet the target, keys), and the legend
      ``COO: 2 days/week (mon, tue) · leave 12–16 Apr · closure 2–20 Aug · no COO day ▒
      · 1 cell = 2 weeks · as of 2027-03-01 ● · critical path ━`` wrapped at its
      separators (a wrapped line does not end on ``·``); the cell size only when it is not
      one week, ``as of`` only when drawn, ``critical path`` only when a shown phase is;
      a tracked plan's end says ``(baseline DATE, +N working days)`` and the legend adds
      ``done █ · baseline ▁ · check date │``.

Component classes (for app.tcss): ``timeline--bar``, ``--critical``, ``--gap``, ``--off``,
``--partial``, ``--target``, ``--end``, ``--today``, ``--month``, ``--ruler``, ``--name``, ``--status``,
``--whatif``, ``--legend``, ``--problem``, ``--done``, ``--baseline``, ``--variance``,
``--cursor`` (all prefixed ``timeline``).
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
    MAX_WEEKS_PER_CELL,
    MONTHS,
    TEXT,
    TODAY_REACH,
    WEEKDAYS,
    Chart,
    Item,
    NonWorking,
    Texts,
    build_chart,
    fit,
    format_date,
    format_range,
    grid_horizon,
    grid_x,
    meets,
    merge_states,
    monday,
    plan_horizon,
    regrid,
    week_index,
    week_states,
    weeks_per_cell,
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
            return self._lang_arg
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
        return meets(chart.schedule, self._target()) if chart else None

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
        if (
            not self._origin
            <= self._as_of
            <= plan_horizon(self._plan, self._base_schedules()) + TODAY_REACH
        ):
            return None
        return self._as_of

    def column_of(self, day: dt.date) -> int:
        """Cell (from the widget's left edge, unscrolled) where ``day`` is drawn."""
        return self._name_w + grid_x(self._origin, self._per, self._ww, day)

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
        horizon = grid_horizon(plan, (schedule, shown), as_of)
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

    def _base_schedules(self) -> tuple[Schedule, ...]:
        return (self._base.schedule,) if self._base is not None else ()

    @property
    def _chart(self) -> Chart | None:
        return self._whatif or self._base

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
        horizon = grid_horizon(plan, (self._base.schedule, what_if), self._as_of)
        weeks = week_index(self._origin, horizon) + 1
        if horizon + dt.timedelta(weeks=MAX_WEEKS_PER_CELL) > self._nw_until:
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

    def _extend_non_working(self, horizon: dt.date) -> None:
        # A slower what-if may run past the plan's horizon: its leave and holidays too.
        from releve.planner.calendar import WorkCalendar

        assert self._plan is not None
        start = self._nw_until + dt.timedelta(days=1)
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
        per = weeks_per_cell(chart.n_weeks, region_w, self._week_width_arg)
        if per != self._per:
            self._regrid(per)
            chart = self._chart
            assert chart is not None
        marker = ""
        if chart.end_week is not None and chart.schedule.end is not None:
            marker = self._t("end_marker", date=format_date(chart.schedule.end, self.lang))
            if chart.end_row is not None:
                variance = self._variance_text(chart.rows[chart.end_row])
                marker = f"{variance} {marker}" if variance else marker
        fitted = fit(chart, region_w, self._week_width_arg, self._origin, self.lang, marker)
        self._name_w, self._ww, self._grid_w = fitted.name_w, fitted.ww, fitted.grid_w
        self._end_marker, self._months = fitted.end_marker, fitted.months
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

    def _regrid(self, per: int) -> None:
        """Rebuild the charts shown with ``per`` weeks a cell."""
        assert self._plan is not None and self._base is not None
        self._per = per
        args = (self._plan, self._origin, self._non_working, per)
        self._base = regrid(self._base, *args)
        self._whatif = None if self._whatif is None else regrid(self._whatif, *args)

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
