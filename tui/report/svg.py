"""Charts of the readiness report drawn as inline SVG by hand (no library, no network).

Every chart is an ``<svg class="chart …">`` with a ``viewBox``, a ``<title>`` for screen
readers, and sizes in user units so it scales to the page and prints whole.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from releve.tui.report import chart_last, next_month, scaled, strings

GOOD, FAIR, POOR = "#2e7d32", "#b26a00", "#c62828"
INK, MUTED, GRID, TRACK = "#1f2933", "#616e7c", "#d9dee3", "#eef1f4"
BAR, BAR_LIGHT, CRIT, CRIT_LIGHT = "#1c5d99", "#c9dcef", "#c62828", "#f6d2d2"
OFF_FILL = {"leave": "#e4d9f2", "closure": "#dcdcdc", "holiday": "#ececec"}
LEVEL_COLOR = {1: GOOD, 2: FAIR, 3: POOR}
#: Rows per timeline chart: a taller chart would not fit on one A4 page.
ROWS_PER_CHART = 16


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(x: float) -> str:
    """A coordinate with at most one decimal."""
    text = f"{x:.1f}"
    return text.removesuffix(".0")


#: The colour of each band of the score (rules.result.BANDS, and "not_assessed").
BAND_COLOR = {"ready": GOOD, "to_secure": FAIR, "not_ready": POOR, "not_assessed": MUTED}


def band_color(band: str | None) -> str:
    """The colour of a band, read from the score after the cap (never from the figure)."""
    return BAND_COLOR.get(band or "not_assessed", MUTED)


def score_color(score: float | None) -> str:
    """The colour of a figure that has no band of its own (a pillar, a portfolio row): the
    band the default thresholds give it (rules.grading.ScoreSettings)."""
    from releve.rules.grading import ScoreSettings
    from releve.rules.score import band_of

    if score is None:
        return MUTED
    return band_color(band_of(math.floor(score), ScoreSettings()))


def _svg(cls: str, width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart {cls}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'preserveAspectRatio="xMinYMin meet"><title>{_e(title)}</title>{"".join(body)}</svg>'
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- score ------------------------------------------------------------------------------


def score_gauge(score: int, title: str, band: str | None = None) -> str:
    """A ring filled to the readiness score, the number in its middle, in the colour of its
    band (the score's, after the cap; a figure's default band when none is given)."""
    r, c = 62.0, 80.0
    circumference = 2 * 3.14159265 * r
    filled = circumference * max(0, min(100, score)) / 100
    color = band_color(band) if band is not None else score_color(score)
    body = [
        f'<circle cx="{c}" cy="{c}" r="{r}" fill="none" stroke="{TRACK}" stroke-width="16"/>',
        (
            f'<circle class="gauge-arc" cx="{c}" cy="{c}" r="{r}" fill="none" stroke="{color}" '
            f'stroke-width="16" stroke-dasharray="{_n(filled)} {_n(circumference)}" '
            f'transform="rotate(-90 {c} {c})"/>'
        ),
        (
            f'<text x="{c}" y="{c + 14}" text-anchor="middle" font-size="42" font-weight="700" '
            f'fill="{color}">{score}</text>'
        ),
        (
            f'<text x="{c}" y="{c + 34}" text-anchor="middle" font-size="12" fill="{MUTED}">/ 100'
            "</text>"
        ),
    ]
    return _svg("gauge", 160, 160, f"{title}: {score} / 100", body)


def pillar_bars(rows: Sequence[tuple[str, int | None]], title: str, no_rules: str) -> str:
    """One horizontal bar per pillar, 0 to 100, its score written at the end."""
    label_w, bar_x, bar_w, row_h, top = 200.0, 210.0, 360.0, 30.0, 22.0
    width, height = 640.0, top + row_h * len(rows) + 6
    body = []
    for tick in (0, 25, 50, 75, 100):
        x = bar_x + bar_w * tick / 100
        body.append(
            f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{_n(height - 6)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{_n(x)}" y="{top - 8}" text-anchor="middle" font-size="10" '
            f'fill="{MUTED}">{tick}</text>'
        )
    for i, (name, score) in enumerate(rows):
        y = top + i * row_h
        body.append(
            f'<text x="{label_w}" y="{_n(y + 19)}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{_e(name)}</text>'
        )
        body.append(
            f'<rect x="{bar_x}" y="{_n(y + 7)}" width="{bar_w}" height="16" rx="3" fill="{TRACK}"/>'
        )
        if score is None:
            body.append(
                f'<text x="{bar_x + 8}" y="{_n(y + 19)}" font-size="11" '
                f'fill="{MUTED}">{_e(no_rules)}</text>'
            )
            continue
        w = bar_w * max(0, min(100, score)) / 100
        body.append(
            f'<rect class="pillar-bar" data-pillar-score="{score}" x="{bar_x}" '
            f'y="{_n(y + 7)}" width="{_n(max(w, 1.5))}" height="16" rx="3" '
            f'fill="{score_color(score)}"><title>{_e(name)}: {score}</title></rect>'
        )
        body.append(
            f'<text x="{_n(bar_x + bar_w + 10)}" y="{_n(y + 19)}" font-size="13" '
            f'font-weight="700" fill="{score_color(score)}">{score}</text>'
        )
    return _svg("pillars", width, height, title, body)


def lost_points_bar(
    overall: float, costs: Sequence[tuple[str, float]], title: str, band: str | None = None
) -> str:
    """The 100 points in one strip: the score kept, then each rule's lost points (and the
    cap's, as one more segment), in the colour of the band."""
    x0, w, h = 10.0, 620.0, 30.0
    color = band_color(band) if band is not None else score_color(overall)
    body = [
        f'<rect x="{x0}" y="8" width="{w}" height="{h}" fill="{TRACK}"/>',
        (
            f'<rect x="{x0}" y="8" width="{_n(w * overall / 100)}" height="{h}" '
            f'fill="{color}"><title>{_n(overall)}</title></rect>'
        ),
    ]
    x = x0 + w * overall / 100
    shades = ("#c62828", "#e57373", "#ad1457", "#f06292")
    for i, (rule, points) in enumerate(costs):
        seg = min(w * points / 100, x0 + w - x)
        if seg <= 0:
            break
        body.append(
            f'<rect class="cost" x="{_n(x)}" y="8" width="{_n(seg)}" height="{h}" '
            f'fill="{shades[i % len(shades)]}" stroke="#fff" stroke-width="1">'
            f"<title>{_e(rule)}: −{points:.1f}</title></rect>"
        )
        if seg >= 34:
            body.append(
                f'<text x="{_n(x + seg / 2)}" y="27" text-anchor="middle" font-size="10" '
                f'fill="#fff">{_e(rule)}</text>'
            )
        x += seg
    body.append(f'<text x="{x0}" y="52" font-size="10" fill="{MUTED}">0</text>')
    body.append(
        f'<text x="{x0 + w}" y="52" text-anchor="end" font-size="10" fill="{MUTED}">100</text>'
    )
    return _svg("lost-points", 640, 58, title, body)


