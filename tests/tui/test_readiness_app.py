"""The app's header and Readiness view on real plans (issues 10, 13, 15): readiness with its
band after the cap and the finding that caps it, framing apart, not assessed, graded costs,
the rules' one "on track", the plan's history in git and the diff against the last commit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sys
from pathlib import Path
from typing import Any

import pytest
from app_helpers import (
    ROOT,
    SIZE,
    copy_sample,
    isolated_dirs,  # noqa: F401 - autouse fixture
    make_app,
    pilot_test,
    settle,
    wait_for,
)
from hypothesis import given
from hypothesis import strategies as st

from releve.planner import store
from releve.planner.model import Plan
from releve.rules.pipeline import check_plan
from releve.rules.result import BANDS, Cap, CheckResult, Score
from releve.tui.app.screens.diff import DiffScreen
from releve.tui.app.widgets.panels import HeaderBar, join_parts, score_parts
from releve.tui.app.widgets.readiness import Readiness
from releve.tui.app.widgets.sparkline import sparkline

sys.path.insert(0, str(ROOT / "tests" / "history"))
from gitrepo import GitRepo, need_git

NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The history cache of a test lives in its own folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(folder))
    return folder


@dataclasses.dataclass(frozen=True)
class CoveredScore(Score):
    """A score with the coverage issue 15 adds (read with getattr by the app)."""

    coverage: float | None = None


def header(app: Any) -> str:
    return app.main.query_one(HeaderBar).right_text


async def readiness_view(pilot: Any, app: Any) -> Readiness:
    # Generous bounds: the view also reads git in a worker, and CI runs two test processes
    # on two cores (a condition wait, never a fixed sleep).
    await settle(pilot, app, timeout=60)
    await app.show_section("readiness")
    await settle(pilot, app, timeout=60)
    view = app.current_view()
    assert isinstance(view, Readiness)
    await wait_for(pilot, lambda: view.result is app.result, timeout=60)
    await pilot.pause()
    return view


def line_with(lines: list[str], *words: str) -> str:
    return next(line for line in lines if all(w in line for w in words))


def block(lines: list[str], start: int) -> str:
    """The wrapped lines from ``start`` to the next blank line, as one line of words."""
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return " ".join(line.strip() for line in lines[start:end])


def pillar_points(lines: list[str], rule: str) -> int:
    """The pillar points a rule's cost line says it takes (the line may wrap)."""
    words = " ".join(lines).split()
    at = words.index(rule)
    return int(next(w for w in words[at:] if w.startswith("−") and w[1:].isdigit())[1:])


# --- the header ------------------------------------------------------------------------------


@pilot_test
async def test_header_shows_readiness_after_the_cap_its_band_and_the_capping_rule(
    tmp_path: Path,
) -> None:
    """Durand: readiness held at 79 by EXT001 (the founder alone on 2 of 6 critical
    processes): 'to secure', in yellow; framing beside it."""
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        right = header(app)
        assert right.startswith("Préparation 79 à sécuriser (plafond EXT001) · cadrage ")
        assert app.result is not None and f"cadrage {app.result.score.framing} " in right
        assert "sans dérogations" not in right  # no waiver counts: readiness without is 79 too
        assert str(app.result.score.uncapped) not in right.split("─")[0]  # before the cap
        text = app.main.query_one(HeaderBar)._right
        styles = [str(s.style) for s in text.spans if text.plain[s.start : s.end] == "79"]
        assert styles and all("yellow" in s for s in styles)


def not_assessed(plan: Plan, **kwargs: Any) -> CheckResult:
    """The real check, its readiness not assessed: coverage 45 % under the threshold."""
    result = check_plan(plan, **kwargs)
    s = result.score
    score = CoveredScore(
        overall=None,
        pillars=s.pillars,
        costs=s.costs,
        framing=s.framing,
        without_waivers=None,
        uncapped=None,
        band="not_assessed",
        caps=s.caps,
        coverage=0.45,
    )
    return dataclasses.replace(result, score=score)


