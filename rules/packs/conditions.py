"""A rule's conditions (`when`, `any`, `unless`): fields of its fact kind, operators
for their type, values or `$parameters`, each mistake located."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from releve.rules.facts import FACT_KINDS
from releve.rules.packs.errors import (
    PackError,
    _suggest,
    _type_name,
    quote,
)
from releve.rules.packs.locate import _Draft, _fail_at
from releve.rules.packs.model import (
    OPS,
    OPS_BY_TYPE,
    UNARY_OPS,
    Condition,
    Unless,
)

_CONDITION_KEYS = {"field": "a field of the fact", "op": "an operator: " + " ".join(OPS)}


def _conditions(  # noqa: C901
    draft: _Draft,
    key: str,
    kind: str,
    raw: Any,
    params: dict[str, Any],
    used: set[str],
    *,
    outer: str | None = None,
    errors: list[PackError] | None = None,
) -> tuple[Condition, ...]:
    label = f"{outer}.{key}" if outer else key
    top = outer or key
    if not isinstance(raw, list):
        raise _fail_at(draft, top, f"{label} must be an array of conditions", report_key=label)
    out = []
    fields = FACT_KINDS[kind]
    for i, c in enumerate(raw):
        try:
            ck = f"{label}[{i}]"
            if not isinstance(c, dict):
                raise _fail_at(
                    draft, top, f"{ck} must be a table {{ field, op, value }}", report_key=ck
                )
            for k in c:
                if k not in ("field", "op", "value"):
                    raise _fail_at(
                        draft,
                        top,
                        f"unknown key '{quote(k)}' in a condition"
                        f"{_suggest(k, ('field', 'op', 'value'))}",
                        needles=(rf"\b{re.escape(k)}\s*=",),
                        report_key=f"{ck}.{k}",
                    )
            fname, op = c.get("field"), c.get("op")
            for k, v in (("field", fname), ("op", op)):
                if not isinstance(v, str):
                    got = "it is missing" if v is None else f"not {_type_name(v)}"
                    raise _fail_at(
                        draft,
                        top,
                        f"{ck}.{k} must be a string ({_CONDITION_KEYS[k]}), {got}",
                        needles=(rf"\b{k}\s*=",) if v is not None else (),
                        report_key=f"{ck}.{k}",
                    )
            if fname not in fields:
                known = ", ".join(fields)
                raise _fail_at(
                    draft,
                    top,
                    f"unknown field '{quote(str(fname))}' of fact kind '{kind}'"
                    f"{_suggest(str(fname), fields)} (fields: {known})",
                    needles=(rf"\bfield\s*=\s*\"{re.escape(str(fname))}\"",),
                    report_key=f"{ck}.field",
                )
            ftype = fields[fname].type
            if op not in OPS:
                raise _fail_at(
                    draft,
                    top,
                    f"unknown operator '{quote(str(op))}'{_suggest(str(op), OPS)} "
                    f"(expected one of: {' '.join(OPS)})",
                    needles=(rf"\bop\s*=\s*\"{re.escape(str(op))}\"",),
                    report_key=f"{ck}.op",
                )
            if op not in OPS_BY_TYPE[ftype]:
                raise _fail_at(
                    draft,
                    top,
                    f"operator '{op}' does not apply to {kind}.{fname}, a field of type {ftype} "
                    f"(it allows: {' '.join(OPS_BY_TYPE[ftype])})",
                    needles=(rf"\bop\s*=\s*\"{re.escape(str(op))}\"",),
                    report_key=f"{ck}.op",
                )
            param = None
            if op in UNARY_OPS:
                if "value" in c:
                    raise _fail_at(
                        draft,
                        top,
                        f"operator '{op}' takes no value",
                        needles=(rf"\bop\s*=\s*\"{op}\"", r"\bvalue\s*="),
                        report_key=f"{ck}.value",
                    )
                value = None
            else:
                if "value" not in c:
                    raise _fail_at(
                        draft,
                        top,
                        f"operator '{op}' needs a value",
                        needles=(rf"\bop\s*=\s*\"{op}\"",),
                        report_key=f"{ck}.value",
                    )
                value = c["value"]
                if isinstance(value, str) and value.startswith("$"):
                    param = value[1:]
                    if param not in params:
                        known = ", ".join(sorted(params)) or "none"
                        raise _fail_at(
                            draft,
                            top,
                            f"unknown parameter '${param}' (params: {known})",
                            needles=(re.escape(f'"{value}"'),),
                            report_key=f"{ck}.value",
                        )
                    used.add(param)
                    value = params[param]
                problem = _value_problem(ftype, op, value)
                if problem and param:
                    # Point at where the parameter was last set (maybe another pack).
                    raise _fail_at(
                        draft,
                        f"params.{param}",
                        f"parameter '{param}' for {kind}.{fname} {problem}",
                    )
                if problem:
                    raise _fail_at(
                        draft,
                        top,
                        f"value for {kind}.{fname} {problem}",
                        needles=(rf"\bfield\s*=\s*\"{fname}\"",),
                        report_key=f"{ck}.value",
                    )
                value = _normal_const(ftype, value)
            out.append(Condition(fname, op, value, param, ftype))
        except PackError as err:
            if errors is None:
                raise
            errors.append(err)
    return tuple(out)


def _value_problem(ftype: str, op: str, value: Any) -> str | None:
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return f"must be a non-empty array for '{op}'"
        for v in value:
            p = _value_problem(ftype, "eq", v)
            if p:
                return p
        return None
    ok: Callable[[Any], bool] = {
        "str": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "share": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "date": lambda v: (
            isinstance(v, dt.date)
            or (isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", v) is not None)
        ),
        "list": lambda v: False,
    }[ftype]
    if not ok(value):
        want = {
            "str": "a string",
            "int": "an integer",
            "float": "a number",
            "share": "a number between 0 and 1",
            "bool": "true or false",
            "date": "a date",
            "list": "nothing",
        }[ftype]
        return f"must be {want}, not {_type_name(value)}"
    if ftype == "share" and not 0 <= value <= 1:
        return f"must be a share between 0 and 1, not {value}"
    return None


def _normal_const(ftype: str, value: Any) -> Any:
    """A constant in the form facts take in the engine (rules.compile.normal_value)."""
    from releve.rules.compile import normal_value

    if isinstance(value, list):
        return tuple(_normal_const(ftype, v) for v in value)
    return normal_value(ftype, value)


def _unless(
    draft: _Draft,
    u: Any,
    kind: str,
    params: dict[str, Any],
    used: set[str],
    errors: list[PackError],
) -> Unless:
    if not isinstance(u, dict) or "fact" not in u:
        raise _fail_at(draft, "unless", 'unless must be a table { fact = "…", when = […] }')
    for k in u:
        if k not in ("fact", "when", "any"):
            raise _fail_at(
                draft,
                "unless",
                f"unknown key '{quote(k)}' in unless{_suggest(k, ('fact', 'when', 'any'))}",
                needles=(rf"\b{re.escape(k)}\s*=",),
                report_key=f"unless.{quote(k)}",
            )
    if not isinstance(u["fact"], str):
        raise _fail_at(
            draft,
            "unless",
            f"unless.fact must be a string (a fact kind), not {_type_name(u['fact'])}",
            needles=(r"\bfact\s*=",),
            report_key="unless.fact",
        )
    if u["fact"] not in FACT_KINDS:
        raise _fail_at(
            draft,
            "unless",
            f"unknown fact kind '{quote(u['fact'])}' in unless{_suggest(u['fact'], FACT_KINDS)}",
            needles=(re.escape(f'"{u["fact"]}"'),),
            report_key="unless.fact",
        )
    if u["fact"] == kind:
        # durable_rules' none never sees the fact the rule matched, so "unless a fact
        # of the same kind" would mean "unless another one": not what it reads as.
        raise _fail_at(
            draft,
            "unless",
            f"unless must look at another kind of fact than the rule ('{kind}')",
            needles=(re.escape(f'"{u["fact"]}"'),),
            report_key="unless.fact",
        )
    return Unless(
        u["fact"],
        _conditions(
            draft, "when", u["fact"], u.get("when", []), params, used, outer="unless", errors=errors
        ),
        _conditions(
            draft, "any", u["fact"], u.get("any", []), params, used, outer="unless", errors=errors
        ),
    )
