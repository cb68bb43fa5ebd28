"""A firm's missions side by side (`releve portfolio`): one row per plan, sorted by risk,
and the findings that only a portfolio can see (one COO booked twice on the same day).

`portfolio(paths, as_of=…)` checks every plan found (folders are searched), reads the
trend from git when the plan is kept there, and never stops on a plan it cannot read: that
plan is a row with its one-line error. One row is made in :mod:`.rows` (checked, or read
back from the cache by content), the rows of many plans in :mod:`.parallel`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releve.tui.history.cache import Cache
from releve.tui.history.rows import (
    _WEEKDAYS,
    TREND_DAYS,
    Deadline,
    Options,
    PackSets,
    Row,
    next_deadline,
)
from releve.tui.i18n import enum_label, norm_lang

if TYPE_CHECKING:
    from releve.tui.history.parallel import Progress

__all__ = [
    "STATUSES",
    "TREND_DAYS",
    "Deadline",
    "Finding",
    "PackSets",
    "Portfolio",
    "Row",
    "double_bookings",
    "find_plans",
    "next_deadline",
    "portfolio",
]

STATUSES = ("planning", "running", "handed_over")
_PACK_HEADER = re.compile(r"^\s*\[pack\]\s*(#.*)?$", re.MULTILINE)
_MISSION_HEADER = re.compile(r"^\s*\[mission\]\s*(#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    """A finding about several missions together."""

    code: str  # "PFL001"
    name: str  # "coo-double-booked"
    coo: str
    missions: tuple[str, str]  # the two missions' names
    paths: tuple[str, str]
    weekdays: tuple[str, ...]  # "mon", …
    start: dt.date
    end: dt.date

    def message(self, lang: str) -> str:
        days = ", ".join(enum_label(lang, "Weekday", d) for d in self.weekdays)
        if norm_lang(lang) == "fr":
            return (
                f"{self.coo} est réservé(e) le {days.lower()} par {self.missions[0]} et par "
                f"{self.missions[1]} du {self.start.isoformat()} au {self.end.isoformat()}"
            )
        return (
            f"{self.coo} is booked on {days} by both {self.missions[0]} and "
            f"{self.missions[1]} from {self.start.isoformat()} to {self.end.isoformat()}"
        )


@dataclass
class Portfolio:
    rows: list[Row]
    findings: list[Finding]
    as_of: dt.date
    lang: str
    total: int = 0  # plans found, before --status and --below
    trend_days: int = TREND_DAYS


# --- finding plans --------------------------------------------------------------------------


def find_plans(paths: Sequence[str]) -> list[str]:
    """The plan files named or found in folders (recursively, hidden folders skipped): a
    ``.toml`` file with a ``[mission]`` table, or that cannot be read as text (it will be
    a row with its error); rule packs (a ``[pack]`` table) are left out. Files named on
    the command line are always kept."""
    out: list[str] = []
    for p in paths:
        if not os.path.isdir(p):
            out.append(p)
            continue
        found = []
        for folder, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.endswith(".toml") and _looks_like_plan(os.path.join(folder, name)):
                    found.append(os.path.join(folder, name))
        out.extend(found)
    return list(dict.fromkeys(out))


def _looks_like_plan(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return True
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    if _PACK_HEADER.search(text) and not _MISSION_HEADER.search(text):
        return False
    return bool(_MISSION_HEADER.search(text)) or "mission" in text


def double_bookings(rows: Iterable[Row]) -> list[Finding]:
    """PFL001: one COO (same ``coo.email``, else same ``coo.name``) working for two
    missions on the same weekday while both run (start to end, missions not handed over)."""
    groups: dict[str, list[Row]] = {}
    for r in rows:
        if not r.figures.ok or r.status == "handed_over" or r.start is None:
            continue
        key = (r.coo_email or "").strip().casefold() or (r.coo or "").strip().casefold()
        if key:
            groups.setdefault(key, []).append(r)
    out: list[Finding] = []
    for group in groups.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                a_end = a.figures.end or a.figures.target
                b_end = b.figures.end or b.figures.target
                if a_end is None or b_end is None or a.start is None or b.start is None:
                    continue
                start, end = max(a.start, b.start), min(a_end, b_end)
                days = tuple(d for d in _WEEKDAYS if d in a.workdays and d in b.workdays)
                if start <= end and days:
                    first, second = sorted([a, b], key=lambda r: r.path)
                    out.append(
                        Finding(
                            code="PFL001",
                            name="coo-double-booked",
                            coo=first.coo or second.coo or first.coo_email or "",
                            missions=(first.name, second.name),
                            paths=(first.path, second.path),
                            weekdays=days,
                            start=start,
                            end=end,
                        )
                    )
    out.sort(key=lambda f: (f.coo.casefold(), f.paths))
    return out


def portfolio(
    paths: Sequence[str],
    *,
    as_of: dt.date,
    lang: str | None = None,
    extra_packs: Sequence[str] = (),
    trend: bool = True,
    cache: Cache | None = None,
    statuses: Sequence[str] = (),
    below: int | None = None,
    pack_path: Sequence[str] = (),
    packs_only: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Portfolio:
    """Every plan in ``paths`` checked as of ``as_of``, sorted by risk. ``statuses`` and
    ``below`` keep the missions of those statuses and with readiness under that score
    (unreadable plans are always kept: their risk is unknown). Double bookings are found
    over all plans, before filtering. A plan checked before with the same content, packs
    and date is read from ``cache``; ``jobs`` above one checks the others in that many
    worker processes when there are many (:mod:`.parallel`); ``progress`` is told each
    plan done."""
    from releve.tui.history.git import remember_folders
    from releve.tui.history.parallel import portfolio_rows

    opts = Options(
        as_of=as_of,
        lang=lang,
        extra_packs=tuple(extra_packs),
        pack_path=tuple(pack_path),
        packs_only=packs_only,
        trend=trend,
    )
    with remember_folders():
        rows = portfolio_rows(
            find_plans(paths), opts, cache or Cache(None), jobs=jobs, progress=progress
        )
    findings = double_bookings(rows)
    total = len(rows)
    if statuses:
        rows = [r for r in rows if not r.figures.ok or r.status in statuses]
    if below is not None:
        rows = [
            r
            for r in rows
            if not r.figures.ok or (r.figures.readiness is not None and r.figures.readiness < below)
        ]
    rows.sort(key=Row.risk_key)
    shown_lang = lang or next((r.lang for r in rows if r.figures.ok), "en")
    return Portfolio(rows=rows, findings=findings, as_of=as_of, lang=shown_lang, total=total)
