"""A pure text sparkline (▁▂▃▄▅▆▇█) of a series of numbers, exactly `width` cells wide.

Public API::

    sparkline(values, width, *, lo=None, hi=None) -> str

- The result always has ``len(result) == width`` (one character per cell).
- An empty series (or ``width <= 0`` … which gives ``""``) draws blanks.
- With fewer values than cells, one glyph per value, left-aligned, padded with spaces.
- With more values than cells, the series is cut into ``width`` consecutive buckets and
  each bucket is drawn at its mean (kept inside the bucket's min and max, so a
  non-decreasing series always gives non-decreasing glyphs).
- The lowest value is ``▁``, the highest ``█`` (``lo``/``hi`` widen the scale, e.g. to
  include a KPI target); a constant series is drawn at mid height ``▄``.
- NaN and infinite values are drawn as a blank and left out of the scale.

No Textual import: the readiness widget and any text renderer may use it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

GLYPHS = "▁▂▃▄▅▆▇█"
_MID = GLYPHS[3]


def _bucket_means(values: Sequence[float], width: int) -> list[float]:
    n = len(values)
    out: list[float] = []
    for i in range(width):
        chunk = values[i * n // width : (i + 1) * n // width]
        finite = [v for v in chunk if math.isfinite(v)]
        if not finite:
            out.append(math.nan)
            continue
        # Dividing before summing keeps huge values from overflowing to inf; clamping
        # absorbs rounding so a bucket's mean never leaves the bucket's range.
        mean = sum(v / len(finite) for v in finite)
        out.append(min(max(mean, min(finite)), max(finite)))
    return out


def _level(value: float, lo: float, hi: float) -> int:
    span = hi - lo
    if math.isinf(span):  # extreme floats: work on halves so the difference stays finite
        t = (value / 2 - lo / 2) / (hi / 2 - lo / 2)
    elif span > 0:
        t = (value - lo) / span
    else:
        return 3
    return min(7, max(0, int(t * 7 + 0.5)))


def sparkline(
    values: Sequence[float], width: int, *, lo: float | None = None, hi: float | None = None
) -> str:
    """Draw ``values`` as a sparkline exactly ``width`` characters long (see module doc)."""
    if width <= 0:
        return ""
    series = [float(v) for v in values]
    if len(series) > width:
        series = _bucket_means(series, width)
    finite = [v for v in series if math.isfinite(v)]
    if not finite:
        return " " * width
    low = min(finite) if lo is None or not math.isfinite(lo) else min(lo, min(finite))
    high = max(finite) if hi is None or not math.isfinite(hi) else max(hi, max(finite))
    if low == high:
        cells = [_MID if math.isfinite(v) else " " for v in series]
    else:
        cells = [GLYPHS[_level(v, low, high)] if math.isfinite(v) else " " for v in series]
    return "".join(cells).ljust(width)
