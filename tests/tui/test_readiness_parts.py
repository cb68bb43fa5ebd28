"""The readiness view's plain-Python parts, read without a terminal: the lines laid out for a
width (what the widget shows), the figures' helpers, and the plan's history in git."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from releve.planner import store
from releve.rules.pipeline import check_plan
from releve.rules.result import Cap, CheckResult, Score
from releve.tui import i18n
from releve.tui.app.widgets.readiness import Readiness
from releve.tui.app.widgets.readiness_history import (
    history_lines,
    history_signature,
    read_history,
)
from releve.tui.app.widgets.readiness_lines import Frame, figure_line, page_lines
from releve.tui.app.widgets.readiness_text import cap_causes, crop, percent

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "history"))
from gitrepo import GitRepo, need_git  # noqa: E402

SAMPLE = ROOT / "sample_missions" / "cabinet-vega.toml"
AS_OF = dt.date(2027, 3, 1)


def texts(lines: list[list[tuple[str, str]]]) -> list[str]:
    return ["".join(text for text, _ in runs) for runs in lines]


def sample_result() -> CheckResult:
    return check_plan(store.loads(SAMPLE.read_text("utf-8"), SAMPLE.name), as_of=AS_OF)


# --- the lines, laid out for a width --------------------------------------------------------


class Host(App[None]):
    def __init__(self, result: CheckResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        yield Readiness()

    def on_mount(self) -> None:
        self.query_one(Readiness).update(self.result)


@pytest.mark.parametrize("size", [(120, 40), (52, 30)])
def test_the_lines_read_without_a_terminal_are_the_ones_the_view_shows(
    size: tuple[int, int],
) -> None:
    result = sample_result()

    async def run() -> None:
        app = Host(result)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            view = app.query_one(Readiness)
            frame = Frame.of(view.lang, view.scrollable_content_region.width)
            assert (frame.label_width, frame.bar_width) == (view.label_width, view.bar_width)
            # a host without plan files shows no history: nothing between the parts
            assert view.text_lines() == texts(page_lines(result, frame))

    asyncio.run(run())


@given(width=st.integers(34, 200), value=st.none() | st.integers(0, 100))
def test_a_figure_line_keeps_its_number_and_out_of_100_within_the_width(
    width: int, value: int | None
) -> None:
    line = "".join(texts([figure_line(Frame.of("en", width), "Readiness", value)]))
    assert len(line) <= width
    assert line.endswith(f"{'–' if value is None else value}/100")


@pytest.mark.parametrize(
    ("lang", "title", "said"),
    [
        ("en", "A KPI is off its path to target", "6 of 7 without data in the plan"),
        ("fr", "Un indicateur s'écarte de sa trajectoire", "6 sur 7 sans donnée dans le plan"),
    ],
)
def test_a_cost_with_no_finding_reads_as_its_title_and_what_the_plan_lacks(
    lang: str, title: str, said: str
) -> None:
    """Durand's IND001 costs for its six unmeasured KPIs with no finding of its own: the
    view names the rule by its title (not its slug) and says what the plan does not say."""
    durand = ROOT / "sample_missions" / "atelier-durand.toml"
    plan = store.loads(durand.read_text("utf-8"), durand.name)
    result = check_plan(plan, as_of=AS_OF, lang=lang)
    lines = [line for line in texts(page_lines(result, Frame.of(lang, 160))) if "IND001" in line]
    assert lines, "IND001 has no cost line"
    assert title in lines[0] and said in lines[0], lines[0]
    assert "kpi-off-path" not in lines[0]


def test_a_too_long_line_keeps_its_code_and_cuts_the_message() -> None:
    runs = [
        ("EXT001", "readiness--rule"),
        (" nobody is trained to take over", "readiness--message"),
    ]
    cut = crop(runs, 12)
    assert cut == [("EXT001", "readiness--rule"), (" nobo…", "readiness--message")]


def test_percent_rounds_half_up_and_stays_within_0_and_100() -> None:
    assert [percent(s) for s in (0.455, 0.454, 1.2, -0.1, float("nan"))] == [46, 45, 100, 0, 0]


def test_the_cap_names_each_rule_once_with_how_many_times_it_caps() -> None:
    caps = (
        Cap("EXT001", "quoting", "No trained backup"),
        Cap("EXT001", "payroll", "No trained backup"),
        Cap("EXT004", "plan", "No exit date"),
    )
    score = Score(overall=49, pillars={}, uncapped=81, band="not_ready", caps=caps)
    assert cap_causes(score) == "EXT001 No trained backup (×2); EXT004 No exit date"


# --- the plan's history in git ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))


def test_a_plan_outside_git_reads_as_one_quiet_message(tmp_path: Path) -> None:
    need_git()
    path = tmp_path / "alone" / "vega.toml"
    path.parent.mkdir()
    path.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    state, history, error = read_history(path, AS_OF, "en")
    assert (state, history, error) == ("no_git", None, "")
    frame = Frame.of("fr", 80)
    said = texts(history_lines(frame, state, history, error))
    assert " ".join(line.strip() for line in said) == frame.t("hist_no_git")
    assert all(len(line) <= frame.width for line in said)  # wrapped to the width, not cut
    assert history_lines(frame, "none", None) == []  # a host without plan files


def test_a_plan_never_committed_says_so(tmp_path: Path) -> None:
    r = GitRepo(tmp_path / "repo")
    r.write("README", "notes")
    r.commit("First", "2027-01-05")
    path = r.write("vega.toml", SAMPLE.read_text("utf-8"))
    assert read_history(path, AS_OF, "en")[:2] == ("never", None)


def test_a_committed_plan_shows_its_figures_and_the_diff_key(tmp_path: Path) -> None:
    r = GitRepo(tmp_path / "repo")
    path = r.write("vega.toml", SAMPLE.read_text("utf-8"))
    r.commit("Plan as signed", "2027-02-01")
    state, history, error = read_history(path, AS_OF, "en")
    assert state == "ready" and history is not None and len(history.versions) == 1
    score = check_plan(
        store.loads(path.read_text("utf-8"), path.name), as_of=dt.date(2027, 2, 1)
    ).score
    frame = Frame.of("en", 100)
    lines = texts(history_lines(frame, state, history, error, diff_key="d"))
    assert lines[0] == frame.t("hist_title", n=1)
    assert lines[1].startswith("  " + frame.t("title"))
    assert lines[1].rstrip().endswith(f"{score.overall} → {score.overall}")
    assert lines[2].rstrip().endswith(f"{score.framing} → {score.framing}")
    assert lines[-1] == "  " + i18n.t("en", "readiness.diff_hint", key="d")
    assert all(len(line) <= frame.width for line in lines)


def test_the_history_is_read_again_after_a_commit_made_outside_the_app(tmp_path: Path) -> None:
    r = GitRepo(tmp_path / "repo")
    path = r.write("vega.toml", SAMPLE.read_text("utf-8"))
    r.commit("Plan as signed", "2027-02-01")
    before = history_signature(path, AS_OF, "en")
    assert history_signature(path, AS_OF, "en") == before  # nothing moved: not read again
    assert history_signature(path, AS_OF, "fr") != before  # another language: read again
    r.write("notes.md", "steering minutes")
    r.commit("Minutes", "2027-02-10")
    assert history_signature(path, AS_OF, "en") != before
