"""`releve report --since DATE|REV`: the trend and "what changed since" section, its figures
against `releve history` and `releve diff`, in Markdown and HTML (strict parse)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo, need_git

from releve.tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "report"))
from report_dom import all_with, by_id, parse  # noqa: E402

SAMPLE = (ROOT / "sample_missions" / "atelier-durand.toml").read_text(encoding="utf-8")
AS_OF = "2027-04-01"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def plan(tmp_path, monkeypatch) -> tuple[Path, list[str]]:
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("plan.toml", SAMPLE)
    shas = [r.commit("signed", "2027-01-10")]
    i = SAMPLE.index('id = "quoting"')
    j = SAMPLE.index("documentation = 1", i)
    text = SAMPLE[:j] + "documentation = 3" + SAMPLE[j + len("documentation = 1") :]
    # documented and backed up: EXT001 (the founder blocker capping readiness) resolved too
    text = text.replace(
        'backup = ""                 # les coefficients',
        'backup = "karim"\nbackup_trained = true  # les coefficients',
        1,
    )
    r.write("plan.toml", text)
    shas.append(r.commit("quoting documented", "2027-02-10"))
    r.write("plan.toml", text.replace('id = "nathalie"\n', 'id = "nathalie"\nbackup = "lea"\n'))
    shas.append(r.commit("backup for Nathalie", "2027-03-10"))
    return r.root / "plan.toml", shas


def test_markdown_section_after_the_score(capsys, plan):
    path, shas = plan
    code, md, err = run(
        capsys,
        "report",
        str(path),
        "--since",
        "2027-02-01",
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
        "--lang",
        "en",
    )
    assert code == 0, err
    since = md.index("## Since 2027-02-01")
    assert md.index("## Readiness score") < since < md.index("## Findings by pillar")
    section = md[since : md.index("## Findings by pillar")]
    code, out, _ = run(
        capsys, "history", str(path), "--since", "2027-02-01", "--format", "json", "--lang", "en"
    )
    h = json.loads(out)
    rows = [line for line in section.splitlines() if line.startswith("| 2027-")]
    # The version in force on the date, then every version since.
    assert [row.split(" | ")[1] for row in rows] == [s[:7] for s in shas]
    assert [int(row.split(" | ")[2]) for row in rows[1:]] == [v["readiness"] for v in h["versions"]]
    assert "EXT003 resolved on Process Chiffrage et devis" in section
    # What changed: the version of 2027-02-01 (the first commit) against now, as of AS_OF.
    code, out, _ = run(
        capsys,
        "diff",
        str(path),
        "--rev",
        shas[0],
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--lang",
        "en",
    )
    d = json.loads(out)
    assert (
        f"| **Readiness** | **{d['old']['readiness']}** | **{d['new']['readiness']}** |" in section
    )
    resolved = section[section.index("**Findings resolved**") :]
    for f in (x for x in d["findings"] if x["change"] == "resolved"):
        assert f"`{f['rule']}` {f['label']}" in resolved


def test_html_section_with_the_trend_chart(capsys, plan, tmp_path):
    path, shas = plan
    out = tmp_path / "report.html"
    code, _, err = run(
        capsys, "report", str(path), "--since", shas[1][:7], "--as-of", AS_OF, "-o", str(out)
    )
    assert code == 0, err
    root = parse(out.read_text(encoding="utf-8"))
    section = by_id(root, "since")
    charts = all_with(section, "svg", cls="trend")
    assert len(charts) == 1
    dots = all_with(charts[0], "circle", cls="readiness")
    assert len(dots) == 2  # the revision's version and the one after it
    assert all_with(section, "ul", cls="since-resolved")


def test_since_needs_git(capsys, tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(SAMPLE, encoding="utf-8")
    code, out, err = run(capsys, "report", str(plan), "--since", "2027-01-01", "-o", "-")
    assert code == 2 and out == "" and err.count("\n") == 1 and "not in a git repository" in err


def test_since_unknown_revision(capsys, plan):
    path, _ = plan
    code, out, err = run(capsys, "report", str(path), "--since", "nope", "-o", "-")
    assert code == 2 and out == "" and err.count("\n") == 1 and "no such revision 'nope'" in err


TREND_PROBE = """<script>
window.addEventListener("load", function () {
  var s = document.querySelector("#since svg.trend"), r = s.getBoundingClientRect(), b = s.getBBox();
  var out = {w: r.width, h: r.height, bw: b.width, bh: b.height,
             dots: s.querySelectorAll("circle.dot.readiness").length,
             lines: s.querySelectorAll("polyline.trend-line").length,
             resources: performance.getEntriesByType("resource").map(function (e) { return e.name; })};
  var pre = document.createElement("pre"); pre.id = "probe";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


@pytest.mark.browser
def test_trend_chart_is_drawn_in_chromium(capsys, plan, tmp_path):
    import html
    import re
    import subprocess

    from support import need_tool

    exe = need_tool("chromium")
    path, shas = plan
    out = tmp_path / "report.html"
    assert (
        main(["report", str(path), "--since", "2027-01-01", "--as-of", AS_OF, "-o", str(out)]) == 0
    )
    capsys.readouterr()
    doc = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", out.read_text(encoding="utf-8")
    )
    probed = tmp_path / "probed.html"
    probed.write_text(doc.replace("</body>", TREND_PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=794,1123",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout.decode("utf-8"), re.DOTALL)
    assert found, done.stderr.decode()[-500:]
    seen = json.loads(html.unescape(found.group(1)))
    assert seen["resources"] == []
    assert seen["w"] > 300 and seen["h"] > 80 and seen["bw"] > 0 and seen["bh"] > 0
    assert seen["dots"] == len(shas) and seen["lines"] >= 1


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_verify_leaves_the_since_section_out_and_says_so(capsys, plan, tmp_path, fmt):
    """The "Since" section is read from git: `releve verify` cannot recompute it from the
    plan, so an untouched report with it is the same score, said not verified; an edit to
    the rest of the page is still found."""
    path, _ = plan
    report = tmp_path / f"report.{'md' if fmt == 'markdown' else 'html'}"
    code, _, err = run(
        capsys, "report", str(path), "--since", "2027-02-01", "--as-of", AS_OF,
        "--format", fmt, "--lang", "en", "-o", str(report),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "verify", str(report), str(path))
    assert code == 0, out + err
    assert out.startswith("same score: readiness ")
    assert "not verified: the \u201cSince\u201d section" in out
    text = report.read_text(encoding="utf-8")
    marker = "Since 2027-02-01"
    assert marker in text
    # An edit after the section (the findings) is found.
    at = text.index(marker)
    end = text.index("/ 100", text.index("Findings by pillar", at))
    score = text[end - 4 : end].strip().split()[-1]
    edited = text[: end - 4] + text[end - 4 : end].replace(score, "12") + text[end:]
    report.write_text(edited, encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(report), str(path))
    assert code == 1 and "12 / 100" in out, out
