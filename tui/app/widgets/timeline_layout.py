"""The Timeline's pure part: the week grid, the phases' rows and marks, and the texts
under the grid (status, problems, what-if, legend). No Textual: the widget
(timeline.py) lays these out and timeline_paint.py draws them.

- ``monday``, ``week_index``, ``format_date``, ``format_range``, ``week_states``,
  ``merge_states``: the grid's weeks and the COO's days off in them.
- ``build_chart(plan, schedule, origin, weeks, workdays, non_working, per)`` -> ``Chart``:
  one ``Row`` per phase (its cells with booked days, its span), the cell of the end, the
  row carrying the end marker, each cell's shading; ``regrid(chart, ..., per)``: the same
  chart at another number of weeks a cell.
- ``month_labels(...)``: where each month's label sits on the grid.
- ``Texts``: the footer's items in the plan's language; ``wrap_footer(groups, width)``
  wraps them at their separators.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from releve.planner.model import Plan, Weekday
from releve.planner.schedule import Schedule
from releve.planner.tracking import Tracking
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
class Row:
    id: str
    name: str
    critical: bool
    booked: frozenset[int]  # cell indexes with booked days
    first: int | None  # first / last cell of the phase's span (None: unscheduled)
    last: int | None
    # A tracked plan (planner.tracking): the bars are the forecast, and each row also
    # knows its cells with days booked (facts), its baseline's cells and its variance.
    done: bool = False
    actual: frozenset[int] = frozenset()
    baseline: frozenset[int] = frozenset()
    variance: int | None = None  # forecast end − baseline end, COO working days


@dataclass(frozen=True)
class Chart:
    """Everything one schedule needs on the grid (the plan's, or a what-if's)."""

    schedule: Schedule
    days_per_week: int
    workdays: tuple[int, ...]
    rows: tuple[Row, ...]
    weeks: int  # cells of the grid (each ``per`` weeks)
    states: tuple[int, ...]  # per cell
    end_week: int | None  # the cell of the end
    end_row: int | None  # the row that carries the "◀ end" marker
    bg: tuple[tuple[str, ...], ...] = ()  # each cell's shading class (from ``states``)
    per: int = 1  # weeks a cell
    n_weeks: int = 0  # weeks the grid spans (``weeks`` × ``per``, rounded up)
    tracking: Tracking | None = None  # set when the plan is tracked (forecast shown)


def build_chart(
    plan: Plan,
    schedule: Schedule,
    origin: dt.date,
    weeks: int,
    workdays: tuple[int, ...],
    non_working: Sequence[NonWorking],
    per: int = 1,
    tracking: Tracking | None = None,
) -> Chart:
    """The chart of ``schedule`` on a grid of ``weeks`` weeks from ``origin``, ``per``
    weeks a cell. With ``tracking`` (a tracked plan), ``schedule`` is its forecast (or a
    what-if's) and the rows carry what was done and the baseline."""
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
            rows.append(Row(phase.id, name, False, frozenset(), None, None))
            continue
        booked = frozenset([(d.toordinal() - o) // span for d in slot.days])
        if not booked:  # a milestone books no day: show it in its week
            booked = frozenset({cell(slot.start)})
        row = Row(phase.id, name, slot.critical, booked, cell(slot.start), cell(slot.end))
        if tracking is not None:
            row = _tracked_row(row, tracking, cell)
        rows.append(row)
        if schedule.end is not None and slot.end == schedule.end:
            end_row = i
    end_week = cell(schedule.end) if schedule.end else None
    cells = -(-weeks // per)
    states = merge_states(week_states(origin, cells * per, workdays, non_working), per)
    shading = {2: ("timeline--off",), 1: ("timeline--partial",), 0: ()}
    return Chart(
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
        tracking,
    )


def regrid(
    chart: Chart, plan: Plan, origin: dt.date, non_working: Sequence[NonWorking], per: int
) -> Chart:
    """``chart`` built again with ``per`` weeks a cell: the same schedule, weeks, COO days
    and tracking."""
    return build_chart(
        plan,
        chart.schedule,
        origin,
        chart.n_weeks,
        chart.workdays,
        non_working,
        per,
        chart.tracking,
    )


def _tracked_row(row: Row, tracking: Tracking, cell: Callable[[dt.date], int]) -> Row:
    """``row`` with its facts (days booked up to the check date, or a done phase's whole
    span), its baseline's cells and its variance."""
    track = tracking.phases.get(row.id)
    if track is None:
        return row
    as_of = tracking.as_of
    actual = {cell(d) for d in (track.forecast.days if track.forecast else ()) if d <= as_of}
    if track.done and row.first is not None and row.last is not None and not actual:
        actual = set(range(row.first, row.last + 1))  # done without a booking: its span
    base = track.baseline
    baseline = {cell(d) for d in base.days} if base is not None else set()
    if base is not None and not baseline:
        baseline = {cell(base.start)}
    return dataclasses.replace(
        row,
        done=track.done,
        actual=frozenset(actual),
        baseline=frozenset(baseline),
        variance=track.variance_days,
    )


def plan_horizon(plan: Plan, schedules: Iterable[Schedule]) -> dt.date:
    """The last of the mission start, the schedules' starts and ends, and the target."""
    days = [plan.mission.start]
    for s in schedules:
        days += [d for d in (s.start, s.end, s.target_date) if d is not None]
    if plan.exit and plan.exit.target_date:
        days.append(plan.exit.target_date)
    return max(days)


def grid_horizon(plan: Plan, schedules: Iterable[Schedule], as_of: dt.date | None) -> dt.date:
    """The last day the grid must show: the plan's horizon, or the as-of date when it
    is later but near enough (``TODAY_REACH``), plus a week for the markers."""
    last = plan_horizon(plan, schedules)
    if as_of is not None and last < as_of <= last + TODAY_REACH:
        last = as_of
    return last + dt.timedelta(days=7)


def weeks_per_cell(n_weeks: int, region_w: int, week_width: int | None) -> int:
    """1, or the fewest weeks a cell that fit the whole grid beside the shortest name
    column (at most MAX_WEEKS_PER_CELL; a fixed ``week_width`` always means 1)."""
    avail = region_w - MIN_NAME_W
    if week_width or avail <= 0 or n_weeks <= avail:
        return 1
    return min(MAX_WEEKS_PER_CELL, -(-n_weeks // avail))


def grid_x(origin: dt.date, per: int, ww: int, day: dt.date) -> int:
    """The grid column of ``day`` (``per`` weeks a cell, ``ww`` cells a cell's width):
    the weekday moves it inside its cell when a cell is wider than one column."""
    w = week_index(origin, day)
    offset = min(ww - 1, ((w % per) * 5 + day.weekday()) * ww // (5 * per))
    return (w // per) * ww + offset


@dataclass(frozen=True)
class Fit:
    """How the chart fits the width: the name column, cells a week, the grid's width,
    the end marker and the month labels as drawn."""

    name_w: int
    ww: int
    grid_w: int
    end_marker: str
    months: list[tuple[int, str]]


def fit(
    chart: Chart,
    region_w: int,
    week_width: int | None,
    origin: dt.date,
    lang: str,
    end_marker: str,
) -> Fit:
    """Names get what they need (up to MAX_NAME_W) as long as every cell of the grid still
    fits beside them; the weeks share the rest, 1 to 4 cells each (``week_width`` fixes
    it). When the grid scrolls anyway, names keep at most a quarter of the width. When
    the weeks fit the view, the end marker (``end_marker``: its full text, or "") and the
    last month label must fit too: shortened rather than adding a scrollbar."""
    longest = max((len(r.name) for r in chart.rows), default=8)
    weeks = chart.weeks
    want = min(MAX_NAME_W, longest + 3)
    grid_min = weeks * max(1, week_width or 1)
    if not region_w:
        name_w = want
    elif region_w - grid_min >= MIN_NAME_W:
        name_w = max(MIN_NAME_W, min(want, region_w - grid_min))
    else:
        name_w = max(MIN_NAME_W, min(want, region_w // 4))
    fill = max(1, min(4, (region_w - name_w) // max(1, weeks)))
    ww = max(1, week_width) if week_width else fill
    grid_w = weeks * ww
    visible = region_w - name_w if region_w else None
    room = None if visible is None or grid_w > visible else visible
    marker = end_marker
    if marker and chart.end_week is not None:
        start = (chart.end_week + 1) * ww + 1
        if room is not None and start + len(marker) + 1 > room:
            marker = "◀" if start + 2 <= room else ""
        if marker:
            grid_w = max(grid_w, start + len(marker) + 1)
    names = MONTHS_SHORT[lang] if ww == 1 else MONTHS[lang]
    months = month_labels(origin, weeks * ww, lambda day: grid_x(origin, chart.per, ww, day), names)
    if months:
        x, label = months[-1]
        if room is not None and x + len(label) > room:
            label = label[: room - x]
            months[-1] = (x, label) if len(label) >= 3 else (x, "")
        grid_w = max(grid_w, x + len(months[-1][1]))
    return Fit(name_w, ww, grid_w, marker, months)


def meets(schedule: Schedule, target: dt.date | None) -> bool | None:
    """Whether ``schedule`` meets ``target`` (None: no target)."""
    if target is None:
        return None
    if schedule.end is None or schedule.problems:
        return False  # phases left unscheduled: the plan cannot meet anything as written
    return schedule.end <= target


def month_labels(
    origin: dt.date,
    grid_w: int,
    column: Callable[[dt.date], int],
    months: Sequence[str],
) -> list[tuple[int, str]]:
    """(grid x, label) of each month; the year is added to the first label and to
    January when it fits before the next label. ``column(day)`` is the day's grid x."""
    found: list[tuple[int, dt.date]] = []
    day = origin.replace(day=1)
    while True:
        x = column(day)
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


# --- the texts under the grid ----------------------------------------------------------------

Item = list[tuple[str, str]]  # one footer item: (text, component class) runs


@dataclass(frozen=True)
class Texts:
    """The footer's words for what the widget shows (each item a list of (text, class))."""

    lang: str
    plan: Plan
    chart: Chart  # the chart shown (the what-if's, or the plan's)
    base: Chart  # the plan's own
    target: dt.date | None
    whatif_days: int | None = None
    fewest_known: bool = False
    fewest: int | None = None
    per: int = 1
    today: dt.date | None = None

    def t(self, key: str, **kw: object) -> str:
        return TEXT[self.lang][key].format(**kw)

    def coo_text(self) -> str:
        names = DAY_NAMES[self.lang]
        days = ", ".join(names[d] for d in self.chart.workdays)
        n = len(self.chart.workdays)
        return self.t("coo1", days=days) if n == 1 else self.t("coo", n=n, days=days)

    def legend_parts(self) -> list[str]:
        lang, plan = self.lang, self.plan
        parts = [self.coo_text()]
        if plan.coo:
            parts += [
                self.t("leave", range=format_range(p.from_, p.to, lang)) for p in plan.coo.leave
            ]
        if plan.company:
            parts += [
                self.t("closure", range=format_range(p.from_, p.to, lang))
                for p in plan.company.closures
            ]
        parts.append(self.t("off"))
        if self.per > 1:
            parts.append(self.t("per_cell", n=self.per))
        if self.today is not None:
            parts.append(self.t("today", date=format_date(self.today, lang)))
        if any(r.critical for r in self.chart.rows):
            parts.append(self.t("critical"))
        if self.chart.tracking is not None:
            parts += [
                i18n.t(lang, "app_log.legend_done"),
                i18n.t(lang, "app_log.legend_baseline"),
                i18n.t(lang, "app_log.legend_check"),
            ]
        return parts

    def usage_items(self) -> list[Item]:
        """The line above the grid of a tracked plan: COO days used / contracted."""
        tracking = self.base.tracking
        if tracking is None:
            return []
        lang = self.lang
        booked = f"{tracking.booked_days:g}"
        contracted = tracking.contracted_days
        used = (
            i18n.t(lang, "app_log.used", booked=booked, contracted=contracted)
            if contracted is not None
            else i18n.t(lang, "app_log.used_only", booked=booked)
        )
        items: list[Item] = [[(used, "timeline--status")]]
        remaining = f"{tracking.remaining_days:g}"
        items.append([(i18n.t(lang, "app_log.remaining", n=remaining), "timeline--legend")])
        over = tracking.over_contract_days
        if over:
            items.append([(i18n.t(lang, "app_log.over", n=f"{over:g}"), "timeline--problem")])
        return items

    def delta_text(self, end: dt.date, target: dt.date) -> str:
        days = (target - end).days
        if days > 0:
            return self.t("early", n=days)
        if days < 0:
            return self.t("late", n=-days)
        return self.t("on_time")

    def status_items(self) -> list[Item]:
        """The status line's items: end, target."""
        if not self.chart.rows:
            return []
        sched = self.chart.schedule
        target = self.target
        end: Item = []
        if self.whatif_days is not None:
            n = self.whatif_days
            key = "whatif1" if n == 1 else "whatif"
            end.append((self.t(key, n=n) + " ", "timeline--whatif"))
        if sched.end is None:
            end.append((self.t("no_end"), "timeline--problem"))
        else:
            end.append((self.t("end", date=format_date(sched.end, self.lang)), "timeline--end"))
            base_end = self.base.schedule.end
            if self.whatif_days is not None and base_end is not None and base_end != sched.end:
                was = self.t("was", date=format_date(base_end, self.lang))
                end.append((f" ({was})", "timeline--status"))
            end += self._variance_runs()
        items = [end]
        if target is not None:
            ok = meets(sched, target)
            cls = "timeline--end" if ok else "timeline--problem"
            if sched.problems:
                verdict = f"✗ {self.t('no_end')}"
            else:
                verdict = self.t("met") if ok else self.t("missed")
                if sched.end is not None:
                    verdict += f" ({self.delta_text(sched.end, target)})"
            shown = self.t("target", date=format_date(target, self.lang))
            items.append([(f"◆ {shown} ", "timeline--target"), (verdict, cls)])
        return items

    def _variance_runs(self) -> Item:
        """`` (baseline DATE, +N working days)`` after the forecast end of a tracked plan."""
        tracking = self.base.tracking
        if tracking is None or self.whatif_days is not None:
            return []
        base_end, variance = tracking.baseline.end, tracking.variance_days
        if base_end is None or variance is None:
            return []
        lang = self.lang
        text = i18n.t(lang, "app_log.baseline", date=format_date(base_end, lang))
        text += ", " + i18n.t(lang, "app_log.mission_variance", n=variance)
        return [(f" ({text})", "timeline--problem" if variance > 0 else "timeline--status")]

    def problem_items(self) -> list[list[Item]]:
        return [[[("⚠ " + p.message, "timeline--problem")]] for p in self.chart.schedule.problems]

    def hint_items(self) -> list[Item]:
        """The what-if line's items: the fewest days that meet the target, the keys."""
        if not self.chart.rows:
            return []
        if self.whatif_days is None:
            return [[(self.t("keys"), "timeline--legend")]]
        items: list[Item] = []
        if self.fewest_known:
            fewest = (
                self.t("fewest", n=self.fewest)
                if self.fewest is not None
                else self.t("fewest_none")
            )
            items.append([(fewest, "timeline--whatif")])
        items.append([(self.t("whatif_keys"), "timeline--legend")])
        return items

    def groups(self) -> list[list[Item]]:
        """Footer groups, each a list of items joined by ` · ` and wrapped together."""
        groups = [
            self.status_items(),
            *self.problem_items(),
            self.hint_items(),
            [[(part, "timeline--legend")] for part in self.legend_parts()],
        ]
        return [g for g in groups if g]


def wrap_footer(groups: list[list[Item]], width: int) -> list[Item]:
    """The groups as lines of at most ``width`` cells, wrapped between items (never
    inside one unless it is wider than the line; then between its runs)."""
    lines: list[Item] = []
    for items in groups:
        line: Item = []
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
