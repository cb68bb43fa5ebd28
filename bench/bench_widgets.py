"""Benchmarks of the app's Timeline and Readiness widgets: drawing the visible lines, and updating.

Each widget runs mounted in a headless Textual app at 120 × 40 (set up once, untimed); a
timed run empties the widget's line cache and draws every visible line with
``render_line``, which is what the compositor asks for after a change. Target: a frame
(all visible lines) within 16 ms, so scrolling stays at 60 frames a second even with
1,000 phases.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tomllib
from typing import Any

from run import ROOT, Case

SIZE = (120, 40)
AS_OF = dt.date(2027, 3, 1)
SAMPLE = ROOT / "sample_missions" / "atelier-durand.toml"
N_PHASES = 1000
FRAME_MS = 16.0


def _sample_plan() -> Any:
    from releve.planner.model import Plan

    with SAMPLE.open("rb") as fh:
        return Plan.model_validate(tomllib.load(fh))


def _big_plan() -> Any:
    """1,000 chained phases of 1 to 3 days: about eight years of a full-time COO."""
    from releve.planner.model import Plan

    phases = [
        {
            "id": f"p{i:04d}",
            "kind": "project",
            "name": f"Workstream {i:04d}",
            "effort_days": 1 + i % 3,
            **({"after": [f"p{i - 1:04d}"]} if i else {}),
        }
        for i in range(N_PHASES)
    ]
    return Plan.model_validate(
        {
            "mission": {"id": "big", "start": dt.date(2027, 1, 4), "language": "en"},
            "exit": {"target_date": dt.date(2032, 1, 1)},
            "company": {
                "closures": [
                    {"from": dt.date(2027 + y, 8, 2), "to": dt.date(2027 + y, 8, 20)}
                    for y in range(9)
                ]
            },
            "phase": phases,
        }
    )


class _Mounted:
    """One widget in a headless app, started at setup and kept running for the timed runs.

    ``prepare()`` computes the widget's data before the app starts (so its errors surface
    here, not inside the app); ``feed(widget, data)`` hands it over on mount.
    """

    def __init__(self, make_widget: Any, prepare: Any, feed: Any) -> None:
        self.make_widget = make_widget
        self.prepare = prepare
        self.feed = feed
        self.data: Any = None
        self.widget: Any = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def setup(self) -> None:
        if self.widget is not None:
            return
        from textual.app import App

        self.data = self.prepare()
        outer = self

        class Host(App[None]):
            def compose(self):  # type: ignore[no-untyped-def]
                yield outer.make_widget()

            def on_mount(self) -> None:
                outer.widget = self.query_one("#bench")
                outer.feed(outer.widget, outer.data)

        self.loop = asyncio.new_event_loop()
        context = Host().run_test(size=SIZE)
        self.loop.run_until_complete(context.__aenter__())
        self._context = context  # kept open: the widget stays mounted and sized
        if self.widget is None:
            raise RuntimeError("the bench app did not mount its widget")

    def draw(self) -> None:
        widget = self.widget
        widget._cache.clear()  # a cold frame: every line drawn, none taken from the cache
        for y in range(widget.scrollable_content_region.height):
            widget.render_line(y)


def _timeline() -> Any:
    from releve.tui.app.widgets.timeline import Timeline

    return Timeline(id="bench")


def _with_schedule(plan_factory: Any) -> Any:
    def prepare() -> tuple[Any, Any, Any]:
        from releve.planner.calendar import WorkCalendar
        from releve.planner.schedule import schedule_plan

        plan = plan_factory()
        schedule = schedule_plan(plan)
        end = max(
            d
            for d in (
                schedule.end,
                plan.mission.start,
                plan.exit.target_date if plan.exit else None,
            )
            if d
        )
        periods = WorkCalendar.for_plan(plan).non_working_periods(
            plan.mission.start, end + dt.timedelta(days=7)
        )
        return plan, schedule, periods

    return prepare


def _feed_timeline(widget: Any, data: tuple[Any, Any, Any]) -> None:
    plan, schedule, periods = data
    widget.update(plan, schedule, non_working=periods)


def _timeline_case(name: str, plan_factory: Any, *, scroll_to_middle: bool = False) -> Case:
    mounted = _Mounted(_timeline, _with_schedule(plan_factory), _feed_timeline)

    def setup() -> None:
        mounted.setup()
        if scroll_to_middle:
            widget = mounted.widget
            widget.scroll_to(
                x=widget.max_scroll_x // 2,
                y=widget.max_scroll_y // 2,
                animate=False,
                immediate=True,
            )

    return Case(name, mounted.draw, target_ms=FRAME_MS, setup=setup)


def _timeline_update_case() -> Case:
    """update() with 1,000 phases, the schedule and calendar given: the widget's own work."""
    mounted = _Mounted(_timeline, _with_schedule(_big_plan), _feed_timeline)

    def run() -> None:
        _feed_timeline(mounted.widget, mounted.data)

    return Case(
        f"widgets: timeline update(), {N_PHASES} phases",
        run,
        target_ms=100,
        setup=mounted.setup,
        repeat=20,
    )


def _readiness_case() -> Case:
    def make() -> Any:
        from releve.tui.app.widgets.readiness import Readiness

        return Readiness(id="bench")

    def prepare() -> Any:
        from releve.rules.pipeline import check_plan

        return check_plan(_sample_plan(), as_of=AS_OF)

    mounted = _Mounted(make, prepare, lambda widget, result: widget.update(result))
    return Case(
        "widgets: readiness render, sample (120x40)",
        mounted.draw,
        target_ms=FRAME_MS,
        setup=mounted.setup,
    )


def cases() -> list[Case]:
    return [
        _timeline_case("widgets: timeline render, sample (120x40)", _sample_plan),
        _timeline_case(f"widgets: timeline render, {N_PHASES} phases (visible area)", _big_plan),
        _timeline_case(
            f"widgets: timeline render, {N_PHASES} phases scrolled to middle",
            _big_plan,
            scroll_to_middle=True,
        ),
        _timeline_update_case(),
        _readiness_case(),
    ]
