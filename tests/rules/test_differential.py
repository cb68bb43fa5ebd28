"""durable_rules and the plain-Python evaluator give identical findings on random rules
and random facts (the Python evaluator runs where durable_rules cannot be installed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import plans

from releve.rules import engine as eng
from releve.rules.compile import normal_value, normalise_all
from releve.rules.facts import FACT_KINDS
from releve.rules.grading import MEASURED_TYPES as MEASURED
from releve.rules.grading import Grade
from releve.rules.packs import OPS_BY_TYPE, UNARY_OPS, Condition
from releve.rules.pyeval import PythonEvaluator
from releve.rules.result import PILLARS, Finding, Severity
from releve.rules.score import compute_score

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


@st.composite
def graded_rules(draw):
    """Rules as the score reads them, each with a grade: per fact (among its kind, or among
    a population of conditions, compiled as the pipeline does: ``CODE/among``), measured on
    a numeric field, out of N, or all; and the specs both evaluators run."""
    rules, specs = [], []
    for i in range(draw(st.integers(1, 5))):
        code = f"G{i:03d}"
        spec = draw(rule_spec(code))
        kind = spec["fact"]
        measures = sorted(n for n, f in FACT_KINDS[kind].items() if f.type in MEASURED)
        how = draw(st.sampled_from(["per_fact", "among", "measured", "out_of", "all"]))
        if how == "measured" and not measures:
            how = "per_fact"
        grade = Grade()
        if how == "among":
            among = draw(st.lists(condition(kind), min_size=1, max_size=2))
            grade = Grade(among=tuple(Condition(**c) for c in among))
            specs.append({"code": f"{code}/among", "fact": kind, "when": among, "any": []})
        elif how == "measured":
            lo, hi = draw(st.tuples(st.sampled_from([0.0, 0.3, 1.0]), st.sampled_from([0.5, 2.0])))
            grade = Grade(field=draw(st.sampled_from(measures)), start=lo, full=hi)
        elif how == "out_of":
            grade = Grade(mode="out_of", out_of=draw(st.integers(1, 4)))
        elif how == "all":
            grade = Grade(mode="all")
        specs.append(spec)
        rules.append(
            SimpleNamespace(
                code=code,
                name=f"g-{i}",
                fact=kind,
                pillar=draw(st.sampled_from(PILLARS)),
                weight=float(draw(st.integers(0, 4))),
                severity=draw(st.sampled_from(["error", "warning", "info"])),
                grade=grade,
            )
        )
    return rules, specs


def score_of(rules, raw, facts):
    """The score the pipeline computes from an evaluator's raw firings."""
    among: dict[str, set[str]] = {}
    findings = []
    for code, fid in raw:
        if code.endswith("/among"):
            among.setdefault(code.split("/")[0], set()).add(fid)
            continue
        r = next(r for r in rules if r.code == code)
        findings.append(
            Finding(code, r.name, Severity(r.severity), r.pillar, "t", "m", "f", fid, "p")
        )
    per_kind: dict[str, int] = {}
    for f in facts:
        per_kind[f["fact"]] = per_kind.get(f["fact"], 0) + 1
    populations = {
        r.code: len(among.get(r.code, ())) if r.grade.among else per_kind.get(r.fact, 0)
        for r in rules
    }
    by_id = {f["fact_id"]: f for f in facts}
    return compute_score(rules, findings, facts=by_id, populations=populations)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graded=graded_rules(), facts=facts_strategy())
def test_both_evaluators_give_identical_scores_on_random_graded_rules(graded, facts):
    rules, specs = graded
    specs = tuple(specs)
    norm = normalise_all(facts)
    d = digest(specs)
    a = eng.evaluator().evaluate(specs, d, norm)
    b = PythonEvaluator().evaluate(specs, d, norm)
    assert a == b
    sa, sb = score_of(rules, a, facts), score_of(rules, b, facts)
    assert sa == sb
    event("a graded rule costs" if sa.costs else "nothing costs")
    # The grades are shares of the weight: no rule costs more than its weight.
    assert all(0 <= c.grade <= 1 for c in sa.costs)


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
