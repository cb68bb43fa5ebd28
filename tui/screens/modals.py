"""Modal screens of the app: choices, row form, explain, waive, save as, help."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError
from rich.markup import escape
from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from planner.model import Plan, Waiver
from tui import forms
from tui.i18n import t
from tui.widgets.form import PlanForm


class ChoiceScreen(ModalScreen[str | None]):
    """A question with buttons; dismisses with the id of the button pressed (None: escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", show=False)]

    def __init__(self, title: str, body: str, choices: list[tuple[str, str, str]],
                 *, name: str | None = None) -> None:
        super().__init__(name=name, classes="dialog-screen")
        self.title_text = title
        self.body = body
        self.choices = choices  # (id, label, variant)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                for cid, label, variant in self.choices:
                    yield Button(label, id=f"choice-{cid}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class RowFormScreen(ModalScreen[BaseModel | None]):
    """A form for one row of an array table; dismisses with the validated row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+enter,ctrl+j", "ok", show=False),
    ]

    def __init__(self, table: str, plan: Plan, values: dict[str, Any], lang: str, title: str,
                 *, focus_key: str | None = None,
                 findings: dict[str, list[str]] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.table = table
        self.plan = plan
        self.values = values
        self.lang = lang
        self.title_text = title
        self.focus_key = focus_key
        self.findings = findings or {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog row-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield PlanForm(self.table, self.plan, self.values, self.lang, id="row-form")
            yield Static("", id="row-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(self.lang, "ok"), id="ok", variant="primary")
                yield Button(t(self.lang, "cancel"), id="cancel")

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        form = self.query_one(PlanForm)
        form.show_findings(self.findings)
        if not (self.focus_key and form.focus_field(self.focus_key)):
            form.focus_field(form.specs[0].key)

    def _validate(self) -> BaseModel | None:
        form = self.query_one(PlanForm)
        values = form.read_values()
        if form.errors:
            return None
        try:
            return forms.build_row(self.table, values)
        except ValidationError as err:
            for problem in err.errors():
                loc = problem.get("loc") or ()
                key = str(loc[0]) if loc else ""
                reason = str(problem.get("msg", "")).removeprefix("Value error, ")
                if key in [s.key for s in form.specs]:
                    form.set_error(key, reason)
                else:
                    self.query_one("#row-error", Static).update(f"✖ {reason}")
            return None

    @on(PlanForm.Changed)
    def _changed(self, event: PlanForm.Changed) -> None:
        # Validation as you type: the whole row, with each reason under its field.
        form = self.query_one(PlanForm)
        for key in list(form.errors):
            form.set_error(key, None)
        self.query_one("#row-error", Static).update("")
        self._validate()

    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        row = self._validate()
        if row is None:
            self.query_one("#row-error", Static).update(f"✖ {t(self.lang, 'row.invalid')}")
            return
        self.dismiss(row)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ExplainScreen(ModalScreen[None]):
    """What a rule checks, why it matters and how to fix it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", show=False)]

    def __init__(self, heading: str, parts: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = heading
        self.parts = parts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog explain-dialog"):
            yield Label(self.heading, classes="dialog-title")
            with VerticalScroll(classes="explain-body"):
                for label, text in self.parts:
                    if text:
                        yield Label(label, classes="explain-label")
                        yield Static(escape(text), classes="explain-text")
            yield Button("OK", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def action_close(self) -> None:
        self.dismiss(None)


class WaiveScreen(ModalScreen[Waiver | None]):
    """Reason, owner and expiry of a waiver (all required)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, rule: str, target: str | None, lang: str, owner: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.rule = rule
        self.target = target
        self.lang = lang
        self.owner = owner

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog waive-dialog"):
            yield Label(t(lang, "waive.title", rule=self.rule), classes="dialog-title")
            if self.target:
                yield Static(escape(self.target), classes="dialog-body")
            yield Label(t(lang, "waive.reason"))
            yield Input(id="reason", compact=True)
            yield Label(t(lang, "waive.owner"))
            yield Input(self.owner, id="owner", compact=True)
            yield Label(t(lang, "waive.expires"))
            yield Input(id="expires", placeholder="YYYY-MM-DD", compact=True)
            yield Static("", id="waive-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(lang, "ok"), id="ok", variant="primary")
                yield Button(t(lang, "cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def _waiver(self) -> Waiver | str:
        reason = self.query_one("#reason", Input).value.strip()
        owner = self.query_one("#owner", Input).value.strip()
        expires_text = self.query_one("#expires", Input).value.strip()
        if not (reason and owner and expires_text):
            return t(self.lang, "waive.required")
        try:
            expires = dt.date.fromisoformat(expires_text)
        except ValueError:
            return t(self.lang, "waive.expires")
        return Waiver(rule=self.rule, target=self.target or None, reason=reason, owner=owner,
                      expires=expires)

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
            yield Static("", id="save-error", classes="dialog-error")
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
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.cwd / path
        if path.exists():
            error.update(f"✖ {t(self.lang, 'save_as.exists', path=escape(str(path)))}")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """The keys of the view the user was in (F1)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", show=False)]

    def __init__(self, title: str, rows: list[tuple[str, str]], hint: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.rows = rows
        self.hint = hint

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, description in self.rows:
            table.add_row(key, description)
        with Vertical(classes="dialog help-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll():
                yield Static(table, id="help-keys")
            yield Static(self.hint, classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
