"""Facts and compiled rules in the one form both evaluators run (durable_rules, plain Python).

Facts are normalised for durable_rules' C parser: no None (absent instead), dates as ISO
strings, floats rounded to 4 decimals so JSON never prints an exponent, integers clamped
to ±2**53, lists reduced to their length, every field prefixed ``f_`` (so no plan field
can collide with the engine's ``id``/``sid``), the kind in ``t`` and the unique fact id in
``id``. Both evaluators read the same normalised facts: their findings can be compared.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from releve.rules.facts import FACT_KINDS

#: Most fields a fact may carry into the engine (durable_rules breaks past ~250).
MAX_FIELDS = 200
INT_LIMIT = 2**53
KIND_KEY, ID_KEY, PREFIX = "t", "id", "f_"
#: Kind of the fact asserted after all others: every rule joins on it, so `unless`
#: (durable_rules' none) is evaluated only once every fact is in.
TRIGGER = "$trigger"


class EngineError(RuntimeError):
    """The rule engine failed on a plan (a bug in releve or in durable_rules, not the user's)."""


def normal_value(ftype: str, value: Any) -> Any:
    """One field value in engine form (None when the value is unknown)."""
    if value is None:
        return None
    t = type(value)
    if t is str:
        return value.replace("\x00", "") if "\x00" in value else value  # C stops at NUL
    if t is bool:
        return value
    if ftype == "list":
        return len(value) if isinstance(value, (list, tuple)) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if ftype in ("float", "share") and isinstance(value, (int, float)):
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if abs(value) >= 1e15:
            return max(-INT_LIMIT, min(INT_LIMIT, int(value)))
        value = round(value, 4)
        return 0.0 if value == 0 else value  # no "-0.0"
    if isinstance(value, int):
        return max(-INT_LIMIT, min(INT_LIMIT, value))
    return str(value)


#: kind -> ((field, engine key, type), ...), computed once.
_LAYOUT: dict[str, tuple[tuple[str, str, str], ...]] = {
    kind: tuple((name, PREFIX + name, fs.type) for name, fs in spec.items())
    for kind, spec in FACT_KINDS.items()
}


_KEPT: dict[tuple[str, frozenset[str]], tuple[tuple[str, str, str], ...]] = {}


def _layout(kind: str, keep: frozenset[str] | None) -> tuple[tuple[str, str, str], ...]:
    if keep is None:
        return _LAYOUT[kind]
    key = (kind, keep)
    lay = _KEPT.get(key)
    if lay is None:
        lay = _KEPT[key] = tuple(x for x in _LAYOUT[kind] if x[0] in keep)
    return lay


def normalise(
    fact: dict[str, Any], fields: dict[str, frozenset[str]] | None = None
) -> dict[str, Any]:
    """A fact from rules.facts in engine form (see the module docstring); with `fields`
    (kind -> field names), only the fields some rule reads are kept."""
    kind = fact["fact"]
    out: dict[str, Any] = {ID_KEY: fact["fact_id"], KIND_KEY: kind}
    for name, key, ftype in _layout(kind, fields.get(kind) if fields is not None else None):
        v = fact.get(name)
        if v is not None:
            v = normal_value(ftype, v)
            if v is not None:
                out[key] = v
    if len(out) > MAX_FIELDS:
        raise EngineError(f"fact {fact['fact_id']} has {len(out)} fields (at most {MAX_FIELDS})")
    return out


def normalise_all(
    facts: list[dict[str, Any]], fields: dict[str, frozenset[str]] | None = None
) -> list[dict[str, Any]]:
    """Every fact in engine form; with `fields`, facts of kinds no rule reads are left
    out and the others keep only the fields some rule reads."""
    seen: set[str] = set()
    out = []
    for f in facts:
        if f["fact_id"] in seen:
            raise EngineError(f"two facts share the id {f['fact_id']}")
        seen.add(f["fact_id"])
        if fields is None or f["fact"] in fields:
            out.append(normalise(f, fields))
    return out


def fields_read(specs: tuple[dict[str, Any], ...]) -> dict[str, frozenset[str]]:
    """kind -> the fields the compiled rules read (the kinds they look at, even with no
    condition, are present)."""
    out: dict[str, set[str]] = {}
    for s in specs:
        parts = [(s["fact"], s["when"] + s["any"])]
        if "unless" in s:
            u = s["unless"]
            parts.append((u["fact"], u["when"] + u["any"]))
        for kind, conds in parts:
            out.setdefault(kind, set()).update(c["field"] for c in conds)
    return {k: frozenset(v) for k, v in out.items()}


def matches(cond: dict[str, Any], fact: dict[str, Any]) -> bool:
    """One compiled condition on one normalised fact — the reference semantics."""
    key = PREFIX + cond["field"]
    op, ftype = cond["op"], cond["type"]
    present = key in fact
    v = fact.get(key)
    if op == "missing":
        return not present
    if op in ("empty", "present"):
        empty = (not present) or (ftype == "str" and v == "") or (ftype == "list" and v == 0)
        return empty if op == "empty" else not empty
    if not present:
        return False
    c = cond["value"]
    if op == "eq":
        return _same(v, c)
    if op == "ne":
        return not _same(v, c)
    if op == "in":
        return any(_same(v, x) for x in c)
    if op == "not_in":
        return not any(_same(v, x) for x in c)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    if op == "lt":
        return bool(v < c)
    if op == "le":
        return bool(v <= c)
    if op == "gt":
        return bool(v > c)
    if op == "ge":
        return bool(v >= c)
    raise EngineError(f"unknown operator {op}")


def _same(a: Any, b: Any) -> bool:
    # A boolean never equals a number (true is not 1), as in JSON.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)
