"""The mission log's rules (LOG001-LOG014, issue #11): each fires where the log says so
and stays silent otherwise, in the user's words; a plan with no log gets no new finding
and the same scores; the check result carries the tracking, computed once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_helpers import plan_of

import releve.tui.i18n  # noqa: F401  (messages show labels, as the CLI and the app do)
from releve.planner.model import Plan, TransferStatus, deliverable_name
from releve.planner.store import load
from releve.planner.tracking import track
from releve.rules.pipeline import check_plan

D = dt.date
SAMPLES = Path(__file__).resolve().parents[2] / "sample_missions"
AS_OF = D(2027, 3, 1)

#: The example base's four phases, named, without the handover's June start: the
#: baseline runs audit 4-8 Jan, diagnostic 11-15, project 18-22, handover 25-29 Jan 2027.
NAMED = """
[[phase]]
id = "audit"
kind = "flash_audit"
name = "Flash audit"
effort_days = 5
deliverables = [{AUDIT}]
gate = "codir"
{AUDIT_DONE}

[[phase]]
id = "diag"
kind = "diagnostic"
name = "Operations diagnostic"
after = ["audit"]
effort_days = 5
deliverables = ["Diagnostic"]
gate = "codir"

[[phase]]
id = "project"
kind = "project"
name = "Purchasing project"
after = ["diag"]
effort_days = 5
deliverables = ["Written purchasing procedure"]

