"""Baseline and forecast as of a check date (tracking.md): examples for each rule, and
properties on random plans (hypothesis)."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_plans import random_plan

from releve.planner.calendar import WorkCalendar
from releve.planner.model import Booking, Coo, Exit, MissionInfo, Phase, PhaseKind, Plan
from releve.planner.schedule import schedule_plan
from releve.planner.tracking import track, working_days_between

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
D = dt.date
MON = D(2027, 1, 4)  # a Monday, no holiday that week


def plan_of(*phases: Phase, contracted: int | None = None, workdays=None) -> Plan:
    return Plan(
        mission=MissionInfo(id="m", start=MON),
        coo=Coo(
            workdays=workdays or ["mon", "tue", "wed", "thu", "fri"], contracted_days=contracted
        ),
        exit=Exit(target_date=D(2027, 6, 30)),
        phase=list(phases),
    )


def ph(pid: str, effort: int, *after: str, **kw) -> Phase:
    return Phase(id=pid, kind=PhaseKind.project, effort_days=effort, after=list(after), **kw)


def book(plan: Plan, pid: str, *days: dt.date, part: float = 1) -> Plan:
    plan.booking.extend(Booking(on=d, phase=pid, days=part) for d in days)
    return plan


def ends(t, which: str = "forecast") -> dict[str, tuple[dt.date, dt.date]]:
    sched = getattr(t, which)
    return {pid: (s.start, s.end) for pid, s in sched.phases.items()}


# --- each rule of tracking.md ---------------------------------------------------------------


def test_no_log_forecast_is_the_baseline_whatever_the_date() -> None:
    plan = plan_of(ph("a", 5), ph("b", 3, "a"))
    t = track(plan, D(2027, 3, 1))  # long after the baseline
    assert not t.tracked
    assert (
        ends(t)
        == ends(t, "baseline")
        == {
            "a": (MON, D(2027, 1, 8)),
            "b": (D(2027, 1, 11), D(2027, 1, 13)),
        }
    )
    assert t.variance_days == 0


def test_a_done_phase_ends_on_done_on_and_frees_its_dependants() -> None:
    plan = plan_of(ph("a", 5, done_on=D(2027, 1, 12)), ph("b", 3, "a"))
    book(plan, "a", MON, D(2027, 1, 5))
    t = track(plan, D(2027, 1, 13))  # a Wednesday
    assert t.phases["a"].done and t.phases["a"].remaining == 0
    assert ends(t)["a"] == (MON, D(2027, 1, 12))
    # b is after a (done): it starts the day after the check date, not after a's baseline
    assert ends(t)["b"] == (D(2027, 1, 14), D(2027, 1, 18))
    assert t.phases["b"].variance_days == 3  # baseline end 13th → forecast 18th
    assert t.phases["a"].variance_days == 2  # baseline end the 8th, done the 12th


def test_a_done_phase_without_bookings_starts_on_its_baseline_start() -> None:
    plan = plan_of(ph("x", 1), ph("a", 5, done_on=D(2027, 1, 14)))
    plan.phase[0] = ph("x", 1, done_on=MON)
    t = track(plan, D(2027, 1, 20))
    assert ends(t)["a"] == (D(2027, 1, 5), D(2027, 1, 14))


def test_a_part_booked_phase_books_its_remaining_days_after_the_check_date() -> None:
    plan = book(plan_of(ph("a", 5), ph("b", 2, "a")), "a", MON, D(2027, 1, 5))
    t = track(plan, D(2027, 1, 8))  # Friday: nothing booked Wed-Fri
    a = t.phases["a"]
    assert (a.booked, a.remaining, a.started, a.done) == (2, 3, True, False)
    assert ends(t)["a"] == (MON, D(2027, 1, 13))  # started on its first booking
    assert t.forecast.phases["a"].days == (
        MON,
        D(2027, 1, 5),
        D(2027, 1, 11),
        D(2027, 1, 12),
        D(2027, 1, 13),
    )
    assert ends(t)["b"] == (D(2027, 1, 14), D(2027, 1, 15))
    assert t.booked_days == 2 and t.remaining_days == 5


def test_a_half_day_left_takes_a_whole_day_of_the_schedule() -> None:
    plan = book(plan_of(ph("a", 2)), "a", MON, part=0.5)
    plan = book(plan, "a", D(2027, 1, 5))
    t = track(plan, D(2027, 1, 5))
    assert t.phases["a"].remaining == 0.5
    assert ends(t)["a"] == (MON, D(2027, 1, 6))


def test_bookings_and_done_on_after_the_check_date_are_ignored() -> None:
    plan = plan_of(ph("a", 3, done_on=D(2027, 1, 20)))
    book(plan, "a", D(2027, 1, 18), D(2027, 1, 19))
    t = track(plan, D(2027, 1, 8))
    assert not t.tracked  # nothing logged as of the 8th
    assert ends(t) == ends(t, "baseline")
    book(plan, "a", MON)
    t = track(plan, D(2027, 1, 8))
    assert t.tracked and t.phases["a"].booked == 1 and not t.phases["a"].done
    assert ends(t)["a"] == (MON, D(2027, 1, 12))


def test_used_up_effort_ends_on_its_last_booking_and_frees_its_dependants() -> None:
    plan = book(plan_of(ph("a", 2), ph("b", 1, "a")), "a", MON, D(2027, 1, 5))
    t = track(plan, D(2027, 1, 7))
    assert t.phases["a"].used_up and t.phases["a"].status == "used_up"
    assert ends(t)["a"] == (MON, D(2027, 1, 5))
    assert ends(t)["b"] == (D(2027, 1, 8), D(2027, 1, 8))  # the day after the check date


def test_a_booking_on_an_unknown_phase_counts_against_the_contract_only() -> None:
    plan = book(plan_of(ph("a", 2), contracted=10), "nowhere", MON)
    t = track(plan, D(2027, 1, 4))
    assert not t.tracked and t.booked_days == 1 and t.forecast_days == 3
    assert t.burn_share == 0.1


def test_consumption_against_the_contract() -> None:
    plan = plan_of(ph("a", 4, done_on=D(2027, 1, 7)), ph("b", 6, "a"), contracted=8)
    book(plan, "a", MON, D(2027, 1, 5), D(2027, 1, 6), D(2027, 1, 7), D(2027, 1, 8))
    t = track(plan, D(2027, 1, 8))
    assert (t.booked_days, t.remaining_days, t.forecast_days) == (5, 6, 11)
    assert t.over_contract_days == 3
    assert t.burn_share == 5 / 8
    assert t.elapsed_share == 5 / 10  # 5 of the baseline's 10 working days


def test_what_if_applies_to_the_forecast_only() -> None:
    plan = book(plan_of(ph("a", 4)), "a", MON)
    t = track(plan, D(2027, 1, 4), days_per_week=1)  # Mondays only from now on
    assert ends(t, "baseline")["a"] == (MON, D(2027, 1, 7))
    assert ends(t)["a"] == (MON, D(2027, 1, 25))
    assert t.forecast.days_per_week == 1


def test_variance_counts_working_days_of_the_coo() -> None:
    cal = WorkCalendar.for_plan(plan_of(workdays=["mon", "tue"]))
    assert working_days_between(cal, D(2027, 1, 4), D(2027, 1, 12)) == 3  # tue 5, mon 11, tue 12
    assert working_days_between(cal, D(2027, 1, 12), D(2027, 1, 4)) == -3
    assert working_days_between(cal, MON, MON) == 0


# --- properties on random plans ----------------------------------------------------------------

plans = st.randoms(use_true_random=False).map(random_plan)
dates = st.integers(min_value=-30, max_value=500)


@SETTINGS
@given(plans, dates)
def test_with_no_log_the_forecast_is_the_baseline(plan: Plan, offset: int) -> None:
    t = track(plan, plan.mission.start + dt.timedelta(days=offset))
    assert not t.tracked
    assert t.forecast.phases == t.baseline.phases
    assert t.forecast.end == t.baseline.end


def _log(plan: Plan, rng: random.Random, as_of: dt.date) -> Plan:
    """Random log as of ``as_of``: some phases done, others part-booked (never used up)."""
    plan = plan.model_copy(deep=True)
    cal = WorkCalendar.for_plan(plan)
    past = cal.working_days(plan.mission.start, as_of)
    for p in plan.phase:
        roll = rng.random()
        if roll < 0.3 and past:
            p.done_on = rng.choice(past)
        elif roll < 0.6 and p.effort_days > 1 and past:
            for day in rng.sample(past, min(len(past), rng.randint(1, p.effort_days - 1))):
                plan.booking.append(Booking(on=day, phase=p.id))
    return plan


def _by_hand(plan: Plan, as_of: dt.date) -> Plan:
    """tracking.md's forecast written as a plan: done phases out of the plan and of every
    `after`, each other phase's effort its remaining days, not before the day after."""
    done = {p.id for p in plan.phase if p.done_on is not None and p.done_on <= as_of}
    booked: dict[str, float] = {}
    for b in plan.booking:
        if b.on <= as_of:
            booked[b.phase] = booked.get(b.phase, 0) + b.days
    day_after = as_of + dt.timedelta(days=1)
    phases = [
        p.model_copy(
            update={
                "after": [a for a in p.after if a not in done],
                "effort_days": int(max(p.effort_days - booked.get(p.id, 0), 0)),
                "not_before": max(p.not_before or day_after, day_after),
                "done_on": None,
            }
        )
        for p in plan.phase
        if p.id not in done
    ]
    return plan.model_copy(update={"phase": phases, "booking": []})


