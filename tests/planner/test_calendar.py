"""The COO's working days: French holidays (exact), other countries, closures, leave."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releve.planner.calendar import WorkCalendar, easter_sunday, french_holidays, public_holidays
from releve.planner.model import Plan

D = dt.date

# Written from the official calendar (service-public.fr, "Jours fériés"), not computed.
OFFICIAL_FR = {
    2026: [
        "01-01",
        "04-06",
        "05-01",
        "05-08",
        "05-14",
        "05-25",
        "07-14",
        "08-15",
        "11-01",
        "11-11",
        "12-25",
    ],
    2027: [
        "01-01",
        "03-29",
        "05-01",
        "05-06",
        "05-08",
        "05-17",
        "07-14",
        "08-15",
        "11-01",
        "11-11",
        "12-25",
    ],
    2028: [
        "01-01",
        "04-17",
        "05-01",
        "05-08",
        "05-25",
        "06-05",
        "07-14",
        "08-15",
        "11-01",
        "11-11",
        "12-25",
    ],
    2029: [
        "01-01",
        "04-02",
        "05-01",
        "05-08",
        "05-10",
        "05-21",
        "07-14",
        "08-15",
        "11-01",
        "11-11",
        "12-25",
    ],
    2030: [
        "01-01",
        "04-22",
        "05-01",
        "05-08",
        "05-30",
        "06-10",
        "07-14",
        "08-15",
        "11-01",
        "11-11",
        "12-25",
    ],
}


@pytest.mark.parametrize("year", sorted(OFFICIAL_FR))
def test_french_holidays_match_the_official_calendar(year: int) -> None:
    expected = {D.fromisoformat(f"{year}-{md}") for md in OFFICIAL_FR[year]}
    assert set(french_holidays(year)) == expected


def test_french_holidays_have_french_names() -> None:
    names = french_holidays(2027)
    assert names[D(2027, 3, 29)] == "Lundi de Pâques"
    assert names[D(2027, 5, 6)] == "Ascension"
    assert names[D(2027, 5, 17)] == "Lundi de Pentecôte"
    assert names[D(2027, 7, 14)] == "Fête nationale"
    assert names[D(2027, 12, 25)] == "Noël"
    assert len(names) == 11


@settings(deadline=None)  # the first call imports the holidays package
@given(st.integers(min_value=1982, max_value=2100))
def test_easter_agrees_with_the_holidays_package(year: int) -> None:
    import holidays

    fr = holidays.country_holidays("FR", years=year)
    assert easter_sunday(year) + dt.timedelta(days=1) in fr
    assert set(french_holidays(year)) == set(fr)


def test_other_countries_come_from_the_holidays_package() -> None:
    de = public_holidays("DE", 2027)
    assert D(2027, 10, 3) in de  # German Unity Day
    assert D(2027, 7, 14) not in de
    assert public_holidays("ZZ", 2027) == {}


def plan(**tables: object) -> Plan:
    data: dict = {"mission": {"id": "m", "start": D(2027, 1, 4)}}
    data.update(tables)
    return Plan.model_validate(data)


def test_defaults_without_coo_or_company_are_french_weekdays() -> None:
    cal = WorkCalendar.for_plan(plan())
    assert cal.is_working(D(2027, 1, 4))  # Monday
    assert not cal.is_working(D(2027, 1, 9))  # Saturday
    assert not cal.is_working(D(2027, 5, 17))  # Whit Monday
    assert cal.is_working(D(2027, 5, 18))


def test_workdays_closures_and_leave() -> None:
    cal = WorkCalendar.for_plan(
        plan(
            coo={
                "workdays": ["mon", "tue"],
                "leave": [{"from": D(2027, 4, 12), "to": D(2027, 4, 16)}],
            },
            company={"closures": [{"from": D(2027, 8, 2), "to": D(2027, 8, 20), "reason": "Été"}]},
        )
    )
    assert cal.working_days(D(2027, 4, 5), D(2027, 4, 20)) == [
        D(2027, 4, 5),
        D(2027, 4, 6),
        D(2027, 4, 19),
        D(2027, 4, 20),
    ]
    assert not cal.is_working(D(2027, 8, 2)) and not cal.is_working(D(2027, 8, 17))
    assert cal.is_working(D(2027, 8, 23))
    assert cal.count_working(D(2027, 4, 5), D(2027, 4, 20)) == 4
    periods = cal.non_working_periods(D(2027, 4, 1), D(2027, 8, 10))
    assert [(p.from_, p.to, p.label, p.kind) for p in periods] == [
        (D(2027, 4, 12), D(2027, 4, 16), "Congés", "leave"),
        (D(2027, 5, 1), D(2027, 5, 1), "Fête du Travail", "holiday"),
        (D(2027, 5, 6), D(2027, 5, 6), "Ascension", "holiday"),
        (D(2027, 5, 8), D(2027, 5, 8), "Victoire 1945", "holiday"),
        (D(2027, 5, 17), D(2027, 5, 17), "Lundi de Pentecôte", "holiday"),
        (D(2027, 7, 14), D(2027, 7, 14), "Fête nationale", "holiday"),
        (D(2027, 8, 2), D(2027, 8, 10), "Été", "closure"),
    ]


def test_what_if_days_per_week_replaces_the_workdays() -> None:
    cal = WorkCalendar.for_plan(plan(coo={"workdays": ["thu"]}), days_per_week=3)
    assert cal.workdays == (0, 1, 2)
    assert cal.is_working(D(2027, 1, 6)) and not cal.is_working(D(2027, 1, 7))


@settings(max_examples=60, deadline=None)
@given(
    workdays=st.lists(
        st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), unique=True
    ),
    country=st.sampled_from(["FR", "DE", "GB", "BE"]),
    closure_start=st.dates(D(2026, 6, 1), D(2029, 6, 1)),
    closure_len=st.integers(0, 40),
    day=st.dates(D(2020, 1, 1), D(2045, 12, 31)),
)
def test_mask_agrees_with_the_definition_everywhere(
    workdays: list[str], country: str, closure_start: dt.date, closure_len: int, day: dt.date
) -> None:
    """Inside the precomputed window and outside it, a day is working exactly when the
    definition of scheduling.md says so."""
    closure_end = closure_start + dt.timedelta(days=closure_len)
    cal = WorkCalendar.for_plan(
        plan(
            coo={"workdays": workdays},
            company={"country": country, "closures": [{"from": closure_start, "to": closure_end}]},
        )
    )
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    expected = (
        names[day.weekday()] in workdays
        and day not in public_holidays(country, day.year)
        and not closure_start <= day <= closure_end
    )
    assert cal.is_working(day) == expected
    span = cal.working_days(day - dt.timedelta(days=10), day + dt.timedelta(days=10))
    assert (day in span) == expected
