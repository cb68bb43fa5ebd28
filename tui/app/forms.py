"""Forms drawn from the plan model: field specs by introspection, text ↔ value, plan edits.

Nothing here imports Textual: the widgets (tui/app/widgets/form.py) render these specs, and the
edits below return a NEW plan each time (snapshots on the undo stack are never mutated).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
import tomllib
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from releve.planner import model as m
from releve.tui.i18n import PATTERN_REASONS, enum_label, localize_reason, reason, row_noun

#: Which table a reference field points into, by (table, TOML key).
REFERENCES: dict[tuple[str, str], str] = {
    ("exit", "founder"): "person",
    ("scope", "internal_counterpart"): "person",
    ("scope", "successor"): "person",
    ("governance", "reports_to"): "person",
    ("governance", "sponsor"): "person",
    ("objective", "kpi"): "kpi",
    ("person", "backup"): "person",
    ("process", "owner"): "person",
    ("process", "backup"): "person",
    ("phase", "after"): "phase",
    ("transfer", "process"): "process",
    ("transfer", "from"): "person",
    ("transfer", "to"): "person",
    ("transfer", "phase"): "phase",
    ("kpi", "owner"): "person",
    ("irritant", "owner"): "person",
    ("booking", "phase"): "phase",
    ("meeting", "attendees"): "person",
}

#: Model of each table of the plan.
TABLE_MODELS: dict[str, type[BaseModel]] = {
    "mission": m.MissionInfo,
    "company": m.Company,
    "exit": m.Exit,
    "coo": m.Coo,
    "scope": m.Scope,
    "governance": m.Governance,
    "objective": m.Objective,
    "person": m.Person,
    "process": m.Process,
    "phase": m.Phase,
    "transfer": m.Transfer,
    "kpi": m.Kpi,
    "signal": m.Signal,
    "irritant": m.Irritant,
    "waiver": m.Waiver,
    "booking": m.Booking,
    "meeting": m.Meeting,
    "rules": m.Rules,
}

#: Columns shown in the table of each array (TOML keys); the form shows every field.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "objective": ("id", "stake", "statement", "kpi"),
    "person": ("id", "name", "role", "founder", "manager", "key", "backup"),
    "process": ("id", "name", "critical", "owner", "backup", "documentation", "automation"),
    "phase": ("id", "kind", "name", "after", "effort_days", "not_before", "gate"),
    "transfer": ("id", "topic", "from", "to", "phase", "method", "status"),
    "kpi": ("id", "category", "name", "unit", "baseline", "target", "direction", "owner"),
    "signal": ("on", "kind", "level", "note"),
    "irritant": ("id", "title", "opened", "owner", "closed"),
    "waiver": ("rule", "target", "reason", "owner", "expires"),
    "booking": ("on", "phase", "days", "note"),
    "meeting": ("on", "kind", "attendees", "decisions", "note"),
}

#: The mission log's tables: shown newest first (by ``on``), never moved by hand.
LOG_ORDERED = ("booking", "meeting")


def display_order(table: str, rows: list[Any]) -> list[int]:
    """Indexes of ``rows`` in the order a table shows them: the file's order, or for the
    log newest first (on the same day, the one written last first)."""
    order = list(range(len(rows)))
    if table in LOG_ORDERED:
        order.sort(key=lambda i: (rows[i].on, i), reverse=True)
    return order


#: Special referents besides the table's ids.
EXTRA_REFS: dict[tuple[str, str], tuple[str, ...]] = {("transfer", "from"): ("coo",)}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form."""

    table: str
    name: str  # attribute name (``from_``)
    key: str  # TOML key (``from``)
    kind: str  # str int float bool date enum ref list_str list_enum list_ref toml
    optional: bool  # None is a valid value (the field may be left empty)
    required: bool  # must be given when creating a row
    enum: type[enum.Enum] | None = None
    ref: str | None = None  # table a reference points into

    @property
    def ident(self) -> str:
        return f"{self.table}.{self.key}"


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None`` / Annotated, and whether None was allowed."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        inner, opt2 = _unwrap(args[0]) if len(args) == 1 else (annotation, False)
        return inner, optional or opt2
    return annotation, optional


