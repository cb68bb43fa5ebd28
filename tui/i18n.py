"""The app's interface strings in English and French, and the labels of sections and fields."""

from __future__ import annotations

import re

LANGS = ("en", "fr")

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
    ("timeline", "view"),
    ("readiness", "view"),
)

_SECTION_LABELS = {
    "en": {
        "mission": "Mission",
        "company": "Company",
        "exit": "Exit",
        "coo": "COO",
        "scope": "Scope",
        "governance": "Governance",
        "objective": "Objectives",
        "person": "People",
        "process": "Processes",
        "phase": "Phases",
        "transfer": "Transfers",
        "kpi": "KPIs",
        "signal": "Signals",
        "irritant": "Irritants",
        "waiver": "Waivers",
        "timeline": "Timeline",
        "readiness": "Readiness",
        "rules": "Rules",
    },
    "fr": {
        "mission": "Mission",
        "company": "Entreprise",
        "exit": "Sortie",
        "coo": "COO",
        "scope": "Périmètre",
        "governance": "Gouvernance",
        "objective": "Objectifs",
        "person": "Personnes",
        "process": "Processus",
        "phase": "Phases",
        "transfer": "Transferts",
        "kpi": "Indicateurs",
        "signal": "Signaux",
        "irritant": "Irritants",
        "waiver": "Dérogations",
        "timeline": "Calendrier",
        "readiness": "Préparation",
        "rules": "Règles",
    },
}

#: French labels of fields; English labels are the key, humanised.
_FIELD_LABELS_FR = {
    "id": "Identifiant",
    "title": "Titre",
    "start": "Début",
    "language": "Langue",
    "status": "Statut",
    "name": "Nom",
    "sector": "Secteur",
    "headcount": "Effectif",
    "revenue_keur": "CA (k€)",
    "country": "Pays",
    "top_customer_share": "Part 1er client",
    "top_supplier_share": "Part 1er fournisseur",
    "backup_trained": "Suppléant formé",
    "recurring_revenue_share": "Part récurrente",
    "closures": "Fermetures",
    "kind": "Type",
    "target_date": "Date cible",
    "founder": "Fondateur",
    "firm": "Cabinet",
    "email": "E-mail",
    "workdays": "Jours travaillés",
    "contracted_days": "Jours vendus",
    "leave": "Congés",
    "role": "Rôle",
    "delegation": "Délégation",
    "responsibilities": "Responsabilités",
    "internal_counterpart": "Relais interne",
    "successor": "Successeur",
    "reports_to": "Rend compte à",
    "sponsor": "Sponsor",
    "codir_seat": "Siège au Codir",
    "steering_every_days": "Copil tous les (j)",
    "reporting": "Reporting",
    "announced_on": "Annoncée le",
    "stake": "Enjeu",
    "statement": "Énoncé",
    "kpi": "Indicateur",
    "manager": "Manager",
    "key": "Personne clé",
    "backup": "Suppléant",
    "critical": "Critique",
    "owner": "Responsable",
    "documentation": "Documentation",
    "automation": "Automatisation",
    "after": "Après",
    "not_before": "Pas avant",
    "effort_days": "Effort (j)",
    "deliverables": "Livrables",
    "gate": "Validation",
    "priority": "Priorité",
    "topic": "Sujet",
    "process": "Processus",
    "from": "De",
    "to": "À",
    "phase": "Phase",
    "method": "Méthode",
    "category": "Catégorie",
    "unit": "Unité",
    "baseline": "Référence",
    "target": "Cible",
    "direction": "Sens",
    "source": "Source",
    "history": "Historique",
    "on": "Le",
    "level": "Niveau",
    "note": "Note",
    "opened": "Ouvert le",
    "closed": "Clos le",
    "rule": "Règle",
    "reason": "Motif",
    "expires": "Expire le",
    "packs": "Packs",
}

_EN_FIELD_OVERRIDES = {
    "revenue_keur": "Revenue (k€)",
    "steering_every_days": "Steering every (days)",
    "effort_days": "Effort (days)",
    "codir_seat": "Codir seat",
    "kpi": "KPI",
    "top_customer_share": "Top customer share",
    "top_supplier_share": "Top supplier share",
    "backup_trained": "Backup trained",
    "from": "From",
    "email": "E-mail",
}

