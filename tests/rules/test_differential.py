"""durable_rules and the plain-Python evaluator give identical findings on random rules
and random facts (the Python evaluator runs where durable_rules cannot be installed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import plans

from releve.rules import engine as eng
from releve.rules.compile import normal_value, normalise_all
from releve.rules.facts import FACT_KINDS
from releve.rules.packs import OPS_BY_TYPE, UNARY_OPS
from releve.rules.pyeval import PythonEvaluator

pytestmark = pytest.mark.skipif(not eng.available(), reason="durable_rules not installed")

KINDS = ("process", "person", "kpi", "signal", "governance", "metrics")

STRS = st.sampled_from(["", "a", "b", "sam", 'É"é', "x\\y", "line\nbreak", "{}", "0", "true"])
VALUES = {
    "str": STRS,
    "int": st.integers(-3, 3) | st.sampled_from([0, 2**40, -(2**60)]),
    "float": st.sampled_from([0.0, 0.5, -1.25, 1e-7, 3e18, 0.30001, 2.0]),
    "share": st.sampled_from([0.0, 0.25, 0.3, 0.30001, 1.0]),
    "bool": st.booleans(),
    "date": st.dates(dt.date(2027, 1, 1), dt.date(2027, 1, 4)),
    "list": st.lists(STRS, max_size=2),
}


@st.composite
def facts_strategy(draw):
    out = []
    for i in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(KINDS))
        fields = FACT_KINDS[kind]
        names = draw(st.lists(st.sampled_from(sorted(fields)), max_size=6, unique=True))
        f = {"fact": kind, "fact_id": f"{kind}:{i}", "row": i}
        for n in names:
            f[n] = draw(VALUES[fields[n].type])
        out.append(f)
    return out


@st.composite
def condition(draw, kind):
    fields = FACT_KINDS[kind]
    name = draw(st.sampled_from(sorted(fields)))
    ftype = fields[name].type
    op = draw(st.sampled_from(OPS_BY_TYPE[ftype]))
    value = None
    if op in ("in", "not_in"):
        value = tuple(
            normal_value(ftype, v) for v in draw(st.lists(VALUES[ftype], min_size=1, max_size=3))
        )
    elif op not in UNARY_OPS:
        value = normal_value(ftype, draw(VALUES[ftype]))
    return {"field": name, "op": op, "value": value, "type": ftype}


@st.composite
def rule_spec(draw, code):
    kind = draw(st.sampled_from(KINDS))
    spec = {
        "code": code,
        "fact": kind,
        "when": draw(st.lists(condition(kind), max_size=3)),
        "any": draw(st.lists(condition(kind), max_size=2)),
    }
    if draw(st.booleans()):
        ukind = draw(st.sampled_from([k for k in KINDS if k != kind]))  # as packs require
        spec["unless"] = {
            "fact": ukind,
            "when": draw(st.lists(condition(ukind), max_size=2)),
            "any": draw(st.lists(condition(ukind), max_size=2)),
        }
    return spec


@st.composite
def rule_specs(draw):
    n = draw(st.integers(1, 6))
    return tuple(draw(rule_spec(f"X{i:03d}")) for i in range(n))


def digest(specs):
    return "diff-" + hashlib.sha256(json.dumps(specs, default=str).encode()).hexdigest()[:16]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=rule_specs(), facts=facts_strategy())
def test_both_evaluators_give_identical_findings_on_random_rules_and_facts(specs, facts):
    norm = normalise_all(facts)
    d = digest(specs)
    assert eng.evaluator().evaluate(specs, d, norm) == PythonEvaluator().evaluate(specs, d, norm)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.one_of(plans(), plans(coherent=False)),
    as_of=st.dates(dt.date(2026, 6, 1), dt.date(2028, 6, 1)),
)
def test_both_evaluators_give_identical_checks_on_random_plans(plan, as_of):
    from releve.rules.pipeline import check_plan

    plan = plan.model_copy(update={"rules": None})  # its packs would be files to read
    a = check_plan(plan, as_of=as_of, engine="durable_rules")
    b = check_plan(plan, as_of=as_of, engine="python")
    assert a.findings == b.findings
    assert a.score == b.score
