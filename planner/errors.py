"""Errors that say where: file, line, column (and rule and key, for packs)."""

from __future__ import annotations

import re
from typing import Any

#: At most this many characters of any input are quoted in a message (then an ellipsis).
QUOTE_LIMIT = 80
#: A whole message is cut past this (the located line stays well under 300 characters).
MESSAGE_LIMIT = 200

_N = QUOTE_LIMIT + 1
_QUOTED = re.compile(rf"'[^'\n]{{{_N},}}'|\"[^\"\n]{{{_N},}}\"|«[^»\n]{{{_N},}}»|“[^”\n]{{{_N},}}”")


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_quotes(message: str) -> str:
    """Every quoted piece of input in ``message`` cut to ``QUOTE_LIMIT`` characters, and the
    message to ``MESSAGE_LIMIT``: a 2 MB key must not make a 2 MB error."""
    shown = _QUOTED.sub(lambda m: m.group(0)[0] + clip(m.group(0)[1:-1]) + m.group(0)[-1], message)
    return clip(shown, MESSAGE_LIMIT)


class LocatedError(Exception):
    """An error a user can fix, with the place it comes from.

    `str(err)` is the one-line form the command prints: ``FILE:LINE:COLUMN: message``
    (the parts that are unknown are left out).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def location(self) -> str:
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location()
        message = clip_quotes(self.message)
        return f"{where}: {message}" if where else message


class PlanError(LocatedError):
    """A plan file that cannot be read (syntax, type, unknown key, …)."""


class ConflictError(LocatedError):
    """The file changed on disk since it was loaded; saving would overwrite someone's work."""


class BadBytesError(LocatedError):
    """Saving would change bytes of the file that are not UTF-8 (they would become U+FFFD);
    ``bad`` lists them (``releve.planner.store.BadBytes``: line, column, bytes)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        bad: tuple[Any, ...] = (),
    ) -> None:
        super().__init__(message, path=path, line=line, column=column)
        self.bad = bad
