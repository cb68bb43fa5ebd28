"""Pilot tests of the Readiness widget: score and pillar bars, the rules that cost points, KPI rows."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import tomllib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from releve.planner.model import Plan
from releve.planner.schedule import Schedule
from releve.rules.result import PILLARS, Cap, CheckResult, Finding, RuleCost, Score, Severity
from releve.tui.app.widgets.readiness import (
    Readiness,
    cost_shares,
    format_number,
    hbar,
    kpi_history,
    kpi_latest,
    kpi_status,
    pillar_shares,
    wrap_runs,
)
from releve.tui.app.widgets.sparkline import sparkline

D = dt.date
SIZE = (120, 40)
AS_OF = D(2027, 3, 1)


def pilot(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return run


PLAN = Plan.model_validate(
    {
        "mission": {"id": "tiny", "start": D(2027, 1, 4), "language": "en"},
        "kpi": [
            {
                "id": "margin",
                "name": "Operating margin",
                "unit": "%",
                "baseline": 6.5,
                "target": 9,
                "direction": "up",
                "history": [
                    {"on": D(2027, 1, 31), "value": 6.6},
                    {"on": D(2027, 2, 28), "value": 7.1},
                    {"on": D(2027, 4, 30), "value": 9.5},
                ],
            },  # after as_of: ignored
            {
                "id": "founder",
                "name": "Founder decisions",
                "unit": "%",
                "baseline": 90,
                "target": 20,
                "direction": "down",
                "history": [{"on": D(2027, 2, 28), "value": 95}],
            },
            {
                "id": "lead",
                "name": "Lead time",
                "unit": "days",
                "baseline": 30,
                "target": 20,
                "history": [{"on": D(2027, 2, 1), "value": 25}, {"on": D(2027, 1, 1), "value": 19}],
            },
            {"id": "nps", "name": "NPS"},
        ],
    }
)


def finding(rule: str, name: str, pillar: str, message: str, waived: bool = False) -> Finding:
    return Finding(
        rule,
        name,
        Severity.warning,
        pillar,
        name,
        message,
        "fix it",
        "governance",
        "governance.x",
        waived=waived,
    )


RESULT = CheckResult(
    plan=PLAN,
    path=None,
    as_of=AS_OF,
    lang="en",
    packs=("default",),
    schedule=Schedule(start=D(2027, 1, 4), phases={}),
    findings=(
        finding("GOV005", "sparse-steering", "governance", "Steering every 45 days: more than 30"),
        finding("EXT003", "undocumented-critical-process", "documentation", "Achats is at level 1"),
        finding("EXT003", "undocumented-critical-process", "documentation", "Devis is at level 1"),
    ),
    score=Score(
        overall=64,
        pillars={
            "governance": 75,
            "planning": 100,
            "transfer": 40,
            "founder_dependence": 0,
            "documentation": 50,
            "indicators": 88,
        },
        costs=(
            RuleCost("EXT003", "undocumented-critical-process", "documentation", 2, 6.3),
            RuleCost("GOV005", "sparse-steering", "governance", 1, 3.1, figure="framing"),
        ),
        framing=80,
        band="to_secure",
    ),
    # the rules' one "on track" (rules.tracking), as the pipeline hands it over
    kpi_track={"margin": "on_track", "founder": "off_track", "lead": "on_track", "nps": "unknown"},
)


class Host(App[None]):
    def __init__(self, result: CheckResult = RESULT, lang: str | None = None) -> None:
        super().__init__()
        self._result = result
        self._lang = lang

    def compose(self) -> ComposeResult:
        yield Readiness(lang=self._lang)

    def on_mount(self) -> None:
        self.query_one(Readiness).update(self._result)


def filled(bar: str) -> float:
    """The value a drawn bar shows, in cells (eighths count)."""
    partial = " ▏▎▍▌▋▊▉█"
    return sum(partial.index(c) / 8 for c in bar)


def line_starting(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.strip().startswith(label))


# --- pure helpers -------------------------------------------------------------------------


def test_hbar_draws_eighths() -> None:
    assert hbar(100, 4) == "████"
    assert hbar(0, 4) == "    "
    assert hbar(50, 3) == "█▌ "
    assert hbar(150, 2) == "██"  # clamped


@given(st.floats(min_value=0, max_value=100), st.integers(min_value=1, max_value=60))
def test_hbar_length_is_width_and_fill_matches_value(value: float, width: int) -> None:
    bar = hbar(value, width)
    assert len(bar) == width
    assert abs(filled(bar) - value * width / 100) <= 1 / 16 + 1e-9


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_hbar_larger_value_never_draws_less(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert filled(hbar(lo, 30)) <= filled(hbar(hi, 30))


def test_pillar_shares_split_the_loss_by_weight() -> None:
    assert pillar_shares(40, [3.0]) == [60.0]
    assert pillar_shares(70, [2.0, 1.0]) == [20.0, 10.0]
    assert pillar_shares(100, []) == []


@given(st.integers(0, 100), st.lists(st.floats(min_value=0.1, max_value=10), max_size=8))
def test_pillar_shares_add_up_to_the_points_lost(score: int, weights: list[float]) -> None:
    shares = pillar_shares(score, weights)
    assert len(shares) == len(weights)
    if weights:
        assert abs(sum(shares) - (100 - score)) < 1e-6
        heaviest = weights.index(max(weights))
        assert shares[heaviest] == max(shares)


def test_kpi_latest_follows_as_of_and_dates() -> None:
    margin, founder, lead, nps = PLAN.kpi
    assert kpi_latest(margin, AS_OF) == 7.1  # the April measure is after the check date
    assert kpi_latest(lead, AS_OF) == 25  # the latest by date, not by position
    assert kpi_latest(nps, AS_OF) is None


@given(
    st.integers(0, 100),
    st.lists(
        st.tuples(st.floats(min_value=0.1, max_value=10), st.floats(min_value=0.01, max_value=1)),
        min_size=1,
        max_size=8,
    ),
)
def test_cost_shares_add_up_to_the_loss_and_follow_the_graded_cost(
    value: int, rules: list[tuple[float, float]]
) -> None:
    costs = [RuleCost(f"R{i}", "r", "team", w, 1.0, grade=g) for i, (w, g) in enumerate(rules)]
    shares = cost_shares(value, costs)
    assert abs(sum(shares) - (100 - value)) < 1e-6
    graded = [w * g for w, g in rules]
    for i in range(len(rules)):
        for j in range(len(rules)):
            if graded[i] > graded[j]:
                assert shares[i] >= shares[j]


def test_kpi_status_is_the_rules_one_definition() -> None:
    """The view never judges a KPI itself: it reads the check's kpi_track (rules.tracking)."""
    assert kpi_status(RESULT, "founder") == "off_track"
    assert kpi_status(RESULT, "margin") == "on_track"
    assert kpi_status(RESULT, "nobody") == "unknown"
    # a result made without kpi_track is judged from its KPI facts, the same way
    facts = (
        {"fact": "kpi", "id": "margin", "path_gap": 0.5},
        {"fact": "kpi", "id": "x", "met": True},
    )
    bare = CheckResult(**{**RESULT.__dict__, "kpi_track": {}, "facts": facts})
    assert kpi_status(bare, "margin") == "off_track" and kpi_status(bare, "x") == "met"