_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "app.title": "releve",
        "untitled": "untitled",
        "sections": "Sections",
        "findings": "Findings",
        "score": "score",
        "checking": "checking…",
        "no_findings": "No findings: nothing to fix.",
        "findings.hint": "enter go to · e explain · w waive",
        "pipeline.failed": "The check failed: {error}",
        "saved": "Saved {path}",
        "save.failed": "Could not save: {error}",
        "journal.off": "recovery is off: {folder} is not writable (unsaved edits would not "
        "survive a crash; retrying every second)",
        "journal.on": "recovery is on again: unsaved edits are journalled",
        "save_as.title": "Save the plan as",
        "save_as.prompt": "File name (a .toml path)",
        "save_as.exists": "{path} exists; choose another name",
        "save_as.empty": "Type a file name",
        "save_as.no_dir": "The folder {path} does not exist",
        "save_as.is_dir": "{path} is a folder; type a file name",
        "date.placeholder": "YYYY-MM-DD",
        "waive.bad_date": "Expiry: a date YYYY-MM-DD is expected",
        "waive.no_such_date": "Expiry: no such date",
        "waive.too_early": "The expiry must be after {as_of} (the check date)",
        "row.duplicate_id": "Another {what} already has the id '{id}'",
        "ok": "OK",
        "cancel": "Cancel",
        "yes": "Yes",
        "no": "No",
        "unset": "(none)",
        "quit.title": "Unsaved changes",
        "quit.body": "The plan has unsaved changes. Save them before quitting?",
        "quit.save": "Save and quit",
        "quit.discard": "Quit without saving",
        "conflict.title": "The file changed on disk",
        "conflict.body": "{path} was changed by someone else since it was opened.",
        "conflict.reload": "Reload from disk",
        "conflict.overwrite": "Overwrite",
        "reloaded": "Reloaded {path} from disk",
        "recover.title": "Unsaved work found",
        "recover.body": ("releve stopped before these changes to {path} were saved. Recover them?"),
        "recover.recover": "Recover",
        "recover.discard": "Discard them",
        "recovered": "Recovered unsaved changes: save to keep them",
        "broken.title": "This file cannot be read",
        "broken.hint": "Fix the text, then press {key} to check it and go on.",
        "broken.still": "Still cannot be read: {error}",
        "delete.title": "Delete this row?",
        "delete.body": "Delete {what}? (undo brings it back)",
        "delete": "Delete",
        "row.add": "New {what}",
        "row.edit": "Edit {what}",
        "row.invalid": "Fix the fields marked in red first",
        "empty.table": "No rows yet: press {key} to add one.",
        "explain.title": "{rule} — {name}",
        "explain.what": "What",
        "explain.why": "Why",
        "explain.fix": "Fix",
        "explain.where": "Where",
        "waive.title": "Waive {rule}",
        "waive.reason": "Reason",
        "waive.owner": "Owner",
        "waive.expires": "Expires on (YYYY-MM-DD)",
        "waive.required": "Reason, owner and expiry are all required",
        "waived": "Waiver for {rule} added to the plan",
        "already_waived": "{rule} is already waived",
        "no_finding": "No finding under the cursor",
        "no_target": "This finding has no place in the plan to go to",
        "undo.none": "Nothing to undo",
        "redo.none": "Nothing to redo",
        "undone": "Undone: {what}",
        "redone": "Redone: {what}",
        "help.title": "Keys — {view}",
        "help.close": "Press escape to close",
        "whatif.kept": "COO days a week set to {days}",
        "view.unavailable": "This view is not available yet.",
        "keymap.bad": "Key config {path}: {error}",
        "error.value": "{reason}",
        "list.hint": "one per item, separated by ;",
        "toml.hint": "TOML inline array, e.g. [{{ from = 2027-08-02, to = 2027-08-20 }}]",
        "refs.unknown": "unknown: {ids}",
        "days_per_week": "days/week",
        # edit labels (undo stack)
        "edit.field": "{section}.{field}",
        "edit.add": "add {what}",
        "edit.dup": "duplicate {what}",
        "edit.delete": "delete {what}",
        "edit.move": "move {what}",
        "edit.row": "edit {what}",
        "edit.waive": "waive {rule}",
        "edit.workdays": "COO workdays",
        "edit.reload": "reload from disk",
    },
    "fr": {
        "app.title": "releve",
        "untitled": "sans titre",
        "sections": "Sections",
        "findings": "Constats",
        "score": "score",
        "checking": "vérification…",
        "no_findings": "Aucun constat : rien à corriger.",
        "findings.hint": "entrée aller · e expliquer · w déroger",
        "pipeline.failed": "La vérification a échoué : {error}",
        "saved": "Enregistré : {path}",
        "save.failed": "Enregistrement impossible : {error}",
        "journal.off": "récupération désactivée : impossible d'écrire dans {folder} (les "
        "modifications non enregistrées ne survivraient pas à un plantage ; nouvel essai "
        "chaque seconde)",
        "journal.on": "récupération rétablie : les modifications non enregistrées sont "
        "journalisées",
        "save_as.title": "Enregistrer le plan sous",
        "save_as.prompt": "Nom du fichier (chemin .toml)",
        "save_as.exists": "{path} existe déjà ; choisissez un autre nom",
        "save_as.empty": "Saisissez un nom de fichier",
        "save_as.no_dir": "Le dossier {path} n'existe pas",
        "save_as.is_dir": "{path} est un dossier ; saisissez un nom de fichier",
        "date.placeholder": "AAAA-MM-JJ",
        "waive.bad_date": "Échéance : une date AAAA-MM-JJ est attendue",
        "waive.no_such_date": "Échéance : cette date n'existe pas",
        "waive.too_early": "L'échéance doit être postérieure au {as_of} (date de vérification)",
        "row.duplicate_id": "Un autre élément ({what}) a déjà l'identifiant « {id} »",
        "ok": "OK",
        "cancel": "Annuler",
        "yes": "Oui",
        "no": "Non",
        "unset": "(aucun)",
        "quit.title": "Modifications non enregistrées",
        "quit.body": "Le plan a des modifications non enregistrées. Les enregistrer avant de quitter ?",
        "quit.save": "Enregistrer et quitter",
        "quit.discard": "Quitter sans enregistrer",
        "conflict.title": "Le fichier a changé sur le disque",
        "conflict.body": "{path} a été modifié par quelqu'un d'autre depuis son ouverture.",
        "conflict.reload": "Recharger depuis le disque",
        "conflict.overwrite": "Écraser",
        "reloaded": "{path} rechargé depuis le disque",
        "recover.title": "Travail non enregistré retrouvé",
        "recover.body": (
            "releve s'est arrêté avant d'enregistrer ces modifications de {path}. Les récupérer ?"
        ),
        "recover.recover": "Récupérer",
        "recover.discard": "Les abandonner",
        "recovered": "Modifications récupérées : enregistrez pour les garder",
        "broken.title": "Ce fichier ne peut pas être lu",
        "broken.hint": "Corrigez le texte, puis appuyez sur {key} pour le vérifier et continuer.",
        "broken.still": "Toujours illisible : {error}",
        "delete.title": "Supprimer cette ligne ?",
        "delete.body": "Supprimer {what} ? (annuler la fait revenir)",
        "delete": "Supprimer",
        "row.add": "Nouveau : {what}",
        "row.edit": "Modifier : {what}",
        "row.invalid": "Corrigez d'abord les champs en rouge",
        "empty.table": "Aucune ligne : appuyez sur {key} pour en ajouter une.",
        "explain.title": "{rule} — {name}",
        "explain.what": "Quoi",
        "explain.why": "Pourquoi",
        "explain.fix": "Correction",
        "explain.where": "Où",
        "waive.title": "Déroger à {rule}",
        "waive.reason": "Motif",
        "waive.owner": "Responsable",
        "waive.expires": "Expire le (AAAA-MM-JJ)",
        "waive.required": "Motif, responsable et échéance sont obligatoires",
        "waived": "Dérogation à {rule} ajoutée au plan",
        "already_waived": "{rule} fait déjà l'objet d'une dérogation",
        "no_finding": "Aucun constat sous le curseur",
        "no_target": "Ce constat ne désigne aucun endroit du plan",
        "undo.none": "Rien à annuler",
        "redo.none": "Rien à rétablir",
        "undone": "Annulé : {what}",
        "redone": "Rétabli : {what}",
        "help.title": "Touches — {view}",
        "help.close": "Échap pour fermer",
        "whatif.kept": "Jours de COO par semaine : {days}",
        "view.unavailable": "Cette vue n'est pas encore disponible.",
        "keymap.bad": "Configuration des touches {path} : {error}",
        "error.value": "{reason}",
        "list.hint": "un élément par entrée, séparés par ;",
        "toml.hint": "tableau TOML en ligne, ex. [{{ from = 2027-08-02, to = 2027-08-20 }}]",
        "refs.unknown": "inconnu : {ids}",
        "days_per_week": "j/semaine",
        "edit.field": "{section}.{field}",
        "edit.add": "ajout {what}",
        "edit.dup": "copie {what}",
        "edit.delete": "suppression {what}",
        "edit.move": "déplacement {what}",
        "edit.row": "modification {what}",
        "edit.waive": "dérogation {rule}",
        "edit.workdays": "jours du COO",
        "edit.reload": "rechargement depuis le disque",
    },
}

