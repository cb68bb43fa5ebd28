"""The text chart on random plans: fits 100 columns, target marked in its column, bars on
the booked weeks (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_plans import random_plan

from releve.planner.schedule import schedule_plan
from releve.tui.render.schedule import render_text, week_grid


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.randoms(use_true_random=False),
    st.sampled_from(["en", "fr"]),
    st.sampled_from([None, 1, 2, 5]),
)
def test_chart_fits_and_marks_the_target(rng: random.Random, lang: str, n: int | None) -> None:
    plan = random_plan(rng, max_phases=25, max_effort=40)
    schedule = schedule_plan(plan, days_per_week=n)
    out = render_text(plan, schedule, lang=lang)
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    chart = [line for line in lines if "│" in line]
    labelw = min(max(len(pid) for pid in schedule.phases), 18)
    grid = week_grid(schedule, max_columns=100 - labelw - 2)
    assert len(grid.columns) <= 100 - labelw - 2
    marker = [line for line in chart if "▼" in line]
    if grid.target_column is None:
        assert not marker
    else:
        (line,) = marker
        assert line.index("▼") - line.index("│") - 1 == grid.target_column
    for pid, slot in schedule.phases.items():
        row = next(line for line in chart if line.split("│")[0].strip(" ●") == pid)
        bars = row.split("│", 1)[1]
        booked = {i for i, ch in enumerate(bars) if ch == "█"}
        assert booked == {grid.column_of(d) for d in slot.days}
