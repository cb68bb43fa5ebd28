"""Issue #17, tried as a user would with Pilot (120x40): the broken-file view never loses a
byte. A colleague's fix on disk is not overwritten without asking; a symbolic link stays a
link and its target gets the edit; a Latin-1 file opens read-only with its bytes located,
an untouched save writes nothing and a confirmed one says what changed; opening any bytes
and closing without an edit never changes the file. And a recovery folder that cannot be
written is said once, in a notification and in F1 help."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from app_helpers import (  # noqa: F401 - isolated_dirs is an autouse fixture
    SAMPLES,
    SIZE,
    click,
    goto,
    isolated_dirs,
    make_app,
    pilot_test,
    settle,
    shown,
    type_into,
    wait_for,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Static, TextArea

from releve.tui.app.app import MainScreen
from releve.tui.app.journal import Journal
from releve.tui.app.screens.broken import BrokenFileScreen
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.help import HelpScreen

GOOD = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
#: the sample with a TOML syntax error: `[company` unclosed
BROKEN = GOOD.replace("[company]\n", "[company\n", 1)
FIXED = GOOD.replace("headcount = 48", "headcount = 49")


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def area(app) -> TextArea:
    return app.screen.query_one(TextArea)


def error_line(app) -> str:
    return shown(app.screen.query_one("#broken-error", Static))


async def open_broken(pilot, app) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
    await pilot.pause()


async def type_at_start(pilot, app, text: str) -> None:
    """Type ``text`` at the start of the text, key by key, as a user would."""
    widget = area(app)
    widget.focus()
    widget.move_cursor((0, 0))
    await pilot.press(*["enter" if ch == "\n" else ch for ch in text])
    await pilot.pause()


def saved_said(app) -> bool:
    return any(m.startswith("Saved") for m in messages(app))


# --- a colleague's fix on disk ----------------------------------------------------------------


@pilot_test
async def test_a_colleagues_fix_is_not_overwritten_without_asking_and_reload_shows_it(
    tmp_path,
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_broken(pilot, app)
        path.write_text(FIXED, encoding="utf-8")  # a colleague fixes the file meanwhile
        await type_at_start(pilot, app, "#x\n")
        mine = area(app).text
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert app.screen.title_text == "The file changed on disk"
        assert path.read_text(encoding="utf-8") == FIXED  # not a byte written
        assert not saved_said(app)
        await pilot.press("escape")  # cancel: nothing happens
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        assert path.read_text(encoding="utf-8") == FIXED and area(app).text == mine

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-reload")
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        await wait_for(pilot, lambda: area(app).text == FIXED)
        assert "reads as a plan" in error_line(app)
        assert path.read_text(encoding="utf-8") == FIXED
        await pilot.press("ctrl+z")  # the reload is one edit: the user's text comes back
        await wait_for(pilot, lambda: area(app).text == mine)
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: area(app).text == FIXED)
        await pilot.press("ctrl+r")  # go on with the colleague's plan, saved as it is
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, app)
        assert app.session.plan is not None and app.session.plan.company.headcount == 49
        assert not app.dirty
    assert path.read_text(encoding="utf-8") == FIXED


@pilot_test
async def test_overwrite_writes_the_users_text_over_the_colleagues_when_chosen(tmp_path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_broken(pilot, app)
        path.write_text(FIXED, encoding="utf-8")
        await type_at_start(pilot, app, "#x\n")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-overwrite")
        await wait_for(pilot, lambda: path.read_text(encoding="utf-8") == "#x\n" + BROKEN)
        assert saved_said(app)
        assert isinstance(app.screen, BrokenFileScreen)  # still broken: the view stays
        await wait_for(pilot, lambda: "Still cannot be read" in error_line(app))


@pilot_test
async def test_after_a_save_in_the_view_the_editor_saves_without_a_false_conflict(
    tmp_path,
) -> None:
    """Saved once still broken, fixed further, then checked: the editor's base is the file
    the view wrote, so its next save is not taken for someone else's change."""
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_broken(pilot, app)
        await type_at_start(pilot, app, "#x\n")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: path.read_text(encoding="utf-8") == "#x\n" + BROKEN)
        area(app).replace(GOOD, (0, 0), area(app).document.end)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, app)
        assert app.dirty  # the disk holds the text saved before the fix
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.dirty)
        assert not isinstance(app.screen, ChoiceScreen)
    assert path.read_text(encoding="utf-8") == GOOD