[[phase]]
id = "handover"
kind = "handover"
name = "Handover to Sam"
after = ["project"]
effort_days = 5
deliverables = ["Signed handover file"]
gate = "sponsor"
"""


def named(audit: str = '"Flash audit report"', done: str | None = None) -> str:
    return NAMED.replace("{AUDIT}", audit).replace(
        "{AUDIT_DONE}", f"done_on = {done}" if done else ""
    )


def bookings(phase: str, *days: str, part: float = 1) -> str:
    extra = f"days = {part}\n" if part != 1 else ""
    return "".join(f'\n[[booking]]\non = {d}\nphase = "{phase}"\n{extra}' for d in days)


AUDIT_DAYS = ("2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08")


def log_findings(
    plan: Plan, as_of: dt.date, lang: str = "en", text: str | None = None
) -> dict[tuple[str, str], Any]:
    result = check_plan(plan, as_of=as_of, lang=lang, text=text)
    return {(f.rule, f.target): f for f in result.findings if f.rule.startswith("LOG")}


def sample(name: str) -> tuple[Plan, str]:
    pf = load(SAMPLES / name)
    return pf.plan, pf.text


def without_log(plan: Plan) -> Plan:
    """The plan as it was before anything was logged."""
    return plan.model_copy(
        update={
            "booking": [],
            "meeting": [],
            "phase": [
                p.model_copy(
                    update={
                        "done_on": None,
                        "deliverables": [deliverable_name(d) for d in p.deliverables],
                    }
                )
                for p in plan.phase
            ],
            "transfer": [t.model_copy(update={"done_on": None}) for t in plan.transfer],
        }
    )


# --- a plan with no log ---------------------------------------------------------------------

NO_LOG_PACK = '[pack]\nid = "no-log"\n[select]\nexclude = ["LOG"]\n'


@pytest.fixture(scope="module")
def no_log_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("packs") / "no-log.toml"
    path.write_text(NO_LOG_PACK, encoding="utf-8")
    return path


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(sorted(p.name for p in SAMPLES.glob("*.toml"))),
    as_of=st.dates(D(2026, 1, 1), D(2028, 12, 31)),
)
def test_a_plan_with_no_log_gets_no_log_finding_and_the_same_scores(
    name: str, as_of: dt.date, no_log_pack: Path
) -> None:
    plan = without_log(sample(name)[0])
    with_rules = check_plan(plan, as_of=as_of)
    without = check_plan(plan, as_of=as_of, extra_packs=(no_log_pack,))
    assert not [f.rule for f in with_rules.findings if f.rule.startswith("LOG")]
    assert with_rules.score.overall == without.score.overall
    assert with_rules.score.framing == without.score.framing
    assert with_rules.score.pillars == without.score.pillars
    assert with_rules.forecast is None and with_rules.booked_days is None


# --- the check result carries the tracking --------------------------------------------------


def test_the_result_carries_the_tracking_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import releve.rules.facts.tracking as facts_tracking

    calls: list[dt.date] = []

    def counted(*args, **kwargs):
        calls.append(args[1])
        return track(*args, **kwargs)

    monkeypatch.setattr(facts_tracking, "track", counted)
    plan, _ = sample("cabinet-vega.toml")
    result = check_plan(plan, as_of=AS_OF)
    assert calls == [AS_OF]
    assert result.tracking is not None and result.tracking.tracked
    assert result.forecast is result.tracking.forecast
    assert result.booked_days == 43  # 44 days worked, two of them half days
    assert result.forecast.end == D(2027, 7, 5) and result.schedule.end == D(2027, 6, 28)


def test_an_untracked_plan_has_no_forecast_and_books_nothing() -> None:
    plan, _ = sample("atelier-durand.toml")
    result = check_plan(plan, as_of=AS_OF)
    assert result.tracking is not None and not result.tracking.tracked
    assert result.forecast is None and result.booked_days is None


def test_a_check_at_the_end_of_the_calendar_does_not_fail() -> None:
    plan, _ = sample("cabinet-vega.toml")
    result = check_plan(plan, as_of=dt.date.max)
    assert result.forecast is None
    assert result.findings


# --- the samples ----------------------------------------------------------------------------


def test_vega_slips_past_its_target_and_says_it_in_french() -> None:
    plan, text = sample("cabinet-vega.toml")
    found = log_findings(plan, AS_OF, lang="fr", text=text)
    assert set(found) == {
        ("LOG002", "log"),
        ("LOG006", "deliverable:tools:2"),
        ("LOG009", "action:13.1"),
    }
    lines = text.splitlines()
    late = found[("LOG002", "log")]
    assert late.message == (
        "La prévision finit le 2027-07-05, 4 jours après la date cible du 2027-07-01 ; "
        "le plan finissait le 2027-06-28"
    )
    undelivered = found[("LOG006", "deliverable:tools:2")]
    assert undelivered.message == (
        "Bascule sur les outils du groupe (temps, facturation, frais) : « Procédure de "
        "clôture mensuelle » n'est pas livré, attendu depuis le 2027-02-25"
    )
    # it points at the deliverables of that phase, the row the app opens
    assert undelivered.row == 2 and undelivered.path == "phase.deliverables"
    assert lines[undelivered.line - 1].startswith("deliverables = [")
    action = found[("LOG009", "action:13.1")]
    assert "Hélène Marchand" in action.message and "helene" not in action.message
    assert "17 jours de retard" in action.message
    meeting_line = lines.index("on = 2027-01-28")
    assert meeting_line < action.line <= meeting_line + 6


def test_vega_in_english_names_phases_and_people_too() -> None:
    plan, _ = sample("cabinet-vega.toml")
    found = log_findings(plan, AS_OF, lang="en")
    assert found[("LOG006", "deliverable:tools:2")].message == (
        "Bascule sur les outils du groupe (temps, facturation, frais): “Procédure de "
        "clôture mensuelle” is not delivered, due since 2027-02-25"
    )
    assert found[("LOG009", "action:13.1")].message.startswith(
        "“Désigner le responsable de l'enquête NPS” (Hélène Marchand), decided on 2027-01-28"
    )


@pytest.mark.parametrize("as_of", [D(2026, 11, 13), AS_OF, D(2027, 6, 1)])
def test_northwind_was_handed_over_on_plan_and_its_log_is_clean(as_of: dt.date) -> None:
    plan, _ = sample("northwind-distribution.toml")
    result = check_plan(plan, as_of=as_of)
    assert not [f for f in result.findings if f.rule.startswith("LOG")]
    assert result.tracking is not None and result.tracking.variance_days == 0
    assert result.booked_days == 68 and result.forecast is not None
    assert result.forecast.end == D(2026, 11, 12)


# --- each rule, fires and stays silent ------------------------------------------------------


def test_a_phase_late_by_more_than_five_working_days_is_named() -> None:
    late = plan_of(named() + bookings("audit", "2027-01-04", "2027-01-05"))
    found = log_findings(late, D(2027, 1, 29))
    f = found[("LOG001", "phase_log:diag")]
    assert f.message.startswith("Operations diagnostic is forecast to end on 2027-02-10, 18 ")
    # on the day the audit was planned to go on, nothing is late yet
    assert not [k for k in log_findings(late, D(2027, 1, 6)) if k[0] == "LOG001"]


@settings(max_examples=25, deadline=None)
@given(booked=st.integers(0, 5), as_of=st.dates(D(2027, 1, 4), D(2027, 2, 26)))
def test_a_phase_fires_late_exactly_when_not_done_and_over_five_days(
    booked: int, as_of: dt.date
) -> None:
    plan = plan_of(named() + bookings("audit", *AUDIT_DAYS[:booked]))
    result = check_plan(plan, as_of=as_of)
    late = {f.target for f in result.findings if f.rule == "LOG001"}
    t = result.tracking
    assert t is not None
    expected = {
        f"phase_log:{pid}"
        for pid, p in t.phases.items()
        if t.tracked and not p.done and p.variance_days is not None and p.variance_days > 5
    }
    assert late == expected


def test_the_forecast_past_the_target_fires_only_when_the_plan_met_it() -> None:
    short = "[exit]\ntarget_date = 2027-01-29\n" + named()
    assert ("LOG002", "log") in log_findings(
        plan_of(short + bookings("audit", AUDIT_DAYS[0])), D(2027, 1, 6)
    )
    on_time = plan_of(short + bookings("audit", *AUDIT_DAYS[:3]))
    assert ("LOG002", "log") not in log_findings(on_time, D(2027, 1, 6))
    # a plan that never met its target: PLN003 says it, not LOG002
    never = plan_of(
        "[exit]\ntarget_date = 2027-01-20\n" + named() + bookings("audit", AUDIT_DAYS[0])
    )
    found = check_plan(never, as_of=D(2027, 1, 6)).findings
    assert {"PLN003"} <= {f.rule for f in found} and "LOG002" not in {f.rule for f in found}


def test_days_over_the_contract_fire_when_the_log_adds_to_the_plan() -> None:
    closed = named(
        audit='{ name = "Flash audit report", delivered_on = 2027-01-11, accepted_by = "fay" }',
        done="2027-01-11",
    )
    six = bookings("audit", *AUDIT_DAYS, "2027-01-11")
    over = plan_of("[coo]\ncontracted_days = 20\n" + closed + six)
    f = log_findings(over, D(2027, 1, 11))[("LOG003", "log")]
    assert f.message == "6 COO days booked and 15 remaining make 21, 1 over the 20 contracted"
    # the same log within a contract of 21, or a plan already over it (PLN004's job)
    assert ("LOG003", "log") not in log_findings(
        plan_of("[coo]\ncontracted_days = 21\n" + closed + six), D(2027, 1, 11)
    )
    planned_over = plan_of(
        "[coo]\ncontracted_days = 19\n" + named() + bookings("audit", *AUDIT_DAYS[:2])
    )
    found = check_plan(planned_over, as_of=D(2027, 1, 6)).findings
    assert "PLN004" in {f.rule for f in found} and "LOG003" not in {f.rule for f in found}


def test_the_contract_burning_ahead_of_time() -> None:
    fast = plan_of(
        bookings("audit", *AUDIT_DAYS)
        + bookings("diag", "2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14", "2027-01-15")
    )
    f = log_findings(fast, D(2027, 1, 15))[("LOG004", "log")]
    assert f.message.startswith("25% of the 40 contracted days are used while 9")
    slow = plan_of(bookings("audit", *AUDIT_DAYS[:2]))
    assert ("LOG004", "log") not in log_findings(slow, D(2027, 1, 15))


def test_an_effort_used_up_and_not_closed() -> None:
    used = plan_of(named() + bookings("audit", *AUDIT_DAYS))
    f = log_findings(used, D(2027, 1, 8))[("LOG005", "phase_log:audit")]
    assert f.message == "Flash audit has 5 days booked for an effort of 5 and is not closed"
    closed = plan_of(named(done="2027-01-08") + bookings("audit", *AUDIT_DAYS))
    assert ("LOG005", "phase_log:audit") not in log_findings(closed, D(2027, 1, 8))
    half = plan_of(named() + bookings("audit", *AUDIT_DAYS, part=0.5))
    assert ("LOG005", "phase_log:audit") not in log_findings(half, D(2027, 1, 8))


def test_a_deliverable_due_once_its_phase_is_done_or_past_its_planned_end() -> None:
    done_early = plan_of(named(done="2027-01-06") + bookings("audit", *AUDIT_DAYS[:3]))
    f = log_findings(done_early, D(2027, 1, 7))[("LOG006", "deliverable:audit:1")]
    assert f.message == "Flash audit: “Flash audit report” is not delivered, due since 2027-01-06"
    delivered = plan_of(
        named(audit='{ name = "Flash audit report", delivered_on = 2027-01-06 }', done="2027-01-06")
        + bookings("audit", *AUDIT_DAYS[:3])
    )
    assert ("LOG006", "deliverable:audit:1") not in log_findings(delivered, D(2027, 1, 7))
    # delivered after the check date is not delivered yet
    later = plan_of(
        named(audit='{ name = "Flash audit report", delivered_on = 2027-01-12 }', done="2027-01-06")
        + bookings("audit", *AUDIT_DAYS[:3])
    )
    assert ("LOG006", "deliverable:audit:1") in log_findings(later, D(2027, 1, 7))


def test_a_closed_gate_needs_an_acceptance() -> None:
    unaccepted = plan_of(
        named(audit='{ name = "Flash audit report", delivered_on = 2027-01-08 }', done="2027-01-08")
    )
    f = log_findings(unaccepted, D(2027, 1, 8))[("LOG007", "phase_log:audit")]
    assert f.message == (
        "Flash audit was closed on 2027-01-08 with no deliverable accepted, though its gate "
        "is reviewed by: Codir"
    )
    no_gate = plan_of(
        named(
            audit='{ name = "Flash audit report", delivered_on = 2027-01-08 }', done="2027-01-08"
        ).replace('gate = "codir"\ndone_on', 'gate = "none"\ndone_on')
    )
    assert ("LOG007", "phase_log:audit") not in log_findings(no_gate, D(2027, 1, 8))


def meetings(*days: str, kind: str = "steering") -> str:
    return "".join(f'\n[[meeting]]\non = {d}\nkind = "{kind}"\n' for d in days)


def test_steering_not_held_leaves_out_leave_and_closures() -> None:
    # cadence 14 days: 28 days between two committees is twice the cadence
    gap = meetings("2027-01-06", "2027-02-03", "2027-02-17")
    f = log_findings(plan_of(gap), D(2027, 2, 20))[("LOG008", "steering_gap:2")]
    assert (
        f.message
        == "No steering committee from 2027-01-06 to 2027-02-03: 28 days, against one every 14"
    )
    leave = '[coo]\nleave = [{ from = 2027-01-11, to = 2027-01-22, reason = "Ski" }]\n'
    assert not [k for k in log_findings(plan_of(leave + gap), D(2027, 2, 20)) if k[0] == "LOG008"]
    closure = "[company]\nclosures = [{ from = 2027-01-18, to = 2027-01-29 }]\n"
    assert not [k for k in log_findings(plan_of(closure + gap), D(2027, 2, 20)) if k[0] == "LOG008"]


def test_the_open_gap_counts_while_the_mission_runs_only() -> None:
    last = meetings("2027-01-06", "2027-01-20", kind="codir")
    assert ("LOG008", "steering_gap:3") in log_findings(plan_of(last), AS_OF)
    over = plan_of('[mission]\nstatus = "handed_over"\n' + last)
    assert not [k for k in log_findings(over, AS_OF) if k[0] == "LOG008"]


def test_an_action_is_overdue_the_day_after_its_due_date() -> None:
    fragment = """
