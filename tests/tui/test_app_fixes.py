"""Pilot tests of the reviewer's fixes: plan text shown literally (never markup), ids checked
inside the row dialog, safe default buttons, save-as and waiver checks, French reasons,
enumeration labels and singular row names."""

from __future__ import annotations

import datetime as dt
import enum
import re
from pathlib import Path

import pytest
from app_helpers import (
    SIZE,
    click,
    copy_sample,
    form_of,
    goto,
    isolated_dirs,  # noqa: F401 - autouse fixture
    make_app,
    pilot_test,
    settle,
    shown,
    wait_for,
    where,
)
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Select, SelectionList, Static
from textual.widgets._data_table import default_cell_formatter

from releve.planner import model as m
from releve.planner import store
from releve.tui import i18n
from releve.tui.app import forms
from releve.tui.app.app import MainScreen
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.row_form import RowFormScreen
from releve.tui.app.screens.save_as import SaveAsScreen
from releve.tui.app.screens.waive import WaiveScreen
from releve.tui.app.widgets.findings import FindingsList
from releve.tui.app.widgets.rows import RowTable

WEIRD_NAME = "Nathalie [/x] Roux [b]"
WEIRD_ROLE = "Chef d'atelier [intérim]"


def cell_shown(cell: object) -> str:
    """The text a DataTable cell shows (DataTable's own formatter: strings are markup)."""
    rendered = default_cell_formatter(cell)
    return str(getattr(rendered, "plain", rendered))


def bracketed_sample(tmp_path: Path) -> Path:
    path = copy_sample(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace('name = "Nathalie Roux"', f'name = "{WEIRD_NAME}"')
    text = text.replace('role = "Chef d\'atelier"', f'role = "{WEIRD_ROLE}"')
    assert WEIRD_NAME in text and WEIRD_ROLE in text
    path.write_text(text, encoding="utf-8")
    return path


async def open_row_form(pilot, app, section: str, key: str = "a", row: int | None = None):
    await goto(pilot, app, section)
    table = app.current_view()
    table.focus()
    if row is not None:
        table.move_cursor(row=row)
        await pilot.pause()
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, RowFormScreen))
    await pilot.pause()
    return form_of(app)


def field_error(form, key: str) -> str:
    return shown(form.query_one(f"#row-{key}").query_one(".field-error", Static))


# --- 1. square brackets in plan text ------------------------------------------------------


@pilot_test
async def test_brackets_in_names_and_roles_show_as_typed_in_the_people_table(tmp_path) -> None:
    app = make_app(bracketed_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "person")
        await pilot.pause()
        table = app.current_view()
        assert isinstance(table, RowTable)
        ids = [p.id for p in app.plan.person]
        nathalie = table.get_row_at(ids.index("nathalie"))
        karim = table.get_row_at(ids.index("karim"))
        columns = list(forms.TABLE_COLUMNS["person"])
        assert cell_shown(nathalie[columns.index("name")]) == WEIRD_NAME
        assert cell_shown(karim[columns.index("role")]) == WEIRD_ROLE
        assert app.is_running  # drawn without a markup error


