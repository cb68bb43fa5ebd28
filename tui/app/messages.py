"""Messages the app's widgets post to the main screen, which applies them to the session."""

from __future__ import annotations

from textual.message import Message

from releve.planner.model import Plan


class PlanEdited(Message):
    """A widget made a new plan: make it the current one, as one undoable edit.

    ``label`` names the edit (undo, redo); ``cursor`` is the row to show in the table of
    the section (a row added, moved or deleted); ``notice`` is said once it is applied.
    """

    def __init__(
        self, plan: Plan, label: str, *, cursor: int | None = None, notice: str | None = None
    ) -> None:
        super().__init__()
        self.plan = plan
        self.label = label
        self.cursor = cursor
        self.notice = notice
