"""GENERATED from planner/model.py: do not edit; regenerate with
``python -m releve.planner.leangen > planner/lean_plan.py``.

The lean reader of a plan (see planner/leangen.py and planner/lean.py): a twin of each
pydantic model with the same attributes, defaults and methods, and one function per model
that accepts a table only when pydantic surely accepts it with identical values, else
raises ``_UNSURE`` (then the caller validates with pydantic, which words the errors).
"""

# ruff: noqa: C901

from __future__ import annotations

import re as _re
from typing import Any

from releve.planner import behaviour as _b
from releve.planner.enums import (
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
from releve.planner.lean_runtime import _EXACT, _NO, _UNSURE, _date, _isfinite, _Row

_P0 = _re.compile("[a-z0-9_-]+")  # ^[a-z0-9_-]+$, matched whole
_P1 = _re.compile("[A-Z]{2}")  # ^[A-Z]{2}$, matched whole
_Delegation_VALUES = {m.value: m for m in Delegation}
_Direction_VALUES = {m.value: m for m in Direction}
_ExitKind_VALUES = {m.value: m for m in ExitKind}
_Gate_VALUES = {m.value: m for m in Gate}
_KpiCategory_VALUES = {m.value: m for m in KpiCategory}
_Language_VALUES = {m.value: m for m in Language}
_MeetingKind_VALUES = {m.value: m for m in MeetingKind}
_MissionStatus_VALUES = {m.value: m for m in MissionStatus}
_PhaseKind_VALUES = {m.value: m for m in PhaseKind}
_Reporting_VALUES = {m.value: m for m in Reporting}
_SignalKind_VALUES = {m.value: m for m in SignalKind}
_Stake_VALUES = {m.value: m for m in Stake}
_TransferMethod_VALUES = {m.value: m for m in TransferMethod}
_TransferStatus_VALUES = {m.value: m for m in TransferStatus}
_Weekday_VALUES = {m.value: m for m in Weekday}


def _c_bool(v: Any) -> Any:
    if type(v) is not bool:
        raise _UNSURE
    return v


def _c_date(v: Any) -> Any:
    if type(v) is not _date:
        raise _UNSURE
    return v


def _c_float(v: Any) -> Any:
    if type(v) is int and -_EXACT <= v <= _EXACT:
        v = float(v)
    elif type(v) is not float or not _isfinite(v):
        raise _UNSURE
    return v


def _c_float_ge0(v: Any) -> Any:
    if type(v) is int and -_EXACT <= v <= _EXACT:
        v = float(v)
    elif type(v) is not float or not _isfinite(v):
        raise _UNSURE
    if not v >= 0:
        raise _UNSURE
    return v


def _c_float_ge0_0_le1_0(v: Any) -> Any:
    if type(v) is int and -_EXACT <= v <= _EXACT:
        v = float(v)
    elif type(v) is not float or not _isfinite(v):
        raise _UNSURE
    if not v >= 0.0:
        raise _UNSURE
    if not v <= 1.0:
        raise _UNSURE
    return v


def _c_int(v: Any) -> Any:
    if type(v) is not int:
        raise _UNSURE
    return v


def _c_int_ge0(v: Any) -> Any:
    if type(v) is not int:
        raise _UNSURE
    if not v >= 0:
        raise _UNSURE
    return v


def _c_int_ge0_le1000(v: Any) -> Any:
    if type(v) is not int:
        raise _UNSURE
    if not v >= 0:
        raise _UNSURE
    if not v <= 1000:
        raise _UNSURE
    return v


def _c_int_ge0_le4(v: Any) -> Any:
    if type(v) is not int:
        raise _UNSURE
    if not v >= 0:
        raise _UNSURE
    if not v <= 4:
        raise _UNSURE
    return v


def _c_int_ge0_le5000(v: Any) -> Any:
    if type(v) is not int:
        raise _UNSURE
    if not v >= 0:
        raise _UNSURE
    if not v <= 5000:
        raise _UNSURE
    return v


def _c_int_ge1(v: Any) -> Any:
    if type(v) is not int:
        raise _UNSURE
    if not v >= 1:
        raise _UNSURE
    return v


def _c_int_ge1_le3(v: Any) -> Any:
    if type(v) is not int:
        raise _UNSURE
    if not v >= 1:
        raise _UNSURE
    if not v <= 3:
        raise _UNSURE
    return v


def _c_str(v: Any) -> Any:
    if type(v) is not str:
        raise _UNSURE
    return v


def _c_str_min1_max64_p0(v: Any) -> Any:
    if type(v) is not str:
        raise _UNSURE
    if not 1 <= len(v) <= 64:
        raise _UNSURE
    if _P0.fullmatch(v) is None:
        raise _UNSURE
    return v


def _c_str_p1(v: Any) -> Any:
    if type(v) is not str:
        raise _UNSURE
    if _P1.fullmatch(v) is None:
        raise _UNSURE
    return v


def _enum_Delegation(v: Any) -> Delegation:
    m = _Delegation_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_Direction(v: Any) -> Direction:
    m = _Direction_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_ExitKind(v: Any) -> ExitKind:
    m = _ExitKind_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_Gate(v: Any) -> Gate:
    m = _Gate_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_KpiCategory(v: Any) -> KpiCategory:
    m = _KpiCategory_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_Language(v: Any) -> Language:
    m = _Language_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_MeetingKind(v: Any) -> MeetingKind:
    m = _MeetingKind_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_MissionStatus(v: Any) -> MissionStatus:
    m = _MissionStatus_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_PhaseKind(v: Any) -> PhaseKind:
    m = _PhaseKind_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_Reporting(v: Any) -> Reporting:
    m = _Reporting_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_SignalKind(v: Any) -> SignalKind:
    m = _SignalKind_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_Stake(v: Any) -> Stake:
    m = _Stake_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_TransferMethod(v: Any) -> TransferMethod:
    m = _TransferMethod_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_TransferStatus(v: Any) -> TransferStatus:
    m = _TransferStatus_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


def _enum_Weekday(v: Any) -> Weekday:
    m = _Weekday_VALUES.get(v) if type(v) is str else None
    if m is None:
        raise _UNSURE
    return m


class Plan(_Row, _b.PlanMethods):
    """Lean twin of model.Plan."""

    format: int
    mission: MissionInfo
    company: Company | None
    exit: Exit | None
    coo: Coo | None
    scope: Scope | None
    governance: Governance | None
    objective: list[Objective]
    person: list[Person]
    process: list[Process]
    phase: list[Phase]
    transfer: list[Transfer]
    kpi: list[Kpi]
    signal: list[Signal]
    irritant: list[Irritant]
    waiver: list[Waiver]
    rules: Rules | None
    meeting: list[Meeting]
    booking: list[Booking]


_PLAN_KEYS = frozenset(
    (
        "format",
        "mission",
        "company",
        "exit",
        "coo",
        "scope",
        "governance",
        "objective",
        "person",
        "process",
        "phase",
        "transfer",
        "kpi",
        "signal",
        "irritant",
        "waiver",
        "rules",
        "meeting",
        "booking",
    )
)


def _plan(d: Any) -> Plan:
    if type(d) is not dict or not _PLAN_KEYS.issuperset(d):
        raise _UNSURE
    _b.newer_format(d)
    v = d.get("format", _NO)
    if v is _NO:
        v = 1
    else:
        v = _c_int(v)
        v = _b.known_format(v)
    a0 = v
    a1 = _mission_info(d.get("mission", _NO))
    v = d.get("company", _NO)
    a2 = None if v is _NO else _company(v)
    v = d.get("exit", _NO)
    a3 = None if v is _NO else _exit(v)
    v = d.get("coo", _NO)
    a4 = None if v is _NO else _coo(v)
    v = d.get("scope", _NO)
    a5 = None if v is _NO else _scope(v)
    v = d.get("governance", _NO)
    a6 = None if v is _NO else _governance(v)
    v = d.get("objective", _NO)
    if v is _NO:
        v = []
    else:
        v = _list_of_objective(v)
        if _b.first_duplicate(v) is not None:
            raise _UNSURE
    a7 = v
    v = d.get("person", _NO)
    if v is _NO:
        v = []
    else:
        v = _list_of_person(v)
        if _b.first_duplicate(v) is not None:
            raise _UNSURE
    a8 = v
    v = d.get("process", _NO)
    if v is _NO:
        v = []
    else:
        v = _list_of_process(v)
        if _b.first_duplicate(v) is not None:
            raise _UNSURE
    a9 = v
    v = d.get("phase", _NO)
    if v is _NO:
        v = []
    else:
        v = _list_of_phase(v)
        if _b.first_duplicate(v) is not None:
            raise _UNSURE
    a10 = v
    v = d.get("transfer", _NO)
    if v is _NO:
        v = []
    else:
        v = _list_of_transfer(v)
        if _b.first_duplicate(v) is not None:
            raise _UNSURE
    a11 = v
    v = d.get("kpi", _NO)
    if v is _NO:
        v = []
    else:
        v = _list_of_kpi(v)
        if _b.first_duplicate(v) is not None:
            raise _UNSURE
    a12 = v
    v = d.get("signal", _NO)
    a13 = [] if v is _NO else _list_of_signal(v)
    v = d.get("irritant", _NO)
    if v is _NO:
        v = []
    else:
        v = _list_of_irritant(v)
        if _b.first_duplicate(v) is not None:
            raise _UNSURE
    a14 = v
    v = d.get("waiver", _NO)
    a15 = [] if v is _NO else _list_of_waiver(v)
    v = d.get("rules", _NO)
    a16 = None if v is _NO else _rules(v)
    v = d.get("meeting", _NO)
    a17 = [] if v is _NO else _list_of_meeting(v)
    v = d.get("booking", _NO)
    a18 = [] if v is _NO else _list_of_booking(v)
    o = Plan.__new__(Plan)
    vars(o).update(
        {
            "format": a0,
            "mission": a1,
            "company": a2,
            "exit": a3,
            "coo": a4,
            "scope": a5,
            "governance": a6,
            "objective": a7,
            "person": a8,
            "process": a9,
            "phase": a10,
            "transfer": a11,
            "kpi": a12,
            "signal": a13,
            "irritant": a14,
            "waiver": a15,
            "rules": a16,
            "meeting": a17,
            "booking": a18,
        }
    )
    return o


class MissionInfo(_Row):
    """Lean twin of model.MissionInfo."""

    id: str
    title: str
    start: _date
    language: Language
    status: MissionStatus


_MISSIONINFO_KEYS = frozenset(
    (
        "id",
        "title",
        "start",
        "language",
        "status",
    )
)


def _mission_info(d: Any) -> MissionInfo:
    if type(d) is not dict or not _MISSIONINFO_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    v = d.get("title", _NO)
    a1 = "" if v is _NO else _c_str(v)
    a2 = _c_date(d.get("start", _NO))
    v = d.get("language", _NO)
    a3 = Language.fr if v is _NO else _enum_Language(v)
    v = d.get("status", _NO)
    a4 = MissionStatus.planning if v is _NO else _enum_MissionStatus(v)
    o = MissionInfo.__new__(MissionInfo)
    vars(o).update(
        {
            "id": a0,
            "title": a1,
            "start": a2,
            "language": a3,
            "status": a4,
        }
    )
    return o


class Company(_Row):
    """Lean twin of model.Company."""

    name: str | None
    sector: str | None
    headcount: int | None
    revenue_keur: float | None
    country: str
    top_customer_share: float | None
    top_supplier_share: float | None
    recurring_revenue_share: float | None
    closures: list[Period]


_COMPANY_KEYS = frozenset(
    (
        "name",
        "sector",
        "headcount",
        "revenue_keur",
        "country",
        "top_customer_share",
        "top_supplier_share",
        "recurring_revenue_share",
        "closures",
    )
)


def _company(d: Any) -> Company:
    if type(d) is not dict or not _COMPANY_KEYS.issuperset(d):
        raise _UNSURE
    v = d.get("name", _NO)
    a0 = None if v is _NO else _c_str(v)
    v = d.get("sector", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("headcount", _NO)
    a2 = None if v is _NO else _c_int_ge0(v)
    v = d.get("revenue_keur", _NO)
    a3 = None if v is _NO else _c_float_ge0(v)
    v = d.get("country", _NO)
    a4 = "FR" if v is _NO else _c_str_p1(v)
    v = d.get("top_customer_share", _NO)
    a5 = None if v is _NO else _c_float_ge0_0_le1_0(v)
    v = d.get("top_supplier_share", _NO)
    a6 = None if v is _NO else _c_float_ge0_0_le1_0(v)
    v = d.get("recurring_revenue_share", _NO)
    a7 = None if v is _NO else _c_float_ge0_0_le1_0(v)
    v = d.get("closures", _NO)
    a8 = [] if v is _NO else _list_of_period(v)
    o = Company.__new__(Company)
    vars(o).update(
        {
            "name": a0,
            "sector": a1,
            "headcount": a2,
            "revenue_keur": a3,
            "country": a4,
            "top_customer_share": a5,
            "top_supplier_share": a6,
            "recurring_revenue_share": a7,
            "closures": a8,
        }
    )
    return o


class Period(_Row, _b.PeriodMethods):
    """Lean twin of model.Period."""

    from_: _date
    to: _date
    reason: str | None


_PERIOD_KEYS = frozenset(
    (
        "from",
        "to",
        "reason",
    )
)


def _period(d: Any) -> Period:
    if type(d) is not dict or not _PERIOD_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_date(d.get("from", _NO))
    a1 = _c_date(d.get("to", _NO))
    v = d.get("reason", _NO)
    a2 = None if v is _NO else _c_str(v)
    o = Period.__new__(Period)
    vars(o).update(
        {
            "from_": a0,
            "to": a1,
            "reason": a2,
        }
    )
    _b.period_in_order(o.from_, o.to)
    return o


class Exit(_Row):
    """Lean twin of model.Exit."""

    kind: ExitKind | None
    target_date: _date | None
    founder: str | None


_EXIT_KEYS = frozenset(
    (
        "kind",
        "target_date",
        "founder",
    )
)


def _exit(d: Any) -> Exit:
    if type(d) is not dict or not _EXIT_KEYS.issuperset(d):
        raise _UNSURE
    v = d.get("kind", _NO)
    a0 = None if v is _NO else _enum_ExitKind(v)
    v = d.get("target_date", _NO)
    a1 = None if v is _NO else _c_date(v)
    v = d.get("founder", _NO)
    a2 = None if v is _NO else _c_str(v)
    o = Exit.__new__(Exit)
    vars(o).update(
        {
            "kind": a0,
            "target_date": a1,
            "founder": a2,
        }
    )
    return o


class Coo(_Row):
    """Lean twin of model.Coo."""

    name: str | None
    email: str | None
    firm: str | None
    workdays: list[Weekday]
    contracted_days: int | None
    leave: list[Period]


_COO_KEYS = frozenset(
    (
        "name",
        "email",
        "firm",
        "workdays",
        "contracted_days",
        "leave",
    )
)


def _coo(d: Any) -> Coo:
    if type(d) is not dict or not _COO_KEYS.issuperset(d):
        raise _UNSURE
    v = d.get("name", _NO)
    a0 = None if v is _NO else _c_str(v)
    v = d.get("email", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("firm", _NO)
    a2 = None if v is _NO else _c_str(v)
    v = d.get("workdays", _NO)
    if v is _NO:
        v = [Weekday.mon, Weekday.tue, Weekday.wed, Weekday.thu, Weekday.fri]
    else:
        v = _list_of_enum_Weekday(v)
        v = _b.no_repeated_day(v)
    a3 = v
    v = d.get("contracted_days", _NO)
    a4 = None if v is _NO else _c_int_ge0(v)
    v = d.get("leave", _NO)
    a5 = [] if v is _NO else _list_of_period(v)
    o = Coo.__new__(Coo)
    vars(o).update(
        {
            "name": a0,
            "email": a1,
            "firm": a2,
            "workdays": a3,
            "contracted_days": a4,
            "leave": a5,
        }
    )
    return o


class Scope(_Row):
    """Lean twin of model.Scope."""

    role: str | None
    delegation: Delegation | None
    responsibilities: list[str]
    internal_counterpart: str | None
    successor: str | None


_SCOPE_KEYS = frozenset(
    (
        "role",
        "delegation",
        "responsibilities",
        "internal_counterpart",
        "successor",
    )
)


def _scope(d: Any) -> Scope:
    if type(d) is not dict or not _SCOPE_KEYS.issuperset(d):
        raise _UNSURE
    v = d.get("role", _NO)
    a0 = None if v is _NO else _c_str(v)
    v = d.get("delegation", _NO)
    a1 = None if v is _NO else _enum_Delegation(v)
    v = d.get("responsibilities", _NO)
    a2 = [] if v is _NO else _list_of_c_str(v)
    v = d.get("internal_counterpart", _NO)
    a3 = None if v is _NO else _c_str(v)
    v = d.get("successor", _NO)
    a4 = None if v is _NO else _c_str(v)
    o = Scope.__new__(Scope)
    vars(o).update(
        {
            "role": a0,
            "delegation": a1,
            "responsibilities": a2,
            "internal_counterpart": a3,
            "successor": a4,
        }
    )
    return o


class Governance(_Row):
    """Lean twin of model.Governance."""

    reports_to: str | None
    sponsor: str | None
    codir_seat: bool | None
    steering_every_days: int | None
    reporting: Reporting | None
    announced_on: _date | None


_GOVERNANCE_KEYS = frozenset(
    (
        "reports_to",
        "sponsor",
        "codir_seat",
        "steering_every_days",
        "reporting",
        "announced_on",
    )
)


def _governance(d: Any) -> Governance:
    if type(d) is not dict or not _GOVERNANCE_KEYS.issuperset(d):
        raise _UNSURE
    v = d.get("reports_to", _NO)
    a0 = None if v is _NO else _c_str(v)
    v = d.get("sponsor", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("codir_seat", _NO)
    a2 = None if v is _NO else _c_bool(v)
    v = d.get("steering_every_days", _NO)
    a3 = None if v is _NO else _c_int_ge1(v)
    v = d.get("reporting", _NO)
    a4 = None if v is _NO else _enum_Reporting(v)
    v = d.get("announced_on", _NO)
    a5 = None if v is _NO else _c_date(v)
    o = Governance.__new__(Governance)
    vars(o).update(
        {
            "reports_to": a0,
            "sponsor": a1,
            "codir_seat": a2,
            "steering_every_days": a3,
            "reporting": a4,
            "announced_on": a5,
        }
    )
    return o


class Objective(_Row):
    """Lean twin of model.Objective."""

    id: str
    stake: Stake | None
    statement: str | None
    kpi: str | None


_OBJECTIVE_KEYS = frozenset(
    (
        "id",
        "stake",
        "statement",
        "kpi",
    )
)


def _objective(d: Any) -> Objective:
    if type(d) is not dict or not _OBJECTIVE_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    v = d.get("stake", _NO)
    a1 = None if v is _NO else _enum_Stake(v)
    v = d.get("statement", _NO)
    a2 = None if v is _NO else _c_str(v)
    v = d.get("kpi", _NO)
    a3 = None if v is _NO else _c_str(v)
    o = Objective.__new__(Objective)
    vars(o).update(
        {
            "id": a0,
            "stake": a1,
            "statement": a2,
            "kpi": a3,
        }
    )
    return o


class Person(_Row):
    """Lean twin of model.Person."""

    id: str
    name: str | None
    role: str | None
    founder: bool
    manager: bool
    key: bool
    backup: str | None


_PERSON_KEYS = frozenset(
    (
        "id",
        "name",
        "role",
        "founder",
        "manager",
        "key",
        "backup",
    )
)


def _person(d: Any) -> Person:
    if type(d) is not dict or not _PERSON_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    v = d.get("name", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("role", _NO)
    a2 = None if v is _NO else _c_str(v)
    v = d.get("founder", _NO)
    a3 = False if v is _NO else _c_bool(v)
    v = d.get("manager", _NO)
    a4 = False if v is _NO else _c_bool(v)
    v = d.get("key", _NO)
    a5 = False if v is _NO else _c_bool(v)
    v = d.get("backup", _NO)
    a6 = None if v is _NO else _c_str(v)
    o = Person.__new__(Person)
    vars(o).update(
        {
            "id": a0,
            "name": a1,
            "role": a2,
            "founder": a3,
            "manager": a4,
            "key": a5,
            "backup": a6,
        }
    )
    return o


class Process(_Row):
    """Lean twin of model.Process."""

    id: str
    name: str | None
    critical: bool
    owner: str | None
    backup: str | None
    backup_trained: bool | None
    documentation: int | None
    automation: int | None


_PROCESS_KEYS = frozenset(
    (
        "id",
        "name",
        "critical",
        "owner",
        "backup",
        "backup_trained",
        "documentation",
        "automation",
    )
)


def _process(d: Any) -> Process:
    if type(d) is not dict or not _PROCESS_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    v = d.get("name", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("critical", _NO)
    a2 = False if v is _NO else _c_bool(v)
    v = d.get("owner", _NO)
    a3 = None if v is _NO else _c_str(v)
    v = d.get("backup", _NO)
    a4 = None if v is _NO else _c_str(v)
    v = d.get("backup_trained", _NO)
    a5 = None if v is _NO else _c_bool(v)
    v = d.get("documentation", _NO)
    a6 = None if v is _NO else _c_int_ge0_le4(v)
    v = d.get("automation", _NO)
    a7 = None if v is _NO else _c_int_ge0_le4(v)
    o = Process.__new__(Process)
    vars(o).update(
        {
            "id": a0,
            "name": a1,
            "critical": a2,
            "owner": a3,
            "backup": a4,
            "backup_trained": a5,
            "documentation": a6,
            "automation": a7,
        }
    )
    return o


class Phase(_Row, _b.PhaseMethods):
    """Lean twin of model.Phase."""

    id: str
    kind: PhaseKind
    name: str | None
    after: list[str]
    not_before: _date | None
    effort_days: int
    deliverables: list[str | Deliverable]
    gate: Gate | None
    priority: int | None
    done_on: _date | None


_PHASE_KEYS = frozenset(
    (
        "id",
        "kind",
        "name",
        "after",
        "not_before",
        "effort_days",
        "deliverables",
        "gate",
        "priority",
        "done_on",
    )
)


def _phase(d: Any) -> Phase:
    if type(d) is not dict or not _PHASE_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    a1 = _enum_PhaseKind(d.get("kind", _NO))
    v = d.get("name", _NO)
    a2 = None if v is _NO else _c_str(v)
    v = d.get("after", _NO)
    a3 = [] if v is _NO else _list_of_c_str(v)
    v = d.get("not_before", _NO)
    a4 = None if v is _NO else _c_date(v)
    v = d.get("effort_days", _NO)
    a5 = 0 if v is _NO else _c_int_ge0_le5000(v)
    v = d.get("deliverables", _NO)
    a6 = [] if v is _NO else _list_of_deliverable_item(v)
    v = d.get("gate", _NO)
    a7 = None if v is _NO else _enum_Gate(v)
    v = d.get("priority", _NO)
    a8 = None if v is _NO else _c_int_ge0_le1000(v)
    v = d.get("done_on", _NO)
    a9 = None if v is _NO else _c_date(v)
    o = Phase.__new__(Phase)
    vars(o).update(
        {
            "id": a0,
            "kind": a1,
            "name": a2,
            "after": a3,
            "not_before": a4,
            "effort_days": a5,
            "deliverables": a6,
            "gate": a7,
            "priority": a8,
            "done_on": a9,
        }
    )
    return o


class Deliverable(_Row):
    """Lean twin of model.Deliverable."""

    name: str
    delivered_on: _date | None
    accepted_by: str | None


_DELIVERABLE_KEYS = frozenset(
    (
        "name",
        "delivered_on",
        "accepted_by",
    )
)


def _deliverable(d: Any) -> Deliverable:
    if type(d) is not dict or not _DELIVERABLE_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str(d.get("name", _NO))
    v = d.get("delivered_on", _NO)
    a1 = None if v is _NO else _c_date(v)
    v = d.get("accepted_by", _NO)
    a2 = None if v is _NO else _c_str(v)
    o = Deliverable.__new__(Deliverable)
    vars(o).update(
        {
            "name": a0,
            "delivered_on": a1,
            "accepted_by": a2,
        }
    )
    return o


class Transfer(_Row):
    """Lean twin of model.Transfer."""

    id: str
    topic: str | None
    process: str | None
    from_: str | None
    to: str | None
    phase: str | None
    method: TransferMethod | None
    status: TransferStatus
    done_on: _date | None


_TRANSFER_KEYS = frozenset(
    (
        "id",
        "topic",
        "process",
        "from",
        "to",
        "phase",
        "method",
        "status",
        "done_on",
    )
)


def _transfer(d: Any) -> Transfer:
    if type(d) is not dict or not _TRANSFER_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    v = d.get("topic", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("process", _NO)
    a2 = None if v is _NO else _c_str(v)
    v = d.get("from", _NO)
    a3 = None if v is _NO else _c_str(v)
    v = d.get("to", _NO)
    a4 = None if v is _NO else _c_str(v)
    v = d.get("phase", _NO)
    a5 = None if v is _NO else _c_str(v)
    v = d.get("method", _NO)
    a6 = None if v is _NO else _enum_TransferMethod(v)
    v = d.get("status", _NO)
    a7 = TransferStatus.planned if v is _NO else _enum_TransferStatus(v)
    v = d.get("done_on", _NO)
    a8 = None if v is _NO else _c_date(v)
    o = Transfer.__new__(Transfer)
    vars(o).update(
        {
            "id": a0,
            "topic": a1,
            "process": a2,
            "from_": a3,
            "to": a4,
            "phase": a5,
            "method": a6,
            "status": a7,
            "done_on": a8,
        }
    )
    return o


class Kpi(_Row):
    """Lean twin of model.Kpi."""

    id: str
    category: KpiCategory | None
    name: str | None
    unit: str | None
    baseline: float | None
    target: float | None
    direction: Direction | None
    source: str | None
    owner: str | None
    history: list[Measure]


_KPI_KEYS = frozenset(
    (
        "id",
        "category",
        "name",
        "unit",
        "baseline",
        "target",
        "direction",
        "source",
        "owner",
        "history",
    )
)


def _kpi(d: Any) -> Kpi:
    if type(d) is not dict or not _KPI_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    v = d.get("category", _NO)
    a1 = None if v is _NO else _enum_KpiCategory(v)
    v = d.get("name", _NO)
    a2 = None if v is _NO else _c_str(v)
    v = d.get("unit", _NO)
    a3 = None if v is _NO else _c_str(v)
    v = d.get("baseline", _NO)
    a4 = None if v is _NO else _c_float(v)
    v = d.get("target", _NO)
    a5 = None if v is _NO else _c_float(v)
    v = d.get("direction", _NO)
    a6 = None if v is _NO else _enum_Direction(v)
    v = d.get("source", _NO)
    a7 = None if v is _NO else _c_str(v)
    v = d.get("owner", _NO)
    a8 = None if v is _NO else _c_str(v)
    v = d.get("history", _NO)
    a9 = [] if v is _NO else _list_of_measure(v)
    o = Kpi.__new__(Kpi)
    vars(o).update(
        {
            "id": a0,
            "category": a1,
            "name": a2,
            "unit": a3,
            "baseline": a4,
            "target": a5,
            "direction": a6,
            "source": a7,
            "owner": a8,
            "history": a9,
        }
    )
    return o


class Measure(_Row):
    """Lean twin of model.Measure."""

    on: _date
    value: float


_MEASURE_KEYS = frozenset(
    (
        "on",
        "value",
    )
)


def _measure(d: Any) -> Measure:
    if type(d) is not dict or not _MEASURE_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_date(d.get("on", _NO))
    a1 = _c_float(d.get("value", _NO))
    o = Measure.__new__(Measure)
    vars(o).update(
        {
            "on": a0,
            "value": a1,
        }
    )
    return o


class Signal(_Row):
    """Lean twin of model.Signal."""

    on: _date
    kind: SignalKind
    level: int
    note: str | None


_SIGNAL_KEYS = frozenset(
    (
        "on",
        "kind",
        "level",
        "note",
    )
)


def _signal(d: Any) -> Signal:
    if type(d) is not dict or not _SIGNAL_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_date(d.get("on", _NO))
    a1 = _enum_SignalKind(d.get("kind", _NO))
    v = d.get("level", _NO)
    a2 = 1 if v is _NO else _c_int_ge1_le3(v)
    v = d.get("note", _NO)
    a3 = None if v is _NO else _c_str(v)
    o = Signal.__new__(Signal)
    vars(o).update(
        {
            "on": a0,
            "kind": a1,
            "level": a2,
            "note": a3,
        }
    )
    return o


class Irritant(_Row):
    """Lean twin of model.Irritant."""

    id: str
    title: str | None
    opened: _date | None
    owner: str | None
    closed: _date | None


_IRRITANT_KEYS = frozenset(
    (
        "id",
        "title",
        "opened",
        "owner",
        "closed",
    )
)


def _irritant(d: Any) -> Irritant:
    if type(d) is not dict or not _IRRITANT_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str_min1_max64_p0(d.get("id", _NO))
    v = d.get("title", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("opened", _NO)
    a2 = None if v is _NO else _c_date(v)
    v = d.get("owner", _NO)
    a3 = None if v is _NO else _c_str(v)
    v = d.get("closed", _NO)
    a4 = None if v is _NO else _c_date(v)
    o = Irritant.__new__(Irritant)
    vars(o).update(
        {
            "id": a0,
            "title": a1,
            "opened": a2,
            "owner": a3,
            "closed": a4,
        }
    )
    return o


class Waiver(_Row):
    """Lean twin of model.Waiver."""

    rule: str
    target: str | None
    reason: str | None
    owner: str | None
    expires: _date | None


_WAIVER_KEYS = frozenset(
    (
        "rule",
        "target",
        "reason",
        "owner",
        "expires",
    )
)


def _waiver(d: Any) -> Waiver:
    if type(d) is not dict or not _WAIVER_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str(d.get("rule", _NO))
    v = d.get("target", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("reason", _NO)
    a2 = None if v is _NO else _c_str(v)
    v = d.get("owner", _NO)
    a3 = None if v is _NO else _c_str(v)
    v = d.get("expires", _NO)
    a4 = None if v is _NO else _c_date(v)
    o = Waiver.__new__(Waiver)
    vars(o).update(
        {
            "rule": a0,
            "target": a1,
            "reason": a2,
            "owner": a3,
            "expires": a4,
        }
    )
    return o


class Rules(_Row):
    """Lean twin of model.Rules."""

    packs: list[str]


_RULES_KEYS = frozenset(("packs",))


def _rules(d: Any) -> Rules:
    if type(d) is not dict or not _RULES_KEYS.issuperset(d):
        raise _UNSURE
    v = d.get("packs", _NO)
    a0 = [] if v is _NO else _list_of_c_str(v)
    o = Rules.__new__(Rules)
    vars(o).update(
        {
            "packs": a0,
        }
    )
    return o


class Meeting(_Row):
    """Lean twin of model.Meeting."""

    on: _date
    kind: MeetingKind
    attendees: list[str]
    decisions: list[str]
    actions: list[Action]
    note: str | None


_MEETING_KEYS = frozenset(
    (
        "on",
        "kind",
        "attendees",
        "decisions",
        "actions",
        "note",
    )
)


def _meeting(d: Any) -> Meeting:
    if type(d) is not dict or not _MEETING_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_date(d.get("on", _NO))
    a1 = _enum_MeetingKind(d.get("kind", _NO))
    v = d.get("attendees", _NO)
    a2 = [] if v is _NO else _list_of_c_str(v)
    v = d.get("decisions", _NO)
    a3 = [] if v is _NO else _list_of_c_str(v)
    v = d.get("actions", _NO)
    a4 = [] if v is _NO else _list_of_action(v)
    v = d.get("note", _NO)
    a5 = None if v is _NO else _c_str(v)
    o = Meeting.__new__(Meeting)
    vars(o).update(
        {
            "on": a0,
            "kind": a1,
            "attendees": a2,
            "decisions": a3,
            "actions": a4,
            "note": a5,
        }
    )
    return o


class Action(_Row):
    """Lean twin of model.Action."""

    what: str
    owner: str | None
    due: _date | None
    done_on: _date | None


_ACTION_KEYS = frozenset(
    (
        "what",
        "owner",
        "due",
        "done_on",
    )
)


def _action(d: Any) -> Action:
    if type(d) is not dict or not _ACTION_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_str(d.get("what", _NO))
    v = d.get("owner", _NO)
    a1 = None if v is _NO else _c_str(v)
    v = d.get("due", _NO)
    a2 = None if v is _NO else _c_date(v)
    v = d.get("done_on", _NO)
    a3 = None if v is _NO else _c_date(v)
    o = Action.__new__(Action)
    vars(o).update(
        {
            "what": a0,
            "owner": a1,
            "due": a2,
            "done_on": a3,
        }
    )
    return o


class Booking(_Row):
    """Lean twin of model.Booking."""

    on: _date
    phase: str
    days: float
    note: str | None


_BOOKING_KEYS = frozenset(
    (
        "on",
        "phase",
        "days",
        "note",
    )
)


def _booking(d: Any) -> Booking:
    if type(d) is not dict or not _BOOKING_KEYS.issuperset(d):
        raise _UNSURE
    a0 = _c_date(d.get("on", _NO))
    a1 = _c_str(d.get("phase", _NO))
    v = d.get("days", _NO)
    if v is _NO:
        v = 1
    else:
        v = _c_float(v)
        v = _b.booking_days(v)
    a2 = v
    v = d.get("note", _NO)
    a3 = None if v is _NO else _c_str(v)
    o = Booking.__new__(Booking)
    vars(o).update(
        {
            "on": a0,
            "phase": a1,
            "days": a2,
            "note": a3,
        }
    )
    return o


def _deliverable_item(v: Any) -> str | Deliverable:
    # model._read_deliverable: a string, or a table read as a (strict) Deliverable.
    return v if type(v) is str else _deliverable(v)


def _list_of_action(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_action(x) for x in v]


def _list_of_booking(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_booking(x) for x in v]


def _list_of_c_str(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_c_str(x) for x in v]


def _list_of_deliverable_item(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_deliverable_item(x) for x in v]


def _list_of_enum_Weekday(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_enum_Weekday(x) for x in v]


def _list_of_irritant(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_irritant(x) for x in v]


def _list_of_kpi(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_kpi(x) for x in v]


def _list_of_measure(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_measure(x) for x in v]


def _list_of_meeting(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_meeting(x) for x in v]


def _list_of_objective(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_objective(x) for x in v]


def _list_of_period(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_period(x) for x in v]


def _list_of_person(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_person(x) for x in v]


def _list_of_phase(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_phase(x) for x in v]


def _list_of_process(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_process(x) for x in v]


def _list_of_signal(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_signal(x) for x in v]


def _list_of_transfer(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_transfer(x) for x in v]


def _list_of_waiver(v: Any) -> list[Any]:
    if type(v) is not list:
        raise _UNSURE
    return [_waiver(x) for x in v]


def read_plan(data: Any) -> Plan | None:
    """The plan, read by the lean twins, or None when pydantic must decide."""
    try:
        return _plan(data)
    except Exception:  # Unsure, a check's ValueError, or anything unforeseen
        return None
