"""The plan's shape as the file spells it: each model's TOML keys, their types, plan paths."""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:  # imported where used: positions (and `releve check`) need no pydantic
    from pydantic import BaseModel

#: Arrays / inline tables nested deep enough to make tomllib recurse too far are reported
#: as nested deeper than this (depths between this and that limit read normally).
MAX_NESTING = 50

Loc = tuple[str | int, ...]


def _shape(ann: Any) -> tuple[Any, ...]:
    """A field's annotation reduced to what the type check needs."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _shape(typing.get_args(ann)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        return _shape(args[0]) if len(args) == 1 else ("any",)
    if origin is list:
        return ("list", _shape(typing.get_args(ann)[0]))
    if isinstance(ann, type):
        from pydantic import BaseModel

        if issubclass(ann, BaseModel):
            return ("model", ann)
        if issubclass(ann, Enum):
            return ("enum", ann)
        if ann is bool:
            return ("bool",)
        if ann is int:
            return ("int",)
        if ann is float:
            return ("float",)
        if ann is str:
            return ("str",)
        if ann is dt.date:
            return ("date",)
    return ("any",)


_FIELDS: dict[type[BaseModel], dict[str, tuple[str, tuple[Any, ...]]]] = {}


def _fields(model: type[BaseModel]) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """TOML key -> (attribute name, shape), in model order."""
    if model not in _FIELDS:
        _FIELDS[model] = {
            (f.alias or name): (name, _shape(f.annotation))
            for name, f in model.model_fields.items()
        }
    return _FIELDS[model]


def _default(model: type[BaseModel], name: str) -> Any:
    return model.model_fields[name].get_default(call_default_factory=True)
