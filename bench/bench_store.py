"""Benchmarks of the plan file layer: load and validate each sample, save it (canonical and
comment-preserving), and `releve --version` as a cold process.

Targets (issue 2): load + validate of a sample under 2 ms; `releve --version` cold under
100 ms. Saves have no target; they are printed so a slow render shows up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from run import ROOT, Case

SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))


def _version_cold() -> None:
    subprocess.run(
        [sys.executable, "-m", "releve.tui.cli", "--version"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _python_cold() -> None:
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def _large_plan() -> str:
    """The Atelier Durand sample with 1,001 [[kpi]] rows (the 7 rows, renamed, 143 times)."""
    import tomli_w

    text = (ROOT / "sample_missions" / "atelier-durand.toml").read_text(encoding="utf-8")
    rows = tomllib.loads(text)["kpi"]
    extra = "".join(
        "\n[[kpi]]\n" + tomli_w.dumps({**r, "id": f"{r['id']}-{n}"})
        for n in range(1, 143)
        for r in rows
    )
    return text.replace("# --- Signaux faibles", extra + "\n# --- Signaux faibles", 1)


def _large_plan_cases() -> list[Case]:
    """render() as the app's journal calls it (every ~2 s) on a plan with 1,001 KPI rows."""
    from releve.planner import store

    text = _large_plan()
    plan = store.loads(text)
    edits = []
    for n in range(2):  # two plans taken in turn: every render is of a plan not rendered last
        edited = plan.model_copy(deep=True)
        edited.kpi[500].baseline = n + 100
        edited.kpi.insert(600, edited.kpi[3].model_copy(update={"id": f"new-{n}"}))
        edits.append(edited)
    turn = iter(range(10**9))
    return [
        Case(
            "store: render 2 edits (a value, a new row) onto 1,001 KPI rows",
            lambda: store.render(edits[next(turn) % 2], text),
        ),
        Case(
            "store: render the same plan again onto 1,001 KPI rows (journal, no edit since)",
            lambda: store.render(edits[0], text),
        ),
    ]


def cases() -> list[Case]:
    from releve.planner import store

    folder = Path(tempfile.mkdtemp(prefix="releve-bench-store-"))
    out: list[Case] = []
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8")
        pf = store.load(sample)
        edited = pf.plan.model_copy(deep=True)
        if edited.phase:
            edited.phase[0].effort_days += 1
        # render() reuses its last result for the same plan: two plans taken in turn
        # measure a render of a plan not rendered last (the cost of a save after an edit)
        other = edited.model_copy(deep=True)
        other.mission.title = (other.mission.title or "") + " (bis)"
        turn = iter(range(10**9))
        target = folder / sample.name
        target.write_text(text, encoding="utf-8")
        base = store.load(target)
        name = sample.stem
        out += [
            Case(f"store: loads + validate {name}", lambda t=text: store.loads(t), target_ms=2),
            Case(f"store: load file {name}", lambda s=sample: store.load(s), target_ms=2),
            Case(f"store: dumps {name}", lambda p=pf.plan: store.dumps(p)),
            Case(
                f"store: render one edit onto {name} (comments kept)",
                lambda p=(edited, other), t=text, n=turn: store.render(p[next(n) % 2], t),
            ),
            Case(
                f"store: save with base {name} (render, fsync, rename)",
                lambda p=edited, b=base, t=target: store.save(p, t, base=b, force=True),
                repeat=20,
            ),
        ]
    out += _large_plan_cases()
    out += [
        Case("cli: baseline, cold `python -c pass`", _python_cold, repeat=10),
        Case("cli: `releve --version`, cold process", _version_cold, target_ms=100, repeat=10),
    ]
    return out
