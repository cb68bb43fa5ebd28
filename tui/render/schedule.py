"""Schedule renderers for `releve schedule`: text table and week chart, JSON, CSV, iCalendar.

Pure functions of (plan, schedule): no printing, no clock (the ICS stamp is passed in),
no Textual. :func:`week_grid` is the week-column logic the text chart uses; the app's
timeline and the report may reuse it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from releve.planner.model import Plan
from releve.planner.schedule import PhaseSlot, Schedule
from releve.planner.tracking import Tracking
from releve.tui import i18n
from releve.tui.jsontext import indented_json
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
    mission = visible(plan.mission.title or plan.mission.id)
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
    out.extend(render_chart(schedule, lang=lang, width=width, names=shown))
    return "\n".join(line[:width] for line in out) + "\n"


def _days_text(v: float) -> str:
    return f"{v:g}"


def render_tracked_text(
    plan: Plan,
    tracking: Tracking,
    *,
    lang: str = "en",
    width: int = WIDTH,
) -> str:
    """A tracked plan (tracking.md): per phase its status, baseline end, forecast dates,
    variance in COO working days and days booked out of its effort; the forecast summary
    and the days consumed against the contract; then the week chart of the forecast with
    the days worked up to the check date drawn apart."""
    t = i18n.table(lang, "schedule")
    shown = {p.id: visible(p.name or p.id) for p in plan.phase}
    forecast, baseline = tracking.forecast, tracking.baseline
    rows = [tracking.phases[pid] for pid in tracking.phases]
    phase_status = i18n.table(lang, "phase_status")  # as the report's plan-against-actual
    statuses = {r.id: phase_status[r.status] for r in rows}
    idw = min(max(len(t["phase"]), *(len(shown.get(r.id, r.id)) for r in rows)), 24)
    stw = max(len(t["status"]), *(len(v) for v in statuses.values()))
    cols = (t["base_end"], t["fc_start"], t["fc_end"], t["variance"], t["booked_col"])
    w = [max(10, len(c)) for c in cols[:3]] + [max(5, len(cols[3]))]
    head = (
        f"{t['phase']:<{idw}}  {t['status']:<{stw}}  {cols[0]:<{w[0]}}  {cols[1]:<{w[1]}}  "
        f"{cols[2]:<{w[2]}}  {cols[3]:>{w[3]}}  {cols[4]}"
    )
    out = [t["tracked_title"].format(as_of=tracking.as_of), "", head]
    out.append("─" * min(len(head), width))
    for r in rows:
        base = r.baseline.end.isoformat() if r.baseline else "—"
        fs = r.forecast.start.isoformat() if r.forecast else "—"
        fe = r.forecast.end.isoformat() if r.forecast else "—"
        var = f"{r.variance_days:+d}" if r.variance_days is not None else "—"
        var = "0" if var == "+0" else var
        booked = f"{_days_text(r.booked)}/{r.effort_days}"
        out.append(
            f"{_cut(shown.get(r.id, r.id), idw):<{idw}}  {statuses[r.id]:<{stw}}  "
            f"{base:<{w[0]}}  {fs:<{w[1]}}  {fe:<{w[2]}}  {var:>{w[3]}}  {booked}"
        )
    out.append("")
    title = visible(plan.mission.title or plan.mission.id)
    if forecast.end is not None and baseline.end is not None:
        variance = tracking.variance_days or 0
        out.append(
            t["forecast_summary"].format(
                mission=title,
                end=forecast.end,
                base=baseline.end,
                variance=f"{variance:+d}" if variance else "0",
            )
        )
    if forecast.target_date is not None and forecast.meets_target is not None:
        key = "target_met" if forecast.meets_target else "target_missed"
        out.append(t[key].format(target=forecast.target_date))
    total = tracking.booked_days + tracking.remaining_days
    if tracking.contracted_days:
        out.append(
            t["consumption"].format(
                booked=_days_text(tracking.booked_days),
                remaining=_days_text(tracking.remaining_days),
                total=_days_text(total),
                contracted=tracking.contracted_days,
            )
        )
    else:
        out.append(
            t["consumption_no_contract"].format(
                booked=_days_text(tracking.booked_days),
                remaining=_days_text(tracking.remaining_days),
                total=_days_text(total),
            )
        )
    if forecast.days_per_week is not None:
        out.append(t["what_if"].format(n=forecast.days_per_week))
    summary = out[len(rows) + 5 :]
    del out[len(rows) + 5 :]
    for line in summary:  # wrapped, never cut: these lines carry the figures
        out.extend(textwrap.wrap(line, width) or [""])
    out.append("")
    if forecast.phases:
        out.extend(
            render_chart(forecast, lang=lang, width=width, names=shown, as_of=tracking.as_of)
        )
    return "\n".join(line[:width] for line in out) + "\n"


def render_chart(  # noqa: C901
    schedule: Schedule,
    *,
    lang: str = "en",
    width: int = WIDTH,
    names: dict[str, str] | None = None,
    as_of: dt.date | None = None,
) -> list[str]:
    """The week-by-week bar chart: month header, target marker, one bar per phase (by its
    name in ``names``, else its id). With ``as_of`` (a tracked plan's forecast), the days
    worked up to the check date are drawn apart from the days still to come, and the
    check date is marked."""
    t = i18n.table(lang, "schedule")
    names = names or {}
    shown_as = {pid: names.get(pid) or pid for pid in schedule.phases}
    labelw = min(max(len(v) for v in shown_as.values()), 18)
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
    as_of_col = grid.column_of(as_of) if as_of is not None else None
    if as_of is not None and as_of_col is not None:
        mark = t["as_of_mark"].format(date=as_of)
        if len(pad) + as_of_col + 2 + len(mark) <= width:
            lines.append(pad + " " * as_of_col + "↓ " + mark)
        else:
            lines.append(pad + " " * max(as_of_col - len(mark) - 1, 0) + mark + " ↓")
    for row in grid.rows:
        worked = [0] * n
        if as_of is not None:
            for day in schedule.phases[row.id].days:
                day_col = grid.column_of(day)
                if day <= as_of and day_col is not None:
                    worked[day_col] += 1
        cells = []
        for c in range(n):
            if row.milestone and row.within[c]:
                cells.append("◆")
            elif worked[c]:
                cells.append("▓")
            elif row.booked[c]:
                cells.append("█")
            elif row.within[c]:
                cells.append("░")
            elif c == grid.target_column:
                cells.append("┊")
            else:
                cells.append(" ")
        crit = "●" if schedule.phases[row.id].critical else " "
        lines.append(f"{_cut(shown_as[row.id], labelw):>{labelw}}{crit}│" + "".join(cells).rstrip())
    lines.append("")
    lines.append(t["weeks"].format(n=grid.weeks_per_column))
    lines.append(t["legend"])
    if as_of is not None:
        lines.append(t["legend_tracked"])
    return lines


# --- JSON and CSV -------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _slot_dates(slot: PhaseSlot | None) -> dict[str, str | None] | None:
    if slot is None:
        return None
    return {"start": _iso(slot.start), "end": _iso(slot.end)}


def tracking_dict(tracking: Tracking) -> dict[str, Any]:
    """What `--format json` adds for the log (tracking.md): the check date, the forecast
    and the consumption, and per phase its baseline and forecast."""
    fc = tracking.forecast
    return {
        "as_of": _iso(tracking.as_of),
        "tracked": tracking.tracked,
        "forecast": {
            "start": _iso(fc.start),
            "end": _iso(fc.end),
            "meets_target": fc.meets_target,
            "variance_days": tracking.variance_days,
        },
        "booked_days": tracking.booked_days,
        "remaining_days": tracking.remaining_days,
        "contracted_days": tracking.contracted_days,
        "elapsed_share": tracking.elapsed_share,
        "burn_share": tracking.burn_share,
    }


def phase_tracking_dict(tracking: Tracking, pid: str) -> dict[str, Any]:
    r = tracking.phases[pid]
    return {
        "baseline": _slot_dates(r.baseline),
        "forecast": _slot_dates(r.forecast),
        "booked": r.booked,
        "remaining": r.remaining,
        "done_on": _iso(r.done_on),
        "status": r.status,
        "variance_days": r.variance_days,
    }


def schedule_dict(
    plan: Plan, schedule: Schedule, path: str, tracking: Tracking | None = None
) -> dict[str, Any]:
    """The `releve schedule --format json` object of cli.md (plus ``days_per_week``);
    with ``tracking``, the forecast of tracking.md beside the baseline."""
    names = {p.id: p for p in plan.phase}
    out: dict[str, Any] = {
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
    if tracking is not None:
        out.update(tracking_dict(tracking))
        for row in out["phases"]:
            if row["id"] in tracking.phases:
                row.update(phase_tracking_dict(tracking, row["id"]))
    return out


def render_json(plan: Plan, schedule: Schedule, path: str, tracking: Tracking | None = None) -> str:
    text = indented_json(schedule_dict(plan, schedule, path, tracking))
    return json_escape_controls(text) + "\n"


CSV_COLUMNS = ("id", "name", "kind", "start", "end", "effort_days", "slack_days", "critical")
#: Added with a check date: the forecast of tracking.md beside the baseline.
CSV_TRACKING_COLUMNS = (
    "forecast_start",
    "forecast_end",
    "variance_days",
    "booked",
    "remaining",
    "done_on",
    "status",
)


def render_csv(plan: Plan, schedule: Schedule, tracking: Tracking | None = None) -> str:
    """One row per scheduled phase; ``critical`` is ``true``/``false``; with ``tracking``,
    the forecast columns too. Control characters of the plan's text are shown as visible
    symbols (a line break stays, quoted)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS + (CSV_TRACKING_COLUMNS if tracking is not None else ()))
    for row in schedule_dict(plan, schedule, "", tracking)["phases"]:
        cells = [
            row["id"],
            visible(row["name"] or "", keep="\n"),
            row["kind"],
            row["start"],
            row["end"],
            row["effort_days"],
            row["slack_days"],
            "true" if row["critical"] else "false",
        ]
        if tracking is not None:
            fc = row.get("forecast") or {}
            var = row.get("variance_days")
            cells += [
                fc.get("start") or "",
                fc.get("end") or "",
                "" if var is None else var,
                f"{row.get('booked', 0):g}",
                f"{row.get('remaining', 0):g}",
                row.get("done_on") or "",
                row.get("status", ""),
            ]
        writer.writerow(cells)
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