#: Descriptions of key bindings, by binding id.
_BINDING_LABELS = {
    "en": {
        "save": "Save",
        "save_as": "Save as",
        "undo": "Undo",
        "redo": "Redo",
        "quit": "Quit",
        "help": "Help",
        "palette": "Commands",
        "next_panel": "Panel",
        "prev_panel": "Panel back",
        "row.add": "Add",
        "row.edit": "Edit",
        "row.duplicate": "Duplicate",
        "row.delete": "Delete",
        "row.up": "Move up",
        "row.down": "Move down",
        "finding.goto": "Go to",
        "finding.explain": "Explain",
        "finding.waive": "Waive",
        "timeline.more_days": "+1 day/week",
        "timeline.fewer_days": "-1 day/week",
        "timeline.accept": "Keep days/week",
        "timeline.reset": "Reset what-if",
        "vim.down": "Down",
        "vim.up": "Up",
        "vim.top": "Top",
        "vim.bottom": "Bottom",
        "broken.retry": "Check and go on",
        "focus.sections": "Sections",
        "focus.findings": "Findings",
        "focus.editor": "Editor",
    },
    "fr": {
        "save": "Enregistrer",
        "save_as": "Enregistrer sous",
        "undo": "Annuler",
        "redo": "Rétablir",
        "quit": "Quitter",
        "help": "Aide",
        "palette": "Commandes",
        "next_panel": "Panneau",
        "prev_panel": "Panneau préc.",
        "row.add": "Ajouter",
        "row.edit": "Modifier",
        "row.duplicate": "Dupliquer",
        "row.delete": "Supprimer",
        "row.up": "Monter",
        "row.down": "Descendre",
        "finding.goto": "Aller à",
        "finding.explain": "Expliquer",
        "finding.waive": "Déroger",
        "timeline.more_days": "+1 j/semaine",
        "timeline.fewer_days": "-1 j/semaine",
        "timeline.accept": "Garder j/semaine",
        "timeline.reset": "Annuler la simulation",
        "vim.down": "Bas",
        "vim.up": "Haut",
        "vim.top": "Début",
        "vim.bottom": "Fin",
        "broken.retry": "Vérifier et continuer",
        "focus.sections": "Sections",
        "focus.findings": "Constats",
        "focus.editor": "Éditeur",
    },
}


