"""The plan file on disk: read with located errors, write canonically, save atomically, edit keeping comments."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import hashlib
import itertools
import os
import re
import tempfile
import types
import typing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from releve.planner.errors import ConflictError, PlanError
from releve.planner.model import FORMAT, Plan

try:  # tomli's wheels are compiled (mypyc): two to three times faster than tomllib
    import tomli as tomllib
except ImportError:  # pragma: no cover - the same parser, in pure Python
    import tomllib  # type: ignore[no-redef]

#: Arrays / inline tables nested deep enough to make tomllib recurse too far are reported
#: as nested deeper than this (depths between this and that limit read normally).
MAX_NESTING = 50

Loc = tuple[str | int, ...]


# --- public types ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when read: enough to tell whether someone changed it since."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of_bytes(cls, data: bytes, st: os.stat_result) -> Fingerprint:
        return cls(st.st_mtime_ns, len(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class PlanFile:
    """A plan as read from (or written to) a file, with the exact text and its fingerprint."""

    path: Path
    plan: Plan
    text: str
    fingerprint: Fingerprint


# --- reading -----------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> PlanFile:
    """Read and validate a plan file; raises PlanError (with line and column) or OSError."""
    p = Path(path)
    with open(p, "rb") as fh:
        data = fh.read()
        st = os.fstat(fh.fileno())
    text = decode(data, str(p))
    plan = loads(text, str(p))
    return PlanFile(p, plan, text, Fingerprint.of_bytes(data, st))


def decode(data: bytes, path: str = "<bytes>") -> str:
    """The text of a plan file's bytes (UTF-8, BOM allowed); PlanError at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise PlanError(
            f"not a UTF-8 text file (byte 0x{data[start]:02x} cannot be read); "
            "a plan is a TOML text file",
            path=path,
            line=line,
            column=column,
        ) from None


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


@dataclass
class _Problem:
    loc: Loc  # when absent from the text (a missing key), the error points at its table
    message: str


def _located(problems: list[_Problem], text: str, path: str) -> PlanError:
    index = _index(text)
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


# --- where a key is in the text ----------------------------------------------------------------


def locate(text: str, loc: Loc, *, exact: bool = False) -> tuple[int, int] | None:
    """(line, column), both from 1, of the key at plan path ``loc`` in ``text``.

    ``loc`` is a pydantic-style path: ``("phase", 2, "effort_days")``,
    ``("governance", "reports_to")``, ``("company", "closures", 0, "from")``. A row
    (``("phase", 2)``) is its ``[[phase]]`` header or its inline table; an array item is
    the item. When the exact path is not in the text (a key left out), the nearest
    enclosing table or row is returned, unless ``exact``; None when nothing matches.
    """
    return _index(text).find(loc, exact=exact)


@functools.lru_cache(maxsize=8)
def _index(text: str) -> _Index:
    # Findings are located one by one in the same text: scan it once.
    return _Index(text)


class _ScanStop(Exception):
    """The scanner met something it does not follow; keep what it found so far."""


