"""The Markdown readiness report: parsed back, it states the same facts as the HTML one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from report_dom import all_with, by_id, parse, table_dates, table_rows
from report_fixtures import FINDINGS, make_plan, make_report, make_schedule

from releve.tui.report import render
from releve.tui.report.markdown import bar, code, md, sparkline


@dataclass
class Section:
    level: int
    title: str
    tables: list[list[list[str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    fences: list[tuple[str, str]] = field(default_factory=list)


def read_markdown(source: str) -> list[Section]:
    """Headings in order, each with the tables, paragraphs/list items and fences under it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    sections = [Section(0, "")]
    i = 0
    table: list[list[str]] | None = None
    row: list[str] | None = None
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            sections.append(Section(int(tok.tag[1]), tokens[i + 1].content))
            i += 3
            continue
        if tok.type == "table_open":
            table = []
        elif tok.type == "table_close":
            sections[-1].tables.append(table)
            table = None
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            table.append(row)
        elif (
            tok.type == "inline"
            and row is not None
            and table is not None
            and tokens[i - 1].type in ("td_open", "th_open")
        ):
            row.append(plain(tok))
        elif tok.type == "inline":
            sections[-1].text.append(plain(tok))
        elif tok.type == "fence":
            sections[-1].fences.append((tok.info, tok.content))
        if tok.type == "tr_close":
            row = None
        i += 1
    return sections


def plain(inline) -> str:
    """The text of an inline token as a reader sees it (markup dropped, code kept)."""
    out = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out).strip()


def section(sections: list[Section], title: str) -> Section:
    found = [s for s in sections if s.title == title]
    assert len(found) == 1, f"{title!r}: {[s.title for s in sections]}"
    return found[0]


@pytest.fixture(scope="module")
def md_en():
    return read_markdown(render(make_report("en"), "markdown"))


@pytest.fixture(scope="module")
def html_en():
    return parse(render(make_report("en"), "html"))


def test_headings_follow_the_html_sections(md_en):
    titles = [(s.level, s.title) for s in md_en[1:] if s.level <= 2]
    assert titles == [
        (1, "Readiness report — Demo Ltd"),
        (2, "Readiness score"),
        (2, "Findings by pillar"),
        (2, "Waivers"),
        (2, "Schedule"),
        (2, "Knowledge-transfer plan"),
        (2, "Founder-dependence map"),
        (2, "Indicators"),
        (2, "Weak signals and irritants"),
        (2, "What ran"),
    ]


def test_french_headings_when_the_report_is_french():
    sections = read_markdown(render(make_report("fr"), "markdown"))
    assert [s.title for s in sections if s.level == 2][:3] == [
        "Score de préparation",
        "Constats par pilier",
        "Dérogations",
    ]


def test_cover_table_carries_the_plan_values(md_en):
    cover = dict(tuple(r) for r in md_en[1].tables[0][1:])
    assert cover["Company"] == "Demo Ltd"
    assert cover["Outsourced COO"] == "Paul Smith" and cover["Firm"] == "Relay Partners"
    assert cover["As of"] == "2027-03-01" and cover["Target date"] == "2027-06-30"
    assert cover["Rule packs in force"] == "default, relay-partners"
    assert "Readiness score: 71 / 100" in " ".join(md_en[1].text)


def test_pillar_scores_and_lost_points_match_the_html(md_en, html_en):
    readiness, framing = section(md_en, "Readiness score").tables
    assert readiness[0][0] == "Readiness by pillar" and framing[0][0] == "Framing by pillar"
    pillars = {r[0]: r[1] for r in readiness[1:] + framing[1:]}
    assert pillars["Governance"] == "80" and pillars["Team"] == "—"
    assert "Governance" not in {r[0] for r in readiness}
    bars = {
        b.get("data-pillar-score")
        for b in all_with(by_id(html_en, "score"), "rect", cls="pillar-bar")
    }
    assert {v for v in pillars.values() if v != "—"} == bars
    md_costs = section(md_en, "Readiness: where the points are lost").tables[0][1:]
    html_costs = table_rows(all_with(by_id(html_en, "score"), "table", cls="costs")[0])
    assert [r[2:4] for r in md_costs] == [r[2:4] for r in html_costs]
    assert [r[0].split()[0] for r in md_costs[:-1]] == ["EXT001", "SIG001"]
    framing_costs = section(md_en, "Framing: where the points are lost").tables[0][1:]
    assert [r[0].split()[0] for r in framing_costs] == ["GOV003", "Total"]
    assert "100 − 29 = 71." in section(md_en, "Readiness: where the points are lost").text


