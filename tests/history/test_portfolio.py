"""`releve portfolio`: the samples plus a broken plan and a COO booked twice; each row's
figures against `releve check`; risk order, filters, formats; the trend from git."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from gitrepo import GitRepo, need_git

from releve.tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_missions"
AS_OF = "2027-03-01"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))


def double_booked(text: str) -> str:
    """A second mission for Claire Martin on Mondays, while Durand runs."""
    text = text.replace('id = "atelier-durand-2027"', 'id = "menuiserie-bis-2027"', 1)
    text = text.replace('name = "Atelier Durand SAS"', 'name = "Menuiserie Bis"', 1)
    return text.replace('workdays = ["mon", "tue"]', 'workdays = ["mon", "thu"]', 1)


@pytest.fixture
def folder(tmp_path) -> Path:
    """The four samples, a broken plan, a rule pack (not a plan), and a double booking."""
    d = tmp_path / "missions"
    shutil.copytree(SAMPLES, d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (d / "broken.toml").write_text(
        'format = 1\n[mission]\nid = "broken"\nstart = 2027-13-01\n', encoding="utf-8"
    )
    (d / "packs").mkdir()
    (d / "packs" / "firm.toml").write_text(
        '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\n', encoding="utf-8"
    )
    durand = (d / "atelier-durand.toml").read_text(encoding="utf-8")
    (d / "nested").mkdir()
    (d / "nested" / "bis.toml").write_text(double_booked(durand), encoding="utf-8")
    return d


def portfolio_json(capsys, *args: str) -> dict:
    code, out, err = run(capsys, "portfolio", *args, "--format", "json", "--as-of", AS_OF)
    assert code == 0, err
    return json.loads(out)


def test_rows_match_check_and_are_sorted_by_risk(capsys, folder):
    p = portfolio_json(capsys, str(folder), "--lang", "en")
    missions = p["missions"]
    paths = [Path(m["path"]).name for m in missions]
    assert sorted(paths) == sorted(
        [
            "atelier-durand.toml",
            "cabinet-vega.toml",
            "northwind-distribution.toml",
            "transports-mercier.toml",
            "broken.toml",
            "bis.toml",
        ]
    )  # the pack is not a plan
    assert p["total"] == 6
    # The broken plan is a row, first (its risk is unknown), with its one-line error.
    assert paths[0] == "broken.toml"
    assert missions[0]["error"].startswith(str(folder / "broken.toml") + ":4:")
    for m in missions[1:]:
        code, out, _ = run(
            capsys, "check", m["path"], "--format", "json", "--as-of", AS_OF, "--fail-on", "never"
        )
        want = json.loads(out)["plans"][0]
        assert m["readiness"] == want["score"]["overall"]
        assert m["framing"] == want["score"].get("framing")
        assert m["counts"] == want["counts"]
        assert m["mission"] == want["mission"]
    # Risk: not handed over before handed over, errors first, then later ends, lower scores.
    readable = missions[1:]
    assert readable[-1]["status"] == "handed_over"
    with_errors = [m["counts"]["error"] > 0 for m in readable if m["status"] != "handed_over"]
    assert with_errors == sorted(with_errors, reverse=True)
    mercier = next(m for m in readable if m["path"].endswith("transports-mercier.toml"))
    assert mercier["late_days"] > 0 and readable[0] is mercier
    assert mercier["company"] == "Transports Mercier SARL" and mercier["coo"] == "Claire Martin"
    assert mercier["days_contracted"] == 50
    assert mercier["next_deadline"]["date"] >= AS_OF


def test_a_coo_booked_twice_is_a_finding(capsys, folder):
    p = portfolio_json(capsys, str(folder), "--lang", "en")
    assert len(p["findings"]) == 1
    f = p["findings"][0]
    assert f["rule"] == "PFL001" and f["coo"] == "Claire Martin"
    assert f["weekdays"] == ["mon"]
    assert {Path(x).name for x in f["paths"]} == {"atelier-durand.toml", "bis.toml"}
    assert f["message"].startswith("Claire Martin is booked on Monday by both ")
    assert "Menuiserie Bis" in f["message"] and "Atelier Durand SAS" in f["message"]
    # Mercier has the same COO on Wednesdays only: no finding with Durand or Bis.
    assert not any("Mercier" in x["message"] for x in p["findings"])


def test_email_tells_two_coos_apart_or_together(capsys, tmp_path):
    durand = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(
        durand.replace(
            'name = "Claire Martin"\n', 'name = "Claire Martin"\nemail = "claire@relais.fr"\n', 1
        ),
        encoding="utf-8",
    )
    b.write_text(
        double_booked(durand).replace(
            'name = "Claire Martin"\n', 'name = "Claire Martin"\nemail = "c.martin@autre.fr"\n', 1
        ),
        encoding="utf-8",
    )
    assert portfolio_json(capsys, str(a), str(b))["findings"] == []  # two people
    b.write_text(
        double_booked(durand).replace(
            'name = "Claire Martin"\n', 'name = "C. Martin"\nemail = "Claire@Relais.fr"\n', 1
        ),
        encoding="utf-8",
    )
    assert len(portfolio_json(capsys, str(a), str(b))["findings"]) == 1  # one person


def test_filters(capsys, folder):
    p = portfolio_json(capsys, str(folder), "--status", "running")
    ok = [m for m in p["missions"] if "error" not in m]
    assert ok and {m["status"] for m in ok} == {"running"}
    assert any("error" in m for m in p["missions"])  # unreadable plans are always kept
    p = portfolio_json(capsys, str(folder), "--below", "80")
    ok = [m for m in p["missions"] if "error" not in m]
    assert ok and all(m["readiness"] < 80 for m in ok)
    every = [m for m in portfolio_json(capsys, str(folder))["missions"] if "error" not in m]
    assert len(ok) < len(every)  # the ready missions are filtered out
    assert p["total"] == 6
    code, _, err = run(capsys, "portfolio", str(folder), "--below", "120")
    assert code == 2 and err.count("\n") == 1


def test_text_csv_markdown(capsys, folder):
    full = portfolio_json(capsys, str(folder), "--lang", "en")
    code, out, _ = run(capsys, "portfolio", str(folder), "--as-of", AS_OF, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Portfolio: 6 missions as of 2027-03-01"
    body = [line for line in lines[3:9]]
    names = [m.get("company") or m["path"] for m in full["missions"]]
    for line, name in zip(body, names, strict=True):
        assert line.startswith(name)
    assert "handed_over" not in out and "Handed over" in out  # labels, not values
    assert "PFL001 coo-double-booked: Claire Martin is booked on Monday" in out
    code, out, _ = run(capsys, "portfolio", str(folder), "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["path"] for r in rows] == [m["path"] for m in full["missions"]]
    assert rows[0]["problem"] and not rows[1]["problem"]
    assert [r["readiness"] for r in rows[1:]] == [str(m["readiness"]) for m in full["missions"][1:]]
    code, out, _ = run(capsys, "portfolio", str(folder), "--as-of", AS_OF, "--format", "markdown")
    assert sum(1 for line in out.splitlines() if line.startswith("| ") and "---" not in line) == 7


def test_no_plan_found(capsys, tmp_path):
    code, out, err = run(capsys, "portfolio", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1


def test_trend_from_git(capsys, tmp_path):
    need_git()
    r = GitRepo(tmp_path / "repo")
    text = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
    r.write("plan.toml", text)
    r.commit("signed", "2026-10-01")  # before the 90 days
    i = text.index('id = "quoting"')
    j = text.index("documentation = 1", i)
    text = text[:j] + "documentation = 3" + text[j + len("documentation = 1") :]
    # quoting documented and backed up: the founder no longer runs a third of the critical
    # processes (EXT001, the blocker that capped readiness, is resolved)
    r.write(
        "plan.toml",
        text.replace(
            'backup = ""                 # les coefficients',
            'backup = "karim"\nbackup_trained = true  # les coefficients',
            1,
        ),
    )
    r.commit("quoting documented", "2027-02-01")
    code, out, err = run(capsys, "history", str(r.root / "plan.toml"), "--format", "json")
    h = json.loads(out)
    p = portfolio_json(capsys, str(r.root))
    m = p["missions"][0]
    then = h["versions"][0]["readiness"]
    assert m["trend"] == m["readiness"] - then and m["trend"] > 0
    assert [pt["date"] for pt in m["trend_points"]] == ["2026-12-01", "2027-02-01", AS_OF]
    p = portfolio_json(capsys, str(r.root), "--no-trend")
    assert p["missions"][0]["trend"] is None


def test_not_assessed_scores_are_dashes_not_crashes(capsys, tmp_path):
    """A pack that gives every rule weight 0: no score (not assessed) in portfolio, history
    and diff; each shows a dash, none stops."""
    from releve.rules.packs import load_pack_set

    codes = [r.code for r in load_pack_set().rules]
    pack = tmp_path / "zero.toml"
    pack.write_text(
        '[pack]\nid = "zero"\nname = "Zero"\nversion = "1"\n'
        + "".join(f"\n[rules.{c}]\nweight = 0\n" for c in codes),
        encoding="utf-8",
    )
    plan = tmp_path / "plan.toml"
    shutil.copy(SAMPLES / "atelier-durand.toml", plan)
    p = portfolio_json(capsys, str(plan), "--pack", str(pack))
    assert p["missions"][0]["readiness"] is None and "error" not in p["missions"][0]
    code, out, _ = run(
        capsys,
        "portfolio",
        str(plan),
        "--pack",
        str(pack),
        "--as-of",
        AS_OF,
        "--format",
        "html",
        "-o",
        "-",
    )
    assert code == 0 and "<html" in out
    code, out, _ = run(
        capsys, "diff", str(plan), str(plan), "--pack", str(pack), "--as-of", AS_OF, "--lang", "en"
    )
    assert code == 0 and "Readiness — → — (—)" in out
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("plan.toml", plan.read_text(encoding="utf-8"))
    r.commit("one", "2027-01-10")
    code, out, err = run(
        capsys, "history", str(r.root / "plan.toml"), "--pack", str(pack), "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["versions"][0]["readiness"] is None