def _text_or_table(item: Any) -> bool:
    """An item that is text or a table (a phase's deliverables, tracking.md)."""
    if typing.get_origin(item) not in (typing.Union, types.UnionType):
        return False
    return str in typing.get_args(item)


def _kind(table: str, key: str, annotation: Any) -> tuple[str, type[enum.Enum] | None, str | None]:
    ref = REFERENCES.get((table, key))
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        item, _ = _unwrap(item)
        if ref:
            return "list_ref", None, ref
        if isinstance(item, type) and issubclass(item, enum.Enum):
            return "list_enum", item, None
        if item is str or _text_or_table(item):
            return "list_str", None, None
        return "toml", None, None
    if ref:
        return "ref", None, ref
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return "enum", annotation, None
        if annotation is bool:
            return "bool", None, None
        if annotation is int:
            return "int", None, None
        if annotation is float:
            return "float", None, None
        if annotation is dt.date:
            return "date", None, None
    return "str", None, None


def field_specs(table: str) -> list[FieldSpec]:
    """Every field of a table, in model order."""
    model = TABLE_MODELS[table]
    specs = []
    for name, info in model.model_fields.items():
        inner, optional = _unwrap(info.annotation)
        key = info.alias or name
        kind, enum_type, ref = _kind(table, key, inner)
        specs.append(
            FieldSpec(
                table=table,
                name=name,
                key=key,
                kind=kind,
                optional=optional,
                required=info.is_required(),
                enum=enum_type,
                ref=ref,
            )
        )
    return specs


def spec_by_key(table: str, key: str) -> FieldSpec | None:
    return next((s for s in field_specs(table) if s.key == key or s.name == key), None)


# --- text <-> value -------------------------------------------------------------------


def format_value(spec: FieldSpec, value: Any) -> str:
    """The text an input shows for a value."""
    if value is None:
        return ""
    if spec.kind in ("list_str",):
        joined = "; ".join(v for v in value if isinstance(v, str))
        if all(isinstance(v, str) and ";" not in v for v in value) and not joined.startswith("["):
            return joined
        return _toml_inline(value)  # some items are tables: the whole list as TOML
    if spec.kind in ("list_enum", "list_ref"):
        return ", ".join(str(v.value if isinstance(v, enum.Enum) else v) for v in value)
    if spec.kind == "toml":
        return _toml_inline(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and spec.kind == "float":
        return str(value)
    return str(value)


def cell_text(spec: FieldSpec, value: Any, lang: str = "en") -> str:
    """The text a table cell shows for a value (enumerations by their label in ``lang``)."""
    if isinstance(value, bool):
        return "✓" if value else ""
    if spec.enum is not None and spec.kind == "enum" and value is not None:
        return enum_label(lang, spec.enum, value)
    if spec.enum is not None and spec.kind == "list_enum" and value:
        return ", ".join(enum_label(lang, spec.enum, v) for v in value)
    return format_value(spec, value)


def _escape_control(char: str) -> str:
    """A control character as a TOML escape (a basic string cannot hold it raw)."""
    return f"\\u{ord(char):04x}" if ord(char) < 0x20 or ord(char) == 0x7F else char


def _toml_scalar(value: Any) -> str:
    if isinstance(value, str):
        out = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + "".join(_escape_control(c) for c in out) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _toml_scalar(value.value)
    return str(value)


def _toml_inline(rows: list[BaseModel | str]) -> str:
    parts = []
    for row in rows:
        if isinstance(row, str):
            parts.append(_toml_scalar(row))
            continue
        data = row.model_dump(by_alias=True, exclude_none=True)
        inner = ", ".join(f"{k} = {_toml_scalar(v)}" for k, v in data.items())
        parts.append("{ " + inner + " }")
    return "[" + ", ".join(parts) + "]"


def parse_value(spec: FieldSpec, text: str, lang: str = "en") -> Any:  # noqa: C901
    """The value typed in an input; raises ValueError with a short reason in ``lang``.

    Empty text is None (or an empty list). Constraints of the model (ranges, patterns)
    are checked when the value is applied, by pydantic.
    """
    text = text.strip()
    if spec.kind == "list_str" and text.startswith("["):
        return parse_value(dataclasses.replace(spec, kind="toml"), text, lang)
    if spec.kind in ("list_str",):
        return [part.strip() for part in text.split(";") if part.strip()]
    if spec.kind in ("list_enum", "list_ref"):
        items = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if spec.kind == "list_enum" and spec.enum:
            allowed = [e.value for e in spec.enum]
            bad = [i for i in items if i not in allowed]
            if bad:
                raise ValueError(
                    reason(lang, "unknown_values", bad=", ".join(bad), allowed=", ".join(allowed))
                )
        return items
    if spec.kind == "toml":
        if not text:
            return []
        try:
            return tomllib.loads("v = " + text)["v"]
        except tomllib.TOMLDecodeError as err:
            raise ValueError(reason(lang, "toml", error=err)) from err
    if text == "":
        return None
    if spec.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(reason(lang, "int")) from None
    if spec.kind == "float":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise ValueError(reason(lang, "float")) from None
    if spec.kind == "date":
        return parse_date(text, lang)
    if spec.kind == "bool":
        if text.lower() in ("true", "yes", "oui", "1"):
            return True
        if text.lower() in ("false", "no", "non", "0"):
            return False
        raise ValueError(reason(lang, "bool"))
    return text


_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, lang: str = "en") -> dt.date:
    """A ``YYYY-MM-DD`` date; the reason says whether the shape or the day is wrong
    (2027-02-30 has the shape of a date but no such day exists)."""
    text = text.strip()
    if not _DATE_SHAPE.match(text):
        raise ValueError(reason(lang, "date"))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(reason(lang, "no_such_date")) from None