_WS = re.compile(r"[ \t]*")
_WS_NL = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^\\]|\\.)*?"{3,5}', re.DOTALL)
_ML_LITERAL = re.compile(r"'''.*?'{3,5}", re.DOTALL)
_SCALAR = re.compile(
    r"\d{4}-\d\d-\d\d(?:[Tt ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[Zz]|[+-]\d\d:\d\d)?)?"
    r"|[^,\]\}\s#]+"
)
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _Index:
    """Positions of every key, row and array item of a TOML text, by plan path.

    A small line scanner (tomllib gives no positions). It follows the TOML that plans use:
    [tables], [[arrays of tables]], dotted keys, inline tables, arrays (also multi-line,
    also of inline tables), every string form and comment. On anything it does not
    follow it stops, keeping the positions found before.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.positions: dict[Loc, int] = {}
        self.aot_counts: dict[Loc, int] = {}
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        with contextlib.suppress(_ScanStop, IndexError, RecursionError):
            self._document()

    def find(self, loc: Loc, *, exact: bool = False) -> tuple[int, int] | None:
        loc = tuple(loc)
        while True:
            offset = self.positions.get(loc)
            if offset is not None:
                return self._line_col(offset)
            if exact or not loc:
                return None
            loc = loc[:-1]

    def _line_col(self, offset: int) -> tuple[int, int]:
        import bisect

        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1

    # scanning

    def _skip(self, pattern: re.Pattern[str]) -> None:
        self.pos = pattern.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def _peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def _document(self) -> None:
        table: Loc = ()
        text = self.text
        while True:
            self._skip(_WS_NL)
            if self.pos >= len(text):
                return
            if text.startswith("[[", self.pos):
                self.pos += 2
                keys = self._key()
                self._skip(_WS)
                if not text.startswith("]]", self.pos):
                    raise _ScanStop
                self.pos += 2
                table = self._header(keys, array=True)
            elif text.startswith("[", self.pos):
                self.pos += 1
                keys = self._key()
                self._skip(_WS)
                if not text.startswith("]", self.pos):
                    raise _ScanStop
                self.pos += 1
                table = self._header(keys, array=False)
            else:
                self._keyval(table, 0)

    def _header(self, keys: list[tuple[str, int]], *, array: bool) -> Loc:
        path: list[str | int] = []
        last = len(keys) - 1
        for i, (name, offset) in enumerate(keys):
            path.append(name)
            key = tuple(path)
            if i == last and array:
                count = self.aot_counts.get(key, 0)
                self.aot_counts[key] = count + 1
                self.positions.setdefault(key, offset)
                path.append(count)
                self.positions[tuple(path)] = offset
            else:
                if key in self.aot_counts:
                    path.append(self.aot_counts[key] - 1)
                self.positions.setdefault(tuple(path), offset)
        return tuple(path)

    def _key(self) -> list[tuple[str, int]]:
        parts = []
        while True:
            self._skip(_WS)
            start = self.pos
            ch = self._peek()
            if ch == '"':
                m = _BASIC.match(self.text, self.pos)
                if not m:
                    raise _ScanStop
                name = _unescape(m.group(0)[1:-1])
            elif ch == "'":
                m = _LITERAL.match(self.text, self.pos)
                if not m:
                    raise _ScanStop
                name = m.group(0)[1:-1]
            else:
                m = _BARE.match(self.text, self.pos)
                if not m:
                    raise _ScanStop
                name = m.group(0)
            self.pos = m.end()
            parts.append((name, start))
            self._skip(_WS)
            if self._peek() != ".":
                return parts
            self.pos += 1

    def _keyval(self, table: Loc, depth: int) -> None:
        keys = self._key()
        path = table
        for name, offset in keys:
            path = path + (name,)
            self.positions.setdefault(path, offset)
        self._skip(_WS)
        if self._peek() != "=":
            raise _ScanStop
        self.pos += 1
        self._skip(_WS)
        self._value(path, depth)

    def _value(self, path: Loc, depth: int) -> None:
        if depth > MAX_NESTING:
            raise _ScanStop
        text = self.text
        ch = self._peek()
        if ch == "[":
            self.pos += 1
            index = 0
            while True:
                self._skip(_WS_NL)
                if self._peek() == "]":
                    self.pos += 1
                    return
                self.positions[path + (index,)] = self.pos
                self._value(path + (index,), depth + 1)
                self._skip(_WS_NL)
                if self._peek() == ",":
                    self.pos += 1
                index += 1
        elif ch == "{":
            self.pos += 1
            while True:
                self._skip(_WS)
                if self._peek() == "}":
                    self.pos += 1
                    return
                self._keyval(path, depth + 1)
                self._skip(_WS)
                if self._peek() == ",":
                    self.pos += 1
        elif text.startswith('"""', self.pos):
            self._consume(_ML_BASIC)
        elif text.startswith("'''", self.pos):
            self._consume(_ML_LITERAL)
        elif ch == '"':
            self._consume(_BASIC)
        elif ch == "'":
            self._consume(_LITERAL)
        else:
            self._consume(_SCALAR)

    def _consume(self, pattern: re.Pattern[str]) -> None:
        m = pattern.match(self.text, self.pos)
        if not m:
            raise _ScanStop
        self.pos = m.end()


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "uU":
            return chr(int(esc[1:], 16))
        return _ESCAPES.get(esc, esc)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", repl, body)


# --- writing -----------------------------------------------------------------------------------


def _default(model: type[BaseModel], name: str) -> Any:
    return model.model_fields[name].get_default(call_default_factory=True)


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


