"""The first interview: the questions a COO asks the owner at the first meeting, and the plan
the answers make (`releve new PLAN --interview`; the app can drive the same object).

Headless (no terminal, no Textual): an :class:`Interview` hands out one :class:`Question` at a
time, in the plan's language (the first question asks it), takes the answer as text and says
in one line why it refuses one. When :attr:`Interview.done`, :meth:`Interview.text` is the
bundled template with the answers written onto it by the store's comment-keeping writer, so
the template's comments stay. Nothing asks for what the plan can derive: ids, the mission
title, the transfers of each critical process, the announcement date, the COO's
responsibilities and the KPI measures are derived from the answers (docs/interview.md).
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from releve.planner.model import (
    Company,
    ExitKind,
    Language,
    Measure,
    Period,
    Person,
    Plan,
    Process,
    Transfer,
    TransferMethod,
    Weekday,
)

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"

# --- texts -----------------------------------------------------------------------------------
# Every text the interview shows, in both languages (a test checks both have the same keys and
# the same {placeholders}). `q.KEY` is a question, `h.KEY` its help, `e.KEY` a refusal.

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "intro": (
            "First meeting with the owner: about 20 questions. Enter keeps the value in "
            "[brackets], ? shows the help, Ctrl-C stops without writing anything."
        ),
        "unknown": "unknown",
        "yes": "yes",
        "no": "no",
        "none": "none",
        "nobody": "nobody",
        "q.language": "Language of the plan (fr, en)",
        "h.language": "Findings, reports and the texts of the plan in French (fr) or English (en).",
        "q.company": "Company name",
        "h.company": "The company's name as its owner and a buyer read it (e.g. Atelier Durand).",
        "q.headcount": "Headcount",
        "h.headcount": "Employees today (a whole number); Enter if you do not know yet.",
        "q.owner": "Owner's name",
        "h.owner": (
            "The owner (founder, president) whose dependence the mission measures; a role may "
            "follow in brackets: Marc Durand (President)."
        ),
        "q.start": "First day of the mission",
        "h.start": "A date written YYYY-MM-DD; the phases are scheduled from it on your workdays.",
        "q.exit_kind": "Exit in view (sale, fundraising, succession, none)",
        "h.exit_kind": (
            "What the company must be ready for: a sale, a fundraising, a family succession, "
            "or none."
        ),
        "q.target_date": "Date the company must be ready by",
        "h.target_date": (
            "YYYY-MM-DD, after the start: the data room opens, the buyer visits, the "
            "successor takes over."
        ),
        "q.processes": "Critical processes: the company stops without them",
        "h.processes": (
            "Their names, separated by commas (e.g. Purchasing, Production planning, "
            "Invoicing); at least one."
        ),
        "q.runner": "{process}: who runs it today",
        "h.runner": "One person's name (a role may follow in brackets); Enter for the owner.",
        "q.replacement": "{process}: who could run it without {runner}",
        "h.replacement": (
            "One person's name, or “nobody” if no one could take over tomorrow; the "
            "mission transfers the process to them."
        ),
        "q.trained": "{process}: could {replacement} run it today (yes, no)",
        "h.trained": (
            "Yes when {replacement} is trained and has run it already; no when they would "
            "still need to learn (the mission then transfers it)."
        ),
        "q.documentation": "{process}: how is it documented (0–4)",
        "h.documentation": (
            "0 nothing · 1 oral only · 2 partly written · 3 written · 4 written and used "
            "day to day."
        ),
        "q.key_people": "Key people: the company would suffer without them",
        "h.key_people": (
            "Names separated by commas, a role in brackets if you like (Julie Martin "
            "(sales admin), Paul Roche); Enter if none."
        ),
        "q.key_backup": "{person}: who could stand in for them",
        "h.key_backup": "One person's name, or “nobody” if no one is trained to.",
        "q.managers": "Middle managers (team leaders, heads of department)",
        "h.managers": "Names separated by commas; Enter if the company has none.",
        "q.relay": "Your internal relay, who carries the function after the handover",
        "h.relay": (
            "The person who works beside you and takes over at the end; not the owner (the "
            "mission takes the owner out of operations)."
        ),
        "q.customer_share": "Share of revenue from the largest customer, in %",
        "h.customer_share": "A percentage from 0 to 100 (e.g. 18); Enter if unknown.",
        "q.supplier_share": "Share of purchases from the largest supplier, in %",
        "h.supplier_share": "A percentage from 0 to 100 (e.g. 25); Enter if unknown.",
        "q.recurring_share": "Share of recurring revenue (contracts, subscriptions), in %",
        "h.recurring_share": (
            "A percentage from 0 to 100 of the revenue that renews without a new sale; "
            "Enter if unknown."
        ),
        "q.margin": "Operating margin today, in %",
        "h.margin": "Last known operating margin, in % of revenue (e.g. 6.5); Enter if unknown.",
        "q.margin_target": "Operating margin you aim for at the exit, in %",
        "h.margin_target": "In % of revenue (e.g. 8); Enter if not set yet.",
        "q.founder_decisions": "Share of day-to-day decisions the owner takes today, in %",
        "h.founder_decisions": (
            "An estimate from 0 to 100 (orders, hiring, prices, planning): the mission "
            "brings it down."
        ),
        "q.closures": "Closures: periods nobody works",
        "h.closures": (
            "Periods written FROM..TO, separated by commas (2027-08-02..2027-08-20); a "
            "single date for one day; Enter if none."
        ),
        "q.workdays": "Your days at the company",
        "h.workdays": "Days of the week, separated by commas: mon, tue, wed, thu, fri, sat, sun.",
        "q.contracted_days": "COO days in the contract",
        "h.contracted_days": "Days of work sold for the whole mission (a whole number).",
        "q.coo": "Your name (the COO), and your firm in brackets",
        "h.coo": (
            "As the report and the owner read them: Claire Fontaine (Relais Conseil); the "
            "name alone if you work on your own."
        ),
        "e.required": "an answer is needed here",
        "e.control": "control characters are not allowed",
        "e.too_long": "at most {max} characters",
        "e.choice": "answer one of: {choices}",
        "e.whole": "a whole number is needed (like {example})",
        "e.number": "a number is needed (like {example})",
        "e.range": "between {low} and {high}",
        "e.date": "a date written YYYY-MM-DD is needed (like {example})",
        "e.after_start": "this date must come after the start of the mission ({start})",
        "e.yes_no": "answer yes or no",
        "e.one_name": "one name is needed here, not a list",
        "e.not_owner": "not the owner: the mission takes {owner} out of operations",
        "e.same_person": "someone other than {runner} is needed, or “nobody”",
        "e.duplicate": "{name} is given twice",
        "e.period": "{item}: a period is written FROM..TO (like 2027-08-02..2027-08-20)",
        "e.period_order": "{item}: the period ends before it starts",
        "e.weekday": "{item} is not a day of the week (mon, tue, wed, thu, fri, sat, sun)",
        "e.bad_text": "the answer is not UTF-8 text",
        "p.title": "Outsourced operations management — {company}",
        "p.scope_role": "Outsourced operations director",
        "p.owner_role": "Owner and president",
        "p.closure": "Closure",
        "p.topic_doc": "Writing down how {process} runs",
        "p.topic_run": "Running {process}",
        "p.objective": "Take the owner out of day-to-day operational decisions",
        "p.kpi_margin": "Operating margin",
        "p.kpi_margin_source": "Monthly management accounts",
        "p.kpi_decisions": "Operational decisions taken by the owner",
        "p.kpi_decisions_source": "Decision log",
        "p.phase_audit": "Flash audit",
        "p.phase_diag": "Operational diagnostic",
        "p.phase_project": "First project",
        "p.phase_handover": "Handover",
        "p.deliv_audit": "Flash audit report, Map of irritants",
        "p.deliv_diag": "Diagnostic and roadmap",
        "p.deliv_project": "Documented process",
        "p.deliv_handover": "Signed handover file",
        "done": "Wrote {path} from your answers.",
        "next": "Next: releve check {path} · releve schedule {path} · releve edit {path}",
        "stopped": "the interview stopped before its end ({why}); nothing was written",
        "eof": "end of input",
        "interrupted": "interrupted",
    },
    "fr": {
        "intro": (
            "Premier entretien avec le dirigeant : une vingtaine de questions. Entrée garde la "
            "valeur [entre crochets], ? affiche l'aide, Ctrl-C arrête sans rien écrire."
        ),
        "unknown": "inconnu",
        "yes": "oui",
        "no": "non",
        "none": "aucune",
        "nobody": "personne",
        "q.language": "Langue du plan (fr, en)",
        "h.language": "Constats, rapports et textes du plan en français (fr) ou en anglais (en).",
        "q.company": "Nom de l'entreprise",
        "h.company": "Le nom de l'entreprise tel que son dirigeant et un repreneur le lisent (ex. Atelier Durand).",
        "q.headcount": "Effectif",
        "h.headcount": "Nombre de salariés aujourd'hui (un entier) ; Entrée si vous ne le savez pas encore.",
        "q.owner": "Nom du dirigeant",
        "h.owner": (
            "Le dirigeant (fondateur, président) dont la mission mesure la dépendance ; un rôle "
            "peut suivre entre parenthèses : Marc Durand (Président)."
        ),
        "q.start": "Premier jour de la mission",
        "h.start": "Une date écrite AAAA-MM-JJ ; les phases sont planifiées à partir d'elle sur vos jours.",
        "q.exit_kind": "Sortie visée (cession, levée de fonds, succession, aucune)",
        "h.exit_kind": (
            "Ce à quoi l'entreprise doit être prête : une cession, une levée de fonds, une "
            "transmission familiale, ou aucune."
        ),
        "q.target_date": "Date à laquelle l'entreprise doit être prête",
        "h.target_date": (
            "AAAA-MM-JJ, après le début : ouverture de la data room, visite du repreneur, "
            "prise de fonction du successeur."
        ),
        "q.processes": "Processus critiques : l'entreprise s'arrête sans eux",
        "h.processes": (
            "Leurs noms, séparés par des virgules (ex. Achats, Planification de la production, "
            "Facturation) ; au moins un."
        ),
        "q.runner": "{process} : qui le conduit aujourd'hui",
        "h.runner": "Le nom d'une personne (un rôle peut suivre entre parenthèses) ; Entrée pour le dirigeant.",
        "q.replacement": "{process} : qui pourrait le conduire sans {runner}",
        "h.replacement": (
            "Le nom d'une personne, ou « personne » si nul ne pourrait reprendre demain ; la "
            "mission lui transfère le processus."
        ),
        "q.trained": "{process} : {replacement} pourrait-il le conduire dès aujourd'hui (oui, non)",
        "h.trained": (
            "Oui si {replacement} est formé et l'a déjà conduit ; non s'il faudrait encore "
            "apprendre (la mission le lui transfère alors)."
        ),
        "q.documentation": "{process} : niveau de documentation (0–4)",
        "h.documentation": (
            "0 rien · 1 à l'oral seulement · 2 en partie écrit · 3 écrit · 4 écrit et utilisé "
            "au quotidien."
        ),
        "q.key_people": "Personnes clés : l'entreprise souffrirait sans elles",
        "h.key_people": (
            "Des noms séparés par des virgules, un rôle entre parenthèses si vous voulez "
            "(Julie Martin (ADV), Paul Roche) ; Entrée si aucune."
        ),
        "q.key_backup": "{person} : qui pourrait la remplacer",
        "h.key_backup": "Le nom d'une personne, ou « personne » si nul n'y est formé.",
        "q.managers": "Managers intermédiaires (chefs d'équipe, responsables de service)",
        "h.managers": "Des noms séparés par des virgules ; Entrée si l'entreprise n'en a pas.",
        "q.relay": "Votre relais interne, qui reprend la fonction après la passation",
        "h.relay": (
            "La personne qui travaille à vos côtés et reprend à la fin ; pas le dirigeant (la "
            "mission le sort de l'opérationnel)."
        ),
        "q.customer_share": "Part du chiffre d'affaires du premier client, en %",
        "h.customer_share": "Un pourcentage de 0 à 100 (ex. 18) ; Entrée si inconnu.",
        "q.supplier_share": "Part des achats du premier fournisseur, en %",
        "h.supplier_share": "Un pourcentage de 0 à 100 (ex. 25) ; Entrée si inconnu.",
        "q.recurring_share": "Part du chiffre d'affaires récurrent (contrats, abonnements), en %",
        "h.recurring_share": (
            "Un pourcentage de 0 à 100 du chiffre d'affaires qui se renouvelle sans nouvelle "
            "vente ; Entrée si inconnu."
        ),
        "q.margin": "Marge opérationnelle aujourd'hui, en %",
        "h.margin": "La dernière marge opérationnelle connue, en % du chiffre d'affaires (ex. 6,5) ; Entrée si inconnue.",
        "q.margin_target": "Marge opérationnelle visée à la sortie, en %",
        "h.margin_target": "En % du chiffre d'affaires (ex. 8) ; Entrée si elle n'est pas fixée.",
        "q.founder_decisions": "Part des décisions courantes prises par le dirigeant aujourd'hui, en %",
        "h.founder_decisions": (
            "Une estimation de 0 à 100 (commandes, embauches, prix, planning) : la mission "
            "la fait baisser."
        ),
        "q.closures": "Fermetures : périodes où personne ne travaille",
        "h.closures": (
            "Des périodes écrites DU..AU, séparées par des virgules (2027-08-02..2027-08-20) ; "
            "une seule date pour un jour ; Entrée si aucune."
        ),
        "q.workdays": "Vos jours dans l'entreprise",
        "h.workdays": "Des jours de la semaine séparés par des virgules : lun, mar, mer, jeu, ven, sam, dim.",
        "q.contracted_days": "Jours de COO prévus au contrat",
        "h.contracted_days": "Les jours de travail vendus pour toute la mission (un entier).",
        "q.coo": "Votre nom (le COO), et votre cabinet entre parenthèses",
        "h.coo": (
            "Tels que le rapport et le dirigeant les lisent : Claire Fontaine (Relais Conseil) ; "
            "le nom seul si vous êtes indépendant."
        ),
        "e.required": "une réponse est nécessaire ici",
        "e.control": "les caractères de contrôle ne sont pas acceptés",
        "e.too_long": "au plus {max} caractères",
        "e.choice": "répondre l'un de : {choices}",
        "e.whole": "un nombre entier est attendu (comme {example})",
        "e.number": "un nombre est attendu (comme {example})",
        "e.range": "entre {low} et {high}",
        "e.date": "une date écrite AAAA-MM-JJ est attendue (comme {example})",
        "e.after_start": "cette date doit suivre le début de la mission ({start})",
        "e.yes_no": "répondre oui ou non",
        "e.one_name": "un seul nom est attendu ici, pas une liste",
        "e.not_owner": "pas le dirigeant : la mission sort {owner} de l'opérationnel",
        "e.same_person": "il faut quelqu'un d'autre que {runner}, ou « personne »",
        "e.duplicate": "{name} est donné deux fois",
        "e.period": "{item} : une période s'écrit DU..AU (comme 2027-08-02..2027-08-20)",
        "e.period_order": "{item} : la période finit avant de commencer",
        "e.weekday": "{item} n'est pas un jour de la semaine (lun, mar, mer, jeu, ven, sam, dim)",
        "e.bad_text": "la réponse n'est pas du texte UTF-8",
        "p.title": "Direction des opérations externalisée — {company}",
        "p.scope_role": "Directeur des opérations externalisé",
        "p.owner_role": "Président fondateur",
        "p.closure": "Fermeture",
        "p.topic_doc": "Écrire comment se déroule {process}",
        "p.topic_run": "Conduire {process}",
        "p.objective": "Sortir le dirigeant des décisions opérationnelles courantes",
        "p.kpi_margin": "Marge opérationnelle",
        "p.kpi_margin_source": "Tableau de bord de gestion mensuel",
        "p.kpi_decisions": "Décisions opérationnelles prises par le dirigeant",
        "p.kpi_decisions_source": "Journal des décisions",
        "p.phase_audit": "Audit flash",
        "p.phase_diag": "Diagnostic opérationnel",
        "p.phase_project": "Premier projet",
        "p.phase_handover": "Passation",
        "p.deliv_audit": "Rapport d'audit flash, Carte des irritants",
        "p.deliv_diag": "Diagnostic et feuille de route",
        "p.deliv_project": "Processus documenté",
        "p.deliv_handover": "Dossier de passation signé",
        "done": "{path} écrit à partir de vos réponses.",
        "next": "Ensuite : releve check {path} · releve schedule {path} · releve edit {path}",
        "stopped": "l'entretien s'est arrêté avant la fin ({why}) ; rien n'a été écrit",
        "eof": "fin de l'entrée",
        "interrupted": "interrompu",
    },
}


def tr(lang: str, key: str, /, **values: object) -> str:
    """One of the interview's texts in ``lang`` (fr when unknown), ``values`` filled in."""
    table = TEXTS[lang if lang in TEXTS else DEFAULT_LANG]
    return table[key].format(**values) if values else table[key]


