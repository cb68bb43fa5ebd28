"""Pydantic models of the mission plan file, format 1 (see docs/mission-format.md).

Only what cannot be read at all is refused here: a wrong type, an unknown key, an
unknown enumeration value, a duplicate id, a format from a newer releve. References
between tables (a person id that does not exist, …) are NOT load errors: the rule
engine reports them as findings. Every table but ``[mission]`` may be absent.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from releve.planner import behaviour
from releve.planner.behaviour import PeriodMethods, PhaseMethods, PlanMethods, deliverable_name
from releve.planner.enums import (
    FORMAT,
    Delegation,
    Direction,
    ExitKind,
    Gate,
    KpiCategory,
    Language,
    MeetingKind,
    MissionStatus,
    PhaseKind,
    Reporting,
    SignalKind,
    Stake,
    TransferMethod,
    TransferStatus,
    Weekday,
)

#: Public names, the format's enumerations (planner/enums.py, no pydantic) among them.
__all__ = [
    "ARRAY_TABLES",
    "Action",
    "Booking",
    "Company",
    "Coo",
    "DEFAULT_WORKDAYS",
    "Delegation",
    "Deliverable",
    "DeliverableItem",
    "Direction",
    "Exit",
    "ExitKind",
    "FORMAT",
    "Gate",
    "Governance",
    "ID_TABLES",
    "Irritant",
    "Kpi",
    "KpiCategory",
    "LOG_TABLES",
    "Language",
    "Level04",
    "Measure",
    "Meeting",
    "MeetingKind",
    "MissionInfo",
    "MissionStatus",
    "Objective",
    "Period",
    "Person",
    "Phase",
    "PhaseKind",
    "Plan",
    "Process",
    "Reporting",
    "Rules",
    "SINGLE_TABLES",
    "Scope",
    "Share",
    "Signal",
    "SignalKind",
    "Slug",
    "Stake",
    "Transfer",
    "TransferMethod",
    "TransferStatus",
    "Waiver",
    "Weekday",
    "deliverable_name",
]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9_-]+$", min_length=1, max_length=64)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Level04 = Annotated[int, Field(ge=0, le=4)]


class _Table(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        validate_assignment=True,
        use_enum_values=False,
        str_strip_whitespace=False,
        # nan and inf are legal TOML but no KPI or share is ever infinite: refuse them at
        # load time rather than let them poison scores, charts and JSON output.
        allow_inf_nan=False,
    )


# --- small value tables ---------------------------------------------------------------


class Period(PeriodMethods, _Table):
    """A closed period of days, both bounds included (closures, leave)."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    reason: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        behaviour.period_in_order(self.from_, self.to)
        return self


class Measure(_Table):
    """One value of a KPI's history."""

    on: dt.date
    value: float


# --- single tables ----------------------------------------------------------------------


class MissionInfo(_Table):
    """``[mission]``: the only table a plan cannot do without."""

    id: Slug
    title: str = ""
    start: dt.date
    language: Language = Language.fr
    status: MissionStatus = MissionStatus.planning


class Company(_Table):
    name: str | None = None
    sector: str | None = None
    headcount: Annotated[int, Field(ge=0)] | None = None
    revenue_keur: Annotated[float, Field(ge=0)] | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "FR"
    top_customer_share: Share | None = None
    top_supplier_share: Share | None = None
    recurring_revenue_share: Share | None = None
    closures: list[Period] = Field(default_factory=list)


class Exit(_Table):
    kind: ExitKind | None = None
    target_date: dt.date | None = None
    founder: str | None = None


DEFAULT_WORKDAYS = [Weekday.mon, Weekday.tue, Weekday.wed, Weekday.thu, Weekday.fri]