def render(plan: Plan, original_text: str) -> str:
    """The plan written onto the user's text: comments, blank lines and key order kept.

    Only the values that differ between the plan read from ``original_text`` and ``plan``
    change; new keys are appended to their table, new rows go after the row they follow
    in the plan (a first row, or a new table, after the table before it in model order),
    removed ones are deleted, moved rows moved with their own comments. If the original
    cannot be read, or the edited text would not read back as ``plan`` (a safety net: a
    save must never write a different plan), the canonical text is returned.
    """
    global _LAST_RENDER
    snapshot = plan.model_dump_json()  # plans are mutable: remember what was rendered
    last = _LAST_RENDER
    if last is not None and last[1] == snapshot and last[0] == original_text:
        return last[2]  # an app renders the same plan again (journal, dirty check)
    text: str | None = None
    for whole in (False, True):  # by blocks; if that fails, as one document (slow)
        try:
            edited = render_onto(plan, original_text, whole=whole)
        except Exception:  # noqa: BLE001, S112 - any failure: the next way, or the canonical text
            continue
        if edited is original_text:  # the plan read from it (render_onto compared them)
            text = edited
            break
        try:
            same = loads(edited) == plan
        except PlanError:
            same = False
        if same:
            text = edited
            break
    if text is None:
        text = dumps(plan)
    _LAST_RENDER = (original_text, snapshot, text)
    return text


#: The last render: (original text, the plan as JSON, the text rendered).
_LAST_RENDER: tuple[str, str, str] | None = None


def render_onto(plan: Plan, original_text: str, *, whole: bool = False) -> str:
    """``render`` without its safety net (raises PlanError when the original is unreadable).

    The text is edited block by block (a table, a row), or with ``whole`` (or when its
    layout is not one blocks can be edited in) as one tomlkit document."""
    old = _base_plan(original_text)
    if old == plan:
        return original_text  # nothing to apply
    layout = None if whole else _layout(original_text)
    if layout is None:
        return _render_document(plan, original_text, old)
    text = _render_blocks(plan, old, layout)
    if not original_text.endswith("\n") and text.endswith("\n"):
        text = text[:-1]
    if "\r\n" in original_text:  # new lines are written with \n: keep the file's CRLF
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def _render_document(plan: Plan, original_text: str, old: Plan) -> str:
    """Edit the whole text as one tomlkit document (slow on large plans; any layout)."""
    import tomlkit

    doc = _parse_document(original_text)
    _apply(doc, old, plan)
    text = tomlkit.dumps(doc)
    if "\r\n" in original_text:  # tomlkit ends the lines it adds with \n: keep the file's CRLF
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


# --- the text as blocks: one per table or row, with the comments around them ------------------


@dataclass
class _Seg:
    """A piece of the text: a block (a table or one row, from its own comments to its last
    line) or a gap (the blank lines and comments between blocks, which introduce the next
    table). ``old``/``new``: the block's model as read and as it must become."""

    text: str
    key: str | None = None  # the block's top-level key; None for a gap
    aot: bool = False
    old: Any = None
    new: Any = None

    def has_comment(self) -> bool:
        return any(ln.lstrip().startswith("#") for ln in self.text.splitlines())

    def starts_blank(self) -> bool:
        first = self.text.split("\n", 1)[0]
        return "\n" in self.text and not first.strip()


@dataclass(frozen=True)
class _Layout:
    pre: str  # the top-level keys before the first block (and the comments among them)
    pre_keys: frozenset[str]
    segs: tuple[tuple[str, str | None, bool], ...]  # (text, key, aot): gap, block, gap, ...


_TOKENS = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"{3,5}'  # multi-line basic string
    r"|'''[^']*(?:'(?!'')[^']*)*'{3,5}"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'|#[^\n]*|[\[\]{}\n]"  # literal string, comment, bracket, line end
)
_KEY_PART = re.compile(r"""[ \t]*([A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*""")


def _header_keys(line: str) -> tuple[list[str], bool] | None:
    """The dotted key of a ``[table]`` / ``[[table]]`` header line, and whether it is an
    array of tables; None if the line is not one we follow."""
    stripped = line.strip()
    aot = stripped.startswith("[[")
    pos = 2 if aot else 1
    parts = []
    while True:
        m = _KEY_PART.match(stripped, pos)
        if not m:
            return None
        raw = m.group(1)
        parts.append(_unescape(raw[1:-1]) if raw[0] == '"' else raw[1:-1] if raw[0] == "'" else raw)
        pos = m.end()
        if stripped.startswith(".", pos):
            pos += 1
            continue
        close = "]]" if aot else "]"
        if not stripped.startswith(close, pos):
            return None
        rest = stripped[pos + len(close) :].strip()
        return (parts, aot) if not rest or rest.startswith("#") else None


