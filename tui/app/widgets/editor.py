"""The middle panel: the editor of the section shown.

A single table (Mission … Governance) is a ``PlanForm``; an array table a ``RowTable``
(with a hint when it is empty); Timeline and Readiness are views of the check's result.
Each editor is made the first time its section is shown, then kept (hidden) for next
time: moving in the section list never rebuilds a form, and a widget still mounting is
never removed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from releve.planner.model import Plan
from releve.rules.result import CheckResult
from releve.tui.app import forms, keys
from releve.tui.app.widgets.form import PlanForm
from releve.tui.app.widgets.rows import RowTable, field_findings
from releve.tui.i18n import SECTIONS, section_label, t

SECTION_KIND = dict(SECTIONS)


class SectionEditor(Vertical):
    """Shows one section's editor at a time, for the plan and check result it is given."""

    def __init__(
        self, lang: str, as_of: dt.date, key_for: Callable[[str], str], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.as_of = as_of
        self._key_for = key_for
        self.section = "mission"
        self.plan: Plan | None = None
        self.result: CheckResult | None = None
        self._views: dict[str, Widget] = {}
        self._boxes: dict[str, Vertical] = {}
        self._lock = asyncio.Lock()

    def current_view(self) -> Widget | None:
        """The editor of the section shown: a PlanForm, a RowTable, or a view widget."""
        return self._views.get(self.section)

    async def show_section(self, section: str) -> None:
        """Show the editor of ``section`` (made the first time)."""
        assert self.plan is not None
        async with self._lock:
            self.section = section
            self.border_title = section_label(self.lang, section)
            for name, box in self._boxes.items():
                box.display = name == section
            if section not in self._boxes:
                box = Vertical(id=f"view-{section}", classes="view")
                self._boxes[section] = box
                await self.mount(box)
                self._views[section] = await self._make(section, box)
            self.refresh_view()
            self.show_field_findings()

    async def _make(self, section: str, box: Vertical) -> Widget:
        assert self.plan is not None
        kind = SECTION_KIND[section]
        if kind == "single":
            table = getattr(self.plan, section)
            values = forms.row_values(table) if table is not None else {}
            view: Widget = PlanForm(
                section, self.plan, values, self.lang, id=f"form-{section}", classes="section-form"
            )
            await box.mount(view)
        elif kind == "array":
            view = RowTable(
                section,
                self.lang,
                as_of=self.as_of,
                findings=lambda table, row: field_findings(self.result, table, row),
                id=f"rows-{section}",
            )
            hint = Static(
                t(self.lang, "empty.table", key=self._key_for("row.add")),
                classes="rows-empty",
                markup=False,
            )
            await box.mount(view, hint)
        else:
            view = self._make_view(section)
            await box.mount(view)
        return view

    def _make_view(self, section: str) -> Widget:
        try:
            if section == "timeline":
                from releve.tui.app.widgets.timeline import Timeline

                widget: Widget = Timeline(lang=self.lang, id="timeline")
            else:
                from releve.tui.app.widgets.readiness import Readiness

                widget = Readiness(lang=self.lang, id="readiness")
        except ImportError:
            return Static(t(self.lang, "view.unavailable"), id=f"{section}-missing")
        keys.localize(widget, self.lang)
        self.call_after_refresh(self.show_result)
        return widget

    # --- showing the plan and the check's result --------------------------------------

    def refresh_view(self, cursor: int | None = None) -> None:
        """Show the current plan in the section's editor (``cursor``: the row to show)."""
        if self.plan is None:
            return
        view = self.current_view()
        kind = SECTION_KIND[self.section]
        if isinstance(view, PlanForm) and kind == "single":
            table = getattr(self.plan, self.section)
            if view.values_source is not table:
                view.values_source = table
                view.refresh_values(self.plan, forms.row_values(table) if table else {})
        elif isinstance(view, RowTable) and kind == "array":
            rows = getattr(self.plan, self.section)
            view.show(self.plan, cursor)
            self._boxes[self.section].query_one(".rows-empty").display = not rows
        elif self.section == "timeline" and view is not None:
            self._update_timeline(view)

    def show_result(self) -> None:
        """The check's result in the views that show it (Timeline, Readiness, fields)."""
        view = self.current_view()
        self.show_field_findings()
        if view is None:
            return
        if self.section == "timeline":
            self._update_timeline(view)
        elif self.section == "readiness" and self.result is not None and hasattr(view, "update"):
            try:
                view.update(self.result, lang=self.lang)
            except Exception as err:  # noqa: BLE001 - a view must never take the editor down
                self.notify(str(err), severity="error", markup=False)

    def show_field_findings(self) -> None:
        view = self.current_view()
        if isinstance(view, PlanForm):
            view.show_findings(field_findings(self.result, self.section, None))

    def _update_timeline(self, widget: Widget) -> None:
        if self.plan is None or not hasattr(widget, "update"):
            return
        result = self.result
        schedule = result.schedule if result is not None and result.plan is self.plan else None
        try:
            widget.update(self.plan, schedule, lang=self.lang, as_of=self.as_of)
        except Exception as err:  # noqa: BLE001 - a view must never take the editor down
            self.notify(str(err), severity="error", markup=False)
