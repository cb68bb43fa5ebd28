"""The releve terminal app: the COO and the owner fill in the mission plan together.

One ``Plan`` in memory and a stack of whole-plan snapshots for undo/redo (edits always
build a new plan, so a snapshot is never mutated). After each edit the pipeline (schedule,
facts, rules, score) reruns in a thread worker and the header, findings panel and views
show its result. Unsaved edits are journalled for crash recovery (tui/journal.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.resources
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.markup import escape
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static

from releve.planner.errors import LocatedError, PlanError
from releve.planner.model import Plan
from releve.rules.result import CheckResult, Finding
from releve.tui import i18n
from releve.tui.app import forms, keys
from releve.tui.app.journal import Journal
from releve.tui.app.screens.broken import BrokenFileScreen
from releve.tui.app.screens.modals import (
    ChoiceScreen,
    ExplainScreen,
    HelpScreen,
    RowFormScreen,
    SaveAsScreen,
    WaiveScreen,
)
from releve.tui.app.widgets.form import PlanForm
from releve.tui.app.widgets.panels import (
    FindingsList,
    HeaderBar,
    RowTable,
    SectionList,
    finding_section,
)
from releve.tui.i18n import SECTIONS, norm_lang, section_label, t

SAMPLE = "atelier-durand.toml"
#: Delay between an edit and the check it starts; edits within it share one check.
CHECK_DELAY = 0.01
#: Unsaved edits reach the recovery file within this many seconds.
JOURNAL_EVERY = 1.0

CheckFn = Callable[..., CheckResult]
SECTION_KIND = dict(SECTIONS)


CHANGED_SINCE_JOURNAL = {
    "en": "Warning: the file was changed on disk after these edits were journalled.",
    "fr": "Attention : le fichier a été modifié sur le disque après ces modifications.",
}


def _shorten(text: str, cells: int) -> str:
    """``text`` cut to at most ``cells`` terminal cells, ending with an ellipsis when cut
    (at least one character and the ellipsis)."""
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    out = text
    while out[:-1] and cell_len(out) + 1 > cells:
        out = out[:-1]
    return out.rstrip() + "…"


def _one_line(err: BaseException) -> str:
    """An error as one line (an OSError names the file and the reason)."""
    if isinstance(err, OSError) and err.strerror:
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror}"
    return " ".join(str(err).split())


def sample_text(name: str = SAMPLE) -> tuple[str, Path]:
    """Text and on-disk path of a bundled sample mission (works from an installed wheel)."""
    resource = importlib.resources.files("releve.sample_missions") / name
    return resource.read_text(encoding="utf-8"), Path(str(resource))


def template_text() -> str:
    return (importlib.resources.files("releve.planner") / "template.toml").read_text(
        encoding="utf-8"
    )


@dataclass
class Edit:
    """One entry of the undo stack: the plan before the edit, and what the edit was."""

    plan: Plan
    label: str


class ReleveCommands(Provider):
    """Every action of the app in the command palette."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        assert isinstance(app, ReleveApp)
        return list(app.palette_commands())

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class MainScreen(Screen[None]):
    """Header, sections, the section's editor, findings, footer."""

    def __init__(self, lang: str) -> None:
        super().__init__(id="main")
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Horizontal(id="body"):
            sections = SectionList(self.lang, id="sections")
            sections.border_title = t(self.lang, "sections")
            yield sections
            yield Vertical(id="editor")
            findings = FindingsList(self.lang, id="findings")
            findings.border_title = t(self.lang, "findings")
            findings.border_subtitle = t(self.lang, "findings.hint")
            yield findings
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        assert isinstance(app, ReleveApp)
        app.main_ready()