@functools.lru_cache(maxsize=8)
def _layout(text: str) -> _Layout | None:  # noqa: C901
    """The blocks of a plan's text (cached: an app renders onto the same text at each save).

    A block is a top-level ``[table]`` or ``[[table]]`` row with its sub-tables, from the
    comment lines directly above its header (for a row that follows a row of the same
    table) to its last line and the comment lines directly below it. The rest between two
    blocks is a gap: blank lines and the comments that introduce what follows. None when
    the text is laid out in a way blocks cannot edit alone (a sub-table away from its
    table, a table also written with dotted keys at the top).
    """
    if not text.endswith("\n"):
        text += "\n"
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    lines = [text[a:b] for a, b in itertools.pairwise(starts)]
    in_value = [False] * (len(lines) + 1)
    headers: dict[int, tuple[list[str], bool]] = {}
    depth, line = 0, 0
    for m in _TOKENS.finditer(text):
        tok = m.group(0)
        if tok == "\n":
            line += 1
            in_value[line] = depth > 0
        elif tok[:3] in ('"""', "'''"):
            for k in range(tok.count("\n")):
                in_value[line + 1 + k] = True
            line += tok.count("\n")
        elif tok in "[{":
            if tok == "[" and depth == 0 and not text[starts[line] : m.start()].strip():
                found = _header_keys(lines[line])
                if found is None:
                    return None
                headers[line] = found
            depth += 1
        elif tok in "]}":
            depth = max(0, depth - 1)

    def kind(i: int) -> str:
        if in_value[i]:
            return "content"
        stripped = lines[i].strip()
        if not stripped:
            return "blank"
        return "comment" if stripped.startswith("#") else "content"

    # Top-level headers start blocks; a sub-table header belongs to the block above it.
    starts_at: list[tuple[int, str, bool]] = []
    for i in sorted(headers):
        parts, aot = headers[i]
        if len(parts) == 1:
            if not aot and any(k == parts[0] for _, k, _ in starts_at):
                return None  # the same table twice: not a plan we can edit by blocks
            starts_at.append((i, parts[0], aot))
        elif not starts_at or starts_at[-1][1] != parts[0]:
            return None
    if not starts_at:
        return None
    ends = [i for i, _, _ in starts_at[1:]] + [len(lines)]

    def last_content(a: int, b: int) -> int:
        for i in range(b - 1, a - 1, -1):
            if kind(i) == "content" or i in headers:
                return i
        return a - 1

    # For each region [start, end): core = start .. last content line.
    pre_end = last_content(0, starts_at[0][0]) + 1  # lines [0, pre_end) are the top keys
    cores = [(s, last_content(s, e) + 1) for (s, _, _), e in zip(starts_at, ends, strict=False)]
    pieces: list[tuple[str, str | None, bool]] = []
    prev_end = pre_end
    prev_key: str | None = None
    prev_aot = False
    bounds: list[tuple[int, int]] = []  # each block's [first, last) line, comments included
    gap_bounds: list[tuple[int, int]] = []
    for (start, key, aot), (_core_a, core_b) in zip(starts_at, cores, strict=False):
        # the lines between the previous block's core and this header
        between = list(range(prev_end, start))
        blanks = [i for i in between if kind(i) == "blank"]
        # comments directly below the previous block are its own
        trail_end = blanks[0] if prev_key is not None and blanks else prev_end
        lead_start = (blanks[-1] + 1) if blanks else max(trail_end, prev_end)
        if not (aot and prev_aot and prev_key == key):
            lead_start = start  # a table's first row: the comments above introduce the table
        if bounds:
            bounds[-1] = (bounds[-1][0], trail_end)
        gap_bounds.append((trail_end if bounds else pre_end, lead_start))
        bounds.append((lead_start, core_b))
        prev_end, prev_key, prev_aot = core_b, key, aot
    # after the last block: its directly attached comments, then the tail
    tail = list(range(prev_end, len(lines)))
    blanks = [i for i in tail if kind(i) == "blank"]
    trail_end = blanks[0] if blanks else len(lines)
    bounds[-1] = (bounds[-1][0], trail_end)
    for (ga, gb), (ba, bb), (_, key, aot) in zip(gap_bounds, bounds, starts_at, strict=False):
        pieces.append(("".join(lines[ga:gb]), None, False))
        pieces.append(("".join(lines[ba:bb]), key, aot))
    pieces.append(("".join(lines[trail_end:]), None, False))
    pre = "".join(lines[:pre_end])
    try:
        pre_keys = frozenset(tomllib.loads(pre))
    except tomllib.TOMLDecodeError:
        return None
    if pre_keys & {key for _, key, _ in starts_at}:
        return None
    return _Layout(pre, pre_keys, tuple(pieces))


