"""`releve portfolio` on many plans: rows read back from the cache are the rows a cold run
makes (and a pack edit is seen), plans checked in worker processes give the same rows in
the same order as one by one, an unreadable plan is still a row, a dead worker loses no
plan. Timings are in bench/bench_history.py, never here."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from gitrepo import GitRepo, need_git

from releve.tui.cli import main
from releve.tui.history.cache import Cache
from releve.tui.history.parallel import _forked, can_fork, portfolio_rows
from releve.tui.history.portfolio import find_plans, portfolio
from releve.tui.history.rows import Options

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_missions"
AS_OF = dt.date(2027, 3, 1)
PACK = '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\n'
PACK_EXCLUDES = PACK.replace('"1"', '"2"') + '\n[select]\nexclude = ["EXT001"]\n'


@pytest.fixture(autouse=True)
def no_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "user-cache"))


def missions(root: Path) -> Path:
    """The four samples (Durand naming a firm pack), a broken plan, and two commits."""
    need_git()
    r = GitRepo(root)
    for src in sorted(SAMPLES.glob("*.toml")):
        r.write(f"missions/{src.name}", src.read_text(encoding="utf-8"))
    r.write("packs/firm.toml", PACK)
    r.commit("missions", "2026-11-20")
    r.edit("missions/atelier-durand.toml", "packs = []", 'packs = ["../packs/firm.toml"]')
    r.write("missions/broken.toml", 'format = 1\n[mission]\nid = "broken"\nstart = 2027-13-01\n')
    r.commit("firm pack, a broken plan", "2027-01-15")
    return r.root


def rows_json(p) -> list[dict]:
    from releve.tui.history.render_portfolio import portfolio_dict

    return portfolio_dict(p)["missions"]


def test_a_warm_portfolio_gives_the_rows_of_a_cold_one(tmp_path):
    root = missions(tmp_path / "repo")
    cache = Cache(tmp_path / "cache")
    cold = portfolio([str(root)], as_of=AS_OF, cache=cache)
    assert len(cold.rows) == 5 and sum(1 for r in cold.rows if r.error) == 1
    # Every row is stored by content, in one entry for the date and view.
    from releve.tui.history.rows import RowStore, packs_of, read_plan

    store = RowStore(cache, Options(as_of=AS_OF), packs_of(Options(as_of=AS_OF)))
    assert len(store.rows) == 5
    for r in cold.rows:
        assert store.row(r.path, read_plan(r.path, cache)) == replace(
            r, trend=None, trend_points=()
        ), r.path
    before = cache.hits
    warm = portfolio([str(root)], as_of=AS_OF, cache=cache)
    assert cache.hits - before >= 1  # the rows, read back
    assert warm.rows == cold.rows
    assert rows_json(warm) == rows_json(cold)
    # And both are what a run with an empty cache prints.
    fresh = portfolio([str(root)], as_of=AS_OF, cache=Cache(tmp_path / "other"))
    assert rows_json(fresh) == rows_json(cold)
    # Another date is another row.
    later = portfolio([str(root)], as_of=AS_OF + dt.timedelta(days=60), cache=cache)
    fresh_later = portfolio(
        [str(root)], as_of=AS_OF + dt.timedelta(days=60), cache=Cache(tmp_path / "later")
    )
    assert rows_json(later) == rows_json(fresh_later)


def test_a_pack_the_plan_names_edited_is_checked_again(tmp_path):
    root = missions(tmp_path / "repo")
    cache = Cache(tmp_path / "cache")
    first = portfolio([str(root)], as_of=AS_OF, cache=cache, trend=False)
    durand = next(r for r in first.rows if r.path.endswith("atelier-durand.toml"))
    assert any(f.rule == "EXT001" for f in durand.figures.findings)
    (root / "packs" / "firm.toml").write_text(PACK_EXCLUDES, encoding="utf-8")
    second = portfolio([str(root)], as_of=AS_OF, cache=cache, trend=False)
    durand2 = next(r for r in second.rows if r.path.endswith("atelier-durand.toml"))
    assert not any(f.rule == "EXT001" for f in durand2.figures.findings)
    fresh = portfolio([str(root)], as_of=AS_OF, cache=Cache(tmp_path / "fresh"), trend=False)
    assert rows_json(second) == rows_json(fresh)
    # A --pack file edited between runs is seen too.
    extra = tmp_path / "extra.toml"
    extra.write_text(PACK.replace("firm", "extra"), encoding="utf-8")
    a = portfolio([str(root)], as_of=AS_OF, cache=cache, trend=False, extra_packs=[str(extra)])
    assert any(f.rule == "EXT001" for r in a.rows for f in r.figures.findings)
    extra.write_text(PACK_EXCLUDES.replace("firm", "extra"), encoding="utf-8")
    b = portfolio([str(root)], as_of=AS_OF, cache=cache, trend=False, extra_packs=[str(extra)])
    assert not any(f.rule == "EXT001" for r in b.rows for f in r.figures.findings)


def test_the_same_plan_in_another_folder_is_its_own_row(tmp_path):
    cache = Cache(tmp_path / "cache")
    a = tmp_path / "a"
    a.mkdir()
    shutil.copy(SAMPLES / "cabinet-vega.toml", a / "vega.toml")
    first = portfolio([str(a)], as_of=AS_OF, cache=cache, trend=False)
    b = tmp_path / "b"
    b.mkdir()
    shutil.copy(SAMPLES / "cabinet-vega.toml", b / "copy.toml")
    second = portfolio([str(b)], as_of=AS_OF, cache=cache, trend=False)
    assert [r.path for r in second.rows] == [str(b / "copy.toml")]
    assert second.rows[0].figures == first.rows[0].figures


def plans_with_errors(tmp_path: Path) -> list[str]:
    """Eight plans, an unreadable one among them, a missing one and a folder named .toml."""
    d = tmp_path / "many"
    d.mkdir()
    for k, src in enumerate(sorted(SAMPLES.glob("*.toml")) * 2):
        text = src.read_text(encoding="utf-8") + f"\n# copy {k}\n"
        (d / f"{k:02d}-{src.name}").write_text(text, encoding="utf-8")
    (d / "03b-bad.toml").write_bytes(b'format = 1\n[mission]\nid = "bad"\nstart = \xff\n')
    (d / "05b-folder.toml").mkdir()
    return [*find_plans([str(d)]), str(d / "05b-folder.toml"), str(tmp_path / "missing.toml")]


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_worker_processes_give_the_rows_of_one_by_one_in_order(tmp_path):
    plans = plans_with_errors(tmp_path)
    opts = Options(as_of=AS_OF, trend=False)
    serial = portfolio_rows(plans, opts, Cache(None), jobs=1)
    parallel = portfolio_rows(plans, opts, Cache(None), jobs=2, min_parallel=2)
    assert [r.path for r in parallel] == plans
    assert parallel == serial
    errors = {Path(r.path).name: r.error for r in parallel if r.error}
    assert set(errors) == {"03b-bad.toml", "05b-folder.toml", "missing.toml"}
    assert errors["05b-folder.toml"].endswith("is a folder")
    # With a cache, workers store rows a later run reads back unchanged.
    cache = Cache(tmp_path / "cache")
    stored = portfolio_rows(plans, opts, cache, jobs=2, min_parallel=2)
    assert stored == serial
    assert portfolio_rows(plans, opts, cache, jobs=2, min_parallel=2) == serial


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_the_trend_from_workers_is_the_trend_one_by_one(tmp_path):
    root = missions(tmp_path / "repo")
    plans = find_plans([str(root)])
    opts = Options(as_of=AS_OF)
    serial = portfolio_rows(plans, opts, Cache(tmp_path / "c1"), jobs=1)
    parallel = portfolio_rows(plans, opts, Cache(tmp_path / "c2"), jobs=2, min_parallel=2)
    assert parallel == serial
    assert any(r.trend_points for r in parallel)


def _pid_of(i: int) -> tuple[int, int]:
    return i, os.getpid()


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_forked_work_comes_back_in_order_from_other_processes():
    got = list(_forked(_pid_of, list(range(40)), 2))  # type: ignore[arg-type]
    assert [i for i, _ in got] == list(range(40))
    assert all(i == j for i, (j, _) in got)
    assert {pid for _, (_, pid) in got} - {os.getpid()}


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_a_dead_worker_leaves_its_plans_to_be_done_here():
    parent = os.getpid()

    def work(i: int) -> tuple[int, int]:
        if i == 7 and os.getpid() != parent:
            os._exit(3)  # a worker killed mid-way (out of memory, a signal)
        return i, i * i

    got = list(_forked(work, list(range(20)), 2))  # type: ignore[arg-type]
    assert [i for i, _ in got] == list(range(20))
    assert [v for _, (_, v) in got] == [i * i for i in range(20)]


def test_jobs_on_the_command_line(tmp_path, capsys):
    shutil.copy(SAMPLES / "cabinet-vega.toml", tmp_path / "vega.toml")
    code = main(["portfolio", str(tmp_path), "--jobs", "0"])
    err = capsys.readouterr().err
    assert code == 2 and "--jobs" in err and "1 or more" in err
    code = main(
        ["portfolio", str(tmp_path), "--jobs", "2", "--as-of", "2027-03-01", "--format", "json"]
    )
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["total"] == 1


def test_a_warm_portfolio_imports_neither_pydantic_nor_the_checker(tmp_path):
    """A second run over the same plans reads every row and trend from the cache: it
    loads no plan, no pack and no rule engine (their imports were most of its time)."""
    import subprocess
    import sys

    root = missions(tmp_path / "repo")
    probe = (
        "import sys\n"
        "from releve.tui.cli import main\n"
        f"main(['portfolio', {str(root)!r}, '--format', 'json', '--as-of', '2027-03-01'])\n"
        "heavy = ('pydantic', 'releve.planner.model', 'releve.planner.store',\n"
        "         'releve.rules.packs', 'releve.rules.pipeline', 'durable')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "RELEVE_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, check=True)
        for _ in range(2)
    ]
    (cold_out, cold), (warm_out, warm) = (
        (p.stdout, p.stderr.decode().strip().splitlines()[-1]) for p in runs
    )
    assert "pydantic" in cold
    assert warm == "[]", warm
    assert warm_out == cold_out  # and it prints the same portfolio, byte for byte


def test_a_cache_entry_is_whole_or_absent(tmp_path):
    """An entry is written beside its place and renamed over it: no temporary file is
    left, a rewrite replaces it whole, and a cache that cannot be written is no error."""
    cache = Cache(tmp_path / "c")
    cache.put("ab" * 32, {"n": 1})
    cache.put("ab" * 32, {"n": 2, "long": "x" * 10000})
    assert cache.get("ab" * 32) == {"n": 2, "long": "x" * 10000}
    assert [p.name for p in (tmp_path / "c" / "history" / "ab").iterdir()] == [f"{'ab' * 32}.json"]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    Cache(blocked).put("cd" * 32, {"n": 3})  # no error: the next run checks again
    assert Cache(blocked).get("cd" * 32) is None


def test_an_unreadable_plan_read_back_names_its_own_file(tmp_path):
    cache = Cache(tmp_path / "cache")
    broken = b'format = 1\n[mission]\nid = "broken"\nstart = 2027-13-01\n'
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "broken.toml").write_bytes(broken)
    first = portfolio([str(tmp_path / "a")], as_of=AS_OF, cache=cache, trend=False)
    again = portfolio([str(tmp_path / "a")], as_of=AS_OF, cache=cache, trend=False)
    other = portfolio([str(tmp_path / "b")], as_of=AS_OF, cache=cache, trend=False)
    assert again.rows == first.rows
    error = other.rows[0].error
    assert error is not None and error.startswith(str(tmp_path / "b" / "broken.toml") + ":")
    assert error.replace("/b/", "/a/") == first.rows[0].error


def test_the_default_workers_are_the_idle_processors_within_bounds():
    from releve.tui.history.parallel import MAX_JOBS, auto_jobs, usable_cpus

    n = auto_jobs()
    assert 1 <= n <= min(usable_cpus(), MAX_JOBS)
    if hasattr(os, "getloadavg") and os.getloadavg()[0] >= usable_cpus() + 1:
        assert n == 1  # every processor busy: the plans are checked here, one by one
