"""The serial schedule on worked examples: interleaving, priority, milestones, slack,
problems named, what-if figures."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from random_plans import SAMPLES

from releve.planner.model import Plan
from releve.planner.schedule import (
    ProblemKind,
    end_with_days_per_week,
    fewest_days_per_week,
    schedule_plan,
    what_if_ends,
)

D = dt.date
MON = D(2027, 1, 4)  # a Monday; Friday 1 January is a holiday


def plan(phases: list[dict], **tables: object) -> Plan:
    data: dict = {"mission": {"id": "m", "start": MON}, "phase": phases}
    data.update(tables)
    return Plan.model_validate(data)


def ph(pid: str, effort: int, *after: str, **kw: object) -> dict:
    return {"id": pid, "kind": "project", "effort_days": effort, "after": list(after), **kw}


def days(s, pid: str) -> list[dt.date]:
    return list(s.phases[pid].days)


def test_two_ready_phases_do_not_run_side_by_side_they_interleave() -> None:
    s = schedule_plan(plan([ph("x", 2, not_before=D(2027, 1, 6)), ph("y", 4)]))
    assert days(s, "x") == [D(2027, 1, 6), D(2027, 1, 7)]
    # y is taken second: it gets the days x left, before and after x's.
    assert days(s, "y") == [D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 8), D(2027, 1, 11)]
    assert (s.phases["y"].start, s.phases["y"].end) == (D(2027, 1, 4), D(2027, 1, 11))
    assert s.end == D(2027, 1, 11) and s.coo_days == 6


def test_higher_priority_is_taken_first() -> None:
    s = schedule_plan(plan([ph("x", 2, not_before=D(2027, 1, 6)), ph("y", 4, priority=10)]))
    assert days(s, "y") == [D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 6), D(2027, 1, 7)]
    assert days(s, "x") == [D(2027, 1, 8), D(2027, 1, 11)]


def test_a_phase_waits_for_its_after_phases_and_the_next_ready_by_rank_goes_first() -> None:
    s = schedule_plan(plan([ph("a", 2), ph("b", 3, "a"), ph("c", 1)]))
    assert days(s, "a") == [D(2027, 1, 4), D(2027, 1, 5)]
    # after a, b (rank 1) and c (rank 2) are ready: b first.
    assert days(s, "b") == [D(2027, 1, 6), D(2027, 1, 7), D(2027, 1, 8)]
    assert days(s, "c") == [D(2027, 1, 11)]


def test_milestone_is_its_earliest_day_and_the_next_phase_starts_the_day_after() -> None:
    s = schedule_plan(plan([ph("a", 4), ph("gate", 0, "a"), ph("b", 1, "gate"), ph("c", 1, "a")]))
    assert days(s, "a")[-1] == D(2027, 1, 7)  # Thursday
    gate = s.phases["gate"]
    assert (gate.start, gate.end, gate.days) == (D(2027, 1, 8), D(2027, 1, 8), ())
    assert days(s, "b") == [D(2027, 1, 11)]  # the day after Friday's milestone: Monday
    assert days(s, "c") == [D(2027, 1, 8)]  # straight after a


def test_milestone_on_a_day_off_and_before_the_mission_start() -> None:
    s = schedule_plan(plan([ph("kickoff", 0, not_before=D(2026, 12, 1)), ph("a", 1, "kickoff")]))
    assert s.phases["kickoff"].start == MON
    assert days(s, "a") == [D(2027, 1, 5)]


def test_holidays_closures_and_leave_are_skipped() -> None:
    s = schedule_plan(
        plan(
            [ph("a", 3, not_before=D(2027, 4, 26))],
            coo={
                "workdays": ["mon", "tue"],
                "leave": [{"from": D(2027, 5, 3), "to": D(2027, 5, 7)}],
            },
            company={"closures": [{"from": D(2027, 5, 10), "to": D(2027, 5, 11)}]},
        )
    )
    # 26-27 April work; 3-4 May leave; 10-11 May closure; 17 May Whit Monday; 18 May works.
    assert days(s, "a") == [D(2027, 4, 26), D(2027, 4, 27), D(2027, 5, 18)]


def test_slack_and_critical_against_the_target_date() -> None:
    phases = [ph("a", 2), ph("b", 3, "a"), ph("c", 1)]
    s = schedule_plan(plan(phases, exit={"target_date": D(2027, 1, 15)}))
    # b ends Fri 8th: 11..15 January are 5 working days of slack.
    assert s.phases["b"].slack_days == 5
    # b could start as late as Wed 13th, so a may end on Tue 12th: 5 days of slack.
    assert s.phases["a"].slack_days == 5
    assert s.phases["c"].slack_days == 4
    assert s.meets_target is True
    assert not any(slot.critical for slot in s.phases.values())


def test_without_target_the_mission_end_is_the_deadline_and_the_last_phase_is_critical() -> None:
    s = schedule_plan(plan([ph("a", 2), ph("b", 3, "a"), ph("c", 1)]))
    assert s.end == D(2027, 1, 11) and s.meets_target is None
    assert {pid: slot.slack_days for pid, slot in s.phases.items()} == {"a": 1, "b": 1, "c": 0}
    assert [pid for pid, slot in s.phases.items() if slot.critical] == ["c"]


def test_missed_target_gives_negative_slack_and_critical_phases() -> None:
    s = schedule_plan(
        plan([ph("a", 2), ph("b", 3, "a"), ph("c", 1)], exit={"target_date": D(2027, 1, 7)})
    )
    assert s.meets_target is False
    assert s.phases["c"].slack_days == -2  # 8th and 11th are too late
    assert s.phases["c"].critical and s.phases["b"].critical


def test_plan_without_phases_coo_or_company() -> None:
    s = schedule_plan(Plan.model_validate({"mission": {"id": "m", "start": MON}}))
    assert s.ok and s.phases == {} and s.end is None and s.coo_days == 0
    assert s.meets_target is None
    assert fewest_days_per_week(Plan.model_validate({"mission": {"id": "m", "start": MON}})) is None


def test_unknown_phase_in_after_is_named_and_the_rest_is_scheduled() -> None:
    s = schedule_plan(plan([ph("a", 1), ph("b", 1, "nope"), ph("c", 1, "b"), ph("d", 1)]))
    assert not s.ok
    (problem,) = s.problems
    assert problem.kind is ProblemKind.unknown_phase and problem.phases == ("b",)
    assert "'b'" in problem.message and "'nope'" in problem.message
    assert list(s.phases) == ["a", "d"] and s.unscheduled == ("b", "c")
    assert s.meets_target is None


def test_cycle_is_named_not_an_endless_loop() -> None:
    s = schedule_plan(
        plan(
            [
                ph("a", 1, "c"),
                ph("b", 1, "a"),
                ph("c", 1, "b"),
                ph("d", 1, "c"),
                ph("e", 2),
                ph("self", 1, "self"),
            ]
        )
    )
    kinds = {(p.kind, p.phases) for p in s.problems}
    assert kinds == {(ProblemKind.cycle, ("a", "b", "c")), (ProblemKind.cycle, ("self",))}
    cycle = next(p for p in s.problems if p.phases == ("a", "b", "c"))
    assert "a → b → c → a" in cycle.message
    assert list(s.phases) == ["e"] and s.unscheduled == ("a", "b", "c", "d", "self")


def test_effort_that_never_fits_is_named() -> None:
    s = schedule_plan(plan([ph("a", 3), ph("b", 0, "a"), ph("m", 0)], coo={"workdays": []}))
    (problem,) = s.problems
    assert problem.kind is ProblemKind.no_fit and problem.phases == ("a",)
    assert "no workdays" in problem.message and "'a'" in problem.message
    assert list(s.phases) == ["m"] and s.unscheduled == ("a", "b")
    huge = schedule_plan(plan([ph("a", 5000)], coo={"workdays": ["mon"]}))
    assert huge.problems[0].kind is ProblemKind.no_fit
    late = schedule_plan(plan([ph("a", 1, not_before=D(2040, 1, 1))]))
    assert late.problems[0].phases == ("a",)


def sample() -> Plan:
    path = SAMPLES / "atelier-durand.toml"
    if not path.exists():
        pytest.skip("sample mission not there")
    return Plan.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


def test_what_if_days_per_week() -> None:
    p = plan([ph("a", 10), ph("b", 10, "a")], exit={"target_date": D(2027, 3, 1)})
    # 20 COO days: Mondays only till 31 May (Easter and Whit Monday off), Monday-Tuesday
    # till 9 March, full weeks till 29 January.
    assert end_with_days_per_week(p, 1) == D(2027, 5, 31)
    assert end_with_days_per_week(p, 5) == D(2027, 1, 29)
    assert fewest_days_per_week(p) == 3
    assert schedule_plan(p, days_per_week=2).meets_target is False
    assert schedule_plan(p, days_per_week=3).meets_target is True
    assert schedule_plan(p, days_per_week=3).days_per_week == 3
    assert what_if_ends(p)[5] == D(2027, 1, 29)
    never = plan([ph("a", 100)], exit={"target_date": D(2027, 2, 1)})
    assert fewest_days_per_week(never) is None


def test_sample_mission_meets_its_target() -> None:
    s = schedule_plan(sample())
    assert s.ok and s.meets_target is True
    assert s.coo_days == sum(p.effort_days for p in sample().phase)
    for slot in s.phases.values():
        assert all(d.weekday() in (0, 1) for d in slot.days)  # Claire works Monday-Tuesday
