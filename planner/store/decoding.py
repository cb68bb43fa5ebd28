"""Bytes to text: UTF-8 (a BOM allowed), or the first byte that is not, located at its line
and column; for a file that is not UTF-8, its text with every such byte located."""

from __future__ import annotations

import bisect
import re

from releve.planner.errors import LocatedError, PlanError
from releve.planner.records import record

#: What each undecodable byte becomes in :attr:`Decoded.text` (one character per byte).
REPLACEMENT = "\ufffd"
_BOM = b"\xef\xbb\xbf"


def decode(
    data: bytes,
    path: str = "<bytes>",
    *,
    error: type[LocatedError] = PlanError,
    what: str = "a plan is a TOML text file",
) -> str:
    """The text of a file's bytes (UTF-8, BOM allowed); ``error`` (PlanError, or a pack's
    PackError) at the first byte that is not UTF-8, with its line and column and ``what``
    the file should be."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise error(
            f"not a UTF-8 text file (byte 0x{data[start]:02x} cannot be read); {what}",
            path=path,
            line=line,
            column=column,
        ) from None


@record
class BadBytes:
    """A run of bytes that are not UTF-8, where the text shows them (from 1)."""

    line: int
    column: int  # in characters of :attr:`Decoded.text` (each bad byte is one character)
    data: bytes

    def shown(self) -> str:
        """The bytes as a user can read them: ``0xe9`` or ``0xe9 0xe8``."""
        return " ".join(f"0x{b:02x}" for b in self.data)

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.shown()}"


@record
class Decoded:
    """A file's text as well as it can be read.

    ``text`` is the UTF-8 text with each byte that is not UTF-8 shown as U+FFFD (one per
    byte, so ``bad`` columns point at them); ``bad`` lists those bytes in file order,
    empty when the file is valid UTF-8 (then ``text`` is exactly what :func:`decode` gives).
    Writing ``text`` back would change exactly the bytes in ``bad`` (and a leading BOM)."""

    text: str
    bad: tuple[BadBytes, ...]
    bom: bool = False

    @property
    def lossless(self) -> bool:
        """Whether writing ``text`` as UTF-8 gives the file's bytes back (BOM aside)."""
        return not self.bad


def decode_lossy(data: bytes) -> Decoded:
    """The text of any bytes, never an error: see :class:`Decoded`. Linear in the size."""
    bom = data.startswith(_BOM)
    body = data[len(_BOM) :] if bom else data
    try:
        return Decoded(body.decode("utf-8"), (), bom)
    except UnicodeDecodeError:
        pass
    # surrogateescape maps each undecodable byte to one lone surrogate U+DC80..U+DCFF.
    escaped = body.decode("utf-8", errors="surrogateescape")
    line_starts = [0] + [m.end() for m in re.finditer("\n", escaped)]
    bad = []
    for m in _ESCAPED.finditer(escaped):
        line = bisect.bisect_right(line_starts, m.start())
        raw = bytes(ord(ch) - 0xDC00 for ch in m.group())
        bad.append(BadBytes(line, m.start() - line_starts[line - 1] + 1, raw))
    return Decoded(_ESCAPED.sub(lambda m: REPLACEMENT * len(m.group()), escaped), tuple(bad), bom)


_ESCAPED = re.compile("[\udc80-\udcff]+")
