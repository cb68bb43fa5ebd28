"""Timeline widget: the mission's phases as bars on the COO's week grid, with a days-a-week what-if.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from releve.planner.model import Plan, Weekday
from releve.planner.schedule import Schedule
from releve.tui import i18n

WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)[:5]  # what-if days: the first N from Monday

# The words of the timeline, from the string catalog (releve.tui.i18n).
MONTHS = {
    lang: tuple(i18n.text(lang, f"month_short.{m}") for m in range(1, 13)) for lang in i18n.LANGS
}
# One cell a week leaves four or five cells a month: three-letter labels.
MONTHS_SHORT = {
    lang: tuple(i18n.text(lang, f"month_3.{m}") for m in range(1, 13)) for lang in i18n.LANGS
}
DAY_NAMES = {
    lang: tuple(i18n.text(lang, f"weekday_short.{d.value}") for d in Weekday) for lang in i18n.LANGS
}
TEXT = {lang: i18n.table(lang, "timeline") for lang in i18n.LANGS}

HEADER_ROWS = 2
MIN_NAME_W = 10
MAX_NAME_W = 24
MAX_WEEKS_PER_CELL = 4  # past that (a grid of years) the grid scrolls sideways
TODAY_REACH = dt.timedelta(weeks=26)  # an as-of date further past the plan is not drawn

NonWorking = tuple[dt.date, dt.date, str, str]  # (from, to, label, kind), both bounds included


# --- pure helpers ------------------------------------------------------------------------


def monday(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_index(origin: dt.date, day: dt.date) -> int:
    """Index of ``day``'s week in a grid whose first week starts on Monday ``origin``."""
    return (monday(day) - origin).days // 7


def format_date(day: dt.date, lang: str) -> str:
    return day.isoformat()


def format_range(start: dt.date, end: dt.date, lang: str) -> str:
    """A short period: ``12–16 Apr``, ``28 Jul–3 Aug`` (``12–16 avr.`` in French)."""
    months = MONTHS[lang]
    if start == end:
        return f"{start.day} {months[start.month - 1]}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {months[end.month - 1]}"
    if start.year == end.year:
        return f"{start.day} {months[start.month - 1]}–{end.day} {months[end.month - 1]}"
    return (
        f"{start.day} {months[start.month - 1]} {start.year}–"
        f"{end.day} {months[end.month - 1]} {end.year}"
    )


def week_states(
    origin: dt.date, weeks: int, workdays: Iterable[int], non_working: Iterable[NonWorking]
) -> list[int]:
    """For each week of the grid: 0 the COO works all their days, 1 some, 2 none.

    ``workdays`` are weekday indexes (Monday 0); a week is judged on those days only.
    """
    wd = sorted(set(workdays))
    last = origin + dt.timedelta(days=7 * weeks - 1)
    off: set[dt.date] = set()
    for start, end, *_ in non_working:
        day, stop = max(start, origin), min(end, last)
        while day <= stop:
            off.add(day)
            day += dt.timedelta(days=1)
    states = []
    for w in range(weeks):
        base = origin + dt.timedelta(days=7 * w)
        n_off = sum(1 for d in wd if base + dt.timedelta(days=d) in off)
        if not wd or n_off == len(wd):
            states.append(2)
        else:
            states.append(1 if n_off else 0)
    return states


def merge_states(states: Sequence[int], per: int) -> list[int]:
    """Week states (``week_states``) grouped ``per`` weeks a cell: 2 when the COO has no
    day in any of them, 0 when they work all their days in all of them, else 1."""
    out = []
    for i in range(0, len(states), per):
        group = states[i : i + per]
        out.append(2 if all(st == 2 for st in group) else 0 if not any(group) else 1)
    return out


@dataclass(frozen=True)
class _Row:
    id: str
    name: str
    critical: bool
    booked: frozenset[int]  # cell indexes with booked days
    first: int | None  # first / last cell of the phase's span (None: unscheduled)
    last: int | None


@dataclass(frozen=True)
class _Chart:
    """Everything one schedule needs on the grid (the plan's, or a what-if's)."""

    schedule: Schedule
    days_per_week: int
    workdays: tuple[int, ...]
    rows: tuple[_Row, ...]
    weeks: int  # cells of the grid (each ``per`` weeks)
    states: tuple[int, ...]  # per cell
    end_week: int | None  # the cell of the end
    end_row: int | None  # the row that carries the "◀ end" marker
    bg: tuple[tuple[str, ...], ...] = ()  # each cell's shading class (from ``states``)
    per: int = 1  # weeks a cell
    n_weeks: int = 0  # weeks the grid spans (``weeks`` × ``per``, rounded up)


