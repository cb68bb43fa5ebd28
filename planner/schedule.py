"""The serial schedule of docs/scheduling.md (TaskJuggler-exact): phases → booked COO days.

INTERFACE FIXED FOR OTHER LAYERS — the planner owner implements the functions below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from planner.model import Plan


class ProblemKind(StrEnum):
    cycle = "cycle"                  # a cycle in `after`
    unknown_phase = "unknown_phase"  # `after` names a phase that does not exist
    no_fit = "no_fit"                # effort cannot fit in ten years (no working day, …)


@dataclass(frozen=True)
class ScheduleProblem:
    kind: ProblemKind
    phases: tuple[str, ...]          # the phases concerned, in plan order
    message: str                     # one English line naming the phases


@dataclass(frozen=True)
class PhaseSlot:
    id: str
    days: tuple[dt.date, ...]        # booked COO days, ascending
    start: dt.date                   # first booked day (milestone: its earliest day)
    end: dt.date                     # last booked day
    effort_days: int
    slack_days: int                  # COO working days of slack vs target (or mission end)
    critical: bool                   # zero slack


@dataclass(frozen=True)
class Schedule:
    start: dt.date                   # mission start
    phases: dict[str, PhaseSlot]     # scheduled phases, in plan order
    problems: tuple[ScheduleProblem, ...] = ()
    end: dt.date | None = None       # last phase end; None when nothing could be scheduled
    coo_days: int = 0                # COO days booked
    target_date: dt.date | None = None
    meets_target: bool | None = None  # None when there is no target date
    days_per_week: int | None = None  # set for a what-if schedule

    @property
    def ok(self) -> bool:
        return not self.problems
