"""Plan text made safe to print: control characters become visible symbols, never raw bytes.

A plan is TOML, and TOML strings may hold any control character ("\\u001b]0;pwned\\u0007"
is legal). Written raw to a terminal, such a character can retitle the window, move the
cursor or hide a line; in CSV or iCalendar (RFC 5545 forbids them in TEXT values) it
breaks the file. :func:`visible` shows each C0 control as its Unicode "control picture"
(ESC → ␛, BEL → ␇, CR → ␍ …), DEL as ␡ and each C1 control (U+0080 to U+009F) as �;
a tab becomes a space. Characters listed in ``keep`` (a format's own line break) pass.
"""

from __future__ import annotations

import re
from functools import lru_cache

PLACEHOLDER_C1 = "\ufffd"
_DEL_C1 = re.compile("[\x7f-\x9f]")


@lru_cache(maxsize=8)
def _table(keep: str) -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20)}  # ␀ … ␟
    table[0x09] = " "
    table[0x7F] = "\u2421"  # ␡
    table.update({c: PLACEHOLDER_C1 for c in range(0x80, 0xA0)})
    for ch in keep:
        table.pop(ord(ch), None)
    return table


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character (Unicode category Cc) replaced by a visible
    symbol, except those in ``keep``."""
    return text.translate(_table(keep))


def is_control(ch: str) -> bool:
    """Whether ``ch`` is a control character (C0, DEL or C1)."""
    o = ord(ch)
    return o < 0x20 or 0x7F <= o < 0xA0


def json_escape_controls(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``, which escapes C0 controls
    but leaves DEL and C1 raw) with DEL and C1 written as ``\\u007f`` … ``\\u009f``: the
    same JSON value, nothing raw for a terminal. Outside strings JSON is ASCII, so only
    string contents change."""
    return _DEL_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
