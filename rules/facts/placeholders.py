"""Placeholders: values of a plan still equal to the example values of the plan template
that `releve new` writes (planner/template.toml), one `placeholder` fact each (issue 15).

What counts is listed in `TEMPLATE_FIELDS` and `TEMPLATE_ROW_FIELDS`, the values are read
from the template itself (so they follow it): the mission's id and title, the company's
name, sector and example shares, the COO's name and firm, the example people's names and
the example process's id and name. A placeholder is not evidence (rules.coverage): the
untouched template is *not assessed*.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import releve.planner

try:  # the compiled parser `releve check` has already imported for the plan
    import tomli as _toml
except ImportError:  # pragma: no cover - the same parser, in pure Python
    import tomllib as _toml  # type: ignore[no-redef]

#: table -> keys whose template value is an example to replace.
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "mission": ("id", "title"),
    "company": (
        "name",
        "sector",
        "top_customer_share",
        "top_supplier_share",
        "recurring_revenue_share",
    ),
    "coo": ("name", "firm"),
}
#: array table -> keys of its rows whose template values are examples.
TEMPLATE_ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("name",),
    "process": ("id", "name"),
}


@functools.cache
def template_values() -> dict[str, tuple[Any, ...]]:
    """``"company.name"`` -> the template's example values for that key (rows: every row's).
    Empty when the template cannot be read (a broken install: no placeholder is found)."""
    try:
        data = _toml.loads(_template_text())
    except (OSError, ModuleNotFoundError, _toml.TOMLDecodeError, UnicodeDecodeError):
        return {}
    out: dict[str, tuple[Any, ...]] = {}
    for table, keys in TEMPLATE_FIELDS.items():
        t = data.get(table)
        for key in keys:
            if isinstance(t, dict) and key in t:
                out[f"{table}.{key}"] = (t[key],)
    for table, keys in TEMPLATE_ROW_FIELDS.items():
        rows = [r for r in data.get(table, []) if isinstance(r, dict)]
        for key in keys:
            values = tuple(r[key] for r in rows if key in r)
            if values:
                out[f"{table}.{key}"] = values
    return out


def _template_text() -> str:
    """planner/template.toml, beside the package's modules (importlib.resources, which
    costs a cold check more than reading the file, only for an installation in a zip)."""
    try:
        return (Path(releve.planner.__file__).parent / "template.toml").read_text(encoding="utf-8")
    except (OSError, TypeError):
        from importlib.resources import files

        return files("releve.planner").joinpath("template.toml").read_text(encoding="utf-8")


def _same(value: Any, examples: tuple[Any, ...]) -> bool:
    if value is None or isinstance(value, bool):
        return False
    for ex in examples:
        if isinstance(ex, bool):
            continue
        if isinstance(value, str) and isinstance(ex, str):
            same = value.strip().casefold() == ex.strip().casefold()
        else:
            same = isinstance(value, (int, float)) and isinstance(ex, (int, float))
            same = same and float(value) == float(ex)
        if same:
            return True
    return False


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def placeholder_facts(c: Any) -> list[dict[str, Any]]:
    """One fact per value still equal to the template's example (Context `c`)."""
    examples = template_values()
    if not examples:
        return []
    plan = c.plan
    out: list[dict[str, Any]] = []
    for table, keys in TEMPLATE_FIELDS.items():
        model = getattr(plan, table, None)
        if model is None:
            continue
        for key in keys:
            value = model.__dict__.get(key)
            field = f"{table}.{key}"
            if _same(value, examples.get(field, ())):
                out.append(
                    {
                        "fact": "placeholder",
                        "fact_id": f"{table}:{key}",
                        "field": field,
                        "table": table,
                        "key": key,
                        "value": _shown(value),
                    }
                )
    for table, keys in TEMPLATE_ROW_FIELDS.items():
        for i, row in enumerate(getattr(plan, table)):
            for key in keys:
                value = row.__dict__.get(key)
                field = f"{table}.{key}"
                if _same(value, examples.get(field, ())):
                    rid = row.id or str(i + 1)
                    out.append(
                        {
                            "fact": "placeholder",
                            "fact_id": f"{table}:{rid}.{key}",
                            "field": field,
                            "table": table,
                            "key": key,
                            "row_id": rid,
                            "value": _shown(value),
                        }
                    )
    return out
