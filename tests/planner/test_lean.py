"""The lean reader of `releve check` (planner/lean.py, planner/lean_plan.py): generated from
the pydantic models, it accepts a plan only when pydantic accepts it with identical values;
everything else goes to pydantic, so errors stay pydantic's, word for word."""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from strategies import plans
from support import sample_paths

from releve.planner import leangen
from releve.planner.errors import PlanError
from releve.planner.lean import read_for_check, read_text
from releve.planner.lean_plan import read_plan
from releve.planner.model import Plan
from releve.planner.store import load, validate

SAMPLE_DATA = {p.name: tomli.loads(p.read_text(encoding="utf-8")) for p in sample_paths()}


def same(lean: Any, model: Any, where: str = "plan") -> None:
    """Equal value by value, type by type (1 is not 1.0), in the models' attribute order."""
    if isinstance(model, BaseModel):
        assert type(lean).__name__ == type(model).__name__, where
        assert list(vars(lean)) == list(model.__dict__), where
        for key, value in model.__dict__.items():
            same(vars(lean)[key], value, f"{where}.{key}")
        return
    assert type(lean) is type(model), (where, lean, model)
    if isinstance(model, list):
        assert len(lean) == len(model), where
        for i, (a, b) in enumerate(zip(lean, model, strict=True)):
            same(a, b, f"{where}[{i}]")
    else:
        assert lean == model, (where, lean, model)


def test_the_generated_reader_is_what_the_models_give():
    """planner/lean_plan.py is what `python -m releve.planner.leangen` prints from model.py."""
    assert leangen.TARGET.read_text(encoding="utf-8") == leangen.generate()


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.name)
def test_every_sample_reads_lean_exactly_as_pydantic_reads_it(path: Path):
    plan, text = read_for_check(path)
    assert type(plan).__module__ == "releve.planner.lean_plan"  # the fast path was taken
    assert text == path.read_text(encoding="utf-8-sig")
    same(plan, load(path).plan)


def test_the_lean_objects_do_what_the_models_do():
    plan = read_plan(SAMPLE_DATA["atelier-durand.toml"])
    model = Plan.model_validate(SAMPLE_DATA["atelier-durand.toml"])
    assert plan is not None
    assert plan.founder_id() == model.founder_id()
    assert plan.person_by_id(model.person[0].id).name == model.person[0].name
    assert plan.phase_by_id("nope") is None
    assert [p.deliverable_names for p in plan.phase] == [p.deliverable_names for p in model.phase]


# --- differential: whatever the lean reader accepts, pydantic accepts the same -------------

#: Values of every TOML type, and the edge cases of the format's constraints.
OTHER_VALUES = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, -1, 2, 4, 5, 64, 1000, 1001, 5000, 5001, 2**53, 2**53 + 1, 2**63 - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 0.5, 1.0, 1.5, 1e-300, 1e300, math.inf, -math.inf, math.nan]),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(
        [
            "",
            "x",
            "FR",
            "fr",
            "en",
            "mon",
            "done",
            "handover",
            "codir",
            "a b",
            "abc\n",
            "ID",
            "é",
            "x" * 64,
            "x" * 65,
            "2027-01-04",
            "from",
        ]
    ),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.builds(list),  # a new empty list each time: one shared object could come to hold itself
    st.builds(dict),
    st.lists(st.integers(0, 3), max_size=3),
    st.lists(st.sampled_from(["mon", "tue", "mon"]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "name", "on", "from", "to", "x"]), st.text(max_size=3)),
)


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a table or array in `data` (the places a mutation can happen)."""
    out = [path]
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(value, (dict, list)):
            out += _containers(value, (*path, key))
    return out


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A sample's data with one to three changes: a value swapped for another TOML value, a
    key dropped or added, a row duplicated, two values swapped."""
    data = copy.deepcopy(SAMPLE_DATA[draw(st.sampled_from(sorted(SAMPLE_DATA)))])
    for _ in range(draw(st.integers(1, 3))):
        where = _at(data, draw(st.sampled_from(_containers(data))))
        keys = list(where) if isinstance(where, dict) else list(range(len(where)))
        action = draw(st.sampled_from(["replace", "drop", "add", "duplicate", "swap"]))
        if action == "add" or not keys:
            if isinstance(where, dict):
                where[draw(st.sampled_from(["x", "from_", "id", "format", "kind", "on"]))] = draw(
                    OTHER_VALUES
                )
            else:
                where.append(draw(OTHER_VALUES))
            continue
        key = draw(st.sampled_from(keys))
        if action == "replace":
            where[key] = draw(OTHER_VALUES)
        elif action == "drop":
            del where[key]
        elif action == "duplicate" and isinstance(where, list):
            where.append(copy.deepcopy(where[key]))
        elif action == "swap":
            other = draw(st.sampled_from(keys))
            where[key], where[other] = where[other], where[key]
    return data


