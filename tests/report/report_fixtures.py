"""A hand-made plan, schedule and check result for the report tests (no planner or engine
needed): every section of the report has something to show, with known values."""

from __future__ import annotations

import datetime as dt
import tomllib

from releve.planner.model import Plan
from releve.planner.schedule import PhaseSlot, ProblemKind, Schedule, ScheduleProblem
from releve.rules.result import Cap, CheckResult, Finding, RuleCost, Score, Severity
from releve.tui.report import OffPeriod, Report

AS_OF = dt.date(2027, 3, 1)

PLAN_TOML = """
format = 1
[mission]
id = "demo-2027"
title = "Outsourced operations — Demo Ltd"
start = 2027-01-04
language = "en"
status = "running"

[company]
name = "Demo Ltd"
sector = "Precision machining"
headcount = 30
closures = [{ from = 2027-05-03, to = 2027-05-07, reason = "Spring closure" }]

[exit]
kind = "sale"
target_date = 2027-06-30
founder = "ann"

[coo]
name = "Paul Smith"
firm = "Relay Partners"
workdays = ["mon", "tue"]
contracted_days = 40
leave = [{ from = 2027-03-08, to = 2027-03-12, reason = "Ski week" }]

[scope]
successor = "bob"

[[person]]
id = "ann"
name = "Ann Archer"
founder = true

[[person]]
id = "bob"
name = "Bob Baker"
key = true
backup = "carl"

[[person]]
id = "carl"
name = "Carl Cole"

[[person]]
id = "dana"
name = "Dana Dale"

[[process]]
id = "sales"
name = "Key account sales"
critical = true
owner = "ann"
documentation = 1
automation = 0

[[process]]
id = "billing"
name = "Billing"
critical = true
owner = "bob"
backup = "carl"
documentation = 3
automation = 2

[[process]]
id = "stock"
name = "Stock control"
critical = true
owner = "ann"
backup = "dana"
documentation = 2
automation = 1

[[process]]
id = "cleaning"
name = "Cleaning rota"
owner = "dana"

[[phase]]
id = "audit"
kind = "flash_audit"
name = "Flash audit"
effort_days = 4

[[phase]]
id = "diag"
kind = "diagnostic"
name = "Diagnostic"
after = ["audit"]
effort_days = 4

[[phase]]
id = "sales-project"
kind = "project"
name = "Sales without the founder"
after = ["diag"]
effort_days = 6

[[phase]]
id = "signing"
kind = "project"
name = "Mandate signed"
after = ["diag"]
effort_days = 0

[[phase]]
id = "handover"
kind = "handover"
name = "Handover"
after = ["sales-project"]
effort_days = 4

[[transfer]]
id = "sales"
topic = "Run key accounts"
process = "sales"
from = "ann"
to = "carl"
phase = "sales-project"
method = "training"
status = "in_progress"

[[transfer]]
id = "dashboard"
topic = "Keep the board dashboard"
from = "coo"
to = "bob"
phase = "handover"
method = "sign_off"

[[transfer]]
id = "stock"
topic = "Stock counts"
from = "ann"
to = "dana"
phase = "diag"
method = "documentation"
status = "done"

[[kpi]]
id = "margin"
category = "operating_margin"
name = "Operating margin"
unit = "%"
baseline = 6.5
target = 9.0
direction = "up"
source = "Monthly accounts"
owner = "ann"
history = [{ on = 2027-01-31, value = 6.4 }, { on = 2027-02-28, value = 7.1 }]

[[kpi]]
id = "nps"
category = "customer_satisfaction"
name = "Net promoter score"
target = 40
direction = "up"

[[signal]]
on = 2027-01-20
kind = "team_involvement"
level = 1
note = "Teams show up to the workshops"

[[signal]]
on = 2027-02-10
kind = "clarification_requests"
level = 2
note = "Who signs purchase orders?"

[[signal]]
on = 2027-02-24
kind = "informal_feedback"
level = 3
note = "Rumours about the sale"

[[irritant]]
id = "badges"
title = "Broken door badges"
opened = 2027-01-11
closed = 2027-01-25
owner = "dana"

[[irritant]]
id = "quotes"
title = "Quotes wait for the founder"
opened = 2027-01-18
owner = "carl"

[[waiver]]
rule = "EXT003"
target = "process:sales"
reason = "Procedure being written with the accountant"
owner = "Paul Smith"
expires = 2027-06-30

[[waiver]]
rule = "GOV005"
reason = "Old habit"
owner = "Ann Archer"
expires = 2027-02-01

[[waiver]]
rule = "SIG003"
reason = "No owner given"
"""


