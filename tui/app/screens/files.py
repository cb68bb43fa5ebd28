"""Saving and recovery as the user meets them: the questions and the notices.

The session does the work (save, save-as, reload, the recovery file); ``FileFlow`` asks
where to save, what to do about a file changed on disk (reload, overwrite, cancel) and
whether to recover journalled edits, and says what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.save_as import SaveAsScreen
from releve.tui.app.session import PlanSession
from releve.tui.i18n import t

if TYPE_CHECKING:
    from releve.tui.app.screens.main import MainScreen


class FileFlow:
    """The save and recovery dialogs of one main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def session(self) -> PlanSession:
        return self.screen.session

    @property
    def lang(self) -> str:
        return self.screen.lang

    def notify(self, message: str, **kwargs: Any) -> None:
        self.screen.notify(message, **kwargs)

    def save(self, then: Callable[[], None] | None = None) -> None:
        if self.session.plan is None:
            return
        if self.session.path is None:
            self.save_as(then)
            return
        self._save(force=False, then=then)

    def save_as(self, then: Callable[[], None] | None = None) -> None:
        plan = self.session.plan
        if plan is None:
            return

        def chosen(path: Any) -> None:
            if path is None:
                return
            outcome = self.session.save_as(path)
            self._saved(outcome.status, outcome.error, then)

        self.screen.app.push_screen(
            SaveAsScreen(self.lang, f"{plan.mission.id}.toml", self.screen.cwd), chosen
        )

    def _save(self, *, force: bool, then: Callable[[], None] | None = None) -> None:
        outcome = self.session.save(force=force)
        self._saved(outcome.status, outcome.error, then)

    def _saved(self, status: str, error: str, then: Callable[[], None] | None) -> None:
        if status == "conflict":
            self._conflict(then)
            return
        if status == "failed":
            self.notify(t(self.lang, "save.failed", error=error), severity="error", markup=False)
            self.screen.refresh_header()
            return
        self.screen.refresh_header()
        self.screen.findings.pack_path = self.session.pack_path
        self.notify(t(self.lang, "saved", path=str(self.session.path)), timeout=2, markup=False)
        if then is not None:
            then()

    def _conflict(self, then: Callable[[], None] | None) -> None:
        path = str(self.session.path)

        def answer(choice: str | None) -> None:
            if choice == "overwrite":
                self._save(force=True, then=then)
            elif choice == "reload":
                self.reload()

        self.screen.app.push_screen(
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

    def reload(self) -> None:
        error = self.session.reload(t(self.lang, "edit.reload"))
        if error is not None:
            self.notify(error, severity="error", markup=False)
            return
        self.screen.changed()
        path = str(self.session.path)
        self.notify(t(self.lang, "reloaded", path=path), timeout=2, markup=False)

    def offer_recovery(self) -> None:
        session = self.session
        recovered = session.recoverable()
        if recovered is None:
            return
        name = str(session.path) if session.path else t(self.lang, "untitled")
        body = t(self.lang, "recover.body", path=escape(name))
        if session.changed_since_journal():
            body += "\n" + escape(t(self.lang, "recover.changed_since"))

        def answer(choice: str | None) -> None:
            # Escape is "not now", never "throw away": the edits are recovered (one
            # undoable step), so the next journal write cannot overwrite them unseen.
            if choice == "recover" or choice is None:
                self.screen.apply_edit(recovered, "recover")
                self.notify(t(self.lang, "recovered"))
            elif choice == "discard":
                session.discard_recovery()

        self.screen.app.push_screen(
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
