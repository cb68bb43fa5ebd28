"""The diff of the plan in memory against its last commit (the Readiness view's key).

Read-only: the last commit's version is checked (with the packs of that commit) off the UI
thread, compared with the check of the plan as it stands in the app (unsaved edits
included) by ``tui.history.compare``, and shown as ``releve diff`` prints it
(``tui.history.render_diff.render_text``). A plan not in git, never committed, or a
repository git cannot read is one line, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from releve.rules.result import CheckResult
from releve.tui.i18n import t


class DiffScreen(ModalScreen[None]):
    """What changed since the last commit: findings, scores by pillar, dates, rows."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,d", "close", show=False)]

    DEFAULT_CSS = """
    DiffScreen { align: center middle; }
    DiffScreen > .diff-dialog {
        width: 90%;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    DiffScreen .diff-body { height: 1fr; }
    DiffScreen .diff-hint { color: $text-muted; }
    """

    def __init__(self, path: Path, result: CheckResult, *, lang: str) -> None:
        super().__init__(id="diff")
        self.path = path
        self.result = result
        self.lang = lang
        self.state = "loading"  # loading | ready | error
        self.text = t(lang, "readiness.diff_loading")

    def compose(self) -> ComposeResult:
        with Vertical(classes="diff-dialog"):
            yield Label(t(self.lang, "readiness.diff_title"), classes="dialog-title", markup=False)
            with VerticalScroll(classes="diff-body"):
                yield Static(self.text, id="diff-text", markup=False)
            yield Static(t(self.lang, "help.close"), classes="diff-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self._compare()

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False)
    def _compare(self) -> None:
        from releve.planner.errors import LocatedError
        from releve.tui.history.compare import compare
        from releve.tui.history.render_diff import render_text
        from releve.tui.history.versions import load_version

        result = self.result
        try:
            old = load_version(self.path, "HEAD", as_of=result.as_of, lang=result.lang)
            label = old.sha[:7] if old.sha else "HEAD"
            cmp = compare(
                old.result,
                result,
                old_label=label,
                new_label=t(self.lang, "readiness.diff_current"),
            )
            state, text = "ready", render_text(cmp)
        except LocatedError as err:
            state, text = "error", _one_line(self.lang, err.message)
        except Exception as err:  # noqa: BLE001 - a bug must not take the app down
            state, text = "error", t(self.lang, "readiness.hist_error", reason=f"{err}")
        self.app.call_from_thread(self._show, state, text)

    def _show(self, state: str, text: str) -> None:
        self.state, self.text = state, text
        if self.is_mounted:  # closed before git answered: nothing to show
            self.query_one("#diff-text", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)


def _one_line(lang: str, message: str) -> str:
    """Why there is nothing to compare, in the user's language when it is a usual case."""
    if "not in a git repository" in message:
        return t(lang, "readiness.hist_no_git")
    if "never committed" in message:
        return t(lang, "readiness.hist_never")
    return t(lang, "readiness.hist_error", reason=message.splitlines()[0] if message else "")
