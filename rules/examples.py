"""Runs the examples of a pack's rules (`releve rules test`): does each rule fire where its
examples say, and stay silent where they say it does not?

An example (``[[rule.example]]`` in a pack) is a TOML fragment merged over
rules/example_base.toml — a plan that breaks no rule of the default pack — tables key by
key and arrays replaced whole; ``unset`` removes dotted keys from the base; ``base =
false`` makes the fragment the whole plan. ``fires`` says whether the rule must fire,
``target`` on which fact (``"process:purchasing"``), ``as_of`` on which date.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from releve.planner.model import Plan
from releve.planner.records import record
from releve.rules.packs import DEFAULT_PACK, Example, PackSet, Rule, load_pack_set

EXAMPLE_BASE = Path(__file__).with_name("example_base.toml")
#: The check date of an example that gives none.
EXAMPLE_AS_OF = dt.date(2027, 3, 1)


@record
class ExampleResult:
    rule: str  # the rule's code
    index: int  # the example's place among the rule's examples (from 0)
    example: Example
    passed: bool
    detail: str  # what happened, one line
    fired_on: tuple[str, ...] = ()  # the targets the rule fired on
    where: str | None = None  # "PACK:LINE" of the example


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _unset(data: dict[str, Any], dotted: str) -> None:
    *parents, last = dotted.split(".")
    node: Any = data
    for p in parents:
        node = node.get(p) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(last, None)


_BASE_CACHE: dict[str, Any] = {}


def base_data() -> dict[str, Any]:
    """The example base plan as a TOML dict (a fresh copy)."""
    if "data" not in _BASE_CACHE:
        _BASE_CACHE["data"] = tomllib.loads(EXAMPLE_BASE.read_text(encoding="utf-8"))
    return copy.deepcopy(_BASE_CACHE["data"])


def example_plan(example: Example) -> Plan:
    """The plan an example describes. Raises ValueError with a one-line reason."""
    try:
        fragment = tomllib.loads(example.plan) if example.plan.strip() else {}
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"the example's plan is not valid TOML: {err}") from None
    data = _merge(base_data(), fragment) if example.base else fragment
    for key in example.unset:
        _unset(data, key)
    try:
        return Plan.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValueError(f"the example's plan does not load: {where}: {first['msg']}") from None


def run_example(
    rule: Rule, index: int, example: Example, ps: PackSet, pack_label: str | None = None
) -> ExampleResult:
    """Check one example of `rule` with the pack set `ps`."""
    from releve.rules.pipeline import check_plan

    shown = example.file or pack_label
    where = f"{shown}:{example.line}" if shown and example.line else shown
    try:
        plan = example_plan(example)
    except ValueError as err:
        return ExampleResult(rule.code, index, example, False, str(err), where=where)
    result = check_plan(plan, as_of=example.as_of or EXAMPLE_AS_OF, pack_set=ps, lang="en")
    fired = tuple(f.target for f in result.findings if f.rule == rule.code)
    if example.fires:
        ok = bool(fired) and (example.target is None or example.target in fired)
        if ok:
            detail = f"fires on {', '.join(fired)}"
        elif fired:
            detail = f"fires on {', '.join(fired)}, not on {example.target}"
        else:
            detail = "does not fire, the example says it does"
    else:
        ok = not fired if example.target is None else example.target not in fired
        detail = "silent" if ok else f"fires on {', '.join(fired)}, the example says it does not"
    return ExampleResult(rule.code, index, example, ok, detail, fired, where)


def _pack(pack: str | Path) -> tuple[PackSet, str, str]:
    """The pack set `pack` makes over the default pack, its origin label, its shown path."""
    if str(pack) == "default":
        return load_pack_set(), "default", str(DEFAULT_PACK)
    path = Path(pack)
    return load_pack_set(extra=(path,)), str(path), str(path)


def example_rules(pack: str | Path) -> list[Rule]:
    """The rules in force whose examples `pack` gives (the ones `run_examples` runs).
    Raises rules.packs.PackError when the pack cannot be loaded."""
    ps, label, _ = _pack(pack)
    return [r for r in ps.rules if r.examples and r.origin.get("example") == label]


def run_examples(pack: str | Path, *, codes: tuple[str, ...] = ()) -> list[ExampleResult]:
    """Run the examples a pack gives its rules, over the default pack (``pack`` may be
    ``"default"``: the shipped pack's own examples). `codes` limits the run to some rules.
    Raises rules.packs.PackError when the pack cannot be loaded."""
    ps, _, shown = _pack(pack)
    out: list[ExampleResult] = []
    for rule in example_rules(pack):
        if codes and rule.code not in codes:
            continue
        for i, ex in enumerate(rule.examples):
            out.append(run_example(rule, i, ex, ps, shown))
    return out
