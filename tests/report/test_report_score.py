"""The report's lost points add up to the figure shown, for any score the engine can give
(issue #10): each rule's points, the cap as its own line, the total, 100 − total = figure."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from report_dom import all_with, by_id, parse, table_rows
from report_fixtures import make_report

from releve.rules.grading import ScoreSettings
from releve.rules.result import FRAMING_PILLARS, PILLARS, READINESS_PILLARS, Cap, RuleCost, Score
from releve.rules.score import band_of
from releve.tui.report import render
from releve.tui.report.score_view import figure_costs


@st.composite
def scores(draw) -> Score:
    """A score as rules.score.compute_score builds one: points of each figure out of its
    rules' total weight, the figure 100 − Σ points rounded half up, capped at 79 by an
    unwaived readiness error."""
    costs, figures = [], {}
    for figure, pillars in (("readiness", READINESS_PILLARS), ("framing", FRAMING_PILLARS)):
        rules = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(pillars),
                    st.integers(1, 5),
                    st.sampled_from([0.0, 0.2, 1 / 3, 0.5, 1.0]),
                ),
                min_size=1,
                max_size=6,
            )
        )
        total = sum(w for _, w, _ in rules)
        for i, (pillar, weight, grade) in enumerate(rules):
            if grade > 0:
                points = round(100 * weight * grade / total, 2)
                code = f"{'R' if figure == 'readiness' else 'F'}{i:03d}"
                costs.append(RuleCost(code, "n", pillar, weight, points, grade, figure, 1, 3))
        exact = 100 - sum(weight * grade for _, weight, grade in rules) * 100 / total
        figures[figure] = math.floor(exact + 0.5)
    capped = draw(st.booleans())
    uncapped = figures["readiness"]
    settings = ScoreSettings()
    overall = min(uncapped, settings.ready - 1) if capped else uncapped
    return Score(
        overall=overall,
        pillars={p: 50 for p in PILLARS},
        costs=tuple(costs),
        framing=figures["framing"],
        without_waivers=overall,
        uncapped=uncapped,
        band=band_of(overall, settings),
        caps=(Cap("EXT001", "metrics", "The company depends too much on its founder"),)
        if capped
        else (),
    )


@given(score=scores())
def test_the_lost_points_add_up_to_the_figure_shown(score: Score) -> None:
    report = make_report("en", score=score, findings=())
    for fc in figure_costs(report):
        value = score.overall if fc.figure == "readiness" else score.framing
        assert fc.value == value
        assert math.isclose(fc.lost, sum(c.points for c in fc.rows), abs_tol=1e-6)
        # 100 − rules − cap is the figure before rounding: within half a point of it (the
        # points are rounded to hundredths, one per rule)
        assert abs(fc.exact - value) <= 0.5 + 0.005 * len(fc.rows)
        if score.capped and fc.figure == "readiness":
            assert fc.cap > 0 and math.isclose(fc.exact, value, abs_tol=1e-6)
            assert fc.ready == ScoreSettings().ready
        else:
            assert fc.cap == 0


@settings(max_examples=30, deadline=None)  # a whole report per example
@given(score=scores())
def test_the_html_cost_table_ends_with_a_total_the_sum_states(score: Score) -> None:
    doc = parse(render(make_report("en", score=score, findings=()), "html"))
    sums = [p for p in all_with(by_id(doc, "score"), "p", cls="costs-sum")]
    tables = all_with(by_id(doc, "score"), "table", cls="costs")
    assert len(sums) == len(tables)
    for table, sentence in zip(tables, sums, strict=True):
        total = table_rows(table)[-1][3]
        assert total.startswith("−")
        assert f"100 − {total[1:]} = " in "".join(sentence.itertext())
