"""The text as blocks (a table, a row, with its own comments) and the gaps between them:
rows are added, moved and deleted as text, and only the blocks that changed are parsed."""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

from pydantic import BaseModel

from releve.planner.model import Plan
from releve.planner.records import mutable_record, record
from releve.planner.store.canonical import _plain, _row_text, _table_text
from releve.planner.store.edits import _apply, _pairs
from releve.planner.store.fields import _fields
from releve.planner.store.positions import _unescape
from releve.planner.store.tomlkit_shim import parse_document

try:  # tomli's wheels are compiled (mypyc): two to three times faster than tomllib
    import tomli as tomllib
except ImportError:  # pragma: no cover - the same parser, in pure Python
    import tomllib  # type: ignore[no-redef]


@mutable_record
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
        doc = parse_document(layout.pre)
        _apply(doc, old, plan, only=pre_edits)
        pre = tomlkit.dumps(doc)
    else:
        pre = layout.pre
    out = [pre]
    for seg in segs:
        if seg.key is not None and seg.old is not None and seg.old != seg.new:
            doc = parse_document(seg.text)
            target = doc[seg.key][0] if seg.aot else doc[seg.key]
            _apply(target, seg.old, seg.new)
            seg.text = tomlkit.dumps(doc)
        out.append(seg.text)
    return "".join(out)


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
    for j, paired in enumerate(pairs):
        if paired is not None:
            blocks[paired].old, blocks[paired].new = old[paired], new[j]
    style = blocks[kept[0]] if kept else (blocks[0] if blocks else None)
    prev: _Seg | None = None
    first_kept = blocks[kept[0]] if kept else None
    for j, paired in enumerate(pairs):
        if paired is not None:
            prev = blocks[paired]
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