@pilot_test
async def test_a_plan_not_assessed_says_so_with_its_coverage_and_keeps_its_pillars(
    tmp_path: Path,
) -> None:
    app = make_app(copy_sample(tmp_path), check=not_assessed)
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        right = header(app)
        assert app.result is not None
        framing = app.result.score.framing
        assert right.startswith(
            f"Préparation non évaluée · cadrage {framing} · couverture 45{NNBSP}%"
        )
        assert "79" not in right and "plafond" not in right
        lines = view.text_lines()
        assert lines[0].rstrip().endswith("–/100") and "█" not in lines[0]
        said = f"non évaluée · couverture 45{NNBSP}%, sous les 60{NNBSP}% requis pour l'évaluer"
        assert block(lines, 1) == said
        assert line_with(lines, "Dépendance au").rstrip().endswith("91")


@pilot_test
async def test_the_untouched_template_is_not_assessed(tmp_path: Path) -> None:
    """A new plan (the template, placeholders and all) says too little to be scored: the
    header and the view say 'not assessed' with the coverage the check measured."""
    app = make_app(tmp_path / "new.toml", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        score = app.result.score
        assert score.overall is None and score.coverage is not None
        assert score.coverage < score.min_coverage
        pct = math.floor(score.coverage * 100 + 0.5)  # half up, as shown
        assert header(app).startswith("Readiness not assessed · framing ")
        assert f"coverage {pct}%" in header(app)
        lines = view.text_lines()
        assert lines[0].rstrip().endswith("–/100")
        assert block(lines, 1).startswith(f"not assessed · coverage {pct}%, under the 60%")


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160])
@pilot_test
async def test_a_narrow_header_keeps_readiness_its_band_and_the_file(
    tmp_path: Path, width: int
) -> None:
    """The parts that matter least give way first; the header never overflows its width."""
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot, app)
        bar = app.main.query_one(HeaderBar)
        left, right = bar.left_text, bar.right_text
        assert right.startswith(("Préparation 79 à sécuriser", "79 à sécuriser", "79 ─"))
        assert "✖ 1" in right
        if width >= 80:
            assert "79 à sécuriser" in right
        assert left.startswith("releve ─ ") and left.endswith("atelier-durand.toml")
        assert len(left) + 1 + len(right) <= bar.size.width
        if width >= 100:
            assert right.startswith("Préparation 79 à sécuriser")
        if width >= 120:  # room enough for the cap and framing beside readiness
            assert "(plafond EXT001) · cadrage " in right


@given(
    overall=st.one_of(st.none(), st.integers(0, 100)),
    without=st.one_of(st.none(), st.integers(0, 100)),
    framing=st.one_of(st.none(), st.integers(0, 100)),
    band=st.sampled_from(BANDS),
    coverage=st.one_of(st.none(), st.floats(0, 1)),
    capped=st.booleans(),
    lang=st.sampled_from(["en", "fr"]),
)
def test_header_parts_say_each_figure_once_and_only_when_it_is_known(
    overall: int | None,
    without: int | None,
    framing: int | None,
    band: str,
    coverage: float | None,
    capped: bool,
    lang: str,
) -> None:
    caps = (Cap("EXT001", "metrics", "t"), Cap("EXT001", "process:x", "t")) if capped else ()
    lowered = capped and overall is not None and overall < 100
    score = CoveredScore(
        overall=overall,
        uncapped=overall + 1 if lowered and overall is not None else overall,
        pillars={},
        framing=framing,
        without_waivers=without,
        band=band if overall is not None else "not_assessed",
        caps=caps,
        coverage=coverage,
    )
    result = dataclasses.replace(RESULT_STUB, score=score)
    kinds = [k for k, _ in score_parts(result, lang)]
    assert kinds[:2] == ["title", "readiness"]
    assert ("band" in kinds) == (overall is not None)  # not assessed is said by readiness
    assert ("framing" in kinds) == (framing is not None)
    assert ("coverage" in kinds) == (coverage is not None)
    assert ("without_waivers" in kinds) == (without is not None and without != overall)
    assert ("capped" in kinds) == lowered  # named only when the cap lowered readiness
    text = join_parts(score_parts(result, lang))
    assert text.count("EXT001") == (1 if lowered else 0)
    assert "_" not in text  # never a band id: its label


