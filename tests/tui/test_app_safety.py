"""Pilot tests of the app's safety fixes: the recovery offer never loses edits, a failed
save-as keeps the plan unsaved, `releve edit` reports a crash, the header always shows the
file name and the unsaved mark, ctrl+s writes the broken-file view's text."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest
from app_helpers import (
    AS_OF,
    SIZE,
    click,
    copy_sample,
    form_of,
    goto,
    isolated_dirs,  # noqa: F401 - autouse fixture
    make_app,
    pilot_test,
    settle,
    shown,
    type_into,
    wait_for,
    where,
)
from textual.widgets import Input, Static

from releve.planner import store
from releve.tui.app.app import MainScreen, ReleveApp
from releve.tui.app.journal import Journal
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.save_as import SaveAsScreen


async def crash_with_journal(tmp_path: Path, sector: str) -> Path:
    """Open the sample, type a sector, let the journal catch it, stop without saving."""
    path = copy_sample(tmp_path)
    app = make_app(path)
    journal = Journal(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", sector)
        await wait_for(pilot, lambda: f'sector = "{sector}"' in (journal.read() or ""))
        app._flush_journal = lambda: None  # type: ignore[method-assign]
        app.exit()
    return path


# --- 1. the recovery offer ------------------------------------------------------------------


@pilot_test
async def test_escape_on_the_recovery_offer_keeps_the_recovered_edits(tmp_path) -> None:
    path = await crash_with_journal(tmp_path, "Aluminium")
    journal = Journal(path)
    again = make_app(path)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ChoiceScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(again.screen, MainScreen))
        await settle(pilot, again)
        # one more character typed elsewhere, then the journal is written again
        await goto(pilot, again, "company")
        control = form_of(again).query_one("#f-name", Input)
        control.focus()
        await pilot.press("end", "X")
        await wait_for(pilot, lambda: again.plan.company.name.endswith("X"))
        await wait_for(pilot, lambda: again.plan.company.name in (journal.read() or ""))
        kept = store.loads(journal.read())
        assert kept.company.sector == "Aluminium"  # the crash's edits are still there
        assert again.plan.company.sector == "Aluminium" and again.dirty


@pilot_test
async def test_the_recovery_offer_says_when_the_file_changed_after_the_journal(tmp_path) -> None:
    path = await crash_with_journal(tmp_path, "Aluminium")
    journal = Journal(path)
    later = journal.path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))
    again = make_app(path, lang="en")
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ChoiceScreen))
        body = shown(again.screen.query_one(".dialog-body", Static))
        assert "changed on disk" in body
        await click(pilot, again, "#choice-discard")
        await wait_for(pilot, lambda: isinstance(again.screen, MainScreen))


@pilot_test
async def test_the_recovery_offer_is_silent_when_the_file_did_not_change(tmp_path) -> None:
    path = await crash_with_journal(tmp_path, "Aluminium")
    journal = Journal(path)
    earlier = journal.path.stat().st_mtime_ns - 5_000_000_000
    os.utime(path, ns=(earlier, earlier))
    again = make_app(path, lang="en")
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ChoiceScreen))
        body = shown(again.screen.query_one(".dialog-body", Static))
        assert "changed on disk" not in body


# --- 2. a failed save-as --------------------------------------------------------------------


@pilot_test
async def test_a_failed_save_as_keeps_the_plan_unsaved_and_ctrl_s_asks_again(tmp_path) -> None:
    app = make_app(None, cwd=tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        form_of(app).query_one("#f-sector", Input).value = "Alu"
        await wait_for(pilot, lambda: app.dirty)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen))
        # the folder the dialog accepted is removed before the file is written
        app.screen.dismiss(tmp_path / "gone" / "durand.toml")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert app.path is None and app.dirty
        messages = [n.message for n in app._notifications]
        assert any("No such file" in m and "\n" not in m for m in messages), messages
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen))
        where(app).query_one("#path", Input).value = "durand.toml"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.dirty)
        assert app.path == tmp_path / "durand.toml"
    assert store.load(tmp_path / "durand.toml").plan.company.sector == "Alu"


# --- 3. `releve edit` exit code ---------------------------------------------------------------


def _edit_args(path: Path) -> argparse.Namespace:
    return argparse.Namespace(plan=str(path), as_of=AS_OF, lang="en")


def _headless(monkeypatch) -> None:
    original = ReleveApp.run

    def run(self, *args, **kwargs):
        return original(self, headless=True, size=SIZE)

    monkeypatch.setattr(ReleveApp, "run", run)


def test_releve_edit_returns_non_zero_when_the_app_crashes(tmp_path, monkeypatch) -> None:
    from releve.tui.cli import edit

    _headless(monkeypatch)

    def boom(self) -> None:
        raise RuntimeError("a bug in the app")

    monkeypatch.setattr(ReleveApp, "_opened", boom)
    assert edit.run(_edit_args(copy_sample(tmp_path))) != 0


def test_releve_edit_returns_zero_when_the_app_quits_normally(tmp_path, monkeypatch) -> None:
    from releve.tui.cli import edit

    _headless(monkeypatch)
    original = ReleveApp._opened

    def opened_then_quit(self) -> None:
        original(self)

        def quit_when_idle() -> None:
            # the app is fully shown (section view mounted, findings checked): quit
            if self.settled and self.current_view() is not None:
                timer.stop()
                self.exit()

        timer = self.set_interval(0.1, quit_when_idle)

    monkeypatch.setattr(ReleveApp, "_opened", opened_then_quit)
    assert edit.run(_edit_args(copy_sample(tmp_path))) == 0


# --- 5. ctrl+s in the broken-file view ------------------------------------------------------


@pilot_test
async def test_ctrl_s_in_the_broken_file_view_writes_the_fixed_text_and_opens_it(tmp_path) -> None:
    from textual.widgets import TextArea

    from releve.tui.app.screens.broken import BrokenFileScreen

    path = copy_sample(tmp_path)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("headcount = 48", "headcount = 48x"), encoding="utf-8")
    fixed = good.replace("headcount = 48", "headcount = 49")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        where(app).query_one(TextArea).text = fixed
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, app)
        assert path.read_text(encoding="utf-8") == fixed
        assert app.plan.company.headcount == 49 and not app.dirty


@pilot_test
async def test_ctrl_s_in_the_broken_file_view_writes_a_still_broken_text_and_stays(
    tmp_path,
) -> None:
    from textual.widgets import TextArea

    from releve.tui.app.screens.broken import BrokenFileScreen

    path = copy_sample(tmp_path)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("headcount = 48", "headcount = 48x"), encoding="utf-8")
    half = good.replace("headcount = 48", "headcount = 48y")
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        where(app).query_one(TextArea).text = half
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: path.read_text(encoding="utf-8") == half)
        await pilot.pause()
        assert isinstance(app.screen, BrokenFileScreen)
        assert "Still cannot be read" in str(where(app).query_one("#broken-error").render())


# --- 4. the header always names the file and shows the unsaved mark -------------------------


async def _header_line(pilot, app) -> str:
    from releve.tui.app.widgets.panels import HeaderBar

    header = app.query_one(HeaderBar)
    await pilot.pause()
    return header.render_line(0).text


@pytest.mark.parametrize("width", [120, 80])
@pilot_test
async def test_the_header_shows_the_file_name_and_the_unsaved_mark(tmp_path, width) -> None:
    path = copy_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(width, SIZE[1])) as pilot:
        await settle(pilot, app)
        line = await _header_line(pilot, app)
        assert path.name in line and "●" not in line.split(path.name)[1][:3]
        assert "79 à sécuriser" in line  # readiness and its band stay, however narrow
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "Alu")
        await settle(pilot, app)
        line = await _header_line(pilot, app)
        assert f"{path.name} ●" in line, line
        assert "…" in line  # the mission title gave way
        assert "79 à sécuriser" in line  # readiness and its band stay, however narrow


# --- 6. Mission › Language switches the findings' language ----------------------------------


async def _titles_after_switch(tmp_path: Path, **kwargs) -> tuple[list[str], list[str]]:
    from textual.widgets import Select

    path = copy_sample(tmp_path)  # a French plan
    app = make_app(path, **kwargs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = [f.title for f in app.result.findings]
        await goto(pilot, app, "mission")
        where(app).query_one("#f-language", Select).value = "en"
        await wait_for(pilot, lambda: app.plan.mission.language.value == "en")
        await settle(pilot, app)
        return before, [f.title for f in app.result.findings]


async def _english_titles(tmp_path: Path) -> list[str]:
    path = copy_sample(tmp_path, "atelier-durand.toml")
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        return [f.title for f in app.result.findings]


@pilot_test
async def test_changing_the_plan_language_switches_the_findings_language(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    before, after = await _titles_after_switch(tmp_path / "a")
    (tmp_path / "b").mkdir()
    english = await _english_titles(tmp_path / "b")
    assert before != english
    assert after == english


@pilot_test
async def test_lang_given_on_the_command_line_keeps_the_findings_language(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    before, after = await _titles_after_switch(tmp_path / "a", lang="fr")
    assert after == before
