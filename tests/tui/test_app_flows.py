"""Pilot tests of the app's flows: open, edit each kind of field, rows, undo/redo, findings,
waive, what-if, save, conflict, recovery, broken file, keys."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

from app_helpers import (
    SAMPLES,
    SIZE,
    click,
    copy_sample,
    form_of,
    goto,
    isolated_dirs,  # noqa: F401 - autouse fixture
    make_app,
    pilot_test,
    settle,
    type_into,
    wait_for,
    where,
)
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from releve.planner import store
from releve.planner.model import Weekday
from releve.tui.app.app import MainScreen
from releve.tui.app.journal import Journal
from releve.tui.app.screens.broken import BrokenFileScreen
from releve.tui.app.screens.choice import ChoiceScreen
from releve.tui.app.screens.explain import ExplainScreen
from releve.tui.app.screens.help import HelpScreen
from releve.tui.app.screens.row_form import RowFormScreen
from releve.tui.app.screens.save_as import SaveAsScreen
from releve.tui.app.screens.waive import WaiveScreen
from releve.tui.app.widgets.findings import FindingsList, finding_section
from releve.tui.app.widgets.panels import HeaderBar, SectionList


def header_text(app) -> str:
    header = app.query_one(HeaderBar)
    return f"{header.left_text} {header.right_text}"


async def paste_into(pilot, app, key: str, text: str) -> Input:
    """Replace the text of a form field at once (as a paste does)."""
    control = where(app).query_one(f"#f-{key}", Input)
    control.focus()
    control.value = text
    await pilot.pause()
    return control


# --- open ---------------------------------------------------------------------------------


@pilot_test
async def test_no_argument_opens_the_bundled_sample_as_untitled() -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.path is None and not app.dirty
        assert app.plan.mission.id == "atelier-durand-2027"
        text = header_text(app)
        assert "atelier-durand.toml" in text and "sans titre" in text  # a French plan
        assert "Préparation 79 à sécuriser" in text  # readiness, its band
        assert app.result is not None and app.check_error is None
        # the sections list carries row counts from the plan
        sections = app.query_one(SectionList)
        # every section (the separator is no option), the two of the mission log included
        assert sections.option_count == 19
        # the findings panel lists the check's findings
        findings = app.query_one(FindingsList)
        assert len(findings.findings) == len(app.result.findings) > 0


@pilot_test
async def test_a_missing_file_opens_the_template_and_saving_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "nouveau.toml"
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.dirty and not path.exists()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: path.exists() and not app.dirty)
    text = path.read_text(encoding="utf-8")
    assert "# Mission plan — releve, format 1" in text  # the template's comments are kept
    assert store.loads(text) == app.plan


@pilot_test
async def test_lang_option_overrides_the_plan_language() -> None:
    app = make_app(None, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        sections = app.query_one(SectionList)
        labels = [str(sections.get_option_at_index(i).prompt) for i in range(6, 9)]
        assert labels[0].startswith("Objectives") and labels[1].startswith("People")
        assert "untitled" in header_text(app)
        assert app.result.lang == "en"


# --- editing each kind of field --------------------------------------------------------------


@pilot_test
async def test_typing_in_a_text_field_edits_the_plan_and_undo_redo_restore(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "name", "Durand Alu")
        await settle(pilot, app)
        assert app.plan.company.name == "Durand Alu"
        assert app.dirty and "●" in app.query_one(HeaderBar).left_text
        # one undo step for the whole word typed in one field
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan.company.name == "Atelier Durand SAS"
        assert where(app).query_one("#f-name", Input).value == "Atelier Durand SAS"
        assert not app.dirty
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.plan.company.name == "Durand Alu"


@pilot_test
async def test_a_number_field_refuses_text_and_shows_why(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await paste_into(pilot, app, "headcount", "4x")
        form = form_of(app)
        assert "headcount" in form.errors and "whole number" in form.errors["headcount"]
        assert app.plan.company.headcount == 48  # the plan keeps its last valid value
        row = where(app).query_one("#row-headcount")
        assert row.has_class("-invalid")
        await type_into(pilot, app, "headcount", "52")
        assert app.plan.company.headcount == 52 and not form.errors


@pilot_test
async def test_a_share_out_of_range_is_refused_by_the_model(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await paste_into(pilot, app, "top_customer_share", "1.5")
        form = form_of(app)
        assert "top_customer_share" in form.errors
        assert "1" in form.errors["top_customer_share"]  # "less than or equal to 1"
        assert app.plan.company.top_customer_share == 0.22


@pilot_test
async def test_a_date_field_validates_as_you_type(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "governance")
        await paste_into(pilot, app, "announced_on", "2027-02-3")
        form = form_of(app)
        assert "YYYY-MM-DD" in form.errors["announced_on"]
        await pilot.press("0")  # 2027-02-30 has the shape of a date, but no such day
        await pilot.pause()
        assert form.errors["announced_on"] == "no such date"
        assert app.plan.governance.announced_on == dt.date(2027, 1, 11)
        await type_into(pilot, app, "announced_on", "2027-02-15")
        await settle(pilot, app)
        assert app.plan.governance.announced_on == dt.date(2027, 2, 15)


@pilot_test
async def test_an_enumeration_is_a_select_driven_by_keys(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "governance")
        select = where(app).query_one("#f-reporting", Select)
        assert select.value == "monthly"
        select.focus()
        await pilot.press("enter")  # open the list
        await pilot.pause()
        await pilot.press("up", "enter")  # monthly -> biweekly
        await settle(pilot, app)
        assert app.plan.governance.reporting.value == "biweekly"


@pilot_test
async def test_a_reference_offers_the_plans_own_people(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "governance")
        select = where(app).query_one("#f-reports_to", Select)
        offered = [value for _, value in select._options if value is not Select.NULL]
        assert offered == [p.id for p in app.plan.person]
        select.value = "sophie"
        await settle(pilot, app)
        assert app.plan.governance.reports_to == "sophie"
        select.value = Select.NULL  # clearing a reference removes it
        await settle(pilot, app)
        assert app.plan.governance.reports_to is None


@pilot_test
async def test_an_optional_yes_no_and_a_list_of_weekdays(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "governance")
        where(app).query_one("#f-codir_seat", Select).value = False
        await settle(pilot, app)
        assert app.plan.governance.codir_seat is False
        await goto(pilot, app, "coo")
        days = where(app).query_one("#f-workdays", SelectionList)
        assert days.selected == ["mon", "tue"]
        days.select("thu")
        await settle(pilot, app)
        assert app.plan.coo.workdays == [Weekday.mon, Weekday.tue, Weekday.thu]


@pilot_test
async def test_a_list_of_text_is_typed_separated_by_semicolons(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "scope")
        await type_into(pilot, app, "responsibilities", "Achats; Qualité")
        await settle(pilot, app)
        assert app.plan.scope.responsibilities == ["Achats", "Qualité"]


@pilot_test
async def test_closures_are_edited_as_an_inline_toml_array(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        control = where(app).query_one("#f-closures", Input)
        assert "2027-08-02" in control.value
        control.value = "[{ from = 2027-08-20, to = 2027-08-02 }]"  # ends before it starts
        await pilot.pause()
        form = form_of(app)
        assert "before it starts" in form.errors["closures"]
        control.value = "[{ from = 2027-08-09, to = 2027-08-13 }]"
        await settle(pilot, app)
        assert [(p.from_, p.to) for p in app.plan.company.closures] == [
            (dt.date(2027, 8, 9), dt.date(2027, 8, 13))
        ]


# --- rows --------------------------------------------------------------------------------


@pilot_test
async def test_add_a_row_through_the_form_modal(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = len(app.plan.person)
        await goto(pilot, app, "person")
        app.current_view().focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RowFormScreen))
        form = form_of(app)
        form.query_one("#f-id", Input).value = "lucie"
        form.query_one("#f-name", Input).value = "Léa Martin"
        form.query_one("#f-key", Checkbox).value = True
        form.query_one("#f-backup", Select).value = "sophie"
        await pilot.pause()
        await click(pilot, app, "#ok")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, app)
        assert len(app.plan.person) == before + 1
        added = app.plan.person[-1]
        assert (added.id, added.name, added.key, added.backup) == (
            "lucie",
            "Léa Martin",
            True,
            "sophie",
        )
        assert app.current_view().cursor_row == before


@pilot_test
async def test_the_row_form_refuses_a_duplicate_id_as_you_type(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "person")
        app.current_view().focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RowFormScreen))
        form = form_of(app)
        form.query_one("#f-id", Input).value = "Not A Slug"
        await pilot.pause()
        assert "id" in form.errors  # the slug pattern
        await click(pilot, app, "#ok")
        assert isinstance(app.screen, RowFormScreen)  # still open: nothing added
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert len(app.plan.person) == len(store.load(app.path).plan.person)


@pilot_test
async def test_edit_duplicate_move_and_delete_rows_then_undo_everything(tmp_path) -> None:
    path = copy_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        original = app.plan
        ids = [p.id for p in original.phase]
        await goto(pilot, app, "phase")
        table = app.current_view()
        table.focus()
        # edit: the form opens on the row under the cursor
        await pilot.press("j", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, RowFormScreen))
        where(app).query_one("#f-effort_days", Input).value = "11"
        await pilot.pause()
        await click(pilot, app, "#ok")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.plan.phase[1].effort_days == 11
        # duplicate: a copy with a free id right below
        await pilot.press("c")
        await pilot.pause()
        assert [p.id for p in app.plan.phase][:3] == [ids[0], ids[1], f"{ids[1]}-copy"]
        # move the copy down
        await pilot.press("shift+down")
        await pilot.pause()
        assert [p.id for p in app.plan.phase][2:4] == [ids[2], f"{ids[1]}-copy"]
        assert table.cursor_row == 3
        # delete asks first
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-delete")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert [p.id for p in app.plan.phase] == ids
        assert app.plan.phase[1].effort_days == 11
        for _ in range(4):
            await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan is original and not app.dirty
        for _ in range(4):
            await pilot.press("ctrl+y")
        await pilot.pause()
        assert [p.id for p in app.plan.phase] == ids and app.plan.phase[1].effort_days == 11


@pilot_test
async def test_delete_cancelled_keeps_the_row(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "kpi")
        app.current_view().focus()
        before = app.plan
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.plan is before


# --- findings: jump, explain, waive ----------------------------------------------------------


def _first(app, predicate):
    findings = app.query_one(FindingsList)
    for i, f in enumerate(findings.findings):
        if predicate(f):
            return i, f
    raise AssertionError("no such finding in the sample")


@pilot_test
async def test_enter_on_a_finding_opens_the_row_and_field_to_fix(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        # EXT003: quoting is documented orally only (deliberate problem of the sample)
        i, finding = _first(app, lambda f: f.rule == "EXT003" and not f.waived)
        section, key = finding_section(finding)
        assert section == "process"
        findings = app.query_one(FindingsList)
        findings.focus()
        findings.highlighted = i
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RowFormScreen))
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == f"f-{key}")
        assert app.section == "process"
        row = [p.id for p in app.plan.process].index(finding.target.split(":")[1])
        assert app.current_view().cursor_row == row
        assert app.focused is not None and app.focused.id == f"f-{key}"
        # the field shows its own problem under it
        shown = str(where(app).query_one(f"#row-{key} .field-finding").render())
        assert "EXT003" in shown


@pilot_test
async def test_enter_on_a_finding_of_a_single_table_focuses_the_field(tmp_path) -> None:
    path = copy_sample(tmp_path)
    text = path.read_text(encoding="utf-8").replace('reports_to = "marc"', 'reports_to = "nobody"')
    path.write_text(text, encoding="utf-8")
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        i, finding = _first(app, lambda f: f.path == "governance.reports_to")
        findings = app.query_one(FindingsList)
        findings.focus()
        findings.highlighted = i
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "f-reports_to")
        assert app.section == "governance"
        assert finding.rule in str(where(app).query_one("#row-reports_to .field-finding").render())


@pilot_test
async def test_explain_shows_what_why_and_fix(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        i, finding = _first(app, lambda f: not f.waived)
        findings = app.query_one(FindingsList)
        findings.focus()
        findings.highlighted = i
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExplainScreen))
        shown = " ".join(str(w.render()) for w in app.screen.query("Label, Static"))
        assert finding.rule in shown and finding.fix.split()[0] in shown
        assert "What" in shown and "Fix" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


@pilot_test
async def test_waive_requires_reason_owner_expiry_and_writes_the_waiver(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        i, finding = _first(app, lambda f: f.rule == "EXT002" and not f.waived)
        findings = app.query_one(FindingsList)
        findings.focus()
        findings.highlighted = i
        before = len(app.plan.waiver)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WaiveScreen))
        where(app).query_one("#reason", Input).value = "Suppléante recrutée en avril"
        await click(pilot, app, "#ok")  # no expiry yet: refused
        assert isinstance(app.screen, WaiveScreen) and len(app.plan.waiver) == before
        where(app).query_one("#expires", Input).value = "2027-05-31"
        await click(pilot, app, "#ok")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, app)
        waiver = app.plan.waiver[-1]
        assert (waiver.rule, waiver.target, waiver.expires) == (
            "EXT002",
            finding.target,
            dt.date(2027, 5, 31),
        )
        assert waiver.owner == app.plan.coo.name  # suggested owner: the COO
        waived = [
            f for f in app.result.findings if f.rule == "EXT002" and f.target == finding.target
        ]
        assert waived and all(f.waived for f in waived)


# --- what-if -------------------------------------------------------------------------------


@pilot_test
async def test_what_if_changes_nothing_until_accepted_then_is_one_undoable_edit(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "timeline")
        await settle(pilot, app)
        timeline = app.query_one("#timeline")
        timeline.focus()
        before = app.plan
        await pilot.press("plus")
        await pilot.pause()
        assert timeline.whatif_days == 3
        assert app.plan is before  # trying is not editing
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.plan is not before)
        assert app.plan.coo.workdays == [Weekday.mon, Weekday.tue, Weekday.wed]
        await settle(pilot, app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan is before


# --- saving, conflicts, recovery --------------------------------------------------------------


@pilot_test
async def test_save_changes_only_the_edited_value_and_keeps_comments(tmp_path) -> None:
    path = copy_sample(tmp_path)
    original = path.read_text(encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "governance")
        await type_into(pilot, app, "steering_every_days", "21")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.dirty)
        assert "●" not in app.query_one(HeaderBar).left_text
    saved = path.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(original.splitlines(), saved.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        (
            "steering_every_days = 14    # comité de pilotage tous les quinze jours",
            "steering_every_days = 21    # comité de pilotage tous les quinze jours",
        )
    ]


@pilot_test
async def test_a_file_changed_on_disk_is_not_overwritten_without_asking(tmp_path) -> None:
    path = copy_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "Menuiserie")
        # someone else saves the file meanwhile
        theirs = path.read_text(encoding="utf-8").replace("headcount = 48", "headcount = 50")
        path.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert path.read_text(encoding="utf-8") == theirs  # nothing written yet
        await click(pilot, app, "#choice-reload")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert app.plan.company.headcount == 50 and not app.dirty
        # reloading is undoable like any edit
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan.company.sector == "Menuiserie"


@pilot_test
async def test_overwrite_after_a_conflict_writes_our_plan(tmp_path) -> None:
    path = copy_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "Menuiserie")
        path.write_text(path.read_text(encoding="utf-8") + "\n# theirs\n", encoding="utf-8")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-overwrite")
        await wait_for(pilot, lambda: not app.dirty)
    assert store.load(path).plan.company.sector == "Menuiserie"


@pilot_test
async def test_untitled_sample_asks_where_to_save(tmp_path) -> None:
    app = make_app(None, cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "Alu")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen))
        field = where(app).query_one("#path", Input)
        field.value = "durand.toml"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.dirty)
        assert app.path == tmp_path / "durand.toml"
    text = (tmp_path / "durand.toml").read_text(encoding="utf-8")
    assert "# Atelier Durand — préparation de la cession" in text  # sample comments kept
    assert store.loads(text).company.sector == "Alu"


@pilot_test
async def test_unsaved_edits_are_journalled_and_offered_after_a_crash(tmp_path) -> None:
    path = copy_sample(tmp_path)
    app = make_app(path)
    journal = Journal(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "Aluminium")
        # within two seconds, the recovery file holds the edit
        await wait_for(pilot, lambda: 'sector = "Aluminium"' in (journal.read() or ""), timeout=2.5)
        assert store.loads(journal.read()).company.sector == "Aluminium"
        # the app "crashes": it stops without saving nor clearing the journal
        app._flush_journal = lambda: None  # type: ignore[method-assign]
        app.exit()
    assert store.load(path).plan.company.sector == "Menuiserie aluminium"
    again = make_app(path)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ChoiceScreen))
        await click(pilot, again, "#choice-recover")
        await wait_for(pilot, lambda: isinstance(again.screen, MainScreen))
        await settle(pilot, again)
        assert again.plan.company.sector == "Aluminium" and again.dirty
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not again.dirty)
        assert journal.read() is None  # saved: nothing left to recover


@pilot_test
async def test_quit_with_unsaved_changes_asks_and_discard_clears_the_journal(tmp_path) -> None:
    path = copy_sample(tmp_path)
    app = make_app(path)
    journal = Journal(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "X")
        await wait_for(pilot, lambda: journal.read() is not None, timeout=2.5)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await click(pilot, app, "#choice-discard")
        await wait_for(pilot, lambda: app._exit_renderables is not None or not app.is_running)
    assert journal.read() is None
    assert store.load(path).plan.company.sector == "Menuiserie aluminium"


# --- broken file ------------------------------------------------------------------------------


@pilot_test
async def test_a_broken_file_opens_as_text_with_the_located_error_and_can_be_fixed(
    tmp_path,
) -> None:
    path = copy_sample(tmp_path)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("headcount = 48", "headcount = 48x"), encoding="utf-8")
    line = next(i for i, text in enumerate(good.splitlines(), 1) if text == "headcount = 48")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        error = str(where(app).query_one("#broken-error").render())
        assert f"{path}:{line}:" in error
        area = where(app).query_one(TextArea)
        # the cursor is put on the faulty line
        await wait_for(pilot, lambda: area.cursor_location[0] == line - 1)
        area.text = good.replace("headcount = 48", "headcount = 49")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, app)
        assert app.plan.company.headcount == 49 and app.dirty
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.dirty)
    assert path.read_text(encoding="utf-8") == good.replace("headcount = 48", "headcount = 49")


@pilot_test
async def test_a_still_broken_text_says_why_and_stays(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[mission\nid = 'x'\n", encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        where(app).query_one(TextArea).text = "[mission]\nid = 'x'\n"  # start is missing
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, BrokenFileScreen)
        assert "start" in str(where(app).query_one("#broken-error").render())


# --- keys -----------------------------------------------------------------------------------


@pilot_test
async def test_user_keymap_remaps_a_binding_by_id(tmp_path) -> None:
    config = Path(os.environ["RELEVE_CONFIG_DIR"])  # set by the isolated_dirs fixture
    config.mkdir(parents=True)
    (config / "keys.toml").write_text('[keys]\nsave = "ctrl+w"\n"row.add" = "n"\n')
    path = copy_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "company")
        await type_into(pilot, app, "sector", "Alu")
        await pilot.press("ctrl+w")
        await wait_for(pilot, lambda: not app.dirty)
        await goto(pilot, app, "kpi")
        app.current_view().focus()
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, RowFormScreen))
    assert store.load(path).plan.company.sector == "Alu"


@pilot_test
async def test_f1_lists_the_keys_of_the_current_view(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "person")
        app.current_view().focus()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        described = [d for _, d in app.screen.rows]
        assert {"Add", "Delete", "Duplicate", "Move up", "Save", "Undo"} <= set(described)
        await pilot.press("escape")
        app.query_one(FindingsList).focus()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        described = [d for _, d in app.screen.rows]
        assert {"Explain", "Waive", "Go to"} <= set(described) and "Add" not in described


@pilot_test
async def test_f1_puts_the_app_keys_before_the_focused_fields_editing_keys(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "mission")
        app.current_view().query(Input).first().focus()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = app.screen.rows
        assert ("", "") in rows, "an Input's own keys should follow a separator"
        split = rows.index(("", ""))
        ours = [d for _, d in rows[:split]]
        theirs = [d for _, d in rows[split + 1 :]]
        assert {"Save", "Undo", "Redo"} <= set(ours)
        assert theirs and not {"Save", "Undo", "Redo"} & set(theirs)


@pilot_test
async def test_tab_moves_between_panels_and_vim_keys_move_in_lists(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        sections = app.query_one(SectionList)
        assert app.focused is sections
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.section == "exit"
        await pilot.press("G")
        await pilot.pause()
        assert app.section == "readiness"
        await pilot.press("g")
        await pilot.pause()
        assert app.section == "mission"
        await pilot.press("tab")
        assert app.focused.id == "f-id"  # into the editor
        await pilot.press("shift+tab")
        assert app.focused is sections
        await pilot.press("shift+tab")
        assert app.focused is app.query_one(FindingsList)


@pilot_test
async def test_every_action_is_in_the_command_palette(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        names = [name for name, _, _ in app.palette_commands()]
        for wanted in (
            "Save",
            "Undo",
            "Redo",
            "Help",
            "Quit",
            "Add",
            "Delete",
            "Move up",
            "Explain",
            "Waive",
            "→ Governance",
            "→ Timeline",
        ):
            assert wanted in names
        # running one from the palette does it
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Governance")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.section == "governance")


def test_samples_directory_exists() -> None:
    assert (SAMPLES / "atelier-durand.toml").is_file()
    assert tomllib.loads((SAMPLES / "atelier-durand.toml").read_text())["format"] == 1


@pilot_test
async def test_the_what_if_is_in_the_command_palette_too(tmp_path) -> None:
    app = make_app(copy_sample(tmp_path), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        commands = {name: callback for name, _, callback in app.palette_commands()}
        before = app.plan
        commands["+1 day/week"]()
        await wait_for(
            pilot,
            lambda: (
                app.section == "timeline" and getattr(app.current_view(), "whatif_days", None) == 3
            ),
        )
        assert app.plan is before
        commands["Keep days/week"]()
        await wait_for(pilot, lambda: app.plan is not before)
        assert len(app.plan.coo.workdays) == 3


@pilot_test
async def test_a_bad_keymap_is_reported_and_the_default_keys_kept(tmp_path) -> None:
    config = Path(os.environ["RELEVE_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "keys.toml").write_text('[keys]\nsvae = "ctrl+w"\n')
    path = copy_sample(tmp_path)
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert any("unknown binding id 'svae'" in m for m in messages)
        await goto(pilot, app, "company")
        await paste_into(pilot, app, "sector", "Alu")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.dirty)


@pilot_test
async def test_quitting_the_broken_file_view_after_editing_the_text_asks(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[mission\n", encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        app.screen.query_one(TextArea).text = "[mission]\n"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrokenFileScreen))
        assert app.screen.query_one(TextArea).text == "[mission]\n"  # nothing lost
