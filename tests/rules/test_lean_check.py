"""`releve check` on plans read by the lean reader (planner/lean.py) finds and scores exactly
what it finds on the same plans read by pydantic, and imports no pydantic to do it."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import AS_OF, ROOT, sample_paths

from releve.planner.lean import read_for_check
from releve.planner.store import load
from releve.rules.pipeline import check_plan
from releve.rules.result import Severity
from releve.tui.render.check import indented_json, render


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


def test_plans_that_name_no_pack_share_one_load_of_the_packs(tmp_path: Path):
    """300 plans in one call load the packs once: the plan's path only matters for the packs
    it names (a plan naming one keeps its own load, resolved from its folder)."""
    from releve.rules.packs import load_pack_set

    plan, _ = read_for_check(sample_paths()[0])
    assert plan.rules is None or not plan.rules.packs
    first = load_pack_set(tmp_path / "a" / "one.toml", plan)
    assert load_pack_set(tmp_path / "b" / "two.toml", plan) is first
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "firm.toml").write_text(
        '[pack]\nid = "firm"\n[select]\nexclude = ["SIG003"]\n'
    )
    text = sample_paths()[0].read_text(encoding="utf-8")
    text = text.replace("packs = []", 'packs = ["firm.toml"]', 1)
    (tmp_path / "c" / "plan.toml").write_text(text, encoding="utf-8")
    named, _ = read_for_check(tmp_path / "c" / "plan.toml")
    own = load_pack_set(tmp_path / "c" / "plan.toml", named)
    assert own is not first and "SIG003" in own.excluded and "SIG003" not in first.excluded
    # a second plan of the same folder naming the same pack shares that load ...
    assert load_pack_set(tmp_path / "c" / "other.toml", named) is own
    # ... one elsewhere naming a pack of the same name reads its own folder's pack
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "firm.toml").write_text('[pack]\nid = "firm"\n[select]\nexclude = []\n')
    elsewhere = load_pack_set(tmp_path / "d" / "plan.toml", named)
    assert elsewhere is not own and "SIG003" not in elsewhere.excluded


_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.sampled_from([Severity.error, "\x00\x7f\u2028\u202e", -0.0]),
)
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(st.integers(), inner, min_size=1, max_size=2),  # json.dumps' own
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES)
def test_the_json_output_is_json_dumps_character_for_character(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
