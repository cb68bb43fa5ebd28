"""Schedule renderers for `releve schedule`: text table and week chart, JSON, CSV, iCalendar.

Pure functions of (plan, schedule): no printing, no clock (the ICS stamp is passed in),
no Textual. :func:`week_grid` is the week-column logic the text chart uses; the app's
timeline and the report may reuse it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

from releve.planner.model import Plan
from releve.planner.schedule import Schedule
from releve.tui import i18n
from releve.tui.safe_text import json_escape_controls, visible

WIDTH = 100
ONE_DAY = dt.timedelta(days=1)


# --- week grid (shared logic) -------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    """One phase on the week grid: per column, the COO days it books there and whether
    the column lies within the phase's start..end."""

    id: str
    booked: tuple[int, ...]
    within: tuple[bool, ...]
    milestone: bool


@dataclass(frozen=True)
class WeekGrid:
    """Columns of whole weeks (``weeks_per_column`` each, starting on Mondays)."""

    columns: tuple[dt.date, ...]  # the Monday that starts each column
    weeks_per_column: int
    rows: tuple[GridRow, ...]
    target_column: int | None

    def column_of(self, day: dt.date) -> int | None:
        """The column showing ``day``, or None when it is off the grid."""
        if not self.columns:
            return None
        col = (day - self.columns[0]).days // (7 * self.weeks_per_column)
        return col if 0 <= col < len(self.columns) else None

    def column_end(self, col: int) -> dt.date:
        """The last day (a Sunday, or ``date.max``) shown in column ``col``."""
        last = self.columns[col].toordinal() + 7 * self.weeks_per_column - 1
        return dt.date.fromordinal(min(last, dt.date.max.toordinal()))


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_grid(
    schedule: Schedule,
    *,
    max_columns: int,
    first: dt.date | None = None,
    last: dt.date | None = None,
    phase_ids: Iterable[str] | None = None,
) -> WeekGrid:
    """Lay ``schedule`` on week columns: from the week of ``first`` (default: the mission
    start) to the week of ``last`` (default: the latest of the mission end and the target
    date), grouping weeks so there are at most ``max_columns`` columns."""
    ids = (
        list(schedule.phases)
        if phase_ids is None
        else [i for i in phase_ids if i in schedule.phases]
    )
    first = first or schedule.start
    candidates = [d for d in (schedule.end, schedule.target_date, last) if d is not None]
    last = max([first, *candidates]) if last is None else last
    start = monday(first)
    weeks = (monday(last) - start).days // 7 + 1
    per = max(1, math.ceil(weeks / max(1, max_columns)))
    ncols = math.ceil(weeks / per)
    span = 7 * per
    columns = tuple(start + dt.timedelta(days=span * c) for c in range(ncols))
    rows = []
    for pid in ids:
        slot = schedule.phases[pid]
        booked = [0] * ncols
        for day in slot.days:
            c = (day - start).days // span
            if 0 <= c < ncols:
                booked[c] += 1
        a = (slot.start - start).days // span
        b = (slot.end - start).days // span
        within = tuple(a <= c <= b for c in range(ncols))
        rows.append(GridRow(pid, tuple(booked), within, not slot.days))
    target_col = None
    if schedule.target_date is not None:
        c = (schedule.target_date - start).days // span
        target_col = c if 0 <= c < ncols else None
    return WeekGrid(columns, per, tuple(rows), target_col)


