"""The rows of one array table (Objectives … Waivers): shown, added, edited, moved, deleted.

Each edit builds a new plan and posts ``PlanEdited``; the main screen applies it (undo,
check, save) and shows the table again with the cursor on the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from rich.markup import escape
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from releve.planner.model import Plan
from releve.rules.result import CheckResult
from releve.tui import i18n
from releve.tui.app import forms, keys
from releve.tui.app.messages import PlanEdited
from releve.tui.app.screens import phase_log
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.row_form import RowFormScreen
from releve.tui.i18n import field_label, t

#: The mission log's actions on the phase under the cursor (keys.PHASE_KEYS).
PHASE_ACTIONS = frozenset(k.action for k in keys.PHASE_KEYS)

#: The findings of one row, by field key (see ``field_findings``).
FieldFindings = dict[str, list[str]]


class RowTable(DataTable, inherit_bindings=False):
    """The rows of one array table: one line per row, no widget per row."""

    BINDINGS = (
        [
            Binding("down", "cursor_down", show=False),
            Binding("up", "cursor_up", show=False),
            Binding("pagedown", "page_down", show=False),
            Binding("pageup", "page_up", show=False),
            Binding("home", "scroll_top", show=False),
            Binding("end", "scroll_bottom", show=False),
            Binding("enter", "edit_row", show=False),
        ]
        + keys.bindings(keys.VIM_KEYS)
        + keys.bindings(keys.TABLE_KEYS)
    )

    def __init__(
        self,
        table: str,
        lang: str,
        *,
        as_of: dt.date | None = None,
        findings: Callable[[str, int], FieldFindings] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.table = table
        self.lang = lang
        self.as_of = as_of
        self._findings = findings
        self.columns_keys = forms.TABLE_COLUMNS[table]
        self.specs = {s.key: s for s in forms.field_specs(table)}
        self.rows_source: list[Any] | None = None  # the rows shown
        self.order: list[int] = []  # plan index of each row shown (the log: newest first)
        self.plan: Plan | None = None  # the current plan (the rows' edits start from it)
        keys.localize(self, lang)

    def on_mount(self) -> None:
        for key in self.columns_keys:
            self.add_column(field_label(self.lang, key), key=key)

    def show(self, plan: Plan, cursor: int | None = None) -> None:
        """Show ``plan``'s rows (again only when they changed or ``cursor`` is given)."""
        self.plan = plan
        rows = getattr(plan, self.table)
        if cursor is None and _same_rows(self.rows_source, rows):
            return
        self.rows_source = rows
        row = self.cursor_row if cursor is None else None
        self.order = forms.display_order(self.table, rows)
        if cursor is not None:
            row = self.order.index(cursor) if 0 <= cursor < len(rows) else cursor
        assert row is not None
        self.clear()
        specs = self.specs
        for i in self.order:
            values = forms.row_values(rows[i])
            # Text cells: a DataTable parses plain strings as markup, and plan text
            # ("Chef d'atelier [intérim]") must show as typed.
            self.add_row(
                *[
                    Text(_clip(forms.cell_text(specs[k], values.get(k), self.lang), 32))
                    for k in self.columns_keys
                ],
                key=str(i),
            )
        if rows:
            self.move_cursor(row=max(0, min(row, len(rows) - 1)), animate=False)

    @property
    def row_index(self) -> int:
        """The plan index of the row under the cursor (tables of the log are shown newest
        first)."""
        row = self.cursor_row
        return self.order[row] if 0 <= row < len(self.order) else row

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PHASE_ACTIONS:
            return self.table == "phase"  # shown on the Phases table only
        # the log is in date order: its rows are not moved by hand
        return not (action == "move_row" and self.table in forms.LOG_ORDERED)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))

    # --- editing ------------------------------------------------------------------------

    def _rows(self) -> list[Any]:
        return list(getattr(self.plan, self.table)) if self.plan is not None else []

    def _label(self, index: int) -> str:
        row = self._rows()[index]
        return i18n.row_label(self.lang, self.table, getattr(row, "id", None) or index + 1)

    def _edited(self, plan: Plan, label: str, cursor: int | None) -> None:
        self.post_message(PlanEdited(plan, label, cursor=cursor))

    def action_add_row(self) -> None:
        if self.plan is None:
            return
        table, lang = self.table, self.lang
        # the app always passes its check date; a table on its own dates new rows from the mission start
        as_of = self.as_of if self.as_of is not None else self.plan.mission.start
        values = forms.new_row_defaults(self.plan, table, as_of)
        title = t(lang, "row.add", what=i18n.row_noun(lang, table))

        def done(row: Any) -> None:
            if row is None or self.plan is None:
                return
            try:
                plan, index = forms.set_row(self.plan, table, None, row)
            except ValidationError as err:
                self.notify(forms.error_reason(err, lang), severity="error", markup=False)
                return
            self._edited(plan, t(lang, "edit.add", what=i18n.row_noun(lang, table)), index)

        self.app.push_screen(RowFormScreen(table, self.plan, values, lang, title), done)

    def action_edit_row(self, focus_key: str | None = None, index: int | None = None) -> None:
        if self.plan is None or not self._rows():
            return
        table, lang = self.table, self.lang
        index = self.row_index if index is None else index
        current = self._rows()[index]
        title = t(lang, "row.edit", what=self._label(index))

        def done(row: Any) -> None:
            if row is None or self.plan is None:
                return
            try:
                plan, _ = forms.set_row(self.plan, table, index, row)
            except ValidationError as err:
                self.notify(forms.error_reason(err, lang), severity="error", markup=False)
                return
            if row != current:
                self._edited(plan, t(lang, "edit.row", what=self._label(index)), index)

        findings = self._findings(table, index) if self._findings else {}
        self.app.push_screen(
            RowFormScreen(
                table,
                self.plan,
                forms.row_values(current),
                lang,
                title,
                focus_key=focus_key,
                findings=findings,
            ),
            done,
        )

    def action_duplicate_row(self) -> None:
        if self.plan is None or not self._rows():
            return
        plan, index = forms.duplicate_row(self.plan, self.table, self.row_index)
        self._edited(plan, t(self.lang, "edit.dup", what=self._label(self.row_index)), index)

    def action_delete_row(self) -> None:
        if self.plan is None or not self._rows():
            return
        index = self.row_index
        what = self._label(index)

        def answer(choice: str | None) -> None:
            if choice == "delete" and self.plan is not None:
                plan = forms.delete_row(self.plan, self.table, index)
                self._edited(plan, t(self.lang, "edit.delete", what=what), index)

        self.app.push_screen(
            ChoiceScreen(
                t(self.lang, "delete.title"),
                t(self.lang, "delete.body", what=escape(what)),
                [
                    ("delete", t(self.lang, "delete"), "error"),
                    ("cancel", t(self.lang, "cancel"), "default"),
                ],
            ),
            answer,
        )

    def action_move_row(self, delta: int) -> None:
        if self.plan is None or self.table in forms.LOG_ORDERED:
            return
        plan, index = forms.move_row(self.plan, self.table, self.cursor_row, delta)
        if plan is not self.plan:
            self._edited(plan, t(self.lang, "edit.move", what=self._label(self.cursor_row)), index)

    # --- the mission log on the phase under the cursor (Phases table) -------------------

    def _phase(self) -> tuple[Plan, str, int] | None:
        if self.table != "phase" or self.plan is None or not self._rows():
            self.notify(t(self.lang, "app_log.no_phase"), timeout=3)
            return None
        index = self.row_index
        return self.plan, self._rows()[index].id, index

    def _check_date(self) -> dt.date:
        assert self.plan is not None
        return self.as_of if self.as_of is not None else self.plan.mission.start

    def action_log_day(self) -> None:
        if (found := self._phase()) is not None:
            phase_log.log_day(self, found[0], found[1], self._check_date(), self.lang, found[2])

    def action_close_phase(self) -> None:
        if (found := self._phase()) is not None:
            phase_log.close_phase(self, found[0], found[1], self._check_date(), self.lang, found[2])

    def action_deliver(self) -> None:
        if (found := self._phase()) is not None:
            phase_log.deliver(self, found[0], found[1], self._check_date(), self.lang, found[2])


def field_findings(result: CheckResult | None, section: str, row: int | None) -> FieldFindings:
    """The findings (not waived) about ``section``'s fields, by field key; of one ``row``
    of an array table when given. Each as "icon message (RULE)"."""
    from releve.tui.app.widgets.findings import finding_section

    by_key: FieldFindings = {}
    if result is None:
        return by_key
    icons = {"error": "✖", "warning": "▲", "info": "●"}
    for f in result.findings:
        if f.waived:
            continue
        sec, key = finding_section(f)
        if sec == section and key and (row is None or f.row == row):
            by_key.setdefault(key, []).append(f"{icons[f.severity.value]} {f.message} ({f.rule})")
    return by_key


def _same_rows(shown: list[Any] | None, rows: list[Any]) -> bool:
    """Whether a table already shows these very rows (edits make new row objects)."""
    return (
        shown is not None
        and len(shown) == len(rows)
        and all(a is b for a, b in zip(shown, rows, strict=True))
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
