"""Benchmarks of the mission log's forecast (planner/tracking.py) and of `releve log`.

Targets (issue 11): the forecast of a sample with a year of bookings (about 100) under
2 ms; 1,000 phases with 5,000 bookings under 200 ms; `releve log` cold under the cold
`releve check` (bench_check.py measures that one).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from run import ROOT, Case

SAMPLE = ROOT / "sample_missions" / "cabinet-vega.toml"


def year_of_bookings(plan: Any, as_of: dt.date) -> Any:
    """The sample with every COO working day up to ``as_of`` booked on the phase the
    baseline puts there (Cabinet Vega: about 90 days over eight months), the phases that
    end before it done."""
    from releve.planner.model import Booking
    from releve.planner.schedule import schedule_plan

    plan = plan.model_copy(deep=True)
    plan.booking = []  # the sample's own log is replaced by one that follows the plan
    s = schedule_plan(plan)
    for p in plan.phase:
        slot = s.phases[p.id]
        plan.booking += [Booking(on=d, phase=p.id) for d in slot.days if d <= as_of]
        if slot.end <= as_of:
            p.done_on = slot.end
    return plan


def big_tracked(n: int = 1000, bookings: int = 5000, seed: int = 11) -> tuple[Any, dt.date]:
    """``n`` phases of 1 to 3 days (about eight years), each after up to three earlier
    ones, with ``bookings`` bookings: three quarter-days on each day of the baseline from
    its start (about four fifths of it), the phases that ended a month before done."""
    from releve.planner.model import Booking, Plan
    from releve.planner.schedule import schedule_plan

    rng = random.Random(seed)
    start = dt.date(2027, 1, 4)
    phases = [
        {
            "id": f"p{i:04d}",
            "kind": "project",
            "effort_days": rng.randint(1, 3),
            "after": [f"p{j:04d}" for j in sorted(rng.sample(range(i), min(i, rng.randint(0, 3))))],
        }
        for i in range(n)
    ]
    plan = Plan.model_validate(
        {
            "mission": {"id": "big", "start": start},
            "coo": {"contracted_days": 6000},
            "phase": phases,
        }
    )
    s = schedule_plan(plan)
    days = sorted((d, pid) for pid, slot in s.phases.items() for d in slot.days)
    plan.booking = [Booking(on=d, phase=pid, days=0.25) for d, pid in days for _ in range(3)][
        :bookings
    ]
    as_of = plan.booking[-1].on
    for p in plan.phase:
        if s.phases[p.id].end < as_of - dt.timedelta(days=30):
            p.done_on = s.phases[p.id].end
    return plan, as_of


def cases() -> list[Case]:
    from releve.planner.schedule import schedule_plan
    from releve.planner.store import load
    from releve.planner.tracking import track

    as_of = dt.date(2027, 6, 25)
    sample = year_of_bookings(load(SAMPLE).plan, as_of)
    sample_baseline = schedule_plan(sample)
    big, big_as_of = big_tracked()
    big_baseline = schedule_plan(big)
    return [
        Case(
            f"tracking: forecast of the sample with {len(sample.booking)} bookings",
            lambda: track(sample, as_of, baseline=sample_baseline),
            target_ms=2.0,
            repeat=200,
        ),
        Case(
            "tracking: baseline + forecast of the sample",
            lambda: track(sample, as_of),
            target_ms=2.0,
            repeat=200,
        ),
        Case(
            f"tracking: forecast, 1,000 phases, {len(big.booking)} bookings",
            lambda: track(big, big_as_of, baseline=big_baseline),
            target_ms=200.0,
            repeat=10,
        ),
        Case(
            "tracking: baseline + forecast, 1,000 phases, 5,000 bookings",
            lambda: track(big, big_as_of),
            target_ms=200.0,
            repeat=10,
        ),
    ]