# --- questions ---------------------------------------------------------------------------------


class Invalid(ValueError):
    """An answer refused; ``str()`` is the one-line reason, in the interview's language."""


@dataclass(frozen=True)
class Question:
    """One question as shown: ``key`` is stable (``"company"``, ``"runner"``...), ``about`` the
    process or person a repeated question is about, ``default`` what an empty answer gives as
    shown ("" when an answer is required)."""

    key: str
    number: int
    prompt: str
    help: str
    default: str
    about: str | None = None


@dataclass
class _Ask:
    key: str
    default: str  # the text an empty answer stands for ("" = required, or none)
    parse: Callable[[str], Any]
    about: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # for the prompt's placeholders
    shown_default: str | None = None  # how the default is shown, when not ``default`` itself


@dataclass
class Named:
    """A person as an answer names them: a name, and the role given in brackets if any."""

    name: str
    role: str | None = None


@dataclass
class ProcessAnswer:
    name: str
    runner: str = ""
    replacement: str | None = None  # None: nobody
    trained: bool | None = None  # the replacement could run it today (None: no replacement)
    documentation: int = 1


@dataclass
class Answers:
    """Everything the interview asked, as typed values (names as the user wrote them)."""

    today: dt.date
    language: str = DEFAULT_LANG
    company: str = ""
    headcount: int | None = None
    owner: str = ""
    start: dt.date | None = None
    exit_kind: ExitKind = ExitKind.sale
    target_date: dt.date | None = None
    processes: list[ProcessAnswer] = field(default_factory=list)
    key_people: list[str] = field(default_factory=list)
    key_backups: dict[str, str | None] = field(default_factory=dict)  # name key -> name
    managers: list[str] = field(default_factory=list)
    relay: str = ""
    top_customer_share: float | None = None
    top_supplier_share: float | None = None
    recurring_revenue_share: float | None = None
    margin: float | None = None
    margin_target: float | None = None
    founder_decisions: float | None = None
    closures: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    workdays: list[Weekday] = field(default_factory=lambda: [Weekday.mon, Weekday.tue])
    contracted_days: int = 60
    coo_name: str = ""
    coo_firm: str | None = None  # given in brackets after the name
    #: Every person named, by name key, with the spelling and role first given.
    people: dict[str, Named] = field(default_factory=dict)


