"""SVG snapshots of every view of the app at 120x40 (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/tui/test_app_snapshots.py --snapshot-update``
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from app_helpers import (
    SIZE,
    copy_sample,
    isolated_dirs,  # noqa: F401 - autouse fixture
    make_app,
    settle,
    wait_for,
    where,
)

from releve.tui.app.app import MainScreen
from releve.tui.app.journal import Journal
from releve.tui.app.screens.broken import BrokenFileScreen
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.help import HelpScreen
from releve.tui.app.screens.row_form import RowFormScreen
from releve.tui.app.screens.save_as import SaveAsScreen
from releve.tui.app.widgets.findings import FindingsList
from releve.tui.i18n import SECTIONS


def _steady(run_before):
    """run_before, then cursors stop blinking so the picture does not depend on timing."""

    async def steady(pilot) -> None:
        await run_before(pilot)

        def stop_blinking() -> None:
            # Again at every frame: a widget mounted (or focused) late would blink again.
            for widget in pilot.app.screen.query("Input, TextArea"):
                if widget.cursor_blink:
                    widget.cursor_blink = False
                    # TextArea caches a line drawn while the blinking cursor was off under
                    # the same key as a line with no blinking at all: drop that cache.
                    widget.notify_style_update()
                    widget.refresh()

        stop_blinking()
        await pilot.pause()
        # Under load, views may still be laying out: wait until two frames agree.
        shots = [pilot.app.export_screenshot()]

        async def frame_is_stable() -> None:
            while True:
                stop_blinking()
                await pilot.pause()
                await pilot.wait_for_scheduled_animations()
                shots.append(pilot.app.export_screenshot())
                if shots[-1] == shots[-2]:
                    return

        await asyncio.wait_for(frame_is_stable(), timeout=15)

    return steady


def _section(section: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        await app.show_section(section)
        await settle(pilot, app)
        await pilot.pause()
        # views that lay out to their width draw again once the layout has settled
        app._update_view_result()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("section", [s for s, _ in SECTIONS])
def test_snapshot_section(snap_compare, section: str) -> None:
    assert snap_compare(make_app(None), terminal_size=SIZE, run_before=_steady(_section(section)))


def test_snapshot_english_interface(snap_compare) -> None:
    assert snap_compare(
        make_app(None, lang="en"), terminal_size=SIZE, run_before=_steady(_section("governance"))
    )


def test_snapshot_invalid_field_shows_its_reason(snap_compare) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        await _section("company")(pilot)
        where(app).query_one("#f-headcount").value = "quarante"
        await pilot.pause()

    assert snap_compare(
        make_app(None, lang="en"), terminal_size=SIZE, run_before=_steady(run_before)
    )


def test_snapshot_what_if_on_the_timeline(snap_compare) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        await _section("timeline")(pilot)
        timeline = app.query_one("#timeline")
        await wait_for(pilot, lambda: timeline.shown_end is not None)
        timeline.focus()
        await pilot.press("plus")
        await wait_for(pilot, lambda: timeline.whatif_days == 3)
        await pilot.pause()

    assert snap_compare(make_app(None), terminal_size=SIZE, run_before=_steady(run_before))


def test_snapshot_row_form(snap_compare) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        await _section("process")(pilot)
        app.current_view().focus()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, RowFormScreen))
        await pilot.pause()

    assert snap_compare(make_app(None), terminal_size=SIZE, run_before=_steady(run_before))


def test_snapshot_delete_confirmation(snap_compare) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        await _section("person")(pilot)
        app.current_view().focus()
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()

    assert snap_compare(make_app(None), terminal_size=SIZE, run_before=_steady(run_before))


def _finding_key(key: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        app.query_one(FindingsList).focus()
        await pilot.press(key)
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen))
        await pilot.pause()

    return run_before


def test_snapshot_explain(snap_compare) -> None:
    assert snap_compare(make_app(None), terminal_size=SIZE, run_before=_steady(_finding_key("e")))


def test_snapshot_waive(snap_compare) -> None:
    assert snap_compare(make_app(None), terminal_size=SIZE, run_before=_steady(_finding_key("w")))


def test_snapshot_help(snap_compare) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        await _section("phase")(pilot)
        app.current_view().focus()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(
        make_app(None, lang="en"), terminal_size=SIZE, run_before=_steady(run_before)
    )


def _edit_then(key: str, screen_type: type):
    async def run_before(pilot) -> None:
        app = pilot.app
        await _section("company")(pilot)
        where(app).query_one("#f-sector").value = "Aluminium"
        await settle(pilot, app)
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, screen_type))
        await pilot.pause()

    return run_before


def test_snapshot_quit_with_unsaved_changes(snap_compare) -> None:
    assert snap_compare(
        make_app(None), terminal_size=SIZE, run_before=_steady(_edit_then("ctrl+q", ChoiceScreen))
    )


def test_snapshot_save_as(snap_compare) -> None:
    assert snap_compare(
        make_app(None), terminal_size=SIZE, run_before=_steady(_edit_then("ctrl+s", SaveAsScreen))
    )


def test_snapshot_conflict(snap_compare, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    copy_sample(tmp_path)
    path = Path("atelier-durand.toml")

    async def run_before(pilot) -> None:
        app = pilot.app
        await _section("company")(pilot)
        where(app).query_one("#f-sector").value = "Aluminium"
        await settle(pilot, app)
        path.write_text(path.read_text(encoding="utf-8") + "\n# theirs\n", encoding="utf-8")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=_steady(run_before))


def test_snapshot_recovery_offer(snap_compare, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    copy_sample(tmp_path)
    path = Path("atelier-durand.toml")
    Journal(path).write(
        path.read_text(encoding="utf-8").replace("headcount = 48", "headcount = 49")
    )

    async def run_before(pilot) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=_steady(run_before))


def test_snapshot_broken_file(snap_compare, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = copy_sample(tmp_path)
    path = Path("broken.toml")
    path.write_text(
        source.read_text(encoding="utf-8").replace(
            'reporting = "monthly"', 'reporting = "sometimes"'
        ),
        encoding="utf-8",
    )

    async def run_before(pilot) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=_steady(run_before))
