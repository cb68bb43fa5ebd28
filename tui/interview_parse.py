"""The first interview's texts and answer parsers (tui/interview.py asks the questions).

Headless: each parser takes the owner's reply as text and returns the value or raises
:class:`Invalid` with the one line that says why, in the interview's language.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from releve.planner.model import Weekday
from releve.tui import i18n

#: The catalog's languages, French first: the interview asks in French first (the
#: language of most owners it meets).
ASKED_IN = tuple(sorted(i18n.LANGS, key=lambda lang: lang != "fr"))
DEFAULT_LANG = "fr"

# --- texts -----------------------------------------------------------------------------------
# Every text the interview shows is in the string catalog (releve.tui.i18n) under
# ``interview.``: ``q.KEY`` is a question, ``h.KEY`` its help, ``e.KEY`` a refusal.

#: The interview's texts by language, read from the catalog (keys without the prefix).
TEXTS: dict[str, dict[str, str]] = {lang: i18n.table(lang, "interview") for lang in ASKED_IN}


def tr(lang: str, key: str, /, **values: object) -> str:
    """One of the interview's texts in ``lang`` (fr when unknown), ``values`` filled in."""
    table = TEXTS[lang if lang in TEXTS else DEFAULT_LANG]
    return table[key].format(**values) if values else table[key]


class Invalid(ValueError):
    """An answer refused; ``str()`` is the one-line reason, in the interview's language."""


@dataclass
class Named:
    """A person as an answer names them: a name, and the role given in brackets if any."""

    name: str
    role: str | None = None


# --- parsing answers ---------------------------------------------------------------------------


