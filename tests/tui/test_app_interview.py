"""The first interview in the app (issue 15): offered for a new plan, the answers fill the
plan (unsaved, as the command's would), Escape keeps the template, ctrl+b goes back; never
offered for a plan that exists."""

from __future__ import annotations

from pathlib import Path

from app_helpers import SIZE, copy_sample, make_app, run, settle, wait_for

from releve.tui.app.screens.interview import InterviewScreen
from releve.tui.interview import Interview

#: Replies by question key; a key not listed keeps the default (Enter).
REPLIES = {
    "language": "fr",
    "company": "Menuiserie Lambert",
    "headcount": "32",
    "owner": "Jean Lambert (Gérant)",
    "processes": "Achats, Chiffrage",
    "replacement": "Léa Morel (Assistante)",
    "trained": "oui",
    "documentation": "2",
    "key_people": "Léa Morel",
    "managers": "Léa Morel",
    "customer_share": "30",
    "supplier_share": "20",
    "recurring_share": "10",
    "coo": "Claire Fontaine (Relais Conseil)",
}


async def answer_all(pilot, screen: InterviewScreen) -> list[str]:
    """Type the reply to each question as asked; the replies given, in order."""
    given = []
    for _ in range(80):
        q = screen.interview.question()
        if q is None:
            break
        reply = REPLIES.get(q.key, "")
        given.append(reply)
        number = q.number
        if reply:
            await pilot.press(*reply)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.reason is None, (q.key, reply, screen.reason)
        nxt = screen.interview.question()
        assert nxt is None or nxt.number == number + 1
    return given


def test_the_interview_fills_a_new_plan(tmp_path: Path) -> None:
    path = tmp_path / "nouvelle.toml"

    async def go() -> None:
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            assert app.check_action("interview", ()) is True  # offered (and in the footer)
            template_company = app.plan.company.name
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            given = await answer_all(pilot, screen)
            await wait_for(pilot, lambda: not isinstance(app.screen, InterviewScreen))
            await settle(pilot, app)
            # the same plan as the headless interview (and `releve new --interview`) gives
            headless = Interview(app.as_of)
            for reply in given:
                assert headless.answer(reply) is None
            assert app.plan_text() == headless.text()
            assert app.plan.company.name == "Menuiserie Lambert" != template_company
            assert [p.name for p in app.plan.process][:2] == ["Achats", "Chiffrage"]
            assert app.dirty and not path.exists()  # unsaved until ctrl+s, as the template
            assert app.check_action("interview", ()) is False  # once only
            filled = app.plan_text()
            await pilot.press("ctrl+z")  # one edit: undone, the template is back
            await wait_for(pilot, lambda: app.plan.company.name == template_company)
            assert app.check_action("interview", ()) is True
            await pilot.press("ctrl+y")
            await wait_for(pilot, lambda: app.plan_text() == filled)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: path.exists())
        assert "Menuiserie Lambert" in path.read_text(encoding="utf-8")

    run(go())


def test_escape_keeps_the_template_and_ctrl_b_goes_back(tmp_path: Path) -> None:
    path = tmp_path / "nouvelle.toml"

    async def go() -> None:
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            before = app.plan_text()
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            await pilot.press("f", "r", "enter")
            await pilot.pause()
            assert screen.interview.question().key == "company"
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert screen.interview.question().key == "language"
            # a refused answer says why and asks again
            await pilot.press("d", "e", "enter")
            await pilot.pause()
            assert screen.reason and screen.interview.question().key == "language"
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, InterviewScreen))
            assert app.plan_text() == before and not path.exists()
            assert app.check_action("interview", ()) is True  # still offered

    run(go())


def test_not_offered_for_a_plan_that_exists(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)

    async def go() -> None:
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            assert app.check_action("interview", ()) is False
            before = app.plan_text()
            await pilot.press("f2")
            await pilot.pause()
            assert not isinstance(app.screen, InterviewScreen)
            assert app.plan_text() == before

    run(go())