def _build_chart(
    plan: Plan,
    schedule: Schedule,
    origin: dt.date,
    weeks: int,
    workdays: tuple[int, ...],
    non_working: Sequence[NonWorking],
    per: int = 1,
) -> _Chart:
    """The chart of ``schedule`` on a grid of ``weeks`` weeks from ``origin``, ``per``
    weeks a cell."""
    rows = []
    end_row = None

    # origin is a Monday: a day's cell is its distance in days over 7 × per (no
    # monday() per day: a thousand phases book tens of thousands of days)
    o, span = origin.toordinal(), 7 * per

    def cell(day: dt.date) -> int:
        return (day.toordinal() - o) // span

    for i, phase in enumerate(plan.phase):
        slot = schedule.phases.get(phase.id)
        name = phase.name or phase.id
        if slot is None:
            rows.append(_Row(phase.id, name, False, frozenset(), None, None))
            continue
        booked = frozenset([(d.toordinal() - o) // span for d in slot.days])
        if not booked:  # a milestone books no day: show it in its week
            booked = frozenset({cell(slot.start)})
        rows.append(_Row(phase.id, name, slot.critical, booked, cell(slot.start), cell(slot.end)))
        if schedule.end is not None and slot.end == schedule.end:
            end_row = i
    end_week = cell(schedule.end) if schedule.end else None
    cells = -(-weeks // per)
    states = merge_states(week_states(origin, cells * per, workdays, non_working), per)
    shading = {2: ("timeline--off",), 1: ("timeline--partial",), 0: ()}
    return _Chart(
        schedule,
        len(workdays),
        workdays,
        tuple(rows),
        cells,
        tuple(states),
        end_week,
        end_row,
        tuple(shading[st] for st in states),
        per,
        weeks,
    )


def _clip(
    runs: list[tuple[int, int, str, Style]], x0: int, x1: int
) -> list[tuple[int, int, str, Style]]:
    """The part of (x0, x1, text, style) runs that lies in [x0, x1)."""
    out = []
    for a, b, text, style in runs:
        if b <= x0 or a >= x1:
            continue
        lo, hi = max(a, x0), min(b, x1)
        out.append((lo, hi, text[lo - a : hi - a], style))
    return out


# --- the widget -----------------------------------------------------------------------------


class Timeline(ScrollView, can_focus=True):
    """The phases of a mission as bars on the COO's weeks (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,+", "more_days", "+1 day/week", id="timeline.more_days"),
        Binding("minus,-", "fewer_days", "-1 day/week", id="timeline.fewer_days"),
        Binding("enter", "accept", "Keep days/week", id="timeline.accept"),
        Binding("escape", "reset", "Reset what-if", id="timeline.reset"),
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
        self._plan_dump: dict | None = None
        self._non_working: tuple[NonWorking, ...] = ()
        self._origin = dt.date(2000, 1, 3)
        self._as_of: dt.date | None = None
        self._nw_until = self._origin
        self._per = 1
        self._base: _Chart | None = None
        self._whatif: _Chart | None = None
        self._whatif_days: int | None = None
        self._fewest: int | None = None
        self._fewest_known = False
        self._ww = 2
        self._name_w = 12
        self._grid_w = 0
        self._end_marker = ""
        self._months: list[tuple[int, str]] = []
        self._footer: list[list[tuple[str, str]]] = []
        self._generation = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._style_cache: dict[tuple[str, ...], Style] = {}
        self._base_style_cache: Style | None = None
        self._blank_key: tuple | None = None
        self._blank: list[tuple[int, int, str, Style]] = []

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
        self._origin = monday(min(plan.mission.start, schedule.start))
        self._base = None
        horizon = self._horizon(schedule)
        # a few weeks more: the last cell of a grid of several weeks a cell
        reach = horizon + dt.timedelta(weeks=MAX_WEEKS_PER_CELL)
        self._nw_until = reach
        if non_working is None:
            from releve.planner.calendar import WorkCalendar

            non_working = WorkCalendar.for_plan(plan).non_working_periods(self._origin, reach)
        self._non_working = tuple(non_working)
        workdays = tuple(sorted(d.index for d in (plan.coo.workdays if plan.coo else WEEKDAYS)))
        weeks = week_index(self._origin, horizon) + 1
        self._base = _build_chart(
            plan, schedule, self._origin, weeks, workdays, self._non_working, self._per
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
    def _chart(self) -> _Chart | None:
        return self._whatif or self._base

    def _meets(self, schedule: Schedule) -> bool | None:
        target = self._target()
        if target is None:
            return None
        if schedule.end is None or schedule.problems:
            return False  # phases left unscheduled: the plan cannot meet anything as written
        return schedule.end <= target

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
        if action in ("more_days", "fewer_days"):
            return self._plan is not None and bool(self._plan.phase)
        return True

    def _try_days(self, n: int) -> None:
        assert self._plan is not None and self._base is not None
        from releve.planner import schedule as planner_schedule

        n = max(1, min(5, n))
        plan = self._plan
        what_if = planner_schedule.schedule_plan(plan, days_per_week=n)
        if not self._fewest_known and self._target() is not None:
            self._fewest = planner_schedule.fewest_days_per_week(plan)
            self._fewest_known = True
        horizon = self._horizon(self._base.schedule, what_if)
        weeks = week_index(self._origin, horizon) + 1
        if horizon + dt.timedelta(weeks=MAX_WEEKS_PER_CELL) > self._non_working_horizon():
            self._extend_non_working(horizon)
        self._whatif = _build_chart(
            plan,
            what_if,
            self._origin,
            weeks,
            tuple(d.index for d in WEEKDAYS[:n]),
            self._non_working,
            self._per,
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
            start = (chart.end_week + 1) * self._ww + 1
            if room is not None and start + len(marker) + 1 > room:
                marker = "◀" if start + 2 <= room else ""
            self._end_marker = marker
            if marker:
                self._grid_w = max(self._grid_w, start + len(marker) + 1)
        self._months = self._month_labels(chart)
        if self._months:
            x, label = self._months[-1]
            if room is not None and x + len(label) > room:
                label = label[: room - x]
                self._months[-1] = (x, label) if len(label) >= 3 else (x, "")
            self._grid_w = max(self._grid_w, x + len(self._months[-1][1]))
        self._footer = self._footer_lines(max(20, self.scrollable_content_region.width))
        width = self._name_w + self._grid_w
        height = HEADER_ROWS + max(1, len(chart.rows)) + len(self._footer)
        self.virtual_size = Size(width, height)

    def _weeks_per_cell(self, chart: _Chart, region_w: int) -> int:
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
            else _build_chart(
                self._plan, c.schedule, self._origin, c.n_weeks, c.workdays, self._non_working, per
            )
            for c in old
        )

    # -- text parts ---------------------------------------------------------------------

    def _t(self, key: str, **kw: object) -> str:
        return TEXT[self.lang][key].format(**kw)

    def _coo_text(self, chart: _Chart) -> str:
        names = DAY_NAMES[self.lang]
        days = ", ".join(names[d] for d in chart.workdays)
        n = len(chart.workdays)
        return self._t("coo1", days=days) if n == 1 else self._t("coo", n=n, days=days)

    def _legend_parts(self) -> list[str]:
        chart = self._chart
        if chart is None or self._plan is None:
            return []
        lang = self.lang
        parts = [self._coo_text(chart)]
        if self._plan.coo:
            parts += [
                self._t("leave", range=format_range(p.from_, p.to, lang))
                for p in self._plan.coo.leave
            ]
        if self._plan.company:
            parts += [
                self._t("closure", range=format_range(p.from_, p.to, lang))
                for p in self._plan.company.closures
            ]
        parts.append(self._t("off"))
        if self._per > 1:
            parts.append(self._t("per_cell", n=self._per))
        today = self.today
        if today is not None:
            parts.append(self._t("today", date=format_date(today, lang)))
        if any(r.critical for r in chart.rows):
            parts.append(self._t("critical"))
        return parts

    def _delta_text(self, end: dt.date, target: dt.date) -> str:
        days = (target - end).days
        if days > 0:
            return self._t("early", n=days)
        if days < 0:
            return self._t("late", n=-days)
        return self._t("on_time")

    def _status_items(self) -> list[list[tuple[str, str]]]:
        """The status line's items (each a list of (text, class) runs): end, target."""
        chart = self._chart
        if chart is None or self._base is None or not chart.rows:
            return []
        sched = chart.schedule
        target = self._target()
        end: list[tuple[str, str]] = []
        if self._whatif_days is not None:
            n = self._whatif_days
            key = "whatif1" if n == 1 else "whatif"
            end.append((self._t(key, n=n) + " ", "timeline--whatif"))
        if sched.end is None:
            end.append((self._t("no_end"), "timeline--problem"))
        else:
            end.append((self._t("end", date=format_date(sched.end, self.lang)), "timeline--end"))
            base_end = self._base.schedule.end
            if self._whatif_days is not None and base_end is not None and base_end != sched.end:
                end.append(
                    (
                        f" ({self._t('was', date=format_date(base_end, self.lang))})",
                        "timeline--status",
                    )
                )
        items = [end]
        if target is not None:
            meets = self._meets(sched)
            cls = "timeline--end" if meets else "timeline--problem"
            if sched.problems:
                verdict = f"✗ {self._t('no_end')}"
            else:
                verdict = self._t("met") if meets else self._t("missed")
                if sched.end is not None:
                    verdict += f" ({self._delta_text(sched.end, target)})"
            items.append(
                [
                    (
                        f"◆ {self._t('target', date=format_date(target, self.lang))} ",
                        "timeline--target",
                    ),
                    (verdict, cls),
                ]
            )
        return items

    def _problem_items(self) -> list[list[list[tuple[str, str]]]]:
        chart = self._chart
        if chart is None:
            return []
        return [[[("⚠ " + p.message, "timeline--problem")]] for p in chart.schedule.problems]

    def _hint_items(self) -> list[list[tuple[str, str]]]:
        """The what-if line's items: the fewest days that meet the target, the keys."""
        if self._chart is None or not self._chart.rows:
            return []
        if self._whatif_days is None:
            return [[(self._t("keys"), "timeline--legend")]]
        items: list[list[tuple[str, str]]] = []
        if self._fewest_known:
            fewest = (
                self._t("fewest", n=self._fewest)
                if self._fewest is not None
                else self._t("fewest_none")
            )
            items.append([(fewest, "timeline--whatif")])
        items.append([(self._t("whatif_keys"), "timeline--legend")])
        return items

    def _groups(self) -> list[list[list[tuple[str, str]]]]:
        """Footer groups, each a list of items joined by ` · ` and wrapped together."""
        groups = [
            self._status_items(),
            *self._problem_items(),
            self._hint_items(),
            [[(part, "timeline--legend")] for part in self._legend_parts()],
        ]
        return [g for g in groups if g]

    def _footer_lines(self, width: int) -> list[list[tuple[str, str]]]:
        lines: list[list[tuple[str, str]]] = []
        for items in self._groups():
            line: list[tuple[str, str]] = []
            used = 0
            for item in items:
                size = sum(len(text) for text, _ in item)
                if line and used + 3 + size > width:  # wrap between items, never inside
                    lines.append(line)
                    line, used = [], 0
                if line:
                    line.append((" · ", "timeline--legend"))
                    used += 3
                if used + size > width:
                    # An item wider than the line breaks between its runs.
                    for text, cls in item:
                        if line and used + len(text) > width:
                            lines.append(line)
                            line, used = [], 0
                            text = text.lstrip()
                        line.append((text, cls))
                        used += len(text)
                    continue
                line += item
                used += size
            lines.append(line)
        return lines

    # -- drawing ----------------------------------------------------------------------

    def _style(self, *names: str) -> Style:
        """The widget's style with these component classes over it (cached)."""
        return self._styles_for(names)

    def render_line(self, y: int) -> Strip:
        region = self.scrollable_content_region
        width, height = region.width, region.height
        scroll_x, scroll_y = int(self.scroll_offset.x), int(self.scroll_offset.y)
        chart = self._chart
        rows = max(1, len(chart.rows)) if chart else 0
        footer = len(self._footer)
        # The footer follows the last row when everything fits, else sits at the bottom.
        footer_top = HEADER_ROWS + rows + 1
        if footer_top + footer > height:
            footer_top = max(HEADER_ROWS, height - footer)
        if y >= footer_top:
            key: tuple = ("footer", y - footer_top, width, self._generation)
        elif y < HEADER_ROWS:
            key = ("header", y, scroll_x, width, self._generation)
        else:
            key = ("row", scroll_y + y - HEADER_ROWS, scroll_x, width, self._generation)
        strip = self._cache.get(key)
        if strip is None:
            if key[0] == "footer":
                strip = self._footer_line(key[1], width)
            elif key[0] == "header":
                strip = self._header_line(y, scroll_x, width)
            else:
                strip = self._row_line(key[1], scroll_x, width)
            self._cache[key] = strip
        return strip

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
        chart: _Chart,
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
            out = _clip(blank, x, bx0)
            out += self._walk(chart, bx0, bx1, cell, special)
            out += _clip(blank, bx1, stop)
            return [(text, style) for _, _, text, style in out]
        return [(text, style) for _, _, text, style in self._walk(chart, x, stop, cell, special)]

    def _walk(
        self,
        chart: _Chart,
        x: int,
        stop: int,
        cell: Callable[[int, int], tuple[str, tuple[str, ...]]],
        special: set[int],
    ) -> list[tuple[int, int, str, Style]]:
        """(x0, x1, text, style) runs of the grid from x to stop."""
        ww = self._ww
        special_weeks = {sx // ww for sx in special}
        merged: list[list] = []  # [x0, x1, text, classes]

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

    def _blank_runs(
        self, chart: _Chart, scroll_x: int, stop: int
    ) -> list[tuple[int, int, str, Style]]:
        key = (self._generation, scroll_x, stop)
        if self._blank_key != key:
            target_x = self._marker_x(self._target())

            def cell(x: int, week: int) -> tuple[str, tuple[str, ...]]:
                bg = self._week_bg(chart, week)
                return ("┊", (*bg, "timeline--target")) if x == target_x else (" ", bg)

            special = {target_x} if target_x is not None else set()
            self._blank = self._walk(chart, scroll_x, stop, cell, special)
            self._blank_key = key
        return self._blank

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

    def _week_bg(self, chart: _Chart, week: int) -> tuple[str, ...]:
        return chart.bg[week] if 0 <= week < len(chart.bg) else ()

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

    def _month_labels(self, chart: _Chart) -> list[tuple[int, str]]:
        """(grid x, label) of each month; the year is added to the first label and to
        January when it fits before the next label."""
        months = MONTHS_SHORT[self.lang] if self._ww == 1 else MONTHS[self.lang]
        grid_w = chart.weeks * self._ww
        found: list[tuple[int, dt.date]] = []
        day = self._origin.replace(day=1)
        while True:
            x = self.column_of(day) - self._name_w
            if x >= grid_w:
                break
            found.append((max(0, x), day))
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        labels: list[tuple[int, str]] = []
        last_end = -1
        for i, (x, day) in enumerate(found):
            label = months[day.month - 1]
            if x <= last_end:
                continue
            if i == 0 or day.month == 1:
                with_year = f"{label} {day.year}"
                nxt = found[i + 1][0] if i + 1 < len(found) else None
                if nxt is None or x + len(with_year) < nxt:
                    label = with_year
            labels.append((x, label))
            last_end = x + len(label)
        return labels

    def _months_line(self, chart: _Chart, scroll_x: int, width: int) -> Strip:
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
        mark = "━ " if r.critical else "  "
        runs = self._name_cell(mark + r.name, self._style(name_cls))
        if r.first is None or r.last is None:
            runs.append((self._t("unscheduled"), self._style("timeline--problem")))
            return self._strip(runs, width)
        target_x = self._marker_x(self._target())
        bar_cls = "timeline--critical" if r.critical else "timeline--bar"
        overlay: dict[int, str] = {}
        if row == chart.end_row and chart.schedule.end is not None and self._end_marker:
            text = self._end_marker
            start = (r.last + 1) * self._ww + 1
            overlay = {start + i: ch for i, ch in enumerate(text)}
        booked, first, last = r.booked, r.first, r.last

        def cell(x: int, week: int) -> tuple[str, tuple[str, ...]]:
            bg = self._week_bg(chart, week)
            if week in booked:
                return "█", (*bg, bar_cls)
            if x in overlay:
                return overlay[x], (*bg, "timeline--end")
            if first <= week <= last:
                return "░", (*bg, "timeline--gap")
            if x == target_x:
                return "┊", (*bg, "timeline--target")
            return " ", bg

        # The end row's marker runs past the span: that one row is walked in full.
        runs += self._grid_runs(
            chart,
            scroll_x,
            width,
            cell,
            (target_x, *overlay),
            busy=None if overlay else (first, last),
        )
        return self._strip(runs, width)

    def _footer_line(self, index: int, width: int) -> Strip:
        if index >= len(self._footer):
            return Strip.blank(width, self._base_style)
        runs = [(text, self._style(cls)) for text, cls in self._footer[index]]
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