def norm_lang(lang: str | None) -> str:
    """A supported language code, English when unknown."""
    return lang if lang in LANGS else "en"


def t(lang: str, msg_id: str, /, **values: object) -> str:
    """The interface string ``msg_id`` in ``lang`` with ``values`` filled in."""
    table = _STRINGS[norm_lang(lang)]
    text = table.get(msg_id) or _STRINGS["en"].get(msg_id) or msg_id
    return text.format(**values) if values else text


def section_label(lang: str, section: str) -> str:
    return _SECTION_LABELS[norm_lang(lang)].get(section, section.title())


def field_label(lang: str, key: str) -> str:
    """Label of a field by its TOML key (``from``, ``reports_to``)."""
    if norm_lang(lang) == "fr" and key in _FIELD_LABELS_FR:
        return _FIELD_LABELS_FR[key]
    if key in _EN_FIELD_OVERRIDES:
        return _EN_FIELD_OVERRIDES[key]
    return key.replace("_", " ").capitalize()


def binding_label(lang: str, binding_id: str) -> str:
    return _BINDING_LABELS[norm_lang(lang)].get(binding_id, binding_id)


def severity_label(lang: str, severity: str) -> str:
    fr = {"error": "erreur", "warning": "avertissement", "info": "info"}
    return fr.get(severity, severity) if norm_lang(lang) == "fr" else severity


