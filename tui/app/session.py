"""One plan being edited, without a terminal: its text, undo history, saving and recovery.

A ``PlanSession`` owns the plan in memory, the text it was read from (edits are rendered
onto it, so comments are kept), whether it is saved, the undo/redo stacks, saving (with the
on-disk conflict check), save-as, reload, and the recovery journal. It never imports
Textual: the app's screens ask it to do things and show what it answers.

Edits never mutate a plan; they build a new one (unchanged tables are shared), so an undo
snapshot is safe to keep and "unsaved" is just "the current plan is not the saved one".
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from releve.planner import store
from releve.planner.errors import ConflictError, LocatedError, PlanError
from releve.planner.model import Plan
from releve.tui.app.journal import Journal

SAMPLE = "atelier-durand.toml"

SaveStatus = Literal["saved", "conflict", "failed"]
JournalChange = Literal["off", "on"] | None


def sample_text(name: str = SAMPLE) -> tuple[str, Path]:
    """Text and on-disk path of a bundled sample mission (works from an installed wheel)."""
    resource = importlib.resources.files("releve.sample_missions") / name
    return resource.read_text(encoding="utf-8"), Path(str(resource))


def template_text() -> str:
    return (importlib.resources.files("releve.planner") / "template.toml").read_text(
        encoding="utf-8"
    )


def one_line(err: BaseException) -> str:
    """An error as one line (an OSError names the file and the reason)."""
    if isinstance(err, OSError) and err.strerror:
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror}"
    return " ".join(str(err).split())


@dataclass(frozen=True)
class Edit:
    """One entry of the undo stack: the plan before the edit, and what the edit was."""

    plan: Plan
    label: str


@dataclass(frozen=True)
class Broken:
    """A plan file that does not read as a plan: why, and the file as text (``file``:
    opened with ``store.open_text``, the base the broken-file view saves against; its
    ``bad`` bytes are the ones that are not UTF-8)."""

    error: LocatedError
    file: store.TextFile

    @property
    def text(self) -> str:
        """The file's text, each byte that is not UTF-8 shown as U+FFFD."""
        return self.file.text


@dataclass(frozen=True)
class SaveOutcome:
    """What a save did: "saved", "conflict" (the file changed on disk: ask) or "failed"
    (``error`` says why in one line; the plan is kept, still unsaved)."""

    status: SaveStatus
    error: str = ""

    @property
    def saved(self) -> bool:
        return self.status == "saved"