@pilot_test
async def test_brackets_in_a_name_show_in_reference_lists_and_under_fields(tmp_path) -> None:
    app = make_app(bracketed_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        # a reference list offering the person (governance: reports to)
        await goto(pilot, app, "governance")
        select = form_of(app).query_one("#f-reports_to", Select)
        prompts = [str(getattr(p, "plain", p)) for p, _ in select._options]
        assert f"{WEIRD_NAME} (nathalie)" in prompts
        # the processes table and its owner lists, which name her, draw
        await goto(pilot, app, "process")
        await pilot.pause()
        assert app.is_running
        # the row dialog of a person: a reason typed under a field stays literal
        form = await open_row_form(pilot, app, "person")
        form.set_error("name", "motif ^[a-z0-9_-]+$ [b]")
        await pilot.pause()
        assert field_error(form, "name") == "✖ motif ^[a-z0-9_-]+$ [b]"
        form.show_findings({"name": [f"{WEIRD_NAME} est une personne clé"]})
        await pilot.pause()
        finding = form.query_one("#row-name").query_one(".field-finding", Static)
        assert shown(finding) == f"{WEIRD_NAME} est une personne clé"


@pilot_test
async def test_an_id_refused_by_its_pattern_says_why_in_plain_words(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        form = await open_row_form(pilot, app, "person")
        form.query_one("#f-id", Input).value = "Not A Slug"
        await pilot.pause()
        assert field_error(form, "id") == "✖ only lowercase letters, digits, - and _"


# --- 2. a duplicate id keeps the dialog open ----------------------------------------------


@pilot_test
async def test_a_duplicate_id_keeps_the_dialog_open_with_the_reason_under_the_id(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = list(app.plan.person)
        form = await open_row_form(pilot, app, "person")
        form.query_one("#f-id", Input).value = "marc"
        form.query_one("#f-name", Input).value = "Marc Lefèvre"
        form.query_one("#f-role", Input).value = "Acheteur"
        await pilot.pause()
        await click(pilot, app, "#ok")
        await pilot.pause()
        assert isinstance(app.screen, RowFormScreen)  # still open
        assert app.plan.person == before
        assert "« marc »" in form.errors["id"] and "personne" in form.errors["id"]
        assert field_error(form, "id").startswith("✖ Un autre élément (personne)")
        # what was typed is still there; a free id and OK adds the row
        assert form.query_one("#f-name", Input).value == "Marc Lefèvre"
        form.query_one("#f-id", Input).value = "marc-l"
        await pilot.pause()
        assert "id" not in form.errors
        await click(pilot, app, "#ok")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        added = app.plan.person[-1]
        assert (added.id, added.name, added.role) == ("marc-l", "Marc Lefèvre", "Acheteur")


@pilot_test
async def test_editing_a_row_may_keep_its_own_id_but_not_take_another(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        ids = [p.id for p in app.plan.person]
        form = await open_row_form(pilot, app, "person", key="e", row=ids.index("karim"))
        form.query_one("#f-id", Input).value = "marc"
        await pilot.pause()
        assert "id" in form.errors
        form.query_one("#f-id", Input).value = "karim"
        form.query_one("#f-name", Input).value = "Karim B."
        await pilot.pause()
        assert not form.errors
        await click(pilot, app, "#ok")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.plan.person[ids.index("karim")].name == "Karim B."
        assert [p.id for p in app.plan.person] == ids


# --- 3. safe default buttons ------------------------------------------------------------------


@pilot_test
async def test_enter_in_the_conflict_dialog_cancels_and_keeps_the_edits(tmp_path) -> None:
    path = copy_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        control = form_of(app).query_one("#f-sector", Input)
        control.value = "Menuiserie"
        await wait_for(pilot, lambda: app.dirty)
        theirs = path.read_text(encoding="utf-8") + "\n# theirs\n"
        path.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "choice-cancel"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert app.dirty and app.plan.company.sector == "Menuiserie"
        assert path.read_text(encoding="utf-8") == theirs


@pilot_test
async def test_enter_in_the_delete_dialog_keeps_the_row(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "kpi")
        app.current_view().focus()
        before = app.plan
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "choice-cancel"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.plan is before


# --- 4. save as: the folder must exist ----------------------------------------------------


@pilot_test
async def test_save_as_refuses_a_missing_folder_and_a_folder_then_saves(tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    app = make_app(None, cwd=tmp_path, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        form_of(app).query_one("#f-sector", Input).value = "Alu"
        await wait_for(pilot, lambda: app.dirty)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen))
        field = where(app).query_one("#path", Input)
        error = where(app).query_one("#save-error", Static)
        field.value = "nodir/x.toml"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsScreen)
        assert shown(error) == f"✖ Le dossier {tmp_path / 'nodir'} n'existe pas"
        field.value = "plans"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsScreen)
        assert "est un dossier" in shown(error)
        field.value = "plans/durand.toml"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.dirty)
        assert app.path == tmp_path / "plans" / "durand.toml"
    assert store.load(tmp_path / "plans" / "durand.toml").plan.company.sector == "Alu"


# --- 5. waiver expiry -----------------------------------------------------------------------


@pilot_test
async def test_a_waiver_must_expire_after_the_check_date_checked_as_you_type(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))  # French plan, as of 2027-03-01
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        findings = app.query_one(FindingsList)
        i = next(i for i, f in enumerate(findings.findings) if not f.waived)
        findings.focus()
        findings.highlighted = i
        before = len(app.plan.waiver)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WaiveScreen))
        dialog = where(app)
        expires = dialog.query_one("#expires", Input)
        error = dialog.query_one("#waive-error", Static)
        assert expires.placeholder == "AAAA-MM-JJ"
        dialog.query_one("#reason", Input).value = "Suppléante recrutée en avril"
        expires.value = "2027-02-15"
        await pilot.pause()
        assert "2027-03-01" in shown(error)  # said as you type, before OK
        await click(pilot, app, "#ok")
        assert isinstance(app.screen, WaiveScreen) and len(app.plan.waiver) == before
        expires.value = "2027-03-01"  # the check date itself: expired at once
        await pilot.pause()
        assert "2027-03-01" in shown(error)
        expires.value = "2027-02-30"
        await pilot.pause()
        assert shown(error) == "✖ Échéance : cette date n'existe pas"
        expires.value = "30/06/2027"
        await pilot.pause()
        assert shown(error) == "✖ Échéance : une date AAAA-MM-JJ est attendue"
        expires.value = "2027-06-30"
        await pilot.pause()
        assert shown(error) == ""
        await click(pilot, app, "#ok")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.plan.waiver[-1].expires == dt.date(2027, 6, 30)


