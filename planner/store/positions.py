"""Where things are in a plan's text: the line and column of a key, row or array item by
plan path. ``index_text(text)`` scans a text once; ``locate`` asks one question."""

from __future__ import annotations

import bisect
import contextlib
import functools
import re

from releve.planner.store.fields import MAX_NESTING, Loc


def locate(text: str, loc: Loc, *, exact: bool = False) -> tuple[int, int] | None:
    """(line, column), both from 1, of the key at plan path ``loc`` in ``text``.

    ``loc`` is a pydantic-style path: ``("phase", 2, "effort_days")``,
    ``("governance", "reports_to")``, ``("company", "closures", 0, "from")``. A row
    (``("phase", 2)``) is its ``[[phase]]`` header or its inline table; an array item is
    the item. When the exact path is not in the text (a key left out), the nearest
    enclosing table or row is returned, unless ``exact``; None when nothing matches.
    """
    return index_text(text).find(loc, exact=exact)


@functools.lru_cache(maxsize=8)
def index_text(text: str) -> TextIndex:
    """The positions of everything in ``text``, scanned once (cached for the last few
    texts): ``index_text(text).find(loc)`` for each of many paths in the same text."""
    return TextIndex(text)


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
#: Blank space and comments, then one whole ``bare_key = value`` whose value is a one-line
#: string or a scalar (group 1: the key), or a header of one bare key (group 2: ``[[key]]``,
#: group 3: ``[key]``): most of a plan's lines, each read in one match. It takes only what
#: the general scanner below reads the same way (same end, same positions) and leaves it the
#: rest.
_SIMPLE_LINE = re.compile(
    # atomic: never take back blank space or comment to find a key in it
    "(?>" + _WS_NL.pattern + r")(?:([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"
    r'(?!""")"(?:[^"\\\n]|\\.)*"'
    r"|(?!''')'[^'\n]*'"
    r"|(?![\[{\"'])(?:" + _SCALAR.pattern + "))"
    r"|\[\[([A-Za-z0-9_-]+)\]\]|\[([A-Za-z0-9_-]+)\])"
)
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class TextIndex:
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
        self._line_starts: list[int] | None = None
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
        # The line starts are indexed when first asked for (a plan's load errors may ask
        # for 100,000 positions; a check with no finding asks for none).
        starts = self._line_starts
        if starts is None:
            starts = self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    # scanning

    def _skip(self, pattern: re.Pattern[str]) -> None:
        self.pos = pattern.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def _peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def _document(self) -> None:
        table: Loc = ()
        text = self.text
        positions = self.positions
        simple = _SIMPLE_LINE.match
        while True:
            m = simple(text, self.pos)
            while m is not None:
                if m.lastindex == 1:
                    positions.setdefault((*table, m.group(1)), m.start(1))
                elif m.lastindex == 2:
                    table = self._header([(m.group(2), m.start(2))], array=True)
                else:
                    table = self._header([(m.group(3), m.start(3))], array=False)
                self.pos = m.end()
                m = simple(text, self.pos)
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