def mon_tue(
    first: dt.date, count: int, skip: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, ...]:
    """``count`` Mondays and Tuesdays from ``first`` (a fixed diary for the fixture)."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() in (0, 1) and not (skip and skip[0] <= day <= skip[1]):
            days.append(day)
        day += dt.timedelta(days=1)
    return tuple(days)


def slot(
    pid: str, days: tuple[dt.date, ...], slack: int, milestone: dt.date | None = None
) -> PhaseSlot:
    if milestone:
        return PhaseSlot(pid, (), milestone, milestone, 0, slack, slack == 0)
    return PhaseSlot(pid, days, days[0], days[-1], len(days), slack, slack == 0)


LEAVE = (dt.date(2027, 3, 8), dt.date(2027, 3, 12))


def make_schedule() -> Schedule:
    audit = mon_tue(dt.date(2027, 1, 4), 4)
    diag = mon_tue(dt.date(2027, 1, 18), 4)
    sales = mon_tue(dt.date(2027, 2, 1), 6, skip=LEAVE)
    handover = mon_tue(dt.date(2027, 3, 22), 4)
    phases = {
        "audit": slot("audit", audit, 0),
        "diag": slot("diag", diag, 0),
        "sales-project": slot("sales-project", sales, 0),
        "signing": slot("signing", (), 12, milestone=dt.date(2027, 2, 1)),
        "handover": slot("handover", handover, 0),
    }
    return Schedule(
        start=dt.date(2027, 1, 4),
        phases=phases,
        end=handover[-1],
        coo_days=18,
        target_date=dt.date(2027, 6, 30),
        meets_target=True,
    )


def _f(rule, name, sev, pillar, title, message, fix, target, path, **kw) -> Finding:
    return Finding(rule, name, Severity(sev), pillar, title, message, fix, target, path, **kw)


FINDINGS = (
    _f(
        "EXT001",
        "excessive-founder-dependence",
        "error",
        "founder_dependence",
        "The founder runs too many critical processes",
        "Ann Archer runs 1 of 3 critical processes with no backup (33% > 30%)",
        "Train a backup for Key account sales",
        "metrics",
        "process",
    ),
    _f(
        "GOV003",
        "undefined-delegation",
        "error",
        "governance",
        "The delegation of the COO is undefined",
        "scope.delegation is missing",
        "Set scope.delegation",
        "scope",
        "scope.delegation",
        line=34,
    ),
    _f(
        "EXT003",
        "undocumented-critical-process",
        "warning",
        "documentation",
        "A critical process is not written down",
        "Key account sales: documentation 1 < 3",
        "Write the procedure of Key account sales",
        "process:sales",
        "process.documentation",
        row=0,
        line=61,
        waived=True,
        waiver_reason="Procedure being written with the accountant",
        waiver_owner="Paul Smith",
        waiver_expires=dt.date(2027, 6, 30),
    ),
    _f(
        "SIG001",
        "persistent-irritant",
        "warning",
        "indicators",
        "An irritant has lasted too long",
        "Quotes wait for the founder: open 42 days",
        "Close or escalate the irritant",
        "irritant:quotes",
        "irritant.closed",
        row=1,
    ),
)

SCORE = Score(
    overall=71,
    pillars={
        "founder_dependence": 40,
        "documentation": 100,
        "indicators": 75,
        "transfer": 100,
        "governance": 80,
        "planning": 100,
    },  # no rule of the team pillar in force
    # points of their figure: readiness 100 − 25 − 4 = 71; framing 100 − 10 = 90
    costs=(
        RuleCost(
            "EXT001",
            "excessive-founder-dependence",
            "founder_dependence",
            3,
            25.0,
            1.0,
            "readiness",
            1,
            1,
        ),
        RuleCost("SIG001", "persistent-irritant", "indicators", 1, 4.0, 0.5, "readiness", 1, 2),
        RuleCost("GOV003", "undefined-delegation", "governance", 2, 10.0, 1.0, "framing", 1, 1),
    ),
    framing=90,
    without_waivers=65,  # a waived warning of the fixture would cost 6 points
    uncapped=71,
    band="to_secure",
)

#: Readiness held below the ready band by an unwaived error (uncapped 86, capped at 79).
CAPPED = Score(
    overall=79,
    pillars={"founder_dependence": 70, "documentation": 100, "governance": 100},
    costs=(
        RuleCost(
            "EXT001",
            "excessive-founder-dependence",
            "founder_dependence",
            5,
            14.4,
            0.6,
            "readiness",
            1,
            1,
        ),
    ),
    framing=100,
    without_waivers=79,
    uncapped=86,
    band="to_secure",
    caps=(Cap("EXT001", "metrics", "The company depends too much on its founder"),),
)

WHY = {
    "EXT001": "A buyer pays less for a company that stops when its founder does.",
    "GOV003": "Without a stated delegation nobody knows what the COO may decide.",
}


def make_plan(text: str = PLAN_TOML) -> Plan:
    return Plan.model_validate(tomllib.loads(text))


def make_result(
    plan: Plan | None = None,
    *,
    lang: str = "en",
    schedule: Schedule | None = None,
    findings=FINDINGS,
    score=SCORE,
    kpi_track: dict[str, str] | None = None,
) -> CheckResult:
    return CheckResult(
        plan or make_plan(),
        "demo.toml",
        AS_OF,
        lang,
        ("default", "relay-partners"),
        schedule or make_schedule(),
        tuple(findings),
        score,
        kpi_track=kpi_track or {},
    )


OFF = (
    OffPeriod(dt.date(2027, 3, 8), dt.date(2027, 3, 12), "Ski week", "leave"),
    OffPeriod(dt.date(2027, 3, 29), dt.date(2027, 3, 29), "Easter Monday", "holiday"),
    OffPeriod(dt.date(2027, 5, 3), dt.date(2027, 5, 7), "Spring closure", "closure"),
)


def make_report(lang: str = "en", **kw) -> Report:
    return Report(
        make_result(lang=lang, **kw), lang, off=OFF, why=WHY, plan_name="demo.toml", version="9.9.9"
    )


UNSCHEDULABLE = Schedule(
    start=dt.date(2027, 1, 4),
    phases={},
    problems=(ScheduleProblem(ProblemKind.cycle, ("a", "b"), "phases a and b wait on each other"),),
)