def test_the_waiver_dialog_takes_the_check_date_it_is_given() -> None:
    screen = WaiveScreen("EXT002", None, "en", as_of=dt.date(2030, 1, 1))
    assert screen.as_of == dt.date(2030, 1, 1)
    assert screen._expires("2029-12-31") == ("The expiry must be after 2030-01-01 (the check date)")
    assert screen._expires("2030-01-02") == dt.date(2030, 1, 2)


# --- 6. French reasons --------------------------------------------------------------------


@pilot_test
async def test_reasons_under_fields_are_in_french_in_the_french_ui(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        form = form_of(app)
        form.query_one("#f-headcount", Input).value = "4x"
        await pilot.pause()
        assert field_error(form, "headcount") == "✖ un nombre entier est attendu"
        form.query_one("#f-headcount", Input).value = "-3"  # refused by the model (app.py)
        await pilot.pause()
        assert field_error(form, "headcount") == "✖ doit être supérieur ou égal à 0"
        await goto(pilot, app, "governance")
        form = form_of(app)
        form.query_one("#f-announced_on", Input).value = "2027-02-30"
        await pilot.pause()
        assert field_error(form, "announced_on") == "✖ cette date n'existe pas"
        form.query_one("#f-announced_on", Input).value = "le 3 mars"
        await pilot.pause()
        assert field_error(form, "announced_on") == "✖ une date AAAA-MM-JJ est attendue"
        assert form.query_one("#f-announced_on", Input).placeholder == "AAAA-MM-JJ"
        await pilot.press("ctrl+z")  # leave the plan as it was
        form = await open_row_form(pilot, app, "person")
        form.query_one("#f-id", Input).value = ""
        await pilot.pause()
        assert field_error(form, "id") == "✖ Champ obligatoire"
        form.query_one("#f-id", Input).value = "Pas Bon"
        await pilot.pause()
        assert field_error(form, "id") == "✖ uniquement des minuscules, des chiffres, - et _"


def test_parse_value_speaks_the_language_it_is_given() -> None:
    spec = {s.key: s for s in forms.field_specs("company")}
    with pytest.raises(ValueError, match="^un nombre entier est attendu$"):
        forms.parse_value(spec["headcount"], "12a", "fr")
    with pytest.raises(ValueError, match="^a whole number is expected$"):
        forms.parse_value(spec["headcount"], "12a")
    date = forms.spec_by_key("governance", "announced_on")
    with pytest.raises(ValueError, match="^no such date$"):
        forms.parse_value(date, "2027-02-30")
    with pytest.raises(ValueError, match="^cette date n'existe pas$"):
        forms.parse_value(date, "2027-02-30", "fr")


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.sampled_from(["en", "fr"]),
)
def test_every_real_date_parses_and_every_impossible_day_says_so(day: dt.date, lang: str) -> None:
    assert forms.parse_date(day.isoformat(), lang) == day
    impossible = f"{day.year:04d}-{day.month:02d}-32"
    with pytest.raises(ValueError) as err:
        forms.parse_date(impossible, lang)
    assert str(err.value) == i18n.reason(lang, "no_such_date")


