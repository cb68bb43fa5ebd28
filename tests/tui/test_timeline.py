"""Pilot tests of the Timeline widget: bars on the right weeks, markers, shading, what-if keys."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import tomllib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from releve.planner.model import Plan
from releve.planner.schedule import PhaseSlot, Schedule
from releve.tui.app.widgets.timeline import Timeline, format_range, week_index, week_states

D = dt.date
SIZE = (120, 40)


def pilot(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return run


# A small plan with a hand-computed schedule (scheduling.md rules, COO on mon/tue):
#   audit    3 days: Jan 4, 5, 11            → weeks 0, 1
#   diag     4 days: Jan 12, 18, 19, 25      → weeks 1, 2, 3
#   handover 2 days: Jan 26, (Feb 1–5 closed) Feb 8 → weeks 3 and 5; week 4 is a gap
PLAN = Plan.model_validate(
    {
        "mission": {"id": "tiny", "start": D(2027, 1, 4), "language": "en"},
        "company": {
            "closures": [{"from": D(2027, 2, 1), "to": D(2027, 2, 5), "reason": "Inventory"}]
        },
        "exit": {"target_date": D(2027, 3, 1)},
        "coo": {
            "workdays": ["mon", "tue"],
            "leave": [{"from": D(2027, 3, 16), "to": D(2027, 3, 16)}],
        },
        "phase": [
            {"id": "audit", "kind": "flash_audit", "name": "Audit", "effort_days": 3},
            {
                "id": "diag",
                "kind": "diagnostic",
                "name": "Diagnostic",
                "after": ["audit"],
                "effort_days": 4,
            },
            {
                "id": "handover",
                "kind": "handover",
                "name": "Handover",
                "after": ["diag"],
                "effort_days": 2,
            },
        ],
    }
)


def _slot(pid: str, days: list[dt.date], slack: int, critical: bool) -> PhaseSlot:
    return PhaseSlot(pid, tuple(days), days[0], days[-1], len(days), slack, critical)


SCHEDULE = Schedule(
    start=D(2027, 1, 4),
    phases={
        "audit": _slot("audit", [D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 11)], 0, True),
        "diag": _slot(
            "diag", [D(2027, 1, 12), D(2027, 1, 18), D(2027, 1, 19), D(2027, 1, 25)], 0, True
        ),
        "handover": _slot("handover", [D(2027, 1, 26), D(2027, 2, 8)], 5, False),
    },
    end=D(2027, 2, 8),
    coo_days=9,
    target_date=D(2027, 3, 1),
    meets_target=True,
)
NON_WORKING = [
    (D(2027, 2, 1), D(2027, 2, 5), "Inventory", "closure"),
    (D(2027, 3, 16), D(2027, 3, 16), "leave", "leave"),
]


class Host(App[None]):
    BINDINGS = [("escape", "app_escape", "app's own escape")]  # noqa: RUF012

    def __init__(self, *, lang: str | None = None, week_width: int | None = 3) -> None:
        super().__init__()
        self.accepted: list[int] = []
        self.app_escapes = 0
        self._lang = lang
        self._ww = week_width

    def compose(self) -> ComposeResult:
        yield Timeline(lang=self._lang, week_width=self._ww)

    def on_mount(self) -> None:
        tl = self.query_one(Timeline)
        tl.update(PLAN, SCHEDULE, non_working=NON_WORKING)
        tl.focus()

    def on_timeline_what_if_accepted(self, message: Timeline.WhatIfAccepted) -> None:
        self.accepted.append(message.days_per_week)

    def action_app_escape(self) -> None:
        self.app_escapes += 1


def line(tl: Timeline, y: int) -> str:
    return tl.render_line(y).text


def row_of(tl: Timeline, name: str) -> str:
    for y in range(tl.scrollable_content_region.height):
        text = line(tl, y)
        if name in text[: tl.name_width]:
            return text
    raise AssertionError(f"no row for {name}")


# --- pure helpers -------------------------------------------------------------------------


def test_week_index_counts_mondays() -> None:
    origin = D(2027, 1, 4)
    assert week_index(origin, D(2027, 1, 4)) == 0
    assert week_index(origin, D(2027, 1, 10)) == 0  # Sunday, same week
    assert week_index(origin, D(2027, 1, 11)) == 1


def test_week_states_judge_only_the_coo_days() -> None:
    # Feb 1–5 covers mon+tue of week 4 → no COO day; a one-day leave on a tuesday → partial
    states = week_states(D(2027, 1, 4), 12, [0, 1], NON_WORKING)
    assert states[4] == 2
    assert states[10] == 1
    assert states[0] == 0
    # the same closure seen by a COO who also works on Saturdays leaves a working day
    assert week_states(D(2027, 1, 4), 12, [0, 1, 5], NON_WORKING)[4] == 1


def test_format_range_in_both_languages() -> None:
    assert format_range(D(2027, 4, 12), D(2027, 4, 16), "en") == "12–16 Apr"
    assert format_range(D(2027, 4, 12), D(2027, 4, 16), "fr") == "12–16 avr."
    assert format_range(D(2027, 7, 28), D(2027, 8, 3), "fr") == "28 juil.–3 août"


# --- the widget ---------------------------------------------------------------------------


@pilot
async def test_bars_sit_on_the_booked_weeks() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        assert tl.week_width == 3
        left = tl.name_width

        def cells(row: str, week: int) -> str:
            return row[left + 3 * week : left + 3 * week + 3]

        audit, diag, hand = row_of(tl, "Audit"), row_of(tl, "Diagnostic"), row_of(tl, "Handover")
        assert [cells(audit, w) for w in range(3)] == ["███", "███", "   "]
        assert [cells(diag, w) for w in range(5)] == ["   ", "███", "███", "███", "   "]
        # handover: week 3 booked, week 4 closed (a gap inside its span), week 5 booked
        assert [cells(hand, w) for w in (3, 4, 5)] == ["███", "░░░", "███"]
        assert cells(audit, 4).strip() == ""


@pilot
async def test_end_and_target_are_marked_at_their_columns() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        ruler = line(tl, 1)
        target_x = tl.column_of(D(2027, 3, 1))
        assert target_x == tl.name_width + 8 * 3  # Monday of week 8, first cell
        assert ruler[target_x] == "◆"
        assert ruler.count("◆") == 1
        end_x = tl.column_of(D(2027, 2, 8))
        assert ruler[end_x] == "▼"
        # the target column runs down the rows where no bar is drawn
        assert row_of(tl, "Audit")[target_x] == "┊"
        # the phase that ends the mission carries the end marker after its bar
        assert "◀ end 2027-02-08" in row_of(tl, "Handover")
        assert "◀ end" not in row_of(tl, "Audit")
        assert "end 2027-02-08" in tl.status_text
        assert "target 2027-03-01" in tl.status_text
        assert "✓ met (21 days early)" in tl.status_text


@pilot
async def test_month_labels_in_the_plans_language() -> None:
    app = Host(lang="fr")
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        months = line(tl, 0)
        # January began before the grid's first Monday: its label opens the grid
        assert months.index("janv.") == tl.name_width
        assert months.startswith("  2027 ")  # the year sits above the phase names
        assert months.index("févr.") == tl.column_of(D(2027, 2, 1))
        assert "mars" in months
        assert "fin 2027-02-08" in tl.status_text


@pilot
async def test_english_month_labels() -> None:
    app = Host(lang="en")
    async with app.run_test(size=SIZE):
        months = line(app.query_one(Timeline), 0)
        assert "Jan" in months and "Feb" in months and "févr." not in months


@pilot
async def test_non_working_weeks_are_shaded_on_every_row() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        off_bg = tl.get_component_rich_style("timeline--off", partial=True).bgcolor
        assert off_bg is not None
        week4 = tl.column_of(D(2027, 2, 1))
        week2 = tl.column_of(D(2027, 1, 18))
        assert line(tl, 1)[week4 : week4 + 3] == "▒▒▒"
        for y in (1, 2, 3, 4):  # ruler and the three phase rows
            cell = tl.render_line(y).crop(week4, week4 + 1)
            assert [seg.style.bgcolor for seg in cell] == [off_bg]
            other = tl.render_line(y).crop(week2, week2 + 1)
            assert all(seg.style.bgcolor != off_bg for seg in other)


@pilot
async def test_critical_path_is_marked_and_explained() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        assert row_of(tl, "Audit").startswith("━ Audit")
        assert row_of(tl, "Handover").startswith("  Handover")
        crit = tl.get_component_rich_style("timeline--critical", partial=True).color
        bar = tl.get_component_rich_style("timeline--bar", partial=True).color
        assert crit != bar
        x = tl.column_of(D(2027, 1, 4))
        assert [s.style.color for s in tl.render_line(2).crop(x, x + 1)] == [crit]
        assert [s.style.color for s in tl.render_line(4).crop(x + 9, x + 10)] == [bar]


@pilot
async def test_legend_names_days_leave_closure_and_critical_path() -> None:
    app = Host(lang="en")
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        legend = tl.legend_text
        assert legend.startswith("COO: 2 days/week (mon, tue)")
        assert "leave 16 Mar" in legend and "closure 1–5 Feb" in legend
        assert legend.endswith("critical path ━")
        drawn = [line(tl, y).rstrip() for y in range(tl.scrollable_content_region.height)]
        # the footer follows the rows (a blank line between) when they all fit
        status = "end 2027-02-08 · ◆ target 2027-03-01 ✓ met (21 days early)"
        assert drawn[2 + 3 + 1 : 2 + 3 + 4] == [status, "+/- try days/week", legend]


@pilot
async def test_french_legend() -> None:
    app = Host(lang="fr")
    async with app.run_test(size=SIZE):
        legend = app.query_one(Timeline).legend_text
        assert legend.startswith("COO : 2 jours/semaine (lun., mar.)")
        assert "fermeture 1–5 févr." in legend and "chemin critique ━" in legend


@pilot
async def test_enter_and_escape_do_nothing_outside_a_what_if() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        await pilot.press("enter", "escape")
        assert app.accepted == []
        assert tl.whatif_days is None
        assert tl.shown_end == D(2027, 2, 8)
        assert app.app_escapes == 1  # escape went on to the app
        await pilot.press("plus", "escape")
        assert tl.whatif_days is None
        assert app.app_escapes == 1  # this time the timeline used it to reset


@pilot
async def test_auto_week_width_fills_the_space_between_1_and_4_cells() -> None:
    app = Host(week_width=None)
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        assert tl.week_width == 4  # ten weeks fit easily in 120 columns
    app = Host(week_width=None, lang="fr")
    async with app.run_test(size=(28, 20)):
        tl = app.query_one(Timeline)
        # the ten weeks fit at one cell each, so the names get what they need
        assert tl.name_width == len("━ Diagnostic ")
        assert tl.week_width == 1
        assert tl.virtual_size.width <= tl.scrollable_content_region.width
        assert line(tl, 0)[tl.name_width :].startswith("jan fév")  # three-letter months
    app = Host(week_width=None, lang="fr")
    async with app.run_test(size=(20, 20)):
        tl = app.query_one(Timeline)
        assert tl.name_width == 10  # names give way to weeks in a narrower panel
        assert tl.week_width == 1 and tl.weeks_per_cell == 1
        assert row_of(tl, "Diagno").startswith("━ Diagno… ")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pilot
async def test_unscheduled_phase_is_said_so(lang: str) -> None:
    partial = Schedule(
        start=SCHEDULE.start,
        phases={"audit": SCHEDULE.phases["audit"]},
        end=D(2027, 1, 11),
        target_date=D(2027, 3, 1),
        meets_target=True,
    )
    app = Host(lang=lang)
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        tl.update(PLAN, partial, non_working=NON_WORKING)
        expected = "not scheduled" if lang == "en" else "non planifiée"
        assert expected in row_of(tl, "Diagnostic")


# --- what-if (the real planner: planner.schedule.schedule_plan / fewest_days_per_week) -------
# Hand-computed with the first N weekdays, the Feb 1–5 closure and the one-day leave:
#   3 days (mon–wed): audit Jan 4–6, diag Jan 11–13 + 18, handover Jan 19–20  → end Jan 20
#   1 day (mon):      audit Jan 4, 11, 18; diag Jan 25, Feb 8, 15, 22;
#                     handover Mar 1, 8                                         → end Mar 8
# 2 days end Feb 8 (the plan's own schedule), so 2 is the fewest that meets Mar 1.


@pilot
async def test_more_days_shows_the_new_end_without_touching_the_plan() -> None:
    before = PLAN.model_dump()
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        await pilot.press("plus")
        assert tl.whatif_days == 3
        assert tl.shown_end == D(2027, 1, 20)
        assert tl.shown_meets_target is True
        assert "what-if 3 days/week: end 2027-01-20 (was 2027-02-08)" in tl.status_text
        assert "fewest days/week meeting the target: 2" in tl.status_text
        assert tl.legend_text.startswith("COO: 3 days/week (mon, tue, wed)")
        # the bars follow the what-if schedule: handover now sits in week 2
        hand = row_of(tl, "Handover")
        x = tl.column_of(D(2027, 1, 18))
        assert hand[x : x + 3] == "███"
        assert "◀ end 2027-01-20" in hand
    assert PLAN.model_dump() == before
    assert [d.value for d in PLAN.coo.workdays] == ["mon", "tue"]


@pilot
async def test_fewer_days_can_miss_the_target() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        await pilot.press("minus")
        assert tl.whatif_days == 1
        assert tl.shown_end == D(2027, 3, 8)
        assert tl.shown_meets_target is False
        assert "✗ missed (7 days late)" in tl.status_text
        assert tl.fewest_days == 2
        await pilot.press("minus")  # never below one day a week
        assert tl.whatif_days == 1


@pilot
async def test_days_stop_at_five() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        await pilot.press("plus", "plus", "plus", "plus", "plus")
        assert tl.whatif_days == 5
        assert tl.legend_text.startswith("COO: 5 days/week (mon, tue, wed, thu, fri)")


@pilot
async def test_enter_posts_what_if_accepted_and_escape_resets() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        await pilot.press("plus", "enter")
        await pilot.pause()
        assert app.accepted == [3]
        await pilot.press("escape")
        assert tl.whatif_days is None
        assert tl.shown_end == D(2027, 2, 8)
        assert "what-if" not in tl.status_text
        assert row_of(tl, "Handover")[tl.column_of(D(2027, 2, 8))] == "█"


@pilot
async def test_update_keeps_the_what_if_for_the_same_plan_and_drops_it_for_a_new_one() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        await pilot.press("minus")
        # a pipeline rerun on the unchanged plan (even a copy of it) keeps the what-if
        tl.update(PLAN.model_copy(deep=True), SCHEDULE, non_working=NON_WORKING)
        assert tl.whatif_days == 1 and tl.shown_end == D(2027, 3, 8)
        # the plan changed (here: the edit the app makes after enter): back to the plan
        edited = PLAN.model_copy(deep=True)
        edited.coo.workdays = ["mon"]
        tl.update(edited, SCHEDULE, non_working=NON_WORKING)
        assert tl.whatif_days is None and tl.shown_end == D(2027, 2, 8)


def test_bindings_have_ids() -> None:
    # every key that does something has an id (keys.toml remaps it); up/down only move
    # the phase selected
    shown = [b for b in Timeline.BINDINGS if b.show]  # type: ignore[union-attr]
    assert {b.id for b in shown} == {
        "timeline.more_days",
        "timeline.fewer_days",
        "timeline.accept",
        "timeline.reset",
        "phase.log_day",
        "phase.close",
        "phase.deliver",
    }
    assert {b.key for b in Timeline.BINDINGS if not b.show} == {"up", "down"}  # type: ignore[union-attr]


# --- a sample plan, with the real schedule and calendar; SVG snapshots --------------------

SAMPLE = Path(__file__).resolve().parents[2] / "sample_missions" / "atelier-durand.toml"


def sample_plan() -> Plan:
    with SAMPLE.open("rb") as fh:
        return Plan.model_validate(tomllib.load(fh))


class SampleHost(App[None]):
    """The Timeline alone on the screen, fed the bundled Atelier Durand sample."""

    def compose(self) -> ComposeResult:
        yield Timeline()

    def on_mount(self) -> None:
        timeline = self.query_one(Timeline)
        timeline.update(sample_plan())
        timeline.focus()


@pilot
async def test_sample_plan_draws_with_its_own_schedule_and_calendar() -> None:
    app = SampleHost()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        assert tl.lang == "fr"  # the plan's language
        assert tl.shown_end == D(2027, 7, 12)
        ruler = line(tl, 1)
        leave = tl.column_of(D(2027, 4, 12))  # Claire's leave: a week with no COO day
        summer = tl.column_of(D(2027, 8, 2))  # the summer closure: three weeks
        assert ruler[leave : leave + tl.week_width] == "▒" * tl.week_width
        assert ruler[summer : summer + 3 * tl.week_width] == "▒" * (3 * tl.week_width)
        easter = tl.column_of(D(2027, 3, 29))  # Easter Monday: one of two COO days off
        assert ruler[easter] == "╌"
        assert ruler[tl.column_of(D(2027, 10, 1))] == "◆"
        assert "congés 12–16 avr." in tl.legend_text
        assert "fermeture 2–20 août" in tl.legend_text


def test_timeline_sample_snapshot(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(SampleHost(), terminal_size=SIZE)


def test_timeline_whatif_snapshot(snap_compare: Callable[..., bool]) -> None:
    """One COO day a week: the target is missed and the fewest days that meet it are shown."""
    assert snap_compare(SampleHost(), terminal_size=SIZE, press=["minus"])


# --- 1,000 phases: one line drawn per visible row, scrolling to any of them -----------------


def _chain(n: int) -> tuple[Plan, Schedule]:
    """n one-day phases, each after the previous, on a full-time COO: phase i on workday i."""
    start = D(2027, 1, 4)
    days: list[dt.date] = []
    day = start
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    plan = Plan.model_validate(
        {
            "mission": {"id": "big", "start": start, "language": "en"},
            "phase": [
                {
                    "id": f"p{i:04d}",
                    "kind": "project",
                    "name": f"Step {i:04d}",
                    "effort_days": 1,
                    **({"after": [f"p{i - 1:04d}"]} if i else {}),
                }
                for i in range(n)
            ],
        }
    )
    phases = {f"p{i:04d}": _slot(f"p{i:04d}", [days[i]], 0, True) for i in range(n)}
    return plan, Schedule(start=start, phases=phases, end=days[-1], coo_days=n)


class BigHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Timeline(week_width=2)

    def on_mount(self) -> None:
        plan, schedule = _chain(1000)
        timeline = self.query_one(Timeline)
        timeline.update(plan, schedule, non_working=[])
        timeline.focus()


@pilot
async def test_a_thousand_phases_scroll_to_the_last_one() -> None:
    app = BigHost()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        height = tl.scrollable_content_region.height
        first_screen = [line(tl, y) for y in range(height)]
        assert first_screen[2].startswith("━ Step 0000")
        assert not any("Step 0999" in text for text in first_screen)
        # the month row and the legend stay put while the rows scroll
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()
        assert tl.scroll_offset.y == tl.max_scroll_y > 0
        shown = [line(tl, y) for y in range(height)]
        assert shown[0] == first_screen[0]
        assert shown[-1].rstrip() == tl.legend_text
        assert shown[-1 - 3].startswith("━ Step 0999")  # above status, hint and legend
        # sideways too: the last phase's bar is on its week (1,000 workdays → week 199)
        tl.scroll_to(x=tl.max_scroll_x, animate=False, immediate=True)
        await pilot.pause()
        last = line(tl, height - 4)
        x = tl.name_width + 199 * 2 - int(tl.scroll_offset.x)
        assert last[x : x + 2] == "██"
        assert last[x - 2 : x] == "  "


@pilot
async def test_sample_bars_agree_with_the_text_charts_week_grid() -> None:
    """The app's timeline and `releve schedule`'s chart (tui/render/schedule.py) put every
    phase's booked days on the same weeks."""
    from releve.planner.schedule import schedule_plan
    from releve.tui.render.schedule import week_grid

    plan = sample_plan()
    grid = week_grid(schedule_plan(plan), max_columns=10_000)
    assert grid.weeks_per_column == 1
    app = SampleHost()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        ww = tl.week_width
        for i, grid_row in enumerate(grid.rows):
            drawn = line(tl, 2 + i)
            for col, booked in enumerate(grid_row.booked):
                x = tl.column_of(grid.columns[col])
                if x >= len(drawn):
                    continue
                assert (drawn[x : x + ww] == "█" * ww) == (booked > 0), (grid_row.id, col)


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=6),
    st.sets(st.integers(0, 6), max_size=7),
)
def test_week_states_match_day_by_day_counting(
    spans: list[tuple[int, int]], workdays: set[int]
) -> None:
    origin = D(2027, 1, 4)
    periods = [
        (origin + dt.timedelta(days=a), origin + dt.timedelta(days=a + n), "x", "leave")
        for a, n in spans
    ]
    states = week_states(origin, 10, workdays, periods)
    for week, state in enumerate(states):
        days = [origin + dt.timedelta(days=7 * week + d) for d in sorted(workdays)]
        off = [any(p[0] <= day <= p[1] for p in periods) for day in days]
        expected = 2 if all(off) else 1 if any(off) else 0
        assert state == expected