def test_cost_shares_split_by_graded_cost_not_weight() -> None:
    """Two rules of the same weight: the one that fires on all its facts takes three times
    the points of the one that fires on a third of them."""
    costs = [
        RuleCost("SIG002", "a", "team", 2, 3.4, grade=1.0),
        RuleCost("SIG001", "b", "team", 2, 1.1, grade=1 / 3),
    ]
    assert [round(x) for x in cost_shares(73, costs)] == [20, 7]


# --- the widget -----------------------------------------------------------------------------


@pilot
async def test_bars_reflect_the_score_numbers() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        rd = app.query_one(Readiness)
        lines = rd.text_lines()
        width = rd.bar_width
        start = rd.label_width

        overall = line_starting(lines, "Readiness")
        assert overall.rstrip().endswith("64/100")
        assert abs(filled(overall[start : start + width]) - 0.64 * width) <= 1 / 16

        for label, value in [
            ("Governance", 75),
            ("Planning", 100),
            ("Knowledge transfer", 40),
            ("Founder dependence", 0),
            ("Documentation", 50),
            ("Indicators", 88),
        ]:
            row = line_starting(lines, label)
            assert row.rstrip().endswith(str(value))
            assert abs(filled(row[start : start + width]) - value * width / 100) <= 1 / 16
        team = line_starting(lines, "Team")
        assert "—" in team and "no rule in force" in team
        assert "█" not in team


@pilot
async def test_rules_that_cost_points_sit_under_their_pillar() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        lines = app.query_one(Readiness).text_lines()
        gov = lines.index(line_starting(lines, "Governance"))
        # the pillar's 25 lost points, and the 3.1 the rule costs the overall score
        assert "GOV005 sparse-steering −25 pts (−3.1 of framing)" in lines[gov + 1]
        assert "Steering every 45 days: more than 30" in lines[gov + 1]
        doc = lines.index(line_starting(lines, "Documentation"))
        assert "EXT003" in lines[doc + 1] and "−50 pts (−6.3 of readiness)" in lines[doc + 1]
        assert "Achats is at level 1 (×2)" in lines[doc + 1]
        planning = lines.index(line_starting(lines, "Planning"))
        assert "−" not in lines[planning + 1].split("Knowledge transfer")[0]


