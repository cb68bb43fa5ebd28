"""Dates anywhere from 0001-01-01 to 9999-12-31: the planner and the schedule renderers never
raise; effort past the last date a calendar has is a no_fit problem naming the phases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releve.planner.calendar import WorkCalendar, _add_years
from releve.planner.model import Plan
from releve.planner.schedule import (
    ProblemKind,
    fewest_days_per_week,
    schedule_plan,
    what_if_ends,
)
from releve.tui.render.schedule import render_csv, render_ics, render_json, render_text, week_grid

D = dt.date
MAX = dt.date.max


def plan(start: dt.date, phases: list[dict], **tables: object) -> Plan:
    data: dict = {"mission": {"id": "m", "start": start}, "phase": phases}
    data.update(tables)
    return Plan.model_validate(data)


def ph(pid: str, effort: int, *after: str, **kw: object) -> dict:
    return {"id": pid, "kind": "project", "effort_days": effort, "after": list(after), **kw}


def renders(p: Plan, s) -> None:
    """Every format renders; the ICS parses back with each phase's dates."""
    text = render_text(p, s, lang="en", show_fewest=True)
    assert all(len(line) <= 100 for line in text.splitlines())
    json.loads(render_json(p, s, "p.toml"))
    rows = list(csv.DictReader(io.StringIO(render_csv(p, s))))
    assert [r["id"] for r in rows] == list(s.phases)
    cal = icalendar.Calendar.from_ical(render_ics(p, s, stamp=D(1, 1, 1)))
    events = {str(e["UID"]).split(".")[0]: e for e in cal.walk("VEVENT")}
    for pid, slot in s.phases.items():
        event = events[pid]
        assert event.decoded("DTSTART") == slot.start
        if "DTEND" in event:
            assert event.decoded("DTEND") == slot.end + dt.timedelta(days=1)
        else:  # ends on date.max: there is no day after it to be the exclusive end
            assert slot.end == MAX
            assert event.decoded("DURATION") == slot.end - slot.start + dt.timedelta(days=1)
    if s.target_date is not None:
        assert events["target-date"].decoded("DTSTART") == s.target_date


def test_add_years_stays_within_the_dates_that_exist() -> None:
    assert _add_years(D(9995, 6, 1), 10) == MAX
    assert _add_years(D(5, 6, 1), -10) == dt.date.min
    assert _add_years(D(2028, 2, 29), 10) == D(2038, 2, 28)


def test_the_calendar_of_the_last_year_includes_date_max() -> None:
    p = plan(D(9999, 12, 31), [])
    cal = WorkCalendar.for_plan(p)
    assert cal.window_last == MAX
    assert cal.is_working(MAX)  # a Friday
    assert cal.working_days(D(9999, 12, 27), MAX) == [
        D(9999, 12, 27),
        D(9999, 12, 28),
        D(9999, 12, 29),
        D(9999, 12, 30),
        MAX,
    ]
    assert cal.count_working(D(9999, 12, 1), MAX) == 23  # Christmas is a Saturday
    assert cal.count_working(D(9999, 11, 8), D(9999, 11, 14)) == 4  # Thursday 11 Nov off


def test_effort_that_runs_past_date_max_is_no_fit_naming_the_phases() -> None:
    s = schedule_plan(
        plan(MAX, [ph("audit", 3), ph("sop", 2, "audit"), ph("m", 0)], exit={"target_date": MAX})
    )
    (problem,) = s.problems
    assert problem.kind is ProblemKind.no_fit and problem.phases == ("audit",)
    assert "'audit' (3 days)" in problem.message and "9999-12-31" in problem.message
    assert list(s.phases) == ["m"] and s.unscheduled == ("audit", "sop")
    assert s.phases["m"].start == MAX
    # 9999-12-31 is a Friday: a COO working Mondays has no day left.
    (one,) = schedule_plan(plan(MAX, [ph("a", 1), ph("b", 2)], coo={"workdays": ["mon"]})).problems
    assert one.phases == ("a", "b") and "'a' (1 day), 'b' (2 days)" in one.message