class PlanHost(App[None]):
    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield Timeline()

    def on_mount(self) -> None:
        timeline = self.query_one(Timeline)
        timeline.update(self.plan)
        timeline.focus()


@pilot
async def test_a_cycle_is_shown_not_hidden() -> None:
    plan = Plan.model_validate(
        {
            "mission": {"id": "c", "start": D(2027, 1, 4), "language": "en"},
            "exit": {"target_date": D(2027, 6, 1)},
            "phase": [
                {"id": "a", "kind": "flash_audit", "effort_days": 2, "after": ["b"]},
                {"id": "b", "kind": "diagnostic", "effort_days": 2, "after": ["a"]},
                {"id": "c", "kind": "handover", "effort_days": 2},
            ],
        }
    )
    app = PlanHost(plan)
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        assert "not scheduled" in row_of(tl, "a ") and "not scheduled" in row_of(tl, "b ")
        assert "█" in row_of(tl, "c ")
        assert "⚠ " in tl.status_text and "a" in tl.status_text
        assert "✗ not schedulable" in tl.status_text
        assert tl.shown_meets_target is False


@pilot
async def test_a_plan_without_phases_says_so_and_offers_no_what_if() -> None:
    plan = Plan.model_validate({"mission": {"id": "e", "start": D(2027, 1, 4), "language": "fr"}})
    app = PlanHost(plan)
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        assert line(tl, 2).startswith("Aucune phase dans le plan")
        await pilot.press("plus")
        assert tl.whatif_days is None


