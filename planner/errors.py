"""Errors that say where: file, line, column (and rule and key, for packs)."""

from __future__ import annotations

from typing import Any


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
        return f"{where}: {self.message}" if where else self.message


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
