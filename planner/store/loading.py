"""Reading a plan: parse and validate its text, every problem located at its line and column."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from releve.planner.errors import PlanError
from releve.planner.model import FORMAT, Plan
from releve.planner.records import mutable_record
from releve.planner.store.decoding import decode
from releve.planner.store.fields import MAX_NESTING, Loc, _fields
from releve.planner.store.files import PlanFile, read_bytes
from releve.planner.store.positions import index_text, locate

try:  # tomli's wheels are compiled (mypyc): two to three times faster than tomllib
    import tomli as tomllib
except ImportError:  # pragma: no cover - the same parser, in pure Python
    import tomllib  # type: ignore[no-redef]


def load(path: str | os.PathLike[str]) -> PlanFile:
    """Read and validate a plan file; raises PlanError (with line and column) or OSError."""
    p = Path(path)
    data, fp = read_bytes(p)
    text = decode(data, str(p))
    plan = loads(text, str(p))
    return PlanFile(p, plan, text, fp)


def loads(text: str, path: str = "<string>") -> Plan:
    """Parse and validate a plan's text; raises PlanError pointing at the offending key."""
    if not text.strip():
        raise PlanError(
            "empty file: a plan needs at least a [mission] table with id and start "
            "(`releve new PLAN` writes a template)",
            path=path,
            line=1,
            column=1,
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, text, path) from None
    except RecursionError:
        # Absurd nesting: tomllib recurses once per level and stops at the recursion limit;
        # tomli refuses more than 999 levels. Either RecursionError becomes a located
        # error here, which costs nothing on a normal load (a scan before parsing would
        # cost a fifth of the parse).
        raise _nesting_error(text, path) from None
    return validate(data, text, path)


def validate(data: dict[str, Any], text: str, path: str = "<string>") -> Plan:
    """Validate parsed TOML data; errors are located in ``text``."""
    fmt = data.get("format", FORMAT)
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
        line, column = locate(text, ("format",)) or (1, 1)
        raise PlanError(
            f"format {fmt} was written by a newer releve; this releve reads format "
            f"{FORMAT}: upgrade releve to open this plan",
            path=path,
            line=line,
            column=column,
        )
    problems = _type_problems(data)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, data))
    else:
        if not problems:
            return plan
    raise _located(problems, text, path)


_SYNTAX_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_SYNTAX_END = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, path: str) -> PlanError:
    raw = str(exc)
    line = column = None
    if m := _SYNTAX_AT.search(raw):
        line, column = int(m.group(1)), int(m.group(2))
        raw = raw[: m.start()]
    elif m := _SYNTAX_END.search(raw):
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        raw = raw[: m.start()] + " at end of file"
    message = raw[:1].lower() + raw[1:]
    if line is not None and column is not None and message.startswith("invalid date"):
        token = re.match(r"[0-9TtZz:.+ -]+", text.splitlines()[line - 1][column - 1 :])
        if token:
            message = f"invalid date '{token.group(0).strip()}' (is the day valid for that month?)"
    return PlanError(f"TOML syntax: {message}", path=path, line=line, column=column)


_BRACKETS = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"{3,5}'  # multi-line basic string
    r"|'''[^']*(?:'(?!'')[^']*)*'{3,5}"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'|#[^\n]*|[\[\]{}]"  # literal string, comment, bracket
)


def _nesting_error(text: str, path: str) -> PlanError:
    """Where arrays or inline tables nest deeper than MAX_NESTING (tomllib recursed)."""
    depth = 0
    line, column = 1, 1
    for m in _BRACKETS.finditer(text):
        tok = m.group(0)
        if tok in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                line, column = _line_col(text, m.start())
                break
        elif tok in ("]", "}"):
            depth = max(0, depth - 1)
    return PlanError(
        f"arrays or tables nested more than {MAX_NESTING} deep",
        path=path,
        line=line,
        column=column,
    )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- validation problems -------------------------------------------------------------------


@mutable_record
class _Problem:
    loc: Loc  # when absent from the text (a missing key), the error points at its table
    message: str


def _located(problems: list[_Problem], text: str, path: str) -> PlanError:
    index = index_text(text)
    located: list[tuple[tuple[int, int], PlanError]] = []
    seen: set[Loc] = set()
    for problem in problems:
        if problem.loc in seen:
            continue  # our type check and pydantic both saw it: keep ours (it came first)
        seen.add(problem.loc)
        where = index.find(problem.loc, exact=False) or (1, 1)
        err = PlanError(problem.message, path=path, line=where[0], column=where[1])
        located.append((where, err))
    located.sort(key=lambda item: item[0])
    errors = [err for _, err in located]
    first = errors[0]
    first.errors = errors  # type: ignore[attr-defined]
    return first


