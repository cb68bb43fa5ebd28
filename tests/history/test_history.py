"""`releve history`: each row's figures against `releve check` of that version, renames,
a pack changed alone, uncommitted edits, the cache, --since/--as-of, and the one-line
errors (not in git, never committed, shallow clone)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from gitrepo import GitRepo, need_git

from releve.tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "sample_missions" / "atelier-durand.toml").read_text(encoding="utf-8")
PACK_V1 = '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\n'
PACK_V2 = PACK_V1.replace('"1"', '"2"') + '\n[select]\nexclude = ["EXT001"]\n'
TODAY = dt.date(2027, 4, 20)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def repo(tmp_path) -> tuple[GitRepo, list[str]]:
    """Five commits of the Durand sample and an uncommitted edit:
    c1 as shipped; c2 documents the quoting process (EXT003 resolved); c3 names a firm pack;
    c4 renames the plan; c5 changes only the pack (EXT001 switched off);
    working tree: Nathalie gets a backup (EXT002 resolved)."""
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("missions/durand.toml", SAMPLE)
    shas = [r.commit("Plan as signed", "2027-01-10")]
    r.edit("missions/durand.toml", 'name = "Chiffrage et devis"\n', 'name = "Chiffrage et devis"\n')
    text = (r.root / "missions/durand.toml").read_text(encoding="utf-8")
    i = text.index('id = "quoting"')
    j = text.index("documentation = 1", i)
    r.write(
        "missions/durand.toml",
        text[:j] + "documentation = 3" + text[j + len("documentation = 1") :],
    )
    shas.append(r.commit("Quoting procedure written", "2027-02-01"))
    r.write("packs/firm.toml", PACK_V1)
    r.edit("missions/durand.toml", "packs = []", 'packs = ["../packs/firm.toml"]')
    shas.append(r.commit("Firm pack", "2027-02-15"))
    r.git("mv", "missions/durand.toml", "missions/atelier.toml")
    shas.append(r.commit("Rename the plan", "2027-03-01"))
    r.write("packs/firm.toml", PACK_V2)
    shas.append(r.commit("Firm pack: no founder-dependence rule", "2027-03-15"))
    r.edit("missions/atelier.toml", 'id = "nathalie"\n', 'id = "nathalie"\nbackup = "lea"\n')
    return r, shas


def oracle(capsys, r: GitRepo, sha: str | None, rel: str, as_of: str, tmp: Path) -> dict:
    """`releve check --format json` of one version, checked out with git archive."""
    root = r.root if sha is None else r.export(sha, tmp / sha[:7])
    path = root / rel
    # An exported tree has no .git: its root is allowed as the repository it stands for.
    code, out, _ = run(
        capsys,
        "check",
        str(path),
        "--format",
        "json",
        "--as-of",
        as_of,
        "--fail-on",
        "never",
        "--pack-path",
        str(root),
    )
    assert code == 0
    return json.loads(out)["plans"][0]


def history_json(capsys, plan: Path, *extra: str) -> dict:
    code, out, err = run(capsys, "history", str(plan), "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_every_row_matches_check_of_that_version(capsys, repo, cache, tmp_path, monkeypatch):
    r, shas = repo
    monkeypatch.setattr("releve.tui.cli.history.today", lambda: TODAY)
    h = history_json(capsys, r.root / "missions/atelier.toml")
    rows = h["versions"]
    assert [v["commit"] for v in rows] == [*shas, None]
    assert [v["path"] for v in rows] == ["missions/durand.toml"] * 3 + ["missions/atelier.toml"] * 3
    assert [v["date"] for v in rows] == [
        "2027-01-10",
        "2027-02-01",
        "2027-02-15",
        "2027-03-01",
        "2027-03-15",
        TODAY.isoformat(),
    ]
    assert rows[-1]["uncommitted"] is True
    assert [v["plan_changed"] for v in rows] == [True, True, True, True, False, True]
    assert [v["packs_changed"] for v in rows] == [False, False, True, False, True, False]
    for v in rows:
        want = oracle(capsys, r, v["commit"], v["path"], v["as_of"], tmp_path / "co")
        assert v["readiness"] == want["score"]["overall"], v["commit"]
        assert v["pillars"] == want["score"]["pillars"]
        assert v["counts"] == want["counts"]
        assert v["packs"] == want["packs"]
        got = sorted((f["rule"], f["target"], f["waived"]) for f in v["findings"])
        assert got == sorted((f["rule"], f["target"], f["waived"]) for f in want["findings"])
    # The edits did what the fixture says, so the rows are not all alike.
    scores = [v["readiness"] for v in rows]
    # c2 documents quoting: the documentation pillar rises, but the headline stays capped
    # below "ready" by the founder-dependence blocker (EXT001, an error) until c5 drops it.
    assert rows[1]["pillars"]["documentation"] > rows[0]["pillars"]["documentation"]
    assert scores[1] == scores[0] == 79
    assert scores[4] > scores[3]
    # The uncommitted edit gives Nathalie a backup: EXT002 on her is resolved and the team
    # pillar rises (the headline also moves with the check date, so it is not compared).
    assert rows[5]["pillars"]["team"] > rows[4]["pillars"]["team"]
    assert ("EXT002", "person:nathalie") in {(f["rule"], f["target"]) for f in rows[4]["findings"]}
    assert ("EXT002", "person:nathalie") not in {
        (f["rule"], f["target"]) for f in rows[5]["findings"]
    }


def test_moves_name_the_findings_in_the_users_words(capsys, repo, cache, monkeypatch):
    r, shas = repo
    monkeypatch.setattr("releve.tui.cli.history.today", lambda: TODAY)
    h = history_json(capsys, r.root / "missions/atelier.toml", "--lang", "en")
    by_to = {m["to"]: m for m in h["moves"]}
    assert shas[1] not in by_to  # capped: documenting quoting does not move the headline
    m5 = by_to[shas[4]]
    assert m5["delta"] > 0
    # Each cause says which way it pulled: + for what was resolved, − for what appeared.
    assert m5["text"].startswith(f"+{m5['delta']} readiness: + EXT001 resolved")
    for cause in m5["causes"]:
        sign = "+" if cause["kind"] in ("resolved", "waived") else "−"
        assert f"{sign} {cause['rule']} {cause['kind']}" in m5["text"] or (
            cause["kind"] == "unwaived" and f"− {cause['rule']} no longer waived" in m5["text"]
        )
    code, out, _ = run(capsys, "history", str(r.root / "missions/atelier.toml"), "--lang", "en")
    assert code == 0
    last_row = next(line for line in out.splitlines() if line.startswith(TODAY.isoformat()))
    assert last_row.split()[1] == "·" and last_row.endswith("uncommitted changes")
    assert "quoting" not in out  # the process by its name, never its id
    spark_line = next(line for line in out.splitlines() if line.startswith("readiness "))
    first, last = h["versions"][0]["readiness"], h["versions"][-1]["readiness"]
    assert spark_line.endswith(f"{first} → {last}")
    assert len(spark_line.split()[1]) == len(h["versions"])


def test_second_run_reads_the_cache_and_says_the_same(capsys, repo, cache, monkeypatch):
    r, _ = repo
    monkeypatch.setattr("releve.tui.cli.history.today", lambda: TODAY)
    from releve.tui.history.cache import Cache
    from releve.tui.history.versions import plan_history

    plan = r.root / "missions/atelier.toml"
    cold = plan_history(plan, today=TODAY, cache=Cache.default())
    assert cold.checked == len(cold.versions) and cold.hits == 0
    warm = plan_history(plan, today=TODAY, cache=Cache.default())
    assert warm.checked == 0 and warm.hits == len(warm.versions)
    assert [v.figures for v in warm.versions] == [v.figures for v in cold.versions]
    # A damaged entry is a miss, never an error or a wrong figure.
    for entry in (cache / "history").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
        break
    again = plan_history(plan, today=TODAY, cache=Cache.default())
    assert [v.figures for v in again.versions] == [v.figures for v in cold.versions]
    # A different check date is a different key; with one date for all, versions of the
    # same content (the rename kept the text and the packs) share one entry.
    other = plan_history(plan, today=TODAY, as_of=dt.date(2027, 9, 1), cache=Cache.default())
    contents = {(v.plan_blob, v.packs_digest) for v in other.versions}
    assert len(contents) == len(other.versions) - 1
    assert other.checked == len(contents) and other.hits == 1


def test_as_of_checks_every_version_on_one_date(capsys, repo, cache, tmp_path):
    r, _ = repo
    h = history_json(capsys, r.root / "missions/atelier.toml", "--as-of", "2027-06-01")
    assert {v["as_of"] for v in h["versions"]} == {"2027-06-01"}
    v = h["versions"][2]
    want = oracle(capsys, r, v["commit"], v["path"], "2027-06-01", tmp_path / "co")
    assert v["readiness"] == want["score"]["overall"]


def test_since_keeps_later_versions_and_the_first_delta(capsys, repo, cache, monkeypatch):
    r, shas = repo
    monkeypatch.setattr("releve.tui.cli.history.today", lambda: TODAY)
    full = history_json(capsys, r.root / "missions/atelier.toml")
    h = history_json(capsys, r.root / "missions/atelier.toml", "--since", "2027-02-01")
    assert [v["commit"] for v in h["versions"]] == [*shas[1:], None]
    assert h["versions"][0]["delta"] == full["versions"][1]["delta"]
    h = history_json(capsys, r.root / "missions/atelier.toml", "--since", "2027-03-10")
    assert [v["commit"] for v in h["versions"]] == [*shas[4:], None]
    assert h["versions"][0]["delta"] == full["versions"][4]["delta"] != 0


def test_csv_and_markdown(capsys, repo, cache, monkeypatch):
    r, shas = repo
    monkeypatch.setattr("releve.tui.cli.history.today", lambda: TODAY)
    plan = str(r.root / "missions/atelier.toml")
    full = history_json(capsys, r.root / "missions/atelier.toml")
    code, out, _ = run(capsys, "history", plan, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["commit"] for row in rows] == [*shas, ""]
    assert [int(row["readiness"]) for row in rows] == [v["readiness"] for v in full["versions"]]
    assert rows[-1]["uncommitted"] == "yes"
    code, out, _ = run(capsys, "history", plan, "--format", "markdown", "--lang", "en")
    table = [line for line in out.splitlines() if line.startswith("| 20")]
    assert len(table) == len(full["versions"])
    assert f"`{shas[1][:7]}`" in table[1]


def test_a_version_that_cannot_be_read_is_a_row(capsys, tmp_path, cache):
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("plan.toml", SAMPLE)
    r.commit("good", "2027-01-10")
    r.write("plan.toml", SAMPLE.replace("[mission]", "[mission\n", 1))
    bad = r.commit("broken", "2027-01-20")
    r.write("plan.toml", SAMPLE)
    r.commit("fixed", "2027-01-30")
    h = history_json(capsys, r.root / "plan.toml")
    assert [("error" in v) for v in h["versions"]] == [False, True, False]
    assert h["versions"][1]["error"].startswith(f"{bad[:7]}:plan.toml:")
    code, out, _ = run(capsys, "history", str(r.root / "plan.toml"))
    assert code == 0 and f"{bad[:7]}:plan.toml:" in out


def test_not_in_git(capsys, tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(SAMPLE, encoding="utf-8")
    code, out, err = run(capsys, "history", str(plan))
    assert code == 2 and out == ""
    assert (
        err == f"{plan}: not in a git repository; history reads the commits of a plan kept in git\n"
    )


def test_never_committed(capsys, tmp_path):
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("other.toml", "x = 1\n")
    r.commit("other", "2027-01-10")
    plan = r.write("plan.toml", SAMPLE)
    code, out, err = run(capsys, "history", str(plan))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "never committed" in err and err.startswith(str(plan))
    # Even in a repository without any commit.
    empty = GitRepo(tmp_path / "empty")
    plan = empty.write("plan.toml", SAMPLE)
    code, _, err = run(capsys, "history", str(plan))
    assert code == 2 and "never committed" in err and err.count("\n") == 1


def test_shallow_clone(capsys, repo, tmp_path):
    r, _ = repo
    clone = tmp_path / "clone"
    subprocess.run(
        [need_git(), "clone", "-q", "--depth", "1", f"file://{r.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    code, out, err = run(capsys, "history", str(clone / "missions/atelier.toml"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "shallow clone" in err and "fetch --unshallow" in err


def test_a_folder_pack_changed_alone_is_a_row(capsys, tmp_path, cache):
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("plan.toml", SAMPLE.replace("packs = []", 'packs = ["firm"]'))
    r.write("firm/pack.toml", PACK_V1)
    r.write("firm/team.toml", '[rules.EXT002]\nseverity = "warning"\n')
    first = r.commit("plan and folder pack", "2027-01-10")
    r.write("firm/team.toml", '[select]\nexclude = ["EXT001"]\n')
    second = r.commit("firm pack: EXT001 off", "2027-01-20")
    h = history_json(capsys, r.root / "plan.toml")
    rows = h["versions"]
    assert [v["commit"] for v in rows] == [first, second]
    assert rows[1]["plan_changed"] is False and rows[1]["packs_changed"] is True
    for v in rows:
        want = oracle(capsys, r, v["commit"], v["path"], v["as_of"], tmp_path / "co")
        assert v["readiness"] == want["score"]["overall"]
        assert v["counts"] == want["counts"]
    assert rows[1]["readiness"] > rows[0]["readiness"]


def test_a_repository_git_refuses_is_named(capsys, repo, monkeypatch):
    """safe.directory: git refuses a repository owned by another user; simulated with
    GIT_TEST_ASSUME_DIFFERENT_OWNER, the switch git's own tests use."""
    r, _ = repo
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    code, out, err = run(capsys, "history", str(r.root / "missions/atelier.toml"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "git refuses this repository" in err and "safe.directory" in err


def test_packs_only_is_the_buyers_view_in_every_version(capsys, repo, cache, tmp_path, monkeypatch):
    r, shas = repo
    monkeypatch.setattr("releve.tui.cli.history.today", lambda: TODAY)
    plan = r.root / "missions/atelier.toml"
    h = history_json(capsys, plan, "--packs-only")
    assert all(v["packs"] == ["default"] for v in h["versions"])
    # The commit that changed only the firm pack changes nothing when packs are not applied.
    assert [v["commit"] for v in h["versions"]] == [*shas[:4], None]
    assert all(any(f["rule"] == "EXT001" for f in v["findings"]) for v in h["versions"])
    for v in h["versions"]:
        root = (
            r.root
            if v["commit"] is None
            else r.export(v["commit"], tmp_path / "buyer" / v["commit"])
        )
        code, out, _ = run(
            capsys,
            "check",
            str(root / v["path"]),
            "--format",
            "json",
            "--as-of",
            v["as_of"],
            "--fail-on",
            "never",
            "--packs-only",
            "--pack-path",
            str(root),
        )
        want = json.loads(out)["plans"][0]
        assert v["readiness"] == want["score"]["overall"] and v["counts"] == want["counts"]
    # diff and portfolio take the same view.
    code, out, _ = run(
        capsys,
        "diff",
        str(plan),
        "--rev",
        f"{shas[3]}..{shas[4]}",
        "--packs-only",
        "--format",
        "json",
        "--as-of",
        "2027-03-20",
    )
    assert json.loads(out)["findings"] == []  # only the pack changed, and it is not applied
    code, out, _ = run(
        capsys,
        "portfolio",
        str(plan),
        "--packs-only",
        "--format",
        "json",
        "--as-of",
        TODAY.isoformat(),
        "--no-trend",
    )
    assert json.loads(out)["missions"][0]["readiness"] == h["versions"][-1]["readiness"]


def test_history_from_the_cache_imports_neither_pydantic_nor_the_checker(repo, cache):
    """A second run reads every version from the cache: it loads no plan, no pack and no
    rule engine (the cold imports are most of a warm run's time)."""
    import sys

    r, _ = repo
    plan = str(r.root / "missions/atelier.toml")
    probe = (
        "import sys\n"
        "from releve.tui.cli import main\n"
        f"main(['history', {plan!r}, '--format', 'json'])\n"
        "heavy = ('pydantic', 'releve.planner.model', 'releve.planner.store',\n"
        "         'releve.rules.packs', 'releve.rules.pipeline', 'durable')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "RELEVE_CACHE_DIR": str(cache)}
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, check=True)
        for _ in range(2)
    ]
    cold, warm = (p.stderr.decode().strip().splitlines()[-1] for p in runs)
    assert "pydantic" in cold  # the first run checks the versions
    # The uncommitted version's plan file is read from disk; it too is in the cache.
    assert warm == "[]", warm
