"""`releve new PLAN --interview`: the first meeting's questions, driven from a pipe, and the plan
the answers make (tui/interview.py holds the questions and the answers → plan logic)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT

from releve.planner import store
from releve.planner.model import ExitKind, Weekday
from releve.tui import interview as iv
from releve.tui.cli import new

TEMPLATE = ROOT / "planner" / "template.toml"
TODAY = dt.date(2026, 12, 1)  # the interview's date (a Tuesday), passed as --as-of

#: (question key, answer) in the order the interview asks; "" keeps the default.
ANSWERS_FR: list[tuple[str, str]] = [
    ("language", "fr"),
    ("company", "Atelier Durand"),
    ("headcount", "48"),
    ("owner", "Marc Durand (Président)"),
    ("start", "2027-01-04"),
    ("exit_kind", "cession"),
    ("target_date", "2027-12-15"),
    ("processes", "Achats, Planification de la production, Facturation"),
    ("runner", ""),  # Achats: the owner (the default)
    ("replacement", "Julie Martin (Responsable ADV)"),
    ("trained", "oui"),
    ("documentation", "1"),
    ("runner", "Paul Roche (Chef d'atelier)"),
    ("replacement", ""),  # nobody (the default)
    ("documentation", "2"),
    ("runner", "julie  martin"),  # the same person, however written
    ("replacement", "personne"),
    ("documentation", "0"),
    ("key_people", "Julie Martin, Paul Roche"),
    ("key_backup", "Sophie Lenoir (Comptable)"),
    ("key_backup", "Julie Martin"),
    ("managers", "Paul Roche, Sophie Lenoir"),
    ("relay", ""),  # Paul Roche: the first manager (the default)
    ("customer_share", "35"),
    ("supplier_share", "22 %"),
    ("recurring_share", "12,5"),
    ("margin", "6,5"),
    ("margin_target", "9"),
    ("founder_decisions", "85"),
    ("closures", "2027-08-02..2027-08-20, 2027-12-24"),
    ("workdays", "lun, mar"),
    ("contracted_days", "60"),
    ("coo", "Claire Fontaine (Relais Conseil)"),
]

ANSWERS_EN: list[tuple[str, str]] = [
    ("language", "en"),
    ("company", "Northwind Distribution"),
    ("headcount", ""),  # unknown
    ("owner", "Ann Lee"),
    ("start", ""),  # the next Monday from the interview's date
    ("exit_kind", "fundraising"),
    ("target_date", ""),  # a year after the start
    ("processes", "Purchasing"),
    ("runner", "Ann Lee"),
    ("replacement", "Bob Stone"),
    ("trained", ""),  # no (the default)
    ("documentation", "3"),
    ("key_people", ""),
    ("managers", "Bob Stone"),
    ("relay", ""),
    ("customer_share", "10"),
    ("supplier_share", "15"),
    ("recurring_share", "40"),
    ("margin", ""),  # unknown: no target asked
    ("founder_decisions", "60"),
    ("closures", ""),
    ("workdays", "wed thu fri"),
    ("contracted_days", "90"),
    ("coo", "Sam Carter"),
]

#: Values of the template that only hold a place (a plan of answers keeps none of them).
PLACEHOLDERS = {
    "Company name",
    "Sector / secteur",
    "Owner name",
    "Relay name",
    "Backup name",
    "Your name",
    "Your firm",
    "Core process (e.g. purchasing / achats)",
    "core",
    "core-doc",
    "owner",
    "relay",
    "backup",
    "new-mission",
    "Direction des opérations externalisée — Company name",
    "Writing down how the core process runs",
    "Running the core process",
    "Supply chain",
    "Production planning",
}


def feed(answers: list[tuple[str, str]]) -> bytes:
    return "".join(a + "\n" for _, a in answers).encode("utf-8")


def releve(*args: str, cwd: Path, stdin: bytes) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "releve.tui.cli", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


class _Stdin(io.TextIOWrapper):
    """A piped stdin (not a terminal) for in-process runs."""

    def isatty(self) -> bool:
        return False


class _Interrupting(io.BytesIO):
    """Lines, then Ctrl-C instead of the next one."""

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


def run_new(monkeypatch, path: Path, data: bytes | io.BytesIO) -> int:
    raw = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    monkeypatch.setattr(sys, "stdin", _Stdin(raw, encoding="utf-8"))
    args = argparse.Namespace(plan=str(path), interview=True, as_of=TODAY)
    return new.run(args)


def drive(answers: list[tuple[str, str]]) -> iv.Interview:
    """The interview answered headlessly; checks each question is the one expected."""
    interview = iv.Interview(TODAY)
    for key, answer in answers:
        q = interview.question()
        assert q is not None, f"over before {key}"
        assert q.key == key
        assert interview.answer(answer) is None, (key, answer)
    assert interview.done
    return interview


def values(obj) -> list:
    if isinstance(obj, dict):
        return [v for x in obj.values() for v in values(x)]
    if isinstance(obj, list):
        return [v for x in obj for v in values(x)]
    return [obj]


# --- from a pipe, as a user runs it ------------------------------------------------------------


def test_interview_from_a_pipe_writes_the_plan_of_the_answers(tmp_path):
    result = releve(
        "new", "durand.toml", "--interview", "--as-of", TODAY.isoformat(),
        cwd=tmp_path, stdin=feed(ANSWERS_FR),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # French prompts, with the default in brackets and the answer echoed.
    assert "Nom de l'entreprise : Atelier Durand" in result.stdout
    assert "Premier jour de la mission [2026-12-07] : 2027-01-04" in result.stdout
    assert "durand.toml écrit à partir de vos réponses." in result.stdout
    plan = store.load(tmp_path / "durand.toml").plan  # it loads

    assert plan.mission.language == "fr"
    assert plan.mission.start == dt.date(2027, 1, 4)
    assert plan.mission.id == "atelier-durand-2027"
    assert plan.mission.title == "Direction des opérations externalisée — Atelier Durand"
    c = plan.company
    assert (c.name, c.headcount, c.revenue_keur) == ("Atelier Durand", 48, None)
    assert c.top_customer_share == 0.35
    assert c.recurring_revenue_share == 0.125
    assert c.top_supplier_share == 0.22
    assert [(p.from_, p.to) for p in c.closures] == [
        (dt.date(2027, 8, 2), dt.date(2027, 8, 20)),
        (dt.date(2027, 12, 24), dt.date(2027, 12, 24)),
    ]
    assert plan.exit.kind == ExitKind.sale
    assert plan.exit.target_date == dt.date(2027, 12, 15)

    people = {p.name: p for p in plan.person}
    assert list(people) == ["Marc Durand", "Paul Roche", "Julie Martin", "Sophie Lenoir"]
    marc, paul, julie, sophie = people.values()
    assert plan.exit.founder == marc.id and marc.founder and marc.role == "Président"
    assert plan.founder_id() == marc.id
    assert (paul.role, paul.key, paul.manager) == ("Chef d'atelier", True, True)
    assert (julie.role, julie.key, julie.manager) == ("Responsable ADV", True, False)
    assert (sophie.role, sophie.key, sophie.manager) == ("Comptable", False, True)
    assert julie.backup == sophie.id and paul.backup == julie.id
    assert plan.scope.internal_counterpart == plan.scope.successor == paul.id
    assert plan.governance.reports_to == plan.governance.sponsor == marc.id

    procs = [
        (p.name, p.critical, p.owner, p.backup, p.backup_trained, p.documentation)
        for p in plan.process
    ]
    assert procs == [
        ("Achats", True, marc.id, julie.id, True, 1),
        ("Planification de la production", True, paul.id, "", None, 2),
        ("Facturation", True, julie.id, "", None, 0),
    ]
    assert plan.scope.responsibilities == [p.name for p in plan.process]

    margin, decisions = plan.kpi
    assert (margin.baseline, margin.target, margin.owner) == (6.5, 9.0, marc.id)
    assert [(m.on, m.value) for m in margin.history] == [(TODAY, 6.5)]
    assert decisions.baseline == 85 and [m.value for m in decisions.history] == [85]

    assert plan.coo.name == "Claire Fontaine" and plan.coo.firm == "Relais Conseil"
    assert plan.coo.workdays == [Weekday.mon, Weekday.tue]
    assert plan.coo.contracted_days == 60

    # Derived, not asked: each critical process moves from who runs it to who could replace
    # them (else the relay), written down first unless it already is.
    moves = [(t.process, t.from_, t.to, t.method.value) for t in plan.transfer]
    achats, planif, factu = (p.id for p in plan.process)
    assert moves == [
        (achats, marc.id, julie.id, "documentation"),
        (achats, marc.id, julie.id, "shadowing"),
        (factu, julie.id, paul.id, "documentation"),
        (factu, julie.id, paul.id, "shadowing"),
    ]  # Planification: run by the relay, nobody else named: nothing to move yet
    assert planif not in {t.process for t in plan.transfer}
    assert all(t.status for t in plan.transfer)


def test_no_placeholder_of_the_template_is_left(tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    assert run_new(monkeypatch, path, feed(ANSWERS_FR)) == 0
    plan = store.load(path).plan
    left = set(values(plan.model_dump(mode="json", by_alias=True))) & PLACEHOLDERS
    assert not left
    # The template itself has them all (the list above is the template's, not made up).
    template = store.loads(TEMPLATE.read_text(encoding="utf-8"))
    assert set(values(template.model_dump(mode="json", by_alias=True))) >= PLACEHOLDERS


def test_the_plan_keeps_the_template_comments(tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    assert run_new(monkeypatch, path, feed(ANSWERS_FR)) == 0
    written = path.read_text(encoding="utf-8")
    comments = [
        line.split("#", 1)[1].strip()
        for line in TEMPLATE.read_text(encoding="utf-8").splitlines()
        if "#" in line and not line.lstrip().startswith(("name", "title", "topic"))
    ]
    kept = [c for c in comments if c in written]
    # Every comment stays but those of the keys the first meeting leaves out (the example
    # sector has none; automation and revenue are not asked).
    lost = set(comments) - set(kept)
    assert lost == {"0 none … 4 fully automated", "yearly revenue in k€ (chiffre d'affaires)"}
    assert written.startswith(TEMPLATE.read_text(encoding="utf-8").split("format = 1")[0])


def test_answering_everything_fills_every_evidence_item(tmp_path, monkeypatch):
    """Coverage's evidence (issue 15): critical processes with owner, backup and
    documentation; key people and managers; the largest customer's (and supplier's) share;
    recurring revenue; KPIs with a baseline and a measure; transfers with a status."""
    path = tmp_path / "plan.toml"
    assert run_new(monkeypatch, path, feed(ANSWERS_FR)) == 0
    plan = store.load(path).plan
    critical = [p for p in plan.process if p.critical]
    assert critical
    assert all(p.owner and p.backup is not None and p.documentation is not None for p in critical)
    assert any(p.key for p in plan.person) and any(p.manager for p in plan.person)
    assert plan.company.top_customer_share is not None
    assert plan.company.recurring_revenue_share is not None
    assert plan.company.top_supplier_share is not None
    assert plan.kpi and all(k.baseline is not None and k.history for k in plan.kpi)
    assert plan.transfer and all(t.status for t in plan.transfer)

    from releve.rules.pipeline import check_plan

    result = check_plan(plan, as_of=dt.date(2027, 1, 4), path=str(path))
    score = result.score
    # Every item of evidence is given: coverage 100 %, in every readiness pillar, and the
    # plan is assessed; no value is left as the template's example.
    assert score.coverage == 1.0, score.coverage_pillars
    assert set(score.coverage_pillars.values()) == {1.0}
    assert score.overall is not None and score.band != "not_assessed"
    assert not [f for f in result.findings if f.rule.startswith("EVD")]


def test_english_prompts_and_plan(tmp_path):
    result = releve(
        "new", "nw.toml", "--interview", "--as-of", TODAY.isoformat(),
        cwd=tmp_path, stdin=feed(ANSWERS_EN),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Company name: Northwind Distribution" in result.stdout
    assert "Headcount [unknown]: " in result.stdout
    assert "Purchasing: who could run it without Ann Lee [nobody]: Bob Stone" in result.stdout
    assert "Wrote nw.toml from your answers." in result.stdout
    assert "Nom de" not in result.stdout.split("\n", 1)[1]  # French only in the first question
    plan = store.load(tmp_path / "nw.toml").plan
    assert plan.mission.language == "en"
    assert plan.mission.title == "Outsourced operations management — Northwind Distribution"
    assert plan.mission.start == dt.date(2026, 12, 7)  # the Monday after the interview
    assert plan.exit.kind == ExitKind.fundraising
    assert plan.exit.target_date == dt.date(2027, 12, 7)
    assert plan.company.headcount is None and plan.company.revenue_keur is None
    assert plan.company.closures == []
    assert plan.coo.workdays == [Weekday.wed, Weekday.thu, Weekday.fri]
    assert plan.coo.firm is None
    assert plan.process[0].backup_trained is False
    margin = plan.kpi[0]
    assert margin.baseline is None and margin.target is None and margin.history == []
    assert [p.name for p in plan.phase] == [
        "Flash audit",
        "Operational diagnostic",
        "First project",
        "Handover",
    ]
    # Documented already (3): the process is not written down again, only run side by side.
    assert [t.method.value for t in plan.transfer] == ["shadowing"]
    assert plan.transfer[0].topic == "Running Purchasing"


# --- stopping: nothing written -----------------------------------------------------------------


def test_end_of_input_mid_way_writes_nothing(tmp_path):
    result = releve("new", "plan.toml", "--interview", cwd=tmp_path, stdin=feed(ANSWERS_FR[:12]))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "plan.toml: l'entretien s'est arrêté avant la fin (fin de l'entrée) ; rien n'a été écrit"
    ]
    assert list(tmp_path.iterdir()) == []  # no plan, no temporary file


@pytest.mark.parametrize("answered", range(len(ANSWERS_FR)))
def test_stopping_after_any_answer_writes_nothing(tmp_path, monkeypatch, capsys, answered):
    path = tmp_path / "plan.toml"
    assert run_new(monkeypatch, path, feed(ANSWERS_FR[:answered])) == 2
    assert list(tmp_path.iterdir()) == []
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "plan.toml" in lines[0]


def test_ctrl_c_writes_nothing(tmp_path, monkeypatch, capsys):
    path = tmp_path / "plan.toml"
    code = run_new(monkeypatch, path, _Interrupting(feed(ANSWERS_FR[:20])))
    assert code == 130
    assert list(tmp_path.iterdir()) == []
    assert "interrompu" in capsys.readouterr().err


def test_an_existing_file_is_refused_before_any_question(tmp_path):
    mine = tmp_path / "plan.toml"
    mine.write_text("# mine\n", encoding="utf-8")
    result = releve("new", "plan.toml", "--interview", cwd=tmp_path, stdin=feed(ANSWERS_FR))
    assert result.returncode == 2
    assert result.stdout == ""  # not one question asked
    assert result.stderr.startswith("plan.toml: already exists")
    assert mine.read_text(encoding="utf-8") == "# mine\n"


# --- each answer checked -----------------------------------------------------------------------


def test_a_bad_answer_is_refused_with_one_line_and_asked_again(tmp_path, monkeypatch, capsys):
    answers = list(ANSWERS_FR)
    answers.insert(2, ("headcount", "une cinquantaine"))
    answers.insert(5, ("start", "04/01/2027"))
    answers.insert(8, ("target_date", "2026-06-30"))
    path = tmp_path / "plan.toml"
    assert run_new(monkeypatch, path, feed(answers)) == 0
    out = capsys.readouterr().out
    reasons = [line.strip() for line in out.splitlines() if line.lstrip().startswith("↳")]
    assert reasons == [
        "↳ un nombre entier est attendu (comme 50)",
        "↳ une date écrite AAAA-MM-JJ est attendue (comme 2027-01-04)",
        "↳ cette date doit suivre le début de la mission (2027-01-04)",
    ]
    assert out.count("3. Effectif [inconnu] : ") == 2  # the same question, again
    assert store.load(path).plan.company.headcount == 48


def test_question_mark_shows_the_help(tmp_path, monkeypatch, capsys):
    answers = [*ANSWERS_FR[:3], ("owner", "?"), *ANSWERS_FR[3:]]
    assert run_new(monkeypatch, tmp_path / "plan.toml", feed(answers)) == 0
    assert iv.tr("fr", "h.owner") in capsys.readouterr().out


def test_text_that_is_not_utf8_is_refused_not_a_traceback(tmp_path, monkeypatch, capsys):
    data = feed(ANSWERS_FR[:2]) + b"\xff\xfe48\n" + feed(ANSWERS_FR[2:])
    assert run_new(monkeypatch, tmp_path / "plan.toml", data) == 0
    assert "pas du texte UTF-8" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("key", "answer", "reason"),
    [
        ("language", "de", "répondre l'un de : fr, en / answer one of: fr, en"),
        ("company", "", "une réponse est nécessaire ici"),
        ("company", "x" * 201, "au plus 200 caractères"),
        ("headcount", "-3", "un nombre entier est attendu (comme 50)"),
        ("exit_kind", "faillite", "répondre l'un de : cession, levée de fonds, succession, aucune"),
        ("processes", "", "une réponse est nécessaire ici"),
        ("trained", "peut-être", "répondre oui ou non"),
        ("processes", "Achats, achats", "achats est donné deux fois"),
        ("runner", "Paul, Julie", "un seul nom est attendu ici, pas une liste"),
        ("replacement", "Marc Durand", "il faut quelqu'un d'autre que Marc Durand, ou « personne »"),
        ("documentation", "5", "entre 0 et 4"),
        ("relay", "marc durand", "pas le dirigeant : la mission sort Marc Durand de l'opérationnel"),
        ("customer_share", "120", "entre 0 et 100"),
        ("customer_share", "beaucoup", "un nombre est attendu (comme 20)"),
        ("closures", "2027-08-20..2027-08-02", "2027-08-20..2027-08-02 : la période finit avant de commencer"),
        ("closures", "août", "août : une période s'écrit DU..AU (comme 2027-08-02..2027-08-20)"),
        ("workdays", "lun, lundi", "lundi est donné deux fois"),
        ("workdays", "lun, férié", "férié n'est pas un jour de la semaine (lun, mar, mer, jeu, ven, sam, dim)"),
        ("contracted_days", "0", "entre 1 et 5000"),
    ],
)  # fmt: skip
def test_each_refusal_says_why_in_the_plans_language(key, answer, reason):
    interview = iv.Interview(TODAY)
    for k, a in ANSWERS_FR:
        q = interview.question()
        assert q is not None
        if k == key:
            assert interview.answer(answer) == reason
            assert interview.question() == q  # asked again, unchanged
            return
        assert interview.answer(a) is None
    pytest.fail(f"no question {key}")


# --- the headless interview (what the app drives) ------------------------------------------------


def test_headless_interview_gives_the_same_text_as_the_command(tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    assert run_new(monkeypatch, path, feed(ANSWERS_FR)) == 0
    assert drive(ANSWERS_FR).text() == path.read_text(encoding="utf-8")


def test_back_forgets_the_last_answer():
    interview = iv.Interview(TODAY)
    for _, answer in ANSWERS_FR[:8]:
        assert interview.answer(answer) is None
    assert interview.question().key == "runner"
    assert interview.back() and interview.question().key == "processes"
    assert interview.answer("Achats") is None  # a different answer this time
    assert interview.question().prompt.startswith("Achats")
    assert interview.answers.company == "Atelier Durand"
    first = iv.Interview(TODAY)
    assert not first.back()


def test_the_language_question_is_skipped_when_given():
    interview = iv.Interview(TODAY, lang="en")
    q = interview.question()
    assert (q.key, q.number, q.prompt) == ("company", 1, "Company name")


def test_about_twenty_questions_and_none_for_what_the_plan_derives():
    interview = iv.Interview(TODAY)
    asked = []
    for _, answer in ANSWERS_FR:
        asked.append(interview.question())
        interview.answer(answer)
    meeting = [q.key for q in asked if q.about is None and q.key != "language"]
    repeated = {q.key for q in asked if q.about is not None}
    # The first meeting's 15-20 questions; some asked again for each process or key person.
    assert 15 <= len(meeting) <= 20, meeting
    assert repeated == {"runner", "replacement", "trained", "documentation", "key_backup"}
    # What the plan derives is never asked.
    derivable = {"mission_id", "title", "transfer", "announced_on", "responsibilities", "id"}
    assert not derivable & {q.key for q in asked}


def test_both_languages_have_the_same_texts_and_placeholders():
    assert set(iv.TEXTS["fr"]) == set(iv.TEXTS["en"])
    for key in iv.TEXTS["en"]:
        assert iv.placeholders("fr", key) == iv.placeholders("en", key), key
    # Every question has its help.
    questions = {k[2:] for k in iv.TEXTS["en"] if k.startswith("q.")}
    assert questions == {k[2:] for k in iv.TEXTS["en"] if k.startswith("h.")}


names = st.text(
    alphabet=st.characters(categories=("L", "Nd", "Zs"), exclude_characters="()[]"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() and not re.fullmatch(r"\s*(personne|aucune|nobody|none|-)\s*", s))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    processes=st.lists(
        names, min_size=1, max_size=4, unique_by=lambda s: " ".join(s.split()).casefold()
    ),
    share=st.integers(0, 100),
)
def test_any_process_names_give_a_plan_that_loads_with_them(processes, share):
    answers = [
        ("language", "en"),
        ("company", "Acme"),
        ("headcount", ""),
        ("owner", "Ann"),
        ("start", "2027-01-04"),
        ("exit_kind", "none"),  # no target date asked
        ("processes", ", ".join(processes)),
    ]
    for _ in processes:
        answers += [("runner", ""), ("replacement", "Bob"), ("trained", "no")]
        answers += [("documentation", "2")]
    answers += [
        ("key_people", ""),
        ("managers", ""),
        ("relay", ""),  # Bob: the only one named besides the owner
        ("customer_share", str(share)),
        ("supplier_share", ""),
        ("recurring_share", ""),
        ("margin", ""),
        ("founder_decisions", ""),
        ("closures", ""),
        ("workdays", ""),
        ("contracted_days", ""),
        ("coo", "Sam"),
    ]
    plan = store.loads(drive(answers).text())
    assert [p.name for p in plan.process] == [" ".join(p.split()) for p in processes]
    assert len({p.id for p in plan.process}) == len(processes)
    assert plan.company.top_customer_share == share / 100
    assert plan.exit.kind == ExitKind.none and plan.exit.target_date is None
    assert all(t.to == plan.scope.successor for t in plan.transfer)