RESULT_STUB = check_plan(
    Plan.model_validate({"mission": {"id": "tiny", "start": dt.date(2027, 1, 4)}}),
    as_of=dt.date(2027, 3, 1),
)


# --- the Readiness view ----------------------------------------------------------------------


@pilot_test
async def test_readiness_view_keeps_framing_apart_and_names_the_cap(tmp_path: Path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        lines = (await readiness_view(pilot, app)).text_lines()
        assert lines[0].startswith("Préparation") and lines[0].rstrip().endswith("79/100")
        status = block(lines, 1)
        assert status.startswith("à sécuriser · plafonnée à 79 par EXT001 L'entreprise dépend")
        assert app.result is not None
        score = app.result.score
        assert score.uncapped is not None and score.uncapped > 79
        assert f"({score.uncapped} avant plafond)" in status
        framing = lines.index(line_with(lines, "Cadrage", "/100"))
        assert lines[framing].rstrip().endswith(f"{score.framing}/100")
        readiness_rows = lines[:framing]
        framing_rows = lines[framing:]
        assert any(r.strip().startswith("Dépendance au") for r in readiness_rows)
        assert not any(r.strip().startswith("Gouvernance") for r in readiness_rows)
        assert any(r.strip().startswith("Planification") for r in framing_rows)
        at = framing_rows.index(line_with(framing_rows, "PLN009"))
        pln009 = next(c for c in score.costs if c.rule == "PLN009")
        said = f"(−{round(pln009.points, 1)} de cadrage)".replace(".", ",")
        assert pln009.figure == "framing" and said in " ".join(framing_rows[at : at + 3])


@pilot_test
async def test_lost_points_follow_the_graded_cost_not_the_weight(tmp_path: Path) -> None:
    """Vega's team pillar (73): SIG002 fires on all it looks at, SIG001 on a third; both
    weigh 2. They take about 20 and 7 of the 27 points lost, not 14 each."""
    app = make_app(copy_sample(tmp_path, "cabinet-vega.toml"))
    async with app.run_test(size=SIZE) as pilot:
        lines = (await readiness_view(pilot, app)).text_lines()
        assert line_with(lines, "Équipe").rstrip().endswith("73")
        assert pillar_points(lines, "SIG002") == 20
        assert pillar_points(lines, "SIG001") == 7


@pilot_test
async def test_a_kpi_off_its_path_is_off_track_even_above_its_baseline(tmp_path: Path) -> None:
    """Durand's margin at 6.8 in August beats its 6.5 baseline, but the straight path to 9
    by the exit expected far more: the rules (IND001) say off track, and so does the view."""
    path = copy_sample(tmp_path)
    text = path.read_text(encoding="utf-8")
    last = "{ on = 2027-02-28, value = 6.7 }"
    path.write_text(text.replace(last, last + ", { on = 2027-08-31, value = 6.8 }"), "utf-8")
    app = make_app(path, as_of=dt.date(2027, 9, 1))
    async with app.run_test(size=SIZE) as pilot:
        lines = (await readiness_view(pilot, app)).text_lines()
        assert app.result is not None and app.result.kpi_track["margin"] == "off_track"
        kpis = lines[lines.index("Indicateurs clés") :]
        at = kpis.index(line_with(kpis, "Marge opérationnelle"))
        margin = " ".join(kpis[at : at + 2])  # a narrow panel puts the figures under the name
        assert "6,5 → 6,8 → 9 %" in margin and "✗ hors trajectoire" in margin


# --- history and diff (issue 13) ---------------------------------------------------------------


def durand_repo(root: Path) -> tuple[GitRepo, list[str]]:
    """Three commits of Durand: as signed (79, capped by EXT001); Sophie takes quoting over
    with Marc as trained backup (EXT001 and EXT011 resolved: 94); quoting written down
    (EXT003 resolved: 95). Framing stays 96."""
    need_git()
    r = GitRepo(root)
    r.write("durand.toml", (ROOT / "sample_missions" / "atelier-durand.toml").read_text("utf-8"))
    shas = [r.commit("Plan as signed", "2027-01-10")]
    r.edit(
        "durand.toml",
        'owner = "marc"\nbackup = ""                 # les coefficients',
        'owner = "sophie"\nbackup = "marc"\nbackup_trained = true # les coefficients',
    )
    shas.append(r.commit("Sophie takes quoting over", "2027-02-01"))
    r.edit(
        "durand.toml",
        "backup_trained = true # les coefficients de prix sont dans la tête de Marc\n"
        "documentation = 1",
        "backup_trained = true\ndocumentation = 3",
    )
    shas.append(r.commit("Quoting procedure written", "2027-02-15"))
    return r, shas


def oracle(r: GitRepo, shas: list[str]) -> tuple[list[int], list[int]]:
    """Readiness and framing of each commit by the check itself, as of its commit date."""
    ready, framed = [], []
    for sha in shas:
        text = r.git("show", f"{sha}:durand.toml")
        day = dt.date.fromisoformat(r.git("show", "-s", "--format=%cs", sha).strip())
        score = check_plan(store.loads(text, "durand.toml"), as_of=day).score
        assert score.overall is not None and score.framing is not None
        ready.append(score.overall)
        framed.append(score.framing)
    return ready, framed


@pilot_test
async def test_history_sparklines_and_last_moves_from_git(tmp_path: Path) -> None:
    r, shas = durand_repo(tmp_path / "repo")
    app = make_app(r.root / "durand.toml")
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        await wait_for(pilot, lambda: view.history_state == "ready")
        await pilot.pause()
        lines = view.text_lines()
        ready, framed = oracle(r, shas)
        assert ready[0] == 79 and ready[0] < ready[1] < ready[2]  # the story the repo tells
        top = lines.index(line_with(lines, "Historique (3 versions dans git)"))
        readiness, framing = lines[top + 1], lines[top + 2]
        assert readiness.strip().startswith("Préparation")
        assert f" {sparkline(ready, 3)} " in readiness and "▁" in sparkline(ready, 3)
        assert readiness.rstrip().endswith(f"{ready[0]} → {ready[2]}")
        assert framing.strip().startswith("Cadrage") and f" {sparkline(framed, 3)} " in framing
        assert framing.rstrip().endswith(f"{framed[0]} → {framed[2]}")
        assert lines[top + 3].strip() == "Derniers écarts"
        newest = block(lines, top + 4).split(" 2027-")[0]  # newest first
        assert newest.startswith(f"2027-02-15 {shas[2][:7]}  {ready[2] - ready[1]:+d} préparation")
        assert "EXT003 résolu sur Processus Chiffrage et devis" in newest
        older = block(lines, top + 4).split(f"{shas[1][:7]}")[1]
        assert older.startswith(f"  {ready[1] - ready[0]:+d} préparation")
        assert "EXT001 résolu sur le plan dans son ensemble" in older
        assert any("d : écarts avec le dernier commit" in line for line in lines)


@pilot_test
async def test_a_plan_not_in_git_gets_one_quiet_line(tmp_path: Path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        await wait_for(pilot, lambda: view.history_state not in ("none", "loading"))
        lines = view.text_lines()
        assert view.history_state == "no_git"
        said = [line for line in lines if line.strip().startswith("Historique")]
        assert len(said) == 1 and "n'est pas dans git" in said[0]
        assert not app._notifications  # no error popped up


@pilot_test
async def test_the_diff_key_opens_the_diff_against_the_last_commit(tmp_path: Path) -> None:
    """An unsaved edit (quoting back to documentation 1) shows as EXT003 appeared."""
    r, shas = durand_repo(tmp_path / "repo")
    app = make_app(r.root / "durand.toml")
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        plan = app.plan
        assert plan is not None
        processes = [
            p.model_copy(update={"documentation": 1}) if p.id == "quoting" else p
            for p in plan.process
        ]
        app.main.apply_edit(plan.model_copy(update={"process": processes}), "doc")
        await settle(pilot, app)
        view.focus()
        await pilot.pause()
        shown = {b.binding.id: b.binding.description for b in app.screen.active_bindings.values()}
        assert shown.get("readiness.diff") == "Écarts au dernier commit"  # footer and F1
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DiffScreen))
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        await wait_for(pilot, lambda: screen.state != "loading")
        assert screen.state == "ready", screen.text
        assert screen.text.startswith(f"Modifications du plan : {shas[2][:7]} → ce plan")
        assert "Préparation 89 → 88 (-1)" in screen.text
        assert "EXT003" in screen.text.split("Constats")[1]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DiffScreen))


