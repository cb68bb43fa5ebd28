"""Plans written as one TaskJuggler (tj3) project, to check the planner against that reference.

The translation is the one docs/scheduling.md describes, made exact:

* one resource per plan (the COO) working ``0:00 - 24:00`` on ``[coo].workdays`` only, with
  ``dailyworkinghours 24``, so one TaskJuggler day of effort is one whole COO day and a
  task ending on day X ends at 00:00 on X+1 (``timezone "UTC"``: no daylight saving);
* public holidays and closures as ``leaves holiday``, the COO's leave as ``leaves annual``
  (on the resource, so several plans can share one project);
* one task per phase: ``effort Nd``, ``allocate`` the COO, ``depends`` on its ``after``
  phases and on a milestone at max(mission start, ``not_before``); a phase of effort 0 is
  a ``milestone``;
* TaskJuggler puts a milestone at 00:00 of its day, where the planner says a milestone
  *occupies* its day (a phase after it starts the day after), so a dependency on a
  milestone phase carries ``{ gapduration 24h }``;
* priorities: tj3 sorts ready tasks by ``priority``, then by its own path criticalness,
  then by definition order. To make it take phases in the planner's order (``priority``
  higher first, then plan order) without path criticalness ever deciding, each phase gets
  its own TaskJuggler priority, ``1000 - rank``, where rank 0 is the first phase in that
  order. Exact for plans of up to 1000 phases (tj3 priorities are 1 to 1000).

tj3 3.7 accepts years 1970 to 2035 only; the project window is clipped to that.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from releve.planner.calendar import WEEKDAY_NAMES, _add_years, public_holidays
from releve.planner.model import Plan

TJ_LAST_DAY = dt.date(2035, 12, 31)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}-00:00"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def task_priorities(plan: Plan) -> list[int]:
    """The TaskJuggler priority of each phase, in plan order (see the module docstring)."""
    n = len(plan.phase)
    if n > 1000:
        raise ValueError("TaskJuggler priorities allow at most 1000 phases")
    rank = sorted(range(n), key=lambda i: (-(plan.phase[i].priority or 0), i))
    out = [0] * n
    for r, i in enumerate(rank):
        out[i] = 1000 - r
    return out


def taskjuggler_project(
    plans: Sequence[Plan], *, years: int = 10, until: dt.date | None = None
) -> str:
    """One tj3 project scheduling every plan of ``plans`` (plan k's phase i is task
    ``m{k}.p{i}``; read the result back with :func:`read_task_csv`).

    The project runs from the earliest mission start to ``years`` after the latest one,
    or to ``until`` when given (tj3's time grows with the project's length)."""
    lo = min(p.mission.start for p in plans)
    hi = until or max(_add_years(p.mission.start, years) for p in plans)
    hi = min(hi, TJ_LAST_DAY)
    out = [
        f'project releve "releve" {lo.isoformat()} - {hi.isoformat()} {{',
        '  timezone "UTC"',
        "  timingresolution 60min",
        "  dailyworkinghours 24",
        "  workinghours mon - sun 0:00 - 24:00",
        "}",
    ]

    def clip(a: dt.date, b: dt.date) -> tuple[dt.date, dt.date] | None:
        a, b = max(a, lo), min(b, hi - dt.timedelta(days=1))
        return (a, b) if a <= b else None

    for k, plan in enumerate(plans):
        coo, company = plan.coo, plan.company
        workdays = sorted({d.index for d in coo.workdays}) if coo else [0, 1, 2, 3, 4]
        country = company.country if company else "FR"
        out.append(f'resource m{k}_coo "COO {k}" {{')
        if workdays:
            on = ", ".join(WEEKDAY_NAMES[d] for d in workdays)
            out.append(f"  workinghours {on} 0:00 - 24:00")
        off = [WEEKDAY_NAMES[d] for d in range(7) if d not in workdays]
        if off:
            out.append(f"  workinghours {', '.join(off)} off")
        leaves: list[tuple[str, str, dt.date, dt.date]] = []
        for year in range(lo.year, hi.year + 1):
            for day, name in sorted(public_holidays(country, year).items()):
                leaves.append(("holiday", name, day, day))
        for p in company.closures if company else ():
            leaves.append(("holiday", p.reason or "closure", p.from_, p.to))
        for p in coo.leave if coo else ():
            leaves.append(("annual", p.reason or "leave", p.from_, p.to))
        for kind, name, a, b in leaves:
            span = clip(a, b)
            if span:
                a, b = span
                out.append(
                    f"  leaves {kind} {_quote(name)} {_stamp(a)} - "
                    f"{_stamp(b + dt.timedelta(days=1))}"
                )
        out.append("}")

        ids = {ph.id: i for i, ph in enumerate(plan.phase)}
        prio = task_priorities(plan)
        out.append(f'task m{k} "mission {k}" {{')
        for i, ph in enumerate(plan.phase):
            earliest = max(plan.mission.start, ph.not_before or plan.mission.start)
            out.append(f'  task nb{i} "not before" {{ milestone start {earliest.isoformat()} }}')
            deps = [f"!nb{i}"]
            for name in dict.fromkeys(ph.after):
                j = ids[name]
                gap = " { gapduration 24h }" if plan.phase[j].effort_days == 0 else ""
                deps.append(f"!p{j}{gap}")
            body = (
                "milestone"
                if ph.effort_days == 0
                else f"effort {ph.effort_days}d allocate m{k}_coo"
            )
            out.append(
                f"  task p{i} {_quote(ph.id)} {{ {body} priority {prio[i]} "
                f"depends {', '.join(deps)} }}"
            )
        out.append("}")
    out += [
        'taskreport "schedule" {',
        "  formats csv",
        '  timeformat "%Y-%m-%d-%H:%M"',
        "  columns id, start, end",
        "  hideresource 1",
        "}",
    ]
    return "\n".join(out) + "\n"


def read_task_csv(text: str) -> dict[tuple[int, int], tuple[dt.date, dt.date]]:
    """``{(plan k, phase i): (start, end)}`` from the report of :func:`taskjuggler_project`,
    as planner dates: the end is the last booked day (tj3 ends a task at 00:00 the day
    after), a milestone's start and end are its day."""
    out: dict[tuple[int, int], tuple[dt.date, dt.date]] = {}
    rows = csv.reader(io.StringIO(text), delimiter=";")
    next(rows, None)
    for row in rows:
        if len(row) < 3:
            continue
        tid, start, end = row[0], row[1], row[2]
        parts = tid.split(".")
        if len(parts) != 2 or not parts[1].startswith("p"):
            continue
        k, i = int(parts[0][1:]), int(parts[1][1:])
        s = dt.datetime.strptime(start, "%Y-%m-%d-%H:%M")
        e = dt.datetime.strptime(end, "%Y-%m-%d-%H:%M")
        last = s.date() if e == s else (e - dt.timedelta(minutes=1)).date()
        out[(k, i)] = (s.date(), last)
    return out
