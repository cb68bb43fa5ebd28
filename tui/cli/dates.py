"""Dates on the command line: the one clock read and the one date parser of every command.

Logic never reads the clock: each command takes its date from ``--as-of`` (parsed by
``iso_date``) or, without it, from ``today()``, and passes it down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

#: Exactly YYYY-MM-DD (ASCII digits): what the help of every --as-of promises.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def today() -> dt.date:
    """The default date of a command run without --as-of: the one place releve reads the clock."""
    return dt.date.today()


def parse_iso_date(text: str) -> dt.date:
    """``text`` as a date written exactly YYYY-MM-DD; ValueError otherwise.

    ``date.fromisoformat`` alone also takes ``20270301`` or ``2027-W09-1`` (and non-ASCII
    digits): a date that reads differently in the plan, the report and the shell is refused.
    """
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def iso_date(text: str) -> dt.date:
    """An argparse ``type``: a date written YYYY-MM-DD, else argparse's one-line error."""
    try:
        return parse_iso_date(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise argparse.ArgumentTypeError(
            f"not a date written YYYY-MM-DD (like 2027-03-01): {shown!r}"
        ) from None
