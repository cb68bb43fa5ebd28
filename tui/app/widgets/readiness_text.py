"""The readiness view's pure helpers: its words, numbers, bars, KPI figures and word-wrapping.

No Textual import: the view (readiness.py) draws with them, and a text renderer may too.

``Run``: a ``(text, component class or "")`` pair; a line is a list of runs.
``hbar(value, width) -> str``: a bar of ``value`` in 0..100 drawn with ``█`` and the eighth
blocks ``▏▎▍▌▋▊▉``, padded with spaces to exactly ``width`` cells.
``level_class(value)``: a bar's colour class (``readiness--good`` from 80, ``--fair`` from 50,
else ``--poor``).
``pillar_shares(score, weights)``: a pillar's lost points split by weight;
``cost_shares(score, costs)``: split by graded cost (weight × grade, ``RuleCost``), what
the pillar bar's ``−N pts`` says.
``kpi_history(kpi, as_of)``, ``kpi_latest(kpi, as_of)``, ``kpi_direction(kpi)`` (its own, or
from baseline to target), ``kpi_status(result, kpi_id)`` (the rules' one "on track",
``rules.tracking`` through ``result.kpi_track``: ``met``, ``on_track``, ``off_track``,
``unknown``).
``cap_causes(score)``: the findings that cap readiness, one per rule.
``percent(share)``, ``format_number(value, lang)``: figures as the view prints them.
``fit(text, width)``, ``crop(runs, width)``: cut to a width, the cut marked ``…``;
``wrap_runs(runs, width, indent)``: runs word-wrapped to ``width``, never cut but for a
word longer than a line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from releve.planner.model import Direction, Kpi
from releve.rules.result import CheckResult, RuleCost, Score
from releve.rules.tracking import STATUSES, track_all
from releve.tui import i18n

EIGHTHS = " ▏▎▍▌▋▊▉█"

# The words of the readiness view, from the string catalog (releve.tui.i18n).
PILLAR_NAMES = {lang: i18n.table(lang, "pillar") for lang in i18n.LANGS}  # as check and report
TEXT = {lang: i18n.table(lang, "readiness") for lang in i18n.LANGS}

Run = tuple[str, str]  # (text, component class or "")

#: The headline's colour by band (after the cap): the bar's and the band label's class.
BAND_CLASS = {
    "ready": "readiness--good",
    "to_secure": "readiness--fair",
    "not_ready": "readiness--poor",
    "not_assessed": "readiness--muted",
}


def hbar(value: float, width: int) -> str:
    """``value`` (0..100, clamped) as a bar exactly ``width`` cells wide, to an eighth of a cell."""
    if width <= 0:
        return ""
    if not math.isfinite(value):
        value = 0.0
    eighths = round(max(0.0, min(100.0, value)) * width * 8 / 100)
    full, rest = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[rest] if rest else "")
    return text.ljust(width)


def level_class(value: float) -> str:
    """A bar's colour: good from 80, fair from 50, else poor."""
    if value >= 80:
        return "readiness--good"
    return "readiness--fair" if value >= 50 else "readiness--poor"


def pillar_shares(score: float, weights: list[float]) -> list[float]:
    """The points of a pillar each costly rule takes, from the pillar's score and the
    weights of its rules with an unwaived finding (rule-packs.md: a pillar loses
    100 × lost weight ÷ weight in force, so each rule takes its weight's share of the
    loss). The shares add up to ``100 - score``."""
    lost = sum(weights)
    if lost <= 0:
        return [0.0 for _ in weights]
    return [(100 - score) * w / lost for w in weights]


def cost_shares(value: float, costs: Sequence[RuleCost]) -> list[float]:
    """The points of a pillar (scored ``value``) each of its costly rules takes: the loss
    split by graded cost (weight × grade, what the score counts), not by weight."""
    return pillar_shares(value, [c.weight * c.grade for c in costs])


def kpi_history(kpi: Kpi, as_of: dt.date) -> list[float]:
    """The KPI's measured values up to ``as_of``, oldest first."""
    return [m.value for m in sorted(kpi.history, key=lambda m: m.on) if m.on <= as_of]


def kpi_latest(kpi: Kpi, as_of: dt.date) -> float | None:
    values = kpi_history(kpi, as_of)
    return values[-1] if values else None


