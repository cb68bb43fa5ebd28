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
from releve.tui.interview_parse import (
    ASKED_IN,
    DEFAULT_LANG,
    TEXTS,
    Invalid,
    Named,
    _add_years,
    _choice,
    _clean,
    _day_names,
    _enum_label,
    _fold,
    _key,
    _next_monday,
    _Parsers,
    _share,
    _slug,
    placeholders,
    tr,
)

__all__ = [
    "ASKED_IN",
    "DEFAULT_LANG",
    "TEXTS",
    "Answers",
    "Interview",
    "Invalid",
    "Named",
    "ProcessAnswer",
    "Question",
    "build_plan",
    "placeholders",
    "template_plan",
    "template_text",
    "tr",
]

# --- questions ---------------------------------------------------------------------------------


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
        self._lang_given = lang if lang in ASKED_IN else None
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
                "language",
                DEFAULT_LANG,
                _choice({code: code for code in ASKED_IN}, ", ".join(ASKED_IN), lang="both"),
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