@pilot
async def test_kpi_rows_show_values_direction_status_and_history() -> None:
    app = Host()
    async with app.run_test(size=SIZE):
        lines = app.query_one(Readiness).text_lines()
        margin = line_starting(lines, "Operating margin")
        assert "6.5 → 7.1 → 9 %" in margin
        assert "↑" in margin and "✓ on track" in margin
        assert margin.rstrip().endswith("▁█")  # 6.6 then 7.1; April is after the check
        founder = line_starting(lines, "Founder decisions")
        assert "90 → 95 → 20 %" in founder and "↓" in founder and "✗ off track" in founder
        lead = line_starting(lines, "Lead time")
        assert "30 → 25 → 20 days" in lead and "↓" in lead
        assert lead.rstrip().endswith("▁█")  # Jan 19 then Feb 25: history sorted by date
        nps = line_starting(lines, "NPS")
        assert "? → ? → ?" in nps and "—" in nps


@pilot
async def test_french_labels() -> None:
    app = Host(lang="fr")
    async with app.run_test(size=SIZE):
        lines = app.query_one(Readiness).text_lines()
        assert line_starting(lines, "Préparation").rstrip().endswith("64/100")
        assert line_starting(lines, "Dépendance au dirigeant").rstrip().endswith("0")
        assert "aucune règle en vigueur" in line_starting(lines, "Équipe")
        assert "✓ en bonne voie" in line_starting(lines, "Operating margin")
        assert "Indicateurs clés" in lines


@pilot
async def test_update_replaces_the_shown_result() -> None:
    better = CheckResult(
        **{
            **RESULT.__dict__,
            "score": Score(overall=90, pillars=dict.fromkeys(PILLARS, 90), costs=()),
        }
    )
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        rd = app.query_one(Readiness)
        rd.update(better)
        await pilot.pause()
        lines = rd.text_lines()
        assert line_starting(lines, "Readiness").rstrip().endswith("90/100")
        assert not any("GOV005" in line for line in lines)
        # what is on screen is what text_lines says
        assert rd.render_line(0).text.rstrip() == lines[0].rstrip()


@pilot
async def test_long_content_scrolls() -> None:
    many = Plan.model_validate(
        {
            **PLAN.model_dump(by_alias=True),
            "kpi": [{"id": f"k{i}", "name": f"KPI {i}"} for i in range(60)],
        }
    )
    app = Host(CheckResult(**{**RESULT.__dict__, "plan": many}))
    async with app.run_test(size=(120, 20)) as pilot:
        rd = app.query_one(Readiness)
        rd.focus()
        assert "KPI 59" not in "".join(rd.render_line(y).text for y in range(20))
        await pilot.press("end")
        while rd.scroll_offset.y < rd.max_scroll_y:  # under load, the scroll takes frames
            await pilot.pause()
        shown = [rd.render_line(y).text for y in range(rd.scrollable_content_region.height)]
        assert any("KPI 59" in s for s in shown)


def test_numbers_use_the_languages_decimal_separator() -> None:
    assert format_number(6.5, "en") == "6.5"
    assert format_number(6.5, "fr") == "6,5"
    assert format_number(90.0, "fr") == "90"
    assert format_number(None, "fr") == "?"


# --- a sample plan through the real pipeline; SVG snapshot ----------------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "sample_missions" / "cabinet-vega.toml"


def sample_result() -> CheckResult:
    from releve.rules.pipeline import check_plan

    with SAMPLE.open("rb") as fh:
        plan = Plan.model_validate(tomllib.load(fh))
    return check_plan(plan, as_of=AS_OF)


@pilot
async def test_sample_bars_match_the_pipelines_scores() -> None:
    result = sample_result()
    app = Host(result)
    async with app.run_test(size=SIZE):
        rd = app.query_one(Readiness)
        lines = rd.text_lines()
        start, width = rd.label_width, rd.bar_width
        names = {
            "governance": "Gouvernance",
            "planning": "Planification",
            "transfer": "Transfert des savoirs",
            "founder_dependence": "Dépendance au dirigeant",
            "documentation": "Documentation",
            "indicators": "Indicateurs",
            "team": "Équipe",
            "customers": "Clients et fournisseurs",
        }
        for pillar, value in result.score.pillars.items():
            row = line_starting(lines, names[pillar])
            assert row.rstrip().endswith(f" {value}")
            assert abs(filled(row[start : start + width]) - value * width / 100) <= 1 / 16
        for cost in result.score.costs:  # each rule named as its findings title it
            title = next(f.title for f in result.findings if f.rule == cost.rule)
            assert any(f"{cost.rule} {title}" in line for line in lines)
        for kpi in result.plan.kpi:
            assert any(line.strip().startswith((kpi.name or kpi.id)[:20]) for line in lines)