# --- one row of a table ------------------------------------------------------------------

_ROW_NOUNS = {
    "en": {
        "objective": "Objective",
        "person": "Person",
        "process": "Process",
        "phase": "Phase",
        "transfer": "Transfer",
        "kpi": "KPI",
        "signal": "Signal",
        "irritant": "Irritant",
        "waiver": "Waiver",
    },
    "fr": {
        "objective": "Objectif",
        "person": "Personne",
        "process": "Processus",
        "phase": "Phase",
        "transfer": "Transfert",
        "kpi": "Indicateur",
        "signal": "Signal",
        "irritant": "Irritant",
        "waiver": "Dérogation",
    },
}


def row_noun(lang: str, table: str) -> str:
    """What one row of an array table is called (singular): Person, Personne."""
    return _ROW_NOUNS[norm_lang(lang)].get(table) or section_label(lang, table)


def row_label(lang: str, table: str, row_id: str | int) -> str:
    """One row named in titles and undo labels: ``Personne marc``."""
    return f"{row_noun(lang, table)} {row_id}"


# --- enumerations ---------------------------------------------------------------------

#: Labels of the model's enumeration values, by enumeration class name, then value.
_ENUM_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "Language": {
        "en": {"fr": "French", "en": "English"},
        "fr": {"fr": "Français", "en": "Anglais"},
    },
    "MissionStatus": {
        "en": {"planning": "Planning", "running": "Running", "handed_over": "Handed over"},
        "fr": {
            "planning": "En préparation",
            "running": "En cours",
            "handed_over": "Passation faite",
        },
    },
    "ExitKind": {
        "en": {
            "sale": "Sale",
            "fundraising": "Fundraising",
            "succession": "Succession",
            "none": "None",
        },
        "fr": {
            "sale": "Cession",
            "fundraising": "Levée de fonds",
            "succession": "Succession",
            "none": "Aucune",
        },
    },
    "Weekday": {
        "en": {
            "mon": "Monday",
            "tue": "Tuesday",
            "wed": "Wednesday",
            "thu": "Thursday",
            "fri": "Friday",
            "sat": "Saturday",
            "sun": "Sunday",
        },
        "fr": {
            "mon": "Lundi",
            "tue": "Mardi",
            "wed": "Mercredi",
            "thu": "Jeudi",
            "fri": "Vendredi",
            "sat": "Samedi",
            "sun": "Dimanche",
        },
    },
    "Delegation": {
        "en": {"advisor": "Advisor", "co_pilot": "Co-pilot", "delegated": "Delegated"},
        "fr": {"advisor": "Conseil", "co_pilot": "Copilotage", "delegated": "Délégation"},
    },
    "Reporting": {
        "en": {
            "weekly": "Weekly",
            "biweekly": "Every two weeks",
            "monthly": "Monthly",
            "quarterly": "Quarterly",
        },
        "fr": {
            "weekly": "Hebdomadaire",
            "biweekly": "Bimensuel",
            "monthly": "Mensuel",
            "quarterly": "Trimestriel",
        },
    },
    "Stake": {
        "en": {
            "operational_gains": "Operational gains",
            "founder_dependence": "Founder dependence",
            "knowledge_transfer": "Knowledge transfer",
            "exit_preparation": "Exit preparation",
            "growth": "Growth",
            "integration": "Integration",
        },
        "fr": {
            "operational_gains": "Gains opérationnels",
            "founder_dependence": "Dépendance au dirigeant",
            "knowledge_transfer": "Transfert de savoir",
            "exit_preparation": "Préparation de la sortie",
            "growth": "Croissance",
            "integration": "Intégration",
        },
    },
    "PhaseKind": {
        "en": {
            "flash_audit": "Flash audit",
            "diagnostic": "Diagnostic",
            "project": "Project",
            "handover": "Handover",
        },
        "fr": {
            "flash_audit": "Audit flash",
            "diagnostic": "Diagnostic",
            "project": "Projet",
            "handover": "Passation",
        },
    },
    "Gate": {
        "en": {"codir": "Codir", "sponsor": "Sponsor", "none": "None"},
        "fr": {"codir": "Codir", "sponsor": "Sponsor", "none": "Aucune"},
    },
    "TransferMethod": {
        "en": {
            "documentation": "Documentation",
            "shadowing": "Shadowing",
            "training": "Training",
            "solo_run": "Solo run",
            "sign_off": "Sign-off",
        },
        "fr": {
            "documentation": "Documentation",
            "shadowing": "Binôme",
            "training": "Formation",
            "solo_run": "Autonomie",
            "sign_off": "Validation",
        },
    },
    "TransferStatus": {
        "en": {"planned": "Planned", "in_progress": "In progress", "done": "Done"},
        "fr": {"planned": "Prévu", "in_progress": "En cours", "done": "Fait"},
    },
    "KpiCategory": {
        "en": {
            "operating_margin": "Operating margin",
            "productivity": "Productivity",
            "lead_time": "Lead time",
            "irritants": "Irritants",
            "customer_satisfaction": "Customer satisfaction",
            "manager_skills": "Manager skills",
            "process_maturity": "Process maturity",
            "founder_dependence": "Founder dependence",
            "other": "Other",
        },
        "fr": {
            "operating_margin": "Marge opérationnelle",
            "productivity": "Productivité",
            "lead_time": "Délais",
            "irritants": "Irritants",
            "customer_satisfaction": "Satisfaction client",
            "manager_skills": "Compétences managériales",
            "process_maturity": "Maturité des processus",
            "founder_dependence": "Dépendance au dirigeant",
            "other": "Autre",
        },
    },
    "Direction": {
        "en": {"up": "Up (higher is better)", "down": "Down (lower is better)"},
        "fr": {"up": "Hausse (plus c'est mieux)", "down": "Baisse (moins c'est mieux)"},
    },
    "SignalKind": {
        "en": {
            "team_involvement": "Team involvement",
            "informal_feedback": "Informal feedback",
            "persistent_irritant": "Persistent irritant",
            "clarification_requests": "Clarification requests",
        },
        "fr": {
            "team_involvement": "Implication des équipes",
            "informal_feedback": "Retours informels",
            "persistent_irritant": "Irritant persistant",
            "clarification_requests": "Demandes de clarification",
        },
    },
    "MeetingKind": {
        "en": {
            "steering": "Steering committee",
            "codir": "Management committee",
            "owner": "With the owner",
            "team": "Team meeting",
        },
        "fr": {
            "steering": "Comité de pilotage",
            "codir": "Codir",
            "owner": "Point dirigeant",
            "team": "Réunion d'équipe",
        },
    },
}