[[meeting]]
on = 2027-01-20
kind = "steering"
actions = [{{ what = "Send the quote procedure", owner = "sam", due = 2027-02-15{done} }}]
"""
    due = plan_of(fragment.format(done=""))
    assert ("LOG009", "action:1.1") not in log_findings(due, D(2027, 2, 15))
    f = log_findings(due, D(2027, 2, 16))[("LOG009", "action:1.1")]
    assert f.message == (
        "“Send the quote procedure” (Sam Manager), decided on 2027-01-20, was due on "
        "2027-02-15: 1 days late"
    )
    # done after the check date: not done yet
    later = plan_of(fragment.format(done=", done_on = 2027-02-20"))
    assert ("LOG009", "action:1.1") in log_findings(later, D(2027, 2, 16))
    assert ("LOG009", "action:1.1") not in log_findings(later, D(2027, 2, 20))


def test_bookings_on_a_day_off_or_an_unknown_phase() -> None:
    plan = plan_of(
        named()
        + bookings("audit", "2027-01-09")  # a Saturday
        + bookings("audti", "2027-01-11")
        + '\n[coo]\nleave = [{ from = 2027-01-12, to = 2027-01-12, reason = "Ski" }]\n'
        + bookings("audit", "2027-01-12")
    )
    result = check_plan(plan, as_of=D(2027, 1, 13))
    found = {(f.rule, f.target): f for f in result.findings if f.rule.startswith("LOG01")}
    assert set(found) == {("LOG010", "booking:1"), ("LOG011", "booking:2"), ("LOG010", "booking:3")}
    assert found[("LOG010", "booking:1")].message.startswith(
        "1 day booked on Flash audit on Saturday 2027-01-09, a day off"
    )
    assert found[("LOG010", "booking:1")].row == 0 and found[("LOG011", "booking:2")].row == 1
    assert found[("LOG011", "booking:2")].message == (
        "The booking of 2027-01-11 names the phase “audti”, which the plan does not have"
    )
    facts = {f["fact_id"]: f for f in result.facts}
    assert facts["booking:3"]["day_off"] == "Ski" and "day_off" not in facts["booking:1"]


def test_dates_after_the_check_date_are_one_finding_and_left_out_of_the_forecast() -> None:
    past = bookings("audit", *AUDIT_DAYS[:2])
    future = bookings("audit", "2027-01-11", "2027-01-12") + bookings("diag", "2027-01-13")
    result = check_plan(plan_of(named() + past + future), as_of=D(2027, 1, 6))
    (f,) = [f for f in result.findings if f.rule == "LOG012"]
    assert f.message == (
        "3 entries of the log are dated after the check date 2027-01-06, the first on "
        "2027-01-11: the forecast ignores them"
    )
    alone = check_plan(plan_of(named() + past), as_of=D(2027, 1, 6))
    assert result.forecast == alone.forecast and result.booked_days == alone.booked_days == 2


def test_a_transfer_of_a_phase_closed_early_is_due_then() -> None:
    fragment = (
        named(
            audit='{ name = "Flash audit report", delivered_on = 2027-01-06, accepted_by = "fay" }',
            done="2027-01-06",
        )
        + bookings("audit", *AUDIT_DAYS[:3])
        + """
