"""Benchmarks of `releve check`: one plan cold against the bare imports, and 300 plans in one run.

Targets (issue 14, was 2x in issue 4): one plan, cold, within 1.5x the time Python takes
just to import tomllib, pydantic and durable_rules, measured in the same run; 300 plans in
one run under 10 ms each beyond the first.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import run
from run import ROOT, Case

SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))
AS_OF = "2027-03-01"
BARE_IMPORTS = "import tomllib, pydantic, durable.lang"
N_PLANS = 300


# An installed releve has its bytecode compiled (pip does it), as the standard library and
# site-packages of the baseline have: let the cold processes write and reuse theirs, even
# where the environment says PYTHONDONTWRITEBYTECODE (the warm-up run writes it).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _python(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        check=False,
        env=_ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if done.returncode != 0:  # a command that failed fast must not pass for a fast one
        raise RuntimeError(f"exit {done.returncode}: {done.stderr.decode(errors='replace')}")


def _bare_imports() -> None:
    _python("-c", BARE_IMPORTS)


def _check_cold(*plans: str, fmt: str = "text") -> None:
    _python(
        "-m",
        "releve.tui.cli",
        "check",
        "--as-of",
        AS_OF,
        "--format",
        fmt,
        "--fail-on",
        "never",
        *plans,
    )


def _copies(folder: Path, n: int) -> list[str]:
    """n distinct plan files (the samples, round robin), so no cache keyed by path helps."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        src = SAMPLES[i % len(SAMPLES)]
        dst = folder / f"{i:03d}-{src.name}"
        shutil.copy(src, dst)
        paths.append(str(dst))
    return paths


class _ManyPlans:
    """300 fresh plan files per timed run, checked and rendered in one warm process (the
    first plan, imports and the default pack's compilation are paid before timing)."""

    def __init__(self, runs: int, count: int = N_PLANS) -> None:
        self.runs = runs
        self.count = count
        self.batches: list[list[str]] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="releve-bench-check-"))

    def setup(self) -> None:
        import datetime as dt

        from releve.tui.cli.check import check_paths

        # +1 for the warm-up run that bench/run.py makes before timing
        self.batches = [_copies(self.tmp / f"run{r}", self.count) for r in range(self.runs + 1)]
        # the first plan, read as `releve check` reads plans (planner.lean)
        check_paths([str(SAMPLES[0])], as_of=dt.date.fromisoformat(AS_OF), lean=True)

    def run(self) -> None:
        import datetime as dt

        from releve.tui.cli.check import check_paths
        from releve.tui.render.check import render_json

        paths = self.batches.pop()
        outcomes = check_paths(paths, as_of=dt.date.fromisoformat(AS_OF), lean=True)
        render_json(outcomes)
        bad = [o for o in outcomes if hasattr(o, "one_line")]
        assert not bad, f"a sample could not be checked: {bad[0].one_line()}"


def _cold_target() -> float:
    """1.5 times the median cold time of the bare imports (measured now, same machine)."""
    times = []
    for _ in range(1 if run.QUICK else 7):
        t0 = time.perf_counter()
        _bare_imports()
        times.append((time.perf_counter() - t0) * 1000)
    return 1.5 * statistics.median(times)


def _log_cold(plan: str) -> None:
    _python("-m", "releve.tui.cli", "log", plan, "--phase", "audit", "--on", AS_OF, "--force")


def _cold_check_median(plan: str) -> float:
    """The target of `releve log` cold (issue 11): under the cold `check` of the same plan."""
    times = []
    for _ in range(1 if run.QUICK else 5):
        t0 = time.perf_counter()
        _check_cold(plan)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def cases() -> list[Case]:
    n_plans = 3 if run.QUICK else N_PLANS
    one = str(SAMPLES[0].relative_to(ROOT))
    cold_check = Case(
        f"check: one plan, cold process ({SAMPLES[0].name})", lambda: _check_cold(one), repeat=10
    )
    cold_check.setup = lambda: setattr(cold_check, "target_ms", _cold_target())
    many = _ManyPlans(runs=1 if run.QUICK else 5, count=n_plans)
    folder = Path(tempfile.mkdtemp(prefix="releve-bench-cold300-"))
    cold_many: list[str] = []
    log_folder = Path(tempfile.mkdtemp(prefix="releve-bench-log-"))
    log_plan = str(log_folder / "vega.toml")
    shutil.copy(ROOT / "sample_missions" / "cabinet-vega.toml", log_plan)
    cold_log = Case(
        "log: one booking appended, cold process (cabinet-vega)",
        lambda: _log_cold(log_plan),
        repeat=10,
    )
    cold_log.setup = lambda: setattr(cold_log, "target_ms", _cold_check_median(log_plan))
    return [
        cold_log,
        Case(
            "check: baseline, cold `import tomllib, pydantic, durable.lang`",
            _bare_imports,
            repeat=10,
        ),
        cold_check,
        Case(
            "check: one plan, cold process, --format sarif",
            lambda: _check_cold(one, fmt="sarif"),
            repeat=10,
        ),
        Case(
            f"check: {n_plans} plans in one warm run, per plan beyond the first",
            many.run,
            setup=many.setup,
            repeat=many.runs,
            per=n_plans,
            target_ms=10,
        ),
        Case(
            f"check: {n_plans} plans, one cold process, per plan (all costs)",
            lambda: _check_cold(*cold_many),
            repeat=3,
            per=n_plans,
            setup=lambda: cold_many.extend(_copies(folder, n_plans)),
        ),
    ]