class Interview:
    """The interview as a sequence of questions; drive it with :meth:`question` and
    :meth:`answer` until :attr:`done`, then take :meth:`plan` or :meth:`text`.

    ``today`` is the interview's date: the default start is the next Monday from it, and the
    figures the owner gives are the KPIs' first measures on that day. ``lang`` skips the
    language question.
    """

    def __init__(self, today: dt.date, *, lang: str | None = None) -> None:
        self.today = today
        self._lang_given = lang if lang in LANGS else None
        self._accepted: list[str] = []
        self._restart()

    def _restart(self) -> None:
        self.answers = Answers(today=self.today)
        if self._lang_given:
            self.answers.language = self._lang_given
        self._number = 0
        self._flow = self._questions()
        self._current: _Ask | None = next(self._flow)
        self._number = 1

    @property
    def lang(self) -> str:
        return self.answers.language

    @property
    def done(self) -> bool:
        return self._current is None

    def question(self) -> Question | None:
        """The question to ask now, or None when the interview is over."""
        ask = self._current
        if ask is None:
            return None
        lang = self.lang if ask.key != "language" else DEFAULT_LANG
        if ask.key == "language":
            prompt = f"{tr('fr', 'q.language')} / {tr('en', 'q.language')}"
            helptext = f"{tr('fr', 'h.language')} / {tr('en', 'h.language')}"
        else:
            prompt = tr(lang, f"q.{ask.key}", **ask.values)
            helptext = tr(lang, f"h.{ask.key}", **ask.values)
        shown = ask.default if ask.shown_default is None else ask.shown_default
        return Question(ask.key, self._number, prompt, helptext, shown, ask.about)

    def answer(self, reply: str) -> str | None:
        """Take the answer to the current question: None when accepted (the interview moves
        on), else the one-line reason it was refused (the same question is asked again)."""
        ask = self._current
        if ask is None:
            raise RuntimeError("the interview is over")
        reply = reply.strip()
        try:
            value = ask.parse(reply if reply else ask.default)
        except Invalid as bad:
            return str(bad)
        self._accepted.append(reply)
        try:
            self._current = self._flow.send(value)
            self._number += 1
        except StopIteration:
            self._current = None
        return None

    def back(self) -> bool:
        """Go back to the previous question (its answer forgotten); False at the first."""
        if not self._accepted:
            return False
        replies = self._accepted[:-1]
        self._accepted = []
        self._restart()
        for reply in replies:
            reason = self.answer(reply)
            assert reason is None, reason  # it was accepted before, with the same answers
        return True

    # -- the questions, in the order of a first meeting --------------------------------------

    def _questions(self) -> Generator[_Ask, Any, None]:
        a = self.answers
        if not self._lang_given:
            a.language = yield _Ask(
                "language", DEFAULT_LANG, _choice({"fr": "fr", "en": "en"}, "fr, en", lang="both")
            )
        lang = a.language
        p = _Parsers(lang)
        a.company = yield _Ask("company", "", p.text(required=True))
        a.headcount = yield self._unknown("headcount", p.whole(0, 1_000_000, example="50"))
        owner: Named = yield _Ask("owner", "", p.person(required=True))
        a.owner = self._person(owner)
        start_default = _next_monday(a.today)
        a.start = yield _Ask("start", start_default.isoformat(), p.date())
        kinds = {_fold(k.value): k for k in ExitKind}
        kinds.update({_fold(_enum_label(lang, "ExitKind", k)): k for k in ExitKind})
        kinds.update({"levee": ExitKind.fundraising, "vente": ExitKind.sale})
        a.exit_kind = yield _Ask(
            "exit_kind",
            _enum_label(lang, "ExitKind", ExitKind.sale).lower(),
            _choice(kinds, tr(lang, "q.exit_kind").split("(")[-1].rstrip(")"), lang=lang),
        )
        if a.exit_kind is not ExitKind.none:
            target = _add_years(a.start, 1)
            a.target_date = yield _Ask("target_date", target.isoformat(), p.date(after=a.start))
        names: list[Named] = yield _Ask("processes", "", p.names(required=True))
        for named in names:
            proc = ProcessAnswer(name=named.name)
            a.processes.append(proc)
            runner: Named = yield _Ask(
                "runner", a.owner, p.person(required=True), named.name, {"process": named.name}
            )
            proc.runner = self._person(runner)
            repl: Named | None = yield _Ask(
                "replacement",
                tr(lang, "nobody"),
                p.person(nobody=True, not_=proc.runner, key="e.same_person"),
                named.name,
                {"process": named.name, "runner": proc.runner},
            )
            proc.replacement = self._person(repl) if repl else None
            if proc.replacement:
                proc.trained = yield _Ask(
                    "trained",
                    tr(lang, "no"),
                    p.yes_no(),
                    named.name,
                    {"process": named.name, "replacement": proc.replacement},
                )
            proc.documentation = yield _Ask(
                "documentation",
                "1",
                p.whole(0, 4, example="2"),
                named.name,
                {"process": named.name},
            )
        key_people: list[Named] = yield _Ask(
            "key_people", "", p.names(), shown_default=tr(lang, "none")
        )
        a.key_people = [self._person(n) for n in key_people]
        for name in a.key_people:
            known = next(
                (pr.replacement for pr in a.processes if pr.runner == name and pr.replacement),
                None,
            )
            backup: Named | None = yield _Ask(
                "key_backup",
                known or tr(lang, "nobody"),
                p.person(nobody=True, not_=name, key="e.same_person"),
                name,
                {"person": name},
            )
            a.key_backups[_key(name)] = self._person(backup) if backup else None
        managers: list[Named] = yield _Ask(
            "managers", "", p.names(), shown_default=tr(lang, "none")
        )
        a.managers = [self._person(n) for n in managers]
        relay: Named = yield _Ask(
            "relay", self._relay_default(), p.person(required=True, not_=a.owner, key="e.not_owner")
        )
        a.relay = self._person(relay)
        share = p.number(0, 100, example="20", percent=True)
        a.top_customer_share = _share((yield self._unknown("customer_share", share)))
        a.top_supplier_share = _share((yield self._unknown("supplier_share", share)))
        a.recurring_revenue_share = _share((yield self._unknown("recurring_share", share)))
        pct = p.number(-100, 100, example="6.5", percent=True)
        a.margin = yield self._unknown("margin", pct)
        if a.margin is not None:
            a.margin_target = yield self._unknown("margin_target", pct)
        # A percentage, not a share: the KPI counts decisions in %.
        a.founder_decisions = yield self._unknown("founder_decisions", share)
        a.closures = yield _Ask("closures", "", p.periods(), shown_default=tr(lang, "none"))
        a.workdays = yield _Ask(
            "workdays",
            ", ".join(_day_names(lang)[d] for d in (Weekday.mon, Weekday.tue)),
            p.weekdays(),
        )
        a.contracted_days = yield _Ask("contracted_days", "60", p.whole(1, 5000, example="60"))
        coo: Named = yield _Ask("coo", "", p.person(required=True))
        a.coo_name, a.coo_firm = coo.name, coo.role

    def _unknown(self, key: str, parse: Callable[[str], Any]) -> _Ask:
        """A figure the owner may not know yet: Enter leaves it out of the plan."""
        unknown = tr(self.lang, "unknown")

        def parse_or_none(reply: str) -> Any:
            return None if reply in ("", unknown) else parse(reply)

        return _Ask(key, "", parse_or_none, shown_default=unknown)

    def _person(self, named: Named) -> str:
        """Record a person named in an answer; the name as first written (same person when
        the name is the same, whatever the case and spaces)."""
        key = _key(named.name)
        known = self.answers.people.get(key)
        if known is None:
            self.answers.people[key] = Named(_clean(named.name), named.role)
            return _clean(named.name)
        if known.role is None and named.role:
            known.role = named.role
        return known.name

    def _relay_default(self) -> str:
        a = self.answers
        owner = _key(a.owner)
        candidates = [*a.managers, *a.key_people, *(p.replacement or "" for p in a.processes)]
        return next((n for n in candidates if n and _key(n) != owner), "")

    # -- the plan ------------------------------------------------------------------------

    def plan(self) -> Plan:
        """The plan the answers make (the template's rows reused, so its comments stay)."""
        if not self.done:
            raise RuntimeError("the interview is not over")
        return build_plan(self.answers, template_plan())

    def text(self) -> str:
        """The plan file: the template's text with the answers written onto it."""
        from releve.planner.store import render

        return render(self.plan(), template_text())