def kpi_direction(kpi: Kpi) -> Direction | None:
    """The way the KPI should go: its own ``direction``, else from its baseline to its
    target (None: neither says)."""
    if kpi.direction is not None:
        return kpi.direction
    if kpi.baseline is not None and kpi.target is not None and kpi.baseline != kpi.target:
        return Direction.up if kpi.target > kpi.baseline else Direction.down
    return None


def kpi_status(result: CheckResult, kpi_id: str) -> str:
    """``met``, ``on_track``, ``off_track`` or ``unknown``: the rules' one definition
    (rules.tracking, the check's ``kpi_track``), never judged again here. A result made
    without it (``kpi_track`` empty) is judged from its KPI facts the same way."""
    status = result.kpi_track.get(kpi_id)
    if status is None and not result.kpi_track and result.facts:
        status = track_all(result.facts, ()).get(kpi_id)
    return status if status in STATUSES else "unknown"


def cap_causes(score: Score) -> str:
    """The findings that cap readiness, one per rule: ``EXT001 <its title>`` (``×N`` when
    the rule caps on N facts)."""
    seen: dict[str, list[str]] = {}
    for cap in score.caps:
        seen.setdefault(cap.rule, []).append(cap.title)
    return "; ".join(
        f"{rule} {titles[0]}" + (f" (×{len(titles)})" if len(titles) > 1 else "")
        for rule, titles in seen.items()
    )


def percent(share: float) -> int:
    """A 0..1 share as a whole percentage, rounded half up (0.455 → 46)."""
    if not math.isfinite(share):
        return 0
    return math.floor(max(0.0, min(1.0, share)) * 100 + 0.5)


def format_number(value: float | None, lang: str = "en") -> str:
    """``6.5`` / ``90`` in English, ``6,5`` in French; ``?`` when unknown."""
    if value is None:
        return "?"
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.4g}"
    return text.replace(".", ",") if lang == "fr" else text


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, the cut marked with an ellipsis."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def crop(runs: list[Run], width: int) -> list[Run]:
    """Runs cut to ``width`` cells, the cut marked with an ellipsis (codes come first in a
    line, so it is the message that gets cut)."""
    if sum(len(text) for text, _ in runs) <= width:
        return runs
    out: list[Run] = []
    used = 0
    for text, cls in runs:
        room = width - used
        if room <= 0:
            break
        piece = fit(text, room)
        out.append((piece, cls))
        used += len(piece)
    return out


def _trailing_spaces(line: list[Run]) -> int:
    n = 0
    for text, _ in reversed(line):
        if not text.isspace():
            break
        n += len(text)
    return n


def wrap_runs(runs: list[Run], width: int, indent: int) -> list[list[Run]]:  # noqa: C901
    """Runs word-wrapped to ``width`` cells, each continuation line indented by ``indent``
    spaces; lines break at spaces only, and a word longer than a whole line is cut with
    an ellipsis (nothing else is)."""
    if sum(len(text) for text, _ in runs) <= width:
        return [runs]
    # Words (lists of (piece, class): a word may span runs) and the spaces between them.
    tokens: list[tuple[bool, list[Run]]] = []  # (is_space, pieces)
    for text, cls in runs:
        for piece in re.findall(r"\S+|\s+", text):
            space = piece.isspace()
            if tokens and tokens[-1][0] == space:
                tokens[-1][1].append((piece, cls))
            else:
                tokens.append((space, [(piece, cls)]))
    lines: list[list[Run]] = [[]]
    used = 0
    for space, pieces in tokens:
        size = sum(len(p) for p, _ in pieces)
        if space:  # kept for now; dropped again if the line breaks here
            lines[-1] += pieces
            used += size
            continue
        if used + size > width and used - _trailing_spaces(lines[-1]) > indent:
            while lines[-1] and lines[-1][-1][0].isspace():  # no trailing spaces
                used -= len(lines[-1].pop()[0])
            lines.append([(" " * indent, "")])
            used = indent
        for piece, cls in pieces:
            if used + len(piece) > width:
                piece = fit(piece, width - used)
            lines[-1].append((piece, cls))
            used += len(piece)
    while lines[-1] and lines[-1][-1][0].isspace():
        lines[-1].pop()
    out = []
    for line in lines:  # merge the pieces of a run again
        merged: list[Run] = []
        for text, cls in line:
            if not text:
                continue
            if merged and merged[-1][1] == cls:
                merged[-1] = (merged[-1][0] + text, cls)
            else:
                merged.append((text, cls))
        out.append(merged)
    return out
