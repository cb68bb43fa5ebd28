"""Sample missions and plan template: they load, hang together, keep their deliberate problems."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re
import tomllib
from pathlib import Path

import pytest

from releve.planner.model import ID_TABLES, KpiCategory, Language, PhaseKind, Plan

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_missions"
TEMPLATE = ROOT / "planner" / "template.toml"
DEFAULT_SAMPLE = "atelier-durand.toml"


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.toml"))


PLAN_FILES = [*sample_paths(), TEMPLATE]

# The seven KPI categories EXT006 expects (founder_dependence and other are extra).
CORE_CATEGORIES = {
    KpiCategory.operating_margin,
    KpiCategory.productivity,
    KpiCategory.lead_time,
    KpiCategory.irritants,
    KpiCategory.customer_satisfaction,
    KpiCategory.manager_skills,
    KpiCategory.process_maturity,
}


def load(path: Path) -> Plan:
    with path.open("rb") as f:
        return Plan.model_validate(tomllib.load(f))


def sample(name: str) -> Plan:
    return load(SAMPLES / name)


def _ids(plan: Plan, table: str) -> set[str]:
    return {row.id for row in getattr(plan, table)}


def dangling_references(plan: Plan) -> list[str]:  # noqa: C901
    """Every reference of the plan that names no row: ``"where -> value"`` strings."""
    people = _ids(plan, "person")
    phases = _ids(plan, "phase")
    processes = _ids(plan, "process")
    kpis = _ids(plan, "kpi")
    bad: list[str] = []

    def person(where: str, value: str | None, *, optional_empty: bool = False) -> None:
        if value is None or (optional_empty and value == ""):
            return
        if value not in people:
            bad.append(f"{where} -> {value!r}")

    if plan.exit:
        person("exit.founder", plan.exit.founder)
    if plan.scope:
        person("scope.internal_counterpart", plan.scope.internal_counterpart)
        person("scope.successor", plan.scope.successor)
    if plan.governance:
        person("governance.reports_to", plan.governance.reports_to)
        person("governance.sponsor", plan.governance.sponsor)
    for o in plan.objective:
        if o.kpi is not None and o.kpi not in kpis:
            bad.append(f"objective:{o.id}.kpi -> {o.kpi!r}")
    for p in plan.person:
        person(f"person:{p.id}.backup", p.backup, optional_empty=True)
    for pr in plan.process:
        person(f"process:{pr.id}.owner", pr.owner)
        person(f"process:{pr.id}.backup", pr.backup, optional_empty=True)
    for ph in plan.phase:
        bad += [f"phase:{ph.id}.after -> {a!r}" for a in ph.after if a not in phases]
    for t in plan.transfer:
        if t.process is not None and t.process not in processes:
            bad.append(f"transfer:{t.id}.process -> {t.process!r}")
        if t.from_ != "coo":
            person(f"transfer:{t.id}.from", t.from_)
        person(f"transfer:{t.id}.to", t.to)
        if t.phase is not None and t.phase not in phases:
            bad.append(f"transfer:{t.id}.phase -> {t.phase!r}")
    for k in plan.kpi:
        person(f"kpi:{k.id}.owner", k.owner)
    for i in plan.irritant:
        person(f"irritant:{i.id}.owner", i.owner)
    for w in plan.waiver:
        if w.target is not None:
            table, _, rid = w.target.partition(":")
            if table not in ID_TABLES or rid not in _ids(plan, table):
                bad.append(f"waiver:{w.rule}.target -> {w.target!r}")
    return bad


# --- every plan file -------------------------------------------------------------------------


def test_there_are_at_least_three_samples() -> None:
    names = {p.name for p in sample_paths()}
    assert {"atelier-durand.toml", "cabinet-vega.toml", "northwind-distribution.toml"} <= names


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_plan_loads_with_the_model(path: Path) -> None:
    plan = load(path)
    assert plan.mission.id
    assert plan.format == 1


# Deliberately dangling references, documented in each sample's header; every other
# reference of every sample and of the template names an existing row.
DELIBERATE_DANGLING = {
    "transports-mercier.toml": ["governance.reports_to -> 'gerard-mercier'"],  # GOV001
}


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_every_reference_names_an_existing_row(path: Path) -> None:
    assert dangling_references(load(path)) == DELIBERATE_DANGLING.get(path.name, [])


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_founder_flag_agrees_with_exit_founder(path: Path) -> None:
    plan = load(path)
    flagged = {p.id for p in plan.person if p.founder}
    assert plan.exit is not None and plan.exit.founder is not None
    assert flagged == {plan.exit.founder}
    assert plan.founder_id() == plan.exit.founder


# transports-mercier.toml skips the diagnostic (PLN001) and has a phase with no
# deliverable (PLN006), on purpose.
MISSING_KINDS = {"transports-mercier.toml": {PhaseKind.diagnostic}}
NO_DELIVERABLE = {"transports-mercier.toml": {"dataroom"}}


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_phases_cover_the_mission_in_kind_order(path: Path) -> None:
    plan = load(path)
    kinds = {ph.kind for ph in plan.phase}
    assert set(PhaseKind) - kinds == MISSING_KINDS.get(path.name, set())
    assert {ph.id for ph in plan.phase if not ph.deliverables} == NO_DELIVERABLE.get(
        path.name, set()
    )
    for ph in plan.phase:
        for before in ph.after:
            earlier = plan.phase_by_id(before)
            assert earlier is not None
            assert earlier.kind.rank <= ph.kind.rank, f"{ph.id} is after a later kind"


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_waivers_are_complete_and_name_a_rule_code(path: Path) -> None:
    for w in load(path).waiver:
        assert re.fullmatch(r"[A-Z]{3}\d{3}", w.rule)
        assert w.reason and w.owner and w.expires


def test_samples_cover_both_languages_and_every_status() -> None:
    plans = [load(p) for p in sample_paths()]
    assert {p.mission.language for p in plans} >= {Language.fr, Language.en}
    assert {p.mission.status.value for p in plans} >= {"planning", "running", "handed_over"}
    kinds = {p.exit.kind.value for p in plans if p.exit and p.exit.kind}
    assert kinds >= {"sale", "succession", "fundraising", "none"}


def test_samples_vary_the_coo_calendar() -> None:
    plans = [load(p) for p in sample_paths()]
    workdays = {tuple(d.value for d in p.coo.workdays) for p in plans if p.coo}
    assert len(workdays) >= 3
    assert any(p.coo and p.coo.leave for p in plans)
    assert any(p.company and p.company.closures for p in plans)
    assert any(ph.priority is not None for p in plans for ph in p.phase)
    assert any(ph.not_before is not None for p in plans for ph in p.phase)
    assert any(p.company and p.company.country != "FR" for p in plans)


# --- the bundled default ------------------------------------------------------------------


def test_bundled_default_is_reachable_as_a_package_resource() -> None:
    resource = importlib.resources.files("releve.sample_missions") / DEFAULT_SAMPLE
    assert resource.is_file()
    text = resource.read_text(encoding="utf-8")
    # The resource is this repository's file, not a stale copy.
    assert text == (SAMPLES / DEFAULT_SAMPLE).read_text(encoding="utf-8")
    plan = Plan.model_validate(tomllib.loads(text))
    assert plan.mission.id == "atelier-durand-2027"
    assert plan.mission.language is Language.fr
    assert plan.mission.status.value == "planning"
    assert plan.exit is not None and plan.exit.kind is not None
    assert plan.exit.kind.value == "sale"


def test_exactly_one_sample_is_the_default() -> None:
    # One Atelier Durand plan only: no second copy under another name a loader could pick.
    ids = [load(p).mission.id for p in sample_paths()]
    assert ids.count("atelier-durand-2027") == 1
    assert len(ids) == len(set(ids))


def test_template_is_a_blank_planning_mission() -> None:
    plan = load(TEMPLATE)
    assert plan.mission.status.value == "planning"
    assert plan.mission.start == dt.date(2027, 1, 4)
    assert [ph.kind for ph in plan.phase] == list(PhaseKind)
    # Logs start empty: the commented examples are not rows.
    assert plan.signal == [] and plan.irritant == [] and plan.waiver == []
    text = TEMPLATE.read_text(encoding="utf-8")
    for table in ("signal", "irritant", "waiver"):
        assert f"# [[{table}]]" in text, f"the template shows a commented [[{table}]] example"
    assert plan.rules is not None and plan.rules.packs == []


# --- the schedule each sample is built to have ---------------------------------------------


def test_schedules_meet_their_targets_and_vega_is_tight() -> None:
    from releve.planner.schedule import fewest_days_per_week, schedule_plan

    durand = schedule_plan(sample("atelier-durand.toml"))
    assert durand.ok and durand.meets_target is True
    assert durand.end == dt.date(2027, 7, 12)

    vega_plan = sample("cabinet-vega.toml")
    vega = schedule_plan(vega_plan)
    assert vega.ok and vega.meets_target is True
    assert vega.end == dt.date(2027, 6, 28)
    assert min(s.slack_days for s in vega.phases.values()) <= 2
    assert fewest_days_per_week(vega_plan) == 3  # two days a week would miss the deadline

    northwind = schedule_plan(sample("northwind-distribution.toml"))
    assert northwind.ok and northwind.meets_target is True
    assert northwind.end == dt.date(2026, 11, 12)

    mercier = schedule_plan(sample("transports-mercier.toml"))
    assert mercier.ok and mercier.meets_target is False  # PLN003
    assert mercier.end == dt.date(2027, 11, 3)
    # PLN002: the priority-50 project takes the Wednesdays before the flash audit ends.
    assert mercier.phases["fleet"].start < mercier.phases["audit"].end


# --- deliberate problems (documented in each sample's header) -----------------------------


def critical_undocumented(plan: Plan, min_level: int = 3) -> set[str]:
    return {p.id for p in plan.process if p.critical and (p.documentation or 0) < min_level}


def founder_critical_share(plan: Plan) -> float:
    critical = [p for p in plan.process if p.critical]
    founder = plan.founder_id()
    alone = [p for p in critical if p.owner == founder and not p.backup]
    return len(alone) / len(critical)


def key_people_without_backup(plan: Plan) -> set[str]:
    founder = plan.founder_id()
    return {p.id for p in plan.person if p.key and not p.backup and p.id != founder}


def missing_core_categories(plan: Plan) -> set[KpiCategory]:
    return CORE_CATEGORIES - {k.category for k in plan.kpi if k.category}


def irritants_open_longer_than(plan: Plan, as_of: dt.date, days: int = 42) -> set[str]:
    return {
        i.id
        for i in plan.irritant
        if i.opened and (i.closed is None or i.closed > as_of) and (as_of - i.opened).days > days
    }


def test_durand_deliberate_problems(as_of: dt.date) -> None:
    plan = sample("atelier-durand.toml")
    assert founder_critical_share(plan) == pytest.approx(2 / 6)  # EXT001 (> 0.3)
    assert critical_undocumented(plan) == {"purchasing", "quoting"}  # EXT003
    assert [(w.rule, w.target) for w in plan.waiver] == [("EXT003", "process:purchasing")]
    assert key_people_without_backup(plan) == {"nathalie"}  # EXT002
    assert missing_core_categories(plan) == {KpiCategory.customer_satisfaction}  # EXT006
    assert irritants_open_longer_than(plan, as_of) == set()
    assert irritants_open_longer_than(plan, dt.date(2027, 3, 8)) == set()
    assert irritants_open_longer_than(plan, dt.date(2027, 3, 9)) == {"devis"}  # SIG001


def test_durand_is_otherwise_sound() -> None:
    plan = sample("atelier-durand.toml")
    assert plan.company and plan.company.top_customer_share is not None
    assert plan.company.top_customer_share <= 0.25
    assert all(
        k.source and k.owner and k.baseline is not None and k.target is not None for k in plan.kpi
    )
    assert plan.coo and plan.coo.contracted_days is not None
    assert sum(ph.effort_days for ph in plan.phase) <= plan.coo.contracted_days
    # A transfer happens during the diagnostic (TRF003 stays silent).
    diag = {ph.id for ph in plan.phase if ph.kind is PhaseKind.diagnostic}
    assert any(t.phase in diag for t in plan.transfer)


def test_vega_deliberate_problems(as_of: dt.date) -> None:
    plan = sample("cabinet-vega.toml")
    assert plan.mission.status.value == "running"

    def strong_signals(as_of: dt.date, days: int = 30) -> int:
        return sum(
            1
            for s in plan.signal
            if s.level >= 2 and as_of - dt.timedelta(days=days) < s.on <= as_of
        )

    assert strong_signals(as_of) == 3  # SIG002 (min_count 3)
    assert strong_signals(dt.date(2027, 2, 23)) < 3
    assert strong_signals(dt.date(2027, 3, 9)) < 3
    assert max(s.on for s in plan.signal) >= as_of - dt.timedelta(days=45)  # SIG003 silent
    assert irritants_open_longer_than(plan, as_of) == {"timesheets"}  # SIG001
    assert irritants_open_longer_than(plan, dt.date(2027, 3, 16)) == {"timesheets", "healthcare"}
    assert plan.company and plan.company.top_customer_share == pytest.approx(0.31)  # EXT004
    assert [(w.rule, w.target, w.expires) for w in plan.waiver] == [
        ("EXT004", None, dt.date(2027, 12, 31))
    ]
    assert {k.id for k in plan.kpi if not (k.source and k.owner)} == {"nps"}  # EXT005
    assert critical_undocumented(plan) == {"bids"}  # EXT003
    # Sound otherwise.
    assert founder_critical_share(plan) == 0
    assert key_people_without_backup(plan) == set()
    assert missing_core_categories(plan) == set()
    assert all(len(k.history) >= 1 for k in plan.kpi)
    assert {t.status.value for t in plan.transfer} == {"planned", "in_progress", "done"}


def test_northwind_deliberate_problems(as_of: dt.date) -> None:
    plan = sample("northwind-distribution.toml")
    assert plan.mission.language is Language.en
    assert plan.exit and plan.exit.kind and plan.exit.kind.value == "succession"
    assert plan.coo and plan.coo.contracted_days == 66
    assert sum(ph.effort_days for ph in plan.phase) == 68  # PLN004
    (waiver,) = plan.waiver
    assert (waiver.rule, waiver.target) == ("EXT003", "process:customs")
    assert waiver.expires is not None
    assert 0 < (waiver.expires - as_of).days <= 30  # RLV001 at the tests' check date
    assert critical_undocumented(plan) == {"customs"}  # waived EXT003
    # Sound otherwise.
    assert founder_critical_share(plan) == 0
    assert key_people_without_backup(plan) == set()
    assert missing_core_categories(plan) == set()
    assert irritants_open_longer_than(plan, as_of) == set()
    assert plan.scope and plan.scope.successor == "priya"
    assert sum(t.status.value == "done" for t in plan.transfer) >= len(plan.transfer) - 1


@pytest.mark.parametrize("name", ["cabinet-vega.toml", "northwind-distribution.toml"])
def test_kpi_history_is_dated_in_order_and_improves(name: str) -> None:
    plan = sample(name)
    improving = 0
    for k in plan.kpi:
        dates = [m.on for m in k.history]
        assert dates == sorted(dates) and len(set(dates)) == len(dates), k.id
        if len(k.history) >= 2 and k.direction is not None:
            first, last = k.history[0].value, k.history[-1].value
            improving += (last > first) if k.direction.value == "up" else (last < first)
    assert improving >= 3


def test_mercier_deliberate_problems(as_of: dt.date) -> None:
    plan = sample("transports-mercier.toml")
    assert plan.exit and plan.exit.kind and plan.exit.kind.value == "fundraising"
    gov, scope = plan.governance, plan.scope
    assert gov and scope and plan.coo
    assert plan.person_by_id(gov.reports_to) is None  # GOV001
    assert gov.sponsor != plan.founder_id() and plan.person_by_id(gov.sponsor)  # GOV002
    assert gov.codir_seat is False and gov.steering_every_days is None  # GOV004
    assert gov.announced_on and (gov.announced_on - plan.mission.start).days > 15  # GOV006
    assert scope.internal_counterpart is None  # GOV007
    assert scope.successor is None  # TRF004
    assert [o.id for o in plan.objective if o.kpi is None] == ["growth"]  # SCO002
    assert [k.id for k in plan.kpi if k.target is None] == ["fleet_cost"]  # SCO003
    assert [k.id for k in plan.kpi if not k.source] == ["fleet_cost"]  # EXT005
    assert [
        ph.id for ph in plan.phase if ph.kind is PhaseKind.flash_audit and ph.effort_days > 10
    ] == ["audit"]  # PLN005
    final = [ph.id for ph in plan.phase if ph.kind is PhaseKind.handover]
    assert {t.phase for t in plan.transfer} == set(final)  # TRF001
    assert [t.id for t in plan.transfer if t.to == plan.founder_id()] == ["pricing"]  # TRF002
    assert founder_critical_share(plan) == pytest.approx(0.5)  # EXT001
    assert key_people_without_backup(plan) == {"patrick"}  # EXT002
    assert critical_undocumented(plan) == {"dispatch", "pricing"}  # EXT003
    assert len(missing_core_categories(plan)) == 5  # EXT006
    assert plan.mission.status.value == "running"
    assert max(s.on for s in plan.signal) < as_of - dt.timedelta(days=45)  # SIG003
    assert irritants_open_longer_than(plan, as_of) == set()
    assert irritants_open_longer_than(plan, dt.date(2027, 3, 18)) == {"fuel-cards"}  # SIG001
    assert sum(ph.effort_days for ph in plan.phase) <= plan.coo.contracted_days  # no PLN004