class PlanSession:
    """The plan of one editing session (see the module's docstring).

    ``path`` None: the bundled sample, untitled (saving needs a path). A path that does not
    exist: the plan template, unsaved until the first save creates the file. A file that
    does not read as a plan: ``broken`` is set and ``plan`` is None until ``fix_broken``.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path: Path | None = Path(path) if path is not None else None
        #: the file as read or last saved (its fingerprint is what conflicts are checked
        #: against); None when nothing on disk belongs to this plan yet
        self.base: store.PlanFile | None = None
        #: the text edits are rendered onto (comments kept)
        self.base_text: str | None = None
        #: where the plan's rule packs are looked for (next to the plan)
        self.pack_path: Path | None = self.path
        self.plan: Plan | None = None
        self.saved_plan: Plan | None = None
        self.broken: Broken | None = None
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        self._coalesce: tuple[str, ...] | None = None
        self.journal = Journal(self.path)
        self._journal_written: Plan | None = None
        #: the recovery folder that could not be written (journalling is off), or None
        self.journal_error: Path | None = None
        self._read()

    # --- opening ----------------------------------------------------------------------

    def _read(self) -> None:
        if self.path is None:
            text, self.pack_path = sample_text()
            self.base_text = text
            self.plan = self.saved_plan = store.loads(text, SAMPLE)
            return
        if not self.path.exists():
            text = template_text()
            self.base_text = text
            self.plan = store.loads(text, str(self.path))
            self.saved_plan = None  # nothing on disk yet: unsaved until the first save
            return
        try:
            self.base = store.load(self.path)
        except PlanError as err:
            # Read once more as text (never a decoding error): the broken-file view shows
            # it, and saves against its digest; the bytes that are not UTF-8 are located.
            self.broken = Broken(err, store.open_text(self.path))
            return
        self.plan = self.saved_plan = self.base.plan
        self.base_text = self.base.text

    def fix_broken(self, plan: Plan, text: str, base: store.TextFile | None = None) -> None:
        """The broken file's text, fixed, reads as ``plan``: edit it from now on.

        ``base`` is the file as the broken-file view last opened or saved it (default: as
        it was opened). Saving checks the file's digest against it, so a file someone
        changed meanwhile is never overwritten without asking; the plan is saved when
        ``text`` is exactly what the view saved.
        """
        assert self.path is not None and self.broken is not None
        if base is None:
            base = self.broken.file
        self.base = base.as_plan_file(plan, text)
        self.base_text = text
        self.saved_plan = plan if text == base.text and base.lossless else None
        self.plan = plan
        self.broken = None

    # --- state ----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Whether the plan has changes that are not on disk."""
        return self.plan is not None and self.plan is not self.saved_plan

    def text(self, plan: Plan | None = None) -> str:
        """The plan as it would be saved: rendered onto the original text (comments kept)."""
        plan = plan or self.plan
        assert plan is not None
        if self.base_text is not None:
            return store.render(plan, self.base_text)
        return store.dumps(plan)

    # --- edits and undo ---------------------------------------------------------------

    def apply(self, new_plan: Plan, label: str, *, coalesce: tuple[str, ...] | None = None) -> bool:
        """Make ``new_plan`` the current plan as one undoable edit; False when it is the
        plan already. Consecutive edits with the same ``coalesce`` key (typing in one field)
        are one undo step."""
        assert self.plan is not None
        if new_plan is self.plan:
            return False
        if not (coalesce is not None and coalesce == self._coalesce and self.undo_stack):
            self.undo_stack.append(Edit(self.plan, label))
            self.redo_stack.clear()
        self._coalesce = coalesce
        self.plan = new_plan
        return True

    def end_coalescing(self) -> None:
        """The next edit is its own undo step (the user moved elsewhere)."""
        self._coalesce = None

    def undo(self) -> Edit | None:
        """Go back one edit; the edit undone, or None when there is none."""
        return self._step(self.undo_stack, self.redo_stack)

    def redo(self) -> Edit | None:
        return self._step(self.redo_stack, self.undo_stack)

    def _step(self, source: list[Edit], target: list[Edit]) -> Edit | None:
        if not source or self.plan is None:
            return None
        edit = source.pop()
        target.append(Edit(self.plan, edit.label))
        self.plan = edit.plan
        self._coalesce = None
        return edit

    # --- saving -----------------------------------------------------------------------

    def save(self, *, force: bool = False) -> SaveOutcome:
        """Save to ``path`` (which must be set): atomic, comments kept, and never over a
        file changed on disk since it was read unless ``force``."""
        assert self.path is not None and self.plan is not None
        plan = self.plan
        if self.base is None and not force and self.path.exists():
            return SaveOutcome("conflict")  # a file appeared where there was none
        try:
            if self.base is None and self.base_text is not None:
                # a new file from the template or the sample: keep their comments
                written = store.save(plan, self.path, base=self._text_base(plan), force=force)
            else:
                written = store.save(plan, self.path, base=self.base, force=force)
        except ConflictError:
            return SaveOutcome("conflict")
        except (LocatedError, OSError) as err:
            return SaveOutcome("failed", one_line(err))
        self.base = written
        self.base_text = written.text
        self.pack_path = self.path
        self.saved_plan = plan
        self.journal.clear()
        self._journal_written = None
        return SaveOutcome("saved")

    def save_as(self, path: Path, *, force: bool = False) -> SaveOutcome:
        """Save to a new ``path``. The plan takes it only once saved there: a failed save
        (folder gone, no permission) leaves the plan where it was, still unsaved."""
        old = (self.path, self.base, self.journal, self._journal_written)
        self.path = path
        self.base = None  # a new file: nothing on disk to conflict with
        self.journal = Journal(path)
        self._journal_written = None
        outcome = self.save(force=force)
        if outcome.status == "failed":
            self.path, self.base, self.journal, self._journal_written = old
        elif old[2].path != self.journal.path:
            old[2].clear()
        return outcome

    def _text_base(self, plan: Plan) -> store.PlanFile:
        """A base for a file not read from disk: the text whose comments to keep.

        Its path is not the target's, so the store renders onto it without a conflict
        check; ``save`` checks instead that no file appeared at the target meanwhile.
        """
        assert self.base_text is not None
        return store.PlanFile(Path("<template>"), plan, self.base_text, store.Fingerprint(0, 0, ""))

    def reload(self, label: str) -> str | None:
        """Read the file again as one undoable edit (``label``); why not, or None."""
        assert self.path is not None
        try:
            loaded = store.load(self.path)
        except (LocatedError, OSError) as err:
            return str(err)
        self.base = loaded
        self.base_text = loaded.text
        if self.plan is not None:
            self.apply(loaded.plan, label)
        self.plan = self.saved_plan = loaded.plan
        return None

    # --- recovery journal --------------------------------------------------------------

    def recoverable(self) -> Plan | None:
        """The plan journalled by a session that ended without saving, when it differs
        from the file (and still reads as a plan)."""
        text = self.journal.read()
        if not text or text == self.base_text:
            return None
        try:
            return store.loads(text, str(self.journal.path))
        except LocatedError:
            return None

    def changed_since_journal(self) -> bool:
        """Whether the plan file was modified after its recovery file was written."""
        if self.path is None:
            return False
        try:
            return self.path.stat().st_mtime_ns > self.journal.path.stat().st_mtime_ns
        except OSError:
            return False

    def discard_recovery(self) -> None:
        self.journal.clear()
        self._journal_written = None

    def flush_journal(self) -> JournalChange:
        """Write unsaved edits to the recovery file (or remove it once saved).

        A folder that cannot be written turns journalling off (``journal_error``); the
        write is retried on every call until it succeeds. Returns "off" when this call
        turned it off, "on" when this call turned it back on (so the UI says each once),
        else None.
        """
        if self.plan is None or self.broken is not None:
            return None
        if not self.dirty:
            if self._journal_written is not None:
                self.discard_recovery()
            return None
        if self._journal_written is self.plan:
            return None
        try:
            self.journal.write(self.text())
        except OSError:
            was_on = self.journal_error is None
            self.journal_error = self.journal.path.parent
            return "off" if was_on else None
        self._journal_written = self.plan
        was_off = self.journal_error is not None
        self.journal_error = None
        return "on" if was_off else None
