"""A booking appended to a plan's text as text, byte for byte where and how the store's
save would write it (``releve log``), without pydantic or tomlkit.

The store's save (planner/store/writer.py ``render``) writes a plan with one more booking
onto the user's text block by block: the new ``[[booking]]`` row goes right after the last
booking (with its own comments), or, for a first booking, after the last table, one blank
line before it; its keys are indented as the first booking's keys; a file without a final
newline stays without one, a CRLF file stays CRLF. :func:`append_booking` does exactly that
and nothing else: for a text the save would write another way (a layout its blocks do not
follow, bookings written inline at the top), it returns None and the caller saves through
the store. :func:`same_plus` is the caller's safety net: the new text, read again, must be
the old plan plus the booking, else nothing is written from here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from releve.planner.behaviour import booking_days
from releve.planner.store.layout import _layout, indent_like

if TYPE_CHECKING:
    from releve.planner.model import Plan

KEY = "booking"


def booking_row(on: dt.date, phase: str, days: float, note: str | None) -> dict[str, Any]:
    """The booking as the file's keys, in the model's order, as the store writes it:
    ``days = 1`` stays an integer, a missing note is no key."""
    row: dict[str, Any] = {"on": on, "phase": phase, "days": booking_days(float(days))}
    if note is not None:
        row["note"] = note
    return row


def row_text(row: dict[str, Any]) -> str:
    """One ``[[booking]]`` row as the store's canonical writer words it (tomli-w)."""
    import tomli_w

    text = tomli_w.dumps({KEY: [row]})
    if not text.startswith("["):  # tomli-w wrote a short row inline: a plan's rows are tables
        text = f"[[{KEY}]]\n" + tomli_w.dumps(row)
    return text


def append_booking(text: str, bookings: int, row: dict[str, Any]) -> str | None:
    """``text`` (a plan holding ``bookings`` bookings) with ``row`` appended as the store's
    save appends it; None when that save would not edit this text block by block."""
    layout = _layout(text)
    if layout is None or KEY in layout.pre_keys:
        return None
    texts = [seg_text for seg_text, _, _ in layout.segs]
    keys = [key for _, key, _ in layout.segs]
    rows = [i for i, key in enumerate(keys) if key == KEY]
    if len(rows) != bookings or not all(layout.segs[i][2] for i in rows):
        return None  # not one [[booking]] block per booking: the save edits it otherwise
    new = row_text(row)
    if rows:
        new = indent_like(new, texts[rows[0]])
        after = rows[-1]
    else:  # the first booking: after the last table (every other table comes before it)
        tables = [i for i, key in enumerate(keys) if key is not None]
        if not tables:
            return None
        after = tables[-1]
    texts[after + 1 : after + 1] = ["\n", new]  # a blank line, then the row
    following = after + 3  # the gap after the block the row follows: one blank line at least
    if following < len(texts) - 1 and not _starts_blank(texts[following]):
        texts[following] = "\n" + texts[following]
    out = layout.pre + "".join(texts)
    if not text.endswith("\n") and out.endswith("\n"):
        out = out[:-1]
    if "\r\n" in text:  # the new lines are written with \n: keep the file's CRLF
        out = out.replace("\r\n", "\n").replace("\n", "\r\n")
    return out


def same_plus(new: Plan, old: Plan, row: dict[str, Any]) -> bool:
    """Whether ``new`` is ``old`` with one more booking, the one ``row`` says, at the end
    (plans as the lean reader reads them; every attribute compared)."""
    before, after = vars(old), vars(new)
    if before.keys() != after.keys():
        return False
    if any(after[name] != value for name, value in before.items() if name != KEY):
        return False
    if len(new.booking) != len(old.booking) + 1 or new.booking[:-1] != old.booking:
        return False
    last = vars(new.booking[-1])
    return last == {"on": row["on"], "phase": row["phase"], "days": row["days"]} | {
        "note": row.get("note")
    }


def _starts_blank(seg_text: str) -> bool:
    """A gap that begins with a blank line (then no blank line is added before it)."""
    return "\n" in seg_text and not seg_text.split("\n", 1)[0].strip()
