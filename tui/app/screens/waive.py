"""A waiver of one finding: reason, owner, expiry."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from releve.planner.model import Waiver
from releve.tui.app import forms
from releve.tui.i18n import reason as reason_text
from releve.tui.i18n import t


class WaiveScreen(ModalScreen[Waiver | None]):
    """Reason, owner and expiry of a waiver (all required; the expiry after ``as_of``, the
    check date: when not given, the app's ``as_of``)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        rule: str,
        target: str | None,
        lang: str,
        owner: str = "",
        *,
        as_of: dt.date | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.rule = rule
        self.target = target
        self.lang = lang
        self.owner = owner
        self._as_of = as_of

    @property
    def as_of(self) -> dt.date | None:
        """The check date a waiver must outlive."""
        if self._as_of is not None:
            return self._as_of
        as_of = getattr(self.app, "as_of", None)
        return as_of if isinstance(as_of, dt.date) else None

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog waive-dialog"):
            yield Label(
                t(lang, "waive.title", rule=self.rule), classes="dialog-title", markup=False
            )
            if self.target:
                yield Static(self.target, classes="dialog-body", markup=False)
            yield Label(t(lang, "waive.reason"))
            yield Input(id="reason", compact=True)
            yield Label(t(lang, "waive.owner"))
            yield Input(self.owner, id="owner", compact=True)
            yield Label(t(lang, "waive.expires"))
            yield Input(id="expires", placeholder=t(lang, "date.placeholder"), compact=True)
            yield Static("", id="waive-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(lang, "ok"), id="ok", variant="primary")
                yield Button(t(lang, "cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def _expires(self, text: str) -> dt.date | str:
        """The expiry typed, or why it is refused."""
        try:
            expires = forms.parse_date(text)
        except ValueError as err:
            no_such_date = str(err) == reason_text("en", "no_such_date")
            return t(self.lang, "waive.no_such_date" if no_such_date else "waive.bad_date")
        as_of = self.as_of
        if as_of is not None and expires <= as_of:
            return t(self.lang, "waive.too_early", as_of=as_of.isoformat())
        return expires

    def _waiver(self) -> Waiver | str:
        reason = self.query_one("#reason", Input).value.strip()
        owner = self.query_one("#owner", Input).value.strip()
        expires_text = self.query_one("#expires", Input).value.strip()
        if not (reason and owner and expires_text):
            return t(self.lang, "waive.required")
        expires = self._expires(expires_text)
        if isinstance(expires, str):
            return expires
        return Waiver(
            rule=self.rule, target=self.target or None, reason=reason, owner=owner, expires=expires
        )

    @on(Input.Changed, "#expires")
    def _expires_changed(self, event: Input.Changed) -> None:
        # Checked as you type: the reason shows before OK is pressed.
        text = event.value.strip()
        result = self._expires(text) if text else None
        error = self.query_one("#waive-error", Static)
        error.update(f"✖ {result}" if isinstance(result, str) else "")
        event.input.set_class(isinstance(result, str), "-invalid")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "expires":
            self.action_ok()
        else:
            self.focus_next()

    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        result = self._waiver()
        if isinstance(result, str):
            self.query_one("#waive-error", Static).update(f"✖ {result}")
            return
        self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
