"""The string catalog: every English and French text of the app, the CLI and the report.

One table per language (``en.py``, ``fr.py``: the same keys, the same placeholders, a test
checks it; each gathers its parts ``<lang>_report.py``, ``<lang>_interview.py`` and
``<lang>_format.py``, kept apart for size); rule texts stay in the packs. Keys are namespaced by where they are shown:
the app's own strings have no prefix (``saved``, ``quit.title``); ``section.``, ``field.``,
``binding.``, ``noun.`` (one row of a table), ``enum.<Enumeration>.<value>``, ``reason.``
(why a value was refused), ``pillar.``, ``severity.``, ``month.`` / ``month_short.`` /
``month_3.``, ``weekday_short.``, ``band.`` (readiness bands, everywhere); then ``check.``
(check text and Markdown), ``schedule.``, ``report.``, ``rules.`` (rules explain),
``readiness.`` and ``timeline.`` (app views), ``history.``, ``diff.``, ``portfolio.`` and
``trend.`` (the report's "Since" section). A word already in the catalog is reused by its
key rather than written twice.

Imports nothing heavy: check, schedule and report use it too. A language's table is
imported when first asked for.
"""

from __future__ import annotations

import functools
import importlib
import re

LANGS = ("en", "fr")


def norm_lang(lang: str | None) -> str:
    """A supported language code, English when unknown."""
    return lang if lang in LANGS else "en"


@functools.cache
def texts(lang: str) -> dict[str, str]:
    """The whole table of one language (``lang`` normalised)."""
    module = importlib.import_module(f"{__name__}.{norm_lang(lang)}")
    table: dict[str, str] = module.TEXTS
    return table


def text(lang: str | None, key: str) -> str:
    """The text ``key`` in ``lang`` (English when the language lacks it, else the key)."""
    found = texts(norm_lang(lang)).get(key)
    if found is None:
        found = texts("en").get(key, key)
    return found


def t(lang: str | None, msg_id: str, /, **values: object) -> str:
    """The text ``msg_id`` in ``lang`` with ``values`` filled in."""
    found = text(lang, msg_id)
    return found.format(**values) if values else found


@functools.cache
def _by_namespace(lang: str) -> dict[str, list[tuple[str, str]]]:
    """The table of ``lang`` split once by the key's first part (``enum`` for
    ``enum.KpiCategory.cost``), in the table's order: `table` looks only at one part."""
    parts: dict[str, list[tuple[str, str]]] = {}
    for key, value in texts(lang).items():
        namespace, dot, _ = key.partition(".")
        if dot:
            parts.setdefault(namespace, []).append((key, value))
    return parts


def _under(lang: str, prefix: str) -> dict[str, str]:
    start = prefix + "."
    cut = len(start)
    rows = _by_namespace(lang).get(prefix.partition(".")[0], ())
    return {k[cut:]: v for k, v in rows if k.startswith(start)}


@functools.cache
def table(lang: str | None, prefix: str) -> dict[str, str]:
    """Every text under ``prefix.`` in ``lang``, keyed by the rest of the key."""
    return {**_under("en", prefix), **_under(norm_lang(lang), prefix)}


#: Sections of the app, in the order of the section list: (id, kind).
#: kind is "single" (a form), "array" (a table of rows) or "view" (a read-only view).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("mission", "single"),
    ("company", "single"),
    ("exit", "single"),
    ("coo", "single"),
    ("scope", "single"),
    ("governance", "single"),
    ("objective", "array"),
    ("person", "array"),
    ("process", "array"),
    ("phase", "array"),
    ("transfer", "array"),
    ("kpi", "array"),
    ("signal", "array"),
    ("irritant", "array"),
    ("waiver", "array"),
    ("booking", "array"),  # the mission log (tracking.md), newest first
    ("meeting", "array"),
    ("timeline", "view"),
    ("readiness", "view"),
)


def section_label(lang: str, section: str) -> str:
    return (
        text(lang, f"section.{section}") if f"section.{section}" in texts("en") else section.title()
    )


