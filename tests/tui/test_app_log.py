"""Pilot tests of the mission log in the app (issue #11): a day logged, a phase closed, a
deliverable delivered, from the Phases table and the Timeline; each undone by ctrl+z; the
file saved keeps its comments and gets the booking after its last booking; the Log
sections (newest first)."""

from __future__ import annotations

from pathlib import Path

from app_helpers import (
    AS_OF,
    SAMPLES,
    SIZE,
    goto,
    isolated_dirs,  # noqa: F401 - autouse fixture
    make_app,
    pilot_test,
    settle,
    wait_for,
)
from textual.widgets import Input

from releve.planner import store
from releve.planner.model import Booking, Deliverable
from releve.tui.app.app import MainScreen
from releve.tui.app.screens.phase_log import CloseScreen, DeliverScreen
from releve.tui.app.widgets.timeline import Timeline

#: Two days already logged, written by hand with comments, BEFORE the waivers: the app's
#: booking must land after the last one, not at the end of the file.
LOG = """# --- Journal de mission (écrit à la main) ---------------------------------------

[[booking]]
on = 2027-01-04            # premier jour
phase = "audit"

[[booking]]
on = 2027-01-05
phase = "audit"
note = "Entretiens atelier"   # gardé tel quel

"""


def logged_sample(tmp_path: Path) -> tuple[Path, str]:
    text = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
    anchor = "# --- Dérogations"
    assert anchor in text
    text = text.replace(anchor, LOG + anchor, 1)
    path = tmp_path / "durand-log.toml"
    path.write_text(text, encoding="utf-8")
    assert len(store.loads(text).booking) == 2
    return path, text


async def on_phases(pilot, app, row: int = 0) -> None:
    await settle(pilot, app)
    await goto(pilot, app, "phase")
    table = app.current_view()
    table.focus()
    table.move_cursor(row=row, animate=False)
    await pilot.pause()


@pilot_test
async def test_l_logs_a_day_on_the_phase_and_ctrl_z_takes_it_back(tmp_path) -> None:
    path, original = logged_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app, row=1)  # diag
        await pilot.press("l")
        await wait_for(pilot, lambda: len(app.plan.booking) == 3)
        assert app.plan.booking[-1] == Booking(on=AS_OF, phase="diag", days=1)
        assert app.dirty
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: len(app.plan.booking) == 2)
        assert not app.dirty
        await pilot.press("l")
        await wait_for(pilot, lambda: len(app.plan.booking) == 3)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.dirty)
    saved = path.read_text(encoding="utf-8")
    # every byte of the original kept (its comments too), the new booking right after
    # the last one written by hand, before the waivers and their comment
    last = 'note = "Entretiens atelier"   # gardé tel quel\n\n'
    booking = '[[booking]]\non = 2027-03-01\nphase = "diag"\ndays = 1\n\n'
    assert saved == original.replace(last, last + booking, 1)


@pilot_test
async def test_d_closes_the_phase_on_the_check_date_or_a_date_typed(tmp_path) -> None:
    path, _ = logged_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app, row=0)  # audit
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, CloseScreen))
        assert app.screen.query_one(Input).value == "2027-03-01"  # the check date, typed in
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.plan.phase_by_id("audit").done_on == AS_OF)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.plan.phase_by_id("audit").done_on is None)
        # another day, typed; a day that does not exist is refused in the dialog
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, CloseScreen))
        field = app.screen.query_one(Input)
        field.value = "2027-02-30"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CloseScreen)
        assert "2027-02-30" not in str(app.screen.query_one("#close-error").render())
        assert str(app.screen.query_one("#close-error").render()).startswith("✖")
        field.value = "2027-01-26"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert str(app.plan.phase_by_id("audit").done_on) == "2027-01-26"
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.plan.phase_by_id("audit").done_on is None)


