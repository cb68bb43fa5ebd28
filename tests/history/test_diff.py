"""`releve diff`: two known versions of the Durand sample, every category of change
asserted (findings appeared, resolved and waived; scores by pillar against `releve check`;
phase dates against `releve schedule`; people, processes and transfers added, removed and
changed), the formats, --rev on a git repository, and the one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gitrepo import GitRepo, need_git

from releve.tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "sample_missions" / "atelier-durand.toml").read_text(encoding="utf-8")
AS_OF = "2027-03-01"
RULE_COLUMN = re.compile(r"(?<= )[A-Z]{3}\d{3} (?=[a-z-]+ — )")
ROW_COLUMN = re.compile(r"  (?:added|removed|changed|ajouté|supprimé|modifié) +(\S)")

PERSON_INES = """[[person]]
id = "ines"
name = "Inès Garnier"
role = "Responsable SAV"
key = true

"""
PROCESS_SAV = """[[process]]
id = "after-sales"
name = "Service après-vente"
owner = "ines"
documentation = 3
automation = 1

"""
TRANSFER_SAV = """[[transfer]]
id = "sav"
topic = "Tenir le SAV seule"
process = "after-sales"
from = "marc"
to = "ines"
phase = "handover"
method = "shadowing"
status = "planned"

"""
WAIVER_EXT001 = """[[waiver]]
rule = "EXT001"
reason = "Le dirigeant reste en place jusqu'à la cession"
owner = "Claire Martin"
expires = 2027-09-30