def test_markdown_cover_names_band_cap_framing_and_without_waivers():
    from report_fixtures import CAPPED

    cover = " ".join(read_markdown(render(make_report("en", score=CAPPED), "markdown"))[1].text)
    assert (
        '🟠 Readiness score: 79 / 100 (to secure, capped by EXT001 "The company depends too '
        'much on its founder") · Framing 100/100'
    ) in cover
    cover = " ".join(read_markdown(render(make_report("fr"), "markdown"))[1].text)
    assert "Score de préparation\xa0: 71 / 100 (à sécuriser) · sans dérogations 65" in cover
    assert "Cadrage 90/100" in cover
    costs = read_markdown(render(make_report("en", score=CAPPED), "markdown"))
    rows = section(costs, "Readiness: where the points are lost").tables[0][1:]
    assert [r[3] for r in rows] == ["−14.4", "−14.4", "−6.6", "−21"]
    assert rows[2][0].startswith('Cap: EXT001 "The company')


def test_markdown_kpis_have_the_rules_status():
    from report_fixtures import make_result

    kpis = [k.id for k in make_result().plan.kpi]
    track = {kpis[0]: "off_track"}
    doc = read_markdown(render(make_report("fr", kpi_track=track), "markdown"))
    rows = section(doc, "Indicateurs").tables[0]
    assert rows[0][-1] == "Statut"
    assert [r[-1] for r in rows[1:]] == ["en retard"] + ["inconnu"] * (len(kpis) - 1)


def test_every_finding_is_listed_under_its_pillar(md_en):
    for f in FINDINGS:
        pillar = {
            "founder_dependence": "Founder dependence",
            "governance": "Governance",
            "documentation": "Documentation",
            "indicators": "Indicators",
        }[f.pillar]
        sec = next(s for s in md_en if s.title.startswith(pillar + " — "))
        body = " ".join(sec.text)
        assert f.rule in body and f.message in body and f.fix in body
    doc = next(s for s in md_en if s.title.startswith("Documentation — "))
    assert "Waived by Paul Smith until 2027-06-30" in " ".join(doc.text)


def test_waivers_table_matches_the_html(md_en, html_en):
    md_rows = section(md_en, "Waivers").tables[0][1:]
    html_rows = table_rows(all_with(by_id(html_en, "waivers"), "table", cls="waivers")[0])
    assert [r[:4] + r[5:] for r in md_rows] == [r[:4] + r[5:] for r in html_rows]
    assert [r[4] for r in md_rows] == ["2027-06-30", "2027-02-01", "—"]


def test_schedule_table_and_mermaid_gantt_carry_the_dates(md_en, html_en):
    sec = section(md_en, "Schedule")
    rows = sec.tables[0][1:]
    html_dates = table_dates(all_with(by_id(html_en, "schedule"), "table", cls="phases")[0])
    assert [[r[2], r[3]] for r in rows] == html_dates
    info, gantt = sec.fences[0]
    assert info == "mermaid" and gantt.startswith("gantt\n")
    schedule = make_schedule()
    for n, (pid, s) in enumerate(schedule.phases.items(), 1):
        name = make_plan().phase_by_id(pid).name
        length = (s.end - s.start).days + 1 if s.effort_days else 0
        line = next(x for x in gantt.splitlines() if x.strip().startswith(name + " :"))
        tags = [t.strip() for t in line.split(":", 1)[1].split(",")]
        assert tags[-2:] == [s.start.isoformat(), f"{length}d"]
        assert ("crit" in tags) == s.critical and f"p{n}" in tags
    assert "Target date :milestone, crit, target, 2027-06-30, 0d" in gantt
    assert "Ski week :done" in gantt and "Spring closure :done" in gantt
    assert (
        "To put the milestones in a calendar: releve schedule demo.toml --format ics > "
        "demo.ics (the file demo.ics beside this report)." in " ".join(sec.text)
    )
    assert (
        "Critical path: Flash audit → Diagnostic → Sales without the founder → Handover."
        in " ".join(sec.text)
    )