class Coo(_Table):
    name: str | None = None
    # Who the COO is across missions (a portfolio finds one COO booked twice by it, else by name).
    email: str | None = None
    firm: str | None = None
    workdays: list[Weekday] = Field(default_factory=lambda: list(DEFAULT_WORKDAYS))
    contracted_days: Annotated[int, Field(ge=0)] | None = None
    leave: list[Period] = Field(default_factory=list)

    @field_validator("workdays")
    @classmethod
    def _no_repeated_day(cls, days: list[Weekday]) -> list[Weekday]:
        return behaviour.no_repeated_day(days)


class Scope(_Table):
    role: str | None = None
    delegation: Delegation | None = None
    responsibilities: list[str] = Field(default_factory=list)
    internal_counterpart: str | None = None
    successor: str | None = None


class Governance(_Table):
    reports_to: str | None = None
    sponsor: str | None = None
    codir_seat: bool | None = None
    steering_every_days: Annotated[int, Field(ge=1)] | None = None
    reporting: Reporting | None = None
    announced_on: dt.date | None = None


class Rules(_Table):
    """``[rules]``: firm packs applied over the default pack, relative to the plan file."""

    packs: list[str] = Field(default_factory=list)


# --- rows of arrays of tables -----------------------------------------------------------


class Objective(_Table):
    id: Slug
    stake: Stake | None = None
    statement: str | None = None
    kpi: str | None = None


class Person(_Table):
    id: Slug
    name: str | None = None
    role: str | None = None
    founder: bool = False
    manager: bool = False
    key: bool = False
    backup: str | None = None


class Process(_Table):
    id: Slug
    name: str | None = None
    critical: bool = False
    owner: str | None = None
    backup: str | None = None
    backup_trained: bool | None = None
    documentation: Level04 | None = None
    automation: Level04 | None = None


class Deliverable(_Table):
    """A deliverable written as a table: delivered (and accepted) or not yet."""

    model_config = ConfigDict(strict=True)  # read from a union: no lax "2027-01-04" dates

    name: str
    delivered_on: dt.date | None = None
    accepted_by: str | None = None


