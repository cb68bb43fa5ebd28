"""The kinds of fact and their fields: what rules may compare (rules.facts builds them).

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

from releve.planner.records import record

#: Keys every fact has that are not fields a rule may compare.
META_KEYS = ("fact", "fact_id", "row")

#: Field types, and the operators each allows (see docs/rules.md).
TYPES = ("str", "int", "float", "share", "bool", "date", "list")


@record
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
        "first_phase_started": _d(
            "bool", "the schedule's first day is on or before the check date (when scheduled)"
        ),
        "past_scheduled_end": _d(
            "bool", "the check date is after the schedule's last day (when scheduled)"
        ),
    },
    "company": {
        "declared": _DECLARED,
        "name": _f("str", "company name"),
        "sector": _f("str", "sector"),
        "headcount": _f("int", "people employed"),
        "revenue_keur": _f("float", "revenue in k€"),
        "country": _f("str", "country whose public holidays are non-working days"),
        "top_customer_share": _f("share", "share of revenue from the largest customer"),
        "top_supplier_share": _f("share", "share of purchases from the largest supplier"),
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
        "backup_trained": _f("bool", "the backup is trained (can run it today)"),
        "backup_ready": _d(
            "bool",
            "has_backup, and the backup is trained or a transfer of this process to them is done",
        ),
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
        "done": _d("bool", "status is done"),
        "overdue": _d("bool", "not done and its phase ended before the check date"),
        "mission_handed_over": _d("bool", "the mission's status is handed_over"),
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
        "sign": _d(
            "int", "1 when up is better, -1 when down is (direction, else baseline → target)"
        ),
        "met": _d("bool", "the latest measure reaches the target"),
        "expected_value": _d(
            "float",
            "the straight path from baseline (mission start) to target (exit target date) at "
            "the latest measure's date",
        ),
        "path_gap": _d(
            "float",
            "how far the latest measure is behind that path, as a share of baseline → target "
            "(0 on the path, negative ahead of it)",
        ),
        "wrong_way": _d(
            "bool", "the latest measure is worse than the one before (or than the baseline)"
        ),
        "days_since_measure": _d(
            "int", "days from the latest measure (else the mission start) to the check date"
        ),
        "mission_running": _d("bool", "the mission's status is running"),
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
        "has_owner": _d("bool", "`owner` is given"),
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
        "founder_critical": _d(
            "int",
            "critical processes owned by the founder (or whose owner is not given) with no "
            "ready backup",
        ),
        "founder_critical_share": _d(
            "share",
            "founder_critical ÷ critical_processes (present when there is one and the founder "
            "is known)",
        ),
        "founder_critical_share_min4": _d(
            "share",
            "founder_critical ÷ the larger of critical_processes and 4 (a small count weighs "
            "less: 1 of 2 is 0.25, 3 of 10 is 0.3)",
        ),
        "relay": _d(
            "str",
            "the person other than the founder who runs or is the ready backup of most "
            "critical processes",
        ),
        "relay_name": _d("str", "the relay's name (else id)"),
        "relay_backups": _d("int", "critical processes the relay owns or is the ready backup of"),
        "relay_share": _d("share", "relay_backups ÷ the larger of critical_processes and 4"),
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
    "placeholder": {
        "field": _d("str", "the plan key still holding the template's example: company.name"),
        "table": _d("str", "its table: company, person, process…"),
        "key": _d("str", "its key in the table: name"),
        "row_id": _d("str", "the id of its row (rows only)"),
        "value": _d("str", "the example value left in the plan"),
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
