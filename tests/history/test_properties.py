"""Properties of the history layer: figures survive the cache's JSON, moves are symmetric
(what was resolved going forward appeared going back), the sparkline keeps one block per
version on a fixed scale."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from releve.tui.history.figures import Figures, FindingKey
from releve.tui.history.render_history import BLOCKS, sparkline
from releve.tui.history.versions import causes_between

finding = st.builds(
    FindingKey,
    rule=st.sampled_from(["EXT001", "EXT002", "EXT003", "GOV001"]),
    name=st.just("n"),
    severity=st.sampled_from(["error", "warning", "info"]),
    pillar=st.just("team"),
    target=st.sampled_from(["metrics", "person:marc", "process:quoting"]),
    label=st.text(max_size=8),
    waived=st.booleans(),
    message=st.text(max_size=8),
)


def unique(fs: list[FindingKey]) -> tuple[FindingKey, ...]:
    return tuple({f.key: f for f in fs}.values())


figures = st.builds(
    Figures,
    readiness=st.one_of(st.none(), st.integers(0, 100)),
    framing=st.one_of(st.none(), st.integers(0, 100)),
    pillars=st.dictionaries(st.sampled_from(["team", "governance"]), st.integers(0, 100)),
    counts=st.dictionaries(st.sampled_from(["error", "warning"]), st.integers(0, 9)),
    end=st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1))),
    target=st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1))),
    costs=st.dictionaries(st.sampled_from(["EXT001", "GOV001"]), st.floats(0, 100)),
    findings=st.lists(finding, max_size=6).map(unique),
    error=st.one_of(st.none(), st.text(max_size=10)),
)


@given(figures)
def test_figures_round_trip_through_json(f: Figures) -> None:
    import json

    assert Figures.from_dict(json.loads(json.dumps(f.as_dict()))) == f


@given(figures, figures)
def test_causes_are_symmetric(a: Figures, b: Figures) -> None:
    forward = {(c.kind, c.finding.key) for c in causes_between(a, b) if c.finding}
    back = {(c.kind, c.finding.key) for c in causes_between(b, a) if c.finding}
    swap = {
        "resolved": "appeared",
        "appeared": "resolved",
        "waived": "unwaived",
        "unwaived": "waived",
    }
    assert {(swap[k], key) for k, key in forward} == back


@given(st.lists(st.one_of(st.none(), st.integers(0, 100)), max_size=30))
def test_sparkline_one_block_per_version(values: list[int | None]) -> None:
    line = sparkline(values)
    assert len(line) == len(values)
    for v, ch in zip(values, line, strict=True):
        if v is None:
            assert ch == " "
        else:
            assert ch == BLOCKS[round(v * 7 / 100)]