def _read_deliverable(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A deliverable is a plain string or a table (tracking.md); the table's own errors
    keep their place (``deliverables[1].delivered_on``), never a union's two guesses."""
    if isinstance(value, (str, Deliverable)):
        return value
    if isinstance(value, dict):
        return Deliverable.model_validate(value)
    raise PydanticCustomError(
        "deliverable_type",
        "a deliverable is a string or a table with name, delivered_on and accepted_by",
    )


DeliverableItem = Annotated[str | Deliverable, WrapValidator(_read_deliverable)]


class Phase(PhaseMethods, _Table):
    id: Slug
    kind: PhaseKind
    name: str | None = None
    after: list[str] = Field(default_factory=list)
    not_before: dt.date | None = None
    effort_days: Annotated[int, Field(ge=0, le=5000)] = 0
    deliverables: list[DeliverableItem] = Field(default_factory=list)
    gate: Gate | None = None
    # Optional (scheduling.md): higher is scheduled first; default all equal.
    priority: Annotated[int, Field(ge=0, le=1000)] | None = None
    # The mission log (tracking.md): the phase is finished on that day.
    done_on: dt.date | None = None


class Transfer(_Table):
    id: Slug
    topic: str | None = None
    process: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    phase: str | None = None
    method: TransferMethod | None = None
    status: TransferStatus = TransferStatus.planned
    done_on: dt.date | None = None  # the mission log: the day it was done


class Kpi(_Table):
    id: Slug
    category: KpiCategory | None = None
    name: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    direction: Direction | None = None
    source: str | None = None
    owner: str | None = None
    history: list[Measure] = Field(default_factory=list)


class Signal(_Table):
    on: dt.date
    kind: SignalKind
    level: Annotated[int, Field(ge=1, le=3)] = 1
    note: str | None = None


class Irritant(_Table):
    id: Slug
    title: str | None = None
    opened: dt.date | None = None
    owner: str | None = None
    closed: dt.date | None = None


class Waiver(_Table):
    """A rule's finding accepted on purpose. rule, reason, owner and expires are all
    required for the waiver to waive; an incomplete one is a finding, not a load error."""

    rule: str
    target: str | None = None
    reason: str | None = None
    owner: str | None = None
    expires: dt.date | None = None


# --- the mission log (tracking.md) ---------------------------------------------------------


class Booking(_Table):
    """A day (or part of one) of COO work on a phase."""

    on: dt.date
    phase: str  # a phase id; an unknown one is a finding, not a load error
    days: Annotated[float, Field(json_schema_extra={"exclusiveMinimum": 0, "maximum": 1})] = 1
    note: str | None = None

    @field_validator("days")
    @classmethod
    def _part_of_one_day(cls, days: float) -> float:
        # `days = 1` is written back as `1`, not `1.0` (a half day stays 0.5).
        return behaviour.booking_days(days)


class Action(_Table):
    """An action decided in a meeting."""

    what: str
    owner: str | None = None
    due: dt.date | None = None
    done_on: dt.date | None = None


class Meeting(_Table):
    on: dt.date
    kind: MeetingKind
    attendees: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    note: str | None = None


# --- the whole plan -----------------------------------------------------------------------

#: Arrays of tables whose rows carry an ``id`` unique within the table.
ID_TABLES = ("objective", "person", "process", "phase", "transfer", "kpi", "irritant")
#: Single tables, in file order.
SINGLE_TABLES = ("mission", "company", "exit", "coo", "scope", "governance")
#: Arrays of tables, in file order.
ARRAY_TABLES = (
    "objective",
    "person",
    "process",
    "phase",
    "transfer",
    "kpi",
    "signal",
    "irritant",
    "waiver",
)
#: The mission log's arrays of tables (tracking.md), after every other table in file order.
LOG_TABLES = ("meeting", "booking")


class Plan(PlanMethods, _Table):
    """One mission plan file: everything known about one outsourced-COO mission."""

    format: int = FORMAT
    mission: MissionInfo
    company: Company | None = None
    exit: Exit | None = None
    coo: Coo | None = None
    scope: Scope | None = None
    governance: Governance | None = None
    objective: list[Objective] = Field(default_factory=list)
    person: list[Person] = Field(default_factory=list)
    process: list[Process] = Field(default_factory=list)
    phase: list[Phase] = Field(default_factory=list)
    transfer: list[Transfer] = Field(default_factory=list)
    kpi: list[Kpi] = Field(default_factory=list)
    signal: list[Signal] = Field(default_factory=list)
    irritant: list[Irritant] = Field(default_factory=list)
    waiver: list[Waiver] = Field(default_factory=list)
    rules: Rules | None = None
    # The mission log last: a booking appended lands at the end of the file.
    meeting: list[Meeting] = Field(default_factory=list)
    booking: list[Booking] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _format_first(cls, data: Any) -> Any:
        # Checked before anything else: a newer file fails on this, not on a key we
        # do not know yet.
        behaviour.newer_format(data)
        return data

    @field_validator("format")
    @classmethod
    def _known_format(cls, fmt: int) -> int:
        return behaviour.known_format(fmt)

    @field_validator(*ID_TABLES)
    @classmethod
    def _unique_ids(cls, rows: list[Any], info: Any) -> list[Any]:
        dup = behaviour.first_duplicate(rows)
        if dup is not None:
            index, first = dup
            # ctx carries the row index so the store can point at that row's `id` line.
            raise PydanticCustomError(
                "duplicate_id",
                "duplicate {table} id '{rid}' (first used by row {first})",
                {
                    "table": info.field_name,
                    "rid": rows[index].id,
                    "index": index,
                    "first": first + 1,
                },
            )
        return rows

    if TYPE_CHECKING:  # the lookups (behaviour.PlanMethods), with this model's types

        def person_by_id(self, pid: str | None) -> Person | None: ...

        def phase_by_id(self, pid: str | None) -> Phase | None: ...
