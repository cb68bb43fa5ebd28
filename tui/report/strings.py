"""The readiness report's words (from the string catalog, releve.tui.i18n) and its formats of dates and numbers."""

from __future__ import annotations

import datetime as dt
import math
import string
from collections.abc import Callable

from releve.tui.i18n import (
    LANGS,
    enum_label,
    norm_lang,
    pillar_label,
    severity_label,
    table,
    target_label,
)
from releve.tui.i18n import text as _text

__all__ = ["LANGS", "norm_lang", "target_label"]

#: The report's enumeration groups and the model enumeration each labels.
_ENUMS = {
    "kind": "PhaseKind",
    "method": "TransferMethod",
    "tstatus": "TransferStatus",
    "mstatus": "MissionStatus",
    "exit": "ExitKind",
    "signal": "SignalKind",
    "category": "KpiCategory",
}


def t(lang: str, key: str, **values: object) -> str:
    """The sentence ``report.key`` in ``lang``, with ``{placeholders}`` filled."""
    found = _text(lang, f"report.{key}")
    return found.format(**values) if values else found


def fill(lang: str, key: str, escape: Callable[[str], str], **markup: object) -> str:
    """The sentence ``key`` with its own words passed through ``escape`` and each
    ``{placeholder}`` replaced by ``markup`` as given (already escaped: a date element,
    a code span, a link)."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(_text(lang, f"report.{key}")):
        out.append(escape(literal))
        if name is not None:
            out.append(str(markup[name]))
    return "".join(out)


def label(lang: str, group: str, value: object) -> str:
    """The label of an enumeration value (``label("fr", "kind", "handover")`` → "passation")."""
    raw = str(getattr(value, "value", value))
    if group in _ENUMS:  # the report writes them in lower case, as in running text
        shown = enum_label(lang, _ENUMS[group], raw)
        return shown[:1].lower() + shown[1:]
    if group == "pillar":
        return pillar_label(lang, raw)
    if group == "severity":
        return severity_label(lang, raw)
    return table(lang, f"report.{group}").get(raw, raw)


def counted(lang: str, key: str, n: int) -> str:
    """The noun for ``n`` findings of a kind: singular for 1 (and 0 in French), else plural."""
    single = n <= 1 if norm_lang(lang) == "fr" else n == 1
    return _text(lang, f"count.{key}.{'one' if single else 'many'}")


def phase_status(lang: str, status: str) -> str:
    """A tracked phase's status (done, effort used up, started, not started), as
    `releve schedule` words it."""
    return _text(lang, f"phase_status.{status}")


def coo_label(lang: str) -> str:
    return _text(lang, "report.the_coo")


def pillar_why(lang: str, pillar: str) -> str:
    return table(lang, "pillar_why").get(pillar, "")


def long_date(lang: str, day: dt.date) -> str:
    """``1 March 2027`` / ``1 mars 2027`` (1er for the first of the month in French)."""
    month = _text(lang, f"month.{day.month}")
    if norm_lang(lang) == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def month_label(lang: str, day: dt.date) -> str:
    """A short month name for chart axes."""
    return _text(lang, f"month_short.{day.month}")


def number(lang: str, value: float | None, unit: str | None = None) -> str:
    """A number as a reader writes it: ``6.5`` / ``6,5``; integers without decimals; unit after."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, int):  # exact, and never through a float (a huge int overflows one)
        text = f"{value:d}"
    elif not math.isfinite(value):
        text = "∞" if value > 0 else "−∞"
    elif float(value).is_integer():
        text = f"{int(value):d}"
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    if norm_lang(lang) == "fr":
        text = text.replace(".", ",")
    if unit:
        sep = "\u202f" if norm_lang(lang) == "fr" and unit == "%" else ("" if unit == "%" else " ")
        text = f"{text}{sep}{unit}"
    return text


def percent(lang: str, share: float) -> str:
    """A share (0..1) as a whole percentage."""
    return number(lang, round(share * 100), "%")
