"""`releve check` on plans read by the lean reader (planner/lean.py) finds and scores exactly
what it finds on the same plans read by pydantic, and imports no pydantic to do it."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import AS_OF, ROOT, sample_paths

from releve.planner.lean import read_for_check
from releve.planner.store import load
from releve.rules.pipeline import check_plan
from releve.tui.render.check import render


def _outputs(plan, path: Path, text: str, lang: str | None):
    result = check_plan(plan, as_of=AS_OF, path=str(path), text=text, lang=lang)
    fields = {
        f.name: getattr(result, f.name)
        for f in dataclasses.fields(result)
        if f.name not in ("plan", "schedule", "tracking")
    }
    shown = {fmt: render(fmt, [result], lang=lang) for fmt in ("text", "json", "sarif", "junit")}
    return fields, shown, result.schedule.phases, result.forecast, result.booked_days


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.name)
@pytest.mark.parametrize("lang", [None, "en"])
def test_findings_scores_and_every_output_are_the_same_from_either_reader(path, lang):
    lean_plan, text = read_for_check(path)
    assert type(lean_plan).__module__ == "releve.planner.lean_plan"
    pf = load(path)
    assert _outputs(lean_plan, path, text, lang) == _outputs(pf.plan, path, pf.text, lang)


def test_a_cold_check_imports_neither_pydantic_nor_the_store_writers():
    code = (
        "import sys\n"
        "from releve.tui.cli import main\n"
        f"code = main(['check', {str(sample_paths()[0])!r}, '--as-of', '{AS_OF}'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'pydantic_core', 'tomlkit', 'textual', 'holidays'))\n"
        "print('HEAVY', heavy, code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "RELEVE_ENGINE"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("HEAVY [] "), last
    assert last.split()[-1] in ("0", "1")  # it checked (findings or none), it did not fail