# --- answers → plan ----------------------------------------------------------------------------


def template_text() -> str:
    """The template plan, read from the installed package (works from a wheel)."""
    from importlib.resources import files

    return files("releve.planner").joinpath("template.toml").read_text(encoding="utf-8")


def template_plan() -> Plan:
    from releve.planner.store import loads

    return loads(template_text(), path="template.toml")


def build_plan(a: Answers, template: Plan) -> Plan:
    """The template with the answers in place; every row of the template that has a
    counterpart is reused (same keys, so the writer keeps its comments)."""
    lang = a.language
    plan = template.model_copy(deep=True)
    assert a.start is not None
    t = {k[2:]: v for k, v in TEXTS[lang].items() if k.startswith("p.")}

    ids = _Ids()
    person_id = {key: ids.new("person", named.name) for key, named in a.people.items()}

    def pid(name: str | None) -> str | None:
        return None if name is None else person_id[_key(name)]

    owner, relay = pid(a.owner), pid(a.relay)
    assert owner is not None and relay is not None

    m = plan.mission
    m.id = ids.new("mission", f"{a.company} {a.start.year}")
    m.title = t["title"].format(company=a.company)
    m.start = a.start
    m.language = Language(lang)

    c = plan.company or Company()
    c.name = a.company
    c.sector = None
    c.headcount = a.headcount
    c.revenue_keur = None  # not asked: no rule, view or report reads it
    c.top_customer_share = a.top_customer_share
    c.top_supplier_share = a.top_supplier_share
    c.recurring_revenue_share = a.recurring_revenue_share
    c.closures = [
        Period.model_validate({"from": f, "to": u, "reason": t["closure"]}) for f, u in a.closures
    ]
    plan.company = c

    if plan.exit is not None:
        plan.exit.kind = a.exit_kind
        plan.exit.target_date = a.target_date
        plan.exit.founder = owner

    if plan.coo is not None:
        plan.coo.name = a.coo_name
        plan.coo.firm = a.coo_firm
        plan.coo.workdays = list(a.workdays)
        plan.coo.contracted_days = a.contracted_days

    if plan.scope is not None:
        plan.scope.role = t["scope_role"]
        plan.scope.responsibilities = [p.name for p in a.processes]
        plan.scope.internal_counterpart = relay
        plan.scope.successor = relay

    if plan.governance is not None:
        g = plan.governance
        g.reports_to = owner
        g.sponsor = owner
        # Announced in the mission's first week, as the template has it.
        g.announced_on = a.start + dt.timedelta(days=7)

    for obj in plan.objective:
        if obj.stake == "founder_dependence":
            obj.statement = t["objective"]

    plan.person = _people(a, template.person, person_id, t)
    plan.process = _processes(a, template.process, person_id, ids)
    plan.transfer = _transfers(a, template.transfer, plan.process, relay, ids, t)

    for phase, name, deliv in zip(
        plan.phase,
        ("phase_audit", "phase_diag", "phase_project", "phase_handover"),
        ("deliv_audit", "deliv_diag", "deliv_project", "deliv_handover"),
        strict=False,
    ):
        phase.name = t[name]
        phase.deliverables = [d.strip() for d in t[deliv].split(",")]

    for kpi in plan.kpi:
        if kpi.category == "operating_margin":
            kpi.name, kpi.source, kpi.owner = t["kpi_margin"], t["kpi_margin_source"], owner
            kpi.baseline, kpi.target = a.margin, a.margin_target
            kpi.history = _first_measure(a.today, a.margin)
        elif kpi.category == "founder_dependence":
            kpi.name, kpi.source, kpi.owner = t["kpi_decisions"], t["kpi_decisions_source"], relay
            kpi.baseline = a.founder_decisions
            kpi.history = _first_measure(a.today, a.founder_decisions)
    return Plan.model_validate(plan.model_dump(by_alias=True))