def meeting_uid(plan: Plan, index: int, on: dt.date, kind: str) -> str:
    """Stable while the meeting keeps its date, kind and rank among that day's meetings."""
    return f"meeting.{on.isoformat()}.{kind}.{index}.{plan.mission.id}@releve"


def _meeting_events(plan: Plan, dtstamp: str, lang: str) -> list[str]:
    lines: list[str] = []
    rank: dict[tuple[dt.date, str], int] = {}
    people = {p.id: p.name or p.id for p in plan.person}
    for m in plan.meeting:
        kind = str(m.kind)
        n = rank[(m.on, kind)] = rank.get((m.on, kind), 0) + 1
        label = i18n.enum_label(lang, "MeetingKind", kind)
        desc: list[str] = []
        if m.attendees:
            desc.append(", ".join(people.get(a, a) for a in m.attendees))
        desc += [f"✔ {d}" for d in m.decisions]
        for a in m.actions:
            who = people.get(a.owner, a.owner) if a.owner else ""
            due = f" ({a.due.isoformat()})" if a.due else ""
            done = " ✓" if a.done_on else ""
            desc.append(f"→ {a.what}{' — ' + who if who else ''}{due}{done}")
        if m.note:
            desc.append(m.note)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting_uid(plan, n, m.on, kind)}",
            f"DTSTAMP:{dtstamp}",
            *_ics_span(m.on, m.on),
            f"SUMMARY:{ics_escape(label)}",
            *([f"DESCRIPTION:{ics_escape(chr(10).join(desc))}"] if desc else []),
            f"CATEGORIES:{ics_escape('meeting,' + kind)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    return lines


def render_ics(
    plan: Plan,
    schedule: Schedule,
    *,
    stamp: dt.date,
    version: str = "",
    tracking: Tracking | None = None,
    lang: str | None = None,
) -> str:
    """An iCalendar file: one all-day event per phase (DTEND exclusive: the day after the
    last booked day), one for the target date and one per meeting of the log; with a
    tracked plan's ``tracking`` the phases carry their forecast dates. CRLF lines folded at
    75 octets."""
    lang = lang or str(plan.mission.language)
    title = plan.mission.title or plan.mission.id
    if tracking is not None and tracking.tracked:
        schedule = tracking.forecast
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
            f"SUMMARY:{ics_escape(i18n.text(lang, 'schedule.ics_target') + ' — ' + title)}",
            "CATEGORIES:target",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines += _meeting_events(plan, dtstamp, lang)
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