def test_readiness_sample_snapshot(snap_compare: Callable[..., bool]) -> None:
    """Cabinet Vega (French, running, KPI history) checked as of 2027-03-01."""
    assert snap_compare(Host(sample_result()), terminal_size=SIZE)


@pilot
async def test_narrow_panel_keeps_numbers_status_and_sparklines_visible() -> None:
    app = Host()
    async with app.run_test(size=(58, 40)):
        rd = app.query_one(Readiness)
        lines = rd.text_lines()
        assert all(len(line.rstrip()) <= 58 for line in lines)
        assert line_starting(lines, "Readiness").rstrip().endswith("64/100")
        assert line_starting(lines, "Founder dependence").rstrip().endswith(" 0")
        # a KPI takes two lines: its name, then its figures, status and history
        i = lines.index(line_starting(lines, "Operating margin"))
        assert lines[i].strip() == "Operating margin"
        assert "6.5 → 7.1 → 9 %" in lines[i + 1] and "✓ on track" in lines[i + 1]
        assert lines[i + 1].rstrip().endswith("▁█")


# --- the width the app gives the panel (review of 2026-11-26) ---------------------------------


@given(
    st.lists(
        st.tuples(st.text(alphabet="ab é·", max_size=30), st.sampled_from(["", "x", "y"])),
        max_size=6,
    ),
    st.integers(20, 80),
    st.integers(0, 10),
)
def test_wrap_runs_keeps_every_word_within_the_width(
    runs: list[tuple[str, str]], width: int, indent: int
) -> None:
    lines = wrap_runs(runs, width, indent)
    texts = ["".join(text for text, _ in line) for line in lines]
    assert all(len(text) <= width for text in texts)
    words = "".join(text for text, _ in runs).split()
    if all(len(word) <= width - indent for word in words):
        assert " ".join(texts).split() == words  # no word lost, cut or reordered
    assert all(text.startswith(" " * indent) for text in texts[1:])


@pytest.mark.parametrize("width", [40, 59])
@pilot
async def test_cost_messages_and_sparklines_fit_the_panel_without_cutting(width: int) -> None:
    result = sample_result()
    app = Host(result)
    async with app.run_test(size=(width, 60)):
        rd = app.query_one(Readiness)
        view = rd.scrollable_content_region.width
        lines = rd.text_lines()
        assert all(len(text) <= view for text in lines)
        words = " ".join(lines).split()
        for cost in result.score.costs:  # each costly rule says its (first) finding
            finding = next(f for f in result.findings if f.rule == cost.rule and not f.waived)
            if True:
                said = finding.message.split()
                assert any(words[i : i + len(said)] == said for i in range(len(words))), (
                    finding.message
                )  # the whole message, wrapped onto indented lines
        costly = [text for text in lines if text.startswith("      − ")]
        assert costly and not any("…" in text for text in costly)
        for kpi in result.plan.kpi:  # each KPI with history draws its whole sparkline
            history = kpi_history(kpi, result.as_of)
            if history:
                spark = sparkline(history, 24)[: len(history)]
                assert any(spark in text for text in lines), kpi.id


@pilot
async def test_a_cap_that_lowers_nothing_is_not_said() -> None:
    """An error on readiness caps it below the ready band; when readiness is already lower
    the view does not say 'capped at 64 (64 before the cap)'."""
    caps = (Cap("EXT001", "metrics", "The company depends on its founder"),)
    capped = Score(overall=79, pillars={}, band="to_secure", caps=caps, uncapped=92)
    held = Score(overall=64, pillars={}, band="to_secure", caps=caps, uncapped=64)
    app = Host(CheckResult(**{**RESULT.__dict__, "score": capped}))
    async with app.run_test(size=SIZE) as pilot:
        rd = app.query_one(Readiness)
        assert rd.text_lines()[1].strip() == (
            "to secure · capped at 79 by EXT001 The company depends on its founder "
            "(92 before the cap)"
        )
        rd.update(CheckResult(**{**RESULT.__dict__, "score": held}))
        await pilot.pause()
        assert rd.text_lines()[1].strip() == "to secure"
