"""Writes planner/lean_plan.py, the lean reader of a plan, from the pydantic models.

``python -m releve.planner.leangen > planner/lean_plan.py`` regenerates it (it prints the
module: writing files is the store's business); tests/planner/test_lean.py checks that the
file in the tree is exactly what this prints (like rules/docgen and docs/rules.md).

The models in planner/model.py stay the one source of truth of the format. The lean reader
is a second, faster reading of the same models for ``releve check`` (no pydantic import,
no model building): it ACCEPTS only what it is certain pydantic accepts with identical
values (exact TOML types, every constraint of the field, every validator of the model run
through the same plain function of planner/behaviour.py), and says "not sure" on anything
else; the caller then runs the full pydantic validation, whose located messages are the
only ones a user ever sees.

What this generator does not understand (a new kind of field, constraint, validator or
model setting) stops it with an error naming it: teach it here, then regenerate. It never
guesses.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any, Union

import annotated_types
from pydantic import BaseModel, WrapValidator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from releve.planner import enums as plain_enums
from releve.planner import model
from releve.planner.model import Plan

TARGET = Path(__file__).parent / "lean_plan.py"


class GenerationError(Exception):
    """model.py uses something the lean reader cannot mirror with certainty."""


# --- validators the lean reader knows, by (model, validator) --------------------------------
# "field": a statement on the field's value `v` (after its type is checked);
# "after": a statement on the built object `o`; "before": a statement on the raw table `d`.
# Every statement calls planner/behaviour.py, the very function the pydantic validator calls.
VALIDATORS: dict[tuple[str, str], tuple[str, str]] = {
    ("Period", "_ordered"): ("after", "_b.period_in_order(o.from_, o.to)"),
    ("Coo", "_no_repeated_day"): ("field", "v = _b.no_repeated_day(v)"),
    ("Booking", "_part_of_one_day"): ("field", "v = _b.booking_days(v)"),
    ("Plan", "_format_first"): ("before", "_b.newer_format(d)"),
    ("Plan", "_known_format"): ("field", "v = _b.known_format(v)"),
    ("Plan", "_unique_ids"): (
        "field",
        "if _b.first_duplicate(v) is not None:\n    raise _UNSURE",
    ),
}
#: Functions of ``WrapValidator``s on an item type, by name: the shape they read.
WRAPPERS = {"_read_deliverable": "deliverable"}
#: Methods a model inherits from planner/behaviour.py (the lean twin inherits them too).
MIXINS = ("PeriodMethods", "PhaseMethods", "PlanMethods")
#: The model settings the reader assumes, each as model.py sets it.
CONFIG = {
    "extra": "forbid",
    "populate_by_name": True,  # the lean reader reads aliases only: a name is "not sure"
    "validate_assignment": True,  # assignment after reading: not the reader's concern
    "use_enum_values": False,
    "str_strip_whitespace": False,
    "allow_inf_nan": False,
}
#: A pattern whose meaning is the same for Python's `re.fullmatch` and pydantic's regex
#: engine: anchored at both ends, character classes and counts only.
_SIMPLE_PATTERN = re.compile(r"\^[\[\]a-zA-Z0-9_{},+-]*\$")


# --- shapes ---------------------------------------------------------------------------------


class Shape(typing.NamedTuple):
    kind: str  # str int float bool date enum model list deliverable
    arg: Any = None  # enum class, model class, item Shape
    ge: Any = None
    le: Any = None
    min_len: int | None = None
    max_len: int | None = None
    pattern: str | None = None

    def converter(self) -> str:
        """Name of the generated function that checks and converts one value."""
        if self.kind in ("model",):
            return "_" + _snake(str(self.arg.__name__))
        if self.kind == "enum":
            return "_enum_" + str(self.arg.__name__)
        if self.kind == "list":
            return "_list_of" + str(self.arg.converter())
        if self.kind == "deliverable":
            return "_deliverable_item"
        name = "_c_" + self.kind
        for part, value in (
            ("ge", self.ge),
            ("le", self.le),
            ("min", self.min_len),
            ("max", self.max_len),
        ):
            if value is not None:
                name += f"_{part}{_num(value)}"
        if self.pattern is not None:
            name += "_p" + str(_PATTERNS.setdefault(self.pattern, len(_PATTERNS)))
        return name

    def annotation(self) -> str:
        if self.kind in ("model", "enum"):
            return str(self.arg.__name__)
        if self.kind == "list":
            return f"list[{self.arg.annotation()}]"
        if self.kind == "deliverable":
            return "str | Deliverable"
        return {"date": "_date"}.get(self.kind, self.kind)


_PATTERNS: dict[str, int] = {}


def _q(text: str) -> str:
    """A string literal as the formatter writes it (double quotes)."""
    if not re.fullmatch(r"[^\"'\\\n]*", text):
        raise GenerationError(f"a name or pattern with quotes or escapes: {text!r}")
    return f'"{text}"'


def _num(value: Any) -> str:
    text = repr(value).replace("-", "m").replace(".", "_")
    return text


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _constraints(meta: list[Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in meta:
        if isinstance(m, annotated_types.Ge):
            out["ge"] = m.ge
        elif isinstance(m, annotated_types.Le):
            out["le"] = m.le
        elif isinstance(m, annotated_types.MinLen):
            out["min_len"] = m.min_length
        elif isinstance(m, annotated_types.MaxLen):
            out["max_len"] = m.max_length
        elif type(m).__name__ == "_PydanticGeneralMetadata" and set(vars(m)) == {"pattern"}:
            pattern = vars(m)["pattern"]
            if not _SIMPLE_PATTERN.fullmatch(pattern):
                raise GenerationError(f"{where}: pattern {pattern!r} is not a simple one")
            out["pattern"] = pattern
        elif isinstance(m, FieldInfo):
            if m.json_schema_extra is not None or m.alias is not None:
                raise GenerationError(f"{where}: a Field() inside a type sets more than bounds")
            out.update(_constraints(list(m.metadata), where))
        else:
            raise GenerationError(f"{where}: unknown constraint {m!r}")
    return out


def shape_of(  # noqa: C901  (one branch per kind of type, in the order pydantic reads)
    ann: Any, meta: list[Any], where: str, strict: bool
) -> tuple[Shape, bool]:
    """The shape of a field's type, and whether None is allowed (``X | None``)."""
    optional = False
    origin = typing.get_origin(ann)
    if origin in (Union, types.UnionType):
        args = typing.get_args(ann)
        if type(None) in args and len(args) == 2:
            optional = True
            ann = next(a for a in args if a is not type(None))
            origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(ann)
        wraps = [m for m in extra if isinstance(m, WrapValidator)]
        if wraps:
            if len(extra) != 1 or wraps[0].func.__name__ not in WRAPPERS:
                raise GenerationError(f"{where}: unknown wrap validator {wraps[0].func!r}")
            members = set(typing.get_args(base))
            if WRAPPERS[wraps[0].func.__name__] == "deliverable" and members == {
                str,
                model.Deliverable,
            }:
                return Shape("deliverable"), optional
            raise GenerationError(f"{where}: a wrap validator on an unexpected type")
        inner, inner_optional = shape_of(base, list(extra), where, strict)
        return inner, optional or inner_optional
    bounds = _constraints(meta, where)
    if origin is list:
        if bounds:
            raise GenerationError(f"{where}: bounds on a list")
        (item,) = typing.get_args(ann)
        return Shape("list", shape_of(item, [], where, strict)[0]), optional
    if origin is not None:
        raise GenerationError(f"{where}: unknown type {ann!r}")
    arg: Any
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        kind, arg = "model", ann
    elif isinstance(ann, type) and issubclass(ann, Enum):
        if strict:
            raise GenerationError(f"{where}: an enumeration in a strict model")
        kind, arg = "enum", ann
    elif ann in (str, int, float, bool, dt.date):
        kind, arg = (
            {str: "str", int: "int", float: "float", bool: "bool", dt.date: "date"}[ann],
            None,
        )
        if strict and kind == "float":
            raise GenerationError(f"{where}: a number in a strict model")
    else:
        raise GenerationError(f"{where}: unknown type {ann!r}")
    allowed = {"str": {"min_len", "max_len", "pattern"}, "int": {"ge", "le"}, "float": {"ge", "le"}}
    if set(bounds) - allowed.get(kind, set()):
        raise GenerationError(f"{where}: bounds {sorted(bounds)} on a {kind}")
    return Shape(kind, arg, **bounds), optional


