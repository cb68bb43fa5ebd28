"""Fills a rule's message placeholders, ``{field}``, ``{param}`` and ``{share:%}``, per language."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([^{}]*))?\}")
_NONE = {"en": "(none)", "fr": "(aucun)"}
_BOOL = {"en": ("no", "yes"), "fr": ("non", "oui")}


def format_number(v: float, lang: str) -> str:
    """6.5 → "6.5" (en) / "6,5" (fr); 9.0 → "9"; at most 2 decimals."""
    if isinstance(v, int) or (math.isfinite(v) and float(v).is_integer()):
        text = str(int(v))
    else:
        text = f"{v:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def format_share(v: float, lang: str) -> str:
    """0.333 → "33%" (en) / "33 %" (fr, with a narrow no-break space as French typesetting
    wants); one decimal only when the whole percent would hide a difference."""
    pct = v * 100
    text = format_number(round(pct) if abs(pct - round(pct)) < 0.05 else round(pct, 1), lang)
    return f"{text}\u202f%" if lang == "fr" else f"{text}%"


def format_value(v: Any, spec: str | None, lang: str) -> str:
    if v is None:
        return _NONE.get(lang, "(none)")
    if isinstance(v, bool):
        return _BOOL.get(lang, _BOOL["en"])[int(v)]
    if spec == "%" and isinstance(v, (int, float)):
        return format_share(float(v), lang)
    if isinstance(v, (int, float)):
        return format_number(v, lang)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return ", ".join(format_value(x, None, lang) for x in v) or _NONE.get(lang, "(none)")
    return str(v)


#: Fact fields whose value is a value of a model enumeration, by the enumeration's name:
#: a message shows the value's label (``customer_satisfaction`` → "Satisfaction client").
ENUM_FIELDS: dict[tuple[str, str], str] = {
    ("mission", "status"): "MissionStatus",
    ("exit", "kind"): "ExitKind",
    ("scope", "delegation"): "Delegation",
    ("governance", "reporting"): "Reporting",
    ("objective", "stake"): "Stake",
    ("phase", "kind"): "PhaseKind",
    ("phase", "gate"): "Gate",
    ("phase_kind", "name"): "PhaseKind",
    ("transfer", "method"): "TransferMethod",
    ("transfer", "status"): "TransferStatus",
    ("kpi", "category"): "KpiCategory",
    ("kpi", "direction"): "Direction",
    ("kpi_category", "name"): "KpiCategory",
    ("signal", "kind"): "SignalKind",
}

#: (lang, enumeration name, value) -> label; the interface's string catalog sets it
#: (releve.tui.i18n), so rules never import the interface. None: values shown as they are.
Labeler = Callable[[str, str, str], str]
_labeler: Labeler | None = None


def use_labels(labeler: Labeler | None) -> None:
    """Show enumeration values in messages by the labels ``labeler`` gives."""
    global _labeler
    _labeler = labeler


def render(
    template: str,
    fact: dict[str, Any],
    params: dict[str, Any],
    lang: str,
    names: Mapping[str, str] | None = None,
) -> str:
    """The template with each ``{name}`` replaced by the fact's field (or, failing that,
    the rule's parameter) formatted for `lang`; ``{name:%}`` formats a share. ``names``
    gives the human text of fields that hold ids (a process by its name); an
    enumeration value is shown by its label (``use_labels``)."""
    kind = fact.get("fact", "")

    def sub(m: re.Match[str]) -> str:
        name, spec = m.group(1), m.group(2)
        if names and name in names and not (name == "id" and "{name}" in template):
            return names[name]
        enum = ENUM_FIELDS.get((kind, name))
        if enum and _labeler is not None and isinstance(fact.get(name), str):
            return _labeler(lang, enum, fact[name])
        if name in fact:
            v = fact[name]
        elif name in params:
            v = params[name]
        else:
            v = None
        return format_value(v, spec, lang)

    return PLACEHOLDER_RE.sub(sub, template)
