"""Forms drawn from the model, plan edits, the recovery journal and the user keymap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_helpers import SAMPLES
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from releve.planner import store
from releve.planner.model import ARRAY_TABLES, SINGLE_TABLES, Weekday
from releve.tui.app import forms, keys
from releve.tui.app.journal import Journal, recovery_path

PLAN = store.loads((SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8"))


def test_every_table_of_the_model_has_a_form_with_a_control_kind_per_field() -> None:
    kinds = {
        "str",
        "int",
        "float",
        "bool",
        "date",
        "enum",
        "ref",
        "list_str",
        "list_enum",
        "list_ref",
        "toml",
    }
    for table in SINGLE_TABLES + ARRAY_TABLES:
        specs = forms.field_specs(table)
        assert specs and all(s.kind in kinds for s in specs)


def test_field_kinds_follow_the_annotations() -> None:
    spec = {s.key: s for s in forms.field_specs("governance")}
    assert spec["reports_to"].kind == "ref" and spec["reports_to"].ref == "person"
    assert spec["codir_seat"].kind == "bool" and spec["codir_seat"].optional
    assert spec["reporting"].kind == "enum" and spec["reporting"].optional
    assert spec["announced_on"].kind == "date"
    assert spec["steering_every_days"].kind == "int"
    transfer = {s.key: s for s in forms.field_specs("transfer")}
    assert "from" in transfer and transfer["from"].name == "from_"  # the TOML key, not from_
    assert {s.key: s.kind for s in forms.field_specs("phase")}["after"] == "list_ref"
    assert {s.key: s.kind for s in forms.field_specs("coo")}["workdays"] == "list_enum"
    assert {s.key: s.required for s in forms.field_specs("signal")}["on"] is True


def test_reference_choices_are_the_plans_ids_and_the_coo_for_transfers() -> None:
    people = [rid for _, rid in forms.ref_choices(PLAN, "governance", "reports_to")]
    assert people == [p.id for p in PLAN.person]
    assert next(rid for _, rid in forms.ref_choices(PLAN, "transfer", "from")) == "coo"
    assert ("Marc Durand (marc)", "marc") in forms.ref_choices(PLAN, "process", "owner")


def test_parse_refuses_with_a_reason() -> None:
    spec = {s.key: s for s in forms.field_specs("company")}
    with pytest.raises(ValueError, match="whole number"):
        forms.parse_value(spec["headcount"], "12a")
    assert forms.parse_value(spec["revenue_keur"], "7200,5") == 7200.5
    assert forms.parse_value(spec["headcount"], "") is None
    workdays = forms.spec_by_key("coo", "workdays")
    with pytest.raises(ValueError, match="one of mon"):
        forms.parse_value(workdays, "mon, funday")


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_date_round_trips_through_its_text(day: dt.date) -> None:
    spec = forms.spec_by_key("governance", "announced_on")
    assert forms.parse_value(spec, forms.format_value(spec, day)) == day


@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_characters=";\r\n", blacklist_categories=("Cs",)),
            min_size=1,
        )
        .map(str.strip)
        .filter(bool),
        max_size=5,
    )
)
def test_a_list_of_text_round_trips_through_its_text(items: list[str]) -> None:
    spec = forms.spec_by_key("scope", "responsibilities")
    assert forms.parse_value(spec, forms.format_value(spec, items)) == items


def test_closures_round_trip_through_inline_toml() -> None:
    spec = forms.spec_by_key("company", "closures")
    text = forms.format_value(spec, PLAN.company.closures)
    new = forms.with_field(PLAN, "company", spec, forms.parse_value(spec, text))
    assert new.company.closures == PLAN.company.closures


def test_deliverables_as_tables_round_trip_through_their_text() -> None:
    from releve.planner.model import Deliverable

    spec = forms.spec_by_key("phase", "deliverables")
    assert spec is not None and spec.kind == "list_str"
    plain = ["Carte des flux", "Feuille de route"]
    assert forms.format_value(spec, plain) == "Carte des flux; Feuille de route"
    mixed = [
        "Carte des flux",
        Deliverable(name="Feuille de route", delivered_on=dt.date(2027, 2, 1)),
    ]
    text = forms.format_value(spec, mixed)
    assert text.startswith("[")
    values = forms.row_values(PLAN.phase[0]) | {"deliverables": forms.parse_value(spec, text)}
    edited, _ = forms.set_row(PLAN, "phase", 0, forms.build_row("phase", values))
    assert edited.phase[0].deliverables == mixed
    saved = store.render(edited, (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8"))
    assert store.loads(saved).phase[0].deliverables == mixed


def test_with_field_returns_a_new_plan_and_leaves_the_old_one_alone() -> None:
    spec = forms.spec_by_key("governance", "steering_every_days")
    new = forms.with_field(PLAN, "governance", spec, 21)
    assert new.governance.steering_every_days == 21
    assert PLAN.governance.steering_every_days == 14
    with pytest.raises(ValidationError):
        forms.with_field(PLAN, "governance", spec, 0)  # ge=1


def test_clearing_a_field_removes_it_from_the_saved_text() -> None:
    spec = forms.spec_by_key("governance", "announced_on")
    new = forms.with_field(PLAN, "governance", spec, None)
    text = store.render(new, (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8"))
    assert "announced_on" not in text and store.loads(text) == new


def test_row_operations_keep_ids_unique_and_order() -> None:
    ids = [p.id for p in PLAN.phase]
    dup, at = forms.duplicate_row(PLAN, "phase", 0)
    assert at == 1 and [p.id for p in dup.phase][:2] == [ids[0], f"{ids[0]}-copy"]
    dup2, _ = forms.duplicate_row(dup, "phase", 0)
    assert f"{ids[0]}-copy-2" in [p.id for p in dup2.phase]
    moved, at = forms.move_row(PLAN, "phase", 0, 1)
    assert at == 1 and [p.id for p in moved.phase][:2] == [ids[1], ids[0]]
    same, at = forms.move_row(PLAN, "phase", 0, -1)  # already first
    assert same is PLAN and at == 0
    assert [p.id for p in forms.delete_row(PLAN, "phase", 0).phase] == ids[1:]
    with pytest.raises(ValidationError, match="duplicate"):
        forms.set_row(PLAN, "phase", 1, PLAN.phase[0])


def test_kept_what_if_sets_the_first_weekdays() -> None:
    new = forms.with_workdays(PLAN, 3)
    assert new.coo.workdays == [Weekday.mon, Weekday.tue, Weekday.wed]
    assert new.coo.leave == PLAN.coo.leave


def test_new_row_defaults_are_a_free_id_and_required_values() -> None:
    values = forms.new_row_defaults(PLAN, "signal", dt.date(2027, 3, 1))
    assert values["on"] == dt.date(2027, 3, 1)
    assert forms.build_row("signal", values).kind.value == "team_involvement"
    assert forms.new_row_defaults(PLAN, "person", dt.date(2027, 3, 1))["id"] == "person"


# --- journal -------------------------------------------------------------------------------


def test_journal_is_per_plan_path_in_the_state_dir(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RELEVE_STATE_DIR", str(tmp_path / "state"))
    a, b = Journal(tmp_path / "a.toml"), Journal(tmp_path / "b.toml")
    assert a.path.parent == tmp_path / "state" / "recovery" and a.path != b.path
    assert a.read() is None
    a.write("format = 1\n")
    assert a.read() == "format = 1\n" and b.read() is None
    assert recovery_path(tmp_path / "a.toml") == a.path
    a.clear()
    assert a.read() is None and not a.path.exists()


def test_journal_of_another_plan_is_not_offered(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RELEVE_STATE_DIR", str(tmp_path))
    journal = Journal(tmp_path / "a.toml")
    journal.write("x = 1\n")
    other = Journal(tmp_path / "b.toml")
    other.path.write_text(journal.path.read_text())  # same bytes, wrong plan
    assert other.read() is None


def test_state_dir_follows_xdg(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RELEVE_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert Journal(None).path.parent == tmp_path / "releve" / "recovery"


# --- keymap --------------------------------------------------------------------------------


def test_every_binding_has_a_unique_id() -> None:
    ids = [k.id for k in keys.ALL_KEYS]
    assert len(ids) == len(set(ids))


def test_keymap_file_is_read_from_the_config_dir(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RELEVE_CONFIG_DIR", str(tmp_path))
    assert keys.load_keymap() == {}
    (tmp_path / "keys.toml").write_text('[keys]\nsave = "ctrl+w"\n"timeline.accept" = "k"\n')
    assert keys.load_keymap() == {"save": "ctrl+w", "timeline.accept": "k"}
    monkeypatch.delenv("RELEVE_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert keys.keymap_path() == tmp_path / "xdg" / "releve" / "keys.toml"


@pytest.mark.parametrize(
    "text,reason",
    [
        ('[keys]\nsvae = "ctrl+w"\n', "unknown binding id 'svae'"),
        ("[keys]\nsave = 3\n", "must be a key string"),
        ("[keys\n", "Expected"),
    ],
)
def test_a_bad_keymap_says_what_is_wrong(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(text)
    with pytest.raises(keys.KeymapError, match=reason):
        keys.load_keymap(path)
