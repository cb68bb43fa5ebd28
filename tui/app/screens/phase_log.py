"""The mission log's actions on one phase (Phases table and Timeline): log a day, close
the phase (a small date dialog), mark a deliverable delivered (a choice of its
deliverables). Each posts ``PlanEdited`` from the widget that asked, so the main screen
applies it as one undoable, journalled edit like any other.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from releve.planner.calendar import WorkCalendar
from releve.planner.model import Plan
from releve.tui.app import forms, log_edits
from releve.tui.app.messages import PlanEdited
from releve.tui.i18n import t

#: ``CloseScreen`` answers: a date, ``REOPEN`` (remove ``done_on``), or None (cancel).
REOPEN = "reopen"


class CloseScreen(ModalScreen[dt.date | str | None]):
    """Done on which day? The check date is typed in already: enter closes on it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, day: dt.date, lang: str, *, done: bool) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.day = day
        self.lang = lang
        self.done = done  # the phase is closed already: offer to reopen it

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(t(self.lang, "app_log.close_body"), classes="dialog-body", markup=False)
            yield Input(self.day.isoformat(), id="close-date")
            yield Static("", id="close-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(self.lang, "ok"), id="ok", variant="primary")
                if self.done:
                    yield Button(t(self.lang, "app_log.reopen"), id="reopen", variant="warning")
                yield Button(t(self.lang, "cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        try:
            day = forms.parse_date(self.query_one(Input).value, self.lang)
        except ValueError as err:
            self.query_one("#close-error", Static).update(f"✖ {err}")
            return
        self.dismiss(day)

    @on(Button.Pressed, "#reopen")
    def _reopen(self) -> None:
        self.dismiss(REOPEN)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class DeliverScreen(ModalScreen[int | None]):
    """Which deliverable was delivered? Those delivered already are shown, not offered."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, items: list[tuple[str, dt.date | None]], lang: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.items = items
        self.lang = lang

    def compose(self) -> ComposeResult:
        options = []
        for i, (name, delivered) in enumerate(self.items):
            if delivered is None:
                options.append(Option(Text(name), id=str(i)))
            else:
                done = t(self.lang, "app_log.delivered_on", on=delivered.isoformat())
                options.append(Option(Text(f"✓ {name} ({done})"), id=str(i), disabled=True))
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*options, id="deliverables")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(self.lang, "cancel"), id="cancel")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        first = next((i for i, (_, d) in enumerate(self.items) if d is None), None)
        if first is not None:
            options.highlighted = first

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option_id or 0))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _name(plan: Plan, phase_id: str) -> str:
    phase = plan.phase_by_id(phase_id)
    return (phase.name if phase is not None else None) or phase_id


def log_day(
    widget: Widget, plan: Plan, phase_id: str, on: dt.date, lang: str, cursor: int | None = None
) -> None:
    """One day on ``phase_id`` on the check date ``on``; the notice says the phase's days
    booked against its effort, and when ``on`` is not one of the COO's working days."""
    new = log_edits.with_booking(plan, phase_id, on)
    phase = new.phase_by_id(phase_id)
    assert phase is not None
    booked = sum(b.days for b in new.booking if b.phase == phase_id and b.on <= on)
    name = _name(plan, phase_id)
    notice = t(lang, "app_log.logged", phase=name, booked=f"{booked:g}", effort=phase.effort_days)
    if not WorkCalendar.for_plan(new).is_working(on):
        notice += " · " + t(lang, "app_log.not_working", on=on.isoformat())
    label = t(lang, "app_log.edit_log", phase=name, on=on.isoformat())
    widget.post_message(PlanEdited(new, label, cursor=cursor, notice=notice))


def close_phase(
    widget: Widget, plan: Plan, phase_id: str, on: dt.date, lang: str, cursor: int | None = None
) -> None:
    """Ask the day the phase was done (the check date typed in), then close it."""
    phase = plan.phase_by_id(phase_id)
    if phase is None:
        return
    name = _name(plan, phase_id)

    def done(answer: dt.date | str | None) -> None:
        if answer is None:
            return
        if answer == REOPEN:
            new = log_edits.with_done(plan, phase_id, None)
            label = t(lang, "app_log.edit_reopen", phase=name)
        else:
            assert isinstance(answer, dt.date)
            new = log_edits.with_done(plan, phase_id, answer)
            label = t(lang, "app_log.edit_close", phase=name, on=answer.isoformat())
        if new != plan:
            widget.post_message(PlanEdited(new, label, cursor=cursor))

    title = t(lang, "app_log.close_title", phase=name)
    widget.app.push_screen(
        CloseScreen(title, phase.done_on or on, lang, done=phase.done_on is not None), done
    )


def deliver(
    widget: Widget, plan: Plan, phase_id: str, on: dt.date, lang: str, cursor: int | None = None
) -> None:
    """Choose one of the phase's deliverables; it is delivered on the check date ``on``."""
    phase = plan.phase_by_id(phase_id)
    if phase is None:
        return
    name = _name(plan, phase_id)
    items = log_edits.deliverables(phase)
    if not items:
        widget.notify(t(lang, "app_log.no_deliverables", phase=name), timeout=3, markup=False)
        return

    def chosen(item: int | None) -> None:
        if item is None:
            return
        new = log_edits.with_delivered(plan, phase_id, item, on)
        label = t(lang, "app_log.edit_deliver", item=items[item][0], on=on.isoformat())
        widget.post_message(PlanEdited(new, label, cursor=cursor))

    title = t(lang, "app_log.deliver_title", phase=name, on=on.isoformat())
    widget.app.push_screen(DeliverScreen(title, items, lang), chosen)
