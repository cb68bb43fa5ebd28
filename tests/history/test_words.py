"""History, diff and portfolio speak the user's words (issue 13): bands by their label,
a waiver by what it waives, a plan called a plan, a folder called a folder, each cause of a
move with its sign, columns that line up, one mission in the singular."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gitrepo import GitRepo, need_git

from releve.planner.store import load
from releve.tui.cli import main
from releve.tui.history.labels import band_label, target_label

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_missions"
DURAND = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
VEGA = (SAMPLES / "cabinet-vega.toml").read_text(encoding="utf-8")
AS_OF = "2027-03-01"
BAND_IDS = ("not_ready", "to_secure", "ready", "not_assessed")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))


def test_bands_are_words_in_both_languages():
    en = [band_label("en", b) for b in BAND_IDS]
    fr = [band_label("fr", b) for b in BAND_IDS]
    assert en == ["not ready", "to secure", "ready", "not assessed"]
    assert all("_" not in w for w in fr) and fr[1] == "à sécuriser"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_portfolio_shows_bands_by_their_label(capsys, tmp_path, lang, fmt):
    (tmp_path / "durand.toml").write_text(DURAND, encoding="utf-8")
    (tmp_path / "vega.toml").write_text(VEGA, encoding="utf-8")
    code, out, err = run(
        capsys, "portfolio", str(tmp_path), "--as-of", AS_OF, "--no-trend", "--lang", lang,
        "--format", fmt,
    )  # fmt: skip
    assert code == 0, err
    visible = re.sub(r"<[^>]*>", " ", out) if fmt == "html" else out
    assert not any(b in visible for b in BAND_IDS if "_" in b), visible
    code, data, _ = run(
        capsys, "portfolio", str(tmp_path), "--as-of", AS_OF, "--no-trend", "--format", "json"
    )
    bands = {m["band"] for m in json.loads(data)["missions"]}
    assert bands and any(band_label(lang, b) in visible for b in bands)


def test_history_shows_bands_by_their_label(capsys, tmp_path):
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("durand.toml", DURAND)
    r.commit("Plan as signed", "2027-01-10")
    code, out, err = run(capsys, "history", str(r.root / "durand.toml"), "--lang", "en")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("2027-01-10"))
    assert "to_secure" not in out and "not_ready" not in out
    assert re.search(r"\d+ (not ready|to secure|ready|not assessed) ", row), row


def test_a_waiver_is_named_by_what_it_waives(capsys, tmp_path):
    vega = tmp_path / "vega.toml"
    vega.write_text(VEGA, encoding="utf-8")
    plan = load(vega).plan
    assert target_label(plan, "waiver:1", "en") == "Waiver EXT004"
    assert target_label(plan, "waiver:1", "fr") == "Dérogation EXT004"
    targeted = VEGA.replace('rule = "EXT004"\n', 'rule = "EXT004"\ntarget = "company"\n', 1)
    vega.write_text(targeted, encoding="utf-8")
    label = target_label(load(vega).plan, "waiver:1", "en")
    assert label.startswith("Waiver EXT004 on ") and label != "Waiver EXT004 on "
    # In a diff: the waiver expiring within 30 days of the check date is a new finding on
    # the waiver, named by its rule, never "Waiver :".
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(VEGA, encoding="utf-8")
    new.write_text(VEGA.replace("expires = 2027-12-31", "expires = 2027-03-20", 1), "utf-8")
    code, out, _ = run(capsys, "diff", str(old), str(new), "--as-of", AS_OF, "--lang", "en")
    assert code == 0
    assert "— Waiver EXT004:" in out and "Waiver :" not in out and "Waiver:" not in out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_kind_or_category_target_reads_as_check_and_the_report_name_it(lang):
    """History and diff name a phase kind or KPI category by its label, as check does."""
    from releve.tui import i18n

    for target in ("phase_kind:flash_audit", "kpi_category:customer_satisfaction"):
        shown = target_label(None, target, lang)
        assert i18n.target_label(lang, target) in shown
        assert "_" not in shown and target.split(":")[1].replace("_", " ") not in shown


def test_diff_columns_line_up_with_no_longer_waived(capsys, tmp_path):
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(VEGA, encoding="utf-8")
    # The waiver is gone (EXT004 no longer waived) and a person loses a backup.
    start = VEGA.index("[[waiver]]")
    end = VEGA.index("[rules]")
    new.write_text(VEGA[:start] + VEGA[end:], encoding="utf-8")
    for lang, word in (("en", "no longer waived"), ("fr", "n'est plus dérogé")):
        code, out, _ = run(capsys, "diff", str(old), str(new), "--as-of", AS_OF, "--lang", lang)
        assert code == 0 and word in out
        lines = [line for line in out.splitlines() if re.search(r" [A-Z]{3}\d{3} [a-z-]+ — ", line)]
        assert len(lines) >= 1
        codes = {re.search(r" [A-Z]{3}\d{3} ", line).start() for line in lines}  # type: ignore[union-attr]
        assert len(codes) == 1, out


def test_portfolio_of_one_mission_is_singular(capsys, tmp_path):
    (tmp_path / "durand.toml").write_text(DURAND, encoding="utf-8")
    for lang, title in (
        ("en", "Portfolio: 1 mission as of"),
        ("fr", "Portefeuille : 1 mission au"),
    ):
        code, out, _ = run(
            capsys, "portfolio", str(tmp_path), "--as-of", AS_OF, "--no-trend", "--lang", lang
        )
        assert code == 0 and out.startswith(title), out


def test_portfolio_output_over_a_plan_calls_it_a_plan(capsys, tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(DURAND, encoding="utf-8")
    b.write_text(VEGA, encoding="utf-8")
    code, out, err = run(capsys, "portfolio", str(a), str(b), "--no-trend", "-o", str(b))
    assert code == 2 and out == ""
    assert err.strip() == f"{b}: refusing to overwrite a plan with the portfolio; choose another -o"
    assert b.read_text(encoding="utf-8") == VEGA


def test_portfolio_of_a_path_that_does_not_exist_is_one_line_exit_2(capsys, tmp_path):
    (tmp_path / "durand.toml").write_text(DURAND, encoding="utf-8")
    missing = tmp_path / "nowhere"
    code, out, err = run(capsys, "portfolio", str(tmp_path), str(missing), "--no-trend")
    assert code == 2 and out == ""
    assert err == f"{missing}: no such plan file or folder\n"


def test_history_of_a_folder_says_it_is_a_folder(capsys, tmp_path):
    for folder in (tmp_path, SAMPLES):  # outside git, and inside this repository
        code, out, err = run(capsys, "history", str(folder))
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "is a folder" in err and "git" not in err.split(";")[0]


def test_a_broken_version_is_no_pack_change_and_its_error_names_it_once(capsys, tmp_path):
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("firm.toml", '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\n')
    good = DURAND.replace("packs = []", 'packs = ["firm.toml"]')
    r.write("durand.toml", good)
    r.commit("Plan with the firm pack", "2027-01-10")
    r.write("durand.toml", good.replace("[mission]\n", '[mission]\nid "broken"\n', 1))
    broken = r.commit("Broken edit", "2027-01-20")
    r.write("durand.toml", good.replace("documentation = 1", "documentation = 3", 1))
    r.commit("Fixed", "2027-02-01")
    code, out, err = run(capsys, "history", str(r.root / "durand.toml"), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["versions"]
    assert [v["packs_changed"] for v in rows] == [False, False, False]
    code, out, _ = run(capsys, "history", str(r.root / "durand.toml"), "--lang", "en")
    assert "[packs changed]" not in out
    error = next(line for line in out.splitlines() if line.startswith(f"  {broken[:7]}"))
    assert error.count(broken[:7]) == 1, error


def test_each_cause_of_a_move_has_its_sign():
    """A rise told by what was resolved, with what appeared against it: each cause says
    which way it pulled, and the causes left out are counted in words."""
    import datetime as dt

    from releve.tui.history.figures import Figures, FindingKey
    from releve.tui.history.versions import Cause, Move, Version

    def key(rule: str, label: str) -> FindingKey:
        return FindingKey(rule, "r", "warning", "team", f"person:{rule}", label, False)

    v = Version("a" * 40, dt.date(2027, 1, 1), "s", "p.toml", dt.date(2027, 1, 1), Figures())
    causes = (
        Cause("resolved", key("EXT002", "Person Nathalie Roux"), 3.0),
        Cause("waived", key("EXT004", "the company"), 2.0),
        Cause("appeared", key("SIG001", "Irritant Devis"), 1.0),
        Cause("unwaived", key("EXT001", "the plan as a whole"), 1.0),
        Cause("appeared", key("TRF007", "Transfer Achats"), 0.5),
    )
    move = Move(v, v, 4, causes)
    en = move.describe("en", limit=4)
    assert en == (
        "+4 readiness: + EXT002 resolved on Person Nathalie Roux, + EXT004 waived on the "
        "company, − SIG001 appeared on Irritant Devis, − EXT001 no longer waived on the plan "
        "as a whole, and 1 more"
    )
    fr = move.describe("fr", limit=3)
    assert "+ EXT002 résolu sur" in fr and "− SIG001 apparu sur" in fr
    assert fr.endswith("et 2 de plus")
