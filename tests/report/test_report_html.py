"""The HTML readiness report: valid HTML5, every section with the plan's values, no network."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_dom import all_with, by_id, classes, parse, table_dates, table_rows, text
from report_fixtures import (
    AS_OF,
    FINDINGS,
    SCORE,
    UNSCHEDULABLE,
    make_plan,
    make_report,
    make_schedule,
    mon_tue,
    slot,
)

from releve.planner.schedule import Schedule
from releve.rules.result import Score
from releve.tui.report import render
from releve.tui.report.html import CSP

SECTIONS = (
    "cover",
    "score",
    "findings",
    "waivers",
    "schedule",
    "transfer",
    "dependence",
    "kpis",
    "signals",
)


@pytest.fixture(scope="module")
def doc_en():
    return parse(render(make_report("en"), "html"))


@pytest.fixture(scope="module")
def doc_fr():
    return parse(render(make_report("fr"), "html"))


def test_every_section_is_present_in_order(doc_en):
    ids = [el.get("id") for el in doc_en.iter() if el.get("id") in SECTIONS]
    assert ids == list(SECTIONS)


def test_document_language_follows_the_report(doc_en, doc_fr):
    assert doc_en.get("lang") == "en" and doc_fr.get("lang") == "fr"
    assert text(by_id(doc_en, "schedule").find("h2")) == "Schedule"
    assert text(by_id(doc_fr, "schedule").find("h2")) == "Calendrier"
    assert text(by_id(doc_fr, "transfer").find("h2")) == "Plan de transfert des savoirs"


def test_cover_shows_company_mission_coo_firm_date_and_packs(doc_en):
    cover = by_id(doc_en, "cover")
    fields = {dd.get("data-field"): dd for dd in cover.iter("dd")}
    assert text(fields["company"]) == "Demo Ltd"
    assert "Outsourced operations — Demo Ltd" in text(fields["mission"])
    assert "demo-2027" in text(fields["mission"])
    assert text(fields["coo"]) == "Paul Smith"
    assert text(fields["firm"]) == "Relay Partners"
    assert fields["as_of"].find("time").get("datetime") == "2027-03-01"
    assert text(fields["as_of"]) == "1 March 2027"
    assert fields["target_date"].find("time").get("datetime") == "2027-06-30"
    assert text(fields["packs"]) == "default, relay-partners"
    counts = {el.get("data-count"): text(el.find("b")) for el in all_with(cover, cls="keyfig")}
    # 2 errors, 1 unwaived warning, 1 waived warning in the fixture
    assert counts == {"error": "2", "warning": "1", "info": "0", "waived": "1"}
    gauge = all_with(cover, "figure", cls="gauge")[0]
    assert gauge.get("data-score") == "71" and "71" in text(gauge)


def test_french_cover_writes_dates_the_french_way(doc_fr):
    fields = {dd.get("data-field"): dd for dd in by_id(doc_fr, "cover").iter("dd")}
    assert text(fields["as_of"]) == "1er mars 2027"
    assert text(fields["target_date"]) == "30 juin 2027"


def test_score_and_one_bar_per_pillar_with_rules(doc_en):
    score = by_id(doc_en, "score")
    assert text(all_with(score, "p", cls="overall")[0]) == ("Readiness score: 71 / 100 (to secure)")
    assert text(all_with(score, "p", cls="score-extras")[0]) == (
        "without waivers 65 · Framing 90/100"
    )
    bars = {b.get("data-pillar-score") for b in all_with(score, "rect", cls="pillar-bar")}
    assert len(all_with(score, "rect", cls="pillar-bar")) == len(SCORE.pillars)
    assert bars == {str(v) for v in SCORE.pillars.values()}
    # readiness pillars and framing pillars in two charts
    charts = {f.get("data-figure"): text(f) for f in all_with(score, "figure", cls="pillars")}
    assert "Founder dependence" in charts["readiness"] and "Governance" not in charts["readiness"]
    assert "Governance" in charts["framing"] and "Planning" in charts["framing"]
    # the team pillar has no rule in force: said in words, no bar
    assert "Team" in charts["readiness"] and "no rule in force" in charts["readiness"]


def test_the_lead_says_how_the_score_is_now_computed(doc_en, doc_fr):
    lead = text(all_with(by_id(doc_en, "score"), "p", cls="lead")[0])
    assert "share of rule weight with no open finding" not in lead
    assert "weight × its grade" in lead and "Framing measures the plan" in lead
    lead = text(all_with(by_id(doc_fr, "score"), "p", cls="lead")[0])
    assert "part du poids des règles sans constat ouvert" not in lead
    assert "poids × sa note" in lead


def test_every_lost_point_is_traced_to_its_rule_per_figure(doc_en):
    readiness, framing = all_with(by_id(doc_en, "score"), "table", cls="costs")
    rows = table_rows(readiness)
    assert [r[0].split()[0] for r in rows[:-1]] == ["EXT001", "SIG001"]
    assert [r[2] for r in rows[:-1]] == ["3 × 1 (1 of 1)", "1 × 0.5 (1 of 2)"]
    assert [r[3] for r in rows[:-1]] == ["−25", "−4"]
    assert rows[-1][3] == "−29"
    sums = [text(p) for p in all_with(by_id(doc_en, "score"), "p", cls="costs-sum")]
    assert sums == ["100 − 29 = 71.", "100 − 10 = 90."]
    rows = table_rows(framing)
    assert [r[0].split()[0] for r in rows] == ["GOV003", "Total"]
    # the lost-points strips have one segment per rule
    assert len(all_with(by_id(doc_en, "score"), "rect", cls="cost")) == 3


def test_a_cap_is_its_own_line_and_the_total_adds_up():
    from report_fixtures import CAPPED

    doc = parse(render(make_report("en", score=CAPPED), "html"))
    rows = table_rows(all_with(by_id(doc, "score"), "table", cls="costs")[0])
    assert rows[0][0].startswith("EXT001") and rows[0][3] == "−14.4"
    assert rows[1][0] == "Lost to the rules" and rows[1][3] == "−14.4"
    assert rows[2][0] == (
        'Cap: EXT001 "The company depends too much on its founder" holds readiness below '
        "the ready band (80)"
    )
    assert rows[2][3] == "−6.6" and rows[3][3] == "−21"
    assert pytest.approx(100 - CAPPED.overall) == 14.4 + 6.6
    assert text(all_with(by_id(doc, "score"), "p", cls="costs-sum")[0]) == "100 − 21 = 79."
    cover = by_id(doc, "cover")
    assert text(all_with(cover, "p", cls="cap")[0]) == (
        'capped by EXT001 "The company depends too much on its founder"'
    )


@pytest.mark.parametrize(
    ("band", "colour", "label_en", "label_fr"),
    [
        ("ready", "#2e7d32", "ready", "prête"),
        ("to_secure", "#b26a00", "to secure", "à sécuriser"),
        ("not_ready", "#c62828", "not ready", "pas prête"),
    ],
)
def test_cover_band_and_colour_come_from_the_band_not_the_figure(band, colour, label_en, label_fr):
    # the same figure, 79, in each band: the label and the ring follow the band
    score = dataclasses.replace(SCORE, overall=79, band=band)
    for lang, label in (("en", label_en), ("fr", label_fr)):
        cover = by_id(parse(render(make_report(lang, score=score), "html")), "cover")
        gauge = all_with(cover, "figure", cls="gauge")[0]
        assert gauge.get("data-band") == band
        shown = all_with(cover, "p", cls="band")[0]
        assert text(shown) == label and colour in shown.get("style")
        arc = all_with(gauge, "circle", cls="gauge-arc")[0]
        assert arc.get("stroke") == colour


def test_cover_shows_framing_without_waivers_and_coverage(doc_en):
    cover = by_id(doc_en, "cover")
    assert text(all_with(cover, "p", cls="framing")[0]) == "Framing score: 90 / 100"
    assert text(all_with(cover, "p", cls="without-waivers")[0]) == "without waivers 65"
    assert not all_with(cover, "p", cls="coverage")  # the fixture's score has none
    score = dataclasses.replace(SCORE, without_waivers=71)
    cover = by_id(parse(render(make_report("en", score=score), "html")), "cover")
    assert not all_with(cover, "p", cls="without-waivers")  # no waiver counts: not said


def test_a_not_assessed_cover_says_why_and_draws_no_ring():
    score = dataclasses.replace(SCORE, overall=None, without_waivers=None, band="not_assessed")
    if hasattr(score, "coverage"):
        score = dataclasses.replace(score, coverage=0.45)
    doc = parse(render(make_report("fr", score=score), "html"))
    cover = by_id(doc, "cover")
    gauge = all_with(cover, "figure", cls="gauge")[0]
    assert gauge.find("svg") is None and gauge.get("data-band") == "not_assessed"
    assert text(all_with(cover, "p", cls="band")[0]) == "non évaluée"
    caption = text(gauge.find("figcaption"))
    if hasattr(score, "coverage"):
        assert caption == "Score de préparation : non évaluée (couverture 45 % < 60 %)"
    assert "/ 100" not in caption
    # the pillar figures stay visible
    assert all_with(by_id(doc, "score"), "rect", cls="pillar-bar")


def test_kpi_table_has_the_rules_on_track_status(doc_en):
    from report_fixtures import make_result

    result = make_result()
    kpis = [k.id for k in result.plan.kpi]
    track = dict(zip(kpis, ["off_track", "met", "on_track", "unknown"], strict=False))
    report = make_report("en", kpi_track=track)
    rows = table_rows(all_with(by_id(parse(render(report, "html")), "kpis"), "table")[0])
    labels = {
        "off_track": "off track",
        "met": "met",
        "on_track": "on track",
        "unknown": "not known",
    }
    assert [r[-1] for r in rows] == [labels[track.get(k, "unknown")] for k in kpis]


def test_findings_sit_under_their_pillar_with_why_and_fix(doc_en):
    findings = by_id(doc_en, "findings")
    for f in FINDINGS:
        pillar = next(
            d for d in all_with(findings, "div", cls="pillar") if d.get("data-pillar") == f.pillar
        )
        article = [
            a
            for a in pillar.iter("article")
            if a.get("data-rule") == f.rule and a.get("data-target") == f.target
        ]
        assert len(article) == 1, f.rule
        body = text(article[0])
        assert f.message in body and f.fix in body and f.title in body
    ext001 = next(a for a in findings.iter("article") if a.get("data-rule") == "EXT001")
    assert text(all_with(ext001, "dd", cls="why")[0]) == (
        "A buyer pays less for a company that stops when its founder does."
    )
    gov003 = next(a for a in findings.iter("article") if a.get("data-rule") == "GOV003")
    assert "line 34" in text(gov003)


def test_waived_findings_are_shown_openly_with_reason_owner_and_expiry(doc_en):
    waived = [a for a in by_id(doc_en, "findings").iter("article") if "waived" in classes(a)]
    assert [a.get("data-rule") for a in waived] == ["EXT003"]
    body = text(waived[0])
    assert "Paul Smith" in body and "30 June 2027" in body
    assert "Procedure being written with the accountant" in body


def test_waiver_table_states_each_waiver_status(doc_en):
    table = all_with(by_id(doc_en, "waivers"), "table", cls="waivers")[0]
    rows = table_rows(table)
    assert [r[0] for r in rows] == ["EXT003", "GOV005", "SIG003"]
    status = {r[0]: r[5] for r in rows}
    assert status == {
        "EXT003": "active",
        "GOV005": "expired",
        "SIG003": "incomplete (does not waive)",
    }
    assert rows[0][1] == "process:sales" and rows[1][1] == "all findings of the rule"
    assert [r[6] for r in rows] == ["1", "0", "0"]


def test_waiver_that_expires_soon_is_flagged():
    report = make_report()
    plan = report.plan.model_copy(deep=True)
    plan.waiver[0].expires = AS_OF + dt.timedelta(days=20)
    result = dataclasses.replace(report.result, plan=plan)
    doc = parse(render(dataclasses.replace(report, result=result), "html"))
    rows = table_rows(all_with(by_id(doc, "waivers"), "table", cls="waivers")[0])
    assert rows[0][5] == "expires within 30 days"


def test_gantt_draws_each_booked_run_the_target_and_non_working_periods(doc_en):
    sched = by_id(doc_en, "schedule")
    charts = all_with(sched, "svg", cls="gantt")
    assert len(charts) == 1
    gantt = charts[0]
    schedule = make_schedule()
    # Mondays and Tuesdays are booked: one bar per Monday–Tuesday pair (or lone day)
    expected_runs = 0
    for s in schedule.phases.values():
        runs = 0
        for i, day in enumerate(s.days):
            if i == 0 or (day - s.days[i - 1]).days > 1:
                runs += 1
        expected_runs += runs
    bars = [b for b in gantt.iter("rect") if "bar" in classes(b)]
    assert len(bars) == expected_runs
    assert len(all_with(gantt, "polygon", cls="milestone")) == 1
    assert len([b for b in bars if "crit" in classes(b)]) == expected_runs  # all critical
    markers = text(gantt)
    assert "target 30 Jun" in markers and "as of 1 Mar" in markers
    kinds = {c for el in gantt.iter("rect") for c in classes(el) if c.startswith("off-")}
    assert kinds == {"off-leave", "off-holiday", "off-closure"}


def test_gantt_bars_are_placed_in_date_order(doc_en):
    gantt = all_with(by_id(doc_en, "schedule"), "svg", cls="gantt")[0]
    xs = [float(b.get("x")) for b in gantt.iter("rect") if "bar" in classes(b)]
    assert xs == sorted(xs)  # phases follow each other in the fixture


def test_phase_table_has_dates_effort_slack_and_critical_flag(doc_en):
    table = all_with(by_id(doc_en, "schedule"), "table", cls="phases")[0]
    rows, dates = table_rows(table), table_dates(table)
    schedule = make_schedule()
    for row, row_dates, (pid, s) in zip(rows, dates, schedule.phases.items(), strict=True):
        assert pid in row[0]
        assert row_dates == [s.start.isoformat(), s.end.isoformat()]
        assert row[4] == str(s.effort_days) and row[5] == str(s.slack_days)
        assert (row[6] == "Critical") == s.critical
    facts = text(all_with(by_id(doc_en, "schedule"), "p", cls="schedule-facts")[0])
    assert "meets the target date" in facts and "18 COO days booked" in facts
    assert (
        "Critical path: Flash audit → Diagnostic → Sales without the founder → Handover." in facts
    )


def test_schedule_without_critical_phase_states_the_least_slack():
    schedule = make_schedule()
    relaxed = {
        pid: dataclasses.replace(s, slack_days=s.slack_days + 5, critical=False)
        for pid, s in schedule.phases.items()
    }
    report = make_report(schedule=dataclasses.replace(schedule, phases=relaxed))
    doc = parse(render(report, "html"))
    facts = text(all_with(by_id(doc, "schedule"), "p", cls="schedule-facts")[0])
    assert "No phase is on the critical path: the least slack is 5 COO days." in facts
    gantt = all_with(by_id(doc, "schedule"), "svg", cls="gantt")[0]
    assert not [b for b in gantt.iter("rect") if "crit" in classes(b)]


def test_schedule_links_the_calendar_file_and_command(doc_en):
    ics = all_with(by_id(doc_en, "schedule"), "p", cls="ics")[0]
    assert text(ics) == (
        "To put the milestones in a calendar: releve schedule demo.toml "
        "--format ics > demo.ics (the file demo.ics beside this report)."
    )
    assert ics.find("a").get("href") == "demo.ics"


def test_non_working_periods_are_listed(doc_en):
    table = all_with(by_id(doc_en, "schedule"), "table", cls="nonworking")[0]
    rows = table_rows(table)
    assert [r[1] for r in rows] == ["Ski week", "Easter Monday", "Spring closure"]
    assert table_dates(table)[0] == ["2027-03-08", "2027-03-12"]


def test_long_plans_cut_the_gantt_into_printable_parts():
    plan = make_plan()
    base = plan.phase[0]
    phases = [base.model_copy(update={"id": f"p{i}", "name": f"Phase {i}"}) for i in range(40)]
    plan = plan.model_copy(update={"phase": phases})
    days = mon_tue(dt.date(2027, 1, 4), 80)
    slots = {f"p{i}": slot(f"p{i}", days[2 * i : 2 * i + 2], 3) for i in range(40)}
    schedule = Schedule(
        start=dt.date(2027, 1, 4),
        phases=slots,
        end=days[-1],
        coo_days=80,
        target_date=dt.date(2027, 12, 1),
        meets_target=True,
    )
    report = make_report(plan=plan, schedule=schedule)
    doc = parse(render(report, "html"))
    charts = all_with(by_id(doc, "schedule"), "svg", cls="gantt")
    assert len(charts) == 3  # 16 + 16 + 8 rows
    assert sum(len([b for b in c.iter("rect") if "bar" in classes(b)]) for c in charts) == 40


def test_unschedulable_plan_says_why_instead_of_a_chart():
    doc = parse(render(make_report(schedule=UNSCHEDULABLE), "html"))
    sched = by_id(doc, "schedule")
    assert not all_with(sched, "svg", cls="gantt")
    assert "phases a and b wait on each other" in text(sched)
    assert "No phase is scheduled." in text(sched)


def test_transfer_plan_names_who_takes_over_what_from_whom_and_when(doc_en):
    table = all_with(by_id(doc_en, "transfer"), "table", cls="transfers")[0]
    rows = table_rows(table)
    assert [r[:3] for r in rows] == [
        ["Run key accounts", "Ann Archer", "Carl Cole"],
        ["Keep the board dashboard", "Paul Smith", "Bob Baker"],
        ["Stock counts", "Ann Archer", "Dana Dale"],
    ]
    assert [r[6] for r in rows] == ["in progress", "planned", "done"]
    s = make_schedule().phases["sales-project"]
    assert table_dates(table)[0] == [s.start.isoformat(), s.end.isoformat()]
    summary = text(all_with(by_id(doc_en, "transfer"), "p", cls="transfer-summary")[0])
    assert summary == "1 of 3 transfers done, 1 in progress."
    assert "Successor after the handover: Bob Baker." in text(by_id(doc_en, "transfer"))


def test_dependence_map_puts_the_founder_first_and_flags_missing_backups(doc_en):
    section = by_id(doc_en, "dependence")
    rows = table_rows(all_with(section, "table", cls="dependence")[0])
    assert [r[1] for r in rows] == ["Key account sales", "Stock control", "Billing"]
    assert rows[0][0].startswith("Ann Archer") and "founder" in rows[0][0]
    assert rows[0][2] == "no backup" and rows[1][2] == "Dana Dale"
    assert [r[3] for r in rows] == ["1/4", "2/4", "3/4"]
    levels = [
        len(all_with(m, "rect", cls="cell-on")) for m in all_with(section, "svg", cls="meter")
    ]
    assert levels == [1, 2, 3]
    tiles = all_with(all_with(section, "svg", cls="dependence-map")[0], "g", cls="tile")
    assert [t.get("data-level") for t in tiles] == ["1", "2", "3"]
    assert ["no-backup" in classes(t) for t in tiles] == [True, False, False]
    assert "Ann Archer" in text(all_with(section, "svg", cls="dependence-map")[0])
    share = text(all_with(section, "p", cls="founder-share")[0])
    assert share == "The founder runs 1 of 3 critical processes with no backup (33%)."


def test_kpis_show_baseline_latest_target_and_a_trend(doc_en):
    section = by_id(doc_en, "kpis")
    rows = table_rows(all_with(section, "table", cls="kpis")[0])
    margin, nps = rows
    assert margin[0].startswith("Operating margin")
    assert margin[2:6] == ["6.5%", "7.1% measured 28 February 2027", "9%", "24%"]
    assert nps[2] == "—" and nps[3] == "—" and nps[4] == "40"
    sparks = all_with(section, "svg", cls="sparkline")
    assert len(sparks) == 1  # the NPS has no value yet: no chart, a dash
    line = all_with(sparks[0], "polyline", cls="spark")[0]
    assert len(line.get("points").split()) == 3  # baseline at the start, then two measures


def test_french_numbers_use_a_decimal_comma(doc_fr):
    rows = table_rows(all_with(by_id(doc_fr, "kpis"), "table", cls="kpis")[0])
    assert rows[0][2] == "6,5 %"  # a narrow no-break space before the sign


def test_signals_chart_has_a_dot_per_signal_and_a_bar_per_irritant(doc_en):
    section = by_id(doc_en, "signals")
    chart = all_with(section, "svg", cls="signals")[0]
    assert len(all_with(chart, "circle", cls="dot")) == 3
    assert len([b for b in chart.iter("rect") if "bar" in classes(b)]) == 2
    irritants = table_rows(all_with(section, "table", cls="irritants")[0])
    assert irritants[1][:4] == ["Quotes wait for the founder", "18 January 2027", "open", "42"]
    assert irritants[0][3] == "14"


def test_no_network_resource_and_a_policy_that_forbids_any(doc_en):
    document = render(make_report(), "html")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", document, re.IGNORECASE)
    assert not re.search(r"url\(", document, re.IGNORECASE)
    assert "@import" not in document and "<script" not in document.lower()
    metas = [m for m in doc_en.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert metas and metas[0].get("content") == CSP
    assert "default-src 'none'" in CSP


def test_a_plan_with_almost_nothing_still_renders_every_section():
    plan = make_plan('format = 1\n[mission]\nid = "bare"\nstart = 2027-01-04\n')
    schedule = Schedule(start=dt.date(2027, 1, 4), phases={})
    report = make_report(
        plan=plan, schedule=schedule, findings=(), score=Score(100, {"governance": 100})
    )
    doc = parse(render(report, "html"))
    ids = [el.get("id") for el in doc.iter() if el.get("id") in SECTIONS]
    assert ids == list(SECTIONS)
    assert "No finding: every rule in force is met." in text(by_id(doc, "findings"))
    assert "No waiver" in text(by_id(doc, "waivers"))


_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(company=_TEXT, phase=_TEXT, note=_TEXT, reason=_TEXT)
def test_any_text_in_the_plan_is_escaped_and_shown_verbatim(company, phase, note, reason):
    plan = make_plan()
    plan.company.name = company
    plan.phase[0].name = phase
    plan.signal[0].note = note
    plan.waiver[0].reason = reason
    doc = parse(render(make_report(plan=plan), "html"))  # strict: any markup leak fails
    fields = {dd.get("data-field"): dd for dd in by_id(doc, "cover").iter("dd")}
    assert text(fields["company"]) == " ".join(company.split())
    rows = table_rows(all_with(by_id(doc, "schedule"), "table", cls="phases")[0])
    assert rows[0][0] == " ".join(f"{phase} audit".split())
    notes = [r[3] for r in table_rows(all_with(by_id(doc, "signals"), "table", cls="signals")[0])]
    assert " ".join(note.split()) in notes
    waivers = table_rows(all_with(by_id(doc, "waivers"), "table", cls="waivers")[0])
    assert waivers[0][2] == " ".join(reason.split())


def test_signals_and_irritants_are_shown_as_they_stood_on_the_as_of_date():
    plan = make_plan()
    plan.irritant[1].closed = AS_OF + dt.timedelta(days=3)  # closed after the report date
    later = plan.signal[0].model_copy(
        update={"on": AS_OF + dt.timedelta(days=1), "note": "Logged after the report date"}
    )
    opened_later = plan.irritant[0].model_copy(
        update={
            "id": "later",
            "title": "Opened after the report date",
            "opened": AS_OF + dt.timedelta(days=2),
            "closed": None,
        }
    )
    plan = plan.model_copy(
        update={"signal": [*plan.signal, later], "irritant": [*plan.irritant, opened_later]}
    )
    doc = parse(render(make_report(plan=plan), "html"))
    section = by_id(doc, "signals")
    assert "Logged after the report date" not in text(section)
    assert "Opened after the report date" not in text(section)
    irritants = table_rows(all_with(section, "table", cls="irritants")[0])
    assert irritants[1][:4] == ["Quotes wait for the founder", "18 January 2027", "open", "42"]
    chart = all_with(section, "svg", cls="signals")[0]
    assert len(all_with(chart, "circle", cls="dot")) == 3


def test_calendar_hint_quotes_a_plan_name_with_spaces():
    report = dataclasses.replace(make_report(), plan_name="plan de Marc.toml")
    ics = all_with(by_id(parse(render(report, "html")), "schedule"), "p", cls="ics")[0]
    assert "releve schedule 'plan de Marc.toml' --format ics > 'plan de Marc.ics'" in text(ics)
    assert ics.find("a").get("href") == "plan%20de%20Marc.ics"
    markdown = render(report, "markdown")
    assert "[plan de Marc.ics](plan%20de%20Marc.ics)" in markdown


def test_a_long_dependence_map_is_cut_into_printable_parts():
    plan = make_plan()
    base = plan.process[0]
    many = [
        base.model_copy(
            update={"id": f"p{i}", "name": f"Process {i}", "owner": ("ann", "bob", "carl")[i % 3]}
        )
        for i in range(90)
    ]
    doc = parse(render(make_report(plan=plan.model_copy(update={"process": many})), "html"))
    maps = all_with(by_id(doc, "dependence"), "svg", cls="dependence-map")
    assert len(maps) > 1
    tiles = [all_with(m, "g", cls="tile") for m in maps]
    assert sum(len(t) for t in tiles) == 90
    for part in tiles:
        lines = {t.find("rect").get("y") for t in part}
        assert len(lines) <= 16