# --- timelines (Gantt, signals) -------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A shaded stretch of days behind every row (non-working period)."""

    start: dt.date
    end: dt.date
    label: str
    kind: str


@dataclass(frozen=True)
class Marker:
    """A vertical line on one day (target date, as-of date)."""

    day: dt.date
    label: str
    color: str


@dataclass(frozen=True)
class Row:
    """One line of a timeline: runs of days drawn as bars, dots, a span behind them."""

    label: str
    span: tuple[dt.date, dt.date] | None = None
    runs: tuple[tuple[dt.date, dt.date], ...] = ()
    critical: bool = False
    milestone: dt.date | None = None
    dots: tuple[tuple[dt.date, str, str], ...] = ()  # (day, color, tooltip)
    open_end: bool = False  # the last run is still going on (an open irritant)
    tooltip: str = ""


def runs_of(days: Sequence[dt.date]) -> tuple[tuple[dt.date, dt.date], ...]:
    """Consecutive booked days merged into (first, last) runs (fewer SVG elements)."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days <= 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return tuple((a, b) for a, b in runs)


class Timeline:
    """Days on x, rows on y: a Gantt chart or the signals chart, cut into printable parts."""

    # 820 units across: printed on A4 (about 700 px) the 12-unit labels stay readable.
    width, label_w, x0, row_h, top = 820.0, 196.0, 204.0, 24.0, 34.0

    def __init__(
        self,
        first: dt.date,
        last: dt.date,
        lang: str,
        *,
        bands=(),
        markers=(),
        legend: Sequence[tuple[str, str]] = (),
    ) -> None:
        last = chart_last(first, max(first, last))  # never a chart of thousands of years
        self.first, self.last, self.lang = first, last, lang
        self.bands, self.markers, self.legend = tuple(bands), tuple(markers), tuple(legend)
        self.days = (last - first).days + 1
        self.cw = self.width - self.x0 - 12

    def x(self, day: dt.date) -> float:
        return self.x0 + self.cw * (day - self.first).days / self.days

    def xs(self, a: dt.date, b: dt.date) -> tuple[float, float] | None:
        """Left and right x of the days ``a`` to ``b`` (whole days), cut to the chart;
        None when none of them is on it."""
        a, b = max(a, self.first), min(b, self.last)
        if b < a:
            return None
        return self.x(a), self.x(b) + self.cw / self.days

    def _axis(self, height: float) -> list[str]:
        out = []
        day: dt.date | None = self.first.replace(day=1)
        months = []
        while day is not None and day <= self.last:
            months.append(day)
            day = next_month(day)
        step = 1 if len(months) <= 14 else 2 if len(months) <= 28 else 3
        for i, month in enumerate(months):
            if month >= self.first:
                x = self.x(month)
                out.append(
                    f'<line x1="{_n(x)}" y1="{self.top - 10}" x2="{_n(x)}" '
                    f'y2="{_n(height)}" stroke="{GRID}" stroke-width="1"/>'
                )
            if i % step or self.x(max(month, self.first)) > self.width - 48:
                continue
            label_day = max(month, self.first)
            label = strings.month_label(self.lang, month)
            if month.month == 1 or i == 0:
                label += f" {month.year}"
            out.append(
                f'<text x="{_n(self.x(label_day) + 3)}" y="{self.top - 14}" font-size="10"'
                f' fill="{MUTED}">{_e(label)}</text>'
            )
        return out

    def _bands(self, height: float) -> list[str]:
        out = []
        for b in self.bands:
            xs = self.xs(b.start, b.end)
            if xs is None:
                continue
            x, x2 = xs
            out.append(
                f'<rect class="off off-{_e(b.kind)}" x="{_n(x)}" y="{self.top}" '
                f'width="{_n(max(x2 - x, 1.2))}" height="{_n(height - self.top)}" '
                f'fill="{OFF_FILL.get(b.kind, OFF_FILL["closure"])}">'
                f"<title>{_e(b.label)}</title></rect>"
            )
        return out

    def _markers(self, height: float) -> list[str]:
        out = []
        for m in self.markers:
            if not self.first <= m.day <= self.last:
                continue
            x = self.x(m.day)
            out.append(
                f'<line class="marker" x1="{_n(x)}" y1="{self.top - 4}" x2="{_n(x)}" '
                f'y2="{_n(height)}" stroke="{m.color}" stroke-width="1.6" '
                f'stroke-dasharray="5 3"/>'
            )
            anchor = "end" if x > self.width - 120 else "start"
            dx = -3 if anchor == "end" else 3
            out.append(
                f'<text x="{_n(x + dx)}" y="{self.top - 2}" font-size="10" '
                f'text-anchor="{anchor}" fill="{m.color}" font-weight="700">'
                f"{_e(m.label)}</text>"
            )
        return out

    def _row(self, i: int, row: Row) -> list[str]:
        y = self.top + i * self.row_h + 4
        mid = y + (self.row_h - 8) / 2
        title = f"<title>{_e(row.tooltip or row.label)}</title>"
        out = [
            (
                f'<text x="{self.label_w}" y="{_n(mid + 4)}" text-anchor="end" font-size="12" '
                f'fill="{CRIT if row.critical else INK}">{_e(_clip(row.label, 30))}{title}'
                "</text>"
            )
        ]
        light, dark = (CRIT_LIGHT, CRIT) if row.critical else (BAR_LIGHT, BAR)
        span = self.xs(*row.span) if row.span else None
        if span:
            x, x2 = span
            out.append(
                f'<rect class="span" x="{_n(x)}" y="{_n(y + 2)}" '
                f'width="{_n(max(x2 - x, 2))}" height="{_n(self.row_h - 12)}" rx="2" '
                f'fill="{light}">{title}</rect>'
            )
        for k, (a, b) in enumerate(row.runs):
            run = self.xs(a, b)
            if run is None:  # off the chart (a far date)
                continue
            x, x2 = run
            out.append(
                f'<rect class="bar{" crit" if row.critical else ""}" x="{_n(x)}" '
                f'y="{_n(y + 2)}" width="{_n(max(x2 - x, 1.5))}" '
                f'height="{_n(self.row_h - 12)}" fill="{dark}">{title}</rect>'
            )
            if row.open_end and k == len(row.runs) - 1:
                out.append(
                    f'<polygon points="{_n(x2)},{_n(y)} {_n(x2 + 8)},{_n(mid)} '
                    f'{_n(x2)},{_n(y + self.row_h - 8)}" fill="{dark}"/>'
                )
        if row.milestone and self.first <= row.milestone <= self.last:
            x = self.x(row.milestone)
            out.append(
                f'<polygon class="bar milestone" points="{_n(x)},{_n(y)} '
                f"{_n(x + 7)},{_n(mid)} {_n(x)},{_n(y + self.row_h - 8)} "
                f'{_n(x - 7)},{_n(mid)}" fill="{dark}">{title}</polygon>'
            )
        for day, color, tip in row.dots:
            if not self.first <= day <= self.last:
                continue
            out.append(
                f'<circle class="dot" cx="{_n(self.x(day) + 1)}" cy="{_n(mid)}" r="5.5" '
                f'fill="{color}" stroke="#fff" stroke-width="1"><title>{_e(tip)}</title>'
                "</circle>"
            )
        return out

    def _legend(self, y: float) -> tuple[list[str], float]:
        """Legend entries left to right, wrapping to a new line at the chart's edge; the
        elements and the height they take."""
        out, x, top = [], self.x0, y
        for color, text in self.legend:
            step = 28 + 6.2 * len(text)
            if x > self.x0 and x + step > self.width:
                x, y = self.x0, y + 18
            out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="12" height="12" fill="{color}"/>')
            out.append(
                f'<text x="{_n(x + 16)}" y="{_n(y + 10)}" font-size="11" '
                f'fill="{INK}">{_e(text)}</text>'
            )
            x += step
        return out, y + 18 - top

    def render(self, rows: Sequence[Row], cls: str, title: str) -> list[str]:
        """One SVG per ROWS_PER_CHART rows; the legend under the last part."""
        parts = [rows[i : i + ROWS_PER_CHART] for i in range(0, len(rows), ROWS_PER_CHART)]
        out = []
        for n, part in enumerate(parts or [[]]):
            last = n == len(parts) - 1 or not parts
            height = self.top + self.row_h * max(len(part), 1) + 4
            body = self._bands(height) + self._axis(height) + self._markers(height)
            for i, row in enumerate(part):
                body += self._row(i, row)
            total = height
            if last and self.legend:
                legend, legend_h = self._legend(height + 8)
                body += legend
                total += 8 + legend_h
            label = title if len(parts) <= 1 else f"{title} ({n + 1}/{len(parts)})"
            out.append(_svg(f"timeline {cls}", self.width, total, label, body))
        return out


# --- small charts ------------------------------------------------------------------------------


def sparkline(points: Sequence[tuple[dt.date, float]], target: float | None, title: str) -> str:
    """A KPI's values over time, the target as a dashed line; empty without any value."""
    points = [(d, v) for d, v in points if math.isfinite(v)]
    if target is not None and not math.isfinite(target):
        target = None
    if not points:
        return ""
    w, h, pad = 160.0, 44.0, 5.0
    values = [v for _, v in points] + ([target] if target is not None else [])
    lo, hi = min(values), max(values)
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def px(day: dt.date) -> float:
        return pad + (w - 2 * pad) * ((day - first).days / span if len(points) > 1 else 0.5)

    def py(v: float) -> float:
        return h - pad - (h - 2 * pad) * scaled(v, lo, hi)

    body = []
    if target is not None:
        body.append(
            f'<line class="target" x1="{pad}" y1="{_n(py(target))}" x2="{w - pad}" '
            f'y2="{_n(py(target))}" stroke="{GOOD}" stroke-width="1.2" '
            f'stroke-dasharray="4 3"/>'
        )
    coords = " ".join(f"{_n(px(d))},{_n(py(v))}" for d, v in points)
    if len(points) > 1:
        body.append(
            f'<polyline class="spark" points="{coords}" fill="none" stroke="{BAR}" '
            f'stroke-width="2" stroke-linejoin="round"/>'
        )
    d, v = points[-1]
    body.append(
        f'<circle class="spark-end" cx="{_n(px(d))}" cy="{_n(py(v))}" r="3.2" fill="{BAR}"/>'
    )
    return _svg("sparkline", w, h, title, body)