# --- a symbolic link --------------------------------------------------------------------------


@pilot_test
async def test_saving_through_a_symbolic_link_edits_its_target_and_keeps_the_link(
    tmp_path,
) -> None:
    real = tmp_path / "real.toml"
    real.write_text(BROKEN, encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(real.name)
    app = make_app(link, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_broken(pilot, app)
        await type_at_start(pilot, app, "#x\n")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: real.read_text(encoding="utf-8") == "#x\n" + BROKEN)
        assert saved_said(app) and isinstance(app.screen, BrokenFileScreen)
    assert link.is_symlink() and link.readlink() == Path("real.toml")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".toml") == [
        "link.toml",
        "real.toml",
    ]


# --- a Latin-1 file ---------------------------------------------------------------------------

LATIN1 = BROKEN.encode("utf-8").replace(b"Menuiserie aluminium", b"Menuiserie \xe9l\xe9gante")
SECTOR_LINE = next(i for i, ln in enumerate(BROKEN.splitlines(), 1) if ln.startswith("sector"))
# `sector = "Menuiserie élégante"`: the two é at columns 22 and 24
BYTES_SHOWN = f"{SECTOR_LINE}:22 \\xe9  {SECTOR_LINE}:24 \\xe9"


async def open_latin1(pilot, app, path: Path) -> None:
    await open_broken(pilot, app)
    assert area(app).read_only
    line = app.screen.query_one("#broken-bytes", Static)
    assert line.display and BYTES_SHOWN in shown(line), shown(line)
    assert "Read-only" in shown(line)
    assert not app.screen.query_one("#broken-hint").display  # not "Fix the text…" yet


@pilot_test
async def test_a_latin1_file_opens_read_only_with_its_bytes_located_and_an_untouched_save_writes_nothing(
    tmp_path,
) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(LATIN1)
    before = path.stat().st_mtime_ns
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_latin1(pilot, app, path)
        text = area(app).text
        await type_at_start(pilot, app, "xyz")  # read-only: typing changes nothing
        assert area(app).text == text
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        body = shown(app.screen.query_one(".dialog-body", Static))
        assert "2 bytes" in body and BYTES_SHOWN in body and "U+FFFD" in body
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        assert area(app).read_only and not saved_said(app)

        await pilot.press("ctrl+s")  # yes this time: editable, still nothing written
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-utf8")
        await wait_for(pilot, lambda: not area(app).read_only)
        await wait_for(pilot, lambda: any("was not written" in m for m in messages(app)))
        assert app.screen.query_one("#broken-hint").display
        assert not saved_said(app)
        await pilot.press("ctrl+q")  # untouched: quits without asking
        await wait_for(pilot, lambda: not app.is_running)
    assert path.read_bytes() == LATIN1 and path.stat().st_mtime_ns == before