def _first_measure(today: dt.date, value: float | None) -> list[Measure]:
    """The figure the owner gave is the KPI's first measure, on the interview's day."""
    return [] if value is None else [Measure(on=today, value=value)]


def _people(
    a: Answers, rows: list[Person], person_id: dict[str, str], t: dict[str, str]
) -> list[Person]:
    """The owner first (the template's founder row), the relay next (its relay row), then
    everyone else in the order the answers named them (the template's third row first)."""
    owner_key, relay_key = _key(a.owner), _key(a.relay)
    order = [owner_key, relay_key] + [k for k in a.people if k not in (owner_key, relay_key)]
    key_people = {_key(n) for n in a.key_people}
    managers = {_key(n) for n in a.managers}
    people = []
    for i, key in enumerate(order):
        named = a.people[key]
        row = rows[i].model_copy() if i < len(rows) else Person(id=person_id[key])
        row.id = person_id[key]
        row.name = named.name
        row.role = named.role or (t["owner_role"] if key == owner_key else None)
        row.founder = key == owner_key
        row.manager = key in managers
        row.key = key in key_people
        backup = a.key_backups.get(key)
        row.backup = person_id[_key(backup)] if backup else None
        people.append(row)
    return people


def _processes(
    a: Answers, rows: list[Process], person_id: dict[str, str], ids: _Ids
) -> list[Process]:
    out = []
    for i, ans in enumerate(a.processes):
        row = rows[i].model_copy() if i < len(rows) else Process(id="x")
        row.id = ids.new("process", ans.name)
        row.name = ans.name
        row.critical = True
        row.owner = person_id[_key(ans.runner)]
        # "" is the template's "nobody": the answer was given (no one could take over).
        row.backup = person_id[_key(ans.replacement)] if ans.replacement else ""
        row.backup_trained = ans.trained
        row.documentation = ans.documentation
        row.automation = None  # not asked at the first meeting
        out.append(row)
    return out


