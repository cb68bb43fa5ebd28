"""releve benchmarks: prints one table row per case (median of repeated runs, and target).

Run:  python bench/run.py            (all cases)
      python bench/run.py schedule   (only cases whose name contains "schedule")

Each module bench/bench_<area>.py defines ``cases() -> list[Case]``. Timings are printed,
never asserted: speed targets are checked by reading this table, not by timed tests.
"""

from __future__ import annotations

import importlib
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


@dataclass
class Case:
    name: str
    run: Callable[[], object]  # one timed run
    target_ms: float | None = None  # the target, printed beside the measure
    repeat: int = 50  # timed runs (the median is reported)
    setup: Callable[[], object] | None = None  # untimed, once before the runs
    per: int = 1  # divide each run's time by this (e.g. per plan)


def measure(case: Case) -> tuple[float, float]:
    if case.setup:
        case.setup()
    case.run()  # warm-up (not for cold-process cases, which spawn a new process anyway)
    times = []
    for _ in range(case.repeat):
        t0 = time.perf_counter()
        case.run()
        times.append((time.perf_counter() - t0) * 1000 / case.per)
    return statistics.median(times), min(times)


def main(argv: list[str]) -> int:
    pattern = argv[0] if argv else ""
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    rows = []
    print(f"{'case':58} {'median ms':>10} {'min ms':>9} {'target ms':>10}  ok")
    print("-" * 95)
    for modname in modules:
        mod = importlib.import_module(modname)
        for case in mod.cases():
            if pattern not in case.name:
                continue
            try:
                med, low = measure(case)
            except Exception as exc:  # one broken case must not hide the others' figures
                print(f"{case.name:58} {'failed: ' + str(exc)[:60]}", flush=True)
                continue
            ok = "" if case.target_ms is None else ("yes" if med <= case.target_ms else "NO")
            target = "" if case.target_ms is None else f"{case.target_ms:g}"
            print(f"{case.name:58} {med:10.2f} {low:9.2f} {target:>10}  {ok}", flush=True)
            rows.append((case.name, med))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
