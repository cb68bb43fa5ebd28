"""The canonical text of a plan (a new file): stable order, no noise, rows as [[tables]]."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel

from releve.planner.model import Plan
from releve.planner.store.fields import _default, _fields


def _is_noise(value: Any, default: Any) -> bool:
    """A default not worth a line: false flags and empty lists (``founder = false``)."""
    return value == default and (default is False or default == [])


def _plain(model: BaseModel) -> dict[str, Any]:
    """A model as TOML-ready data: file keys in model order, None and noise left out."""
    out: dict[str, Any] = {}
    cls = type(model)
    for key, (name, _) in _fields(cls).items():
        value = getattr(model, name)
        if value is None or _is_noise(value, _default(cls, name)):
            continue
        out[key] = _plain_value(value)
    return out


def _plain_value(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _plain(value)
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def dumps(plan: Plan) -> str:
    """The canonical text of a plan: ``format = 1`` first, then the tables in model order,
    every row of an array as a ``[[table]]`` (never inline), None and noise left out."""
    import tomli_w

    chunks = []
    for key, value in _plain(plan).items():
        if not isinstance(value, list):
            chunks.append(tomli_w.dumps({key: value}))
            continue
        chunks += [_row_text(key, row) for row in value]
    return "\n".join(chunks)


def _row_text(key: str, row: dict[str, Any]) -> str:
    """One row of an array of tables, canonically: ``[[key]]`` then its keys."""
    import tomli_w

    text = tomli_w.dumps({key: [row]})
    # tomli-w writes a short array of tables inline (`person = [{...}]`); a plan's rows are
    # [[tables]]. A row short enough for that has only short sub-tables, so written alone
    # its nested arrays stay inline.
    if not text.startswith("["):
        text = f"[[{key}]]\n" + tomli_w.dumps(row)
    if f"[[{key}." not in text:
        return text
    # A long row with tables in an array (deliverables written as tables): tomli-w makes
    # them [[key.sub]] tables after the row; the plan writes them inline, one per line.
    lines = [f"[[{key}]]\n"]
    for k, v in row.items():
        if isinstance(v, list) and any(isinstance(x, dict) for x in v):
            lines.append(f"{k} = [\n" + "".join(f"  {_inline(x)},\n" for x in v) + "]\n")
        elif isinstance(v, list):
            lines.append(f"{k} = {_inline(v)}\n")
        else:
            lines.append(tomli_w.dumps({k: v}))
    return "".join(lines)


def _inline(value: Any) -> str:
    """A value as TOML on one line: tables as ``{ k = v, … }``."""
    import tomli_w

    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[len("v = ") :].rstrip("\n")


def _table_text(key: str, model: BaseModel) -> str:
    import tomli_w

    return tomli_w.dumps({key: _plain(model)})
