"""The keys of the view the user was in (F1), after what the user must know first."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class HelpScreen(ModalScreen[None]):
    """The keys of the view the user was in (F1)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", show=False)]

    def __init__(
        self, title: str, rows: list[tuple[str, str]], hint: str, *, notices: tuple[str, ...] = ()
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.rows = rows
        self.hint = hint
        self.notices = notices  # what the user must know first ("recovery is off: …")

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, description in self.rows:
            table.add_row(Text(key), Text(description))  # a key may be "[": not markup
        with Vertical(classes="dialog help-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for notice in self.notices:
                yield Static(f"▲ {notice}", classes="dialog-error help-notice", markup=False)
            with VerticalScroll():
                yield Static(table, id="help-keys")
            yield Static(self.hint, classes="dialog-hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