@SETTINGS
@given(st.randoms(use_true_random=False), dates)
def test_the_forecast_is_the_baseline_of_the_plan_rewritten_by_hand(rng, offset) -> None:
    plan = random_plan(rng)
    as_of = plan.mission.start + dt.timedelta(days=abs(offset))
    logged = _log(plan, rng, as_of)
    t = track(logged, as_of)
    if not t.tracked:  # nothing logged: the forecast is the baseline (the test above)
        return
    hand = schedule_plan(_by_hand(logged, as_of))
    assert hand.problems == t.forecast.problems
    for pid, slot in hand.phases.items():
        got = t.forecast.phases[pid]
        assert got.end == slot.end, pid
        if not t.phases[pid].started:
            assert got.start == slot.start, pid
    for pid, tr in t.phases.items():
        if tr.done:
            assert t.forecast.phases[pid].end == tr.done_on


@SETTINGS
@given(st.randoms(use_true_random=False), dates, st.integers(0, 10_000))
def test_a_booking_within_effort_never_moves_the_end_later(rng, offset, pick) -> None:
    plan = random_plan(rng)
    as_of = plan.mission.start + dt.timedelta(days=abs(offset))
    logged = _log(plan, rng, as_of)
    before = track(logged, as_of)
    open_ = [
        tr
        for tr in before.phases.values()
        if not tr.done and tr.booked + 1 <= tr.effort_days and tr.forecast is not None
    ]
    past = WorkCalendar.for_plan(plan).working_days(plan.mission.start, as_of)
    if not open_ or not past or before.forecast.end is None:
        return
    chosen = open_[pick % len(open_)]
    more = logged.model_copy(deep=True)
    more.booking.append(Booking(on=past[pick % len(past)], phase=chosen.id))
    after = track(more, as_of)
    if before.tracked:
        assert after.forecast.end is not None and after.forecast.end <= before.forecast.end


