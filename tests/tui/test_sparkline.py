"""Tests of the pure sparkline function used by the readiness widget."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from releve.tui.app.widgets.sparkline import GLYPHS, sparkline

finite = st.floats(allow_nan=False, allow_infinity=False)


def test_rising_series_goes_from_lowest_to_highest_glyph() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8) == "▁▂▃▄▅▆▇█"


def test_falling_series_goes_down() -> None:
    assert sparkline([8, 1], 2) == "█▁"


def test_short_series_is_left_aligned_and_padded() -> None:
    assert sparkline([0, 10], 5) == "▁█   "


def test_constant_series_is_drawn_at_mid_height() -> None:
    assert sparkline([4.2, 4.2, 4.2], 3) == "▄▄▄"


def test_single_value_is_one_mid_glyph() -> None:
    assert sparkline([90], 4) == "▄   "


def test_empty_series_is_blank() -> None:
    assert sparkline([], 6) == "      "


def test_zero_width_is_empty_string() -> None:
    assert sparkline([1, 2, 3], 0) == ""


def test_long_series_is_averaged_into_buckets() -> None:
    # 0,0 | 10,10 → two buckets at the bottom and top
    assert sparkline([0, 0, 10, 10], 2) == "▁█"


def test_scale_can_be_widened_to_include_a_target() -> None:
    # values 0..5 on a 0..10 scale: 5 lands mid-way, not at the top
    line = sparkline([0, 5], 2, lo=0, hi=10)
    assert line[0] == "▁"
    assert line[1] in "▄▅"


def test_nan_is_a_blank_cell() -> None:
    assert sparkline([1, math.nan, 3], 3) == "▁ █"


@given(st.lists(finite, max_size=60), st.integers(min_value=0, max_value=40))
def test_length_is_always_width(values: list[float], width: int) -> None:
    assert len(sparkline(values, width)) == width


@given(st.lists(finite, min_size=1, max_size=80), st.integers(min_value=1, max_value=30))
def test_non_decreasing_input_gives_non_decreasing_glyphs(values: list[float], width: int) -> None:
    values.sort()
    drawn = sparkline(values, width).rstrip(" ")
    levels = [GLYPHS.index(c) for c in drawn]
    assert levels == sorted(levels)
    assert len(drawn) == min(len(values), width)


@given(finite, st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=30))
def test_constant_input_draws_one_glyph(value: float, count: int, width: int) -> None:
    drawn = sparkline([value] * count, width).rstrip(" ")
    assert drawn and set(drawn) == {"▄"}


@given(st.lists(finite, min_size=2, max_size=50, unique=True))
def test_min_and_max_are_lowest_and_highest_glyphs(values: list[float]) -> None:
    drawn = sparkline(values, len(values))
    assert drawn[values.index(min(values))] == "▁"
    assert drawn[values.index(max(values))] == "█"


def test_tiny_and_huge_spans_still_reach_both_ends() -> None:
    assert sparkline([0.0, 5e-324], 2) == "▁█"
    assert sparkline([-1e308, 1e308], 2) == "▁█"
