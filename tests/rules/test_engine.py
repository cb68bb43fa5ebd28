"""rules.engine on durable_rules: each known trap of durable-rules 2.0.28, handled."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import threading

import pytest
from rule_helpers import AS_OF, plan_of

from releve.rules import engine as eng
from releve.rules.compile import EngineError, normal_value, normalise, normalise_all
from releve.rules.pipeline import check_plan, engine_name, get_evaluator
from releve.rules.pyeval import PythonEvaluator

pytestmark = pytest.mark.skipif(not eng.available(), reason="durable_rules not installed")


def cond(field, op, value=None, type_="int"):
    return {"field": field, "op": op, "value": value, "type": type_}


def spec(code, fact, when=(), any_=(), unless=None):
    s = {"code": code, "fact": fact, "when": list(when), "any": list(any_)}
    if unless:
        s["unless"] = unless
    return s


def fact(fid, kind, **fields):
    return {"id": fid, "t": kind, **{f"f_{k}": v for k, v in fields.items()}}


SPECS = (
    spec("A001", "process", [cond("automation", "lt", 2)]),
    spec(
        "A002",
        "mission",
        unless={"fact": "transfer", "when": [cond("ok", "eq", True, "bool")], "any": []},
    ),
)


def both(specs, facts, digest):
    d = eng.evaluator().evaluate(specs, digest, facts)
    p = PythonEvaluator().evaluate(specs, digest, facts)
    assert d == p
    return d


def test_ruleset_compiled_once_per_pack_set():
    ev = eng.evaluator()
    before = ev.live_rulesets()
    facts = [fact("process:a", "process", automation=1)]
    for _ in range(3):
        assert (
            ev.evaluate(SPECS, "once-test", facts)
            == [("A001", "process:a"), ("A002", "mission")][:1]
        )
    assert ev.live_rulesets() == before + 1
    # The same rules under another digest are another ruleset (never the same name twice).
    ev.evaluate(SPECS, "once-test-2", facts)
    assert ev.live_rulesets() == before + 2


def test_register_rulesets_gets_a_copy_of_our_definitions():
    specs = copy.deepcopy(SPECS)
    frozen = copy.deepcopy(specs)
    eng.evaluator().evaluate(specs, "copy-test", [fact("mission", "mission")])
    assert specs == frozen  # durable_rules deletes "run" keys from what it is given
    assert "run" not in eng.ruleset_json(specs)["r0"]


def test_fact_matching_no_rule_is_not_an_error():
    # A kind no rule looks at, and a process that fails every condition.
    facts = [fact("person:x", "person", key=True), fact("process:b", "process", automation=3)]
    assert both(SPECS, facts, "nomatch") == []


def test_facts_with_identical_fields_do_not_collide():
    facts = [fact(f"process:{i}", "process", automation=0) for i in range(5)]
    assert both(SPECS, facts, "identical") == [("A001", f"process:{i}") for i in range(5)]


def test_two_evaluations_of_the_same_facts_give_the_same_findings():
    facts = [fact("process:a", "process", automation=0), fact("mission", "mission")]
    first = both(SPECS, facts, "repeat")
    assert first == both(SPECS, facts, "repeat") == [("A001", "process:a"), ("A002", "mission")]


def test_exception_in_an_action_is_raised_not_swallowed(monkeypatch):
    ev = eng.evaluator()

    def broken(name, index):
        def act(c):
            raise RuntimeError("boom")

        return act

    monkeypatch.setattr(ev, "_action", broken)
    with pytest.raises(EngineError, match="boom"):
        ev.evaluate(SPECS, "broken-action", [fact("process:a", "process", automation=0)])
    monkeypatch.undo()
    # The engine is still usable afterwards (the broken session was deleted).
    assert ev.evaluate(SPECS, "after-broken", [fact("process:a", "process", automation=0)])


@pytest.mark.parametrize("order", ["unless-first", "unless-last"])
def test_unless_does_not_depend_on_assertion_order(order):
    main = fact("mission", "mission")
    blocker = fact("transfer:t", "transfer", ok=True)
    facts = [blocker, main] if order == "unless-first" else [main, blocker]
    assert both(SPECS, facts, "order") == []
    assert both(SPECS, [main, fact("transfer:u", "transfer", ok=False)], "order") == [
        ("A002", "mission")
    ]


def test_more_evaluations_than_live_sessions_allowed():
    # durable_rules keeps at most 1024 live sessions per ruleset: each evaluation deletes its own.
    facts = [fact("process:a", "process", automation=0)]
    ev = eng.evaluator()
    for _ in range(1100):
        assert ev.evaluate(SPECS, "sessions", facts) == [("A001", "process:a")]


def test_session_with_no_finding_is_deleted_without_crashing():
    # Deleting a session where no rule fired crashes durable_rules: the $done rule fires.
    ev = eng.evaluator()
    for _ in range(50):
        assert (
            ev.evaluate(
                SPECS,
                "quiet",
                [
                    fact("process:a", "process", automation=4),
                    fact("transfer:t", "transfer", ok=True),
                    fact("mission", "mission"),
                ],
            )
            == []
        )


def test_no_timer_threads_and_thread_safe_evaluations():
    threads_before = {t.name for t in threading.enumerate()}
    plan = plan_of("[governance]\nsteering_every_days = 45\n")
    expected = check_plan(plan, as_of=AS_OF, engine="durable_rules").findings
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(check_plan(plan, as_of=AS_OF, engine="durable_rules").findings)
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 80 and all(r == expected for r in results)
    new_threads = {t.name for t in threading.enumerate()} - threads_before
    assert not new_threads  # durable_rules' Host starts two timer threads; ours none


def test_normalised_facts_have_no_none_no_exponent_and_bounded_ints():
    assert normal_value("float", 1.5e-06) == 0.0
    assert normal_value("float", 0.00012) == 0.0001
    assert normal_value("float", -0.0) == 0.0 and str(normal_value("float", -0.0)) == "0.0"
    assert normal_value("float", 3e20) == 2**53
    assert normal_value("int", -(10**30)) == -(2**53)
    assert normal_value("float", float("nan")) is None
    assert normal_value("str", "a\x00b") == "ab"
    assert normal_value("date", dt.date(2027, 1, 4)) == "2027-01-04"
    assert normal_value("list", ["a", "b"]) == 2
    assert normal_value("share", 1) == 1.0 and isinstance(normal_value("share", 1), float)
    f = normalise(
        {
            "fact": "kpi",
            "fact_id": "kpi:x",
            "row": 0,
            "id": "x",
            "baseline": 1e-9,
            "target": None,
            "history": [],
        }
    )
    assert f == {"id": "kpi:x", "t": "kpi", "f_id": "x", "f_baseline": 0.0, "f_history": 0}
    import json

    assert "e" not in json.dumps(normal_value("float", 123456789.123456789))


def test_extreme_values_reach_the_engine_intact():
    specs = (
        spec("B001", "kpi", [cond("baseline", "gt", 0.5, "float")]),
        spec("B002", "kpi", [cond("name", "eq", 'é"\\\n\t{}', "str")]),
    )
    facts = normalise_all(
        [
            {"fact": "kpi", "fact_id": "kpi:a", "baseline": 1e300, "name": 'é"\\\n\t{}'},
            {"fact": "kpi", "fact_id": "kpi:b", "baseline": 1e-300, "name": "x\x00"},
        ]
    )
    assert both(specs, facts, "extreme") == [("B001", "kpi:a"), ("B002", "kpi:a")]


def test_too_many_fields_is_an_engine_error(monkeypatch):
    import releve.rules.compile as comp

    monkeypatch.setattr(comp, "MAX_FIELDS", 5)
    with pytest.raises(EngineError, match="fields"):
        normalise(
            {
                "fact": "person",
                "fact_id": "person:a",
                "id": "a",
                "name": "n",
                "role": "r",
                "founder": True,
                "manager": True,
                "key": True,
            }
        )


def test_duplicate_fact_ids_are_refused():
    with pytest.raises(EngineError, match="share the id"):
        normalise_all(
            [{"fact": "mission", "fact_id": "mission"}, {"fact": "mission", "fact_id": "mission"}]
        )


def test_env_var_forces_the_python_evaluator(monkeypatch):
    monkeypatch.setenv("RELEVE_ENGINE", "python")
    assert engine_name() == "python"
    assert isinstance(get_evaluator(), PythonEvaluator)
    monkeypatch.delenv("RELEVE_ENGINE")
    assert engine_name() == "durable_rules"


def test_sessions_are_deleted():
    ev = eng.evaluator()
    undeleted = ev.undeleted
    facts = [fact("process:a", "process", automation=0)]
    ev.evaluate(SPECS, "deleted", facts)
    name = ev._compiled["deleted"]
    sid = str(next(ev._sessions) - 1 + 0)
    gc.collect()
    # The last session's state is gone: durable_rules reports it as unknown.
    import durable_rules_engine

    with pytest.raises(durable_rules_engine.error):
        ev._host.delete_state(name, sid)
    assert ev.undeleted == undeleted


def test_engine_refusal_is_an_engine_error():
    # Two facts with one id: durable_rules refuses the second (MessageObservedException).
    dup = [fact("process:a", "process", automation=0), fact("process:a", "process", automation=0)]
    ev = eng.evaluator()
    with pytest.raises(EngineError, match="durable_rules refused"):
        ev.evaluate(SPECS, "refused", dup)
    assert ev.undeleted <= 1  # a failed session may be kept rather than crash on delete
    assert eng.evaluator().evaluate(SPECS, "refused", dup[:1]) == [("A001", "process:a")]