def _render_blocks(plan: Plan, old: Plan, layout: _Layout) -> str:
    """Apply the plan's changes block by block: rows added, deleted and moved as text,
    values edited in the blocks that changed only (each parsed alone: fast on big plans)."""
    import tomlkit

    segs = [_Seg(text, key, aot) for text, key, aot in layout.segs]
    order = list(_fields(Plan))
    pre_edits: set[str] = set()
    by_key: dict[str, list[_Seg]] = {}
    for seg in segs:
        if seg.key is not None:
            by_key.setdefault(seg.key, []).append(seg)
    for key, (name, shape) in _fields(Plan).items():
        ov, nv = getattr(old, name), getattr(plan, name)
        if ov == nv:
            continue
        blocks = by_key.get(key, [])
        kind = shape[0]
        is_rows = kind == "list" and shape[1][0] == "model"
        if key in layout.pre_keys or (kind != "model" and not is_rows):
            pre_edits.add(key)
        elif kind == "model":
            if nv is None:
                for b in blocks:
                    _delete(segs, b)
            elif blocks:
                blocks[0].old, blocks[0].new = ov, nv
            else:
                _insert_table(segs, order, key, _Seg(_table_text(key, nv), key))
        else:
            if len(blocks) != len(ov) or any(not b.aot for b in blocks):
                raise ValueError("rows of the table are not its blocks")  # caught by render
            _edit_rows(segs, order, key, blocks, ov, nv)
    if pre_edits:
        doc = _parse_document(layout.pre)
        _apply(doc, old, plan, only=pre_edits)
        pre = tomlkit.dumps(doc)
    else:
        pre = layout.pre
    out = [pre]
    for seg in segs:
        if seg.key is not None and seg.old is not None and seg.old != seg.new:
            doc = _parse_document(seg.text)
            target = doc[seg.key][0] if seg.aot else doc[seg.key]
            _apply(target, seg.old, seg.new)
            seg.text = tomlkit.dumps(doc)
        out.append(seg.text)
    return "".join(out)


def _table_text(key: str, model: BaseModel) -> str:
    import tomli_w

    return tomli_w.dumps({key: _plain(model)})


def _index_of(segs: list[_Seg], seg: _Seg) -> int:
    return next(i for i, s in enumerate(segs) if s is seg)


def _insert_after(segs: list[_Seg], i: int, block: _Seg) -> None:
    """Put ``block`` after segment ``i`` (a block, or -1: the top keys), one blank line
    before it and at least one after it."""
    segs[i + 1 : i + 1] = [_Seg("\n"), block]
    after = i + 3
    if after < len(segs) - 1 and not segs[after].starts_blank():
        segs[after].text = "\n" + segs[after].text


def _delete(segs: list[_Seg], block: _Seg) -> None:
    """Remove a block with its own comments; of the gaps around it, one blank-only gap goes."""
    i = _index_of(segs, block)
    before, after = segs[i - 1], segs[i + 1]  # gaps surround every block
    if not after.has_comment() and (i + 1 < len(segs) - 1 or not before.has_comment()):
        del segs[i : i + 2]
        if i + 1 >= len(segs) and not before.has_comment():
            before.text = ""  # the file ended with the block: no blank line at its end
    elif not before.has_comment():
        del segs[i - 1 : i + 1]
    else:  # comments on both sides: keep both, one blank line between them
        del segs[i]
        if after.starts_blank():
            lines = before.text.splitlines(keepends=True)
            while lines and not lines[-1].strip():
                lines.pop()
            before.text = "".join(lines)


def _insert_table(segs: list[_Seg], order: list[str], key: str, block: _Seg) -> None:
    """A table (or the first row of one) that the text lacks: after the tables before it
    in model order, or before the tables after it."""
    earlier = set(order[: order.index(key)])
    at = [i for i, s in enumerate(segs) if s.key in earlier]
    if at:
        _insert_after(segs, at[-1], block)
        return
    later = next((i for i, s in enumerate(segs) if s.key is not None), None)
    if later is None:
        _insert_after(segs, len(segs) - 1, block)
    else:  # before the first block and the comments that introduce it
        segs[later - 1 : later - 1] = [block, _Seg("\n")]