def test_a_phase_booking_the_last_days_there_are() -> None:
    s = schedule_plan(plan(D(9999, 12, 27), [ph("a", 5)], exit={"target_date": MAX}))
    assert s.ok and s.end == MAX and s.meets_target is True
    assert s.phases["a"].days[-1] == MAX and s.phases["a"].slack_days == 0
    renders(plan(D(9999, 12, 27), [ph("a", 5)], exit={"target_date": MAX}), s)


def test_a_milestone_after_a_phase_ending_on_date_max_cannot_fit() -> None:
    s = schedule_plan(plan(D(9999, 12, 27), [ph("a", 5), ph("done", 0, "a"), ph("z", 1, "done")]))
    (problem,) = s.problems
    assert problem.kind is ProblemKind.no_fit and problem.phases == ("done",)
    assert "'done' (a milestone after the last day)" in problem.message
    assert list(s.phases) == ["a"] and s.unscheduled == ("done", "z")


def test_a_target_on_date_max_renders_in_every_format() -> None:
    p = plan(D(2027, 1, 4), [ph("a", 3), ph("b", 0, "a")], exit={"target_date": MAX})
    s = schedule_plan(p)
    assert s.ok and s.meets_target is True
    renders(p, s)
    grid = week_grid(s, max_columns=80)
    assert grid.column_end(len(grid.columns) - 1) == MAX
    assert fewest_days_per_week(p) == 1


def test_year_one_renders_with_four_digit_years() -> None:
    p = plan(D(1, 1, 1), [ph("a", 3)], exit={"target_date": D(1, 2, 1)})
    s = schedule_plan(p)
    # A Monday, but 1 January: French holidays are computed for any year.
    assert s.ok and s.phases["a"].start == D(1, 1, 2)
    ics = render_ics(p, s, stamp=D(1, 1, 1))
    assert "DTSTART;VALUE=DATE:00010102\r\n" in ics and "DTSTAMP:00010101T000000Z" in ics
    renders(p, s)


def _period(first: dt.date, days: int) -> dict:
    return {"from": first, "to": D.fromordinal(min(first.toordinal() + days, MAX.toordinal()))}


ANY_DATE = st.dates()


@st.composite
def extreme_plans(draw: st.DrawFn) -> Plan:
    start = draw(ANY_DATE | st.dates(min_value=D(9990, 1, 1)) | st.dates(max_value=D(10, 1, 1)))
    near = st.integers(-40, 400).map(
        lambda k: D.fromordinal(min(max(start.toordinal() + k, 1), MAX.toordinal()))
    )
    some_date = ANY_DATE | near
    n = draw(st.integers(1, 5))
    phases = []
    for i in range(n):
        row = ph(
            f"p{i}",
            draw(st.integers(0, 30)),
            *draw(
                st.lists(st.sampled_from([f"p{j}" for j in range(i)]), max_size=2)
                if i
                else st.just([])
            ),
        )
        if draw(st.booleans()):
            row["not_before"] = draw(some_date)
        phases.append(row)
    tables: dict = {}
    if draw(st.booleans()):
        tables["exit"] = {"target_date": draw(some_date)}
    tables["coo"] = {
        "workdays": draw(
            st.lists(
                st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), unique=True
            )
        ),
        "leave": [
            _period(draw(some_date), draw(st.integers(0, 30)))
            for _ in range(draw(st.integers(0, 2)))
        ],
    }
    tables["company"] = {
        "country": draw(st.sampled_from(["FR", "DE", "US"])),
        "closures": [
            _period(draw(some_date), draw(st.integers(0, 30)))
            for _ in range(draw(st.integers(0, 2)))
        ],
    }
    return plan(start, phases, **tables)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extreme_plans(), st.none() | st.integers(1, 7))
def test_any_valid_dates_schedule_and_render_without_raising(p: Plan, days: int | None) -> None:
    s = schedule_plan(p, days_per_week=days)
    # Every phase is either scheduled or named unscheduled, and a no_fit names phases.
    assert set(s.phases) | set(s.unscheduled) == {ph.id for ph in p.phase}
    for problem in s.problems:
        assert problem.kind is ProblemKind.no_fit and problem.phases
    for slot in s.phases.values():
        assert slot.start >= p.mission.start
        assert len(slot.days) == slot.effort_days
    renders(p, s)
    what_if_ends(p)
    fewest_days_per_week(p)