def enum_label(lang: str, enum_type: type | str, value: object) -> str:
    """The label of one value of a model enumeration (the stored value stays the value)."""
    name = enum_type if isinstance(enum_type, str) else enum_type.__name__
    raw = str(getattr(value, "value", value))
    return _ENUM_LABELS.get(name, {}).get(norm_lang(lang), {}).get(raw, raw)


def enum_names() -> set[str]:
    """The enumerations that have labels (a test checks every model enumeration does)."""
    return set(_ENUM_LABELS)


# --- why a value was refused ------------------------------------------------------------

#: Reasons for refusing a value, by id. English templates double as the patterns that
#: recognise English text (pydantic's messages, or a reason made without a language).
_REASONS: dict[str, dict[str, str]] = {
    "en": {
        "required": "Field required",
        "slug": "only lowercase letters, digits, - and _",
        "country": "two capital letters (a country code such as FR)",
        "pattern": "String should match pattern '{pattern}'",
        "too_short": "String should have at least {min_length} character",
        "too_short_n": "String should have at least {min_length} characters",
        "too_long": "String should have at most {max_length} characters",
        "ge": "Input should be greater than or equal to {ge}",
        "le": "Input should be less than or equal to {le}",
        "gt": "Input should be greater than {gt}",
        "lt": "Input should be less than {lt}",
        "int": "a whole number is expected",
        "int_pyd": "Input should be a valid integer, unable to parse string as an integer",
        "int_frac": "Input should be a valid integer, got a number with a fractional part",
        "float": "a number is expected",
        "float_pyd": "Input should be a valid number, unable to parse string as a number",
        "date": "a date YYYY-MM-DD is expected",
        "no_such_date": "no such date",
        "bool": "true or false is expected",
        "unknown_values": "unknown {bad} (one of {allowed})",
        "toml": "not a TOML inline array: {error}",
        "duplicate_id": "duplicate {table} id '{rid}' (first used by row {first})",
        "period": "period ends ({to}) before it starts ({start})",
        "weekday_twice": "a weekday is listed twice",
    },
    "fr": {
        "required": "Champ obligatoire",
        "slug": "uniquement des minuscules, des chiffres, - et _",
        "country": "deux lettres majuscules (un code pays comme FR)",
        "pattern": "doit respecter le motif « {pattern} »",
        "too_short": "au moins {min_length} caractère",
        "too_short_n": "au moins {min_length} caractères",
        "too_long": "au plus {max_length} caractères",
        "ge": "doit être supérieur ou égal à {ge}",
        "le": "doit être inférieur ou égal à {le}",
        "gt": "doit être supérieur à {gt}",
        "lt": "doit être inférieur à {lt}",
        "int": "un nombre entier est attendu",
        "int_pyd": "un nombre entier est attendu",
        "int_frac": "un nombre entier est attendu",
        "float": "un nombre est attendu",
        "float_pyd": "un nombre est attendu",
        "date": "une date AAAA-MM-JJ est attendue",
        "no_such_date": "cette date n'existe pas",
        "bool": "oui ou non est attendu",
        "unknown_values": "inconnu : {bad} (valeurs possibles : {allowed})",
        "toml": "pas un tableau TOML en ligne : {error}",
        "duplicate_id": "identifiant « {rid} » déjà utilisé ({table}, ligne {first})",
        "period": "la période se termine ({to}) avant de commencer ({start})",
        "weekday_twice": "un jour est indiqué deux fois",
    },
}

#: Patterns a pydantic message is shown as a readable reason instead of.
PATTERN_REASONS = {r"^[a-z0-9_-]+$": "slug", r"^[A-Z]{2}$": "country"}


def reason(lang: str, reason_id: str, /, **values: object) -> str:
    """Why a value was refused, in ``lang``."""
    text = _REASONS[norm_lang(lang)].get(reason_id) or _REASONS["en"][reason_id]
    return text.format(**values) if values else text


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{pattern}$", re.DOTALL)


_EN_REASON_PATTERNS = [(rid, _template_regex(text)) for rid, text in _REASONS["en"].items()]


def localize_reason(lang: str, text: str) -> str:
    """An English reason (pydantic's, or ours) in ``lang``; other text is kept as it is."""
    text = text.removeprefix("Value error, ")
    for rid, regex in _EN_REASON_PATTERNS:
        match = regex.match(text)
        if match:
            values = match.groupdict()
            if rid == "pattern" and values["pattern"] in PATTERN_REASONS:
                return reason(lang, PATTERN_REASONS[values["pattern"]])
            if rid == "duplicate_id" and values["table"] in _ROW_NOUNS["en"]:
                values["table"] = row_noun(lang, values["table"]).lower()
            return reason(lang, rid, **values)
    return text
