"""Issue #17 without a terminal: the session opens a broken plan with store.open_text (no
bytes lost to errors="replace"), the editor's base after a fix is the file the broken-file
view last saw (a change on disk since is a conflict, never overwritten), and the recovery
journal writes through the store's atomic write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from releve.planner import store
from releve.planner.store import BadBytes
from releve.tui.app.journal import HEADER, Journal
from releve.tui.app.screens.broken import bad_bytes_listing
from releve.tui.app.session import PlanSession

SAMPLE = Path(__file__).resolve().parents[2] / "sample_missions" / "atelier-durand.toml"
GOOD = SAMPLE.read_text(encoding="utf-8")
BROKEN = GOOD.replace("[company]\n", "[company\n", 1)


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELEVE_STATE_DIR", str(tmp_path / "state"))


def test_a_file_that_is_not_utf8_opens_with_one_replacement_per_bad_byte_located(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.toml"
    # a cut 3-byte sequence: errors="replace" made one U+FFFD of two bytes
    path.write_bytes(b'[mission]\nid = "a\xe2\x80b"\n')
    session = PlanSession(path)
    assert session.plan is None and session.broken is not None
    assert session.broken.text == '[mission]\nid = "a\ufffd\ufffdb"\n'
    assert session.broken.file.bad == (BadBytes(2, 8, b"\xe2\x80"),)
    assert bad_bytes_listing(session.broken.file.bad) == "2:8 \\xe2\\x80"
    assert path.read_bytes() == b'[mission]\nid = "a\xe2\x80b"\n'  # opening wrote nothing


def test_the_listing_is_cut_for_a_binary_file() -> None:
    runs = tuple(BadBytes(1, 2 * i + 1, b"\xff" * 20) for i in range(30))
    listing = bad_bytes_listing(runs)
    assert listing.count("\\xff") == 12 * 8 and listing.endswith("(+18)")
    assert listing.startswith("1:1 " + "\\xff" * 8 + "…  1:3 ")


def test_after_a_fix_a_file_changed_on_disk_is_a_conflict_not_overwritten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    session = PlanSession(path)
    colleague = GOOD.replace("headcount = 48", "headcount = 49")
    path.write_text(colleague, encoding="utf-8")  # a colleague fixes the file meanwhile
    session.fix_broken(store.loads(GOOD, str(path)), GOOD)
    assert session.dirty
    assert session.save().status == "conflict"
    assert path.read_text(encoding="utf-8") == colleague
    assert session.save(force=True).saved  # overwrite, when the user chooses it
    assert path.read_text(encoding="utf-8") == GOOD


def test_after_the_view_saved_the_fix_the_plan_is_saved_and_its_base_is_that_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    session = PlanSession(path)
    assert session.broken is not None
    written = store.save_text(GOOD, path, base=session.broken.file)
    session.fix_broken(store.loads(GOOD, str(path)), GOOD, written)
    assert not session.dirty
    other = GOOD.replace("headcount = 48", "headcount = 50")
    path.write_text(other, encoding="utf-8")
    session.apply(store.loads(GOOD.replace("headcount = 48", "headcount = 51")), "headcount")
    assert session.save().status == "conflict"
    assert path.read_text(encoding="utf-8") == other


# --- the journal --------------------------------------------------------------------------


def test_the_journal_writes_atomically_in_a_private_folder(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    journal = Journal(plan)
    journal.write(GOOD)
    assert journal.read() == GOOD
    body = journal.path.read_text(encoding="utf-8")
    assert body.startswith(HEADER) and body.endswith(GOOD)
    folder = journal.path.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == [journal.path.name]  # no temporary left
    journal.write("x = 1\n")
    assert journal.read() == "x = 1\n"
    journal.clear()
    assert journal.read() is None


def test_an_existing_recovery_folder_is_made_private(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "plan.toml")
    journal.path.parent.mkdir(parents=True, mode=0o755)
    os.chmod(journal.path.parent, 0o755)
    journal.write(GOOD)
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_recovery_folder_that_cannot_be_written_names_the_folder(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "plan.toml")
    journal.path.parent.mkdir(parents=True)
    os.chmod(journal.path.parent, 0o500)
    try:
        with pytest.raises(OSError) as caught:
            journal.write(GOOD)
    finally:
        os.chmod(journal.path.parent, 0o700)
    assert caught.value.filename == str(journal.path)
    assert str(journal.path.parent) in caught.value.strerror
