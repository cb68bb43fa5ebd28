"""Every benchmark case still runs: `python bench/run.py --quick` runs each case once.

A benchmark nobody runs rots (issue 14: a case had failed for weeks, unnoticed). The
figures are not asserted (speed is read from the full run's table, never from a timed
test); what is asserted is that each module lists cases and that none of them fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The end of a row: median and minimum (ms), then the target and whether it is met.
FIGURES = re.compile(r" \d+\.\d\d +\d+\.\d\d(?: +\d+(?:\.\d+)? +(?:yes|NO))? *$")
MODULES = sorted(p.stem.removeprefix("bench_") for p in (ROOT / "bench").glob("bench_*.py"))


def test_there_are_bench_modules() -> None:
    assert {"app", "check", "planner", "report", "rules", "store", "widgets"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_every_case_of_the_module_runs_once(module: str, tmp_path: Path) -> None:
    env = {**os.environ, "RELEVE_STATE_DIR": str(tmp_path), "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--module", module],
        cwd=tmp_path,  # not the repository: the bench finds its files itself
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    rows = done.stdout.splitlines()[2:]  # after the header and its rule
    failed = [r for r in rows if " failed: " in r]
    assert not failed, "\n".join(failed) + done.stderr[-2000:]
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert rows, f"bench_{module}.py listed no case"
    for row in rows:  # every row carries its median and minimum in milliseconds
        assert FIGURES.search(row), row
