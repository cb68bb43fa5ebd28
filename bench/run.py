"""releve benchmarks: prints one table row per case (median of repeated runs, and target).

Run:  python bench/run.py            (all cases)
      python bench/run.py schedule   (only cases whose name contains "schedule")
      python bench/run.py --quick    (every case once, on small inputs: does each still run?)
      python bench/run.py --module app --quick   (only the cases of bench/bench_app.py)

Each module bench/bench_<area>.py defines ``cases() -> list[Case]``; a case reads ``QUICK``
to shrink its inputs (tests/e2e/test_bench.py runs every module once that way, so no case
rots). Timings are printed, never asserted: speed targets are checked by reading this table,
not by timed tests. The exit code is 1 when a case failed (its row says why), else 0.
"""

from __future__ import annotations

import argparse
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

#: Fast mode: every case once (no warm-up, no repeats), on inputs the case makes small.
QUICK = False


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
    if not QUICK:
        case.run()  # warm-up (not for cold-process cases, which spawn a new process anyway)
    times = []
    for _ in range(1 if QUICK else case.repeat):
        t0 = time.perf_counter()
        case.run()
        times.append((time.perf_counter() - t0) * 1000 / case.per)
    return statistics.median(times), min(times)


def main(argv: list[str]) -> int:
    global QUICK
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="", help="only cases whose name has it")
    parser.add_argument("--quick", action="store_true", help="every case once, small inputs")
    parser.add_argument("--module", help="only bench/bench_MODULE.py")
    args = parser.parse_args(argv)
    QUICK = args.quick
    # The bench modules import this file as `run`: one module, so they see QUICK.
    sys.modules.setdefault("run", sys.modules[__name__])
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if args.module:
        modules = [m for m in modules if m == f"bench_{args.module}"]
        if not modules:
            parser.error(f"no bench/bench_{args.module}.py")
    failed = 0
    print(f"{'case':58} {'median ms':>10} {'min ms':>9} {'target ms':>10}  ok")
    print("-" * 95)
    for modname in modules:
        mod = importlib.import_module(modname)
        for case in mod.cases():
            if args.pattern not in case.name:
                continue
            try:
                med, low = measure(case)
            except Exception as exc:  # one broken case must not hide the others' figures
                reason = " ".join(str(exc).split()) or type(exc).__name__
                print(f"{case.name:58} {'failed: ' + reason[:200]}", flush=True)
                failed += 1
                continue
            ok = "" if case.target_ms is None else ("yes" if med <= case.target_ms else "NO")
            target = "" if case.target_ms is None else f"{case.target_ms:g}"
            print(f"{case.name:58} {med:10.2f} {low:9.2f} {target:>10}  {ok}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