def problem_reason(problem: Any, lang: str = "en") -> str:
    """One pydantic problem (an item of ``ValidationError.errors()``) as a short reason."""
    kind = problem.get("type", "")
    ctx = problem.get("ctx") or {}
    if kind == "missing":
        return reason(lang, "required")
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern in PATTERN_REASONS:
            return reason(lang, PATTERN_REASONS[pattern])
        return reason(lang, "pattern", pattern=pattern)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        key = {
            "greater_than_equal": "ge",
            "less_than_equal": "le",
            "greater_than": "gt",
            "less_than": "lt",
        }[kind]
        return reason(lang, key, **{key: ctx.get(key, "")})
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return reason(lang, "too_short" if n == 1 else "too_short_n", min_length=n)
    if kind == "string_too_long":
        return reason(lang, "too_long", max_length=ctx.get("max_length", ""))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return reason(lang, "int")
    if kind in ("float_parsing", "float_type"):
        return reason(lang, "float")
    if kind.startswith("date_"):
        return reason(lang, "date")
    if kind in ("bool_parsing", "bool_type"):
        return reason(lang, "bool")
    if kind == "duplicate_id":
        return reason(
            lang,
            "duplicate_id",
            table=row_noun(lang, str(ctx.get("table", ""))).lower(),
            rid=ctx.get("rid", ""),
            first=ctx.get("first", ""),
        )
    return localize_reason(lang, str(problem.get("msg", "")))


def error_reason(err: ValidationError | ValueError, lang: str = "en") -> str:
    """One short line saying why a value was refused, in ``lang``."""
    if isinstance(err, ValidationError):
        problems = err.errors()
        return problem_reason(problems[0], lang) if problems else localize_reason(lang, str(err))
    return localize_reason(lang, str(err))


# --- plan edits (each returns a new plan) ----------------------------------------------


def row_ids(plan: m.Plan, table: str) -> list[str]:
    return [r.id for r in getattr(plan, table, []) if hasattr(r, "id")]


def ref_choices(plan: m.Plan, table: str, key: str) -> list[tuple[str, str]]:
    """(label, id) of what a reference field can name, from the plan's own rows."""
    target = REFERENCES[(table, key)]
    choices = [(rid, rid) for rid in EXTRA_REFS.get((table, key), ())]
    for row in getattr(plan, target):
        name = getattr(row, "name", None) or getattr(row, "title", None)
        label = f"{name} ({row.id})" if name else row.id
        choices.append((label, row.id))
    return choices


