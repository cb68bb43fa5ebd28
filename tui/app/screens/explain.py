"""What a rule checks, why it matters, how to fix it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ExplainScreen(ModalScreen[None]):
    """What a rule checks, why it matters and how to fix it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", show=False)]

    def __init__(self, heading: str, parts: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = heading
        self.parts = parts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog explain-dialog"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            with VerticalScroll(classes="explain-body"):
                for label, text in self.parts:
                    if text:
                        yield Label(label, classes="explain-label", markup=False)
                        yield Static(text, classes="explain-text", markup=False)
            yield Button("OK", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def action_close(self) -> None:
        self.dismiss(None)