def field_label(lang: str, key: str) -> str:
    """Label of a field by its TOML key (``from``, ``reports_to``)."""
    found = table(lang, "field").get(key)
    return found if found is not None else key.replace("_", " ").capitalize()


def binding_label(lang: str, binding_id: str) -> str:
    return table(lang, "binding").get(binding_id, binding_id)


def severity_label(lang: str | None, severity: object) -> str:
    raw = str(getattr(severity, "value", severity))
    return table(lang, "severity").get(raw, raw)


def band_label(lang: str | None, band: str) -> str:
    """A readiness band in words (``to_secure`` → "to secure", "à sécuriser"); an unknown
    band with its underscores as spaces."""
    return table(lang, "band").get(band) or band.replace("_", " ")


def pillar_label(lang: str | None, pillar: str) -> str:
    """A pillar by its label (``founder_dependence`` → "Dépendance au dirigeant")."""
    return table(lang, "pillar").get(pillar, pillar.replace("_", " "))


def row_noun(lang: str, table_name: str) -> str:
    """What one row of an array table is called (singular): Person, Personne."""
    return table(lang, "noun").get(table_name) or section_label(lang, table_name)


def row_label(lang: str, table_name: str, row_id: str | int) -> str:
    """One row named in titles and undo labels: ``Personne marc``."""
    return f"{row_noun(lang, table_name)} {row_id}"


def enum_label(lang: str | None, enum_type: type | str, value: object) -> str:
    """The label of one value of a model enumeration (the stored value stays the value)."""
    name = enum_type if isinstance(enum_type, str) else enum_type.__name__
    raw = str(getattr(value, "value", value))
    return table(lang, f"enum.{name}").get(raw, raw)


def enum_names() -> set[str]:
    """The enumerations that have labels (a test checks every model enumeration does)."""
    return {k.split(".")[1] for k in texts("en") if k.startswith("enum.")}


#: Fact kinds whose finding target names a value of an enumeration, not a row.
_ENUM_TARGETS = {"kpi_category": "KpiCategory", "phase_kind": "PhaseKind"}


def target_label(lang: str | None, target: str) -> str:
    """A finding's target as human text shows it: a row as ``table:id`` (what a waiver's
    ``target`` names), a KPI category or phase kind by its label (machine formats keep ids)."""
    kind, _, value = target.partition(":")
    if kind in _ENUM_TARGETS and value:
        return enum_label(lang, _ENUM_TARGETS[kind], value)
    return target


# --- why a value was refused ------------------------------------------------------------

#: Patterns a pydantic message is shown as a readable reason instead of.
PATTERN_REASONS = {r"^[a-z0-9_-]+$": "slug", r"^[A-Z]{2}$": "country"}


def reason(lang: str, reason_id: str, /, **values: object) -> str:
    """Why a value was refused, in ``lang``."""
    found = table(lang, "reason").get(reason_id) or table("en", "reason")[reason_id]
    return found.format(**values) if values else found


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{pattern}$", re.DOTALL)


@functools.cache
def _en_reason_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(rid, _template_regex(tpl)) for rid, tpl in table("en", "reason").items()]


def localize_reason(lang: str, message: str) -> str:
    """An English reason (pydantic's, or ours) in ``lang``; other text is kept as it is."""
    message = message.removeprefix("Value error, ")
    for rid, regex in _en_reason_patterns():
        match = regex.match(message)
        if match:
            values = match.groupdict()
            if rid == "pattern" and values["pattern"] in PATTERN_REASONS:
                return reason(lang, PATTERN_REASONS[values["pattern"]])
            if rid == "duplicate_id" and values["table"] in table("en", "noun"):
                values["table"] = row_noun(lang, values["table"]).lower()
            return reason(lang, rid, **values)
    return message


def _register_labels() -> None:
    """Rule messages show enumeration values by these labels (rules never import tui)."""
    from releve.rules import textfmt

    textfmt.use_labels(enum_label)


_register_labels()