@pilot
async def test_any_schedule_puts_bars_exactly_on_its_booked_weeks() -> None:
    """Property: for any booked days, a row has █ on exactly the weeks with a booked day,
    ░ on the other weeks of its span, and nothing drawn outside it."""
    app = Host(week_width=2)
    async with app.run_test(size=(200, 40)):
        tl = app.query_one(Timeline)
        origin = D(2027, 1, 4)

        @settings(max_examples=60, deadline=None)
        @given(
            st.lists(st.sets(st.integers(0, 60), min_size=1, max_size=12), min_size=1, max_size=6)
        )
        def check(offsets: list[set[int]]) -> None:
            plan = Plan.model_validate(
                {
                    "mission": {"id": "p", "start": origin, "language": "en"},
                    "phase": [
                        {"id": f"x{i}", "kind": "project", "name": f"X{i}", "effort_days": len(o)}
                        for i, o in enumerate(offsets)
                    ],
                }
            )
            slots = {
                f"x{i}": _slot(
                    f"x{i}", [origin + dt.timedelta(days=d) for d in sorted(o)], 0, False
                )
                for i, o in enumerate(offsets)
            }
            end = max(s.end for s in slots.values())
            tl.update(plan, Schedule(start=origin, phases=slots, end=end), non_working=[])
            left = tl.name_width
            for i, days in enumerate(offsets):
                row = line(tl, 2 + i)
                booked = {d // 7 for d in days}
                first, last = min(booked), max(booked)
                for week in range(first, last + 1):
                    cell = row[left + 2 * week : left + 2 * week + 2]
                    assert cell == ("██" if week in booked else "░░"), (i, week)
                before = row[left : left + 2 * first]
                assert before.strip() == ""

        check()


@pilot
async def test_a_theme_change_redraws_with_the_new_colours() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tl = app.query_one(Timeline)
        x = tl.column_of(D(2027, 1, 4))
        before = tl.render_line(2).crop(x, x + 1)
        app.theme = "textual-light"
        await pilot.pause()
        after = tl.render_line(2).crop(x, x + 1)
        crit = tl.get_component_rich_style("timeline--critical", partial=True).color
        assert [s.style.color for s in after] == [crit]
        # the cached lines were dropped: the new background is the light one
        assert [s.style.bgcolor for s in after] == [tl.rich_style.bgcolor]
        assert [s.style.bgcolor for s in after] != [s.style.bgcolor for s in before]


@pilot
async def test_in_a_narrow_view_the_end_marker_shortens_instead_of_adding_a_scrollbar() -> None:
    app = Host(week_width=None)
    async with app.run_test(size=(40, 20)):
        tl = app.query_one(Timeline)
        assert tl.virtual_size.width <= tl.scrollable_content_region.width
        hand = row_of(tl, "Handov")  # the name is cut to the narrow name column
        assert "◀" in hand and "◀ end" not in hand
        assert "end 2027-02-08" in tl.status_text  # the date is still said, below


@pilot
async def test_footer_wraps_to_the_width_without_losing_words() -> None:
    app = Host(lang="fr")
    async with app.run_test(size=(60, 30)) as pilot:
        tl = app.query_one(Timeline)
        await pilot.press("minus")
        height = tl.scrollable_content_region.height
        drawn = [line(tl, y).rstrip() for y in range(height)]
        footer = "\n".join(drawn[2 + 3 + 1 :])
        assert all(len(text) <= 60 for text in drawn)
        assert "…" not in footer
        for words in (
            "simulation 1 jour/semaine :",
            "fin 2027-03-08",
            "au lieu du 2027-02-08",
            "cible 2027-03-01",
            "manquée (7 jours de retard)",
            "minimum pour tenir la cible : 2 jours/semaine",
            "chemin critique ━",
        ):
            assert words in footer, words


# --- the critical path, today, long missions (review of 2026-11-26) ---------------------------


def _tight_plan() -> Plan:
    """PLAN with its target moved onto the day its schedule ends: no slack anywhere."""
    from releve.planner.schedule import schedule_plan

    end = schedule_plan(PLAN).end
    assert end is not None
    return PLAN.model_copy(update={"exit": PLAN.exit.model_copy(update={"target_date": end})})


class TightHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Timeline(lang="en", week_width=3)

    def on_mount(self) -> None:
        self.query_one(Timeline).update(_tight_plan())


@pilot
async def test_a_target_on_the_end_day_draws_every_phase_as_critical() -> None:
    from releve.planner.schedule import schedule_plan

    plan = _tight_plan()
    schedule = schedule_plan(plan)
    assert all(slot.critical and slot.slack_days <= 0 for slot in schedule.phases.values())
    app = TightHost()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        crit = tl.get_component_rich_style("timeline--critical", partial=True)
        assert crit.color is not None and crit.bold
        for pid, name in (("audit", "Audit"), ("diag", "Diagnostic"), ("handover", "Handover")):
            y = next(y for y in range(2, 5) if name in line(tl, y)[: tl.name_width])
            assert line(tl, y).startswith("━ " + name)
            strip = tl.render_line(y)
            name_style = next(iter(strip.crop(0, 1))).style
            assert name_style.color == crit.color and name_style.bold
            for day in schedule.phases[pid].days:  # each booked week in the critical style
                x = tl.column_of(day)
                assert line(tl, y)[x] == "█"
                cell = next(iter(strip.crop(x, x + 1))).style
                assert cell.color == crit.color and cell.bold
        assert tl.legend_text.endswith("critical path ━")


@pilot
async def test_no_critical_phase_no_critical_path_in_the_legend() -> None:
    app = SampleHost()  # Atelier Durand ends 81 days before its target
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        assert not any(line(tl, y).startswith("━") for y in range(2, 10))
        assert "chemin critique" not in tl.legend_text
        assert "━" not in "\n".join(line(tl, y) for y in range(tl.size.height))


NORTHWIND = SAMPLE.parent / "northwind-distribution.toml"
AS_OF = D(2027, 3, 1)


class NorthwindHost(App[None]):
    """Northwind ends 2026-11-12, its target is 2027-01-29; as of 2027-03-01."""

    def __init__(self, as_of: dt.date | None = AS_OF) -> None:
        super().__init__()
        self.as_of = as_of

    def compose(self) -> ComposeResult:
        yield Timeline(lang="en")

    def on_mount(self) -> None:
        with NORTHWIND.open("rb") as fh:
            plan = Plan.model_validate(tomllib.load(fh))
        self.query_one(Timeline).update(plan, as_of=self.as_of)


@pytest.mark.parametrize("width", [59, 120])
@pilot
async def test_target_and_today_after_the_end_are_on_screen(width: int) -> None:
    app = NorthwindHost()
    async with app.run_test(size=(width, 24)):
        tl = app.query_one(Timeline)
        view = tl.scrollable_content_region.width
        assert tl.virtual_size.width <= view  # no sideways scrolling needed
        ruler = line(tl, tl.header_rows - 1)  # under the days used (Northwind is tracked)
        assert ruler[tl.column_of(D(2027, 1, 29))] == "◆"
        assert ruler[tl.column_of(D(2026, 11, 12))] == "▼"
        assert ruler[tl.column_of(D(2027, 3, 1))] == "●"
        assert "as of 2027-03-01 ●" in tl.legend_text
        assert (
            tl.column_of(D(2026, 11, 12))
            < tl.column_of(D(2027, 1, 29))
            < tl.column_of(D(2027, 3, 1))
            < view
        )
        if width == 59:  # a year does not fit at one cell a week beside the names
            assert tl.weeks_per_cell == 2 and "1 cell = 2 weeks" in tl.legend_text
            # names get more than a quarter of the width when the grid fits beside them
            assert tl.name_width > view // 4
            assert line(tl, tl.header_rows + 1).startswith("✓ Operations diagnostic ")
        else:
            assert tl.weeks_per_cell == 1 and "1 cell =" not in tl.legend_text


@pilot
async def test_a_far_as_of_date_does_not_stretch_the_grid() -> None:
    near, far = NorthwindHost(None), NorthwindHost(D(2031, 1, 1))
    async with near.run_test(size=(120, 24)):
        width = near.query_one(Timeline).virtual_size.width
    async with far.run_test(size=(120, 24)):
        tl = far.query_one(Timeline)
        assert tl.today is None and "●" not in line(tl, 1)
        assert tl.virtual_size.width == width
        assert "as of" not in tl.legend_text


@pilot
async def test_wrapped_footer_lines_never_end_on_a_separator() -> None:
    app = NorthwindHost()
    async with app.run_test(size=(59, 24)):
        tl = app.query_one(Timeline)
        drawn = [line(tl, y).rstrip() for y in range(tl.size.height)]
        assert not [text for text in drawn if text.endswith("·")]
        assert "end 2026-11-12" in drawn[tl.header_rows + 7 + 1]


# --- a tracked plan: forecast over baseline, done parts, check date, variance -------------

#: The Atelier Durand sample as it runs: the flash audit took six days and closed on
#: 2027-01-26 (one day over its effort), the diagnostic started late (three days by the
#: check date). Written here, so the sample can change without moving this picture.
TRACKED_LOG = """
[[booking]]
on = 2027-01-04
phase = "audit"

[[booking]]
on = 2027-01-05
phase = "audit"

[[booking]]
on = 2027-01-11
phase = "audit"

[[booking]]
on = 2027-01-12
phase = "audit"

[[booking]]
on = 2027-01-18
phase = "audit"

[[booking]]
on = 2027-01-19
phase = "audit"

[[booking]]
on = 2027-02-01
phase = "diag"

[[booking]]
on = 2027-02-02
phase = "diag"

[[booking]]
on = 2027-02-22
phase = "diag"
"""


def tracked_plan() -> Plan:
    from releve.planner import store

    text = SAMPLE.read_text(encoding="utf-8").replace(
        "effort_days = 5\n", "effort_days = 5\ndone_on = 2027-01-26\n", 1
    )
    return store.loads(text + TRACKED_LOG)


class TrackedHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Timeline(lang="en")

    def on_mount(self) -> None:
        timeline = self.query_one(Timeline)
        timeline.update(tracked_plan(), as_of=AS_OF)
        timeline.focus()


@pilot
async def test_a_tracked_plan_draws_the_forecast_over_the_baseline() -> None:
    from releve.planner.tracking import track

    plan = tracked_plan()
    tracking = track(plan, AS_OF)
    assert tracking.tracked and tracking.variance_days == 7
    app = TrackedHost()
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        # the days used / contracted above the grid, then the months and the ruler
        assert line(tl, 0).startswith("COO days used 9 / 60 contracted · 41 remaining")
        assert tl.header_rows == 3
        audit, diag = row_of(tl, "Audit flash"), row_of(tl, "Diagnostic")
        assert audit.startswith("✓ Audit flash")  # done
        # the forecast's bars sit on the weeks of the forecast, the baseline's weeks it
        # left show ▁, and each phase says its variance after its bar
        for pid, text in (("audit", audit), ("diag", diag)):
            slot = tracking.phases[pid].forecast
            base = tracking.phases[pid].baseline
            assert slot is not None and base is not None
            for day in slot.days:
                assert text[tl.column_of(day)] == "█", (pid, day)
            left = {tl.column_of(d) for d in base.days} - {tl.column_of(d) for d in slot.days}
            assert all(text[x] in "▁░" for x in left), pid
            assert bool(left) == (pid == "diag")  # the diagnostic slipped off its weeks
            assert f"+{tracking.phases[pid].variance_days} d" in text
        # the check date runs down the rows where nothing else is drawn
        assert audit[tl.column_of(AS_OF)] == "│"
        assert line(tl, tl.header_rows - 1)[tl.column_of(AS_OF)] == "●"
        assert "end 2027-08-24 (baseline 2027-07-12, +7 working days)" in tl.status_text
        assert "baseline ▁" in tl.legend_text and "check date │" in tl.legend_text


@pilot
async def test_an_untracked_plan_has_no_days_used_line() -> None:
    app = NorthwindHost(as_of=None)  # no check date: nothing is tracked
    async with app.run_test(size=SIZE):
        tl = app.query_one(Timeline)
        assert tl.header_rows == 2
        assert "COO days used" not in line(tl, 0)


def test_timeline_forecast_snapshot(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(TrackedHost(), terminal_size=SIZE)
