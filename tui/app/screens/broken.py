"""A plan that cannot be read, shown as TOML text with the located error, to fix in place.

The file is opened with ``store.open_text`` (any bytes; those that are not UTF-8 located)
and that ``TextFile`` is the base every save is checked against: ``store.save_text``
never writes over a file someone changed meanwhile without asking (reload or overwrite,
the main editor's question), writes through symbolic links, and writes nothing at all
for an untouched text. A file that is not UTF-8 opens read-only with its bad bytes listed
(line:column and the bytes, ``\\xe9``): saving it would change them, so the view asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.markup import escape
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Label, Static, TextArea

from releve.planner import store
from releve.planner.errors import BadBytesError, ConflictError, LocatedError
from releve.planner.model import Plan
from releve.planner.store import BadBytes, Fingerprint, TextFile
from releve.tui.app import keys
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.session import one_line
from releve.tui.i18n import t

#: At most this many runs of bad bytes are listed (a binary file has thousands).
MAX_RUNS = 12
#: At most this many bytes of one run are shown.
MAX_RUN_BYTES = 8


class FixedText(NamedTuple):
    """What the view dismisses with once the text reads as a plan: the plan, the text it
    was read from, and the file as the view last opened or saved it (the editor's base)."""

    plan: Plan
    text: str
    base: TextFile


def bad_bytes_listing(bad: tuple[BadBytes, ...]) -> str:
    """``6:22 \\xe9  6:24 \\xe9\\xe8``: each run of bytes that are not UTF-8 at its line and
    column, the bytes as they are; at most MAX_RUNS runs, then how many more."""
    shown = []
    for run in bad[:MAX_RUNS]:
        data = "".join(f"\\x{b:02x}" for b in run.data[:MAX_RUN_BYTES])
        more = "…" if len(run.data) > MAX_RUN_BYTES else ""
        shown.append(f"{run.line}:{run.column} {data}{more}")
    if len(bad) > MAX_RUNS:
        shown.append(f"(+{len(bad) - MAX_RUNS})")
    return "  ".join(shown)


class BrokenFileScreen(Screen[FixedText]):
    """Dismisses with FixedText(plan, text, base) once the text reads as a plan."""

    BINDINGS = keys.bindings(keys.BROKEN_KEYS)

    DEFAULT_CSS: ClassVar[str] = """
    #broken-bytes {
        color: $warning;
        padding: 0 1;
        max-height: 5;
    }
    """

    def __init__(
        self,
        path: str,
        text: str,
        error: LocatedError,
        lang: str,
        *,
        file: TextFile | None = None,
    ) -> None:
        super().__init__(id="broken")
        self.path = path
        self.error = error
        self.lang = lang
        #: the file as last opened or saved: what a save is checked against
        self.base = file if file is not None else self._open(path, text)
        #: the bytes that are not UTF-8 may change: the user agreed (or there are none)
        self.accepted = self.base.lossless
        #: the text as the text area shows the base (it reads line ends its own way)
        self.text = self.base.text
        keys.localize(self, lang)

    @staticmethod
    def _open(path: str, text: str) -> TextFile:
        """The file as it is on disk now; when it cannot be read any more, ``text`` with a
        digest no file has (a save then asks before writing over whatever is there)."""
        try:
            return store.open_text(path)
        except OSError:
            return TextFile(Path(path), text, (), Fingerprint(0, 0, ""))

    def compose(self) -> ComposeResult:
        yield Label(t(self.lang, "broken.title") + f" — {escape(self.path)}", id="broken-title")
        yield Static(f"✖ {escape(str(self.error))}", id="broken-error")
        yield Static(t(self.lang, "broken.hint", key=self._retry_key()), id="broken-hint")
        bytes_line = Static("", id="broken-bytes", markup=False)
        bytes_line.display = False
        yield bytes_line
        try:
            area = TextArea.code_editor(
                self.base.text, language="toml", id="broken-text", soft_wrap=False
            )
        except Exception:  # noqa: BLE001 - no TOML grammar installed: plain text
            area = TextArea.code_editor(self.base.text, id="broken-text", soft_wrap=False)
        area.read_only = not self.accepted
        self.text = area.text
        yield area
        yield Footer()

    def _retry_key(self) -> str:
        for binding in self._bindings.key_to_bindings.get("ctrl+r", []):
            return binding.key_display or "ctrl+r"
        return "ctrl+r"

    def _save_key(self) -> str:
        for key, bindings in self.app._bindings.key_to_bindings.items():
            if any(b.action == "save" for b in bindings):
                return key
        return "ctrl+s"

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        self._show_bytes()
        self.call_after_refresh(self._place_cursor, self.error)

    def _show_bytes(self) -> None:
        """The bytes that are not UTF-8, listed above the text while they are in the file."""
        line = self.query_one("#broken-bytes", Static)
        bad = self.base.bad
        line.display = bool(bad)
        # "Fix the text…" while the text cannot be edited would say the opposite
        self.query_one("#broken-hint", Static).display = self.accepted
        if not bad:
            return
        count = sum(len(run.data) for run in bad)
        key = "broken.bytes" if not self.accepted else "broken.bytes_editable"
        line.update(
            t(self.lang, key, count=count, bytes=bad_bytes_listing(bad), key=self._save_key())
        )

    def _place_cursor(self, error: LocatedError) -> None:
        area = self.query_one(TextArea)
        if error.line:
            row = max(0, min(error.line - 1, area.document.line_count - 1))
            col = max(0, (error.column or 1) - 1)
            area.move_cursor((row, min(col, len(area.document.get_line(row)))), center=True)

    @property
    def edited(self) -> bool:
        """Whether the user changed the text since it was read or saved (quitting loses it)."""
        return self.query_one(TextArea).text != self.text

    def _current_text(self) -> str:
        """The text to save or check: the base's own text while untouched (the text area
        may show its line ends differently; an untouched text must write nothing)."""
        return self.query_one(TextArea).text if self.edited else self.base.text

    def undo(self) -> None:
        area = self.query_one(TextArea)
        if not area.read_only:
            area.undo()

    def redo(self) -> None:
        area = self.query_one(TextArea)
        if not area.read_only:
            area.redo()

    # --- saving -----------------------------------------------------------------------

    def save_text(self) -> None:
        """ctrl+s: write the text as it is to the file through ``store.save_text`` (digest
        check, atomic, through symbolic links; nothing written when untouched), then check
        it again like ctrl+r (the view closes when it now reads as a plan). A file that is
        not UTF-8 asks first: its bad bytes would change."""
        if not self.accepted:
            self._ask_bytes(then=self._save)
            return
        self._save()

    def _save(self, *, force: bool = False) -> None:
        text = self._current_text()
        try:
            written = store.save_text(
                text, self.path, base=self.base, force=force, replace_bad_bytes=self.accepted
            )
        except ConflictError:
            self._conflict()
            return
        except BadBytesError:
            self._ask_bytes(then=self._save)
            return
        except (LocatedError, OSError) as err:
            self.notify(
                t(self.lang, "save.failed", error=one_line(err)), severity="error", markup=False
            )
            return
        if written is self.base:  # untouched: not a byte written
            self.notify(t(self.lang, "broken.unchanged", path=self.path), timeout=3, markup=False)
            return
        replaced = sum(len(run.data) for run in self.base.bad)
        self.base = written
        self.text = self.query_one(TextArea).text  # what is on disk now: quitting loses nothing
        self._show_bytes()
        if replaced:
            message = t(self.lang, "broken.saved_utf8", path=self.path, count=replaced)
        else:
            message = t(self.lang, "saved", path=self.path)
        self.notify(message, timeout=4 if replaced else 2, markup=False)
        self.action_retry()

    def _ask_bytes(self, then: Callable[[], None]) -> None:
        """Ask before the bytes that are not UTF-8 can change; on yes the text becomes
        editable, and ``then`` runs when there is something to do (an untouched text is
        not written: the user is told so)."""
        bad = self.base.bad
        count = sum(len(run.data) for run in bad)

        def answer(choice: str | None) -> None:
            if choice != "utf8":
                return
            self.accepted = True
            self.query_one(TextArea).read_only = False
            self._show_bytes()
            if then == self._save and not self.edited:
                self.notify(
                    t(self.lang, "broken.editable", path=self.path, count=count),
                    timeout=8,
                    markup=False,
                )
                return
            then()

        self.app.push_screen(
            ChoiceScreen(
                t(self.lang, "broken.bytes_title"),
                escape(
                    t(
                        self.lang,
                        "broken.bytes_body",
                        path=self.path,
                        count=count,
                        bytes=bad_bytes_listing(bad),
                    )
                ),
                [
                    ("utf8", t(self.lang, "broken.bytes_accept"), "warning"),
                    ("cancel", t(self.lang, "cancel"), "default"),
                ],
            ),
            answer,
        )

    def _conflict(self) -> None:
        """The file changed on disk since it was opened: the main editor's question."""

        def answer(choice: str | None) -> None:
            if choice == "overwrite":
                self._save(force=True)
            elif choice == "reload":
                self._reload()

        self.app.push_screen(
            ChoiceScreen(
                t(self.lang, "conflict.title"),
                t(self.lang, "conflict.body", path=escape(self.path)),
                [
                    ("reload", t(self.lang, "conflict.reload"), "primary"),
                    ("overwrite", t(self.lang, "conflict.overwrite"), "error"),
                    ("cancel", t(self.lang, "cancel"), "default"),
                ],
            ),
            answer,
        )

    def _reload(self) -> None:
        """Show the file as it is on disk now (one undoable edit of the text: ctrl+z brings
        the user's text back), and say whether it reads as a plan."""
        try:
            file = store.open_text(self.path)
        except OSError as err:
            self.notify(one_line(err), severity="error", markup=False)
            return
        area = self.query_one(TextArea)
        area.read_only = False
        area.replace(file.text, (0, 0), area.document.end, maintain_selection_offset=False)
        self.base = file
        self.accepted = file.lossless
        area.read_only = not self.accepted
        self.text = area.text
        self._show_bytes()
        self.notify(t(self.lang, "reloaded", path=self.path), timeout=2, markup=False)
        self._check(go_on=False)

    # --- checking ---------------------------------------------------------------------

    def action_retry(self) -> None:
        """ctrl+r: check the text; go on to the editor when it reads as a plan. Not before
        the user agreed that the bytes that are not UTF-8 change (the editor would save them
        as U+FFFD)."""
        if not self.accepted:
            self._ask_bytes(then=self.action_retry)
            return
        self._check(go_on=True)

    def _check(self, *, go_on: bool) -> None:
        text = self._current_text()
        try:
            plan = store.loads(text, self.path)
        except LocatedError as err:
            self.error = err
            self.query_one("#broken-error", Static).update(
                f"✖ {escape(t(self.lang, 'broken.still', error=str(err)))}"
            )
            self._place_cursor(err)
            return
        if not go_on:
            self.query_one("#broken-error", Static).update(
                f"✔ {escape(t(self.lang, 'broken.reads', key=self._retry_key()))}"
            )
            return
        self.dismiss(FixedText(plan, text, self.base))
