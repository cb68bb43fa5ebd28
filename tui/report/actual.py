"""Plan against actual, for the report (issue 11, tracking.md "Where it shows"): what the
HTML and Markdown sections show of a tracked mission, computed once from the check result.

Pure: the forecast comes from planner.tracking as of the report's check date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from releve.planner.model import Deliverable, Meeting, Plan, Transfer
from releve.planner.tracking import PhaseTrack, Tracking, track
from releve.tui.report import Report


@dataclass(frozen=True)
class Delivered:
    phase: str  # the phase's name
    name: str
    delivered_on: dt.date | None
    accepted_by: str | None  # the person's name
    due: bool  # its phase is done, or its baseline end has passed


@dataclass(frozen=True)
class MonthDays:
    month: dt.date  # the first of the month
    booked: float  # COO days booked that month
    total: float  # booked up to the end of that month


@dataclass(frozen=True)
class Actual:
    tracking: Tracking
    phases: list[tuple[str, PhaseTrack]]  # (name, its track), plan order
    deliverables: list[Delivered]
    transfers: list[Transfer]  # done, with their done_on
    meetings: list[Meeting]  # the last steering/codir meetings, newest first
    open_actions: list[tuple[Meeting, int]]  # (meeting, index of an action not done)
    months: list[MonthDays]
    people: dict[str, str]  # person id -> name


def tracking_of(report: Report) -> Tracking:
    """The tracking the check pipeline computed with the result, else computed here."""
    carried = getattr(report.result, "tracking", None)
    if isinstance(carried, Tracking):
        return carried
    return track(report.plan, report.as_of, baseline=report.schedule)


def actual_of(report: Report, *, last_meetings: int = 3) -> Actual | None:
    """What the report shows of the log; None for a plan with no log (not tracked)."""
    plan, as_of = report.plan, report.as_of
    t = tracking_of(report)
    if not t.tracked and not plan.meeting:
        return None
    people = {p.id: p.name or p.id for p in plan.person}
    phases = [(p.name or p.id, t.phases[p.id]) for p in plan.phase if p.id in t.phases]
    return Actual(
        tracking=t,
        phases=phases,
        deliverables=_deliverables(plan, t, as_of, people),
        transfers=[x for x in plan.transfer if str(x.status) == "done"],
        meetings=sorted(
            (m for m in plan.meeting if str(m.kind) in ("steering", "codir") and m.on <= as_of),
            key=lambda m: m.on,
            reverse=True,
        )[:last_meetings],
        open_actions=[
            (m, i)
            for m in sorted(plan.meeting, key=lambda m: m.on)
            for i, a in enumerate(m.actions)
            if a.done_on is None or a.done_on > as_of
        ],
        months=_months(plan, as_of),
        people=people,
    )


def _deliverables(
    plan: Plan, t: Tracking, as_of: dt.date, people: dict[str, str]
) -> list[Delivered]:
    out = []
    for p in plan.phase:
        pt = t.phases.get(p.id)
        base_end = pt.baseline.end if pt and pt.baseline else None
        due = bool(pt and pt.done) or (base_end is not None and base_end < as_of)
        for d in p.deliverables:
            if isinstance(d, Deliverable):
                on = d.delivered_on if d.delivered_on and d.delivered_on <= as_of else None
                by = people.get(d.accepted_by, d.accepted_by) if d.accepted_by and on else None
                out.append(Delivered(p.name or p.id, d.name, on, by, due))
            else:
                out.append(Delivered(p.name or p.id, str(d), None, None, due))
    return out


def _months(plan: Plan, as_of: dt.date) -> list[MonthDays]:
    """COO days booked per month up to the check date, with the running total."""
    per: dict[dt.date, float] = {}
    for b in plan.booking:
        if b.on <= as_of:
            first = b.on.replace(day=1)
            per[first] = per.get(first, 0.0) + b.days
    total = 0.0
    out = []
    for month in sorted(per):
        total += per[month]
        out.append(MonthDays(month, per[month], total))
    return out