@pilot_test
async def test_v_marks_a_chosen_deliverable_delivered_and_ctrl_z_undoes_it(tmp_path) -> None:
    path, _ = logged_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app, row=0)  # audit: two deliverables, plain strings
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, DeliverScreen))
        await pilot.press("down", "enter")  # the second one
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        items = app.plan.phase_by_id("audit").deliverables
        assert items[0] == "Rapport d'audit flash"
        assert items[1] == Deliverable(name="Carte des irritants", delivered_on=AS_OF)
        # delivered already: shown, not offered again
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, DeliverScreen))
        assert app.screen.query_one("OptionList").get_option_at_index(1).disabled
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+z")
        await wait_for(
            pilot, lambda: app.plan.phase_by_id("audit").deliverables[1] == "Carte des irritants"
        )


@pilot_test
async def test_the_timeline_logs_on_its_phase_selected_and_draws_the_forecast(tmp_path) -> None:
    path, _ = logged_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "timeline")
        timeline = app.current_view()
        assert isinstance(timeline, Timeline)
        timeline.focus()
        await settle(pilot, app)
        assert timeline.selected_phase == "audit"
        # tracked (two days booked): the days used are over the grid
        top = timeline.render_line(0).text
        assert top.startswith("Jours COO consommés 2 / 60 vendus")  # a French plan
        assert timeline.header_rows == 3
        await pilot.press("down")
        assert timeline.selected_phase == "diag"
        await pilot.press("l")
        await wait_for(pilot, lambda: len(app.plan.booking) == 3)
        assert app.plan.booking[-1].phase == "diag"
        await settle(pilot, app)
        assert timeline.selected_phase == "diag"  # kept across the redraw
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: len(app.plan.booking) == 2)


@pilot_test
async def test_the_log_sections_show_the_newest_first_and_edit_the_right_row(tmp_path) -> None:
    path, _ = logged_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await goto(pilot, app, "booking")
        table = app.current_view()
        table.focus()
        await pilot.pause()
        assert table.row_count == 2
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "2027-01-05"  # newest first
        assert table.row_index == 1  # the plan's second booking
        await pilot.press("delete")
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen))
        await pilot.click("#choice-delete")
        await wait_for(pilot, lambda: len(app.plan.booking) == 1)
        assert str(app.plan.booking[0].on) == "2027-01-04"  # the one under the cursor went
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: len(app.plan.booking) == 2)


@pilot_test
async def test_the_log_keys_show_on_the_phases_table_only_and_are_journalled(tmp_path) -> None:
    path, _ = logged_sample(tmp_path)
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app, row=0)

        def shown() -> set[str]:
            return {
                b.binding.description
                for b in app.screen.active_bindings.values()
                if b.binding.show
                and b.enabled
                and app.screen.focused is not None
                and app.screen.focused.check_action(b.binding.action, ()) is not False
            }

        assert {"Log a day", "Close phase", "Delivered"} <= shown()
        await goto(pilot, app, "person")
        app.current_view().focus()
        await pilot.pause()
        assert not {"Log a day", "Close phase", "Delivered"} & shown()
        await goto(pilot, app, "phase")
        app.current_view().focus()
        await pilot.press("l")
        await wait_for(pilot, lambda: len(app.plan.booking) == 3)
        app.session.flush_journal()  # the app does it every second
        journal = app.journal.read()
        assert 'phase = "audit"' in journal and "on = 2027-03-01" in journal


@pilot_test
async def test_a_deliverable_delivered_and_saved_keeps_the_files_comments(tmp_path) -> None:

    path, original = logged_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app, row=0)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, DeliverScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.dirty)
    saved = path.read_text(encoding="utf-8")
    assert store.loads(saved).phase[0].deliverables[0] == Deliverable(
        name="Rapport d'audit flash", delivered_on=AS_OF
    )
    assert "# premier jour" in saved  # the comments are kept: only the deliverable changed
    old = 'deliverables = ["Rapport d\'audit flash", "Carte des irritants"]'
    new = (
        'deliverables = [{name = "Rapport d\'audit flash", delivered_on = 2027-03-01}, '
        '"Carte des irritants"]'
    )
    assert saved == original.replace(old, new, 1)
