"""Pack errors: `PackError` located FILE:LINE:COLUMN (rule, key), several in one
`PackErrors`, and the helpers that word them (quote, close matches, type names)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from releve.planner.errors import LocatedError, clip

#: The longest piece of input quoted in an error message.
QUOTE_MAX = 80
#: The longest error after its FILE:LINE:COLUMN (rule, key and message).
BODY_MAX = 260


class PackError(LocatedError):
    """A rule pack that cannot be used: ``FILE:LINE:COLUMN: rule RULE, key KEY: message``."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        rule: str | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line, column=column)
        self.rule = rule
        self.key = key

    def __str__(self) -> str:
        where = self.location()
        what = []
        # The rule and key may be input (a 2 MB key): an identifier is short, and the
        # message quotes the input again, so each is cut at half of QUOTE_MAX; the line
        # stays under BODY_MAX characters after the place.
        if self.rule:
            what.append(f"rule {clip(self.rule, QUOTE_MAX // 2)}")
        if self.key:
            what.append(f"key {clip(self.key, QUOTE_MAX // 2)}")
        # Quoted input cut at ~80 characters; our own words are not cut at a fixed 200
        # (an 80-character name made "… --pack-path DIR …"): the body is bounded instead.
        body = (", ".join(what) + ": " if what else "") + _clip_quoted(self.message)
        body = clip(body, BODY_MAX)
        line = f"{where}: {body}" if where else body
        # One error, one line: a line break in the input (a quoted key) is shown, not sent.
        return line.replace("\n", "\u240a").replace("\r", "\u240d")


class PackErrors(PackError):
    """Every mistake found in the packs of one load, in file order: like a compiler, the
    loader reports them all in one run. ``str()`` is one line per error; the attributes
    of the first error are the object's own (callers that show one place still can)."""

    def __init__(self, errors: list[PackError]) -> None:
        first = errors[0]
        super().__init__(
            first.message,
            path=first.path,
            line=first.line,
            column=first.column,
            rule=first.rule,
            key=first.key,
        )
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\n".join(PackError.__str__(e) for e in self.errors)


_N = QUOTE_MAX + 1
#: A piece of input quoted in a message, longer than QUOTE_MAX (as planner.errors.clip_quotes).
_QUOTED = re.compile(rf"'[^'\n]{{{_N},}}'|\"[^\"\n]{{{_N},}}\"|«[^»\n]{{{_N},}}»|“[^”\n]{{{_N},}}”")


def _clip_quoted(message: str) -> str:
    """Every quoted piece of input in `message` cut to QUOTE_MAX characters."""
    return _QUOTED.sub(lambda m: m.group(0)[0] + clip(m.group(0)[1:-1]) + m.group(0)[-1], message)


def quote(text: str, limit: int = QUOTE_MAX) -> str:
    """`text` for an error message: at most `limit` characters, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(word: str, choices: Any) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to `word`, else ``""``."""
    import difflib

    if len(word) > 100:
        return ""  # no choice is within the cutoff of so long a word (and difflib is slow)

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(v: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date-time",
        dt.time: "a time",
    }.get(type(v), type(v).__name__)


def _shown_value(value: Any) -> str:
    return "an empty string" if value == "" else _type_name(value)