@pilot_test
async def test_a_confirmed_save_of_a_latin1_file_says_the_bytes_changed(tmp_path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(LATIN1)
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_latin1(pilot, app, path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-utf8")
        await wait_for(pilot, lambda: not area(app).read_only)
        # the user retypes the first é only
        widget = area(app)
        widget.replace("é", (SECTOR_LINE - 1, 21), (SECTOR_LINE - 1, 22))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: path.read_bytes() != LATIN1)
        data = path.read_bytes()
        assert 'sector = "Menuiserie él\ufffdgante"'.encode() in data
        data.decode("utf-8")  # the file is UTF-8 now
        said = [m for m in messages(app) if m.startswith("Saved")]
        assert said == [
            f"Saved {path} as UTF-8: the 2 bytes that were not UTF-8 are no longer in it"
        ]
        await wait_for(pilot, lambda: not app.screen.query_one("#broken-bytes").display)
        assert isinstance(app.screen, BrokenFileScreen)  # `[company` is still unclosed


@pilot_test
async def test_ctrl_r_on_a_latin1_file_asks_before_going_on(tmp_path) -> None:
    """Bytes that are not UTF-8 in a comment only: the text reads as a plan once they are
    U+FFFD, but the editor would then save them so: ctrl+r asks first."""
    path = tmp_path / "plan.toml"
    path.write_bytes(b"# \xe9t\xe9\n" + GOOD.encode("utf-8"))
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_broken(pilot, app)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-utf8")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, app)
        assert app.dirty  # the file still holds the Latin-1 bytes
    assert path.read_bytes().startswith(b"# \xe9t\xe9\n")


# --- opening any bytes and closing ------------------------------------------------------------

CHUNKS = [b"\r\n", b"\n", b"\r", b"\x0b", b"\x0c", b"\x85", b"\xe9", b"\xc3", b"\xef\xbb\xbf"]
CHUNKS += [b"\x00", b"\t", b"[mission", b"[mission]\n", b'id = "x"\n', b"a = 1", b"\xe2\x80\xa8"]
ANY_BYTES = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(CHUNKS), max_size=40).map(b"".join),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", errors="surrogatepass")),
)


async def _open_and_close(path: Path, save_first: bool) -> None:
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen | MainScreen))
        await pilot.pause()
        if save_first and isinstance(app.screen, BrokenFileScreen):
            await pilot.press("ctrl+s")
            await pilot.pause()
            if isinstance(app.screen, ChoiceScreen):
                await pilot.press("escape")
                await pilot.pause()
            assert not saved_said(app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=ANY_BYTES, save_first=st.booleans())
def test_opening_any_bytes_and_closing_without_an_edit_never_changes_the_file(
    data: bytes, save_first: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        path.write_bytes(data)
        before = path.stat().st_mtime_ns
        asyncio.run(_open_and_close(path, save_first))
        assert path.read_bytes() == data
        assert path.stat().st_mtime_ns == before
        assert sorted(p.name for p in Path(folder).iterdir()) == ["plan.toml"]


# --- the recovery journal cannot be written ---------------------------------------------------


@pilot_test
async def test_a_recovery_folder_that_cannot_be_written_is_said_once_and_in_f1_help(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "state-is-a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("RELEVE_STATE_DIR", str(blocker))
    path = tmp_path / "plan.toml"
    path.write_text(GOOD, encoding="utf-8")
    app = make_app(path, lang="en")
    off = f"recovery is off: {blocker / 'recovery'} is not writable"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        flushes = []
        flush = app.session.flush_journal

        def counted():
            flushes.append(1)
            return flush()

        app.session.flush_journal = counted  # type: ignore[method-assign]
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "Alu")
        await wait_for(pilot, lambda: any(m.startswith(off) for m in messages(app)))
        start = len(flushes)
        await type_into(pilot, app, "sector", "Bois")  # more edits, more tries
        await wait_for(pilot, lambda: len(flushes) >= start + 3)
        assert sum(m.startswith(off) for m in messages(app)) == 1  # said once, not each try
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        notices = [shown(s) for s in app.screen.query(".help-notice").results(Static)]
        assert len(notices) == 1 and off in notices[0]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))

        blocker.unlink()  # the folder can be written again: retried, and said
        await wait_for(pilot, lambda: 'sector = "Bois"' in (Journal(path).read() or ""))
        await wait_for(pilot, lambda: "recovery is on again" in " ".join(messages(app)))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert not list(app.screen.query(".help-notice"))
