"""The plan format's enumerations (docs/mission-format.md), without pydantic.

The pydantic models (planner/model.py) and the lean reader (planner/lean.py) share these
very classes, so ``plan.phase[0].kind == PhaseKind.handover`` holds whichever built the
plan. ``releve.planner.model`` re-exports every name here.
"""

from __future__ import annotations

from enum import StrEnum

#: The plan format this releve reads and writes.
FORMAT = 1


# --- enumerations -------------------------------------------------------------------


class Language(StrEnum):
    fr = "fr"
    en = "en"


class MissionStatus(StrEnum):
    planning = "planning"
    running = "running"
    handed_over = "handed_over"


class ExitKind(StrEnum):
    sale = "sale"
    fundraising = "fundraising"
    succession = "succession"
    none = "none"


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"

    @property
    def index(self) -> int:  # type: ignore[override]  # shadows str.index on purpose
        """Monday is 0, as in ``date.weekday()``."""
        return list(Weekday).index(self)


class Delegation(StrEnum):
    advisor = "advisor"
    co_pilot = "co_pilot"
    delegated = "delegated"


class Reporting(StrEnum):
    weekly = "weekly"
    biweekly = "biweekly"
    monthly = "monthly"
    quarterly = "quarterly"


class Stake(StrEnum):
    operational_gains = "operational_gains"
    founder_dependence = "founder_dependence"
    knowledge_transfer = "knowledge_transfer"
    exit_preparation = "exit_preparation"
    growth = "growth"
    integration = "integration"


class PhaseKind(StrEnum):
    flash_audit = "flash_audit"
    diagnostic = "diagnostic"
    project = "project"
    handover = "handover"

    @property
    def rank(self) -> int:
        """Place in the mission: every flash audit before every diagnostic, and so on."""
        return list(PhaseKind).index(self)


class Gate(StrEnum):
    codir = "codir"
    sponsor = "sponsor"
    none = "none"


class TransferMethod(StrEnum):
    documentation = "documentation"
    shadowing = "shadowing"
    training = "training"
    solo_run = "solo_run"
    sign_off = "sign_off"


class TransferStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"


class KpiCategory(StrEnum):
    operating_margin = "operating_margin"
    productivity = "productivity"
    lead_time = "lead_time"
    irritants = "irritants"
    customer_satisfaction = "customer_satisfaction"
    manager_skills = "manager_skills"
    process_maturity = "process_maturity"
    founder_dependence = "founder_dependence"
    other = "other"


class Direction(StrEnum):
    up = "up"
    down = "down"


class MeetingKind(StrEnum):
    steering = "steering"
    codir = "codir"
    owner = "owner"
    team = "team"


class SignalKind(StrEnum):
    team_involvement = "team_involvement"
    informal_feedback = "informal_feedback"
    persistent_irritant = "persistent_irritant"
    clarification_requests = "clarification_requests"


# Their public home is the format's module, releve.planner.model, which re-exports them
# (what enumerates the format's values looks there; a pickled member names it).
for _enum in (
    Language,
    MissionStatus,
    ExitKind,
    Weekday,
    Delegation,
    Reporting,
    Stake,
    PhaseKind,
    Gate,
    TransferMethod,
    TransferStatus,
    KpiCategory,
    Direction,
    MeetingKind,
    SignalKind,
):
    _enum.__module__ = "releve.planner.model"
del _enum