def test_every_english_reason_has_a_french_one_recognised_back() -> None:
    for rid, text in i18n.table("en", "reason").items():
        values = {name: f"<{name}>" for name in re.findall(r"\{(\w+)\}", text)}
        english = text.format(**values)
        french = i18n.localize_reason("fr", english)
        if rid in ("too_short", "int_pyd", "int_frac", "float_pyd"):
            continue  # share their French text with another reason
        assert french == i18n.reason("fr", rid, **values) != english, rid


# --- 7. enumeration labels ---------------------------------------------------------------


def _model_enums() -> list[type[enum.Enum]]:
    return [
        v
        for v in vars(m).values()
        if isinstance(v, type) and issubclass(v, enum.Enum) and v.__module__ == m.__name__
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_value_of_every_model_enumeration_has_a_label(lang: str) -> None:
    for enum_type in _model_enums():
        labels = [i18n.enum_label(lang, enum_type, e) for e in enum_type]
        assert set(i18n.table(lang, f"enum.{enum_type.__name__}")) == {e.value for e in enum_type}
        assert len(set(labels)) == len(labels), enum_type  # one label, one value


@pilot_test
async def test_selects_and_cells_show_labels_and_keep_the_stored_values(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "mission")
        status = form_of(app).query_one("#f-status", Select)
        options = {str(getattr(p, "plain", p)): v for p, v in status._options}
        assert options["En préparation"] == "planning" and status.value == "planning"
        await goto(pilot, app, "coo")
        days = form_of(app).query_one("#f-workdays", SelectionList)
        prompts = [str(days.get_option_at_index(i).prompt) for i in range(days.option_count)]
        assert prompts[:2] == ["Lundi", "Mardi"]
        await goto(pilot, app, "phase")
        table = app.current_view()
        kind = list(forms.TABLE_COLUMNS["phase"]).index("kind")
        kinds = [cell_shown(table.get_row_at(i)[kind]) for i in range(table.row_count)]
        assert kinds[0] == "Audit flash" and "flash_audit" not in kinds
        # choosing a label stores the value
        await goto(pilot, app, "governance")
        reporting = form_of(app).query_one("#f-reporting", Select)
        reporting.value = "quarterly"
        await wait_for(pilot, lambda: app.plan.governance.reporting == m.Reporting.quarterly)
        labels = {v: str(getattr(p, "plain", p)) for p, v in reporting._options}
        assert labels["quarterly"] == "Trimestriel"


# --- 8. one row is named in the singular --------------------------------------------------


def test_a_row_is_named_with_a_singular_noun() -> None:
    assert i18n.row_label("fr", "person", "marc") == "Personne marc"
    assert i18n.row_label("en", "kpi", "marge") == "KPI marge"
    for lang in ("en", "fr"):
        for table, kind in i18n.SECTIONS:
            if kind == "array":
                noun, plural = i18n.row_noun(lang, table), i18n.section_label(lang, table)
                assert noun != plural or (lang, table) == ("fr", "process"), (lang, table)


@pilot_test
async def test_dialog_titles_name_one_row_in_the_singular(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        ids = [p.id for p in app.plan.person]
        await open_row_form(pilot, app, "person", key="e", row=ids.index("nathalie"))
        title = where(app).query_one(".dialog-title")
        assert shown(title) == "Modifier : Personne nathalie"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        body = where(app).query_one(".dialog-body", Static)
        assert shown(body).startswith("Supprimer Personne nathalie ?")
