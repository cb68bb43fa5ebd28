"""Readiness moves the right way (issue 10): on every sample, a change that makes the
company worse never raises readiness, the same change undone (the company better) never
lowers it, and waiving a finding never lowers the headline nor changes the figure without
waivers. Readiness is read before the coverage gate (`uncapped`, and `overall` whenever
both plans are assessed) so that a change that also lowers coverage is still compared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from releve.planner.model import Irritant, Measure, Plan, Signal, TransferStatus, Waiver
from releve.planner.schedule import schedule_plan
from releve.planner.store import load
from releve.rules.facts.build import kpi_sign
from releve.rules.pipeline import check_plan

SAMPLES = Path(__file__).resolve().parents[2] / "sample_missions"
NAMES = sorted(p.name for p in SAMPLES.glob("*.toml"))
AS_OF = dt.date(2027, 3, 1)
_CACHE: dict[str, tuple[Plan, Any]] = {}


def sample(name: str) -> tuple[Plan, Any]:
    if name not in _CACHE:
        plan = load(SAMPLES / name).plan.model_copy(update={"rules": None})
        _CACHE[name] = (plan, schedule_plan(plan))
    return _CACHE[name]


def score(plan: Plan, schedule: Any) -> Any:
    return check_plan(plan, as_of=AS_OF, schedule=schedule).score


def _rows(plan: Plan, table: str, i: int, **update: Any) -> Plan:
    rows = list(getattr(plan, table))
    rows[i] = rows[i].model_copy(update=update)
    return plan.model_copy(update={table: rows})


def _company(plan: Plan, **update: Any) -> Plan:
    return plan.model_copy(update={"company": plan.company.model_copy(update=update)})


# --- changes that make the company worse -------------------------------------------------


class Change(tuple):  # type: ignore[type-arg]
    """(what, plan): shown by what alone when a case fails."""

    def __repr__(self) -> str:
        return f"<{self[0]}>"


@st.composite
def worse(draw: st.DrawFn, plan: Plan) -> Change:
    what, changed = draw(_worse(plan))
    return Change((what, changed))


def _critical(plan: Plan) -> list[int]:
    return [i for i, p in enumerate(plan.process) if p.critical]


def _documentation(draw: st.DrawFn, plan: Plan) -> Plan:
    """A critical process loses documentation (a lower level, or none said)."""
    i = draw(st.sampled_from([i for i in _critical(plan) if plan.process[i].documentation]))
    level = plan.process[i].documentation or 0
    lower = draw(st.one_of(st.none(), st.integers(0, level - 1)))
    return _rows(plan, "process", i, documentation=lower)


def _backup(draw: st.DrawFn, plan: Plan) -> Plan:
    """A critical process loses its backup: none said, nobody, or not trained any more."""
    i = draw(st.sampled_from([i for i in _critical(plan) if plan.process[i].backup]))
    how = draw(st.sampled_from(["none", "nobody", "untrained"]))
    if how != "untrained":
        return _rows(plan, "process", i, backup=None if how == "none" else "")
    p = plan.process[i]
    transfers = [  # untrained, and no done transfer to them either
        t.model_copy(update={"status": TransferStatus.in_progress})
        if (t.process, t.to) == (p.id, p.backup) and t.status == TransferStatus.done
        else t
        for t in plan.transfer
    ]
    plan = plan.model_copy(update={"transfer": transfers})
    return _rows(plan, "process", i, backup_trained=False)


def _to_founder(draw: st.DrawFn, plan: Plan) -> Plan:
    founder = plan.founder_id()
    i = draw(st.sampled_from([i for i in _critical(plan) if plan.process[i].owner != founder]))
    return _rows(plan, "process", i, owner=founder)


def _share(key: str) -> Any:
    def rise(draw: st.DrawFn, plan: Plan) -> Plan:
        now = getattr(plan.company, key) or 0.0
        return _company(plan, **{key: draw(st.floats(now, 1.0))})

    return rise


def _undone(draw: st.DrawFn, plan: Plan) -> Plan:
    done = [i for i, t in enumerate(plan.transfer) if t.status == TransferStatus.done]
    status = draw(st.sampled_from([TransferStatus.planned, TransferStatus.in_progress]))
    return _rows(plan, "transfer", draw(st.sampled_from(done)), status=status)


def _kpi_source(draw: st.DrawFn, plan: Plan) -> Plan:
    i = draw(st.sampled_from([i for i, k in enumerate(plan.kpi) if k.source or k.owner]))
    return _rows(plan, "kpi", i, **{draw(st.sampled_from(["source", "owner"])): None})


def _kpi_worse(draw: st.DrawFn, plan: Plan) -> Plan:
    """A KPI's latest measure worsens (by its direction, else baseline → target)."""
    i = draw(st.sampled_from([i for i, k in enumerate(plan.kpi) if k.history and kpi_sign(k)]))
    k = plan.kpi[i]
    history = sorted(k.history, key=lambda h: h.on)
    step = draw(st.floats(0.01, 50.0))
    history[-1] = Measure(on=history[-1].on, value=history[-1].value - (kpi_sign(k) or 1) * step)
    return _rows(plan, "kpi", i, history=history)


def _kpi_unmeasured(draw: st.DrawFn, plan: Plan) -> Plan:
    """A KPI's measures unsaid (all of them, or those up to the check date)."""
    i = draw(st.sampled_from([i for i, k in enumerate(plan.kpi) if k.history]))
    later = draw(st.booleans())
    history = [h for h in plan.kpi[i].history if later and h.on > AS_OF]
    return _rows(plan, "kpi", i, history=history)


