"""Benchmarks of the planner: the sample plan's schedule, the what-if sweep, 1,000 phases.

Targets (issue 3): the sample plan scheduled in under 2 ms; the what-if sweep (1 to 5 COO
days a week: the five ends and the fewest that meets the target) in under 10 ms; 1,000
phases over about five years in under 200 ms. "cold" cases empty the calendar and holiday
caches before each run, so they include building the ten-year working-day mask.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from typing import Any

from run import ROOT, Case

SAMPLE = ROOT / "sample_missions" / "atelier-durand.toml"


def _sample_plan() -> Any:
    from releve.planner.model import Plan

    with SAMPLE.open("rb") as fh:
        return Plan.model_validate(tomllib.load(fh))


def big_plan(n: int = 1000, seed: int = 7) -> Any:
    """``n`` phases of 0 to 2 COO days (about 1,250 in all: five years of a full-time
    COO), each after up to three random earlier phases, some with not_before, priorities,
    French holidays, a summer closure each year and leave."""
    from releve.planner.model import Plan

    rng = random.Random(seed)
    start = dt.date(2027, 1, 4)
    phases = []
    for i in range(n):
        row: dict = {
            "id": f"p{i:04d}",
            "kind": "project",
            "effort_days": rng.choice([0, 1, 1, 2, 2, 2]),
            "after": [f"p{j:04d}" for j in sorted(rng.sample(range(i), min(i, rng.randint(0, 3))))],
        }
        if rng.random() < 0.05:
            row["not_before"] = start + dt.timedelta(days=rng.randint(0, 1500))
        if rng.random() < 0.2:
            row["priority"] = rng.randint(0, 5)
        phases.append(row)
    closures = [{"from": dt.date(y, 8, 1), "to": dt.date(y, 8, 21)} for y in range(2027, 2033)]
    leave = [{"from": dt.date(y, 2, 15), "to": dt.date(y, 2, 19)} for y in range(2027, 2033)]
    return Plan.model_validate(
        {
            "mission": {"id": "big", "start": start},
            "company": {"country": "FR", "closures": closures},
            "coo": {"leave": leave},
            "exit": {"target_date": dt.date(2031, 12, 31)},
            "phase": phases,
        }
    )


def _clear_caches() -> None:
    from releve.planner import calendar

    calendar._cached_calendar.cache_clear()
    calendar._country_holidays.cache_clear()
    calendar._french_holidays.cache_clear()


def cases() -> list[Case]:
    from releve.planner.schedule import fewest_days_per_week, schedule_plan, what_if_ends

    sample = _sample_plan()
    big = big_plan()
    span = schedule_plan(big)
    assert span.ok and span.end is not None
    years = (span.end - span.start).days / 365.25

    def sweep() -> object:
        return what_if_ends(sample), fewest_days_per_week(sample)

    def cold(fn: Any) -> Any:
        def run() -> object:
            _clear_caches()
            return fn()

        return run

    return [
        Case(
            "planner: schedule the sample plan",
            lambda: schedule_plan(sample),
            target_ms=2.0,
            repeat=200,
        ),
        Case(
            "planner: schedule the sample plan (cold calendar)",
            cold(lambda: schedule_plan(sample)),
            target_ms=2.0,
            repeat=100,
        ),
        Case("planner: what-if sweep 1-5 days/week + fewest", sweep, target_ms=10.0, repeat=100),
        Case("planner: what-if sweep (cold calendars)", cold(sweep), target_ms=10.0, repeat=50),
        Case(
            f"planner: 1,000 phases over {years:.1f} years",
            lambda: schedule_plan(big),
            target_ms=200.0,
            repeat=20,
        ),
        Case(
            "planner: 1,000 phases (cold calendar)",
            cold(lambda: schedule_plan(big)),
            target_ms=200.0,
            repeat=20,
        ),
    ]