def level_meter(level: int | None, title: str) -> str:
    """Four cells filled up to a 0–4 level (documentation, automation)."""
    lv = level or 0
    color = POOR if lv <= 1 else FAIR if lv == 2 else GOOD
    body = [
        f'<rect class="{"cell-on" if i < lv else "cell-off"}" x="{i * 15}" y="2" width="12" '
        f'height="10" rx="2" fill="{color if i < lv else TRACK}"/>'
        for i in range(4)
    ]
    return _svg("meter", 60, 14, title, body)


def status_bar(parts: Sequence[tuple[int, str, str]], title: str) -> str:
    """A strip split by counts (transfers done / in progress / planned)."""
    total = sum(n for n, _, _ in parts) or 1
    x, w, body = 0.0, 400.0, []
    for n, color, text in parts:
        seg = w * n / total
        if seg <= 0:
            continue
        body.append(
            f'<rect class="seg" x="{_n(x)}" y="0" width="{_n(seg)}" height="18" '
            f'fill="{color}"><title>{_e(text)}: {n}</title></rect>'
        )
        if seg > 60:
            body.append(
                f'<text x="{_n(x + 6)}" y="13" font-size="11" fill="#fff">{_e(text)}: {n}</text>'
            )
        x += seg
    return _svg("status", w, 18, title, body)


