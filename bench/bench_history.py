"""Benchmarks of `releve history`, `releve portfolio` and `releve diff` (issue 13), each the
whole command in a fresh process.

Targets: history of 100 commits under 3 s cold (empty cache) and under 0.5 s from the
cache; portfolio of 300 plans under 5 s; diff of two samples under a cold `check`.
The 100-commit repository holds the Durand sample edited commit after commit (a KPI
measure appended each time, a process documented now and then, a pack changed twice).

The portfolio's 300 plans are the four samples copied 75 times each: a cold run checks
all 300 (each is a row of its own), but the trend's versions are four contents, so the
history cache checks those four once. "cold cache" runs with an empty cache and worker
processes (the default, one per processor); "one process" with ``--jobs 1``.

Diff, read fairly: `releve diff A B` checks two plans, so its bound is a cold
`releve check A B` of the same two plans, measured in the same run (the diff case's
target is that median); a cold check of one sample is shown beside it. A ratio taken in
one run (pairs of the two commands, one after the other) is what counts on a loaded
machine; the medians here drift with the load.
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import QUICK, ROOT, Case

SAMPLES = ROOT / "sample_missions"
DURAND = SAMPLES / "atelier-durand.toml"
VEGA = SAMPLES / "cabinet-vega.toml"
AS_OF = "2027-03-01"
_TMPDIR = tempfile.TemporaryDirectory(prefix="releve-bench-history-")
_TMP = Path(_TMPDIR.name)
_COUNTER = itertools.count()


#: Bytecode written (as an installed package has it), even where the environment says
#: PYTHONDONTWRITEBYTECODE: the warm-up run writes it.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _releve(*args: str, cache: Path | str) -> None:
    env = dict(_ENV, RELEVE_CACHE_DIR=str(cache))
    done = subprocess.run(
        [sys.executable, "-m", "releve.tui.cli", *args], capture_output=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode()[-300:])


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
    )
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def history_repo(commits: int) -> Path:
    repo = _TMP / f"repo-{commits}"
    if repo.exists():
        return repo
    repo.mkdir()
    _git(repo, "init", "-q")
    text = DURAND.read_text(encoding="utf-8").replace("packs = []", 'packs = ["firm.toml"]')
    pack = '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\n'
    (repo / "firm.toml").write_text(pack, encoding="utf-8")
    for n in range(commits):
        text += f"\n# revision {n}\n"
        if n == commits // 3:
            i = text.index('id = "quoting"')
            j = text.index("documentation = 1", i)
            text = text[:j] + "documentation = 3" + text[j + len("documentation = 1") :]
        if n in (commits // 2, 2 * commits // 3):
            pack += f"# v{n}\n"
            (repo / "firm.toml").write_text(pack, encoding="utf-8")
        (repo / "plan.toml").write_text(text, encoding="utf-8")
        _git(repo, "add", "-A")
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        _git(repo, "commit", "-q", "-m", f"edit {n}", date=f"2026-{month:02d}-{day:02d}T10:00:00")
    return repo


def portfolio_folder(plans: int, *, in_git: bool) -> Path:
    folder = _TMP / f"portfolio-{plans}-{'git' if in_git else 'plain'}"
    if folder.exists():
        return folder
    folder.mkdir()
    sources = sorted(SAMPLES.glob("*.toml"))
    for k in range(plans):
        src = sources[k % len(sources)]
        text = src.read_text(encoding="utf-8")
        (folder / f"{src.stem}-{k:03d}.toml").write_text(text, encoding="utf-8")
    if in_git:
        _git(folder, "init", "-q")
        _git(folder, "add", "-A")
        _git(folder, "commit", "-q", "-m", "missions", date="2026-12-01T10:00:00")
    return folder


def cases() -> list[Case]:
    commits = 10 if QUICK else 100
    plans = 12 if QUICK else 300
    warm_cache = _TMP / "warm-cache"
    repo: dict[str, Path] = {}

    def setup_history() -> None:
        repo["r"] = history_repo(commits)
        _releve("history", str(repo["r"] / "plan.toml"), "--format", "json", cache=warm_cache)

    def cold() -> None:
        fresh = _TMP / f"cold-cache-{next(_COUNTER)}"
        _releve("history", str(repo["r"] / "plan.toml"), "--format", "json", cache=fresh)
        shutil.rmtree(fresh, ignore_errors=True)

    def warm() -> None:
        _releve("history", str(repo["r"] / "plan.toml"), "--format", "json", cache=warm_cache)

    folders: dict[str, Path] = {}

    def setup_portfolio() -> None:
        folders["plain"] = portfolio_folder(plans, in_git=False)
        folders["git"] = portfolio_folder(plans, in_git=True)
        _releve("portfolio", str(folders["git"]), "--as-of", AS_OF, cache=warm_cache)

    def portfolio_plain() -> None:
        _releve(
            "portfolio", str(folders["plain"]), "--as-of", AS_OF, "--format", "json", cache="off"
        )

    def portfolio_git_warm() -> None:
        _releve(
            "portfolio", str(folders["git"]), "--as-of", AS_OF, "--format", "json", cache=warm_cache
        )

    def portfolio_git_cold() -> None:
        fresh = _TMP / f"cold-cache-{next(_COUNTER)}"
        _releve("portfolio", str(folders["git"]), "--as-of", AS_OF, "--format", "json", cache=fresh)
        shutil.rmtree(fresh, ignore_errors=True)

    def diff_two() -> None:
        _releve("diff", str(DURAND), str(VEGA), "--as-of", AS_OF, cache="off")

    def check_two() -> None:
        _releve(
            "check", str(DURAND), str(VEGA), "--as-of", AS_OF, "--fail-on", "never", cache="off"
        )

    def check_one() -> None:
        _releve("check", str(DURAND), "--as-of", AS_OF, "--fail-on", "never", cache="off")

    def portfolio_git_cold_serial() -> None:
        fresh = _TMP / f"cold-cache-{next(_COUNTER)}"
        _releve(
            "portfolio",
            str(folders["git"]),
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--jobs",
            "1",
            cache=fresh,
        )
        shutil.rmtree(fresh, ignore_errors=True)

    repeat = 1 if QUICK else 3
    diff_case = Case("diff: two samples, cold (target: check of the same two)", diff_two, None, 5)

    def diff_target() -> None:
        # The bound: a cold `releve check A B` of the same two plans, measured now.
        runs = 1 if QUICK else 5
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            check_two()
            times.append((time.perf_counter() - t0) * 1000)
        diff_case.target_ms = statistics.median(times)

    diff_case.setup = diff_target
    return [
        Case(
            f"history: {commits} commits, cold cache (process)", cold, 3000, repeat, setup_history
        ),
        Case(f"history: {commits} commits, from the cache (process)", warm, 500, 5, setup_history),
        Case(
            f"portfolio: {plans} plans, not in git (process)",
            portfolio_plain,
            5000,
            repeat,
            setup_portfolio,
        ),
        Case(
            f"portfolio: {plans} plans in git, trend, cold cache",
            portfolio_git_cold,
            5000,
            repeat,
            setup_portfolio,
        ),
        Case(
            f"portfolio: {plans} plans in git, trend, cold, one process",
            portfolio_git_cold_serial,
            5000,
            repeat,
            setup_portfolio,
        ),
        Case(
            f"portfolio: {plans} plans in git, trend, warm cache",
            portfolio_git_warm,
            5000,
            repeat,
            setup_portfolio,
        ),
        Case("check: two samples, cold (process; diff's bound)", check_two, None, 5),
        Case("check: one sample, cold (process)", check_one, None, 5),
        diff_case,
    ]