def _transfers(
    a: Answers,
    rows: list[Transfer],
    processes: list[Process],
    relay: str,
    ids: _Ids,
    t: dict[str, str],
) -> list[Transfer]:
    """For each critical process, its knowledge moves from whoever runs it to whoever could
    replace them (else to the relay): written down in the diagnostic unless it already is,
    then run side by side in the first project."""
    doc_row = next((r for r in rows if r.method == TransferMethod.documentation), None)
    run_row = next((r for r in rows if r.method != TransferMethod.documentation), None)
    out: list[Transfer] = []
    for proc in processes:
        receiver = proc.backup or relay
        if receiver == proc.owner:
            continue
        name = proc.name or proc.id
        for row, topic in ((doc_row, "topic_doc"), (run_row, "topic_run")):
            if row is None or (topic == "topic_doc" and (proc.documentation or 0) >= 3):
                continue
            new = row.model_copy()
            new.id = ids.new("transfer", proc.id + ("-doc" if topic == "topic_doc" else ""))
            new.topic = t[topic].format(process=name)
            new.process = proc.id
            new.from_ = proc.owner
            new.to = receiver
            out.append(new)
    # The template's rows first, in its order (documentation before shadowing), so the
    # writer pairs them with their comments.
    return out


class _Ids:
    """Short slug ids, unique within their table."""

    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {"person": {"coo"}}

    def new(self, table: str, name: str) -> str:
        taken = self._taken.setdefault(table, set())
        base = _slug(name)[:56] or {"person": "person", "process": "process"}.get(table, "id")
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        return candidate


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
            nothing = {_fold(tr(lang, w)) for lang in LANGS for w in ("none", "nobody")}
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
        nobody_words = {_fold(tr(lang, "nobody")) for lang in LANGS} | {"-", "none", "aucun"}

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
        words = {_fold(tr(lang, w)): w == "yes" for lang in LANGS for w in ("yes", "no")}
        words.update({"o": True, "y": True, "n": False})

        def parse(reply: str) -> bool:
            value = words.get(_fold(reply))
            if value is None:
                raise self.bad("e.yes_no")
            return value

        return parse

    def periods(self) -> Callable[[str], list[tuple[dt.date, dt.date]]]:
        def parse(reply: str) -> list[tuple[dt.date, dt.date]]:
            if _fold(reply) in {_fold(tr(lang, "none")) for lang in LANGS} | {"-", ""}:
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
        for lang in LANGS:
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
            langs = LANGS if lang == "both" else (lang,)  # the language is not known yet
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
