"""What plan objects do beyond holding values, and the format's checks beyond types, in
plain Python (no pydantic).

Two readers build plans: the pydantic models (planner/model.py, the format's one source of
truth: ``releve schema``, the app, every error message) and the lean reader of
``releve check`` (planner/lean.py, generated from those models). Both inherit the methods
below and run the checks below, so the two can never drift apart on what a period
contains or on when a booking's days are too many.

The checks raise ValueError with the message pydantic shows (model.py's validators call
them); the lean reader only needs to know that they refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from releve.planner.enums import FORMAT

# --- checks shared by both readers -----------------------------------------------------------


def newer_format(data: Any) -> None:
    """Before anything else: a file from a newer releve fails on this, not on a key this
    releve does not know yet."""
    if isinstance(data, dict):
        fmt = data.get("format", FORMAT)
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
            raise ValueError(
                f"format {fmt} was written by a newer releve; this releve reads format {FORMAT}"
            )


def known_format(fmt: int) -> int:
    if fmt != FORMAT:
        raise ValueError(f"unknown format {fmt}; this releve reads format {FORMAT}")
    return fmt


def period_in_order(from_: dt.date, to: dt.date) -> None:
    if to < from_:
        raise ValueError(f"period ends ({to}) before it starts ({from_})")


def no_repeated_day(days: list[Any]) -> list[Any]:
    if len(set(days)) != len(days):
        raise ValueError("a weekday is listed twice")
    return days


def booking_days(days: float) -> float:
    """A booking is one day or part of one; ``1`` is kept an integer (written back as
    ``1``, not ``1.0``), a half day stays 0.5."""
    if not 0 < days <= 1:
        raise ValueError(
            f"a booking is one day or part of one (0 < days ≤ 1, e.g. 0.5), not {days:g}; "
            "log several days as several bookings"
        )
    return int(days) if float(days).is_integer() else days


def first_duplicate(rows: Sequence[Any]) -> tuple[int, int] | None:
    """(row index, index of the row that first used the id) of the first row whose ``id``
    an earlier row already has; None when every id is unique."""
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        rid = row.id
        if rid in seen:
            return index, seen[rid]
        seen[rid] = index
    return None


# --- methods of the plan's objects (either reader's) -------------------------------------------


def deliverable_name(item: Any) -> str:
    """A deliverable is a plain string or a table with a name."""
    return item if isinstance(item, str) else str(item.name)


class PeriodMethods:
    def contains(self, day: dt.date) -> bool:
        s: Any = self
        return bool(s.from_ <= day <= s.to)


class PhaseMethods:
    @property
    def deliverable_names(self) -> list[str]:
        s: Any = self
        return [deliverable_name(d) for d in s.deliverables]


class PlanMethods:
    """Convenience lookups used by every layer above."""

    def person_by_id(self, pid: str | None) -> Any:
        s: Any = self
        return next((p for p in s.person if p.id == pid), None) if pid else None

    def phase_by_id(self, pid: str | None) -> Any:
        s: Any = self
        return next((p for p in s.phase if p.id == pid), None) if pid else None

    def founder_id(self) -> str | None:
        """The owner whose dependence is measured: ``[exit].founder``, else a person
        marked ``founder = true``."""
        s: Any = self
        if s.exit and s.exit.founder:
            return str(s.exit.founder)
        return next((str(p.id) for p in s.person if p.founder), None)