def with_field(plan: m.Plan, table: str, spec: FieldSpec, value: Any) -> m.Plan:
    """A new plan whose single table ``table`` has ``spec`` set to ``value``.

    Raises ValidationError (with the reason) when the model refuses the value.
    """
    model = TABLE_MODELS[table]
    current = getattr(plan, table)
    data = current.model_dump(by_alias=True, exclude_unset=True) if current else {}
    if value is None:
        data.pop(spec.key, None)
    else:
        data[spec.key] = value
    new_table = model.model_validate(data)
    return replace_part(plan, table, new_table)


def replace_part(plan: m.Plan, part: str, value: Any) -> m.Plan:
    """A new plan with one top-level part replaced (validated: unique ids and so on)."""
    data = {name: getattr(plan, name) for name in plan.model_fields_set | {"mission"}}
    data[part] = value
    return m.Plan.model_validate(data)


def build_row(table: str, values: dict[str, Any]) -> BaseModel:
    """A row of ``table`` from TOML-keyed values (None values are left out)."""
    data = {k: v for k, v in values.items() if v is not None}
    return TABLE_MODELS[table].model_validate(data)


def row_values(row: BaseModel) -> dict[str, Any]:
    """The TOML-keyed values of a row, as the form shows them."""
    return {
        (info.alias or name): getattr(row, name) for name, info in type(row).model_fields.items()
    }


def with_rows(plan: m.Plan, table: str, rows: list[BaseModel]) -> m.Plan:
    return replace_part(plan, table, list(rows))


def unique_id(plan: m.Plan, table: str, base: str) -> str:
    taken = set(row_ids(plan, table))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def duplicate_row(plan: m.Plan, table: str, index: int) -> tuple[m.Plan, int]:
    rows = list(getattr(plan, table))
    copy = rows[index].model_copy(deep=True)
    if hasattr(copy, "id"):
        data = copy.model_dump(by_alias=True, exclude_unset=True)
        data["id"] = unique_id(plan, table, rows[index].id + "-copy")
        copy = TABLE_MODELS[table].model_validate(data)
    rows.insert(index + 1, copy)
    return with_rows(plan, table, rows), index + 1


def delete_row(plan: m.Plan, table: str, index: int) -> m.Plan:
    rows = list(getattr(plan, table))
    del rows[index]
    return with_rows(plan, table, rows)


def move_row(plan: m.Plan, table: str, index: int, delta: int) -> tuple[m.Plan, int]:
    rows = list(getattr(plan, table))
    target = index + delta
    if not (0 <= index < len(rows)) or not (0 <= target < len(rows)):
        return plan, index
    rows[index], rows[target] = rows[target], rows[index]
    return with_rows(plan, table, rows), target


def set_row(plan: m.Plan, table: str, index: int | None, row: BaseModel) -> tuple[m.Plan, int]:
    """Replace row ``index`` (or append when None); returns the plan and the row's index."""
    rows = list(getattr(plan, table))
    if index is None:
        rows.append(row)
        index = len(rows) - 1
    else:
        rows[index] = row
    return with_rows(plan, table, rows), index


def new_row_defaults(plan: m.Plan, table: str, as_of: dt.date) -> dict[str, Any]:
    """Values a new row's form starts with (a free id, today's date where one is required)."""
    values: dict[str, Any] = {}
    for spec in field_specs(table):
        if spec.key == "id":
            values["id"] = unique_id(plan, table, table)
        elif spec.required and spec.kind == "date":
            values[spec.key] = as_of
        elif spec.required and spec.kind == "enum" and spec.enum:
            values[spec.key] = next(iter(spec.enum))
    return values


def with_workdays(plan: m.Plan, days: int) -> m.Plan:
    """The plan with the COO working the first ``days`` weekdays from Monday: what the
    what-if of the timeline (and ``schedule --days-per-week``) computed."""
    spec = spec_by_key("coo", "workdays")
    assert spec is not None
    return with_field(plan, "coo", spec, list(m.Weekday)[: max(1, min(days, 7))])