[[transfer]]
id = "purchasing"
topic = "Purchasing"
process = "purchasing"
from = "coo"
to = "sam"
phase = "audit"
method = "shadowing"
status = "STATUS"
"""
    )
    f = log_findings(plan_of(fragment.replace("STATUS", "in_progress")), D(2027, 1, 7))[
        ("LOG013", "transfer_log:purchasing")
    ]
    assert f.pillar == "transfer"
    assert (
        f.message
        == "Flash audit is done but the transfer “Purchasing” to Sam Manager is still In progress"
    )
    assert ("LOG013", "transfer_log:purchasing") not in log_findings(
        plan_of(fragment.replace("STATUS", "done")), D(2027, 1, 7)
    )
    # once the phase's planned end has passed, TRF007 says it (not both)
    late = check_plan(plan_of(fragment.replace("STATUS", "in_progress")), as_of=D(2027, 1, 11))
    rules = {f.rule for f in late.findings}
    assert "TRF007" in rules and "LOG013" not in rules


def test_a_handover_ended_without_its_file() -> None:
    plan = plan_of(
        named().replace(
            'name = "Handover to Sam"', 'name = "Handover to Sam"\ndone_on = 2027-01-29'
        )
        + bookings("handover", "2027-01-29")
    )
    found = check_plan(plan, as_of=D(2027, 1, 29)).findings
    (f,) = [f for f in found if f.rule == "LOG014"]
    assert f.pillar == "transfer" and f.target == "deliverable:handover:1"
    assert f.message == (
        "Handover to Sam: “Signed handover file”, a deliverable of the handover, is not "
        "delivered, due since 2027-01-29"
    )
    # the other phases' deliverables are LOG006's, never LOG014's
    assert {x.target for x in found if x.rule == "LOG006"} >= {"deliverable:audit:1"}


def test_transfer_status_label_is_the_catalogs() -> None:
    assert TransferStatus.in_progress.value == "in_progress"  # the id stays in the file


def test_a_phase_is_over_when_done_or_ended_in_the_forecast() -> None:
    from releve.planner.schedule import schedule_plan
    from releve.rules.facts.build import Context
    from releve.rules.facts.tracking import phase_over

    def over(fragment: str, as_of: dt.date) -> dict[str, bool]:
        plan = plan_of(named() + fragment)
        c = Context(plan, schedule_plan(plan), as_of)
        return {p.id: phase_over(c, p.id) for p in plan.phase}

    # untracked: the plan's dates
    assert over("", D(2027, 1, 11)) == {
        "audit": True,
        "diag": False,
        "project": False,
        "handover": False,
    }
    # tracked and late: the audit runs on past its planned end, it is not over
    assert not over(bookings("audit", *AUDIT_DAYS[:2]), D(2027, 1, 11))["audit"]
    # closed early: over on its done_on
    plan = plan_of(named(done="2027-01-06") + bookings("audit", *AUDIT_DAYS[:3]))
    c = Context(plan, schedule_plan(plan), D(2027, 1, 7))
    assert phase_over(c, "audit") and not phase_over(c, "nowhere") and not phase_over(c, None)


@settings(max_examples=60, deadline=None)
@given(
    since=st.dates(D(2026, 12, 1), D(2027, 2, 28)),
    length=st.integers(0, 90),
    periods=st.lists(
        st.tuples(st.dates(D(2026, 11, 1), D(2027, 4, 30)), st.integers(0, 40)), max_size=4
    ),
)
def test_days_off_in_a_gap_are_counted_once_each(
    since: dt.date, length: int, periods: list[tuple[dt.date, int]]
) -> None:
    from releve.rules.facts.tracking import _days_off_between

    spans = [(a, a + dt.timedelta(days=n)) for a, n in periods]
    closures = ", ".join(f"{{ from = {a}, to = {b} }}" for a, b in spans[:2])
    leave = ", ".join(f"{{ from = {a}, to = {b} }}" for a, b in spans[2:])
    plan = plan_of(f"[company]\nclosures = [{closures}]\n[coo]\nleave = [{leave}]\n")
    until = since + dt.timedelta(days=length)
    inside = {since + dt.timedelta(days=k) for k in range(1, length)}
    off = {d for d in inside if any(a <= d <= b for a, b in spans)}
    assert _days_off_between(plan, since, until) == len(off)


def test_a_late_phase_owes_its_deliverables_from_its_planned_end() -> None:
    running_late = plan_of(named() + bookings("audit", *AUDIT_DAYS[:2]))
    f = log_findings(running_late, D(2027, 1, 11))[("LOG006", "deliverable:audit:1")]
    assert f.message == "Flash audit: “Flash audit report” is not delivered, due since 2027-01-08"
    # not before its planned end has passed
    assert ("LOG006", "deliverable:audit:1") not in log_findings(running_late, D(2027, 1, 8))
