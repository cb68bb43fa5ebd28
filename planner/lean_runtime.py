"""What every generated lean reader (planner/lean_plan.py) stands on, written by hand once:
the signal that the lean reader is unsure, the absent-key marker, the base of its plan
objects and the bound of exact floats. planner/leangen.py imports these into the file it
generates instead of writing them into it.
"""

from __future__ import annotations

import datetime as _dt
import math as _math
from typing import Any

__all__ = ["_EXACT", "_NO", "_UNSURE", "Unsure", "_Row", "_date", "_isfinite"]

_date = _dt.date
_isfinite = _math.isfinite
#: Integers up to this size are exactly a float: pydantic's conversion cannot round them.
_EXACT = 2**53


class Unsure(Exception):
    """The lean reader is not certain pydantic would accept this (or read it the same)."""


_UNSURE = Unsure()
_NO: Any = object()  # a key that is absent


class _Row:
    """A plan object read by the lean reader: attributes only (as pydantic's __dict__)."""

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the models are
