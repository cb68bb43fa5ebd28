"""Coverage (issue 15): how much of the evidence readiness needs the plan gives, and the
template's placeholders. A sample with every item of evidence is covered 100 %; taking any
one item away lowers coverage and never raises readiness; the untouched template is not
assessed and lists its placeholders; below the pack's threshold the headline goes while
the pillar figures stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from releve.planner.model import Measure, Plan
from releve.planner.schedule import schedule_plan
from releve.planner.store import load
from releve.rules.coverage import coverage, evidence_items
from releve.rules.facts import build_facts
from releve.rules.packs import load_pack_set
from releve.rules.pipeline import check_plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_missions"
NAMES = sorted(p.name for p in SAMPLES.glob("*.toml"))
TEMPLATE = ROOT / "planner" / "template.toml"
AS_OF = dt.date(2027, 3, 1)


def check(plan: Plan, **kw: Any) -> Any:
    return check_plan(plan.model_copy(update={"rules": None}), as_of=AS_OF, **kw)


def _rows(plan: Plan, table: str, i: int, **update: Any) -> Plan:
    rows = list(getattr(plan, table))
    rows[i] = rows[i].model_copy(update=update)
    return plan.model_copy(update={table: rows})


def _all(plan: Plan, table: str, **update: Any) -> Plan:
    return plan.model_copy(
        update={table: [r.model_copy(update=update) for r in getattr(plan, table)]}
    )


def _company(plan: Plan, **update: Any) -> Plan:
    return plan.model_copy(update={"company": plan.company.model_copy(update=update)})


def filled(plan: Plan) -> Plan:
    """`plan` with every item of evidence it lacks given (values that say little: "" for
    nobody, a first measure equal to the baseline on the mission's first day)."""
    c = plan.company
    plan = _company(
        plan,
        top_customer_share=c.top_customer_share if c.top_customer_share is not None else 0.1,
        top_supplier_share=c.top_supplier_share if c.top_supplier_share is not None else 0.2,
        recurring_revenue_share=(
            c.recurring_revenue_share if c.recurring_revenue_share is not None else 0.5
        ),
    )
    for i, p in enumerate(plan.process):
        if p.critical:
            plan = _rows(
                plan,
                "process",
                i,
                backup="" if p.backup is None else p.backup,
                documentation=0 if p.documentation is None else p.documentation,
            )
    for i, p in enumerate(plan.person):
        if p.key and p.backup is None:
            plan = _rows(plan, "person", i, backup="")
    start = plan.mission.start
    for i, k in enumerate(plan.kpi):
        if not any(h.on <= AS_OF for h in k.history):
            base = k.baseline if k.baseline is not None else 0.0
            plan = _rows(plan, "kpi", i, baseline=base, history=[Measure(on=start, value=base)])
    return plan


def removals(plan: Plan) -> list[tuple[str, Callable[[], Plan]]]:
    """(what, the plan without it): each item of evidence taken away, one at a time."""
    out: list[tuple[str, Callable[[], Plan]]] = [
        (
            "exit.founder",
            lambda: _all(
                plan.model_copy(update={"exit": plan.exit.model_copy(update={"founder": None})}),
                "person",
                founder=False,
            ),
        ),
        ("process.critical", lambda: _all(plan, "process", critical=False)),
        (
            "person",
            lambda: plan.model_copy(
                update={"person": [p for p in plan.person if p.id == plan.founder_id()]}
            ),
        ),
        ("person.manager", lambda: _all(plan, "person", manager=False)),
        ("person.key", lambda: _all(plan, "person", key=False)),
        ("kpi", lambda: plan.model_copy(update={"kpi": []})),
        ("transfer", lambda: plan.model_copy(update={"transfer": []})),
    ]
    for key in ("top_customer_share", "top_supplier_share", "recurring_revenue_share"):
        out.append((f"company.{key}", lambda key=key: _company(plan, **{key: None})))
    for i, p in enumerate(plan.process):
        if p.critical:
            for key in ("owner", "backup", "documentation"):
                out.append(
                    (
                        f"process.{key} of {p.id}",
                        lambda i=i, key=key: _rows(plan, "process", i, **{key: None}),
                    )
                )
    for i, p in enumerate(plan.person):
        if p.key and p.id != plan.founder_id():
            out.append(
                (f"person.backup of {p.id}", lambda i=i: _rows(plan, "person", i, backup=None))
            )
    for i, k in enumerate(plan.kpi):
        out.append((f"kpi.baseline of {k.id}", lambda i=i: _rows(plan, "kpi", i, baseline=None)))
        out.append((f"kpi.history of {k.id}", lambda i=i: _rows(plan, "kpi", i, history=[])))
    for i, t in enumerate(plan.transfer):
        out.append((f"transfer.to of {t.id}", lambda i=i: _rows(plan, "transfer", i, to=None)))
    return out


def test_a_sample_with_every_item_of_evidence_is_covered_100_percent():
    # Northwind gives everything but its largest supplier's share.
    plan = load(SAMPLES / "northwind-distribution.toml").plan
    before = check(plan).score
    assert before.coverage_pillars["customers"] == pytest.approx(2 / 3, abs=1e-4)
    plan = _company(plan, top_supplier_share=0.25)
    score = check(plan).score
    assert score.coverage == 1.0
    assert set(score.coverage_pillars.values()) == {1.0}
    assert score.overall is not None and score.band != "not_assessed"


_FULL: dict[str, tuple[Plan, Any]] = {}


def full(name: str) -> tuple[Plan, Any]:
    if name not in _FULL:
        plan = filled(load(SAMPLES / name).plan.model_copy(update={"rules": None}))
        _FULL[name] = (plan, check(plan, schedule=schedule_plan(plan)).score)
    return _FULL[name]


#: Every item of every sample, taken away one at a time. The KPI and transfer items hold
#: because their rules count what is missing as the worst (grade.missing = "all"): no KPI
#: or no transfer costs each of their rules in full, and a KPI without a measure or a
#: baseline costs IND001 as a whole path behind and IND002 as moving the wrong way.
CASES = [
    pytest.param(name, what, id=f"{name.split('.')[0]}:{what}")
    for name in NAMES
    for what, _ in removals(full(name)[0])
]


@pytest.mark.parametrize(("name", "what"), CASES)
def test_taking_any_item_away_lowers_coverage_and_never_raises_readiness(name, what):
    plan, before = full(name)
    assert before.coverage == 1.0, before.coverage_pillars
    less = dict(removals(plan))[what]()
    score = check(less, schedule=schedule_plan(less)).score
    assert score.coverage < before.coverage
    assert score.uncapped <= before.uncapped, (score.uncapped, before.uncapped)
    if score.overall is not None:
        assert score.overall <= before.overall
    for pillar, value in score.pillars.items():
        if pillar not in ("governance", "planning"):
            assert value <= before.pillars[pillar], pillar


def test_the_untouched_template_is_not_assessed_and_lists_its_placeholders():
    pf = load(TEMPLATE)
    result = check_plan(pf.plan, as_of=AS_OF, path=str(TEMPLATE), text=pf.text, lang="en")
    s = result.score
    # Issue 15: it scored 96/100 "ready". Its names, its process and its shares are the
    # template's examples, no evidence: coverage 11 %, readiness not assessed.
    assert s.coverage is not None and s.coverage < 0.6
    assert (s.overall, s.without_waivers, s.band) == (None, None, "not_assessed")
    assert s.pillars["founder_dependence"] > 0 and s.uncapped is not None  # pillars stay
    placeholders = {f.target: f for f in result.findings if f.rule == "EVD012"}
    assert {
        "mission:id",
        "mission:title",
        "company:name",
        "company:sector",
        "company:top_customer_share",
        "company:recurring_revenue_share",
        "coo:name",
        "coo:firm",
        "person:owner.name",
        "person:relay.name",
        "person:backup.name",
        "process:core.id",
        "process:core.name",
    } == set(placeholders)
    f = placeholders["company:name"]
    assert f.message == "company.name is still the template's example “Company name”"
    assert f.severity == "warning"
    # The supplier share the template does not ask is missing evidence, said on its field.
    missing = {(f.rule, f.path) for f in result.findings if f.rule.startswith("EVD")}
    assert ("EVD007", "company.top_supplier_share") in missing


def test_a_plan_that_replaces_the_placeholders_has_none():
    pf = load(SAMPLES / "atelier-durand.toml")
    result = check_plan(pf.plan, as_of=AS_OF)
    assert not [f for f in result.findings if f.rule == "EVD012"]
    assert not [f for f in result.facts if f["fact"] == "placeholder"]


def test_a_shared_example_value_is_a_placeholder_on_its_own_field():
    plan = load(SAMPLES / "atelier-durand.toml").plan
    plan = _company(plan, top_customer_share=0.2)  # the template's example share
    plan = _rows(plan, "person", 1, name="Relay name")
    result = check(plan)
    got = {f.target for f in result.findings if f.rule == "EVD012"}
    assert got == {"company:top_customer_share", "person:sophie.name"}
    # An example value is no evidence: the customers pillar's coverage drops by a third.
    assert result.score.coverage_pillars["customers"] == pytest.approx(1 / 3, abs=1e-4)


def test_coverage_below_the_pack_threshold_is_not_assessed_pillars_stay(tmp_path):
    plan = load(SAMPLES / "transports-mercier.toml").plan.model_copy(update={"rules": None})
    normal = check(plan).score
    assert normal.overall is not None and normal.coverage is not None
    pack = tmp_path / "strict.toml"
    pack.write_text('[pack]\nid = "strict"\n\n[score]\nmin_coverage = 0.95\n', encoding="utf-8")
    strict = check_plan(plan, as_of=AS_OF, pack_set=load_pack_set(extra=(pack,))).score
    assert normal.coverage < 0.95
    assert (strict.overall, strict.without_waivers, strict.band) == (None, None, "not_assessed")
    assert strict.pillars == normal.pillars and strict.uncapped == normal.uncapped
    assert strict.min_coverage == 0.95 and strict.under_covered and not strict.capped


def test_items_are_shares_and_pillars_their_mean():
    plan = load(SAMPLES / "transports-mercier.toml").plan
    facts = build_facts(plan, schedule_plan(plan), AS_OF)
    items = evidence_items(facts)
    assert all(0 <= i.share <= 1 for i in items)
    cov = coverage(facts)
    for pillar, value in cov.pillars.items():
        mine = [i.share for i in items if i.pillar == pillar]
        assert value == pytest.approx(sum(mine) / len(mine))
    # Mercier does not say who could replace Gérard on pricing, one of its 4 critical
    # processes.
    backup = next(i for i in items if i.key == "process.backup")
    assert (backup.given, backup.needed) == (3, 4)
    assert cov.pillars["founder_dependence"] == pytest.approx((1 + 1 + 1 + 3 / 4) / 4)