def _indent_like(text: str, row: _Seg | None) -> str:
    """Indent a new row's keys as the row next to it indents its keys."""
    if row is None:
        return text
    for line in row.text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "[")):
            indent = line[: len(line) - len(line.lstrip())]
            break
    else:
        return text
    if not indent:
        return text
    return "".join(
        ln if ln.startswith("[") or not ln.strip() else indent + ln
        for ln in text.splitlines(keepends=True)
    )


def _edit_rows(
    segs: list[_Seg],
    order: list[str],
    key: str,
    blocks: list[_Seg],
    old: list[BaseModel],
    new: list[BaseModel],
) -> None:
    """Rows of a ``[[table]]``: kept rows take the new order (each with its own comments),
    new rows go right after the row before them, deleted rows go."""
    pairs = _pairs(old, new)
    kept = [i for i in pairs if i is not None]
    if kept != sorted(kept):
        where = {id(s): n for n, s in enumerate(segs)}
        slots = sorted(where[id(blocks[i])] for i in kept)
        for slot, i in zip(slots, kept, strict=False):
            segs[slot] = blocks[i]
    for j, i in enumerate(pairs):
        if i is not None:
            blocks[i].old, blocks[i].new = old[i], new[j]
    style = blocks[kept[0]] if kept else (blocks[0] if blocks else None)
    prev: _Seg | None = None
    first_kept = blocks[kept[0]] if kept else None
    for j, i in enumerate(pairs):
        if i is not None:
            prev = blocks[i]
            continue
        block = _Seg(_indent_like(_row_text(key, _plain(new[j])), style), key, True)
        if prev is not None:
            _insert_after(segs, _index_of(segs, prev), block)
        elif first_kept is not None:  # before the first kept row, after the table's intro
            at = _index_of(segs, first_kept)
            segs[at:at] = [block, _Seg("\n")]
        elif blocks:  # every old row goes: the new ones take the place of the first
            _insert_after(segs, _index_of(segs, blocks[0]), block)
        else:
            _insert_table(segs, order, key, block)
        prev = block
    for i in sorted(set(range(len(old))) - set(kept)):
        _delete(segs, blocks[i])


@functools.lru_cache(maxsize=8)
def _base_plan(text: str) -> Plan:
    """The plan of an original text (an app renders onto the same text at every save).
    Only compared with, never handed out: callers may change the plans they get."""
    return loads(text)


def _parse_document(text: str) -> Any:
    """tomlkit's document of ``text``, which prints back byte for byte.

    tomlkit (0.13) drops the blanks after a date inside an inline table or array
    (``{ from = 2027-01-04 }`` comes back as ``{ from = 2027-01-04}``): the date parser
    swallows them as the blanks before a comment, which inline values do not print. The
    parser below gives them back so that untouched lines stay identical.
    """
    import tomlkit.items
    import tomlkit.parser

    class _Parser(tomlkit.parser.Parser):
        def _parse_value(self) -> tomlkit.items.Item:
            item = super()._parse_value()
            if isinstance(item, tomlkit.items.Date) and item.trivia.comment_ws:
                src = self._src
                src._idx -= len(item.trivia.comment_ws)
                src._current = src[src._idx]
                item.trivia.comment_ws = ""
            return item

    return _Parser(text).parse()


def _apply(container: Any, old: BaseModel, new: BaseModel, only: set[str] | None = None) -> None:
    cls = type(new)
    for key, (name, shape) in _fields(cls).items():
        if only is not None and key not in only:
            continue
        ov, nv = getattr(old, name), getattr(new, name)
        if ov == nv:
            continue
        present = key in container
        if nv is None or (not present and _is_noise(nv, _default(cls, name))):
            if present:
                del container[key]
            continue
        kind = shape[0]
        if kind == "model":
            if present and ov is not None:
                _apply(container[key], ov, nv)
            else:
                _add_key(container, key, _table_item(nv))
        elif kind == "list" and shape[1][0] == "model":
            if present:
                _apply_rows(container[key], ov, nv)
            else:
                _add_key(container, key, _rows_item(nv, top=isinstance(new, Plan)))
        elif present and isinstance(ov, list) and _edit_items(container[key], ov, nv):
            pass
        elif present:
            container[key] = _item(nv)
        else:
            _add_key(container, key, _item(nv))


