"""The text as blocks (a table, a row, with its own comments) and the gaps between them:
rows are added, moved and deleted as text, and only the blocks that changed are parsed.
Where the blocks are is read by :mod:`.layout` (``_layout``, re-exported here)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from releve.planner.model import Plan
from releve.planner.records import mutable_record
from releve.planner.store.canonical import _plain, _row_text, _table_text
from releve.planner.store.edits import _apply, _pairs
from releve.planner.store.fields import _fields
from releve.planner.store.layout import _Layout, _layout, indent_like
from releve.planner.store.tomlkit_shim import parse_document

__all__ = ["_Layout", "_layout", "_render_blocks"]  # _layout: where writer.py and tests find it


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
        block = _Seg(
            indent_like(_row_text(key, _plain(new[j])), style.text if style else None), key, True
        )
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
