"""The main screen: header, sections, the section's editor, findings, footer.

It shows the session's plan and owns what the user moves through: the sections and their
editors, the rows, the findings, the focus between panels. Widgets post ``PlanEdited``;
the screen applies the edit to the session (undo step), reruns the check and shows its
``PlanChecker.Done``. Saving and recovery ask their questions through ``FileFlow``
(files.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList

from releve.planner.model import Plan
from releve.rules.result import CheckResult
from releve.tui.app import forms
from releve.tui.app.messages import PlanEdited
from releve.tui.app.screens.files import FileFlow
from releve.tui.app.session import SAMPLE, PlanSession
from releve.tui.app.widgets.checker import CheckFn, PlanChecker
from releve.tui.app.widgets.editor import SECTION_KIND, SectionEditor
from releve.tui.app.widgets.findings import FindingsList, finding_section
from releve.tui.app.widgets.form import PlanForm
from releve.tui.app.widgets.panels import HeaderBar, SectionList
from releve.tui.app.widgets.rows import PHASE_ACTIONS, RowTable
from releve.tui.i18n import t

PANELS = ("sections", "editor", "findings")


class MainScreen(Screen[None]):
    """The plan editor's screen (see the module's docstring)."""

    def __init__(
        self,
        session: PlanSession,
        *,
        lang: str,
        as_of: dt.date,
        findings_lang: str | None = None,
        check: CheckFn | None = None,
        key_for: Callable[[str], str] = lambda binding_id: binding_id,
        cwd: Path | None = None,
    ) -> None:
        super().__init__(id="main")
        self.session = session
        self.cwd = cwd or Path.cwd()  # where a relative save-as path is
        self.lang = lang
        self.as_of = as_of
        self._findings_lang = findings_lang
        self._check = check
        self._key_for = key_for
        self.result: CheckResult | None = None
        self.check_error: str | None = None
        self._shown_gen = -1  # the check request whose result the panels show
        self.files = FileFlow(self)

    def save(self, then: Callable[[], None] | None = None) -> None:
        self.files.save(then)

    def save_as(self, then: Callable[[], None] | None = None) -> None:
        self.files.save_as(then)

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Horizontal(id="body"):
            sections = SectionList(self.lang, id="sections")
            sections.border_title = t(self.lang, "sections")
            yield sections
            yield SectionEditor(self.lang, self.as_of, self._key_for, id="editor")
            findings = FindingsList(self.lang, id="findings")
            findings.border_title = t(self.lang, "findings")
            findings.border_subtitle = t(self.lang, "findings.hint")
            yield findings
        yield Footer()
        yield PlanChecker(
            as_of=self.as_of, lang=self.lang, findings_lang=self._findings_lang, check=self._check
        )

    def on_mount(self) -> None:
        from releve.tui.app.app import ReleveApp

        app = self.app
        if isinstance(app, ReleveApp):
            app.main_ready()

    # --- parts --------------------------------------------------------------------------

    @property
    def editor(self) -> SectionEditor:
        return self.query_one(SectionEditor)

    @property
    def findings(self) -> FindingsList:
        return self.query_one(FindingsList)

    @property
    def checker(self) -> PlanChecker:
        return self.query_one(PlanChecker)

    @property
    def section(self) -> str:
        return self.editor.section

    def current_view(self) -> Widget | None:
        return self.editor.current_view()

    @property
    def settled(self) -> bool:
        """No check pending or running, and the panels show the current plan's findings."""
        checker = self.checker
        return checker.settled and self._shown_gen == checker.checked

    @property
    def file_name(self) -> str:
        path = self.session.path
        return path.name if path else f"{SAMPLE} ({t(self.lang, 'untitled')})"

    # --- opening ------------------------------------------------------------------------

    def open(self) -> None:
        """Show the session's plan (once it reads as a plan) and offer recovery."""
        if self.session.plan is None:
            return
        self._plan_changed()
        self.call_after_refresh(self.show_section_soon, self.editor.section)
        self.query_one(SectionList).focus()
        self.request_check()
        self.files.offer_recovery()

    # --- edits --------------------------------------------------------------------------

    def apply_edit(
        self,
        new_plan: Plan,
        label: str,
        *,
        coalesce: tuple[str, ...] | None = None,
        refresh_view: bool = True,
        cursor: int | None = None,
    ) -> None:
        """Make ``new_plan`` the current plan as one undoable edit (see PlanSession.apply)."""
        if self.session.apply(new_plan, label, coalesce=coalesce):
            self.changed(refresh_view=refresh_view, cursor=cursor)

    @on(PlanEdited)
    def _edited(self, event: PlanEdited) -> None:
        event.stop()
        self.apply_edit(event.plan, event.label, cursor=event.cursor)
        if event.notice:
            self.notify(event.notice, timeout=3, markup=False)

    def changed(self, *, refresh_view: bool = True, cursor: int | None = None) -> None:
        self._plan_changed()
        if refresh_view:
            self.editor.refresh_view(cursor=cursor)
        self.request_check()
        self.refresh_header()

    def _plan_changed(self) -> None:
        """Give every panel the current plan."""
        plan = self.session.plan
        self.query_one(SectionList).show(plan)
        self.editor.plan = plan
        findings = self.query_one(FindingsList)
        findings.plan = plan
        findings.pack_path = self.session.pack_path
        self.refresh_header()

    def undo(self) -> None:
        self._step(redo=False)

    def redo(self) -> None:
        self._step(redo=True)

    def _step(self, *, redo: bool) -> None:
        edit = self.session.redo() if redo else self.session.undo()
        if edit is None:
            self.notify(t(self.lang, "redo.none" if redo else "undo.none"), timeout=2)
            return
        self.changed()
        done = "redone" if redo else "undone"
        self.notify(t(self.lang, done, what=edit.label), timeout=2, markup=False)

    @on(PlanForm.Changed, ".section-form")
    def _form_changed(self, event: PlanForm.Changed) -> None:
        plan = self.session.plan
        assert plan is not None
        form = event.form
        try:
            new_plan = forms.with_field(plan, form.table, event.spec, event.value)
        except ValidationError as err:
            form.set_error(event.spec.key, forms.error_reason(err, self.lang))
            return
        form.set_error(event.spec.key, None)
        self.apply_edit(
            new_plan,
            t(self.lang, "edit.field", section=form.table, field=event.spec.key),
            coalesce=("field", form.table, event.spec.key),
            refresh_view=False,
        )
        form.values_source = getattr(new_plan, form.table)  # the form shows it already

    def on_timeline_what_if_accepted(self, message: Any) -> None:
        plan = self.session.plan
        if plan is None:
            return
        days = int(message.days_per_week)
        self.apply_edit(forms.with_workdays(plan, days), t(self.lang, "edit.workdays"))
        self.notify(t(self.lang, "whatif.kept", days=days), timeout=3)

    # --- the check and the header -------------------------------------------------------

    def request_check(self) -> None:
        if self.session.plan is not None:
            self.checker.request(self.session.plan, self.session.pack_path)

    @on(PlanChecker.Done)
    def _checked(self, event: PlanChecker.Done) -> None:
        self.result = event.result
        self.check_error = event.error
        self._shown_gen = event.gen
        self.query_one(FindingsList).show(event.result, event.error)
        self.refresh_header()
        self.editor.result = event.result
        self.editor.show_result()

    def refresh_header(self) -> None:
        checker = self.checker
        self.query_one(HeaderBar).show(
            self.session.plan,
            self.file_name,
            self.session.dirty,
            self.result,
            checker.checked != checker.requested,
            self.lang,
        )
        self.app.sub_title = self.file_name

    # --- sections and focus -------------------------------------------------------------

    def show_section_soon(self, section: str, then: str | None = None) -> None:
        """Show a section; ``then`` runs an action of its view (the palette's what-if)."""

        async def show() -> None:
            await self.show_section(section)
            view = self.current_view()
            if then and view is not None:
                view.focus()
                await view.run_action(then)

        self.run_worker(show(), group="section", exclusive=True)

    async def show_section(self, section: str) -> None:
        self.session.end_coalescing()
        self.query_one(SectionList).select_section(section)
        await self.editor.show_section(section)

    @on(OptionList.OptionHighlighted, "#sections")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and event.option_id != self.editor.section:
            self.run_worker(self.show_section(event.option_id), group="section", exclusive=True)

    @on(OptionList.OptionSelected, "#sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_panel("editor")

    def _panels(self) -> list[Widget]:
        return [self.query_one(SectionList), self.editor, self.query_one(FindingsList)]

    def _panel_of(self, widget: Widget | None) -> int | None:
        panels = self._panels()
        node = widget
        while node is not None:
            if node in panels:
                return panels.index(node)
            node = node.parent  # type: ignore[assignment]
        return None

    def focus_panel(self, name: str) -> None:
        if name == "sections":
            self.query_one(SectionList).focus()
        elif name == "findings":
            self.query_one(FindingsList).focus()
        else:
            view = self.current_view()
            if isinstance(view, PlanForm):
                view.focus_field(view.specs[0].key)
            elif view is not None and view.can_focus:
                view.focus()
            elif view is not None:
                focusable = [w for w in view.query("*") if w.can_focus]
                if focusable:
                    focusable[0].focus()

    def next_panel(self, step: int = 1) -> None:
        focused = self.focused
        panel = self._panel_of(focused)
        view = self.current_view()
        # Inside a form, tab walks its fields, then leaves for the next panel.
        if panel == 1 and isinstance(view, PlanForm) and focused is not None:
            controls = [view.control(s.key) for s in view.specs]
            holder = focused
            while holder is not None and holder not in controls:
                holder = holder.parent  # type: ignore[assignment]
            if holder in controls:
                i = controls.index(holder) + step
                if 0 <= i < len(controls):
                    view.focus_field(view.specs[i].key)
                    return
        current = 0 if panel is None else panel
        self.focus_panel(PANELS[(current + step) % 3])

    def run_view_action(self, action: str) -> None:
        """Run a row or finding action (the command palette's) where it belongs."""
        view = self.current_view()
        target: Widget | None = None
        if action.endswith("_finding"):
            target = self.query_one(FindingsList)
        elif isinstance(view, RowTable):
            target = view
        elif view is not None and action in PHASE_ACTIONS and hasattr(view, f"action_{action}"):
            target = view  # the Timeline logs on its phase selected too
        if target is not None:
            self.call_later(target.run_action, action)

    @on(FindingsList.Goto)
    def _goto(self, event: FindingsList.Goto) -> None:
        self.run_worker(self.goto(event.finding), group="section", exclusive=True)

    async def goto(self, finding: Any) -> None:
        """Show the section, row and field a finding asks to fix."""
        section, key = finding_section(finding)
        plan = self.session.plan
        if section is None or plan is None:
            self.notify(t(self.lang, "no_target"), timeout=3)
            return
        await self.show_section(section)
        view = self.current_view()
        if SECTION_KIND[section] == "single":
            if isinstance(view, PlanForm) and not (key and view.focus_field(key)):
                view.focus_field(view.specs[0].key)
            return
        if not isinstance(view, RowTable):
            return
        index = finding.row
        if index is None and ":" in finding.target:
            rid = finding.target.split(":", 1)[1]
            ids = forms.row_ids(plan, section)
            index = ids.index(rid) if rid in ids else None
        view.focus()
        if index is not None and index < view.row_count:
            row = view.order.index(index) if index in view.order else index
            view.move_cursor(row=row, animate=False)
            if key and forms.spec_by_key(section, key) is not None:
                view.action_edit_row(focus_key=key, index=index)
