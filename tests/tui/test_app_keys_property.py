"""Property: random key sequences never make the app raise, and never leave an unreadable file."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from app_helpers import (  # noqa: F401 - isolated_dirs is an autouse fixture
    SIZE,
    copy_sample,
    isolated_dirs,
    make_app,
    settle,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releve.planner import store

KEYS = [
    "j",
    "k",
    "g",
    "G",
    "tab",
    "shift+tab",
    "enter",
    "escape",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "space",
    "backspace",
    "a",
    "e",
    "c",
    "w",
    "delete",
    "shift+up",
    "shift+down",
    "plus",
    "minus",
    "ctrl+z",
    "ctrl+y",
    "ctrl+s",
    "f1",
    "alt+1",
    "alt+2",
    "alt+3",
    "x",
    "1",
    "0",
    "-",
    ".",
    "2027-02-15",
]


async def _drive(path: Path, keys: list[str]) -> None:
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for key in keys:
            if not app.is_running:
                break
            if len(key) > 1 and "-" in key:  # a date typed character by character
                await pilot.press(*list(key))
            else:
                await pilot.press(key)
        if app.is_running:
            await settle(pilot, app)
            assert app.check_error is None, app.check_error
            assert app.plan is not None
            # what would be saved reads back as the plan in memory
            assert store.loads(app.plan_text()) == app.plan


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(keys=st.lists(st.sampled_from(KEYS), min_size=1, max_size=40))
def test_random_keys_never_raise_and_never_leave_an_unreadable_file(keys: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = copy_sample(Path(folder))
        asyncio.run(_drive(path, keys))  # an exception in the app fails here
        store.load(path)  # still a readable plan, saved or not