class _Parsers:
    """Parsers of answers; each raises :class:`Invalid` with a reason in ``lang``."""

    MAX_TEXT = 200

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def bad(self, key: str, **values: object) -> Invalid:
        return Invalid(tr(self.lang, key, **values))

    def text(self, *, required: bool = False) -> Callable[[str], str]:
        def parse(reply: str) -> str:
            reply = _clean(reply)
            if not reply and required:
                raise self.bad("e.required")
            if any(unicodedata.category(ch) == "Cc" for ch in reply):
                raise self.bad("e.control")
            if len(reply) > self.MAX_TEXT:
                raise self.bad("e.too_long", max=self.MAX_TEXT)
            return reply

        return parse

    def whole(self, low: int, high: int, *, example: str) -> Callable[[str], int]:
        def parse(reply: str) -> int:
            digits = re.sub(r"[\s\u202f\u00a0_]", "", reply)
            if not re.fullmatch(r"[0-9]+", digits):
                raise self.bad("e.whole", example=example)
            value = int(digits)
            if not low <= value <= high:
                raise self.bad("e.range", low=low, high=high)
            return value

        return parse

    def number(
        self, low: float, high: float, *, example: str, percent: bool = False
    ) -> Callable[[str], float]:
        def parse(reply: str) -> float:
            raw = re.sub(r"[\s\u202f\u00a0_]", "", reply)
            if percent:
                raw = raw.removesuffix("%")
            raw = raw.replace(",", ".")
            if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", raw):
                raise self.bad("e.number", example=example)
            value = float(raw)
            if not low <= value <= high:
                raise self.bad("e.range", low=_num(low), high=_num(high))
            return value

        return parse

    def date(self, *, after: dt.date | None = None) -> Callable[[str], dt.date]:
        def parse(reply: str) -> dt.date:
            day = _iso(reply)
            if day is None:
                raise self.bad("e.date", example="2027-01-04")
            if after is not None and day <= after:
                raise self.bad("e.after_start", start=after.isoformat())
            return day

        return parse

    def names(self, *, required: bool = False) -> Callable[[str], list[Named]]:
        one = self.text()

        def parse(reply: str) -> list[Named]:
            nothing = {_fold(tr(lang, w)) for lang in ASKED_IN for w in ("none", "nobody")}
            if _fold(reply) in nothing | {"-"}:
                reply = ""
            out: list[Named] = []
            seen: set[str] = set()
            for item in _split(reply):
                named = _named(one(item))
                if _key(named.name) in seen:
                    raise self.bad("e.duplicate", name=named.name)
                seen.add(_key(named.name))
                out.append(named)
            if required and not out:
                raise self.bad("e.required")
            return out

        return parse

    def person(
        self,
        *,
        required: bool = False,
        nobody: bool = False,
        not_: str | None = None,
        key: str = "e.same_person",
    ) -> Callable[[str], Named | None]:
        one = self.text(required=required)
        nobody_words = {_fold(tr(lang, "nobody")) for lang in ASKED_IN} | {"-", "none", "aucun"}

        def parse(reply: str) -> Named | None:
            if nobody and _fold(reply) in nobody_words:
                return None
            if len(_split(reply)) > 1:
                raise self.bad("e.one_name")
            named = _named(one(reply))
            if not named.name:
                raise self.bad("e.required")
            if not_ is not None and _key(named.name) == _key(not_):
                raise self.bad(key, runner=not_, owner=not_)
            return named

        return parse

    def yes_no(self) -> Callable[[str], bool]:
        words = {_fold(tr(lang, w)): w == "yes" for lang in ASKED_IN for w in ("yes", "no")}
        words.update({"o": True, "y": True, "n": False})

        def parse(reply: str) -> bool:
            value = words.get(_fold(reply))
            if value is None:
                raise self.bad("e.yes_no")
            return value

        return parse

    def periods(self) -> Callable[[str], list[tuple[dt.date, dt.date]]]:
        def parse(reply: str) -> list[tuple[dt.date, dt.date]]:
            if _fold(reply) in {_fold(tr(lang, "none")) for lang in ASKED_IN} | {"-", ""}:
                return []
            out = []
            for item in _split(reply):
                found = re.findall(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", item)
                rest = re.sub(
                    r"[0-9]{4}-[0-9]{2}-[0-9]{2}|\.\.|→|–|-|\b(?:du|au|from|to)\b|\s", "", item
                )
                days = [_iso(d) for d in found]
                if not 1 <= len(days) <= 2 or rest or None in days:
                    raise self.bad("e.period", item=item)
                first, last = days[0], days[-1]
                assert first is not None and last is not None
                if last < first:
                    raise self.bad("e.period_order", item=item)
                out.append((first, last))
            return out

        return parse

    def weekdays(self) -> Callable[[str], list[Weekday]]:
        names: dict[str, Weekday] = {}
        for lang in ASKED_IN:
            for day, label in _day_names(lang, full=True).items():
                names[_fold(label)] = day
                names[_fold(label)[:3]] = day
        for day in Weekday:
            names[day.value] = day

        def parse(reply: str) -> list[Weekday]:
            out: list[Weekday] = []
            for item in re.split(r"[\s,;]+", reply.strip()):
                if not item:
                    continue
                day = names.get(_fold(item).rstrip("."))
                if day is None:
                    raise self.bad("e.weekday", item=item)
                if day in out:
                    raise self.bad("e.duplicate", name=item)
                out.append(day)
            if not out:
                raise self.bad("e.required")
            return out

        return parse


def _choice(
    choices: dict[str, Any], shown: str, *, lang: str = DEFAULT_LANG
) -> Callable[[str], Any]:
    def parse(reply: str) -> Any:
        value = choices.get(_fold(reply))
        if value is None:
            langs = ASKED_IN if lang == "both" else (lang,)  # the language is not known yet
            raise Invalid(" / ".join(tr(la, "e.choice", choices=shown.strip()) for la in langs))
        return value

    return parse


# --- small helpers -----------------------------------------------------------------------------


def _clean(s: str) -> str:
    """Spaces collapsed: the name as the plan will show it."""
    return " ".join(s.split())


def _key(name: str) -> str:
    """The same person whatever the case and the spaces."""
    return _clean(name).casefold()


def _fold(s: str) -> str:
    """Lower case without accents, for matching a word against a list of choices."""
    decomposed = unicodedata.normalize("NFKD", _clean(s).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _slug(s: str) -> str:
    ascii_ = _fold(s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")


def _split(reply: str) -> list[str]:
    """Items separated by commas or semicolons, except inside brackets."""
    items: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in reply:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch in ",;" and depth == 0:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return [i.strip() for i in items if i.strip()]


def _named(item: str) -> Named:
    """``Julie Martin (ADV)`` → Named("Julie Martin", "ADV")."""
    match = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", item)
    if match and match.group(1).strip():
        return Named(_clean(match.group(1)), _clean(match.group(2)) or None)
    return Named(_clean(item))


def _iso(s: str) -> dt.date | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s.strip()):
        return None
    try:
        return dt.date.fromisoformat(s.strip())
    except ValueError:
        return None


def _num(x: float) -> str:
    return f"{x:g}"


def _share(percent: float | None) -> float | None:
    """A percentage as the plan's 0..1 share (rounded off binary noise: 18 % → 0.18)."""
    return None if percent is None else round(percent / 100, 6)


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _enum_label(lang: str, enum: str, value: object) -> str:
    from releve.tui.i18n import enum_label

    return enum_label(lang, enum, value)


def _day_names(lang: str, *, full: bool = False) -> dict[Weekday, str]:
    """Days as the interview shows them: ``lun``/``mon``, or the full name."""
    out = {}
    for day in Weekday:
        label = _enum_label(lang, "Weekday", day).lower()
        out[day] = label if full else label[:3]
    return out


def placeholders(lang: str, key: str) -> set[str]:
    """The {placeholders} of a text (a test checks both languages have the same)."""
    return {f for _, f, _, _ in string.Formatter().parse(TEXTS[lang][key]) if f}