def _add_key(container: Any, key: str, item: Any) -> None:
    """Add a key to a table just after its last key, before the blank lines and comments
    that end the table (they introduce what follows)."""
    import tomlkit.container
    import tomlkit.items

    body = container.value if isinstance(container, tomlkit.items.Table) else container
    if isinstance(body, tomlkit.container.Container):
        entries = body.body
        keys = [
            i
            for i, (k, v) in enumerate(entries)
            if k is not None and not isinstance(v, (tomlkit.items.Table, tomlkit.items.AoT))
        ]
        if keys and hasattr(item, "trivia"):
            item.trivia.indent = entries[keys[-1]][1].trivia.indent  # the table's indent
        if (
            keys
            and keys[-1] != len(entries) - 1
            and not any(isinstance(v, (tomlkit.items.Table, tomlkit.items.AoT)) for _, v in entries)
        ):
            _tomlkit_insert_at(body, keys[-1] + 1, key, item)
            return
    container[key] = item


def _tomlkit_insert_at(body: Any, index: int, key: str, item: Any) -> None:
    """Insert `key = item` at position `index` of a tomlkit container's body. tomlkit has no
    public call for this: `Container._insert_at` exists from 0.11 to 0.15 (`_insert_after`,
    used before, was removed in 0.14). tests/planner/test_store.py pins the behaviour."""
    body._insert_at(index, key, item)