@dataclass(frozen=True)
class Tile:
    """One critical process in the dependence map."""

    name: str
    level: int | None  # documentation 0–4
    backed_up: bool
    tooltip: str


DOC_FILL = {0: "#f6d2d2", 1: "#f6d2d2", 2: "#fde9c8", 3: "#d7ecd9", 4: "#b9dfbe"}


def dependence_map(
    groups: Sequence[tuple[str, bool, Sequence[Tile]]],
    title: str,
    legend: Sequence[tuple[str, str, bool]],
    levels_label: str,
) -> list[str]:
    """Critical processes as tiles on one line per owner (the founder's first, in red):
    the tile's colour is its documentation level, a dashed red border means no backup.
    Cut into parts of at most ROWS_PER_CHART lines of tiles so none spans a page break."""
    width, label_w, x0, tile_w, tile_h, gap = 820.0, 180.0, 190.0, 150.0, 36.0, 8.0
    per_line = max(1, int((width - x0 + gap) // (tile_w + gap)))
    lines: list[tuple[str, bool, Sequence[Tile], bool]] = []
    for owner, founder, tiles in groups:
        for i in range(0, len(tiles), per_line):
            lines.append((owner, founder, tiles[i : i + per_line], i == 0))
    parts = [lines[i : i + ROWS_PER_CHART] for i in range(0, len(lines), ROWS_PER_CHART)]
    out = []
    for n, part in enumerate(parts):
        body, y = [], 6.0
        for owner, founder, tiles, first in part:
            if first:
                body.append(
                    f'<text x="{label_w}" y="{_n(y + 22)}" text-anchor="end" '
                    f'font-size="13" font-weight="{700 if founder else 400}" '
                    f'fill="{CRIT if founder else INK}">{_e(_clip(owner, 26))}</text>'
                )
            for k, tile in enumerate(tiles):
                x = x0 + k * (tile_w + gap)
                level = tile.level if tile.level is not None else 0
                border = (
                    f'stroke="{CRIT}" stroke-width="2.5" stroke-dasharray="6 3"'
                    if not tile.backed_up
                    else f'stroke="{GRID}" stroke-width="1"'
                )
                cls = "tile" + ("" if tile.backed_up else " no-backup")
                body.append(
                    f'<g class="{cls}" data-level="{level}"><title>{_e(tile.tooltip)}'
                    f'</title><rect x="{_n(x)}" y="{_n(y)}" width="{tile_w}" '
                    f'height="{tile_h}" rx="5" fill="{DOC_FILL[min(max(level, 0), 4)]}" '
                    f'{border}/><text x="{_n(x + 8)}" y="{_n(y + 15)}" font-size="11" '
                    f'fill="{INK}">{_e(_clip(tile.name, 21))}</text>'
                    f'<text x="{_n(x + 8)}" y="{_n(y + 29)}" font-size="10" '
                    f'fill="{MUTED}">{_e(levels_label)} {level}/4</text></g>'
                )
            y += tile_h + gap
        if n == len(parts) - 1:
            x = x0
            y += 4
            for color, text, dashed in legend:
                style = (
                    f'fill="#fff" stroke="{CRIT}" stroke-width="2" stroke-dasharray="4 2"'
                    if dashed
                    else f'fill="{color}" stroke="{GRID}"'
                )
                body.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="14" height="12" {style}/>')
                body.append(
                    f'<text x="{_n(x + 18)}" y="{_n(y + 10)}" font-size="11" '
                    f'fill="{INK}">{_e(text)}</text>'
                )
                x += 30 + 6.2 * len(text)
            y += 18
        label = title if len(parts) <= 1 else f"{title} ({n + 1}/{len(parts)})"
        out.append(_svg("dependence-map", width, y + 4, label, body))
    return out
