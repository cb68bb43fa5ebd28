"""Oracle: the planner gives every phase the same start and end as TaskJuggler (tj3).

Random missions (workday patterns, public holidays of several countries, closures, leave,
not_before, priorities, milestones, dependency graphs) are written as tj3 projects the way
docs/scheduling.md describes (planner/taskjuggler.py), several missions per project so
that tj3's start-up (about half a second) is paid once per batch.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from pathlib import Path

import pytest
from random_plans import SAMPLES, need_tool, random_plan

from releve.planner.model import Plan
from releve.planner.schedule import schedule_plan
from releve.planner.taskjuggler import read_task_csv, taskjuggler_project

MISSIONS = 200
BATCH = 50


def run_tj3(plans: list[Plan], workdir: Path) -> dict:
    tj3 = need_tool("tj3")
    project = workdir / "oracle.tjp"
    # The project only needs to reach past the last end: tj3's time grows with its length.
    # (Too short a project cannot hide a mismatch: tj3 then fails to schedule a task.)
    ends = [s.end for s in map(schedule_plan, plans) if s.end] + [p.mission.start for p in plans]
    until = max(ends) + dt.timedelta(days=45)
    project.write_text(taskjuggler_project(plans, until=until), encoding="utf-8")
    done = subprocess.run(
        [tj3, "--silent", "--no-color", "-o", str(workdir), str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    # tj3 warns when a lower-priority task took days first because the higher one was not
    # ready yet: that is the serial schedule of scheduling.md, not a problem. Errors are.
    assert "Error" not in done.stderr, done.stderr[-3000:]
    return read_task_csv((workdir / "schedule.csv").read_text(encoding="utf-8"))


def compare(plans: list[Plan], tj: dict, label: str) -> None:
    mismatches = []
    for k, plan in enumerate(plans):
        schedule = schedule_plan(plan)
        assert schedule.ok, schedule.problems
        for i, phase in enumerate(plan.phase):
            slot = schedule.phases[phase.id]
            ours = (slot.start, slot.end)
            theirs = tj[(k, i)]
            if ours != theirs:
                mismatches.append(
                    f"{label} mission {k} phase {phase.id}: planner {ours}, tj3 {theirs}"
                )
    assert not mismatches, "\n".join(mismatches[:20])


def test_sample_mission_matches_tj3(tmp_path: Path) -> None:
    import tomllib

    plans = [
        Plan.model_validate(tomllib.loads(p.read_text(encoding="utf-8")))
        for p in sorted(SAMPLES.glob("*.toml"))
    ]
    if not plans:
        pytest.skip("no sample mission yet")
    compare(plans, run_tj3(plans, tmp_path), "sample")


@pytest.mark.slow
@pytest.mark.parametrize("batch", range(MISSIONS // BATCH))
def test_random_missions_match_tj3(batch: int, tmp_path: Path) -> None:
    rng = random.Random(20270104 + batch)
    # Missions of one batch start within two months of each other (a shorter tj3 project).
    near = dt.date(2026, 1, 5) + dt.timedelta(days=300 * batch)
    plans = [random_plan(rng, near=near) for _ in range(BATCH)]
    compare(plans, run_tj3(plans, tmp_path), f"batch {batch}")


@pytest.mark.slow
def test_large_missions_with_heavy_contention_match_tj3(tmp_path: Path) -> None:
    """Fewer, bigger missions: up to 40 phases of up to 20 days, so many phases are ready
    at once and their bookings interleave."""
    rng = random.Random(4242)
    plans = [
        random_plan(rng, near=dt.date(2026, 3, 2), max_phases=40, max_effort=20) for _ in range(8)
    ]
    compare(plans, run_tj3(plans, tmp_path), "large")