def test_transfer_dependence_kpi_and_irritant_tables_match_the_html(md_en, html_en):
    pairs = [
        ("Knowledge-transfer plan", "transfer", "transfers", [0, 1, 2, 3, 5, 6]),
        ("Founder-dependence map", "dependence", "dependence", [0, 1, 2, 4]),
        ("Irritants", "signals", "irritants", [0, 3, 4]),
    ]
    for title, sid, cls, cols in pairs:
        md_rows = section(md_en, title).tables[-1][1:]
        html_rows = table_rows(all_with(by_id(html_en, sid), "table", cls=cls)[0])
        assert [[r[c] for c in cols] for r in md_rows] == [
            [r[c] for c in cols] for r in html_rows
        ], title
    kpis = section(md_en, "Indicators").tables[0][1:]
    assert kpis[0][:6] == [
        "Operating margin",
        "operating margin",
        "6.5%",
        "7.1% (2027-02-28)",
        "9%",
        "24%",
    ]
    assert kpis[0][6] == "▂▁█ ↑ 9"  # 6.5 → 6.4 → 7.1 (blocks 1, 0, 7 of 0..7), the target
    assert kpis[1][6] == "—"


def test_signals_by_month_count_levels_and_open_irritants(md_en):
    rows = section(md_en, "Signals and open irritants by month").tables[0][1:]
    assert [r[:5] for r in rows] == [
        ["2027-01", "1", "0", "0", "2"],
        ["2027-02", "0", "1", "1", "1"],
        ["2027-03", "0", "0", "0", "1"],
    ]


_CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)


@given(_CELL)
def test_any_text_survives_a_table_cell(value):
    source = f"| a |\n|---|\n| {md(value) or ' '} |\n"
    tables = read_markdown(source)[0].tables
    assert tables[0][1] == [" ".join(value.split())]


@given(_CELL.filter(lambda s: s.strip()))
def test_any_text_survives_a_code_span(value):
    source = f"x {code(value)} y\n"
    text = read_markdown(source)[0].text[0]
    assert re.sub(r"\s+", " ", text) == re.sub(r"\s+", " ", f"x {' '.join(value.split())} y")


@given(st.integers(0, 100))
def test_bar_is_proportional_to_the_score(score):
    drawn = bar(score)
    assert len(drawn) == 20 and drawn.count("█") == round(score / 5)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30))
def test_sparkline_keeps_the_order_of_values(values):
    line = sparkline(values)
    assert len(line) == len(values)
    blocks = "▁▂▃▄▅▆▇█"
    lo, hi = min(values), max(values)
    if hi > lo:
        assert blocks.index(line[values.index(lo)]) == 0
        assert blocks.index(line[values.index(hi)]) == 7


def test_what_ran_and_the_provenance_are_in_both_formats():
    import html as html_lib
    import json
    import re

    report = make_report("en")
    md_text = render(report, "markdown")
    html_text = render(report, "html")
    assert "## What ran" in md_text and 'id="provenance"' in html_text
    m = re.search(r"<!-- releve-provenance (\{.*?\}) -->", md_text)
    h = re.search(r'<meta name="releve-provenance" content="([^"]*)">', html_text)
    assert m and h
    assert json.loads(m.group(1)) == json.loads(html_lib.unescape(h.group(1)))
    data = json.loads(m.group(1))
    assert data["as_of"] == report.as_of.isoformat() and data["view"] == "full"
    assert data["score"]["overall"] == report.result.score.overall
