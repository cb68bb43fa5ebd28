"""Properties of the serial schedule on random plans (hypothesis)."""

from __future__ import annotations

import copy
import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_plans import random_plan, random_plan_data

from releve.planner.calendar import public_holidays
from releve.planner.model import Plan
from releve.planner.schedule import fewest_days_per_week, schedule_plan

NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

plans = st.randoms(use_true_random=False).map(random_plan)


def naive_is_working(plan: Plan, day: dt.date) -> bool:
    """The definition of a COO working day, written out plainly (scheduling.md)."""
    workdays = [str(d) for d in plan.coo.workdays] if plan.coo else NAMES[:5]
    country = plan.company.country if plan.company else "FR"
    periods = (plan.company.closures if plan.company else []) + (plan.coo.leave if plan.coo else [])
    return (
        NAMES[day.weekday()] in workdays
        and day not in public_holidays(country, day.year)
        and not any(p.from_ <= day <= p.to for p in periods)
    )


@SETTINGS
@given(plans)
def test_every_booked_day_is_a_working_day_booked_once(plan: Plan) -> None:
    s = schedule_plan(plan)
    assert s.ok
    seen: set[dt.date] = set()
    for slot in s.phases.values():
        for day in slot.days:
            assert naive_is_working(plan, day), (slot.id, day)
            assert day not in seen, (slot.id, day)
            seen.add(day)
    assert s.coo_days == len(seen) == sum(p.effort_days for p in plan.phase)


@SETTINGS
@given(plans)
def test_each_phase_books_its_effort_and_respects_after_and_not_before(plan: Plan) -> None:
    s = schedule_plan(plan)
    assert list(s.phases) == [p.id for p in plan.phase]  # all scheduled, in plan order
    for phase in plan.phase:
        slot = s.phases[phase.id]
        assert len(slot.days) == slot.effort_days == phase.effort_days
        assert list(slot.days) == sorted(set(slot.days))
        if slot.days:
            assert (slot.start, slot.end) == (slot.days[0], slot.days[-1])
        else:
            assert slot.start == slot.end
        assert slot.start >= plan.mission.start
        if phase.not_before:
            assert slot.start >= phase.not_before
        for other in phase.after:
            assert slot.start > s.phases[other].end, (phase.id, other)
    assert s.end == max(slot.end for slot in s.phases.values())


@SETTINGS
@given(plans)
def test_no_free_working_day_is_left_before_a_phase_ends(plan: Plan) -> None:
    """Greedy: between its earliest day and its end, every working day a phase did not
    take was taken by another phase."""
    s = schedule_plan(plan)
    taken = {day for slot in s.phases.values() for day in slot.days}
    for phase in plan.phase:
        slot = s.phases[phase.id]
        earliest = max(
            [plan.mission.start, phase.not_before or plan.mission.start]
            + [s.phases[a].end + dt.timedelta(days=1) for a in phase.after]
        )
        if not slot.days:
            assert slot.start == earliest
            continue
        day = earliest
        while day <= slot.end:
            if naive_is_working(plan, day):
                assert day in taken, (phase.id, day)
            day += dt.timedelta(days=1)


@SETTINGS
@given(plans)
def test_same_input_same_output(plan: Plan) -> None:
    assert schedule_plan(plan) == schedule_plan(copy.deepcopy(plan))
    again = Plan.model_validate(plan.model_dump(by_alias=True))
    assert schedule_plan(again) == schedule_plan(plan)


@SETTINGS
@given(plans)
def test_slack_and_target(plan: Plan) -> None:
    s = schedule_plan(plan)
    target = plan.exit.target_date if plan.exit else None
    if target is None:
        assert s.meets_target is None
        # Against the mission end, the phases that end last have no slack.
        assert all(slot.slack_days == 0 for slot in s.phases.values() if slot.end == s.end)
        assert all(slot.slack_days >= 0 for slot in s.phases.values())
    else:
        assert s.meets_target == (s.end <= target)
        if not s.meets_target:
            last = [slot for slot in s.phases.values() if slot.end == s.end and slot.days]
            assert all(slot.critical and slot.slack_days < 0 for slot in last)
    for slot in s.phases.values():
        assert slot.critical == (slot.slack_days <= 0)


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_fewest_days_per_week_is_the_first_that_meets_the_target(rng: random.Random) -> None:
    plan = random_plan(rng)
    n = fewest_days_per_week(plan)
    target = plan.exit.target_date if plan.exit else None
    meets = [
        target is not None
        and schedule_plan(plan, days_per_week=k).end is not None
        and schedule_plan(plan, days_per_week=k).end <= target
        for k in range(1, 6)
    ]
    expected = next((k for k in range(1, 6) if meets[k - 1]), None)
    assert n == expected


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_broken_graphs_are_reported_and_the_rest_scheduled(rng: random.Random) -> None:
    """Random `after` lists (cycles, unknown ids): never an exception or a hang; every
    phase is either scheduled or unscheduled, and each problem names phases."""
    data = random_plan_data(rng)
    ids = [p["id"] for p in data["phase"]]
    for row in data["phase"]:
        row["after"] = rng.sample(ids + ["ghost"], rng.randint(0, min(3, len(ids))))
    plan = Plan.model_validate(data)
    s = schedule_plan(plan)
    assert set(s.phases) | set(s.unscheduled) == set(ids)
    assert not set(s.phases) & set(s.unscheduled)
    named = {pid for problem in s.problems for pid in problem.phases}
    assert named <= set(s.unscheduled)
    assert bool(s.unscheduled) == bool(s.problems)
    for problem in s.problems:
        assert problem.phases and all(f"{pid}" in problem.message for pid in problem.phases)
