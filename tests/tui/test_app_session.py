"""PlanSession without a terminal: open, edit, undo, save, conflicts, reload, recovery."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import copy_sample, isolated_dirs  # noqa: F401 - autouse fixture

from releve.planner import store
from releve.tui.app import forms
from releve.tui.app.session import PlanSession


def with_sector(session: PlanSession, sector: str):
    assert session.plan is not None and session.plan.company is not None
    company = session.plan.company.model_copy(update={"sector": sector})
    return session.plan.model_copy(update={"company": company})


def test_the_sample_opens_untitled_and_saved(tmp_path: Path) -> None:
    session = PlanSession(None)
    assert session.path is None and session.plan is not None and not session.dirty
    assert session.plan.mission.id == "atelier-durand-2027"


def test_a_missing_file_starts_from_the_template_and_saving_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    session = PlanSession(path)
    assert session.dirty and not path.exists()
    assert session.save().saved
    assert not session.dirty
    text = path.read_text(encoding="utf-8")
    assert text == session.text() and "#" in text  # the template's comments are kept
    assert store.load(path).plan == session.plan


def test_edits_undo_and_redo_in_order(tmp_path: Path) -> None:
    session = PlanSession(copy_sample(tmp_path))
    first = session.plan
    assert session.apply(with_sector(session, "Bois"), "sector")
    second = session.plan
    assert session.apply(forms.delete_row(second, "person", 0), "delete")
    assert session.dirty
    assert session.undo().label == "delete" and session.plan is second
    assert session.undo().label == "sector" and session.plan is first
    assert session.undo() is None and not session.dirty
    assert session.redo().label == "sector" and session.plan is second
    assert session.apply(second, "nothing") is False  # the same plan is no edit


def test_typing_in_one_field_is_one_undo_step(tmp_path: Path) -> None:
    session = PlanSession(copy_sample(tmp_path))
    first = session.plan
    for sector in ("B", "Bo", "Boi", "Bois"):
        session.apply(with_sector(session, sector), "sector", coalesce=("field", "sector"))
    session.end_coalescing()
    session.apply(with_sector(session, "Verre"), "sector", coalesce=("field", "sector"))
    assert len(session.undo_stack) == 2
    session.undo()
    assert session.plan.company.sector == "Bois"
    session.undo()
    assert session.plan is first


def test_save_keeps_comments_and_changes_only_the_value(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    before = path.read_text(encoding="utf-8")
    session = PlanSession(path)
    session.apply(with_sector(session, "Menuiserie bois"), "sector")
    assert session.save().saved and not session.dirty
    after = path.read_text(encoding="utf-8")
    changed = [b for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == ['sector = "Menuiserie bois"']


def test_a_file_changed_on_disk_is_a_conflict_until_forced(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    session = PlanSession(path)
    session.apply(with_sector(session, "Mine"), "sector")
    theirs = path.read_text(encoding="utf-8").replace("headcount = 48", "headcount = 50")
    path.write_text(theirs, encoding="utf-8")
    outcome = session.save()
    assert outcome.status == "conflict" and session.dirty
    assert path.read_text(encoding="utf-8") == theirs  # their work is still there
    assert session.save(force=True).saved
    assert store.load(path).plan.company.sector == "Mine"


def test_a_file_that_appeared_at_a_new_plans_path_is_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    session = PlanSession(path)
    path.write_text("# someone else's\n", encoding="utf-8")
    assert session.save().status == "conflict"
    assert path.read_text(encoding="utf-8") == "# someone else's\n"


def test_a_failed_save_says_why_in_one_line_and_keeps_the_edit(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    session = PlanSession(path)
    session.apply(with_sector(session, "Mine"), "sector")
    path.unlink()
    path.mkdir()  # the plan's name is now a folder: nothing can be written there
    outcome = session.save()
    assert outcome.status == "failed" and "\n" not in outcome.error and outcome.error
    assert session.dirty and session.plan.company.sector == "Mine"


def test_save_as_takes_the_new_path_only_once_saved(tmp_path: Path) -> None:
    session = PlanSession(None)
    missing = tmp_path / "gone" / "durand.toml"
    assert session.save_as(missing).status == "failed"
    assert session.path is None and session.dirty is False
    target = tmp_path / "durand.toml"
    assert session.save_as(target).saved
    assert session.path == target and store.load(target).plan == session.plan


def test_save_as_moves_the_recovery_file(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    session = PlanSession(path)
    session.apply(with_sector(session, "Mine"), "sector")
    session.flush_journal()
    old = session.journal.path
    assert old.exists()
    assert session.save_as(tmp_path / "copy.toml").saved
    assert not old.exists()


def test_reload_is_an_undoable_edit_and_leaves_the_plan_saved(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    session = PlanSession(path)
    session.apply(with_sector(session, "Mine"), "sector")
    mine = session.plan
    path.write_text(
        path.read_text(encoding="utf-8").replace("headcount = 48", "headcount = 50"),
        encoding="utf-8",
    )
    assert session.reload("reload") is None
    assert session.plan.company.headcount == 50 and not session.dirty
    assert session.undo().label == "reload" and session.plan is mine
    # reloaded: saving now overwrites nobody's work
    session.redo()
    assert session.save().saved


def test_a_broken_file_opens_broken_and_fixed_text_is_edited_on(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("[company]", "[company", 1), encoding="utf-8")
    session = PlanSession(path)
    assert session.plan is None and session.broken is not None
    assert session.broken.error.line == good.splitlines().index("[company]") + 1
    session.fix_broken(store.loads(good, str(path)), good)
    assert session.plan is not None and session.dirty  # the disk still holds the broken text
    assert session.save().saved
    assert path.read_text(encoding="utf-8") == good


def test_unsaved_edits_are_journalled_and_offered_to_the_next_session(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    session = PlanSession(path)
    assert session.flush_journal() is None and not session.journal.path.exists()
    session.apply(with_sector(session, "Journalled"), "sector")
    session.flush_journal()
    after_crash = PlanSession(path)
    recovered = after_crash.recoverable()
    assert recovered is not None and recovered.company.sector == "Journalled"
    assert not after_crash.changed_since_journal()
    after_crash.discard_recovery()
    assert PlanSession(path).recoverable() is None


def test_saving_removes_the_recovery_file(tmp_path: Path) -> None:
    session = PlanSession(copy_sample(tmp_path))
    session.apply(with_sector(session, "Mine"), "sector")
    session.flush_journal()
    assert session.journal.path.exists()
    session.save()
    assert not session.journal.path.exists()


def test_a_recovery_folder_that_cannot_be_written_turns_journalling_off_once_and_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "state-is-a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("RELEVE_STATE_DIR", str(blocker))
    session = PlanSession(copy_sample(tmp_path))
    session.apply(with_sector(session, "A"), "sector")
    assert session.flush_journal() == "off"  # turned off now: say it
    assert session.journal_error == blocker / "recovery"
    assert session.flush_journal() is None  # retried, still off: said already
    session.apply(with_sector(session, "B"), "sector")
    assert session.flush_journal() is None
    assert session.journal_error is not None
    blocker.unlink()  # the folder can be made again
    assert session.flush_journal() == "on"
    assert session.journal_error is None
    assert store.loads(session.journal.read()).company.sector == "B"
