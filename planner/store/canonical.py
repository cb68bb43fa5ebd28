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
    return text if text.startswith("[[") else f"[[{key}]]\n" + tomli_w.dumps(row)


def _table_text(key: str, model: BaseModel) -> str:
    import tomli_w

    return tomli_w.dumps({key: _plain(model)})
