"""`releve report` end to end on the sample missions, through the real loader, planner and rules."""

from __future__ import annotations

import subprocess
import sys

import pytest
from report_dom import all_with, by_id, parse, table_dates, text
from support import AS_OF, ROOT, SAMPLES, sample_paths

from releve.planner.store import load
from releve.rules.pipeline import check_plan
from releve.tui.cli import main

SAMPLE = SAMPLES / "atelier-durand.toml"


def report(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_html_report_of_the_sample_states_the_check_results(tmp_path, capsys):
    out_file = tmp_path / "r.html"
    code, out, err = report(capsys, str(SAMPLE), "--as-of", AS_OF.isoformat(), "-o", str(out_file))
    assert code == 0 and out == ""
    assert err.strip() == f"releve report: wrote {out_file}"
    doc = parse(out_file.read_text(encoding="utf-8"))
    pf = load(SAMPLE)
    result = check_plan(pf.plan, as_of=AS_OF, path=str(SAMPLE), text=pf.text)
    assert doc.get("lang") == "fr"
    gauge = all_with(by_id(doc, "cover"), "figure", cls="gauge")[0]
    assert gauge.get("data-score") == str(result.score.overall)
    articles = list(by_id(doc, "findings").iter("article"))
    assert sorted((a.get("data-rule"), a.get("data-target")) for a in articles) == sorted(
        (f.rule, f.target) for f in result.findings
    )
    waived = [a.get("data-rule") for a in articles if "waived" in a.get("class", "")]
    assert waived == [f.rule for f in result.findings if f.waived]
    # "why it matters" comes from the rule packs, in the plan's language
    ext001 = next(a for a in articles if a.get("data-rule") == "EXT001")
    assert all_with(ext001, "dd", cls="why") and "dirigeant" in text(ext001)
    dates = table_dates(all_with(by_id(doc, "schedule"), "table", cls="phases")[0])
    assert dates == [
        [s.start.isoformat(), s.end.isoformat()] for s in result.schedule.phases.values()
    ]
    off = text(all_with(by_id(doc, "schedule"), "table", cls="nonworking")[0])
    assert "Congés de printemps" in off and "Lundi de Pâques" in off  # leave and holidays


def test_html_goes_beside_the_current_folder_by_default(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = report(capsys, str(SAMPLE), "--as-of", "2027-03-01")
    assert code == 0
    assert (tmp_path / "atelier-durand-report.html").is_file()
    assert "atelier-durand-report.html" in err


def test_markdown_goes_to_standard_output_in_the_requested_language(capsys):
    code, out, _ = report(
        capsys, str(SAMPLE), "--as-of", "2027-03-01", "--format", "markdown", "--lang", "en"
    )
    assert code == 0
    assert out.startswith("# Readiness report — Atelier Durand SAS\n")
    assert "## Founder-dependence map" in out and "```mermaid\ngantt" in out


def test_lang_option_overrides_the_plan_language(tmp_path, capsys):
    out_file = tmp_path / "r.html"
    assert (
        report(capsys, str(SAMPLE), "--as-of", "2027-03-01", "--lang", "en", "-o", str(out_file))[0]
        == 0
    )
    doc = parse(out_file.read_text(encoding="utf-8"))
    assert doc.get("lang") == "en"
    assert text(by_id(doc, "kpis").find("h2")) == "Indicators"


def test_unreadable_plan_is_one_located_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\n[mission]\nid = "x"\nstart = "soon"\n', encoding="utf-8")
    code, out, err = report(
        capsys, str(bad), "--as-of", "2027-03-01", "-o", str(tmp_path / "r.html")
    )
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}:4:")
    assert "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_missing_plan_and_missing_pack_exit_2(tmp_path, capsys):
    assert report(capsys, str(tmp_path / "nope.toml"), "--as-of", "2027-03-01")[0] == 2
    code, _, err = report(
        capsys,
        str(SAMPLE),
        "--as-of",
        "2027-03-01",
        "--pack",
        str(tmp_path / "nope-pack.toml"),
        "-o",
        str(tmp_path / "r.html"),
    )
    assert code == 2 and "nope-pack.toml" in err


def test_wrong_date_is_a_command_line_error(capsys):
    code, _, err = report(capsys, str(SAMPLE), "--as-of", "01/03/2027")
    assert code == 2 and "YYYY-MM-DD" in err


def test_report_command_does_not_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"rc = main(['report', {str(SAMPLE)!r}, '--as-of', '2027-03-01', '-o', "
        f"{str(tmp_path / 'r.html')!r}])\n"
        "print(rc, 'textual' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.stdout.split() == ["0", "False"], done.stderr


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
def test_every_sample_gives_a_valid_report_in_both_formats(path, tmp_path, capsys):
    html_file, md_file = tmp_path / "r.html", tmp_path / "r.md"
    assert report(capsys, str(path), "--as-of", "2027-03-01", "-o", str(html_file))[0] == 0
    assert (
        report(
            capsys, str(path), "--as-of", "2027-03-01", "--format", "markdown", "-o", str(md_file)
        )[0]
        == 0
    )
    doc = parse(html_file.read_text(encoding="utf-8"))
    markdown = md_file.read_text(encoding="utf-8")
    phases = table_dates(all_with(by_id(doc, "schedule"), "table", cls="phases")[0])
    for start, end in (row for row in phases if row):
        assert f"| {start} | {end} |" in markdown
    company = text(
        next(dd for dd in by_id(doc, "cover").iter("dd") if dd.get("data-field") == "company")
    )
    assert company in markdown.splitlines()[0]


@pytest.mark.parametrize(
    ("lang", "title", "unknown"),
    [
        ("en", "A KPI is off its path", "6 without data"),
        ("fr", "Un indicateur s'écarte de sa trajectoire", "6 sans donnée"),
    ],
)
def test_a_cost_for_want_of_evidence_reads_as_the_rule_and_the_missing_data(
    tmp_path, capsys, lang, title, unknown
):
    """Durand's IND001 has no finding of its own: it costs for its six unmeasured KPIs. The
    cost table names it by its title in the plan's language (not its slug) and says what
    is missing, in the buyer's words."""
    out = tmp_path / "report.md"
    code, _, err = report(
        capsys,
        str(SAMPLES / "atelier-durand.toml"),
        "--as-of",
        str(AS_OF),
        "--format",
        "markdown",
        "--lang",
        lang,
        "-o",
        str(out),
    )
    assert code == 0, err
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if "`IND001`" in line]
    cost_row = next(r for r in rows if r.startswith("|") and "×" in r)
    assert title in cost_row
    assert f"(0 {'of' if lang == 'en' else 'sur'} 7, {unknown})" in cost_row
    assert "kpi-off-path" not in cost_row