"""


def _cut(text: str, start: str, end: str) -> str:
    """``text`` without the block that starts with ``start`` up to (not including) ``end``."""
    i = text.index(start)
    j = text.index(end, i + len(start))
    return text[:i] + text[j:]


def new_version(text: str) -> str:
    i = text.index('id = "quoting"')
    j = text.index("documentation = 1", i)
    text = text[:j] + "documentation = 3" + text[j + len("documentation = 1") :]
    text = text.replace('id = "nathalie"\n', 'id = "nathalie"\nbackup = "lea"\n', 1)
    text = _cut(text, '[[person]]\nid = "hugo"', "# --- Processus")
    text = text.replace("# --- Processus", PERSON_INES + "# --- Processus", 1)
    text = _cut(text, '[[process]]\nid = "hiring"', "# --- Phases")
    text = text.replace("# --- Phases", PROCESS_SAV + "# --- Phases", 1)
    text = _cut(text, '[[transfer]]\nid = "purchasing"', '[[transfer]]\nid = "quoting"')
    i = text.index('[[transfer]]\nid = "sop"')
    j = text.index('status = "planned"', i)
    text = text[:j] + 'status = "in_progress"' + text[j + len('status = "planned"') :]
    text = text.replace('[[transfer]]\nid = "sop"', TRANSFER_SAV + '[[transfer]]\nid = "sop"', 1)
    text = text.replace("effort_days = 5", "effort_days = 9", 1)
    return text.replace("[[waiver]]", WAIVER_EXT001 + "[[waiver]]", 1)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    old = tmp_path / "old.toml"
    new = tmp_path / "new.toml"
    old.write_text(SAMPLE, encoding="utf-8")
    new.write_text(new_version(SAMPLE), encoding="utf-8")
    return old, new


def check_json(capsys, path: Path) -> dict:
    code, out, err = run(
        capsys, "check", str(path), "--format", "json", "--as-of", AS_OF, "--fail-on", "never"
    )
    assert code == 0, err
    return json.loads(out)["plans"][0]


def schedule_json(capsys, path: Path) -> dict:
    code, out, err = run(capsys, "schedule", str(path), "--format", "json", "--as-of", AS_OF)
    assert code == 0, err
    return json.loads(out)


def diff_json(capsys, *args: str) -> dict:
    code, out, err = run(capsys, "diff", *args, "--format", "json", "--as-of", AS_OF)
    assert code == 0, err
    return json.loads(out)


def test_every_category_of_change(capsys, pair):
    old, new = pair
    d = diff_json(capsys, str(old), str(new))
    co, cn = check_json(capsys, old), check_json(capsys, new)
    # Readiness and pillars before/after, as `releve check` gives them.
    assert d["old"]["readiness"] == co["score"]["overall"]
    assert d["new"]["readiness"] == cn["score"]["overall"]
    assert d["new"]["readiness"] != d["old"]["readiness"]
    assert d["old"]["framing"] == co["score"].get("framing")
    assert d["new"]["framing"] == cn["score"].get("framing")
    assert {p["pillar"]: (p["before"], p["after"]) for p in d["pillars"]} == {
        p: (co["score"]["pillars"].get(p), cn["score"]["pillars"].get(p))
        for p in {*co["score"]["pillars"], *cn["score"]["pillars"]}
    }
    assert d["old"]["counts"] == co["counts"] and d["new"]["counts"] == cn["counts"]
    # Findings: exactly the difference of the two checks' findings.
    key = lambda f: (f["rule"], f["target"])  # noqa: E731
    old_f = {key(f): f for f in co["findings"]}
    new_f = {key(f): f for f in cn["findings"]}
    changes = {(c["change"], c["rule"], c["target"]) for c in d["findings"]}
    assert {(k[0], k[1]) for c, *k in changes if c == "resolved"} == set(old_f) - set(new_f)
    appeared_or_waived = {(k[0], k[1]) for c, *k in changes if c in ("appeared", "waived")}
    assert appeared_or_waived | {
        k for k in set(old_f) & set(new_f) if old_f[k]["waived"] == new_f[k]["waived"]
    } == set(new_f)
    assert ("resolved", "EXT003", "process:quoting") in changes
    assert ("resolved", "EXT002", "person:nathalie") in changes
    assert ("appeared", "EXT002", "person:ines") in changes
    assert ("waived", "EXT001", "metrics") in changes
    labels = {c["target"]: c["label"] for c in d["findings"]}
    assert labels["person:ines"] == "Personne Inès Garnier"
    assert labels["process:quoting"] == "Processus Chiffrage et devis"
    # Phases whose dates moved: those whose dates differ in `releve schedule`.
    so, sn = schedule_json(capsys, old), schedule_json(capsys, new)
    dates = lambda s: {p["id"]: (p["start"], p["end"]) for p in s["phases"]}  # noqa: E731
    a, b = dates(so), dates(sn)
    moved = {pid for pid in {*a, *b} if a.get(pid) != b.get(pid)}
    assert moved and {m["id"] for m in d["phases"]} == moved
    audit = next(m for m in d["phases"] if m["id"] == "audit")
    assert audit["name"] == "Audit flash"
    assert audit["baseline"]["before"] == {"start": a["audit"][0], "end": a["audit"][1]}
    assert audit["baseline"]["after"] == {"start": b["audit"][0], "end": b["audit"][1]}
    # People, processes and transfers added, removed and changed.
    rows = {(r["table"], r["id"]): r for r in d["rows"]}
    assert {k: r["change"] for k, r in rows.items()} == {
        ("person", "ines"): "added",
        ("person", "hugo"): "removed",
        ("person", "nathalie"): "changed",
        ("process", "after-sales"): "added",
        ("process", "hiring"): "removed",
        ("process", "quoting"): "changed",
        ("transfer", "sav"): "added",
        ("transfer", "purchasing"): "removed",
        ("transfer", "sop"): "changed",
    }
    assert rows[("person", "nathalie")]["fields"] == [
        {"field": "backup", "before": None, "after": "lea"}
    ]
    assert rows[("transfer", "sop")]["fields"] == [
        {"field": "status", "before": "planned", "after": "in_progress"}
    ]
    assert rows[("person", "hugo")]["name"] == "Hugo Lambert"


def assert_columns_line_up(out: str) -> None:
    """Each finding's rule code, and each row's title, starts in the same column however
    long the change's word ("no longer waived", "n'est plus dérogé")."""
    codes = [m.start() for m in map(RULE_COLUMN.search, out.splitlines()) if m]
    assert codes and len(set(codes)) == 1, out
    titles = [m.start(1) for m in map(ROW_COLUMN.match, out.splitlines()) if m]
    assert len(set(titles)) <= 1, out


