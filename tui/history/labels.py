"""Names in the user's words for history, diff and portfolio: a finding's target, a row,
a pillar, and the few sentences these commands print, in English and French."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from releve.tui.i18n import norm_lang, row_noun, section_label

if TYPE_CHECKING:  # history read from its cache does not import pydantic
    from releve.planner.model import Plan

_ROW_TABLES = ("objective", "person", "process", "phase", "transfer", "kpi", "irritant", "waiver")

_FACT_NAMES = {
    "en": {
        "metrics": "the plan as a whole",
        "schedule": "the schedule",
        "mission": "the mission",
        "phase_kind": "phases of kind {value}",
        "kpi_category": "KPIs of category {value}",
    },
    "fr": {
        "metrics": "le plan dans son ensemble",
        "schedule": "le calendrier",
        "mission": "la mission",
        "phase_kind": "phases de type {value}",
        "kpi_category": "indicateurs de catégorie {value}",
    },
}


_ON = {"en": "on", "fr": "sur"}


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
    return f"{rule} {_ON[norm_lang(lang)]} {shown}"


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
    names = _FACT_NAMES[lang]
    if kind in names:
        return names[kind].format(value=ident.replace("_", " "))
    if not ident:
        return section_label(lang, kind)
    return f"{section_label(lang, kind)} {ident}"


def band_label(lang: str, band: str) -> str:
    """A readiness band in the user's words: "to secure", "à sécuriser" (catalog
    ``band.<id>``); an unknown band with its underscores as spaces."""
    from releve.tui.i18n import text as catalog

    key = f"band.{band}"
    found = catalog(lang, key)
    return band.replace("_", " ") if found == key else found


def pillar_label(lang: str, pillar: str) -> str:
    from releve.tui.report.strings import label

    return label(lang, "pillar", pillar)


_TEXT = {
    "en": {
        "date": "date",
        "commit": "commit",
        "readiness": "readiness",
        "framing": "framing",
        "errors": "errors",
        "warnings": "warnings",
        "end": "end",
        "target": "target",
        "change": "change",
        "uncommitted": "uncommitted changes",
        "packs_changed": "packs changed",
        "unreadable": "cannot be checked",
        "moves": "Biggest moves",
        "moves_colon": "Biggest moves:",
        "no_moves": "No move in readiness.",
        "resolved": "{rule} resolved on {target}",
        "appeared": "{rule} appeared on {target}",
        "waived": "{rule} waived on {target}",
        "unwaived": "{rule} no longer waived on {target}",
        "pack_move": "the packs changed",
        "no_cause": "no finding changed (the check date moved)",
        "move": "{delta:+d} readiness: {causes}",
        "more_causes": "and {n} more",
        "history_of": "History of {path}",
        "versions": "{n} versions",
        "forecast": "forecast",
        "baseline": "baseline",
        "late": "{n} days late",
        "early": "{n} days early",
        "on_time": "on time",
        "not_available": "—",
        "framing_missing": "framing: not computed by this version of releve",
    },
    "fr": {
        "date": "date",
        "commit": "commit",
        "readiness": "préparation",
        "framing": "cadrage",
        "errors": "erreurs",
        "warnings": "alertes",
        "end": "fin",
        "target": "cible",
        "change": "modification",
        "uncommitted": "modifications non commitées",
        "packs_changed": "packs modifiés",
        "unreadable": "ne peut être vérifié",
        "moves": "Plus grands écarts",
        "moves_colon": "Plus grands écarts\u00a0:",
        "no_moves": "Aucun écart de préparation.",
        "resolved": "{rule} résolu sur {target}",
        "appeared": "{rule} apparu sur {target}",
        "waived": "{rule} dérogé sur {target}",
        "unwaived": "{rule} n'est plus dérogé sur {target}",
        "pack_move": "les packs ont changé",
        "no_cause": "aucun constat n'a changé (la date de vérification a avancé)",
        "move": "{delta:+d} préparation : {causes}",
        "more_causes": "et {n} de plus",
        "history_of": "Historique de {path}",
        "versions": "{n} versions",
        "forecast": "prévision",
        "baseline": "référence",
        "late": "{n} jours de retard",
        "early": "{n} jours d'avance",
        "on_time": "à l'heure",
        "not_available": "—",
        "framing_missing": "cadrage : non calculé par cette version de releve",
    },
}


def text(lang: str, key: str, **values: object) -> str:
    s = _TEXT[norm_lang(lang)].get(key) or _TEXT["en"][key]
    return s.format(**values) if values else s
