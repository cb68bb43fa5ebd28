"""The releve terminal app: the COO and the owner fill in the mission plan together.

A shell in Textual's way: the plan, its text, undo/redo, saving and recovery live in a
``PlanSession`` (session.py, no Textual); the main screen (screens/main.py) shows it and
owns the sections, rows, findings and focus; the background check is one widget
(widgets/checker.py); each dialog is a screen of its own file. The app keeps the bindings,
the command palette, the keymap, F1 and quitting, and sends ``save``/``undo``/``redo`` to
the screen in front (the main screen, or the broken-file view's text).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widget import Widget

from releve.planner.model import Plan
from releve.rules.result import CheckResult
from releve.tui.app import keys
from releve.tui.app.screens.broken import BrokenFileScreen, FixedText
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.explain import ExplainScreen
from releve.tui.app.screens.help import HelpScreen
from releve.tui.app.screens.main import MainScreen
from releve.tui.app.screens.phase_log import CloseScreen, DeliverScreen
from releve.tui.app.screens.row_form import RowFormScreen
from releve.tui.app.screens.save_as import SaveAsScreen
from releve.tui.app.screens.waive import WaiveScreen
from releve.tui.app.session import PlanSession, sample_text, template_text
from releve.tui.app.widgets.checker import CheckFn
from releve.tui.i18n import SECTIONS, binding_label, norm_lang, section_label, t

__all__ = ["MainScreen", "ReleveApp", "sample_text", "template_text"]

#: Unsaved edits reach the recovery file within this many seconds.
JOURNAL_EVERY = 1.0

#: Dialogs that must be answered before the app quits (F1 help is not one).
DIALOGS = (
    ChoiceScreen,
    RowFormScreen,
    ExplainScreen,
    WaiveScreen,
    SaveAsScreen,
    CloseScreen,
    DeliverScreen,
)

TIMELINE_ACTIONS = (
    ("timeline.more_days", "more_days"),
    ("timeline.fewer_days", "fewer_days"),
    ("timeline.accept", "accept"),
    ("timeline.reset", "reset"),
)


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
        self.session = PlanSession(Path(path) if path is not None else None)
        self._main: MainScreen | None = None
        plan = self.session.plan
        self.lang = norm_lang(lang or (plan.mission.language.value if plan else None))
        keys.localize(self, self.lang)

    # --- the session and the main screen, as tests and benchmarks see them --------------

    @property
    def main(self) -> MainScreen:
        """The main screen (made once, when the app starts)."""
        if self._main is None:
            self._main = MainScreen(
                self.session,
                lang=self.lang,
                as_of=self.as_of,
                findings_lang=self.lang if self._lang_arg else None,
                check=self._check_fn,
                key_for=self._key_for,
                cwd=self.cwd,
            )
        return self._main

    @property
    def plan(self) -> Plan | None:
        return self.session.plan

    @property
    def path(self) -> Path | None:
        return self.session.path

    @property
    def journal(self) -> Any:
        return self.session.journal

    @property
    def dirty(self) -> bool:
        return self.session.dirty

    def plan_text(self, plan: Plan | None = None) -> str:
        return self.session.text(plan)

    @property
    def result(self) -> CheckResult | None:
        return self.main.result

    @property
    def check_error(self) -> str | None:
        return self.main.check_error

    @property
    def section(self) -> str:
        return self.main.section

    @property
    def settled(self) -> bool:
        """No check pending or running: the panels show the current plan's findings."""
        return self.main.settled

    @property
    def edit_gen(self) -> int:
        return self.main.checker.requested

    def current_view(self) -> Widget | None:
        """The editor of the section shown: a PlanForm, a RowTable, or a view widget."""
        return self.main.current_view()

    async def show_section(self, section: str) -> None:
        await self.main.show_section(section)

    def _update_view_result(self) -> None:
        self.main.editor.show_result()

    # --- opening ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return self.main

    def main_ready(self) -> None:
        """The main screen is composed: open the plan (or the broken-file view)."""
        self._apply_user_keymap()
        broken = self.session.broken
        if broken is not None:
            path = str(self.session.path)
            self.push_screen(
                BrokenFileScreen(path, broken.text, broken.error, self.lang, file=broken.file),
                self._fixed_broken,
            )
        else:
            self._opened()
            if self.interview_offered():
                key = self._key_for("interview")
                self.notify(t(self.lang, "app_interview.offer", key=key), markup=False, timeout=10)
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

    def _fixed_broken(self, fixed: FixedText | None) -> None:
        if fixed is None:
            self.exit()
            return
        self.session.fix_broken(*fixed)
        self._opened()

    def _opened(self) -> None:
        self.main.open()

    def _flush_journal(self) -> None:
        """Journal unsaved edits; say once when recovery goes off (and when it is back)."""
        change = self.session.flush_journal()
        if change is not None:
            self.notify(
                self._journal_notice() or t(self.lang, "journal.on"),
                severity="warning" if change == "off" else "information",
                timeout=8 if change == "off" else 3,
                markup=False,
            )

    def _journal_notice(self) -> str | None:
        """ "recovery is off: FOLDER is not writable", while it is."""
        folder = self.session.journal_error
        return None if folder is None else t(self.lang, "journal.off", folder=str(folder))

    # --- actions sent to the screen in front -------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Plan actions only where there is a plan to act on (hidden elsewhere)."""
        if action == "save" and isinstance(self.screen, BrokenFileScreen):
            return True  # writes the text as it is
        if action in ("save", "save_as") and not isinstance(self.screen, MainScreen):
            return None
        if action == "interview":
            return self.interview_offered()  # hidden (not greyed) where not offered
        return True

    # --- the first interview, for a plan that does not exist yet (issue 15) ---------------

    def interview_offered(self) -> bool:
        """A new plan (its file does not exist) still untouched, on the main screen."""
        s = self.session
        return (
            isinstance(self.screen, MainScreen)
            and s.path is not None
            and not s.path.exists()
            and s.saved_plan is None
            and not s.undo_stack
            and s.plan is not None
        )

    def action_interview(self) -> None:
        if not self.interview_offered():
            return
        from releve.tui.app.screens.interview import InterviewScreen

        self.push_screen(InterviewScreen(self.as_of, self.lang), self._interviewed)

    def _interviewed(self, text: str | None) -> None:
        """The interview's plan replaces the untouched template: one edit (ctrl+z gives the
        template back), unsaved like it; the template's comments stay."""
        if text is None or not self.interview_offered():
            return
        from releve.planner import store

        plan = store.loads(text, str(self.session.path))
        self.main.apply_edit(plan, t(self.lang, "binding.interview"))
        self.notify(t(self.lang, "app_interview.done"), markup=False)

    def action_save(self, then: Callable[[], None] | None = None) -> None:
        screen = self.screen
        if isinstance(screen, BrokenFileScreen):
            screen.save_text()
        elif isinstance(screen, MainScreen):
            screen.save(then)

    def action_save_as(self) -> None:
        if isinstance(self.screen, MainScreen):
            self.screen.save_as()

    def action_undo(self) -> None:
        if isinstance(self.screen, MainScreen | BrokenFileScreen):
            self.screen.undo()

    def action_redo(self) -> None:
        if isinstance(self.screen, MainScreen | BrokenFileScreen):
            self.screen.redo()

    def action_focus_panel(self, name: str) -> None:
        if isinstance(self.screen, MainScreen):
            self.screen.focus_panel(name)

    def action_next_panel(self, step: int = 1) -> None:
        if isinstance(self.screen, MainScreen):
            self.screen.next_panel(step)
        elif step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def action_prev_panel(self) -> None:
        self.action_next_panel(-1)

    # --- quitting ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        screen = self.screen
        if isinstance(screen, DIALOGS):
            return
        if isinstance(screen, BrokenFileScreen):
            if not screen.edited:
                self.exit()
                return
            self._ask_quit([("discard", t(self.lang, "quit.discard"), "error")], self.exit)
            return
        if not self.session.dirty:
            self.session.discard_recovery()
            self.exit()
            return

        def discard() -> None:
            self.session.discard_recovery()
            self.exit()

        def save() -> None:
            self.main.save(then=self.exit)

        self._ask_quit(
            [
                ("save", t(self.lang, "quit.save"), "primary"),
                ("discard", t(self.lang, "quit.discard"), "error"),
            ],
            discard,
            save,
        )

    def _ask_quit(
        self,
        choices: list[tuple[str, str, str]],
        discard: Callable[[], None],
        save: Callable[[], None] | None = None,
    ) -> None:
        def answer(choice: str | None) -> None:
            if choice == "discard":
                discard()
            elif choice == "save" and save is not None:
                save()

        self.push_screen(
            ChoiceScreen(
                t(self.lang, "quit.title"),
                t(self.lang, "quit.body"),
                [*choices, ("cancel", t(self.lang, "cancel"), "default")],
            ),
            answer,
        )

    # --- help and the command palette ---------------------------------------------------

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
            section_label(self.lang, self.screen.section)
            if isinstance(self.screen, MainScreen)
            else (self.screen.id or "")
        )
        notice = self._journal_notice()
        self.push_screen(
            HelpScreen(
                t(self.lang, "help.title", view=view),
                rows,
                t(self.lang, "help.close"),
                notices=(notice,) if notice else (),
            )
        )

    def _key_for(self, binding_id: str) -> str:
        keymap = getattr(self, "_keymap", {}) or {}
        if binding_id in keymap:
            return str(keymap[binding_id]).split(",")[0]
        return next((k.key_display or k.key for k in keys.ALL_KEYS if k.id == binding_id), "")

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], Any]]]:
        """(name, help, callback) of every action, for the command palette."""
        lang = self.lang
        main = self.main

        for key in keys.APP_KEYS:
            if key.id in ("palette",):
                continue
            yield (
                binding_label(lang, key.id),
                key.key,
                partial(self.call_later, self.run_action, key.action),
            )
        for key in keys.TABLE_KEYS + keys.FINDING_KEYS:
            yield binding_label(lang, key.id), key.key, partial(main.run_view_action, key.action)
        for binding_id, action in TIMELINE_ACTIONS:
            yield (
                binding_label(lang, binding_id),
                binding_id,
                partial(main.show_section_soon, "timeline", then=action),
            )
        yield (
            binding_label(lang, "readiness.diff"),
            "readiness.diff",
            partial(main.show_section_soon, "readiness", then="diff"),
        )
        for section, _kind in SECTIONS:
            label = section_label(lang, section)
            yield f"→ {label}", section, partial(main.show_section_soon, section)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
