"""A plan that cannot be read, shown as TOML text with the located error, to fix in place."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Label, Static, TextArea

from releve.planner.errors import LocatedError
from releve.planner.model import Plan
from releve.tui.app import keys
from releve.tui.i18n import t


class BrokenFileScreen(Screen[tuple[Plan, str]]):
    """Dismisses with (plan, fixed text) once the text reads as a plan."""

    BINDINGS = keys.bindings(keys.BROKEN_KEYS)

    def __init__(self, path: str, text: str, error: LocatedError, lang: str) -> None:
        super().__init__(id="broken")
        self.path = path
        self.text = text
        self.error = error
        self.lang = lang
        keys.localize(self, lang)

    def compose(self) -> ComposeResult:
        yield Label(t(self.lang, "broken.title") + f" — {escape(self.path)}", id="broken-title")
        yield Static(f"✖ {escape(str(self.error))}", id="broken-error")
        yield Static(t(self.lang, "broken.hint", key=self._retry_key()), id="broken-hint")
        try:
            area = TextArea.code_editor(
                self.text, language="toml", id="broken-text", soft_wrap=False
            )
        except Exception:  # noqa: BLE001 - no TOML grammar installed: plain text
            area = TextArea.code_editor(self.text, id="broken-text", soft_wrap=False)
        yield area
        yield Footer()

    def _retry_key(self) -> str:
        for binding in self._bindings.key_to_bindings.get("ctrl+r", []):
            return binding.key_display or "ctrl+r"
        return "ctrl+r"

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        self.call_after_refresh(self._place_cursor, self.error)

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

    def undo(self) -> None:
        self.query_one(TextArea).undo()

    def redo(self) -> None:
        self.query_one(TextArea).redo()

    def save_text(self) -> None:
        """ctrl+s: write the text as it is to the file (atomically), then check it again
        like ctrl+r (the view closes when it now reads as a plan)."""
        from releve.planner import store

        text = self.query_one(TextArea).text
        try:
            store._atomic_write(Path(self.path), text.encode("utf-8"))
        except OSError as err:
            reason = f"{err.filename}: {err.strerror}" if err.strerror else str(err)
            self.notify(t(self.lang, "save.failed", error=reason), severity="error", markup=False)
            return
        self.text = text  # what is on disk now: quitting loses nothing
        self.notify(t(self.lang, "saved", path=self.path), timeout=2, markup=False)
        self.action_retry()

    def action_retry(self) -> None:
        from releve.planner import store

        text = self.query_one(TextArea).text
        try:
            plan = store.loads(text, self.path)
        except LocatedError as err:
            self.error = err
            self.query_one("#broken-error", Static).update(
                f"✖ {escape(t(self.lang, 'broken.still', error=str(err)))}"
            )
            self._place_cursor(err)
            return
        self.dismiss((plan, text))
