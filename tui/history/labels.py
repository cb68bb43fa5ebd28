"""Names in the user's words for history, diff and portfolio: a finding's target, a row,
a band; the texts are the string catalog's (``history.*``, ``band.*``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from releve.tui import i18n
from releve.tui.i18n import band_label, norm_lang, row_noun, section_label, t

if TYPE_CHECKING:  # history read from its cache does not import pydantic
    from releve.planner.model import Plan

__all__ = ["band_label", "row_name", "row_title", "target_label", "text"]

_ROW_TABLES = ("objective", "person", "process", "phase", "transfer", "kpi", "irritant", "waiver")

#: Fact kinds a finding's target names without a row (catalog ``history.target.<kind>``).
_FACT_TARGETS = ("metrics", "schedule", "mission", "phase_kind", "kpi_category")


def row_name(row: Any, lang: str = "en", plan: Plan | None = None) -> str:
    """A row by its name (``name``, ``topic`` or ``title`` as the plan gives it), else its
    id; a waiver (no name, no id) by what it waives: ``EXT001 on Process Devis``."""
    for attr in ("name", "topic", "title"):
        value = getattr(row, attr, None)
        if isinstance(value, str) and value.strip():
            return value
    ident = str(getattr(row, "id", "") or "")
    rule = getattr(row, "rule", None)
    if ident or not isinstance(rule, str) or not rule.strip():
        return ident
    target = getattr(row, "target", None)
    if not isinstance(target, str) or not target.strip():
        return rule
    shown = target if target.startswith("waiver:") else target_label(plan, target, lang)
    return t(lang, "history.waiver_on", rule=rule, target=shown)


def row_title(lang: str, table: str, row: Any, plan: Plan | None = None) -> str:
    """``Process Devis clients``, ``Processus Devis clients``, ``Waiver EXT001 on …``."""
    return f"{row_noun(lang, table)} {row_name(row, lang, plan)}"


def target_label(plan: Plan | None, target: str, lang: str) -> str:
    """A finding's target (``process:quoting``) in the user's words (``Process Devis``)."""
    lang = norm_lang(lang)
    kind, _, ident = target.partition(":")
    if plan is not None and ident and kind in _ROW_TABLES:
        rows = getattr(plan, kind, []) or []
        for i, row in enumerate(rows):
            if getattr(row, "id", None) == ident or (
                getattr(row, "id", None) is None and ident == str(i + 1)
            ):
                return row_title(lang, kind, row, plan)
        return f"{row_noun(lang, kind)} {ident}"
    if kind in _FACT_TARGETS:
        # A phase kind or KPI category by its label, as check and the report name it.
        value = i18n.target_label(lang, target) if ident else ident
        return t(lang, f"history.target.{kind}", value=value)
    if not ident:
        return section_label(lang, kind)
    return f"{section_label(lang, kind)} {ident}"


def text(lang: str, key: str, **values: object) -> str:
    """The history sentence ``history.<key>`` of the string catalog in ``lang``."""
    return t(lang, f"history.{key}", **values)
