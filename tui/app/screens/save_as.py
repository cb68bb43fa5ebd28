"""Where to save a plan that has no file yet."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from releve.tui.i18n import t


class SaveAsScreen(ModalScreen[Path | None]):
    """Asks where to save a plan that has no file yet."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, lang: str, suggestion: str, cwd: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.lang = lang
        self.suggestion = suggestion
        self.cwd = cwd

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t(self.lang, "save_as.title"), classes="dialog-title")
            yield Label(t(self.lang, "save_as.prompt"))
            yield Input(self.suggestion, id="path", compact=True)
            yield Static("", id="save-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(self.lang, "ok"), id="ok", variant="primary")
                yield Button(t(self.lang, "cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        text = self.query_one(Input).value.strip()
        error = self.query_one("#save-error", Static)
        if not text:
            error.update(f"✖ {t(self.lang, 'save_as.empty')}")
            return
        try:
            path = Path(text).expanduser()
            if not path.is_absolute():
                path = self.cwd / path
            path.is_dir()
            path.parent.is_dir()
        except (OSError, ValueError, RuntimeError) as exc:
            # a name too long, a NUL byte, an unknown ~user: say so, never crash
            error.update(f"✖ {getattr(exc, 'strerror', None) or exc}")
            return
        if path.is_dir():
            error.update(f"✖ {t(self.lang, 'save_as.is_dir', path=str(path))}")
            return
        if path.exists():
            error.update(f"✖ {t(self.lang, 'save_as.exists', path=str(path))}")
            return
        if not path.parent.is_dir():
            error.update(f"✖ {t(self.lang, 'save_as.no_dir', path=str(path.parent))}")
            return
        self.dismiss(path)

    @on(Input.Changed)
    def _changed(self) -> None:
        self.query_one("#save-error", Static).update("")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