# --- text ---------------------------------------------------------------------------------


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(
    plan: Plan,
    schedule: Schedule,
    *,
    lang: str = "en",
    fewest: int | None = None,
    show_fewest: bool = False,
    width: int = WIDTH,
) -> str:
    """The phase table, a summary, then the week-by-week chart; every line fits ``width``."""
    t = i18n.table(lang, "schedule")
    out: list[str] = []
    mission = plan.mission.id
    if not schedule.phases:
        out.append(t["no_phase"].format(mission=mission))
        return "\n".join(out) + "\n"
    kinds = {p.id: i18n.enum_label(lang, "PhaseKind", p.kind) for p in plan.phase}
    # A phase as the plan names it (its name, else its id); the kind by its label.
    shown = {p.id: visible(p.name or p.id) for p in plan.phase}
    idw = min(max(len(t["phase"]), *(len(shown.get(pid, pid)) for pid in schedule.phases)), 24)
    kindw = max(len(t["kind"]), *(len(kinds[pid]) for pid in schedule.phases))
    head = (
        f"{t['phase']:<{idw}}  {t['kind']:<{kindw}}  {t['start']:<10}  {t['end']:<10}  "
        f"{t['effort']:>6}  {t['slack']:>6}  {t['crit']}"
    )
    out.append(head)
    out.append("─" * min(len(head), width))
    for pid, slot in schedule.phases.items():
        out.append(
            f"{_cut(shown.get(pid, pid), idw):<{idw}}  {kinds[pid]:<{kindw}}  "
            f"{slot.start.isoformat()}  "
            f"{slot.end.isoformat()}  {slot.effort_days:>6}  {slot.slack_days:>6}  "
            f"{'●' if slot.critical else ''}".rstrip()
        )
    out.append("")
    out.append(
        t["summary"].format(
            mission=mission, start=schedule.start, end=schedule.end, days=schedule.coo_days
        )
    )
    if schedule.target_date is None:
        out.append(t["no_target"])
    else:
        key = "target_met" if schedule.meets_target else "target_missed"
        out.append(t[key].format(target=schedule.target_date))
    if schedule.days_per_week is not None:
        out.append(t["what_if"].format(n=schedule.days_per_week))
    if show_fewest and schedule.target_date is not None:
        out.append(t["fewest"].format(n=fewest) if fewest else t["fewest_none"])
    out.append("")
    out.extend(render_chart(schedule, lang=lang, width=width))
    return "\n".join(line[:width] for line in out) + "\n"


def render_chart(schedule: Schedule, *, lang: str = "en", width: int = WIDTH) -> list[str]:  # noqa: C901
    """The week-by-week bar chart: month header, target marker, one bar per phase."""
    t = i18n.table(lang, "schedule")
    labelw = min(max(len(pid) for pid in schedule.phases), 18)
    room = width - labelw - 2
    grid = week_grid(schedule, max_columns=room)
    n = len(grid.columns)
    pad = " " * (labelw + 1) + "│"
    # Month (and year) labels where a month starts within a column.
    header = [" "] * n
    years = [" "] * n
    months = [i18n.text(lang, f"month_3.{m}") for m in range(1, 13)]
    prev_month = None
    free_from = 0
    year_free = 0
    for c in range(n):
        last_day = grid.column_end(c)
        month = (last_day.year, last_day.month)
        if c == 0:
            month = (grid.columns[0].year, grid.columns[0].month)
        if month != prev_month and c >= free_from:
            label = months[month[1] - 1]
            if c + len(label) <= n:
                header[c : c + len(label)] = list(label)
                free_from = c + len(label) + 1
            if (prev_month is None or month[0] != prev_month[0]) and c >= year_free:
                ylabel = str(month[0])
                if c + 4 <= n:
                    years[c : c + 4] = list(ylabel)
                    year_free = c + 5
        if month != prev_month:
            prev_month = month
    lines = [pad + "".join(years).rstrip(), pad + "".join(header).rstrip()]
    if grid.target_column is not None:
        col, label = grid.target_column, str(schedule.target_date)
        if len(pad) + col + 2 + len(label) <= width:
            lines.append(pad + " " * col + "▼ " + label)
        else:  # no room on the right: the date goes left of the marker
            lines.append(pad + " " * max(col - len(label) - 1, 0) + label + " ▼")
    for row in grid.rows:
        cells = []
        for c in range(n):
            if row.milestone and row.within[c]:
                cells.append("◆")
            elif row.booked[c]:
                cells.append("█")
            elif row.within[c]:
                cells.append("░")
            elif c == grid.target_column:
                cells.append("┊")
            else:
                cells.append(" ")
        crit = "●" if schedule.phases[row.id].critical else " "
        lines.append(f"{_cut(row.id, labelw):>{labelw}}{crit}│" + "".join(cells).rstrip())
    lines.append("")
    lines.append(t["weeks"].format(n=grid.weeks_per_column))
    lines.append(t["legend"])
    return lines


# --- JSON and CSV -------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def schedule_dict(plan: Plan, schedule: Schedule, path: str) -> dict:
    """The `releve schedule --format json` object of cli.md (plus ``days_per_week``)."""
    names = {p.id: p for p in plan.phase}
    return {
        "path": path,
        "start": _iso(schedule.start),
        "end": _iso(schedule.end),
        "target_date": _iso(schedule.target_date),
        "meets_target": schedule.meets_target,
        "coo_days": schedule.coo_days,
        "days_per_week": schedule.days_per_week,
        "phases": [
            {
                "id": pid,
                "name": names[pid].name,
                "kind": str(names[pid].kind),
                "start": _iso(slot.start),
                "end": _iso(slot.end),
                "effort_days": slot.effort_days,
                "slack_days": slot.slack_days,
                "critical": slot.critical,
            }
            for pid, slot in schedule.phases.items()
        ],
    }


