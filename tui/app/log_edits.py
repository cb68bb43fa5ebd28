"""The mission log's edits from the app (tracking.md): log a day, close a phase, mark a
deliverable delivered. Headless (no Textual); each returns a NEW plan, validated, so the
screen applies it as one undoable edit like any other.
"""

from __future__ import annotations

import datetime as dt

from releve.planner import model as m
from releve.tui.app import forms


def with_booking(
    plan: m.Plan, phase_id: str, on: dt.date, days: float = 1, note: str | None = None
) -> m.Plan:
    """``plan`` with one booking appended (the last ``[[booking]]`` of the file)."""
    booking = m.Booking(on=on, phase=phase_id, days=days, note=note)
    return forms.with_rows(plan, "booking", [*plan.booking, booking])


def phase_index(plan: m.Plan, phase_id: str) -> int:
    return next(i for i, p in enumerate(plan.phase) if p.id == phase_id)


def with_done(plan: m.Plan, phase_id: str, on: dt.date | None) -> m.Plan:
    """``plan`` with the phase done on ``on`` (None: open again)."""
    index = phase_index(plan, phase_id)
    phase = plan.phase[index]
    data = phase.model_dump(by_alias=True, exclude_unset=True)
    if on is None:
        data.pop("done_on", None)
    else:
        data["done_on"] = on
    plan, _ = forms.set_row(plan, "phase", index, m.Phase.model_validate(data))
    return plan


def deliverables(phase: m.Phase) -> list[tuple[str, dt.date | None]]:
    """(name, delivered on) of each deliverable of ``phase``, in the plan's order."""
    return [
        (d, None) if isinstance(d, str) else (d.name, d.delivered_on) for d in phase.deliverables
    ]


def with_delivered(plan: m.Plan, phase_id: str, item: int, on: dt.date) -> m.Plan:
    """``plan`` with the phase's deliverable number ``item`` delivered on ``on`` (a plain
    string becomes a table: ``{ name = …, delivered_on = … }``; who accepted it is kept)."""
    index = phase_index(plan, phase_id)
    phase = plan.phase[index]
    items = list(phase.deliverables)
    old = items[item]
    if isinstance(old, str):
        items[item] = m.Deliverable(name=old, delivered_on=on)
    else:
        items[item] = old.model_copy(update={"delivered_on": on})
    data = phase.model_dump(by_alias=True, exclude_unset=True)
    data["deliverables"] = items
    plan, _ = forms.set_row(plan, "phase", index, m.Phase.model_validate(data))
    return plan
