"""Where the blocks of a plan's text are (``_layout``): each top-level ``[table]`` or
``[[table]]`` row with its own comments, and the gaps between them. Reading only (no
pydantic, no tomlkit): the store's writer edits the blocks (blocks.py), and ``releve log``
finds where a booking goes (planner/booking_text.py)."""

from __future__ import annotations

import functools
import itertools
import re

from releve.planner.records import record
from releve.planner.store.positions import _unescape

try:  # tomli's wheels are compiled (mypyc): two to three times faster than tomllib
    import tomli as tomllib
except ImportError:  # pragma: no cover - the same parser, in pure Python
    import tomllib  # type: ignore[no-redef]


@record
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


def indent_like(text: str, row: str | None) -> str:
    """A new row's keys indented as the keys of ``row`` (a row of the same table) are."""
    if row is None:
        return text
    for line in row.splitlines():
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