@SETTINGS
@given(st.randoms(use_true_random=False), st.integers(0, 60))
def test_bookings_summing_to_effort_and_done_on_give_the_actual_dates(rng, gap) -> None:
    plan = random_plan(rng)
    cal = WorkCalendar.for_plan(plan)
    phase = next((p for p in plan.phase if p.effort_days), None)
    if phase is None:
        return
    first = plan.mission.start + dt.timedelta(days=gap)
    days = cal.working_days(first, first + dt.timedelta(days=400))[: phase.effort_days]
    if len(days) < phase.effort_days:
        return
    logged = plan.model_copy(deep=True)
    logged.booking = [Booking(on=d, phase=phase.id) for d in days]
    logged.phase_by_id(phase.id).done_on = days[-1]  # type: ignore[union-attr]
    t = track(logged, days[-1] + dt.timedelta(days=rng.randint(0, 30)))
    slot = t.forecast.phases[phase.id]
    assert (slot.start, slot.end) == (days[0], days[-1])
    assert slot.days == tuple(days)
    assert t.phases[phase.id].booked == phase.effort_days


@given(weeks=st.integers(523, 100_000), extra=st.integers(0, 6), back=st.booleans())
@settings(max_examples=30, deadline=None)
def test_a_variance_of_decades_is_counted_from_the_weekly_rhythm(weeks, extra, back) -> None:
    """A date typed decades off (a done_on in 2026 for a mission starting in 9000) gives a
    variance at once: the COO's workdays week by week, never a walk through every holiday."""
    cal = WorkCalendar.for_plan(plan_of(workdays=["mon", "tue"]))
    base = dt.date(2027, 1, 4)  # a Monday
    other = base + dt.timedelta(days=7 * weeks + extra)
    want = 2 * weeks + sum(1 for k in range(1, extra + 1) if k % 7 in (0, 1))
    got = working_days_between(cal, other, base) if back else working_days_between(cal, base, other)
    assert got == (-want if back else want)
