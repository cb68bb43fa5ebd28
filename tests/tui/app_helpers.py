"""Helpers for the app's tests: a fixed check date, isolated config/state folders, waiting."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from releve.tui.app.app import ReleveApp

AS_OF = dt.date(2027, 3, 1)
SIZE = (120, 40)
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_missions"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Keymap and recovery files of a test live in its own temp folder."""
    config, state = tmp_path / "config", tmp_path / "state"
    monkeypatch.setenv("RELEVE_CONFIG_DIR", str(config))
    monkeypatch.setenv("RELEVE_STATE_DIR", str(state))
    return config, state


def make_app(path: Path | str | None = None, **kwargs) -> ReleveApp:
    kwargs.setdefault("as_of", AS_OF)
    return ReleveApp(path, **kwargs)


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)


async def settle(pilot, app: ReleveApp, timeout: float = 15.0) -> None:
    """Wait until the findings shown are those of the current plan and the UI is idle."""
    await wait_for(pilot, lambda: app.settled, timeout)
    await pilot.pause()
    await wait_for(pilot, lambda: app.settled, timeout)


def copy_sample(tmp_path: Path, name: str = "atelier-durand.toml") -> Path:
    dst = tmp_path / name
    dst.write_bytes((SAMPLES / name).read_bytes())
    return dst


def run(coro) -> None:
    asyncio.run(coro)


def pilot_test(fn):
    """Run an async Pilot test without an async pytest plugin."""
    import functools

    @functools.wraps(fn)
    def runner(*args, **kwargs):
        asyncio.run(fn(*args, **kwargs))

    return runner


async def click(pilot, app, selector: str) -> None:
    """Click a button once it can be pressed again (a button ignores clicks while its
    pressed effect shows)."""
    await wait_for(pilot, lambda: bool(app.screen.query(selector)))
    button = app.screen.query_one(selector)
    await wait_for(pilot, lambda: not button.has_class("-active") and button.region.area > 0)
    await pilot.pause()
    await pilot.click(selector)


def where(app):
    """Where the user's eyes are: the dialog when one is open, else the section's editor."""
    from releve.tui.app.app import MainScreen

    return app.current_view() if isinstance(app.screen, MainScreen) else app.screen


def form_of(app):
    """The form shown: the dialog's, or the section's."""
    from releve.tui.app.widgets.form import PlanForm

    place = where(app)
    return place if isinstance(place, PlanForm) else place.query_one(PlanForm)


def _top_conftest():
    """tests/conftest.py by its path: `import conftest` is ambiguous once several test
    folders have one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "releve_tests_conftest", ROOT / "tests" / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


need_tool = _top_conftest().need_tool


def shown(widget) -> str:
    """The text a Static shows on screen (after any markup was applied)."""
    visual = widget.visual
    return str(getattr(visual, "plain", visual))


async def goto(pilot, app: ReleveApp, section: str) -> None:
    await app.show_section(section)
    await pilot.pause()


async def type_into(pilot, app: ReleveApp, key: str, text: str):
    """Type ``text`` key by key into an emptied form field; returns the field."""
    from textual.widgets import Input

    control = where(app).query_one(f"#f-{key}", Input)
    control.focus()
    control.value = ""
    await pilot.pause()
    if text:
        await pilot.press(*list(text))
    await pilot.pause()
    return control