def literal(value: Any, where: str) -> str:
    """Python source that builds ``value`` afresh (a default)."""
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if type(value) is str:
        return _q(value)
    if value is None or type(value) in (bool, int):
        return repr(value)
    if type(value) is float and value == value and abs(value) != float("inf"):
        return repr(value)
    if type(value) is list:
        return "[" + ", ".join(literal(v, where) for v in value) + "]"
    raise GenerationError(f"{where}: a default that cannot be written: {value!r}")


# --- the models -------------------------------------------------------------------------------


class Field(typing.NamedTuple):
    name: str
    key: str
    shape: Shape
    optional: bool
    default: str | None  # source of the default; None: required
    validators: tuple[str, ...]


class Model(typing.NamedTuple):
    cls: type[BaseModel]
    fields: tuple[Field, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    mixins: tuple[str, ...]


def _models() -> list[Model]:
    order: list[type[BaseModel]] = []

    def visit(cls: type[BaseModel]) -> None:
        if cls in order:
            return
        order.append(cls)
        for f in cls.model_fields.values():
            for sub in _models_in(f.annotation):
                visit(sub)

    visit(Plan)
    return [_model(cls) for cls in order]


def _models_in(ann: Any) -> list[type[BaseModel]]:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return [ann]
    return [m for a in typing.get_args(ann) for m in _models_in(a)]


def _model(cls: type[BaseModel]) -> Model:  # noqa: C901  (one check per model setting)
    name = cls.__name__
    config = dict(cls.model_config)
    strict = bool(config.pop("strict", False))
    if config != CONFIG:
        raise GenerationError(f"{name}: model settings {config} differ from {CONFIG}")
    if cls.__pydantic_post_init__ is not None:
        raise GenerationError(f"{name}: a model_post_init the lean reader does not run")
    decos = cls.__pydantic_decorators__
    for kind in ("validators", "root_validators", "computed_fields"):
        if getattr(decos, kind):
            raise GenerationError(f"{name}: {kind} the lean reader does not know")
    found: dict[str, tuple[str, str]] = {}
    for vname, deco in decos.field_validators.items():
        mode = deco.info.mode
        if mode != "after" or (name, vname) not in VALIDATORS:
            raise GenerationError(
                f"{name}.{vname}: a field validator the lean reader does not know"
            )
        found[vname] = VALIDATORS[(name, vname)]
        if found[vname][0] != "field":
            raise GenerationError(f"{name}.{vname}: registered as {found[vname][0]}")
    for vname, mdeco in decos.model_validators.items():
        mode = mdeco.info.mode
        if (name, vname) not in VALIDATORS or VALIDATORS[(name, vname)][0] != mode:
            raise GenerationError(
                f"{name}.{vname}: a {mode} validator the lean reader does not know"
            )
        found[vname] = VALIDATORS[(name, vname)]
    for (mname, vname), _ in VALIDATORS.items():
        if mname == name and vname not in found:
            raise GenerationError(f"{name}.{vname}: registered here but gone from model.py")
    fields = []
    for fname, info in cls.model_fields.items():
        where = f"{name}.{fname}"
        if info.validation_alias is not None and info.validation_alias != info.alias:
            raise GenerationError(f"{where}: a validation alias")
        shape, optional = shape_of(info.annotation, list(info.metadata), where, strict)
        if info.is_required():
            default = None
        elif info.default_factory is not None:
            default = literal(info.default_factory(), where)  # type: ignore[call-arg]
        else:
            default = literal(info.default, where)
        if info.default is not PydanticUndefined and info.default is None and not optional:
            raise GenerationError(f"{where}: a None default on a field that refuses None")
        checks = tuple(
            VALIDATORS[(name, v)][1]
            for v, deco in decos.field_validators.items()
            if fname in deco.info.fields
        )
        fields.append(Field(fname, info.alias or fname, shape, optional, default, checks))
    before = tuple(
        VALIDATORS[(name, v)][1] for v in decos.model_validators if found[v][0] == "before"
    )
    after = tuple(
        VALIDATORS[(name, v)][1] for v in decos.model_validators if found[v][0] == "after"
    )
    mixins = tuple(b.__name__ for b in cls.__mro__ if b.__name__ in MIXINS)
    return Model(cls, tuple(fields), before, after, mixins)


# --- the source --------------------------------------------------------------------------------

HEADER = '''"""GENERATED from planner/model.py: do not edit; regenerate with
``python -m releve.planner.leangen > planner/lean_plan.py``.

The lean reader of a plan (see planner/leangen.py and planner/lean.py): a twin of each
pydantic model with the same attributes, defaults and methods, and one function per model
that accepts a table only when pydantic surely accepts it with identical values, else
raises ``_UNSURE`` (then the caller validates with pydantic, which words the errors).
"""

# ruff: noqa: C901

from __future__ import annotations

import re as _re
from typing import Any

from releve.planner import behaviour as _b
from releve.planner.enums import {enums}
from releve.planner.lean_runtime import _EXACT, _NO, _UNSURE, _date, _isfinite, _Row
'''


def _scalar_function(shape: Shape) -> list[str]:
    name = shape.converter()
    lines = [f"def {name}(v: Any) -> Any:"]
    if shape.kind == "str":
        lines.append("    if type(v) is not str:")
        lines.append("        raise _UNSURE")
        if shape.min_len is not None or shape.max_len is not None:
            lo = shape.min_len if shape.min_len is not None else 0
            cond = f"{lo} <= len(v)" + (f" <= {shape.max_len}" if shape.max_len is not None else "")
            lines += [f"    if not {cond}:", "        raise _UNSURE"]
        if shape.pattern is not None:
            lines += [
                f"    if _P{_PATTERNS[shape.pattern]}.fullmatch(v) is None:",
                "        raise _UNSURE",
            ]
    elif shape.kind == "int":
        lines += ["    if type(v) is not int:", "        raise _UNSURE"]
    elif shape.kind == "float":
        lines += [
            "    if type(v) is int and -_EXACT <= v <= _EXACT:",
            "        v = float(v)",
            "    elif type(v) is not float or not _isfinite(v):",
            "        raise _UNSURE",
        ]
    elif shape.kind == "bool":
        lines += ["    if type(v) is not bool:", "        raise _UNSURE"]
    elif shape.kind == "date":
        lines += ["    if type(v) is not _date:", "        raise _UNSURE"]
    elif shape.kind == "enum":
        lines = [
            f"def {name}(v: Any) -> {shape.arg.__name__}:",
            f"    m = _{shape.arg.__name__}_VALUES.get(v) if type(v) is str else None",
            "    if m is None:",
            "        raise _UNSURE",
            "    return m",
        ]
        return lines
    else:
        raise GenerationError(f"no scalar function for {shape}")
    if shape.ge is not None:
        lines += [f"    if not v >= {shape.ge!r}:", "        raise _UNSURE"]
    if shape.le is not None:
        lines += [f"    if not v <= {shape.le!r}:", "        raise _UNSURE"]
    lines.append("    return v")
    return lines


def _model_source(m: Model) -> list[str]:
    name = m.cls.__name__
    bases = ", ".join(("_Row", *(f"_b.{x}" for x in m.mixins)))
    lines = [f"class {name}({bases}):", f'    """Lean twin of model.{name}."""', ""]
    for f in m.fields:
        ann = f.shape.annotation() + (" | None" if f.optional else "")
        lines.append(f"    {f.name}: {ann}")
    lines += ["", ""]
    if len(m.fields) == 1:
        lines.append(f"_{name.upper()}_KEYS = frozenset(({_q(m.fields[0].key)},))")
    else:
        lines += [f"_{name.upper()}_KEYS = frozenset(", "    ("]
        lines += [f"        {_q(f.key)}," for f in m.fields]
        lines += ["    )", ")"]
    lines += ["", ""]
    fn = "_" + _snake(name)
    lines += [
        f"def {fn}(d: Any) -> {name}:",
        f"    if type(d) is not dict or not _{name.upper()}_KEYS.issuperset(d):",
        "        raise _UNSURE",
    ]
    for stmt in m.before:
        lines += ["    " + s for s in stmt.splitlines()]
    for i, f in enumerate(m.fields):
        conv = f.shape.converter()
        if not f.validators:
            if f.default is None:
                lines.append(f"    a{i} = {conv}(d.get({_q(f.key)}, _NO))")
            else:
                lines.append(f"    v = d.get({_q(f.key)}, _NO)")
                lines.append(f"    a{i} = {f.default} if v is _NO else {conv}(v)")
            continue
        lines.append(f"    v = d.get({_q(f.key)}, _NO)")
        convert = [f"v = {conv}(v)", *f.validators]
        if f.default is None:
            lines += ["    " + s for c in convert for s in c.splitlines()]
        else:
            lines += ["    if v is _NO:", f"        v = {f.default}", "    else:"]
            lines += ["        " + s for c in convert for s in c.splitlines()]
        lines.append(f"    a{i} = v")
    lines.append(f"    o = {name}.__new__({name})")
    lines += ["    vars(o).update(", "        {"]
    lines += [f"            {_q(f.name)}: a{i}," for i, f in enumerate(m.fields)]
    lines += ["        }", "    )"]
    for stmt in m.after:
        lines += ["    " + s for s in stmt.splitlines()]
    lines.append("    return o")
    return lines


def generate() -> str:
    _PATTERNS.clear()
    models = _models()
    enums: list[type[Enum]] = []
    scalars: dict[str, Shape] = {}
    lists: dict[str, Shape] = {}

    def collect(shape: Shape) -> None:
        if shape.kind == "list":
            lists.setdefault(shape.converter(), shape)
            collect(shape.arg)
        elif shape.kind == "enum":
            if shape.arg not in enums:
                enums.append(shape.arg)
            scalars.setdefault(shape.converter(), shape)
        elif shape.kind not in ("model", "deliverable"):
            scalars.setdefault(shape.converter(), shape)

    for m in models:
        for f in m.fields:
            collect(f.shape)
    for e in enums:
        if getattr(plain_enums, e.__name__, None) is not e:
            raise GenerationError(f"{e.__name__}: an enumeration outside planner/enums.py")
    names = sorted(e.__name__ for e in enums)
    out = [HEADER.format(enums="(\n" + "".join(f"    {n},\n" for n in names) + ")")]
    for pattern, i in sorted(_PATTERNS.items(), key=lambda kv: kv[1]):
        out.append(f"_P{i} = _re.compile({_q(pattern[1:-1])})  # {pattern}, matched whole")
    for n in names:
        out.append(f"_{n}_VALUES = {{m.value: m for m in {n}}}")
    out.append("\n")
    for conv in sorted(scalars):
        out += _scalar_function(scalars[conv]) + ["", ""]
    for m in models:
        out += _model_source(m) + ["", ""]
    out += [
        "def _deliverable_item(v: Any) -> str | Deliverable:",
        "    # model._read_deliverable: a string, or a table read as a (strict) Deliverable.",
        "    return v if type(v) is str else _deliverable(v)",
        "",
        "",
    ]
    for conv in sorted(lists):
        item = lists[conv].arg.converter()
        out += [
            f"def {conv}(v: Any) -> list[Any]:",
            "    if type(v) is not list:",
            "        raise _UNSURE",
            f"    return [{item}(x) for x in v]",
            "",
            "",
        ]
    out += [
        "def read_plan(data: Any) -> Plan | None:",
        '    """The plan, read by the lean twins, or None when pydantic must decide."""',
        "    try:",
        "        return _plan(data)",
        "    except Exception:  # Unsure, a check's ValueError, or anything unforeseen",
        "        return None",
    ]
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    sys.stdout.write(generate())


if __name__ == "__main__":
    main()
