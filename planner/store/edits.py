"""Edits of a tomlkit document in place: values, keys, rows and array items changed one by
one so that everything around them (comments, layout) stays as the user wrote it."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel

from releve.planner.model import Plan
from releve.planner.store.canonical import _is_noise, _plain, _plain_value
from releve.planner.store.fields import _default, _fields
from releve.planner.store.tomlkit_shim import insert_at


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
            insert_at(body, keys[-1] + 1, key, item)
            return
    container[key] = item


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
    for j, paired in enumerate(pairs):
        if paired is None:
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
        # inline items: a table inside an array (a deliverable written as a table) stays
        # `{ name = …, … }` on its line, which reads back
        arr = tomlkit.array()
        for v in plain:
            arr.append(_inline_value(v))
        return arr
    if isinstance(plain, dict):
        return _inline_value(plain)
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
