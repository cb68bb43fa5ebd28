"""Baseline and forecast of a running mission as of a check date (tracking.md, binding).

* **Baseline**: the schedule of the plan with the log ignored (``schedule_plan``).
* A plan with no log as of the check date ``A`` (no booking on a phase on or before ``A``,
  no phase ``done_on`` on or before ``A``) is not tracked: its forecast is its baseline
  (or, with a what-if, the plan's schedule on that many days a week).
* A phase with ``done_on <= A`` is **done**: actual start its first booking (else its
  baseline start), actual end ``done_on``; it takes no further day.
* Otherwise its **booked** days are its bookings on or before ``A``, its **remaining**
  effort ``max(effort_days - booked, 0)``; it has **started** on its first booking.
* The remaining efforts (a part day counts as a whole day to book) are scheduled by the
  same serial scheduler, with no day on or before ``A``; a done phase satisfies its
  dependants, and so does a phase whose effort is **used up** but that is not closed: it
  ends on its last booking (a finding of the rule engine).
* **Variance** = forecast end − baseline end in COO working days (the plan's calendar).

Bookings after ``A``, on an unknown phase, and ``done_on`` after ``A`` are ignored here
(the rule engine reports them). Everything is a pure function of the plan and ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from releve.planner.calendar import WorkCalendar
from releve.planner.records import record
from releve.planner.schedule import PhaseSlot, Remaining, Schedule, _schedule, schedule_plan

if TYPE_CHECKING:  # annotations only: `releve check` tracks without pydantic
    from releve.planner.model import Plan

ONE_DAY = dt.timedelta(days=1)


@record
class PhaseTrack:
    """One phase as of the check date."""

    id: str
    effort_days: int
    booked: float  # days of its bookings on or before the check date
    remaining: float  # 0 when done
    done: bool  # done_on on or before the check date
    done_on: dt.date | None  # as the file says (also when after the check date)
    started: bool  # at least one booking on or before the check date
    used_up: bool  # effort used up (booked >= effort > 0) and not done
    first_booking: dt.date | None
    last_booking: dt.date | None
    baseline: PhaseSlot | None
    forecast: PhaseSlot | None
    variance_days: int | None  # forecast end − baseline end, COO working days

    @property
    def status(self) -> str:
        """done | used_up | started | planned"""
        if self.done:
            return "done"
        if self.used_up:
            return "used_up"
        return "started" if self.started else "planned"


@record
class Tracking:
    """Baseline, forecast and consumption of a plan as of ``as_of``."""

    as_of: dt.date
    tracked: bool
    baseline: Schedule
    forecast: Schedule
    phases: dict[str, PhaseTrack]  # plan order
    variance_days: int | None  # mission forecast end − baseline end, COO working days
    booked_days: float  # every booking on or before the check date (any phase)
    remaining_days: float  # remaining effort of the phases not done
    contracted_days: int | None
    elapsed_share: float | None  # COO working days elapsed ÷ those of the baseline
    burn_share: float | None  # booked ÷ contracted

    @property
    def forecast_days(self) -> float:
        return self.booked_days + self.remaining_days

    @property
    def over_contract_days(self) -> float | None:
        if self.contracted_days is None:
            return None
        return max(0.0, self.forecast_days - self.contracted_days)


#: Past this many calendar days apart, a variance is counted from the weekly rhythm of the
#: COO's workdays instead of day by day (a gap of decades is a typing error in a date, not a
#: slip; walking it day by day through public holidays took minutes).
EXACT_SPAN_DAYS = 3660


def working_days_between(cal: WorkCalendar, base: dt.date, other: dt.date) -> int:
    """``other − base`` in COO working days: positive when ``other`` is later (exact within
    ten years; beyond, from the weekly rhythm, holidays not deducted)."""
    span = abs((other - base).days)
    if span > EXACT_SPAN_DAYS:
        per_week = len(cal.workdays)
        count = span // 7 * per_week + sum(
            1
            for k in range(1, span % 7 + 1)
            if (min(base, other).weekday() + (span // 7) * 7 + k) % 7 in cal.workdays
        )
        return count if other > base else -count
    if other > base:
        return cal.count_working(base + ONE_DAY, other)
    if other < base:
        return -cal.count_working(other + ONE_DAY, base)
    return 0


def track(
    plan: Plan,
    as_of: dt.date,
    *,
    days_per_week: int | None = None,
    baseline: Schedule | None = None,
) -> Tracking:
    """Baseline and forecast of ``plan`` as of ``as_of`` (``baseline``: the plan's schedule
    when the caller already has it). ``days_per_week`` is a what-if on the forecast."""
    if baseline is None:
        baseline = schedule_plan(plan)
    phases = plan.phase
    known = {p.id for p in phases}
    booked: dict[str, float] = {}
    days: dict[str, set[dt.date]] = {}
    booked_all = 0.0
    for b in plan.booking:
        if b.on > as_of:
            continue
        booked_all += b.days
        if b.phase in known:
            booked[b.phase] = booked.get(b.phase, 0.0) + b.days
            days.setdefault(b.phase, set()).add(b.on)
    done = {p.id for p in phases if p.done_on is not None and p.done_on <= as_of}
    tracked = bool(booked or done)
    used_up = {
        p.id
        for p in phases
        if p.id not in done and p.effort_days > 0 and booked.get(p.id, 0.0) >= p.effort_days
    }
    remaining = {
        p.id: 0.0 if p.id in done else max(p.effort_days - booked.get(p.id, 0.0), 0.0)
        for p in phases
    }
    if tracked:
        rest = _schedule(
            plan,
            days_per_week,
            with_slack=True,
            remaining=Remaining(
                done=frozenset(done | used_up),
                effort={pid: math.ceil(r) for pid, r in remaining.items()},
                not_before=as_of + ONE_DAY,
            ),
        )
    elif days_per_week is not None:
        rest = schedule_plan(plan, days_per_week=days_per_week)
    else:
        rest = baseline
    cal = WorkCalendar.for_plan(plan)
    tracks: dict[str, PhaseTrack] = {}
    slots: dict[str, PhaseSlot] = {}
    for p in phases:
        own = sorted(days.get(p.id, ()))
        base = baseline.phases.get(p.id)
        slot = _forecast_slot(p.id, p.effort_days, own, base, rest, p.done_on, p.id in done)
        if p.id in used_up:
            slot = PhaseSlot(p.id, tuple(own), own[0], own[-1], p.effort_days, 0, False)
        if slot is not None:
            slots[p.id] = slot
        tracks[p.id] = PhaseTrack(
            id=p.id,
            effort_days=p.effort_days,
            booked=booked.get(p.id, 0.0),
            remaining=remaining[p.id],
            done=p.id in done,
            done_on=p.done_on,
            started=bool(own),
            used_up=p.id in used_up,
            first_booking=own[0] if own else None,
            last_booking=own[-1] if own else None,
            baseline=base,
            forecast=slot,
            variance_days=(
                working_days_between(cal, base.end, slot.end)
                if base is not None and slot is not None
                else None
            ),
        )
    end = max((s.end for s in slots.values()), default=None)
    target = baseline.target_date
    forecast = Schedule(
        start=plan.mission.start,
        phases=slots,
        problems=rest.problems,
        end=end,
        coo_days=sum(len(s.days) for s in slots.values()),
        target_date=target,
        meets_target=(end <= target) if target and end and rest.ok else None,
        days_per_week=days_per_week,
        unscheduled=tuple(p.id for p in phases if p.id not in slots),
    )
    contracted = plan.coo.contracted_days if plan.coo else None
    start = plan.mission.start
    elapsed = None
    if baseline.end is not None:
        span = cal.count_working(start, baseline.end)
        if span > 0:
            elapsed = min(1.0, cal.count_working(start, min(as_of, baseline.end)) / span)
    return Tracking(
        as_of=as_of,
        tracked=tracked,
        baseline=baseline,
        forecast=forecast,
        phases=tracks,
        variance_days=(
            working_days_between(cal, baseline.end, end)
            if baseline.end is not None and end is not None
            else None
        ),
        booked_days=booked_all,
        remaining_days=sum(r for pid, r in remaining.items() if pid not in done),
        contracted_days=contracted,
        elapsed_share=elapsed,
        burn_share=(booked_all / contracted) if contracted else None,
    )


def _forecast_slot(
    pid: str,
    effort: int,
    own: list[dt.date],
    base: PhaseSlot | None,
    rest: Schedule,
    done_on: dt.date | None,
    done: bool,
) -> PhaseSlot | None:
    """A phase's forecast: its booked days (facts) followed by its scheduled ones."""
    if done:
        assert done_on is not None
        if own:
            start = own[0]
        elif base is not None:
            start = min(base.start, done_on)
        else:
            start = done_on
        return PhaseSlot(pid, tuple(own), min(start, done_on), done_on, effort, 0, False)
    slot = rest.phases.get(pid)
    if slot is None:
        return None
    if not own:
        return slot if slot.effort_days == effort else _with_effort(slot, effort)
    return PhaseSlot(
        pid,
        tuple(own) + slot.days,
        own[0],
        slot.end if slot.days else own[-1],
        effort,
        slot.slack_days,
        slot.critical,
    )


def _with_effort(slot: PhaseSlot, effort: int) -> PhaseSlot:
    return PhaseSlot(
        slot.id, slot.days, slot.start, slot.end, effort, slot.slack_days, slot.critical
    )
