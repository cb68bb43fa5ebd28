"""Compiled rules on durable_rules, behind one lock, with its known traps handled.

durable-rules 2.0.28 traps, and what this module does about each (tests/rules/test_engine.py):
- a ruleset name is registered once and never unloaded → rulesets are named by the pack
  set's digest and compiled once per pack set (`_compiled`);
- ``register_rulesets`` mutates the dict it is given (it deletes each rule's ``run``) →
  it gets a definition built afresh for it (`ruleset_json` shares nothing between calls);
- a fact that matches no rule raises MessageNotHandledException → a catch-all rule that
  matches every fact but never fires (it also needs a fact of kind ``$never$``);
- facts with identical content collide (MessageObservedException) → every fact carries
  its unique fact id as ``id``;
- an exception raised in an action is swallowed into the session state → the state is
  read after each evaluation and an ``exception`` there raises EngineError;
- ``none`` (our ``unless``) depends on assertion order → every rule with `unless` joins
  on a trigger fact asserted after all other facts;
- at most 1024 live sessions per ruleset → one fresh session id per evaluation, its state
  deleted in ``finally``;
- deleting the state of a session in which no rule fired crashes the process (found
  here: ``free(): invalid pointer``) → a ``$done`` rule on the trigger alone fires once
  per evaluation (and proves the trigger was reached);
- not thread-safe, and its Host polls every ruleset from timer threads → one Host whose
  ``_run`` starts no timer, used only under `_LOCK`;
- None values, floats printed with exponents and facts of over ~250 fields break it →
  rules.compile.normalise;
- a rule whose ``$or`` holds by two branches fires twice for one fact → firings are
  deduplicated (found by the differential test);
- rules comparing fields of two facts can read out of bounds in its C code (upstream
  issue 381) → the pack language never compiles to them (relations are derived fields);
- it does not build on Python 3.13+ → `available()` is false there and rules.pipeline
  uses rules.pyeval (also forced with ``RELEVE_ENGINE=python``).
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable
from typing import Any

from releve.rules.compile import KIND_KEY, PREFIX, TRIGGER, EngineError

_LOCK = threading.Lock()
_ORDER = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}
_CATCH_ALL = "$catch_all"
#: Most matches one action receives (more make more actions: still correct).
CAP = 100_000
_DONE = "$done"


def available() -> bool:
    """durable_rules can be imported here."""
    try:
        import durable.engine  # noqa: F401
    except (ImportError, OSError):  # not installed, or a broken build of its C extension
        return False
    return True


# --- compiling a condition to durable_rules' JSON ------------------------------------------


def _cond_json(c: dict[str, Any]) -> list[dict[str, Any]]:
    """One condition as a list of tests that must all hold (flattened into the rule's
    ``$and``: fewer expression nodes in the engine)."""
    f = PREFIX + c["field"]
    op, ftype, v = c["op"], c["type"], c["value"]
    exists, absent = {"$ex": {f: 1}}, {"$nex": {f: 1}}
    if op == "missing":
        return [absent]
    if op in ("empty", "present"):
        blank = "" if ftype == "str" else 0 if ftype == "list" else None
        if op == "empty":
            return [absent if blank is None else {"$or": [absent, {f: blank}]}]
        return [exists] if blank is None else [exists, {"$neq": {f: blank}}]
    # A test on an absent field is false in durable_rules for eq and the orderings; the
    # negative tests get an explicit existence test, as the pack language requires.
    if op == "eq":
        return [{f: v}]
    if op == "ne":
        return [exists, {"$neq": {f: v}}]
    if op == "in":
        return [{f: v[0]}] if len(v) == 1 else [{"$or": [{f: x} for x in v]}]
    if op == "not_in":
        return [exists, *({"$neq": {f: x}} for x in v)]
    return [{_ORDER[op]: {f: v}}]


def _one(tests: list[dict[str, Any]]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _fact_json(kind: str, when: list[dict[str, Any]], anyc: list[dict[str, Any]]) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{KIND_KEY: kind}]
    for c in when:
        parts.extend(_cond_json(c))
    if anyc:
        alts = [_one(_cond_json(c)) for c in anyc]
        parts.append(alts[0] if len(alts) == 1 else {"$or": alts})
    return _one(parts)


def ruleset_json(specs: tuple[dict[str, Any], ...]) -> dict[str, dict[str, Any]]:
    """durable_rules' ruleset definition (without actions) for compiled rule specs.

    A rule with `unless` joins on the trigger fact, asserted last, so that its ``none``
    sees every fact; other rules match their one fact alone (no join: faster)."""
    out: dict[str, dict[str, Any]] = {}
    for i, s in enumerate(specs):
        m = {"m": _fact_json(s["fact"], s["when"], s["any"])}
        u = s.get("unless")
        # cap: one action receives every match of the rule (an action per match costs
        # a state round trip through JSON each).
        if u is None:
            out[f"r{i}"] = {"all": [m], "cap": CAP}
        else:
            none = {"u$not": _fact_json(u["fact"], u["when"], u["any"])}
            out[f"r{i}"] = {"all": [{"g": {KIND_KEY: TRIGGER}}, m, none], "cap": CAP}
    out[_CATCH_ALL] = {"all": [{"m": {"$ex": {KIND_KEY: 1}}}, {"n": {KIND_KEY: "$never$"}}]}
    out[_DONE] = {"all": [{"g": {KIND_KEY: TRIGGER}}]}
    return out


class DurableEvaluator:
    """The durable_rules evaluator. One per process (see `evaluator()`)."""

    name = "durable_rules"

    def __init__(self) -> None:
        from durable.engine import Host

        class _QuietHost(Host):  # type: ignore[misc]  # durable_rules has no types
            def _run(self) -> None:  # no dispatch/timer threads: we drive it ourselves
                pass

        self._host = _QuietHost()
        self._compiled: dict[str, str] = {}  # pack digest -> ruleset name
        self._sessions = itertools.count(1)
        self._fired: list[tuple[str, str]] = []
        self._codes: dict[str, list[str]] = {}  # ruleset name -> rule index -> code
        self.evaluations = 0
        self._completed = 0
        self._acted = False
        self.undeleted = 0

    def _done(self, c: Any) -> None:
        self._completed += 1
        self._acted = True

    def _action(self, name: str, index: int) -> Callable[[Any], None]:
        codes = self._codes[name]

        def act(c: Any) -> None:
            self._acted = True
            code = codes[index]
            for match in c.m:  # with `cap`, a list of matches
                d = match._d
                self._fired.append((code, d.get("m", d)["id"]))

        return act

    def _ruleset(self, specs: tuple[dict[str, Any], ...], digest: str) -> str:
        name = self._compiled.get(digest)
        if name is not None:
            return name
        name = f"releve_{digest}"
        self._codes[name] = [s["code"] for s in specs]
        # Built afresh here (no deep copy: ~600 nested dicts, a few ms of a cold check).
        definition = ruleset_json(specs)
        for i in range(len(specs)):
            definition[f"r{i}"]["run"] = self._action(name, i)
        definition[_CATCH_ALL]["run"] = _never
        definition[_DONE]["run"] = self._done
        # register_rulesets mutates what it is given: hand it a copy.
        self._host.register_rulesets(copy.copy({name: definition}))
        self._compiled[digest] = name
        return name

    def evaluate(
        self, specs: tuple[dict[str, Any], ...], digest: str, facts: list[dict[str, Any]]
    ) -> list[tuple[str, str]]:
        """(rule code, fact id) of every firing, sorted. Facts must be normalised."""
        import durable_rules_engine
        from durable.engine import MessageNotHandledException, MessageObservedException

        with _LOCK:
            name = self._ruleset(specs, digest)
            sid = str(next(self._sessions))
            self._fired = []
            self._completed = 0
            self._acted = False
            self.evaluations += 1
            batch = [dict(f, sid=sid) for f in facts]
            batch.append({"id": TRIGGER, "sid": sid, KIND_KEY: TRIGGER})
            try:
                try:
                    self._host.assert_facts(name, batch)
                except (
                    durable_rules_engine.error,
                    MessageNotHandledException,
                    MessageObservedException,
                ) as err:
                    message = getattr(err, "message", None) or str(err)
                    raise EngineError(f"durable_rules refused the facts: {message}") from err
                state = self._host.get_state(name, sid)
                if "exception" in state:
                    raise EngineError(f"a rule action failed: {state['exception']}")
                if self._completed != 1:
                    raise EngineError("the evaluation did not reach its trigger fact")
                # durable_rules fires once per branch of an $or that holds: one per fact.
                fired = sorted(set(self._fired))
            finally:
                self._fired = []
                self._delete(name, sid)
        return fired

    def _delete(self, name: str, sid: str) -> None:
        import durable_rules_engine

        if not self._acted:
            # Deleting a session in which no action ran crashes durable_rules; this only
            # happens when an evaluation failed: keep the (small) state and count it.
            self.undeleted += 1
            return
        try:
            self._host.delete_state(name, sid)
        except durable_rules_engine.error:
            self.undeleted += 1  # no state to delete: the facts never reached the engine

    def live_rulesets(self) -> int:
        return len(self._compiled)


def _never(c: Any) -> None:
    raise EngineError("the catch-all rule fired")  # would show up as an exception state


_EVALUATOR: DurableEvaluator | None = None


def evaluator() -> DurableEvaluator:
    """The process-wide durable_rules evaluator (created on first use)."""
    global _EVALUATOR
    with _LOCK:
        if _EVALUATOR is None:
            _EVALUATOR = DurableEvaluator()
        return _EVALUATOR
