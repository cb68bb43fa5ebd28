"""A question with buttons (reload/overwrite, delete, quit, recovery)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ChoiceScreen(ModalScreen[str | None]):
    """A question with buttons; dismisses with the id of the button pressed (None: escape).

    ``body`` is markup (callers escape the plan text they put in it); the title is shown
    literally. The focused button, the one enter presses, is ``default`` when given, else
    "cancel" when there is one (enter must never throw work away), else the first.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", show=False)]

    def __init__(
        self,
        title: str,
        body: str,
        choices: list[tuple[str, str, str]],
        *,
        name: str | None = None,
        default: str | None = None,
    ) -> None:
        super().__init__(name=name, classes="dialog-screen")
        self.title_text = title
        self.body = body
        self.choices = choices  # (id, label, variant)
        ids = [cid for cid, _, _ in choices]
        if default is None or default not in ids:
            default = "cancel" if "cancel" in ids else (ids[0] if ids else None)
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                for cid, label, variant in self.choices:
                    yield Button(label, id=f"choice-{cid}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        if self.default is not None:
            self.query_one(f"#choice-{self.default}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