@pilot_test
async def test_the_diff_key_can_be_remapped(tmp_path: Path) -> None:
    r, _ = durand_repo(tmp_path / "repo")
    app = make_app(r.root / "durand.toml", keymap={"readiness.diff": "x"})
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        view.focus()
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, DiffScreen))
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        await wait_for(pilot, lambda: screen.state != "loading")
        assert "Aucun changement" in screen.text  # nothing edited since the last commit


@pilot_test
async def test_the_diff_of_a_plan_not_in_git_is_one_line(tmp_path: Path) -> None:
    app = make_app(copy_sample(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        view.focus()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DiffScreen))
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        await wait_for(pilot, lambda: screen.state != "loading")
        assert screen.state == "error"
        assert "\n" not in screen.text.strip() and "n'est pas dans git" in screen.text


@pilot_test
async def test_the_diff_is_in_the_command_palette(tmp_path: Path) -> None:
    """From any section: the palette's entry shows the Readiness view and opens the diff."""
    r, _ = durand_repo(tmp_path / "repo")
    app = make_app(r.root / "durand.toml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.section != "readiness"
        entry = next(c for c in app.palette_commands() if c[1] == "readiness.diff")
        assert entry[0] == "Écarts au dernier commit"
        entry[2]()
        await wait_for(pilot, lambda: isinstance(app.screen, DiffScreen))
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        await wait_for(pilot, lambda: screen.state != "loading")
        assert screen.state == "ready" and app.section == "readiness"


@pilot_test
async def test_history_follows_a_commit_made_outside_the_app(tmp_path: Path) -> None:
    """An edit saved beside the app shows as uncommitted; once committed in a terminal (the
    file itself unchanged: only git's index and HEAD move), as a commit at the next check."""
    r, _ = durand_repo(tmp_path / "repo")
    app = make_app(r.root / "durand.toml")
    async with app.run_test(size=SIZE) as pilot:
        view = await readiness_view(pilot, app)
        await wait_for(pilot, lambda: view.history_state == "ready")
        assert view.history is not None and len(view.history.versions) == 3

        def last() -> Any:
            return view.history.versions[-1] if view.history is not None else None

        r.edit("durand.toml", 'id = "nathalie"\n', 'id = "nathalie"\nbackup = "isabelle"\n')
        app.main.request_check()  # what any edit in the app does
        await wait_for(pilot, lambda: len(view.history.versions) == 4 and last().uncommitted)
        sha = r.commit("Nathalie has a backup", "2027-02-20")
        app.main.request_check()
        await wait_for(pilot, lambda: len(view.history.versions) == 4 and last().sha == sha)
        await pilot.pause()
        assert any("Historique (4 versions dans git)" in line for line in view.text_lines())
