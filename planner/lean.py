"""The plan as ``releve check`` reads it: without pydantic when it can be, identical always.

``read_for_check(path)`` reads, decodes and parses a plan as planner.store.load does, then
gives it to the lean reader (planner/lean_plan.py, generated from the pydantic models by
planner/leangen.py). The lean reader accepts a plan only when pydantic surely accepts it
with identical values; on anything else (a wrong type, a missing key, a bad date, a value
it is not sure of) this falls back to planner.store.load, which reads the file again and
validates it with pydantic: every error a user sees is pydantic's located message, word for
word. Nothing here imports pydantic; the fallback does, when it runs.

The lean objects have the models' attributes, defaults and methods, and are typed as the
models (``cast``) for the read-only paths that take them (check, schedule, facts, render):
they do not have pydantic's own methods (``model_dump``, ``model_copy``), so a plan to be
edited or saved is read with planner.store.load.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, cast

from releve.planner.lean_plan import read_plan

if TYPE_CHECKING:
    from releve.planner.model import Plan

try:  # the parser planner.store.loading uses (the same data, so the same plan)
    import tomli as _toml
except ImportError:  # pragma: no cover
    import tomllib as _toml  # type: ignore[no-redef]


def read_text(text: str) -> Plan | None:
    """The plan in ``text`` when the lean reader is sure of it, else None (then
    planner.store.loads says what is wrong, or reads it)."""
    if not text.strip():
        return None
    try:
        data: Any = _toml.loads(text)
    except Exception:  # a syntax error, absurd nesting: the store words it
        return None
    return cast("Plan | None", read_plan(data))


def read_for_check(path: str | os.PathLike[str]) -> tuple[Plan, str]:
    """(plan, text) of a plan file, as planner.store.load reads them; raises what it raises
    (PlanError located at its line and column, OSError)."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    plan = read_text(text) if text is not None else None
    if plan is not None and text is not None:
        return plan, text
    from releve.planner.store import load

    pf = load(path)
    return pf.plan, pf.text
