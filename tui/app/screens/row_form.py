"""The form of one row of an array table, in a dialog."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from releve.planner.model import Plan
from releve.tui.app import forms
from releve.tui.app.widgets.form import PlanForm
from releve.tui.i18n import row_noun, t

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
