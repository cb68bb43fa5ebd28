"""What a file looked like when it was read (its bytes' digest), as a plan or as raw text."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from releve.planner.records import record
from releve.planner.store.decoding import BadBytes, decode_lossy

if TYPE_CHECKING:  # only named: reading a file's bytes and digest needs no pydantic
    from releve.planner.model import Plan


@record
class Fingerprint:
    """What a file looked like when read: enough to tell whether someone changed it since."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of_bytes(cls, data: bytes, st: os.stat_result) -> Fingerprint:
        return cls(st.st_mtime_ns, len(data), hashlib.sha256(data).hexdigest())


@record
class PlanFile:
    """A plan as read from (or written to) a file, with the exact text and its fingerprint."""

    path: Path
    plan: Plan
    text: str
    fingerprint: Fingerprint


@record
class TextFile:
    """A file as text, whether or not it reads as a plan (the broken-file view edits this).

    ``text`` shows each byte that is not UTF-8 as U+FFFD; ``bad`` says where those bytes
    are (line, column, the bytes), empty for a UTF-8 file. ``fingerprint`` is of the bytes
    read, so a save can tell whether someone changed the file since."""

    path: Path
    text: str
    bad: tuple[BadBytes, ...]
    fingerprint: Fingerprint

    @property
    def lossless(self) -> bool:
        """Whether saving ``text`` unchanged would write the same bytes (BOM aside)."""
        return not self.bad

    def as_plan_file(self, plan: Plan, text: str | None = None) -> PlanFile:
        """The base for :func:`save` once ``text`` (default: this file's text) reads as
        ``plan``: saving the plan then checks the digest of the bytes this file was read from."""
        return PlanFile(self.path, plan, self.text if text is None else text, self.fingerprint)


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes, Fingerprint]:
    """A file's bytes and their fingerprint, from one read."""
    with open(path, "rb") as fh:
        data = fh.read()
        return data, Fingerprint.of_bytes(data, os.fstat(fh.fileno()))


def fingerprint(path: str | os.PathLike[str]) -> Fingerprint:
    """The fingerprint of a file as it is on disk now."""
    return read_bytes(path)[1]


def open_text(path: str | os.PathLike[str]) -> TextFile:
    """A file as text, never a decoding error (OSError when it cannot be read): see
    :class:`TextFile`. Opening writes nothing."""
    p = Path(path)
    data, fp = read_bytes(p)
    decoded = decode_lossy(data)
    return TextFile(p, decoded.text, decoded.bad, fp)
