"""The first interview in the app (issue 15): the questions of `releve new --interview`, one
at a time, for a plan that does not exist yet. The screen drives the headless
:class:`releve.tui.interview.Interview`; it returns the plan's text (the template with the
answers written onto it, comments kept) or None when the user stops (nothing changes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from releve.tui.i18n import t
from releve.tui.interview import Interview


class InterviewScreen(Screen[str | None]):
    """One question at a time: Enter answers (an empty answer keeps the value in
    brackets), ctrl+b goes back one question, Escape stops and keeps the template."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "stop", priority=True),
        Binding("ctrl+b", "back", "back", priority=True),
    ]

    def __init__(self, today: dt.date, lang: str, *, plan_lang: str | None = None) -> None:
        super().__init__(classes="interview-screen")
        self.lang = lang
        self.interview = Interview(today, lang=plan_lang)
        self.reason: str | None = None  # why the last answer was refused

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog interview-dialog"):
            yield Label(t(self.lang, "app_interview.title"), classes="dialog-title")
            yield Static(t(self.lang, "app_interview.intro"), classes="dialog-body")
            yield Label("", id="iv-progress")
            yield Label("", id="iv-question", markup=False)
            yield Input(id="iv-answer", compact=True)
            yield Static("", id="iv-error", classes="dialog-error", markup=False)
            yield Static("", id="iv-help", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # Binding descriptions are class-level in Textual: this instance's, in its language.
        for key, key_bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                dataclasses.replace(b, description=t(self.lang, f"app_interview.{b.action}"))
                for b in key_bindings
            ]
        self._show()
        self.query_one("#iv-answer", Input).focus()

    @property
    def question_lang(self) -> str:
        return self.interview.lang

    def _show(self) -> None:
        q = self.interview.question()
        if q is None:
            return
        shown = f" [{q.default}]" if q.default else ""
        self.query_one("#iv-progress", Label).update(
            t(self.lang, "app_interview.progress", n=q.number)
        )
        self.query_one("#iv-question", Label).update(f"{q.prompt}{shown}")
        self.query_one("#iv-help", Static).update(q.help)
        self.query_one("#iv-error", Static).update(f"✖ {self.reason}" if self.reason else "")
        answer = self.query_one("#iv-answer", Input)
        answer.value = ""
        answer.placeholder = q.default

    @on(Input.Submitted, "#iv-answer")
    def _answered(self, event: Input.Submitted) -> None:
        self.reason = self.interview.answer(event.value)
        if self.interview.done:
            self.dismiss(self.interview.text())
            return
        self._show()

    def action_back(self) -> None:
        self.reason = None
        if self.interview.back():
            self._show()

    def action_stop(self) -> None:
        self.dismiss(None)
