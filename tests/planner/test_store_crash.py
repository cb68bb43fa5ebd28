"""A process killed (SIGKILL) while saving leaves the old plan or the new one, never a torn file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from releve.planner import store

ROOT = Path(__file__).resolve().parents[2]

# The child saves two large plans in turn, forever, printing "saved" after each save.
# Two things make a kill likelier to land inside the write itself: the texts are
# rendered once up front (tomli-w takes far longer to render 400 KB than the write
# takes), and os.write is limited to 1 KiB per call (save must loop on short writes).
CHILD = textwrap.dedent(
    """
    import datetime as dt, os, sys
    from releve.planner import store
    from releve.planner.model import MissionInfo, Person, Plan

    def plan(letter, rows):
        return Plan(
            mission=MissionInfo(id="m", start=dt.date(2027, 1, 4), title=letter * 400_000),
            person=[Person(id=f"{letter}{i}", name=letter * 40) for i in range(rows)],
        )

    a, b = plan("a", 10), plan("b", 30)
    texts = {id(a): store.dumps(a), id(b): store.dumps(b)}
    store.saving.dumps = lambda p: texts[id(p)]  # what save renders with
    real_write = os.write
    os.write = lambda fd, data: real_write(fd, bytes(data[:1024]))
    path = sys.argv[1]
    print("ready", flush=True)
    while True:
        for p in (b, a):
            store.save(p, path)
            print("saved", flush=True)
    """
)


def _plans():
    import datetime as dt

    from releve.planner.model import MissionInfo, Person, Plan

    def plan(letter: str, rows: int) -> Plan:
        return Plan(
            mission=MissionInfo(id="m", start=dt.date(2027, 1, 4), title=letter * 400_000),
            person=[Person(id=f"{letter}{i}", name=letter * 40) for i in range(rows)],
        )

    return plan("a", 10), plan("b", 30)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_sigkill_at_random_points_of_a_save_never_tears_the_file(tmp_path):
    a, b = _plans()
    path = tmp_path / "plan.toml"
    store.save(a, path)
    rng = random.Random(20270104)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outcomes = []
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        try:
            assert child.stdout.readline() == "ready\n"  # waits on the child, no sleep
            for _ in range(rng.randint(0, 4)):
                assert child.stdout.readline() == "saved\n"
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait(timeout=60)
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        plan = store.load(path).plan  # parses: never a torn file
        assert plan in (a, b)
        outcomes.append("a" if plan == a else "b")
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "plan.toml"]
        assert all(n.startswith(".plan.toml.") and n.endswith(".tmp") for n in leftovers)
        for name in leftovers:  # a killed process cannot clean up its temp file
            (tmp_path / name).unlink()
