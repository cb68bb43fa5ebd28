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
from pathlib import Path

from run import ROOT, Case

SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))


def _version_cold() -> None:
    subprocess.run(
        [sys.executable, "-m", "tui.cli", "--version"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _python_cold() -> None:
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def cases() -> list[Case]:
    from planner import store

    folder = Path(tempfile.mkdtemp(prefix="releve-bench-store-"))
    out: list[Case] = []
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8")
        pf = store.load(sample)
        edited = pf.plan.model_copy(deep=True)
        if edited.phase:
            edited.phase[0].effort_days += 1
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
                lambda p=edited, t=text: store.render(p, t),
            ),
            Case(
                f"store: save with base {name} (render, fsync, rename)",
                lambda p=edited, b=base, t=target: store.save(p, t, base=b, force=True),
                repeat=20,
            ),
        ]
    out += [
        Case("cli: baseline, cold `python -c pass`", _python_cold, repeat=10),
        Case("cli: `releve --version`, cold process", _version_cold, target_ms=100, repeat=10),
    ]
    return out