class ReleveApp(App[None], inherit_bindings=False):
    """The mission plan editor."""

    CSS_PATH = "app.tcss"
    TITLE = "releve"
    BINDINGS = keys.bindings(keys.APP_KEYS)
    COMMANDS = App.COMMANDS | {ReleveCommands}

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        as_of: dt.date,
        lang: str | None = None,
        check: CheckFn | None = None,
        keymap: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        super().__init__()
        self.as_of = as_of
        self.cwd = cwd or Path.cwd()
        self._check_fn = check
        self._lang_arg = lang
        self._user_keymap = keymap
        self.path: Path | None = Path(path) if path is not None else None
        self.base = None  # planner.store.PlanFile the plan was read from (conflict checks)
        self.base_text: str | None = None  # text edits are rendered onto (comments kept)
        self.pack_path: Path | None = self.path
        self.plan: Plan | None = None
        self.saved_plan: Plan | None = None
        self.broken: tuple[str, LocatedError] | None = None
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        self._coalesce: tuple[str, ...] | None = None
        self.result: CheckResult | None = None
        self.check_error: str | None = None
        self.edit_gen = 0
        self.checked_gen = -1
        self._check_running = False
        self._check_timer: Any = None
        self._pack_cache: tuple[Any, Any] | None = None
        self.section = "mission"
        self._views: dict[str, Widget] = {}
        self._boxes: dict[str, Vertical] = {}
        self._section_lock = asyncio.Lock()
        self.journal = Journal(self.path)
        self._journal_written: Plan | None = None
        self._read_initial()
        self.lang = norm_lang(lang or (self.plan.mission.language.value if self.plan else None))
        keys.localize(self, self.lang)

    # --- opening ----------------------------------------------------------------------

    def _read_initial(self) -> None:
        from releve.planner import store

        if self.path is None:
            text, self.pack_path = sample_text()
            self.base_text = text
            self.plan = store.loads(text, SAMPLE)
            self.saved_plan = self.plan
            return
        if not self.path.exists():
            text = template_text()
            self.base_text = text
            self.plan = store.loads(text, str(self.path))
            self.saved_plan = None  # nothing on disk yet: unsaved until the first save
            return
        try:
            self.base = store.load(self.path)
        except PlanError as err:
            data = self.path.read_bytes()
            self.broken = (data.decode("utf-8", errors="replace"), err)
            return
        self.plan = self.base.plan
        self.base_text = self.base.text
        self.saved_plan = self.plan

    def get_default_screen(self) -> Screen:
        return MainScreen(self.lang)

    def main_ready(self) -> None:
        """The main screen is composed: open the plan (or the broken-file view)."""
        self._apply_user_keymap()
        if self.broken is not None:
            from releve.tui.app.screens.broken import BrokenFileScreen

            text, err = self.broken
            self.push_screen(
                BrokenFileScreen(str(self.path), text, err, self.lang), self._fixed_broken
            )
        else:
            self._opened()
        self.set_interval(JOURNAL_EVERY, self._flush_journal)

    def _apply_user_keymap(self) -> None:
        keymap = self._user_keymap
        if keymap is None:
            try:
                keymap = keys.load_keymap()
            except keys.KeymapError as err:
                self.notify(
                    t(self.lang, "keymap.bad", path=str(keys.keymap_path()), error=str(err)),
                    severity="error",
                    markup=False,
                )
                keymap = {}
        if keymap:
            self.set_keymap(keymap)

    def _fixed_broken(self, fixed: tuple[Plan, str] | None) -> None:
        from releve.planner import store

        if fixed is None:
            self.exit()
            return
        plan, text = fixed
        assert self.path is not None and self.broken is not None
        data = self.path.read_bytes()
        st = self.path.stat()
        # The plan on disk is still the broken text: saving overwrites it, but only if
        # nobody changed it meanwhile (fingerprint of the broken file).
        self.base = store.PlanFile(self.path, plan, text, store.Fingerprint.of_bytes(data, st))
        self.base_text = text
        # saved from the broken view (ctrl+s): the plan is what is on disk
        self.saved_plan = plan if data == text.encode("utf-8") else None
        self.plan = plan
        self.broken = None
        self._opened()

    def _opened(self) -> None:
        if self.plan is None:
            return
        self.query_one(SectionList).show(self.plan)
        self.call_after_refresh(self._show_section_sync, self.section)
        self._refresh_header()
        self.query_one(SectionList).focus()
        self.request_check()
        self._offer_recovery()

    def _offer_recovery(self) -> None:
        from releve.planner import store

        text = self.journal.read()
        if not text or text == self.base_text:
            return
        try:
            recovered = store.loads(text, str(self.journal.path))
        except LocatedError:
            return
        name = str(self.path) if self.path else t(self.lang, "untitled")
        body = t(self.lang, "recover.body", path=escape(name))
        if self._changed_since_journal():
            body += "\n" + escape(CHANGED_SINCE_JOURNAL[self.lang if self.lang == "fr" else "en"])

        def answer(choice: str | None) -> None:
            # Escape is "not now", never "throw away": the edits are recovered (one
            # undoable step), so the next journal write cannot overwrite them unseen.
            if choice == "recover" or choice is None:
                self.apply_edit(recovered, "recover")
                self.notify(t(self.lang, "recovered"))
            elif choice == "discard":
                self.journal.clear()

        self.push_screen(
            ChoiceScreen(
                t(self.lang, "recover.title"),
                body,
                [
                    ("recover", t(self.lang, "recover.recover"), "primary"),
                    ("discard", t(self.lang, "recover.discard"), "error"),
                ],
            ),
            answer,
        )

    def _changed_since_journal(self) -> bool:
        """Whether the plan file was modified after its recovery file was written."""
        if self.path is None:
            return False
        try:
            return self.path.stat().st_mtime_ns > self.journal.path.stat().st_mtime_ns
        except OSError:
            return False

    # --- state ----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.plan is not None and self.plan is not self.saved_plan

    @property
    def file_name(self) -> str:
        return self.path.name if self.path else f"{SAMPLE} ({t(self.lang, 'untitled')})"

    def plan_text(self, plan: Plan | None = None) -> str:
        """The plan as it would be saved: rendered onto the original text (comments kept)."""
        from releve.planner import store

        plan = plan or self.plan
        assert plan is not None
        if self.base_text is not None:
            return store.render(plan, self.base_text)
        return store.dumps(plan)

    def _refresh_header(self) -> None:
        header = self.query_one(HeaderBar)
        args = (
            self.file_name,
            self.dirty,
            self.result,
            self.checked_gen != self.edit_gen,
            self.lang,
        )
        header.show(self.plan, *args)
        shown = self._header_plan(header)
        if shown is not self.plan:
            header.show(shown, *args)
        self.sub_title = self.file_name

    def _header_plan(self, header: HeaderBar) -> Plan | None:
        """The plan as the header should name it: the mission title (then the company name)
        shortened with an ellipsis so that the file name and the unsaved mark always fit."""
        from rich.cells import cell_len

        plan = self.plan
        width = header.size.width or self.size.width
        if plan is None or width <= 0:
            return plan
        # the header's grid: left, one cell of padding, right
        room = width - cell_len(header.right_text) - (2 if header.right_text else 0)
        excess = cell_len(header.left_text) - room
        if excess <= 0:
            return plan
        title = plan.mission.title or plan.mission.id
        short_title = _shorten(title, cell_len(title) - excess)
        excess -= cell_len(title) - cell_len(short_title)
        update: dict[str, Any] = {"mission": plan.mission.model_copy(update={"title": short_title})}
        if excess > 0 and plan.company and plan.company.name:
            name = plan.company.name
            update["company"] = plan.company.model_copy(
                update={"name": _shorten(name, cell_len(name) - excess)}
            )
        return plan.model_copy(update=update)

    def on_resize(self) -> None:
        if self.plan is not None and self.query(HeaderBar):
            self._refresh_header()

    # --- edits ----------------------------------------------------------------------

    def apply_edit(
        self,
        new_plan: Plan,
        label: str,
        *,
        coalesce: tuple[str, ...] | None = None,
        refresh_view: bool = True,
        cursor: int | None = None,
    ) -> None:
        """Make ``new_plan`` the current plan as one undoable edit.

        Consecutive edits with the same ``coalesce`` key (typing in one field) are one
        undo step.
        """
        assert self.plan is not None
        if new_plan is self.plan:
            return
        if not (coalesce is not None and coalesce == self._coalesce and self.undo_stack):
            self.undo_stack.append(Edit(self.plan, label))
            self.redo_stack.clear()
        self._coalesce = coalesce
        self.plan = new_plan
        self._changed(refresh_view=refresh_view, cursor=cursor)

    def _changed(self, *, refresh_view: bool = True, cursor: int | None = None) -> None:
        self.query_one(SectionList).show(self.plan)
        if refresh_view:
            self._refresh_view(cursor=cursor)
        self.request_check()
        self._refresh_header()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Plan actions only where there is a plan to act on (hidden elsewhere)."""
        if action == "save" and isinstance(self.screen, BrokenFileScreen):
            return True  # writes the text as it is
        if action in ("save", "save_as") and not isinstance(self.screen, MainScreen):
            return None
        return True

    def _text_area_undo(self, redo: bool) -> bool:
        """In the broken-file view, undo and redo are the text's."""
        from textual.widgets import TextArea

        from releve.tui.app.screens.broken import BrokenFileScreen

        if not isinstance(self.screen, BrokenFileScreen):
            return False
        area = self.screen.query_one(TextArea)
        area.redo() if redo else area.undo()
        return True

    def action_undo(self) -> None:
        if self._text_area_undo(redo=False):
            return
        if isinstance(self.screen, MainScreen) and self.undo_stack:
            edit = self.undo_stack.pop()
            assert self.plan is not None
            self.redo_stack.append(Edit(self.plan, edit.label))
            self.plan = edit.plan
            self._coalesce = None
            self._changed()
            self.notify(t(self.lang, "undone", what=edit.label), timeout=2, markup=False)
        elif isinstance(self.screen, MainScreen):
            self.notify(t(self.lang, "undo.none"), timeout=2)

    def action_redo(self) -> None:
        if self._text_area_undo(redo=True):
            return
        if isinstance(self.screen, MainScreen) and self.redo_stack:
            edit = self.redo_stack.pop()
            assert self.plan is not None
            self.undo_stack.append(Edit(self.plan, edit.label))
            self.plan = edit.plan
            self._coalesce = None
            self._changed()
            self.notify(t(self.lang, "redone", what=edit.label), timeout=2, markup=False)
        elif isinstance(self.screen, MainScreen):
            self.notify(t(self.lang, "redo.none"), timeout=2)

    # --- the check pipeline (off the UI thread) ----------------------------------------

    def request_check(self) -> None:
        """Rerun the pipeline soon; edits arriving meanwhile share the next run."""
        self.edit_gen += 1
        if self._check_running or self._check_timer is not None:
            return
        self._check_timer = self.set_timer(CHECK_DELAY, self._start_check)

    def _start_check(self) -> None:
        self._check_timer = None
        if self.plan is None:
            return
        self._check_running = True
        self._run_check(self.plan, self.edit_gen)

    def _checker(self) -> CheckFn:
        if self._check_fn is None:
            from releve.rules.pipeline import check_plan

            self._check_fn = partial(self._check_with_cached_packs, check_plan)
        return self._check_fn

    def _check_with_cached_packs(self, check_plan: CheckFn, plan: Plan, **kwargs: Any) -> Any:
        """check_plan with the pack set reused while the plan's [rules].packs are unchanged."""
        from releve.rules.packs import load_pack_set

        packs = tuple(plan.rules.packs) if plan.rules else ()
        key = (kwargs.get("path"), packs)
        if self._pack_cache is None or self._pack_cache[0] != key:
            self._pack_cache = (key, load_pack_set(kwargs.get("path"), plan))
        return check_plan(plan, pack_set=self._pack_cache[1], **kwargs)

    def _findings_lang(self, plan: Plan) -> str:
        """The findings' language: --lang when given, else the plan's Mission › Language
        (so changing it in the form switches the findings; the interface keeps its own)."""
        if self._lang_arg:
            return self.lang
        return norm_lang(plan.mission.language.value)

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _run_check(self, plan: Plan, gen: int) -> None:
        result: CheckResult | None = None
        error: str | None = None
        try:
            path = str(self.pack_path) if self.pack_path else None
            result = self._checker()(
                plan, as_of=self.as_of, path=path, lang=self._findings_lang(plan)
            )
        except LocatedError as err:
            error = str(err)
        except Exception as err:  # noqa: BLE001 - a bug in a rule must not take the editor down
            error = t(self.lang, "pipeline.failed", error=f"{type(err).__name__}: {err}")
        self.call_from_thread(self._check_done, gen, result, error)

    def _check_done(self, gen: int, result: CheckResult | None, error: str | None) -> None:
        self._check_running = False
        self.result = result
        self.check_error = error
        self.checked_gen = gen
        self._show_result()
        if gen != self.edit_gen:
            self.edit_gen -= 1  # request_check counts one more
            self.request_check()

    @property
    def settled(self) -> bool:
        """No check pending or running: the panels show the current plan's findings."""
        return (
            not self._check_running
            and self._check_timer is None
            and self.checked_gen == self.edit_gen
        )

    def _show_result(self) -> None:
        if not isinstance(self.screen, MainScreen) and not self.screen_stack:
            return
        try:
            findings = self.query_one(FindingsList)
        except NoMatches:
            return
        findings.show(self.result, self.check_error)
        self._refresh_header()
        self._refresh_field_findings()
        self._update_view_result()

    def _update_view_result(self) -> None:
        view = self._current_view()
        if view is None:
            return
        if self.section == "timeline":
            self._update_timeline(view)
        elif self.section == "readiness" and self.result is not None and hasattr(view, "update"):
            try:
                view.update(self.result, lang=self.lang)
            except Exception as err:  # noqa: BLE001 - a view must never take the editor down
                self.notify(str(err), severity="error", markup=False)

    # --- sections and views ------------------------------------------------------------

    def _editor(self) -> Vertical:
        return self.query_one("#editor", Vertical)

    def _current_view(self) -> Widget | None:
        return self._views.get(self.section)

    def current_view(self) -> Widget | None:
        """The editor of the section shown: a PlanForm, a RowTable, or a view widget."""
        return self._current_view()

    def _show_section_sync(self, section: str, then: str | None = None) -> None:
        """Show a section; ``then`` runs an action of its view (the palette's what-if)."""

        async def show() -> None:
            await self.show_section(section)
            view = self._current_view()
            if then and view is not None:
                view.focus()
                await view.run_action(then)

        self.run_worker(show(), group="section", exclusive=True)

    async def show_section(self, section: str) -> None:
        """Show the editor of ``section``: made once, then kept (hidden) for next time.

        Keeping views avoids rebuilding a form on every move in the section list, and
        never removes a widget that is still mounting.
        """
        assert self.plan is not None
        async with self._section_lock:
            self.section = section
            self._coalesce = None
            self.query_one(SectionList).select_section(section)
            editor = self._editor()
            editor.border_title = section_label(self.lang, section)
            for name, box in self._boxes.items():
                box.display = name == section
            if section not in self._boxes:
                box = Vertical(id=f"view-{section}", classes="view")
                self._boxes[section] = box
                await editor.mount(box)
                kind = SECTION_KIND[section]
                if kind == "single":
                    table = getattr(self.plan, section)
                    values = forms.row_values(table) if table is not None else {}
                    view: Widget = PlanForm(
                        section,
                        self.plan,
                        values,
                        self.lang,
                        id=f"form-{section}",
                        classes="section-form",
                    )
                    await box.mount(view)
                elif kind == "array":
                    view = RowTable(section, self.lang, id=f"rows-{section}")
                    hint = Static(
                        t(self.lang, "empty.table", key=self._key_for("row.add")),
                        classes="rows-empty",
                        markup=False,
                    )
                    await box.mount(view, hint)
                else:
                    view = self._make_view(section)
                    await box.mount(view)
                self._views[section] = view
            self._refresh_view()
            self._refresh_field_findings()

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
        self.call_after_refresh(self._update_view_result)
        return widget

    def _update_timeline(self, widget: Widget) -> None:
        if self.plan is None or not hasattr(widget, "update"):
            return
        schedule = (
            self.result.schedule
            if self.result is not None and self.result.plan is self.plan
            else None
        )
        try:
            widget.update(
                self.plan,
                schedule,
                lang=self.lang,  # type: ignore[call-arg]
                as_of=self.as_of,
            )
        except Exception as err:  # noqa: BLE001 - a view must never take the editor down
            self.notify(str(err), severity="error", markup=False)

    def _refresh_view(self, cursor: int | None = None) -> None:
        assert self.plan is not None
        view = self._current_view()
        kind = SECTION_KIND[self.section]
        if isinstance(view, PlanForm) and kind == "single":
            table = getattr(self.plan, self.section)
            if view.values_source is not table:
                view.values_source = table
                view.refresh_values(self.plan, forms.row_values(table) if table else {})
        elif isinstance(view, RowTable) and kind == "array":
            rows = getattr(self.plan, self.section)
            if cursor is not None or not _same_rows(view.rows_source, rows):
                view.rows_source = rows
                view.show(self.plan, cursor)
            self._boxes[self.section].query_one(".rows-empty").display = not rows
        elif self.section == "timeline" and view is not None:
            self._update_timeline(view)

    def _refresh_field_findings(self) -> None:
        view = self._current_view()
        if not isinstance(view, PlanForm):
            return
        view.show_findings(self._field_findings(self.section, None))

    def _field_findings(self, section: str, row: int | None) -> dict[str, list[str]]:
        by_key: dict[str, list[str]] = {}
        if self.result is None:
            return by_key
        icons = {"error": "✖", "warning": "▲", "info": "●"}
        for f in self.result.findings:
            if f.waived:
                continue
            sec, key = finding_section(f)
            if sec == section and key and (row is None or f.row == row):
                by_key.setdefault(key, []).append(
                    f"{icons[f.severity.value]} {f.message} ({f.rule})"
                )
        return by_key

    @on(OptionList.OptionHighlighted, "#sections")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and event.option_id != self.section:
            self.run_worker(self.show_section(event.option_id), group="section", exclusive=True)

    @on(OptionList.OptionSelected, "#sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_focus_panel("editor")

    @on(PlanForm.Changed, ".section-form")
    def _form_changed(self, event: PlanForm.Changed) -> None:
        assert self.plan is not None
        form = event.form
        try:
            new_plan = forms.with_field(self.plan, form.table, event.spec, event.value)
        except ValidationError as err:
            form.set_error(event.spec.key, forms.error_reason(err, self.lang))  # type: ignore[arg-type]
            return
        form.set_error(event.spec.key, None)
        self.apply_edit(
            new_plan,
            t(self.lang, "edit.field", section=form.table, field=event.spec.key),
            coalesce=("field", form.table, event.spec.key),
            refresh_view=False,
        )
        form.values_source = getattr(new_plan, form.table)  # the form shows it already

    # --- rows -----------------------------------------------------------------------

    def _rows(self) -> RowTable | None:
        view = self._current_view()
        return view if isinstance(view, RowTable) else None

    def _row_label(self, table: str, index: int) -> str:
        assert self.plan is not None
        row = getattr(self.plan, table)[index]
        return i18n.row_label(self.lang, table, getattr(row, "id", None) or index + 1)

    def action_add_row(self) -> None:
        if SECTION_KIND.get(self.section) != "array" or self.plan is None:
            return
        table = self.section
        values = forms.new_row_defaults(self.plan, table, self.as_of)
        title = t(self.lang, "row.add", what=i18n.row_noun(self.lang, table))

        def done(row: Any) -> None:
            if row is None or self.plan is None:
                return
            try:
                plan, index = forms.set_row(self.plan, table, None, row)
            except ValidationError as err:
                self.notify(forms.error_reason(err, self.lang), severity="error", markup=False)
                return
            self.apply_edit(
                plan, t(self.lang, "edit.add", what=i18n.row_noun(self.lang, table)), cursor=index
            )

        self.push_screen(RowFormScreen(table, self.plan, values, self.lang, title), done)

    def action_edit_row(self, focus_key: str | None = None, index: int | None = None) -> None:
        rows = self._rows()
        if rows is None or self.plan is None or not getattr(self.plan, self.section):
            return
        table = self.section
        index = rows.cursor_row if index is None else index
        current = getattr(self.plan, table)[index]
        title = t(self.lang, "row.edit", what=self._row_label(table, index))

        def done(row: Any) -> None:
            if row is None or self.plan is None:
                return
            try:
                plan, _ = forms.set_row(self.plan, table, index, row)
            except ValidationError as err:
                self.notify(forms.error_reason(err, self.lang), severity="error", markup=False)
                return
            if row != current:
                self.apply_edit(
                    plan, t(self.lang, "edit.row", what=self._row_label(table, index)), cursor=index
                )

        self.push_screen(
            RowFormScreen(
                table,
                self.plan,
                forms.row_values(current),
                self.lang,
                title,
                focus_key=focus_key,
                findings=self._field_findings(table, index),
            ),
            done,
        )

    def action_duplicate_row(self) -> None:
        rows = self._rows()
        if rows is None or self.plan is None or not getattr(self.plan, self.section):
            return
        plan, index = forms.duplicate_row(self.plan, self.section, rows.cursor_row)
        self.apply_edit(
            plan,
            t(self.lang, "edit.dup", what=self._row_label(self.section, rows.cursor_row)),
            cursor=index,
        )

    def action_delete_row(self) -> None:
        rows = self._rows()
        if rows is None or self.plan is None or not getattr(self.plan, self.section):
            return
        table, index = self.section, rows.cursor_row
        what = self._row_label(table, index)

        def answer(choice: str | None) -> None:
            if choice == "delete" and self.plan is not None:
                self.apply_edit(
                    forms.delete_row(self.plan, table, index),
                    t(self.lang, "edit.delete", what=what),
                    cursor=index,
                )

        self.push_screen(
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
        rows = self._rows()
        if rows is None or self.plan is None:
            return
        plan, index = forms.move_row(self.plan, self.section, rows.cursor_row, delta)
        if plan is not self.plan:
            self.apply_edit(
                plan,
                t(self.lang, "edit.move", what=self._row_label(self.section, rows.cursor_row)),
                cursor=index,
            )

    # --- findings -----------------------------------------------------------------------

    def _finding(self) -> Finding | None:
        finding = self.query_one(FindingsList).current()
        if finding is None:
            self.notify(t(self.lang, "no_finding"), timeout=2)
        return finding

    def action_goto_finding(self) -> None:
        finding = self._finding()
        if finding is not None:
            self.run_worker(self.goto(finding), group="section", exclusive=True)

    async def goto(self, finding: Finding) -> None:
        """Show the section, row and field a finding asks to fix."""
        section, key = finding_section(finding)
        if section is None or self.plan is None:
            self.notify(t(self.lang, "no_target"), timeout=3)
            return
        await self.show_section(section)
        if SECTION_KIND[section] == "single":
            form = self._current_view()
            if isinstance(form, PlanForm) and not (key and form.focus_field(key)):
                form.focus_field(form.specs[0].key)
            return
        rows = self._rows()
        if rows is None:
            return
        index = finding.row
        if index is None and ":" in finding.target:
            rid = finding.target.split(":", 1)[1]
            ids = forms.row_ids(self.plan, section)
            index = ids.index(rid) if rid in ids else None
        rows.focus()
        if index is not None and index < rows.row_count:
            rows.move_cursor(row=index, animate=False)
            if key and forms.spec_by_key(section, key) is not None:
                self.action_edit_row(focus_key=key, index=index)

    def action_explain_finding(self) -> None:
        finding = self._finding()
        if finding is None:
            return
        lang = self.lang
        why = self._rationale(finding.rule)
        where = finding.path + (f" [{finding.row + 1}]" if finding.row is not None else "")
        parts = [
            (t(lang, "explain.what"), f"{finding.title}\n{finding.message}"),
            (t(lang, "explain.why"), why),
            (t(lang, "explain.fix"), finding.fix),
            (t(lang, "explain.where"), f"{where} ({finding.target})"),
        ]
        self.push_screen(
            ExplainScreen(t(lang, "explain.title", rule=finding.rule, name=finding.name), parts)
        )

    def _rationale(self, code: str) -> str:
        """Why the rule matters, from the packs in force (empty when unavailable)."""
        try:
            from releve.rules.packs import load_pack_set

            packs = load_pack_set(plan_path=self.pack_path, plan=self.plan)
            rule = next((r for r in packs.rules if getattr(r, "code", None) == code), None)
        except (ImportError, LocatedError, OSError):
            return ""
        value = getattr(rule, "rationale", "") if rule is not None else ""
        if isinstance(value, dict):
            return str(value.get(self.lang) or value.get("en") or next(iter(value.values()), ""))
        return str(value or "")

    def action_waive_finding(self) -> None:
        finding = self._finding()
        if finding is None or self.plan is None:
            return
        if finding.waived:
            self.notify(t(self.lang, "already_waived", rule=finding.rule), timeout=3, markup=False)
            return
        owner = self.plan.coo.name if self.plan.coo and self.plan.coo.name else ""
        target = finding.target if ":" in finding.target else None

        def done(waiver: Any) -> None:
            if waiver is None or self.plan is None:
                return
            plan, _ = forms.set_row(self.plan, "waiver", None, waiver)
            self.apply_edit(plan, t(self.lang, "edit.waive", rule=finding.rule))
            self.notify(t(self.lang, "waived", rule=finding.rule), timeout=3, markup=False)

        self.push_screen(WaiveScreen(finding.rule, target, self.lang, owner), done)

    # --- what-if (the timeline) ---------------------------------------------------------

    def on_timeline_what_if_accepted(self, message: Any) -> None:
        if self.plan is None:
            return
        days = int(message.days_per_week)
        self.apply_edit(forms.with_workdays(self.plan, days), t(self.lang, "edit.workdays"))
        self.notify(t(self.lang, "whatif.kept", days=days), timeout=3)

    # --- saving -----------------------------------------------------------------------

    def action_save(self, then: Callable[[], None] | None = None) -> None:
        if isinstance(self.screen, BrokenFileScreen):
            self.screen.save_text()
            return
        if not isinstance(self.screen, MainScreen) or self.plan is None:
            return
        if self.path is None:
            self.action_save_as(then)
            return
        self._save(force=False, then=then)

    def action_save_as(self, then: Callable[[], None] | None = None) -> None:
        if not isinstance(self.screen, MainScreen) or self.plan is None:
            return
        suggestion = f"{self.plan.mission.id}.toml"

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            # The plan takes the new path only once it is saved there: a failed save
            # (folder gone, no permission) leaves the plan where it was, still unsaved,
            # so ctrl+s asks again.
            old = (self.path, self.base, self.journal, self._journal_written)
            self.path = path
            self.base = None  # a new file: nothing on disk to conflict with
            self.journal = Journal(path)
            self._journal_written = None
            outcome = self._save(force=False, then=then)
            if outcome == "failed":
                self.path, self.base, self.journal, self._journal_written = old
                self._refresh_header()
            elif old[2].path != self.journal.path:
                old[2].clear()

        self.push_screen(SaveAsScreen(self.lang, suggestion, self.cwd), chosen)

    def _save(self, *, force: bool, then: Callable[[], None] | None = None) -> str:
        """Save to ``self.path``: "saved", "conflict" (a dialog asks) or "failed"."""
        from releve.planner import store
        from releve.planner.errors import ConflictError

        assert self.path is not None and self.plan is not None
        plan = self.plan
        if self.base is None and not force and self.path.exists():
            self._conflict(then)  # a file appeared where there was none when we opened
            return "conflict"
        try:
            if self.base is None and self.base_text is not None:
                # New file from the template or the sample: keep their comments.
                written = store.save(plan, self.path, base=self._text_base(plan), force=force)
            else:
                written = store.save(plan, self.path, base=self.base, force=force)
        except ConflictError:
            self._conflict(then)
            return "conflict"
        except (LocatedError, OSError) as err:
            self.notify(
                t(self.lang, "save.failed", error=_one_line(err)), severity="error", markup=False
            )
            return "failed"
        self.base = written
        self.base_text = written.text
        self.pack_path = self.path
        self.saved_plan = plan
        self.journal.clear()
        self._journal_written = None
        self._refresh_header()
        self.notify(t(self.lang, "saved", path=str(self.path)), timeout=2, markup=False)
        if then is not None:
            then()
        return "saved"

    def _text_base(self, plan: Plan) -> Any:
        """A base for a file not read from disk: the text whose comments to keep.

        Its path is not the target's, so the store renders onto it without a conflict
        check; the app checks instead that no file appeared at the target meanwhile.
        """
        from releve.planner import store

        assert self.base_text is not None
        return store.PlanFile(Path("<template>"), plan, self.base_text, store.Fingerprint(0, 0, ""))

    def _conflict(self, then: Callable[[], None] | None) -> None:
        path = str(self.path)

        def answer(choice: str | None) -> None:
            if choice == "overwrite":
                self._save(force=True, then=then)
            elif choice == "reload":
                self._reload()

        self.push_screen(
            ChoiceScreen(
                t(self.lang, "conflict.title"),
                t(self.lang, "conflict.body", path=escape(path)),
                [
                    ("reload", t(self.lang, "conflict.reload"), "primary"),
                    ("overwrite", t(self.lang, "conflict.overwrite"), "error"),
                    ("cancel", t(self.lang, "cancel"), "default"),
                ],
            ),
            answer,
        )

    def _reload(self) -> None:
        from releve.planner import store

        assert self.path is not None
        try:
            loaded = store.load(self.path)
        except (LocatedError, OSError) as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self.base = loaded
        self.base_text = loaded.text
        self.apply_edit(loaded.plan, t(self.lang, "edit.reload"))
        self.saved_plan = loaded.plan
        self._refresh_header()
        self.notify(t(self.lang, "reloaded", path=str(self.path)), timeout=2, markup=False)

    # --- recovery journal --------------------------------------------------------------

    def _flush_journal(self) -> None:
        if self.plan is None or self.broken is not None:
            return
        if not self.dirty:
            if self._journal_written is not None:
                self.journal.clear()
                self._journal_written = None
            return
        if self._journal_written is self.plan:
            return
        try:
            self.journal.write(self.plan_text())
            self._journal_written = self.plan
        except OSError:
            pass  # the state folder is not writable: nothing better to do than go on

    # --- quitting ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        if isinstance(self.screen, ModalScreenTypes):
            return
        if self._broken_text_edited():
            self.push_screen(
                ChoiceScreen(
                    t(self.lang, "quit.title"),
                    t(self.lang, "quit.body"),
                    [
                        ("discard", t(self.lang, "quit.discard"), "error"),
                        ("cancel", t(self.lang, "cancel"), "default"),
                    ],
                ),
                lambda choice: self.exit() if choice == "discard" else None,
            )
            return
        if not self.dirty:
            self.journal.clear()
            self.exit()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.action_save(then=self.exit)
            elif choice == "discard":
                self.journal.clear()
                self.exit()

        self.push_screen(
            ChoiceScreen(
                t(self.lang, "quit.title"),
                t(self.lang, "quit.body"),
                [
                    ("save", t(self.lang, "quit.save"), "primary"),
                    ("discard", t(self.lang, "quit.discard"), "error"),
                    ("cancel", t(self.lang, "cancel"), "default"),
                ],
            ),
            answer,
        )

    def _broken_text_edited(self) -> bool:
        """In the broken-file view, whether the user changed the text (quitting loses it)."""
        from textual.widgets import TextArea

        from releve.tui.app.screens.broken import BrokenFileScreen

        if not isinstance(self.screen, BrokenFileScreen):
            return False
        return self.screen.query_one(TextArea).text != self.screen.text

    # --- panels, help, palette ----------------------------------------------------------

    def _panels(self) -> list[Widget]:
        return [self.query_one(SectionList), self._editor(), self.query_one(FindingsList)]

    def _panel_of(self, widget: Widget | None) -> int | None:
        panels = self._panels()
        node = widget
        while node is not None:
            if node in panels:
                return panels.index(node)
            node = node.parent  # type: ignore[assignment]
        return None

    def action_focus_panel(self, name: str) -> None:
        if not isinstance(self.screen, MainScreen):
            return
        if name == "sections":
            self.query_one(SectionList).focus()
        elif name == "findings":
            self.query_one(FindingsList).focus()
        else:
            view = self._current_view()
            if isinstance(view, PlanForm):
                view.focus_field(view.specs[0].key)
            elif view is not None and view.can_focus:
                view.focus()
            elif view is not None:
                focusable = [w for w in view.query("*") if w.can_focus]
                if focusable:
                    focusable[0].focus()

    def action_next_panel(self, step: int = 1) -> None:
        if not isinstance(self.screen, MainScreen):
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        focused = self.focused
        panel = self._panel_of(focused)
        view = self._current_view()
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
        order = ["sections", "editor", "findings"]
        current = 0 if panel is None else panel
        self.action_focus_panel(order[(current + step) % 3])

    def action_prev_panel(self) -> None:
        self.action_next_panel(-1)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        # The app's own keys (bindings with an id) first; the focused widget's editing keys
        # (Textual's, e.g. an Input's) after a blank row, so they do not bury ours.
        ours: list[tuple[str, str]] = []
        theirs: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            description = binding.description or binding.action
            if not binding.description and binding.id is None:
                continue
            display = binding.key_display or self.get_key_display(binding)
            if (display, description) in seen:
                continue
            seen.add((display, description))
            (ours if binding.id is not None else theirs).append((display, description))
        ours.sort(key=lambda r: r[1].lower())
        theirs.sort(key=lambda r: r[1].lower())
        rows = ours + ([("", "")] if ours and theirs else []) + theirs
        view = (
            section_label(self.lang, self.section)
            if isinstance(self.screen, MainScreen)
            else (self.screen.id or "")
        )
        self.push_screen(
            HelpScreen(t(self.lang, "help.title", view=view), rows, t(self.lang, "help.close"))
        )

    def _key_for(self, binding_id: str) -> str:
        keymap = getattr(self, "_keymap", {}) or {}
        if binding_id in keymap:
            return keymap[binding_id].split(",")[0]
        return next((k.key_display or k.key for k in keys.ALL_KEYS if k.id == binding_id), "")

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], Any]]]:
        """(name, help, callback) of every action, for the command palette."""
        lang = self.lang
        from releve.tui.i18n import binding_label

        def act(action: str) -> Callable[[], Any]:
            return partial(self.call_later, self.run_action, action)

        for key in keys.APP_KEYS:
            if key.id in ("palette",):
                continue
            yield binding_label(lang, key.id), key.key, act(key.action)
        for key in keys.TABLE_KEYS + keys.FINDING_KEYS:
            yield binding_label(lang, key.id), key.key, act(key.action.removeprefix("app."))
        for binding_id, action in (
            ("timeline.more_days", "more_days"),
            ("timeline.fewer_days", "fewer_days"),
            ("timeline.accept", "accept"),
            ("timeline.reset", "reset"),
        ):
            yield (
                binding_label(lang, binding_id),
                binding_id,
                partial(self._show_section_sync, "timeline", then=action),
            )
        for section, _kind in SECTIONS:
            label = section_label(lang, section)
            yield f"→ {label}", section, partial(self._show_section_sync, section)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)


def _same_rows(shown: list[Any] | None, rows: list[Any]) -> bool:
    """Whether a table already shows these very rows (edits make new row objects)."""
    return (
        shown is not None
        and len(shown) == len(rows)
        and all(a is b for a, b in zip(shown, rows, strict=True))
    )


ModalScreenTypes = (ChoiceScreen, RowFormScreen, ExplainScreen, WaiveScreen, SaveAsScreen)
