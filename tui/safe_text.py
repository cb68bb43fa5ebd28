"""Plan text made safe to print: control characters become visible symbols, never raw bytes.

A plan is TOML, and TOML strings may hold any control character ("\\u001b]0;pwned\\u0007"
is legal). Written raw to a terminal, such a character can retitle the window, move the
cursor or hide a line; in CSV or iCalendar (RFC 5545 forbids them in TEXT values) it
breaks the file. :func:`visible` shows each C0 control as its Unicode "control picture"
(ESC → ␛, BEL → ␇, CR → ␍ …), DEL as ␡ and each C1 control (U+0080 to U+009F) as �;
a tab becomes a space. Characters listed in ``keep`` (a format's own line break) pass.

Invisible format characters are shown too: the bidi controls (U+202A–202E, U+2066–2069,
U+200E/200F, U+061C) can reorder what a reader sees ("Trojan Source", CVE-2021-42574),
zero-width ones (U+200B–200D, U+2060, U+FEFF) hide a difference between two names that look
the same. Every character of Unicode categories Cf, Zl and Zp becomes ``⟨U+202E⟩``.
:func:`show_format` does that alone (for outputs that handle control characters otherwise).
"""

from __future__ import annotations

import re
from functools import lru_cache

PLACEHOLDER_C1 = "\ufffd"
_DEL_C1 = re.compile("[\x7f-\x9f]")

#: Unicode's format characters (category Cf) and line/paragraph separators (Zl, Zp), as
#: inclusive ranges (Unicode 15.1; tests/tui/test_safe_text.py compares them with the running
#: Python's unicodedata).
FORMAT_RANGES = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
_FORMAT = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in FORMAT_RANGES) + "]")


def shown_format(ch: str) -> str:
    """How an invisible format character is shown: ``⟨U+202E⟩``."""
    return f"\u27e8U+{ord(ch):04X}\u27e9"


def show_format(text: str) -> str:
    """``text`` with every format character (bidi, zero-width, BOM, separators) shown as
    ``⟨U+XXXX⟩``; nothing else changes."""
    return _FORMAT.sub(lambda m: shown_format(m.group()), text)


@lru_cache(maxsize=8)
def _table(keep: str) -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20)}  # ␀ … ␟
    table[0x09] = " "
    table[0x7F] = "\u2421"  # ␡
    table.update({c: PLACEHOLDER_C1 for c in range(0x80, 0xA0)})
    for a, b in FORMAT_RANGES:
        table.update({c: shown_format(chr(c)) for c in range(a, b + 1)})
    for ch in keep:
        table.pop(ord(ch), None)
    return table


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character (Unicode category Cc) replaced by a visible
    symbol and every format character shown as ``⟨U+XXXX⟩``, except those in ``keep``."""
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