_EXPECTED = {
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "enum": "a string",
    "bool": "true or false",
    "date": "a date like 2027-01-04",
    "list": "an array",
    "model": "a table",
}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("str", "enum"):
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        return type(value) is dt.date
    if kind == "list":
        return isinstance(value, list)
    if kind == "model":
        return isinstance(value, dict)
    return True


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return ""
    return str(value)


def _type_problems(data: dict[str, Any]) -> list[_Problem]:
    """Wrong TOML types, found strictly: pydantic alone would accept "12" for an integer."""
    problems: list[_Problem] = []

    def walk(obj: dict[str, Any], model: type[BaseModel], loc: Loc) -> None:
        fields = _fields(model)
        names = {name: key for key, (name, _) in fields.items() if name != key}
        for key, value in obj.items():
            if key not in fields:
                if key in names:  # `from_`: the attribute, not the file's key
                    problems.append(
                        _Problem(loc + (key,), f"unknown key '{key}'; did you mean '{names[key]}'?")
                    )
                continue  # pydantic reports unknown keys
            check(value, fields[key][1], loc + (key,))

    def check(value: Any, shape: tuple[Any, ...], loc: Loc) -> None:
        kind = shape[0]
        if not _type_ok(kind, value):
            shown = _show(value)
            got = _kind_of(value) + (f" ({shown})" if shown else "")
            problems.append(_Problem(loc, f"{_key_name(loc)} must be {_EXPECTED[kind]}, not {got}"))
            return
        if kind == "model":
            walk(value, shape[1], loc)
        elif kind == "list":
            for i, item in enumerate(value):
                check(item, shape[1], loc + (i,))

    walk(data, Plan, ())
    return problems


def _key_name(loc: Loc) -> str:
    return next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")


def _table_name(loc: Loc, data: dict[str, Any]) -> str:
    """How a user names the table at ``loc``: [company], [[person]] row 2 (id 'marc'),
    [company] closures row 1."""
    if not loc:
        return "the top level"
    words: list[str] = []
    keys: list[str] = []
    obj: Any = data
    for part in loc:
        if isinstance(part, int):
            rid = obj[part].get("id") if isinstance(obj, list) and part < len(obj) else None
            if isinstance(obj, list) and part < len(obj) and isinstance(obj[part], dict):
                rid = obj[part].get("id")
            name = keys.pop() if keys else "?"
            if words or keys:
                prefix = [f"[{'.'.join(keys)}]"] if keys else []
                words += prefix + [f"{name} row {part + 1}"]
            else:
                words.append(f"[[{name}]] row {part + 1}")
            keys = []
            if isinstance(rid, str):
                words[-1] += f" (id '{rid}')"
        else:
            keys.append(part)
        try:
            obj = obj[part]
        except (KeyError, IndexError, TypeError):
            obj = None
    if keys:
        words.append(f"[{'.'.join(keys)}]" if not words else ".".join(keys))
    return " ".join(words)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Plan
    shape: tuple[Any, ...] = ("model", Plan)
    for part in loc:
        if isinstance(part, int):
            if shape[0] != "list":
                return None
            shape = shape[1]
            continue
        if shape[0] != "model":
            return None
        entry = _fields(shape[1]).get(part)
        if entry is None:
            return None
        shape = entry[1]
    if shape[0] == "model":
        model = shape[1]
        return model
    return None


def _pydantic_problems(exc: ValidationError, data: dict[str, Any]) -> list[_Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        value = err.get("input")
        key = _key_name(loc)
        if kind == "extra_forbidden":
            model = _model_at(loc[:-1])
            allowed = list(_fields(model)) if model else []
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            message = (
                f"unknown key '{loc[-1]}' in {_table_name(loc[:-1], data)}; {hint}"
                f"allowed keys: {', '.join(allowed)}"
            )
        elif kind == "enum":
            expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
            message = f"unknown value {_show(value)} for {key}; allowed: {expected}"
        elif kind == "missing":
            if loc == ("mission",):
                message = "no [mission] table: a plan needs at least [mission] with id and start"
            else:
                message = f"{_table_name(loc[:-1], data)} is missing the required key '{key}'"
        elif kind == "duplicate_id":
            loc = loc + (int(ctx["index"]), "id")
            message = err["msg"]
        elif kind == "string_pattern_mismatch" and key in ("id",):
            message = (
                f"id {_show(value)} is not a valid id: use lowercase letters, digits, '_' and '-'"
            )
        elif kind == "value_error":
            msg = err["msg"].removeprefix("Value error, ")
            message = (
                f"{_table_name(loc, data)}: {msg}"
                if loc and isinstance(loc[-1], int)
                else (f"{key}: {msg}")
            )
        else:
            msg = err["msg"]
            shown = _show(value)
            message = f"{key}: {msg[:1].lower()}{msg[1:]}" + (f" (got {shown})" if shown else "")
        problems.append(_Problem(loc, message))
    return problems