def _kpi_no_baseline(draw: st.DrawFn, plan: Plan) -> Plan:
    i = draw(st.sampled_from([i for i, k in enumerate(plan.kpi) if k.baseline is not None]))
    return _rows(plan, "kpi", i, baseline=None)


def _irritant(draw: st.DrawFn, plan: Plan) -> Plan:
    """An old irritant, still open (with or without an owner)."""
    row = Irritant(
        id=f"old-open-{len(plan.irritant)}",
        title="Old open irritant",
        opened=AS_OF - dt.timedelta(days=draw(st.integers(60, 400))),
        owner=draw(st.sampled_from([None, plan.person[0].id])),
    )
    return plan.model_copy(update={"irritant": [*plan.irritant, row]})


def _signal(draw: st.DrawFn, plan: Plan) -> Plan:
    """A strong recent signal."""
    row = Signal(
        on=AS_OF - dt.timedelta(days=draw(st.integers(0, 20))),
        kind="informal_feedback",
        level=draw(st.sampled_from([2, 3])),
        note="Strong recent signal",
    )
    return plan.model_copy(update={"signal": [*plan.signal, row]})


#: issue 10's list: what -> (applies to the plan?, the change).
WORSE: dict[str, tuple[Any, Any]] = {
    "documentation": (
        lambda p: any(p.process[i].documentation for i in _critical(p)),
        _documentation,
    ),
    "backup": (lambda p: any(p.process[i].backup for i in _critical(p)), _backup),
    "to_founder": (
        lambda p: (
            p.founder_id() and any(p.process[i].owner != p.founder_id() for i in _critical(p))
        ),
        _to_founder,
    ),
    "customer_share": (lambda p: True, _share("top_customer_share")),
    "supplier_share": (lambda p: True, _share("top_supplier_share")),
    "undone": (lambda p: any(t.status == TransferStatus.done for t in p.transfer), _undone),
    "kpi_source": (lambda p: any(k.source or k.owner for k in p.kpi), _kpi_source),
    "kpi_worse": (lambda p: any(k.history and kpi_sign(k) for k in p.kpi), _kpi_worse),
    # Saying less of the KPIs is never better than the worst said (issue 15): a KPI not
    # measured, or without its baseline, or no KPI at all.
    "kpi_unmeasured": (lambda p: any(k.history for k in p.kpi), _kpi_unmeasured),
    "kpi_no_baseline": (lambda p: any(k.baseline is not None for k in p.kpi), _kpi_no_baseline),
    "no_kpi": (lambda p: bool(p.kpi), lambda draw, p: p.model_copy(update={"kpi": []})),
    "irritant": (lambda p: True, _irritant),
    "signal": (lambda p: True, _signal),
}


@st.composite
def _worse(draw: st.DrawFn, plan: Plan) -> tuple[str, Plan]:
    """(what, the plan made worse): one of issue 10's list, drawn among those that apply."""
    what = draw(st.sampled_from([w for w, (applies, _) in WORSE.items() if applies(plan)]))
    return what, WORSE[what][1](draw, plan)


def _not_higher(after: Any, before: Any, why: str) -> None:
    assert after.uncapped <= before.uncapped, why
    if after.overall is not None and before.overall is not None:
        assert after.overall <= before.overall, why
    for pillar, value in after.pillars.items():
        if pillar in ("governance", "planning"):
            continue  # framing: the plan, not the company
        assert value <= before.pillars.get(pillar, 100), (why, pillar)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_worse_never_raises_and_better_never_lowers_readiness(data, name):
    plan, schedule = sample(name)
    what, bad = data.draw(worse(plan), label="change")
    event(what)
    before, after = score(plan, schedule), score(bad, schedule)
    # Worse never raises; undone (the company better again) it never lowers: the same pair
    # read both ways, and a second change on top of the first is read too.
    _not_higher(after, before, f"{name}: {what} raised readiness")
    what2, worse2 = data.draw(worse(bad), label="second change")
    _not_higher(score(worse2, schedule), after, f"{name}: {what} then {what2}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_waiving_a_finding_never_lowers_overall_nor_changes_without_waivers(data, name):
    plan, schedule = sample(name)
    result = check_plan(plan, as_of=AS_OF, schedule=schedule)
    open_ = [f for f in result.findings if not f.waived and not f.rule.startswith("RLV")]
    assume(open_)
    f = data.draw(st.sampled_from(open_), label="finding")
    row = Waiver(
        rule=f.rule,
        target=data.draw(st.sampled_from([f.target, None]), label="target"),
        reason="Accepted by the buyer's adviser",
        owner="Partner",
        expires=AS_OF + dt.timedelta(days=60),
    )
    waived = score(plan.model_copy(update={"waiver": [*plan.waiver, row]}), schedule)
    before = result.score
    assert waived.without_waivers == before.without_waivers
    if before.overall is not None:
        assert waived.overall is not None and waived.overall >= before.overall
    assert waived.uncapped >= before.uncapped


@pytest.mark.parametrize("name", NAMES)
def test_every_sample_stays_assessed(name):
    """Issue 15: the samples give enough evidence to be assessed (coverage ≥ 60 %)."""
    plan, schedule = sample(name)
    s = score(plan, schedule)
    assert s.coverage is not None and s.coverage >= 0.6, s.coverage_pillars
    assert s.overall is not None and s.band != "not_assessed"
