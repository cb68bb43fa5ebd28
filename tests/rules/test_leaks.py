"""10,000 evaluations leak no memory: Python allocations and the process's resident size
stay bounded, and every durable_rules session is deleted."""

from __future__ import annotations

import datetime as dt
import gc
import tracemalloc
from pathlib import Path

import pytest

from releve.planner.schedule import schedule_plan
from releve.planner.store import load
from releve.rules import engine as eng
from releve.rules.compile import normalise_all
from releve.rules.facts import build_facts
from releve.rules.packs import load_pack_set
from releve.rules.pipeline import _compiled, check_plan

SAMPLE = Path(__file__).resolve().parents[2] / "sample_missions" / "cabinet-vega.toml"
AS_OF = dt.date(2027, 3, 1)


def rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4  # resident pages of 4 KiB


@pytest.mark.slow
@pytest.mark.skipif(not eng.available(), reason="durable_rules not installed")
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc (Linux)")
def test_ten_thousand_evaluations_leak_no_memory():
    plan = load(SAMPLE).plan
    ps = load_pack_set()
    comp = _compiled(ps)
    facts = normalise_all(build_facts(plan, schedule_plan(plan), AS_OF), comp.main_fields)
    ev = eng.evaluator()
    expected = ev.evaluate(comp.main, comp.main_digest, facts)
    assert expected  # the sample has findings: every evaluation runs actions
    for _ in range(300):  # warm up: caches, allocator arenas
        ev.evaluate(comp.main, comp.main_digest, facts)
    gc.collect()
    rss_before = rss_kib()
    first_sid = next(ev._sessions)
    undeleted = ev.undeleted
    for _ in range(8_000):
        assert ev.evaluate(comp.main, comp.main_digest, facts) == expected
    # The last 2,000 under tracemalloc (it slows every allocation down).
    gc.collect()
    tracemalloc.start()
    py_before = tracemalloc.get_traced_memory()[0]
    for _ in range(2_000):
        assert ev.evaluate(comp.main, comp.main_digest, facts) == expected
    gc.collect()
    py_growth = tracemalloc.get_traced_memory()[0] - py_before
    tracemalloc.stop()
    rss_growth = rss_kib() - rss_before
    assert py_growth < 256 * 1024, f"Python allocations grew by {py_growth} bytes"
    # A leaked session holds every fact of a plan (tens of KiB): 10,000 would be
    # hundreds of MiB. Allow allocator noise only.
    assert rss_growth < 16 * 1024, f"resident size grew by {rss_growth} KiB"
    assert ev.undeleted == undeleted
    # Sessions are gone: deleting one again is an error, not a state.
    import durable_rules_engine

    name = ev._compiled[comp.main_digest]
    for sid in (first_sid + 1, first_sid + 5_000):
        with pytest.raises(durable_rules_engine.error):
            ev._host.delete_state(name, str(sid))


@pytest.mark.slow
def test_repeated_checks_keep_caches_bounded():
    plan = load(SAMPLE).plan
    text = SAMPLE.read_text(encoding="utf-8")
    import releve.rules.pipeline as pl

    for i in range(50):
        check_plan(plan, as_of=AS_OF + dt.timedelta(days=i), text=text + "\n" * i)
    from releve.planner.store import index_text

    assert index_text.cache_info().currsize <= 8  # the text positions the findings use
    assert len(pl._COMPILED) <= 257
