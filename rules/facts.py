"""Plan + schedule + check date → the flat facts the rules compare, with derived fields.

A fact is a plain dict: ``fact`` (its kind), ``fact_id`` (unique within the plan:
``"process:purchasing"``, ``"governance"``, ``"signal:2"``), ``row`` (index of the row in
its array table, for rows) and its fields. A field whose value is unknown is absent,
never ``None``. Every derived field is computed here, in plain Python, so that rules only
compare one field of one fact with a constant: a relation between two records (does
this person exist? does this transfer happen before the final phase?) is a derived field.

`FACT_KINDS` describes every kind and field (type and meaning): packs are validated
against it and docs/rules.md lists it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from releve.planner.model import KpiCategory, PhaseKind, Plan
from releve.planner.schedule import Schedule

#: Keys every fact has that are not fields a rule may compare.
META_KEYS = ("fact", "fact_id", "row")

#: Field types, and the operators each allows (see docs/rules.md).
TYPES = ("str", "int", "float", "share", "bool", "date", "list")


@dataclass(frozen=True)
class FieldSpec:
    type: str  # one of TYPES
    doc: str  # one English line
    derived: bool = False


def _f(type_: str, doc: str) -> FieldSpec:
    return FieldSpec(type_, doc)


def _d(type_: str, doc: str) -> FieldSpec:
    return FieldSpec(type_, doc, derived=True)


_DECLARED = _d("bool", "the table is written in the plan")

#: kind -> field -> spec. The order is the order `releve rules facts` prints.
FACT_KINDS: dict[str, dict[str, FieldSpec]] = {
    "mission": {
        "id": _f("str", "mission id"),
        "title": _f("str", "mission title"),
        "start": _f("date", "first day of the mission"),
        "language": _f("str", "fr | en"),
        "status": _f("str", "planning | running | handed_over"),
        "started": _d("bool", "the mission start is on or before the check date"),
        "days_since_start": _d("int", "calendar days from the mission start to the check date"),
    },
    "company": {
        "declared": _DECLARED,
        "name": _f("str", "company name"),
        "sector": _f("str", "sector"),
        "headcount": _f("int", "people employed"),
        "revenue_keur": _f("float", "revenue in k€"),
        "country": _f("str", "country whose public holidays are non-working days"),
        "top_customer_share": _f("share", "share of revenue from the largest customer"),
        "recurring_revenue_share": _f("share", "share of recurring revenue"),
        "closures": _f("list", "company closures (count)"),
    },
    "exit": {
        "declared": _DECLARED,
        "kind": _f("str", "sale | fundraising | succession | none"),
        "target_date": _f("date", "the date the company must be ready"),
        "founder": _f("str", "person id of the owner"),
        "founder_exists": _d("bool", "`founder` names a person of the plan"),
        "days_to_target": _d("int", "calendar days from the check date to the target date"),
    },
    "coo": {
        "declared": _DECLARED,
        "name": _f("str", "the COO's name"),
        "firm": _f("str", "the COO's firm"),
        "workdays": _f("list", "days of the week the COO works for the company"),
        "workdays_per_week": _d("int", "number of workdays per week"),
        "contracted_days": _f("int", "COO days sold for the whole mission"),
        "leave": _f("list", "the COO's leave periods (count)"),
    },
    "scope": {
        "declared": _DECLARED,
        "role": _f("str", "the COO's role"),
        "delegation": _f("str", "advisor | co_pilot | delegated"),
        "responsibilities": _f("list", "the COO's responsibilities"),
        "internal_counterpart": _f("str", "person id of the internal relay"),
        "internal_counterpart_exists": _d("bool", "`internal_counterpart` names a person"),
        "successor": _f("str", "person id who carries the function after the handover"),
        "successor_exists": _d("bool", "`successor` names a person"),
        "successor_is_founder": _d("bool", "the successor is the founder"),
    },
    "governance": {
        "declared": _DECLARED,
        "reports_to": _f("str", "person id the COO reports to"),
        "reports_to_exists": _d("bool", "`reports_to` names a person"),
        "sponsor": _f("str", "person id who sponsors the mission"),
        "sponsor_exists": _d("bool", "`sponsor` names a person"),
        "sponsor_is_founder": _d(
            "bool", "the sponsor is the founder (present when both are known)"
        ),
        "codir_seat": _f("bool", "the COO sits on the executive committee"),
        "codir_member": _d("bool", "`codir_seat` is true (false when unset)"),
        "steering_every_days": _f("int", "cadence of the steering committee, in days"),
        "reporting": _f("str", "weekly | biweekly | monthly | quarterly"),
        "announced_on": _f("date", "the day the mission is announced to the teams"),
        "announce_delay_days": _d(
            "int", "calendar days from the mission start to the announcement"
        ),
    },
    "objective": {
        "id": _f("str", "objective id"),
        "stake": _f("str", "the stake the objective serves"),
        "statement": _f("str", "the objective in one sentence"),
        "kpi": _f("str", "id of the KPI that measures it"),
        "kpi_exists": _d("bool", "`kpi` names a KPI of the plan"),
    },
    "person": {
        "id": _f("str", "person id"),
        "name": _f("str", "name"),
        "role": _f("str", "role"),
        "founder": _f("bool", "marked founder in the plan"),
        "manager": _f("bool", "middle manager"),
        "key": _f("bool", "key person"),
        "backup": _f("str", "person id of the trained backup"),
        "backup_exists": _d("bool", "`backup` names a person"),
        "has_backup": _d("bool", "a backup who exists and is someone else"),
        "is_founder": _d("bool", "this person is the founder (exit.founder or founder = true)"),
    },
    "process": {
        "id": _f("str", "process id"),
        "name": _f("str", "name"),
        "critical": _f("bool", "critical process"),
        "owner": _f("str", "person id of the owner, or coo"),
        "owner_exists": _d("bool", "`owner` names a person"),
        "backup": _f("str", "person id of the backup"),
        "backup_exists": _d("bool", "`backup` names a person"),
        "has_backup": _d("bool", "a backup who exists and is not the owner"),
        "documentation": _f("int", "0 none · 1 oral · 2 partial · 3 written · 4 written and used"),
        "automation": _f("int", "0 none … 4 fully automated"),
        "owned_by_founder": _d("bool", "the owner is the founder"),
        "owned_by_coo": _d("bool", 'the owner is the COO (`owner = "coo"`)'),
        "has_transfer": _d("bool", "a transfer names this process"),
    },
    "phase": {
        "id": _f("str", "phase id"),
        "kind": _f("str", "flash_audit | diagnostic | project | handover"),
        "name": _f("str", "name"),
        "after": _f("list", "phases that must be finished first"),
        "not_before": _f("date", "cannot start earlier"),
        "effort_days": _f("int", "COO days of work"),
        "deliverables": _f("list", "deliverables"),
        "gate": _f("str", "codir | sponsor | none"),
        "priority": _f("int", "scheduling priority"),
        "scheduled": _d("bool", "the planner gave the phase dates"),
        "start": _d("date", "first booked day"),
        "end": _d("date", "last booked day"),
        "slack_days": _d("int", "working days of slack"),
        "on_critical_path": _d("bool", "zero slack"),
        "is_final": _d("bool", "the final phase: the handover that ends last"),
        "out_of_order": _d(
            "bool", "starts before a phase of an earlier kind ends (present when scheduled)"
        ),
        "out_of_order_after": _d("str", "the earlier-kind phase it overlaps"),
    },
    "transfer": {
        "id": _f("str", "transfer id"),
        "topic": _f("str", "what is handed over"),
        "process": _f("str", "process id"),
        "process_exists": _d("bool", "`process` names a process"),
        "from": _f("str", "person id, or coo"),
        "to": _f("str", "person id who takes it over"),
        "to_exists": _d("bool", "`to` names a person"),
        "to_is_founder": _d("bool", "`to` is the founder"),
        "to_is_manager": _d("bool", "`to` is a middle manager"),
        "phase": _f("str", "phase id in which it happens"),
        "phase_exists": _d("bool", "`phase` names a phase"),
        "method": _f("str", "documentation | shadowing | training | solo_run | sign_off"),
        "status": _f("str", "planned | in_progress | done"),
        "phase_start": _d("date", "scheduled start of its phase"),
        "phase_end": _d("date", "scheduled end of its phase"),
        "before_final": _d("bool", "its phase ends before the final phase starts"),
        "is_first": _d("bool", "its phase starts first among the transfers' phases"),
        "after_diagnostic": _d("bool", "its phase starts after the (last) diagnostic ends"),
    },
    "kpi": {
        "id": _f("str", "KPI id"),
        "category": _f("str", "KPI category"),
        "name": _f("str", "name"),
        "unit": _f("str", "unit"),
        "baseline": _f("float", "value at the start"),
        "target": _f("float", "value aimed at"),
        "direction": _f("str", "up | down"),
        "source": _f("str", "where the figure comes from"),
        "owner": _f("str", "who produces it"),
        "owner_exists": _d("bool", "`owner` names a person"),
        "history": _f("list", "measures (count)"),
        "last_measure_on": _d("date", "date of the latest measure"),
        "last_value": _d("float", "latest measured value"),
    },
    "signal": {
        "on": _f("date", "the day it was noticed"),
        "kind": _f("str", "team_involvement | informal_feedback | persistent_irritant | …"),
        "level": _f("int", "1 low · 2 medium · 3 high"),
        "note": _f("str", "what was noticed"),
        "age_days": _d("int", "calendar days from the signal to the check date"),
        "strong_rank": _d(
            "int",
            "1 for the latest signal of level 2+ on or before the check date, 2 for the one "
            "before, …",
        ),
    },
    "irritant": {
        "id": _f("str", "irritant id"),
        "title": _f("str", "title"),
        "opened": _f("date", "opened on"),
        "owner": _f("str", "who handles it"),
        "closed": _f("date", "closed on"),
        "is_open": _d("bool", "opened on or before the check date and not closed by then"),
        "open_days": _d("int", "calendar days open as of the check date (open irritants)"),
    },
    "waiver": {
        "rule": _f("str", "the rule code it waives"),
        "target": _f("str", "the one finding target it covers"),
        "reason": _f("str", "why the finding is accepted"),
        "owner": _f("str", "who accepted it"),
        "expires": _f("date", "last day it waives"),
        "complete": _d("bool", "rule, reason, owner and expires are all given"),
        "expired": _d("bool", "the check date is after `expires`"),
        "expires_in_days": _d("int", "calendar days from the check date to `expires`"),
        "used": _d("bool", "it waives at least one finding (set after the first pass)"),
    },
    "schedule": {
        "ok": _d("bool", "the planner scheduled every phase"),
        "problems": _d("str", "the planner's problems, one per sentence"),
        "problem_count": _d("int", "number of problems"),
        "start": _d("date", "mission start"),
        "end": _d("date", "last booked day"),
        "coo_days": _d("int", "COO days booked"),
        "target_date": _d("date", "exit.target_date"),
        "meets_target": _d("bool", "the schedule ends on or before the target date"),
        "days_late": _d("int", "calendar days from the target date to the scheduled end"),
        "contracted_days": _d("int", "coo.contracted_days"),
        "over_contract_days": _d("int", "COO days booked beyond the contract"),
        "phase_count": _d("int", "phases in the plan"),
        "final_phase": _d("str", "id of the final phase"),
    },
    "metrics": {
        "critical_processes": _d("int", "critical processes"),
        "founder_critical": _d("int", "critical processes owned by the founder, no backup"),
        "founder_critical_share": _d(
            "share", "founder_critical ÷ critical_processes (present when there is one)"
        ),
        "founder": _d("str", "the founder's person id"),
        "person_count": _d("int", "people in the plan"),
        "manager_count": _d("int", "middle managers"),
        "key_person_count": _d("int", "key people"),
        "objective_count": _d("int", "objectives"),
        "kpi_count": _d("int", "KPIs"),
        "transfer_count": _d("int", "transfers"),
        "signal_count": _d("int", "signals logged"),
        "open_irritants": _d("int", "irritants open as of the check date"),
    },
    "phase_kind": {
        "name": _d("str", "flash_audit | diagnostic | project | handover"),
        "count": _d("int", "phases of that kind"),
        "required": _d("bool", "a mission needs one (flash_audit, diagnostic, handover)"),
    },
    "kpi_category": {
        "name": _d("str", "a KPI category"),
        "count": _d("int", "KPIs of that category"),
        "expected": _d("bool", "one of the article's seven KPI families"),
    },
}

#: The array table a kind's facts come from (for Finding.row and plan paths).
ROW_KINDS = (
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
REQUIRED_PHASE_KINDS = ("flash_audit", "diagnostic", "handover")
EXPECTED_KPI_CATEGORIES = (
    "operating_margin",
    "productivity",
    "lead_time",
    "irritants",
    "customer_satisfaction",
    "manager_skills",
    "process_maturity",
)


_SCALARS = (str, int, float, bool)


def _value(v: Any) -> Any:
    """A model value as a fact value: enums → str, dates kept, lists of scalars."""
    if v is None or type(v) in _SCALARS:
        return v
    if isinstance(v, StrEnum):
        return str(v.value)
    if isinstance(v, list):
        return [_value(x) for x in v]
    return v


def _put(fact: dict[str, Any], key: str, value: Any) -> None:
    """Set a field unless its value is unknown (facts never hold None)."""
    if value is not None:
        fact[key] = value


def _copy_fields(fact: dict[str, Any], model: Any, fields: tuple[str, ...]) -> None:
    d = model.__dict__  # pydantic v2 keeps field values there: faster than getattr
    for name in fields:
        v = d["from_" if name == "from" else name]
        if v is None:
            continue
        fact[name] = v if type(v) in _SCALARS else _value(v)


def _table_fact(kind: str, table: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    fact: dict[str, Any] = {"fact": kind, "fact_id": kind}
    if kind != "mission":
        fact["declared"] = table is not None
    if table is not None:
        _copy_fields(fact, table, fields)
    return fact


def _row_fact(kind: str, index: int, row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    rid = row.__dict__.get("id")
    fact: dict[str, Any] = {
        "fact": kind,
        "fact_id": f"{kind}:{rid}" if rid else f"{kind}:{index + 1}",
        "row": index,
    }
    _copy_fields(fact, row, fields)
    return fact


def _plain_fields(kind: str) -> tuple[str, ...]:
    return _PLAIN[kind]


_PLAIN = {k: tuple(n for n, s in spec.items() if not s.derived) for k, spec in FACT_KINDS.items()}
_RANK = {k: i for i, k in enumerate(PhaseKind)}


def _nonempty(v: str | None) -> bool:
    return bool(v and v.strip())


def final_phase_id(plan: Plan, schedule: Schedule) -> str | None:
    """The final phase: the handover phase that ends last (plan order breaks ties); an
    unscheduled handover counts when no handover is scheduled."""
    handovers = [p for p in plan.phase if p.kind == PhaseKind.handover]
    if not handovers:
        return None
    scheduled = [p for p in handovers if p.id in schedule.phases]
    if not scheduled:
        return handovers[-1].id
    best = scheduled[0]
    for p in scheduled[1:]:
        if schedule.phases[p.id].end >= schedule.phases[best.id].end:
            best = p
    return best.id


def build_facts(plan: Plan, schedule: Schedule, as_of: dt.date) -> list[dict[str, Any]]:  # noqa: C901
    """The facts of one plan, in a stable order, each with a unique ``fact_id``."""
    people = {p.id: p for p in plan.person}
    phases = {p.id: p for p in plan.phase}
    kpis = {k.id for k in plan.kpi}
    processes = {p.id for p in plan.process}
    founder = plan.founder_id()
    facts: list[dict[str, Any]] = []

    def exists(ref: str | None, ids: Any) -> bool | None:
        return (ref in ids) if _nonempty(ref) else None

    # --- single tables -----------------------------------------------------------------
    m = plan.mission
    mission = _table_fact("mission", m, _plain_fields("mission"))
    mission["started"] = m.start <= as_of
    mission["days_since_start"] = (as_of - m.start).days
    facts.append(mission)

    facts.append(_table_fact("company", plan.company, _plain_fields("company")))
    if plan.company is not None:
        facts[-1]["closures"] = [f"{c.from_}..{c.to}" for c in plan.company.closures]

    ex = _table_fact("exit", plan.exit, _plain_fields("exit"))
    if plan.exit is not None:
        _put(ex, "founder_exists", exists(plan.exit.founder, people))
        if plan.exit.target_date is not None:
            ex["days_to_target"] = (plan.exit.target_date - as_of).days
    facts.append(ex)

    coo = _table_fact("coo", plan.coo, _plain_fields("coo"))
    if plan.coo is not None:
        coo["workdays_per_week"] = len(plan.coo.workdays)
        coo["leave"] = [f"{p.from_}..{p.to}" for p in plan.coo.leave]
    facts.append(coo)

    sc = _table_fact("scope", plan.scope, _plain_fields("scope"))
    if plan.scope is not None:
        s = plan.scope
        _put(sc, "internal_counterpart_exists", exists(s.internal_counterpart, people))
        _put(sc, "successor_exists", exists(s.successor, people))
        if _nonempty(s.successor):
            sc["successor_is_founder"] = founder is not None and s.successor == founder
    facts.append(sc)

    gv = _table_fact("governance", plan.governance, _plain_fields("governance"))
    g = plan.governance
    gv["codir_member"] = bool(g is not None and g.codir_seat is True)
    if g is not None:
        _put(gv, "reports_to_exists", exists(g.reports_to, people))
        _put(gv, "sponsor_exists", exists(g.sponsor, people))
        if _nonempty(g.sponsor) and founder is not None:
            gv["sponsor_is_founder"] = g.sponsor == founder
        if g.announced_on is not None:
            gv["announce_delay_days"] = (g.announced_on - m.start).days
    facts.append(gv)

    # --- rows --------------------------------------------------------------------------
    for i, o in enumerate(plan.objective):
        f = _row_fact("objective", i, o, _plain_fields("objective"))
        _put(f, "kpi_exists", exists(o.kpi, kpis))
        facts.append(f)

    for i, p in enumerate(plan.person):
        f = _row_fact("person", i, p, _plain_fields("person"))
        _put(f, "backup_exists", exists(p.backup, people))
        f["has_backup"] = bool(_nonempty(p.backup) and p.backup in people and p.backup != p.id)
        f["is_founder"] = founder is not None and p.id == founder
        facts.append(f)

    transferred = {t.process for t in plan.transfer if _nonempty(t.process)}
    critical = founder_critical = 0
    for i, pr in enumerate(plan.process):
        f = _row_fact("process", i, pr, _plain_fields("process"))
        _put(f, "owner_exists", exists(pr.owner, people))
        _put(f, "backup_exists", exists(pr.backup, people))
        has_backup = bool(_nonempty(pr.backup) and pr.backup in people and pr.backup != pr.owner)
        f["has_backup"] = has_backup
        f["owned_by_founder"] = founder is not None and pr.owner == founder
        f["owned_by_coo"] = pr.owner == "coo"
        f["has_transfer"] = pr.id in transferred
        if pr.critical:
            critical += 1
            if f["owned_by_founder"] and not has_backup:
                founder_critical += 1
        facts.append(f)

    slots = schedule.phases
    final_id = final_phase_id(plan, schedule)
    final_slot = slots.get(final_id) if final_id else None
    ranks = [_RANK[p.kind] for p in plan.phase]
    # Latest end among scheduled phases of a lower rank: a phase is out of order when it
    # starts on or before it (then the first such phase in plan order is named).
    latest_below = [None] * (len(_RANK) + 1)
    for r in range(1, len(_RANK) + 1):
        ends = [
            slots[p.id].end
            for p, pr in zip(plan.phase, ranks, strict=True)
            if pr == r - 1 and p.id in slots
        ]
        prev = latest_below[r - 1]
        cands = ends + ([prev] if prev is not None else [])
        latest_below[r] = max(cands) if cands else None
    for i, ph in enumerate(plan.phase):
        f = _row_fact("phase", i, ph, _PLAIN["phase"])
        slot = slots.get(ph.id)
        f["scheduled"] = slot is not None
        f["is_final"] = ph.id == final_id
        if slot is not None:
            f["start"], f["end"] = slot.start, slot.end
            f["slack_days"] = slot.slack_days
            f["on_critical_path"] = slot.critical
            rank, latest = ranks[i], latest_below[ranks[i]]
            late = latest is not None and slot.start <= latest
            f["out_of_order"] = late
            if late:
                f["out_of_order_after"] = next(
                    q.id
                    for q, qr in zip(plan.phase, ranks, strict=True)
                    if qr < rank and q.id in slots and slot.start <= slots[q.id].end
                )
        facts.append(f)

    diag_ends = [
        slots[p.id].end for p in plan.phase if p.kind == PhaseKind.diagnostic and p.id in slots
    ]
    last_diag_end = max(diag_ends) if diag_ends else None
    t_starts = [slots[t.phase].start for t in plan.transfer if t.phase in slots]
    first_start = min(t_starts) if t_starts else None
    first_done = False
    for i, t in enumerate(plan.transfer):
        f = _row_fact("transfer", i, t, _plain_fields("transfer"))
        _put(f, "process_exists", exists(t.process, processes))
        _put(f, "to_exists", exists(t.to, people))
        if _nonempty(t.to):
            f["to_is_founder"] = founder is not None and t.to == founder
            f["to_is_manager"] = bool(t.to in people and people[t.to].manager)
        _put(f, "phase_exists", exists(t.phase, phases))
        slot = slots.get(t.phase) if t.phase else None
        if slot is not None:
            f["phase_start"], f["phase_end"] = slot.start, slot.end
            f["before_final"] = bool(
                final_slot is not None and t.phase != final_id and slot.end < final_slot.start
            )
            # The first transfer: the earliest phase start, the first such row in plan order.
            f["is_first"] = not first_done and slot.start == first_start
            first_done = first_done or f["is_first"]
            if last_diag_end is not None:
                f["after_diagnostic"] = slot.start > last_diag_end
        else:
            f["before_final"] = False
        facts.append(f)

    for i, k in enumerate(plan.kpi):
        f = _row_fact("kpi", i, k, _plain_fields("kpi"))
        f["history"] = [f"{h.on}: {h.value:g}" for h in k.history]
        _put(f, "owner_exists", exists(k.owner, people))
        past = [h for h in k.history if h.on <= as_of]
        if past:
            last = max(past, key=lambda h: h.on)
            f["last_measure_on"], f["last_value"] = last.on, last.value
        facts.append(f)

    strong = sorted(
        (i for i, s in enumerate(plan.signal) if s.level >= 2 and s.on <= as_of),
        key=lambda i: (plan.signal[i].on, i),
        reverse=True,
    )
    rank = {i: r + 1 for r, i in enumerate(strong)}
    for i, s in enumerate(plan.signal):
        f = _row_fact("signal", i, s, _plain_fields("signal"))
        f["age_days"] = (as_of - s.on).days
        _put(f, "strong_rank", rank.get(i))
        facts.append(f)

    open_irritants = 0
    for i, ir in enumerate(plan.irritant):
        f = _row_fact("irritant", i, ir, _plain_fields("irritant"))
        is_open = (
            ir.opened is not None
            and ir.opened <= as_of
            and (ir.closed is None or ir.closed > as_of)
        )
        f["is_open"] = is_open
        if is_open:
            assert ir.opened is not None
            f["open_days"] = (as_of - ir.opened).days
            open_irritants += 1
        facts.append(f)

    for i, w in enumerate(plan.waiver):
        f = _row_fact("waiver", i, w, _plain_fields("waiver"))
        f.pop("used", None)
        f["complete"] = all(_nonempty(x) for x in (w.rule, w.reason, w.owner)) and (
            w.expires is not None
        )
        if w.expires is not None:
            f["expired"] = as_of > w.expires
            f["expires_in_days"] = (w.expires - as_of).days
        facts.append(f)

    # --- whole-plan facts ---------------------------------------------------------------
    sched: dict[str, Any] = {"fact": "schedule", "fact_id": "schedule"}
    sched["ok"] = schedule.ok
    if schedule.problems:
        sched["problems"] = " ".join(p.message for p in schedule.problems)
    sched["problem_count"] = len(schedule.problems)
    sched["start"] = schedule.start
    _put(sched, "end", schedule.end)
    sched["coo_days"] = schedule.coo_days
    target = plan.exit.target_date if plan.exit else None
    _put(sched, "target_date", target)
    # A schedule with problems is partial: its end says nothing about the deadline.
    if target is not None and schedule.end is not None and schedule.ok:
        sched["meets_target"] = schedule.end <= target
        sched["days_late"] = max(0, (schedule.end - target).days)
    contracted = plan.coo.contracted_days if plan.coo else None
    if contracted is not None:
        sched["contracted_days"] = contracted
        sched["over_contract_days"] = max(0, schedule.coo_days - contracted)
    sched["phase_count"] = len(plan.phase)
    _put(sched, "final_phase", final_id)
    facts.append(sched)

    metrics: dict[str, Any] = {"fact": "metrics", "fact_id": "metrics"}
    metrics["critical_processes"] = critical
    metrics["founder_critical"] = founder_critical
    if critical:
        metrics["founder_critical_share"] = founder_critical / critical
    _put(metrics, "founder", founder)
    metrics["person_count"] = len(plan.person)
    metrics["manager_count"] = sum(1 for p in plan.person if p.manager)
    metrics["key_person_count"] = sum(1 for p in plan.person if p.key)
    metrics["objective_count"] = len(plan.objective)
    metrics["kpi_count"] = len(plan.kpi)
    metrics["transfer_count"] = len(plan.transfer)
    metrics["signal_count"] = len(plan.signal)
    metrics["open_irritants"] = open_irritants
    facts.append(metrics)

    for kind in PhaseKind:
        facts.append(
            {
                "fact": "phase_kind",
                "fact_id": f"phase_kind:{kind.value}",
                "name": kind.value,
                "count": sum(1 for p in plan.phase if p.kind == kind),
                "required": kind.value in REQUIRED_PHASE_KINDS,
            }
        )
    for cat in KpiCategory:
        facts.append(
            {
                "fact": "kpi_category",
                "fact_id": f"kpi_category:{cat.value}",
                "name": cat.value,
                "count": sum(1 for k in plan.kpi if k.category == cat),
                "expected": cat.value in EXPECTED_KPI_CATEGORIES,
            }
        )
    return facts
