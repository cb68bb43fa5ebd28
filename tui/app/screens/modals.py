"""Modal screens of the app: choices, row form, explain, waive, save as, help."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from releve.planner.model import Plan, Waiver
from releve.tui.app import forms
from releve.tui.app.widgets.form import PlanForm
from releve.tui.i18n import reason as reason_text
from releve.tui.i18n import row_noun, t


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


#: ``RowFormScreen(index=...)`` not given: found from the values (see the screen).
_INFER: Any = object()


class RowFormScreen(ModalScreen[BaseModel | None]):
    """A form for one row of an array table; dismisses with the validated row.

    The row is checked against the rest of the plan before the dialog closes: an id that
    another row has, or anything the whole plan refuses, keeps the dialog open with the
    reason shown (under the id field for an id), so nothing typed is lost. ``index`` is the
    row edited (None: a new row); when not given it is the row whose values the form
    starts with, or a new row when none has them.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+enter,ctrl+j", "ok", show=False),
    ]

    def __init__(
        self,
        table: str,
        plan: Plan,
        values: dict[str, Any],
        lang: str,
        title: str,
        *,
        focus_key: str | None = None,
        findings: dict[str, list[str]] | None = None,
        index: int | None = _INFER,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.table = table
        self.plan = plan
        self.values = values
        self.lang = lang
        self.title_text = title
        self.focus_key = focus_key
        self.findings = findings or {}
        rows = list(getattr(plan, table, []))
        if index is _INFER:
            index = next((i for i, row in enumerate(rows) if forms.row_values(row) == values), None)
        self.index: int | None = index
        self.other_ids = {getattr(row, "id", None) for i, row in enumerate(rows) if i != index} - {
            None
        }

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog row-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield PlanForm(self.table, self.plan, self.values, self.lang, id="row-form")
            yield Static("", id="row-error", classes="dialog-error", markup=False)
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
            row = forms.build_row(self.table, values)
        except ValidationError as err:
            for problem in err.errors():
                loc = problem.get("loc") or ()
                key = str(loc[0]) if loc else ""
                reason = forms.problem_reason(problem, self.lang)
                if key in [s.key for s in form.specs]:
                    form.set_error(key, reason)
                else:
                    self.query_one("#row-error", Static).update(f"✖ {reason}")
            return None
        row_id = getattr(row, "id", None)
        if row_id is not None and row_id in self.other_ids:
            form.set_error(
                "id",
                t(
                    self.lang,
                    "row.duplicate_id",
                    what=row_noun(self.lang, self.table).lower(),
                    id=row_id,
                ),
            )
            return None
        return row

    def _plan_refusal(self, row: BaseModel) -> str | None:
        """Why the whole plan refuses the row, if it does (references, ids…)."""
        try:
            forms.set_row(self.plan, self.table, self.index, row)
        except ValidationError as err:
            return "; ".join(
                dict.fromkeys(forms.problem_reason(p, self.lang) for p in err.errors())
            )
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
        refusal = self._plan_refusal(row)
        if refusal is not None:
            self.query_one("#row-error", Static).update(f"✖ {refusal}")
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
            table.add_row(Text(key), Text(description))  # a key may be "[": not markup
        with Vertical(classes="dialog help-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(table, id="help-keys")
            yield Static(self.hint, classes="dialog-hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