def _pydantic(data: dict[str, Any]) -> Plan | None:
    """The plan as `releve check` would read it without the lean reader (None: refused)."""
    try:
        return validate(copy.deepcopy(data), "")
    except PlanError:
        return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_what_the_lean_reader_accepts_pydantic_accepts_with_the_same_values(data):
    lean = read_plan(copy.deepcopy(data))
    model = _pydantic(data)
    if lean is not None:
        assert model is not None, "the lean reader accepted a plan pydantic refuses"
        same(lean, model)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_rows=3))
def test_random_valid_plans_read_lean_as_pydantic_reads_them(plan):
    data = plan.model_dump(mode="python", by_alias=True, exclude_none=True)
    model = _pydantic(data)
    lean = read_plan(copy.deepcopy(data))
    assert model is not None
    if lean is not None:
        same(lean, model)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["mission"].update(id="Bad Id"),
        lambda d: d["mission"].update(start="2027-01-04"),
        lambda d: d.update(format=2),
        lambda d: d["mission"].pop("start"),
        lambda d: d["phase"].append(dict(d["phase"][0])),
        lambda d: d["phase"][0].update(kind="audit"),
        lambda d: d.setdefault("company", {}).update(top_customer_share=1.5),
        lambda d: d.setdefault("company", {}).update(top_customer_share=math.nan),
        lambda d: d.setdefault("coo", {}).update(workdays=["mon", "mon"]),
        lambda d: d.setdefault("booking", []).append(
            {"on": dt.date(2027, 1, 4), "phase": "x", "days": 2}
        ),
        lambda d: d.setdefault("company", {}).update(
            closures=[{"from": dt.date(2027, 2, 1), "to": dt.date(2027, 1, 1)}]
        ),
        lambda d: d["mission"].update(title=dt.datetime(2027, 1, 4, 9, 0)),
        lambda d: d.update(unknown_table={}),
    ],
)
def test_a_plan_pydantic_refuses_is_left_to_pydantic(change):
    data = copy.deepcopy(SAMPLE_DATA["atelier-durand.toml"])
    change(data)
    assert _pydantic(data) is None
    assert read_plan(data) is None


def test_a_broken_file_gives_the_stores_located_error_word_for_word(tmp_path: Path):
    texts = [
        "",
        "[mission\n",
        '[mission]\nid = "x"\nstart = 2027-02-30\n',
        '[mission]\nid = "Bad Id"\nstart = 2027-01-04\n',
        '[mission]\nid = "x"\nstart = 2027-01-04\n\n[[phase]]\nid = "a"\nkind = "nope"\n',
        '[mission]\nid = "x"\nstart = 2027-01-04\n[company]\nheadcount = "12"\n',
    ]
    for i, text in enumerate(texts):
        path = tmp_path / f"p{i}.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(PlanError) as lean:
            read_for_check(path)
        with pytest.raises(PlanError) as store:
            load(path)
        assert str(lean.value) == str(store.value)
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('[mission]\nid = "x"\ntitle = "é"\n'.encode("latin-1"))
    with pytest.raises(PlanError) as lean:
        read_for_check(bad)
    with pytest.raises(PlanError) as store:
        load(bad)
    assert str(lean.value) == str(store.value)
    assert read_text("   \n") is None