def render_json(plan: Plan, schedule: Schedule, path: str) -> str:
    text = json.dumps(schedule_dict(plan, schedule, path), ensure_ascii=False, indent=2)
    return json_escape_controls(text) + "\n"


CSV_COLUMNS = ("id", "name", "kind", "start", "end", "effort_days", "slack_days", "critical")


def render_csv(plan: Plan, schedule: Schedule) -> str:
    """One row per scheduled phase; ``critical`` is ``true``/``false``. Control characters
    of the plan's text are shown as visible symbols (a line break stays, quoted)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in schedule_dict(plan, schedule, "")["phases"]:
        writer.writerow(
            [
                row["id"],
                visible(row["name"] or "", keep="\n"),
                row["kind"],
                row["start"],
                row["end"],
                row["effort_days"],
                row["slack_days"],
                "true" if row["critical"] else "false",
            ]
        )
    return buf.getvalue()


# --- iCalendar (RFC 5545) -----------------------------------------------------------------


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): line breaks become ``\\n``; other control
    characters, which TEXT cannot hold, are shown as visible symbols."""
    text = visible(text, keep="\r\n")
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character;
    continuation lines start with one space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # inside a character
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # the leading space counts
    return "\r\n ".join(parts)


def _ics_date(day: dt.date) -> str:
    # Not strftime("%Y"): it writes year 1 as "1", and RFC 5545 wants four digits.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _ics_span(first: dt.date, last: dt.date) -> list[str]:
    """DTSTART and the exclusive DTEND of an all-day span; DURATION when the day after
    ``last`` does not exist (``date.max``)."""
    start = f"DTSTART;VALUE=DATE:{_ics_date(first)}"
    if last == dt.date.max:
        return [start, f"DURATION:P{(last - first).days + 1}D"]
    return [start, f"DTEND;VALUE=DATE:{_ics_date(last + ONE_DAY)}"]


def phase_uid(plan: Plan, phase_id: str, days_per_week: int | None = None) -> str:
    """Stable across runs and edits of dates, so re-importing updates the event. A what-if
    calendar gets its own UIDs, so importing it never overwrites the real plan's."""
    what_if = f".whatif{days_per_week}" if days_per_week is not None else ""
    return f"{phase_id}.{plan.mission.id}{what_if}@releve"


def render_ics(plan: Plan, schedule: Schedule, *, stamp: dt.date, version: str = "") -> str:
    """An iCalendar file: one all-day event per phase (DTEND exclusive: the day after the
    last booked day) and one for the target date; CRLF lines folded at 75 octets."""
    title = plan.mission.title or plan.mission.id
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//releve//releve {version}//EN".replace(" //", "//"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(title)}",
    ]
    dtstamp = _ics_date(stamp) + "T000000Z"
    phases = {p.id: p for p in plan.phase}
    for pid, slot in schedule.phases.items():
        phase = phases[pid]
        desc = [
            f"{phase.kind} · {slot.effort_days} COO days · slack {slot.slack_days} days"
            + (" · critical" if slot.critical else ""),
        ]
        if slot.days:
            desc.append("Booked days: " + ", ".join(d.isoformat() for d in slot.days))
        if phase.deliverables:
            desc.append("Deliverables: " + "; ".join(phase.deliverable_names))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{phase_uid(plan, pid, schedule.days_per_week)}",
            f"DTSTAMP:{dtstamp}",
            *_ics_span(slot.start, slot.end),
            f"SUMMARY:{ics_escape(phase.name or pid)}",
            f"DESCRIPTION:{ics_escape(chr(10).join(desc))}",
            f"CATEGORIES:{ics_escape(str(phase.kind))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    if schedule.target_date is not None:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{phase_uid(plan, 'target-date', schedule.days_per_week)}",
            f"DTSTAMP:{dtstamp}",
            *_ics_span(schedule.target_date, schedule.target_date),
            f"SUMMARY:{ics_escape('Target date — ' + title)}",
            "CATEGORIES:target",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
