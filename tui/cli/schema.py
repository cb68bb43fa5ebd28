"""`releve schema`: the JSON Schema of the plan file, for editors that complete TOML from a schema."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

HELP = "print the JSON Schema of the plan file (for editors that complete TOML)"
DESCRIPTION = (
    "Print the JSON Schema (draft 2020-12) of the mission plan file, format 1, with a "
    "description of every table and key. Editors that complete TOML from a schema (e.g. "
    "Taplo / Even Better TOML) use it for completion, hover help and checks while typing."
)

#: Shown by editors on hover: one line per table and key (mission-format.md).
TABLES: dict[str, str] = {
    "format": "Version of the plan file format; this releve reads format 1.",
    "mission": "The mission: the only table a plan cannot do without.",
    "company": "The company the outsourced COO works for.",
    "exit": "The exit the mission prepares (sale, fundraising, succession).",
    "coo": "The outsourced COO: who, which weekdays, how many days sold, leave.",
    "scope": "What the COO is in charge of, and who carries it afterwards.",
    "governance": "Reporting line, sponsor, steering committee and announcement.",
    "objective": "Objectives of the mission, each with its stake and KPI.",
    "person": "People of the company (the COO is not a person here).",
    "process": "Processes of the company: owner, backup, documentation, automation.",
    "phase": "Phases of the mission; dates come from the planner, never from the file.",
    "transfer": "Knowledge transfers: a topic handed from someone to an internal person.",
    "kpi": "Key performance indicators, with baseline, target and history.",
    "signal": "Weak signals noticed on the ground (involvement, feedback, irritants).",
    "irritant": "Irritants raised by the teams, opened and (maybe) closed.",
    "waiver": "A rule's finding accepted on purpose, with a reason, an owner and an expiry.",
    "rules": "Firm rule packs applied over the default pack.",
    "meeting": "The mission log: a meeting held (steering, Codir…), its decisions and actions.",
    "booking": "The mission log: a day (or part of one) the COO worked on a phase.",
}

KEYS: dict[str, dict[str, str]] = {
    "MissionInfo": {
        "id": "Slug naming the mission, unique in your portfolio (e.g. durand-2027).",
        "title": "Title of the mission.",
        "start": "First day of the mission (a TOML date: 2027-01-04).",
        "language": "Language of findings and reports: fr or en.",
        "status": "planning, running or handed_over.",
    },
    "Company": {
        "name": "Company name.",
        "sector": "Sector of activity.",
        "headcount": "Number of employees.",
        "revenue_keur": "Yearly revenue in thousands of euros.",
        "country": "ISO country code: its public holidays are non-working days.",
        "top_customer_share": "Share of revenue from the largest customer (0 to 1).",
        "top_supplier_share": "Share of purchases from the largest supplier (0 to 1).",
        "recurring_revenue_share": "Share of recurring revenue (0 to 1).",
        "closures": "Periods when the company is closed (nobody works).",
    },
    "Exit": {
        "kind": "sale, fundraising, succession or none.",
        "target_date": "The date the company must be ready (e.g. the data room opens).",
        "founder": "Person id of the owner whose dependence is measured.",
    },
    "Coo": {
        "name": "The COO's name.",
        "email": "The COO's e-mail address: the same person across missions (releve portfolio).",
        "firm": "The COO's firm.",
        "workdays": "Weekdays the COO works for this company: mon … sun.",
        "contracted_days": "COO days sold for the whole mission.",
        "leave": "The COO's leave periods.",
    },
    "Scope": {
        "role": "The COO's role title.",
        "delegation": "advisor, co_pilot or delegated.",
        "responsibilities": "What the COO is in charge of.",
        "internal_counterpart": "Person id of the internal relay who works beside the COO.",
        "successor": "Person id of who carries the function after the handover.",
    },
    "Governance": {
        "reports_to": "Person id the COO reports to.",
        "sponsor": "Person id who sponsors the mission in front of the teams.",
        "codir_seat": "Whether the COO sits on the executive committee (Codir).",
        "steering_every_days": "Cadence of the steering committee, in days.",
        "reporting": "weekly, biweekly, monthly or quarterly.",
        "announced_on": "The day the mission is announced to the teams.",
    },
    "Rules": {"packs": "Firm rule pack files, relative to this plan file."},
    "Objective": {
        "id": "Slug unique among objectives.",
        "stake": "What the objective is about.",
        "statement": "The objective in one sentence.",
        "kpi": "KPI id that measures it.",
    },
    "Person": {
        "id": "Slug unique among people; other tables refer to it.",
        "name": "Full name.",
        "role": "Role in the company.",
        "founder": "The owner (same fact as [exit].founder).",
        "manager": "A middle manager.",
        "key": "A key person: the company would suffer without them.",
        "backup": "Person id of the trained backup.",
    },
    "Process": {
        "id": "Slug unique among processes.",
        "name": "Name of the process.",
        "critical": "A critical process.",
        "owner": "Person id who runs it.",
        "backup": "Person id who can run it without the owner (empty: nobody).",
        "backup_trained": "The backup is trained and can run the process today.",
        "documentation": "0 none, 1 oral only, 2 partial, 3 written, 4 written and used.",
        "automation": "0 none … 4 fully automated.",
    },
    "Phase": {
        "id": "Slug unique among phases.",
        "kind": "flash_audit, diagnostic, project or handover (in that order).",
        "name": "Name of the phase.",
        "after": "Phase ids that must be finished first.",
        "not_before": "Cannot start earlier than this date (a constraint, not a date).",
        "effort_days": "COO days of work.",
        "deliverables": "What the phase delivers.",
        "gate": "Who reviews the phase's end: codir, sponsor or none.",
        "priority": "Higher is scheduled first (default: all equal).",
        "done_on": "The mission log: the day the phase was finished (its gate passed).",
    },
    "Deliverable": {
        "name": "What is delivered.",
        "delivered_on": "The day it was delivered (absent: not yet).",
        "accepted_by": "Person id who accepted it (the phase's reviewer).",
    },
    "Booking": {
        "on": "The day worked (a working day of the COO).",
        "phase": "Phase id the day was spent on.",
        "days": "Part of the day: 1 (default) or less, e.g. 0.5.",
        "note": "What was done.",
    },
    "Meeting": {
        "on": "The day the meeting was held.",
        "kind": "steering, codir, owner or team.",
        "attendees": "Person ids of who attended.",
        "decisions": "What was decided.",
        "actions": "Actions decided: what, owner, due, done_on.",
        "note": "Anything else worth keeping.",
    },
    "Action": {
        "what": "The action.",
        "owner": "Person id (or coo) who carries it.",
        "due": "The day it is due.",
        "done_on": "The day it was done (absent: still open).",
    },
    "Transfer": {
        "id": "Slug unique among transfers.",
        "topic": "What is handed over.",
        "process": "Process id it concerns (optional).",
        "from": 'Person id who hands it over, or "coo".',
        "to": "Person id of the internal person who takes it over.",
        "phase": "Phase id in which the transfer happens.",
        "method": "documentation, shadowing, training, solo_run or sign_off.",
        "status": "planned, in_progress or done.",
        "done_on": "The mission log: the day the transfer was done.",
    },
    "Kpi": {
        "id": "Slug unique among KPIs.",
        "category": "What the KPI measures.",
        "name": "Name of the KPI.",
        "unit": "Unit (%, days, k€…).",
        "baseline": "Value at the start of the mission.",
        "target": "Value aimed at.",
        "direction": "up or down: which way is better.",
        "source": "Where the value comes from.",
        "owner": "Person id who reports it.",
        "history": "Measured values over time.",
    },
    "Signal": {
        "on": "Day the signal was noticed.",
        "kind": "What kind of weak signal.",
        "level": "1 low, 2 medium, 3 high.",
        "note": "What was noticed.",
    },
    "Irritant": {
        "id": "Slug unique among irritants.",
        "title": "The irritant in a few words.",
        "opened": "Day it was raised.",
        "owner": "Person id who handles it.",
        "closed": "Day it was solved (absent: still open).",
    },
    "Waiver": {
        "rule": "Code of the rule whose finding is accepted (e.g. EXT003).",
        "target": "The one object the waiver covers (e.g. process:purchasing); absent: all.",
        "reason": "Why the finding is accepted.",
        "owner": "Who accepted it.",
        "expires": "Day the waiver stops waiving.",
    },
    "Period": {
        "from": "First day (included).",
        "to": "Last day (included).",
        "reason": "Why (e.g. Fermeture estivale).",
    },
    "Measure": {"on": "Day of the measure.", "value": "Measured value."},
}


def _no_null(prop: dict[str, Any]) -> None:
    """TOML has no null: an optional key is one that may be left out, not set to null."""
    options = prop.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        del prop["anyOf"]
        if len(rest) == 1:
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest
        if prop.get("default", 0) is None:
            del prop["default"]


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of a plan file, with a description on every table and key."""
    from releve.planner.model import FORMAT, Plan

    schema = Plan.model_json_schema(by_alias=True)
    for name, definition in schema.get("$defs", {}).items():
        for key, prop in definition.get("properties", {}).items():
            _no_null(prop)
            text = KEYS.get(name, {}).get(key)
            if text and "description" not in prop:
                prop["description"] = text
    for key, prop in schema.get("properties", {}).items():
        _no_null(prop)
        if key in TABLES:
            prop["description"] = TABLES[key]
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"releve mission plan (format {FORMAT})",
        "description": (
            "One outsourced-COO mission at one company, in TOML. Only [mission] is "
            "required; a missing table is a finding of `releve check`, not an error."
        ),
    }
    schema.pop("title", None)
    schema.pop("description", None)
    fmt = schema.get("properties", {}).get("format")
    if fmt is not None:
        # The loader reads exactly this format; editors should flag any other.
        fmt["const"] = FORMAT
    return {**head, **schema}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="write the schema to FILE instead of printing it",
    )


def run(args: argparse.Namespace) -> int:
    text = json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        from pathlib import Path

        from releve.planner.errors import LocatedError

        out = Path(args.output)
        if out.suffix.lower() == ".toml" and out.exists():
            raise LocatedError(
                "refusing to overwrite a TOML file with the schema; choose a .json name",
                path=str(out),
            )
        from releve.planner.store.atomic import write_atomic

        write_atomic(out, text.encode("utf-8"), shown=args.output)
    else:
        sys.stdout.write(text)
    return 0
