"""The rows of a portfolio, from the cache where it has them, the others checked (in
worker processes when there are many).

Each plan is read once: a plan whose content, packs and date were checked before is its
stored row (:mod:`.rows`); the others are checked. With ``jobs`` above one (the command
line asks for the processors the machine's load leaves idle), the checks run in
worker processes forked from this one after it has checked the first plan itself: the
workers inherit the imported checker, the loaded pack sets and the repositories' logs
instead of loading them again. Results come back in the plans' order; a plan that cannot
be read is still a row with its error; a worker that dies leaves its plans to be checked
here. Forking is used on Linux only, from a process running one thread (elsewhere, and
inside the app, the checks run one after the other).
"""

from __future__ import annotations

import gc
import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from releve.tui.history.cache import Cache
from releve.tui.history.rows import (
    Options,
    PackSets,
    Row,
    RowStore,
    checked_row,
    packs_of,
    read_plan,
    with_trend,
)

#: Fewer plans to check than this are checked here: starting workers would cost more.
MIN_PARALLEL = 24
#: At most this many workers, whatever the machine.
MAX_JOBS = 8

Progress = Callable[[int, int], None]  # (plans done, plans in all)
Made = tuple[Row, dict[str, Any] | None]  # a row checked, and its entry for the store


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Worker processes are forked on Linux, from a process with one thread only."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def auto_jobs() -> int:
    """The workers the command line uses by default: the processors left idle by the
    machine's load (this process's own included), at most 8, at least 1. On a machine
    whose processors are all busy, workers only add the cost of starting them."""
    cpus = usable_cpus()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on every system
        load = 0.0
    idle = int(cpus - load + 1)
    return max(1, min(idle, cpus, MAX_JOBS))


def workers(to_check: int, jobs: int) -> int:
    """How many worker processes check ``to_check`` plans when ``jobs`` are allowed: 1
    (here, one by one) when few plans need a check or forking is not possible."""
    if jobs <= 1 or to_check < 2 or not can_fork():
        return 1
    if jobs > MAX_JOBS:
        jobs = MAX_JOBS
    return max(1, min(jobs, to_check // (MIN_PARALLEL // 2)))


def portfolio_rows(
    plans: Sequence[str],
    opts: Options,
    cache: Cache,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    min_parallel: int = MIN_PARALLEL,
) -> list[Row]:
    """One row per plan, in the plans' order, each with its trend when ``opts.trend``."""
    packs = packs_of(opts)
    sets = PackSets(opts.extra_packs, opts.pack_path, opts.packs_only)
    store = RowStore(cache, opts, packs)
    reads = [read_plan(p, cache) for p in plans]
    rows: list[Row | None] = [store.row(p, r) for p, r in zip(plans, reads, strict=True)]
    todo = [i for i, r in enumerate(rows) if r is None]
    total, done = len(plans), len(plans) - len(todo)

    def one(i: int) -> Made:
        row, entry = checked_row(plans[i], reads[i], opts, packs, sets)
        return with_trend(row, opts, cache), entry

    def tick() -> None:
        if progress is not None:
            progress(done, total)

    n = workers(len(todo), jobs) if len(todo) >= min_parallel else 1
    made: Iterator[tuple[int, Made]]
    if n > 1:
        # This process checks the first plan: the workers it forks then inherit the
        # checker's imports, the pack set and the repository's log.
        first = todo[0]
        made = itertools.chain([(first, one(first))], _forked(one, todo[1:], n))
    else:
        made = ((i, one(i)) for i in todo)
    for i, (row, entry) in made:
        rows[i] = row
        store.add(reads[i].blob, entry)
        done += 1
        tick()
    store.save()
    checked = set(todo)
    out: list[Row] = []
    for i, found in enumerate(rows):
        assert found is not None
        out.append(found if i in checked else with_trend(found, opts, cache))
    return out


# --- worker processes -------------------------------------------------------------------------

#: The work of the pool being run: set before forking, inherited by the workers (a closure
#: over the plans and options is never pickled; only plan numbers and rows cross).
_WORK: Callable[[int], Any] | None = None


def _call(i: int) -> tuple[int, Any]:
    assert _WORK is not None
    return i, _WORK(i)


def _forked(work: Callable[[int], Made], items: list[int], n: int) -> Iterator[tuple[int, Made]]:
    """``work`` of each item in ``n`` forked processes, given back in the items' order as
    they are done. A worker that dies (killed, out of memory) leaves the items not done to
    this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORK
    done: set[int] = set()
    _WORK = work
    # What this process holds is moved out of the collector's sight: a worker's collections
    # would otherwise walk (and copy, page by page) the whole inherited heap.
    gc.freeze()
    try:
        chunk = max(1, len(items) // (n * 4))
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
            for i, row in pool.map(_call, items, chunksize=chunk):
                done.add(i)
                yield i, row
    except BrokenProcessPool:
        pass
    finally:
        _WORK = None
        gc.unfreeze()
    for i in items:
        if i not in done:
            yield i, work(i)