def _edit_items(arr: Any, old: list[Any], new: list[Any]) -> bool:
    """Change an array of values item by item, keeping its layout and comments: changed
    items in place, removed ones deleted, added ones inserted. False when the text's array
    is not the plan's (then it is written anew)."""
    import tomlkit.items

    if not isinstance(arr, tomlkit.items.Array) or len(arr) != len(old):
        return False
    matcher = difflib.SequenceMatcher(
        None, [repr(v) for v in old], [repr(v) for v in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):  # from the end: indexes hold
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                arr[i1 + k] = _item(new[j1 + k])
            continue
        for i in reversed(range(i1, i2)):
            del arr[i]
        for k, value in enumerate(new[j1:j2]):
            if i1 + k >= len(arr):
                arr.append(_item(value))
            else:
                arr.insert(i1 + k, _item(value))
    return True


def _pairs(old: list[BaseModel], new: list[BaseModel]) -> list[int | None]:
    """For each new row, the index of the old row it continues (None: a new row)."""
    result: list[int | None] = [None] * len(new)
    if new and all(hasattr(r, "id") for r in new):
        where = {r.id: i for i, r in enumerate(old)}  # type: ignore[attr-defined]
        for j, row in enumerate(new):
            result[j] = where.get(row.id)  # type: ignore[attr-defined]
        used = {i for i in result if i is not None}
        for j in range(len(new)):  # a renamed id: the unmatched old row at the same place
            if (
                result[j] is None
                and j < len(old)
                and j not in used
                and old[j].id not in {r.id for r in new}  # type: ignore[attr-defined]
            ):
                result[j] = j
                used.add(j)
        return result
    keys_old = [r.model_dump_json() for r in old]
    keys_new = [r.model_dump_json() for r in new]
    matcher = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(j2 - j1):
                result[j1 + k] = i1 + k
        elif tag == "replace":
            # Uneven block: pair each new row with the most alike old row still ahead
            # (in order, so no row moves); a row with nothing alike is new.
            nxt = i1
            for j in range(j1, j2):
                scores = [(_alike(old[i], new[j]), -i) for i in range(nxt, i2)]
                if scores and max(scores)[0] > 0:
                    best = -max(scores)[1]
                    result[j] = best
                    nxt = best + 1
    # A row the diff saw deleted here and inserted there, unchanged: a moved row.
    free: dict[str, list[int]] = {}
    for i in sorted(set(range(len(old))) - {i for i in result if i is not None}):
        free.setdefault(keys_old[i], []).append(i)
    for j in range(len(new)):
        if result[j] is None and free.get(keys_new[j]):
            result[j] = free[keys_new[j]].pop(0)
    return result


def _alike(a: BaseModel, b: BaseModel) -> int:
    return sum(getattr(a, name) == getattr(b, name) for name in type(a).model_fields)


def _apply_rows(seq: Any, old: list[BaseModel], new: list[BaseModel]) -> None:
    """Edit an array of tables (or an array of inline tables) row by row."""
    pairs = _pairs(old, new)
    kept = [i for i in pairs if i is not None]
    # Deletions first, then moves, then edits, then additions: tomlkit's arrays lose the
    # layout of an edited inline table when an item is deleted after the edit.
    for i in sorted(set(range(len(old))) - set(kept), reverse=True):
        del seq[i]
    survivors = sorted(kept)
    if kept != survivors:
        # A moved row: take the kept rows out and put them back in the new order.
        items = [seq[k] for k in range(len(seq))]
        for _ in range(len(items)):
            del seq[0]
        for i in kept:
            seq.append(items[survivors.index(i)])
    for position, i in enumerate(kept):
        if old[i] != new[pairs.index(i)]:
            _apply(seq[position], old[i], new[pairs.index(i)])
    for j, i in enumerate(pairs):
        if i is None:
            row = _inline_row(new[j]) if _is_inline(seq) else _table_item(new[j])
            if j >= len(seq):
                seq.append(row)
            else:
                seq.insert(j, row)


def _is_inline(seq: Any) -> bool:
    import tomlkit.items

    return isinstance(seq, tomlkit.items.Array)


def _item(value: Any) -> Any:
    import tomlkit

    plain = _plain_value(value)
    if isinstance(plain, list):
        arr = tomlkit.array()
        arr.extend(plain)
        return arr
    return tomlkit.item(plain)


def _inline_value(plain: Any) -> Any:
    import tomlkit

    if isinstance(plain, dict):
        tab = tomlkit.inline_table()
        for k, v in plain.items():
            tab[k] = _inline_value(v)
        return tab
    if isinstance(plain, list):
        arr = tomlkit.array()
        for v in plain:
            arr.append(_inline_value(v))
        return arr
    return tomlkit.item(plain)


def _inline_row(model: BaseModel) -> Any:
    return _inline_value(_plain(model))


def _table_item(model: BaseModel) -> Any:
    import tomlkit

    tab = tomlkit.table()
    for k, v in _plain(model).items():
        tab[k] = _inline_value(v)
    return tab


def _rows_item(rows: list[BaseModel], *, top: bool) -> Any:
    import tomlkit

    if not top:
        return _inline_value([_plain(r) for r in rows])
    aot = tomlkit.aot()
    for row in rows:
        aot.append(_table_item(row))
    return aot


# --- saving ------------------------------------------------------------------------------------


def fingerprint(path: str | os.PathLike[str]) -> Fingerprint:
    """The fingerprint of a file as it is on disk now."""
    with open(path, "rb") as fh:
        data = fh.read()
        return Fingerprint.of_bytes(data, os.fstat(fh.fileno()))


def save(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    base: PlanFile | None = None,
    force: bool = False,
) -> PlanFile:
    """Write ``plan`` to ``path`` atomically and return what is now on disk.

    With ``base`` (the file as loaded), the plan is written onto base's text, keeping the
    user's comments and layout, and if ``path`` is base's file and its content changed on
    disk since it was loaded, ConflictError is raised (unless ``force``). A crash at any
    moment leaves either the old file or the new one, never a mix: the text goes to a
    temporary file in the same folder, is flushed to disk, then renamed over the file.
    """
    p = Path(path)
    target = Path(os.path.realpath(p))  # write through a symlink, do not replace it
    if base is not None and not force and target == Path(os.path.realpath(base.path)):
        _check_unchanged(target, base)
    text = render(plan, base.text) if base is not None else dumps(plan)
    data = text.encode("utf-8")
    st = _atomic_write(target, data)
    return PlanFile(p, plan, text, Fingerprint.of_bytes(data, st))


def _check_unchanged(target: Path, base: PlanFile) -> None:
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return  # deleted since: writing it again overwrites nobody's work
    if hashlib.sha256(data).hexdigest() != base.fingerprint.sha256:
        raise ConflictError(
            "the file changed on disk since it was loaded (another program or person saved "
            "it); reload it to see their changes, or save with force to overwrite them",
            path=str(base.path),
        )


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic_write(target: Path, data: bytes) -> os.stat_result:
    import stat

    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        if not os.access(target, os.W_OK):
            # A rename would replace a file the user made read-only: refuse, as a plain
            # write would.
            raise PermissionError(13, "the file is read-only", str(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)
    return os.stat(target)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