def test_text_and_markdown_speak_the_users_words(capsys, pair):
    old, new = pair
    code, out, _ = run(capsys, "diff", str(old), str(new), "--as-of", AS_OF, "--lang", "en")
    assert code == 0
    flat = [" ".join(line.split()) for line in out.splitlines()]
    assert any(
        line.startswith(
            "resolved warning EXT003 undocumented-critical-process — Process Chiffrage et devis:"
        )
        for line in flat
    )
    assert "added Person Inès Garnier" in flat
    assert "removed Process Recrutement des poseurs" in flat
    assert "changed Transfer Animer la réunion S&OP mensuelle — Status: Planned → In progress" in (
        flat
    )
    assert_columns_line_up(out)
    assert "Audit flash: baseline " in out
    code, md, _ = run(capsys, "diff", str(old), str(new), "--as-of", AS_OF, "--format", "markdown")
    assert code == 0
    assert md.startswith("### Modifications du plan")
    table = [line for line in md.splitlines() if line.startswith("| ✅ résolu")]
    # EXT002 (Nathalie backed up), EXT003 (quoting documented) and TRF007: the longer audit
    # moves the diagnostic's end to the check date, so its transfer is no longer overdue.
    assert [line.split("`")[1] for line in table] == ["EXT002", "EXT003", "TRF007"]
    assert "- ajouté\u00a0: **Personne Inès Garnier**" in md
    assert "S\\&OP" in md  # plan text escaped for Markdown


def test_same_plan_says_nothing_changed(capsys, pair):
    old, _ = pair
    code, out, _ = run(capsys, "diff", str(old), str(old), "--as-of", AS_OF, "--lang", "en")
    assert code == 0
    assert out.splitlines()[-1] == (
        "No change in findings, scores, dates, people, processes or transfers."
    )


def test_rev_reads_the_versions_and_packs_of_each_commit(capsys, tmp_path):
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("plan.toml", SAMPLE.replace("packs = []", 'packs = ["firm.toml"]'))
    r.write("firm.toml", '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\n')
    first = r.commit("first", "2027-01-10")
    r.write("plan.toml", new_version(SAMPLE).replace("packs = []", 'packs = ["firm.toml"]'))
    r.write(
        "firm.toml",
        '[pack]\nid = "firm"\nname = "Firm"\nversion = "2"\n[select]\nexclude = ["EXT006"]\n',
    )
    second = r.commit("second", "2027-02-10")
    r.write("plan.toml", SAMPLE.replace("packs = []", 'packs = ["firm.toml"]'))  # uncommitted
    plan = str(r.root / "plan.toml")
    d = diff_json(capsys, plan, "--rev", f"{first[:7]}..{second[:7]}")
    changes = {(c["change"], c["rule"]) for c in d["findings"]}
    assert ("resolved", "EXT006") in changes  # the pack of the second commit switched it off
    assert d["old"]["label"] == first[:7] and d["new"]["label"] == second[:7]
    # REV alone: against the working tree (its packs from disk: EXT006 is off there too).
    d = diff_json(capsys, plan, "--rev", "HEAD")
    rows = {(x["table"], x["id"]): x["change"] for x in d["rows"]}
    assert rows[("person", "hugo")] == "added" and rows[("person", "ines")] == "removed"
    assert not any(c["rule"] == "EXT006" for c in d["findings"])
    d = diff_json(capsys, plan, "--rev", f"{first[:7]}..")
    assert d["new"]["label"] == "HEAD"


def test_errors_are_one_line(capsys, pair, tmp_path):
    old, _ = pair
    broken = tmp_path / "broken.toml"
    broken.write_text("[mission\n", encoding="utf-8")
    code, out, err = run(capsys, "diff", str(old), str(broken))
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith(f"{broken}:1:")
    code, _, err = run(capsys, "diff", str(old))
    assert code == 2 and err.count("\n") == 1 and "--rev" in err
    code, _, err = run(capsys, "diff", str(old), "--rev", "HEAD")
    assert (
        code == 2
        and err
        == f"{old}: not in a git repository; history reads the commits of a plan kept in git\n"
    )
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("plan.toml", SAMPLE)
    r.commit("first", "2027-01-10")
    code, _, err = run(capsys, "diff", str(r.root / "plan.toml"), "--rev", "nope")
    assert code == 2 and err.count("\n") == 1 and "no such revision 'nope'" in err
