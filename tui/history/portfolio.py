"""A firm's missions side by side (`releve portfolio`): one row per plan, sorted by risk,
and the findings that only a portfolio can see (one COO booked twice on the same day).

`portfolio(paths, as_of=…)` checks every plan found (folders are searched), reads the
trend from git when the plan is kept there, and never stops on a plan it cannot read: that
plan is a row with its one-line error.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.planner.errors import LocatedError
from releve.rules.result import CheckResult
from releve.tui.history.cache import Cache
from releve.tui.history.figures import Figures, days_of, figures_of
from releve.tui.history.labels import row_name
from releve.tui.i18n import enum_label, norm_lang

if TYPE_CHECKING:
    from releve.rules.packs import PackSet

TREND_DAYS = 90
STATUSES = ("planning", "running", "handed_over")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PACK_HEADER = re.compile(r"^\s*\[pack\]\s*(#.*)?$", re.MULTILINE)
_MISSION_HEADER = re.compile(r"^\s*\[mission\]\s*(#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    kind: str  # "phase" | "waiver" | "target"
    what: str  # the phase's name, the waiver's rule code; "" for the target


@dataclass(frozen=True)
class Row:
    """One mission of the portfolio (or the one-line error of a plan that cannot be read)."""

    path: str
    figures: Figures
    title: str = ""
    mission: str | None = None
    company: str | None = None
    coo: str | None = None
    coo_email: str | None = None
    status: str | None = None  # planning | running | handed_over
    start: dt.date | None = None
    workdays: tuple[str, ...] = ()
    trend: int | None = None  # readiness points gained (lost) over TREND_DAYS, from git
    trend_points: tuple[tuple[dt.date, int], ...] = ()  # readiness by version in that span
    days_used: float | None = None
    days_kind: str = "planned"  # "booked" once the plan is tracked
    days_contracted: int | None = None
    next_deadline: Deadline | None = None
    lang: str = "en"

    @property
    def error(self) -> str | None:
        return self.figures.error

    @property
    def name(self) -> str:
        """The mission as a person names it: the company, else the title, else the file."""
        return self.company or self.title or self.mission or Path(self.path).name

    def risk_key(self) -> tuple[Any, ...]:
        """Riskiest first: unreadable plans; then missions not handed over before those
        that are; with errors; ending after the target (by how late); lowest readiness;
        the steepest fall."""
        f = self.figures
        if not f.ok:
            return (0,)
        late = f.late_days if f.late_days is not None and f.late_days > 0 else 0
        return (
            1,
            1 if self.status == "handed_over" else 0,
            0 if f.counts.get("error", 0) else 1,
            -late,
            f.readiness if f.readiness is not None else 101,
            self.trend if self.trend is not None else 0,
            self.name.casefold(),
        )


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


# --- one row --------------------------------------------------------------------------------


def next_deadline(result: CheckResult, as_of: dt.date) -> Deadline | None:
    """The first date on or after ``as_of``: a phase's end (not done), a waiver's expiry,
    the exit target."""
    plan = result.plan
    dates: list[Deadline] = []
    for phase in plan.phase:
        slot = result.schedule.phases.get(phase.id)
        if slot is None or getattr(phase, "done_on", None) is not None:
            continue
        if slot.end >= as_of:
            dates.append(Deadline(slot.end, "phase", row_name(phase)))
    for w in plan.waiver:
        if w.expires is not None and w.expires >= as_of:
            dates.append(Deadline(w.expires, "waiver", w.rule))
    target = plan.exit.target_date if plan.exit else None
    if target is not None and target >= as_of:
        dates.append(Deadline(target, "target", ""))
    order = {"target": 0, "phase": 1, "waiver": 2}
    return min(dates, key=lambda d: (d.day, order[d.kind], d.what)) if dates else None


def _row(path: str, result: CheckResult, as_of: dt.date) -> Row:
    plan = result.plan
    used, contracted, kind = days_of(result)
    coo = plan.coo
    return Row(
        path=path,
        figures=figures_of(result),
        title=plan.mission.title,
        mission=plan.mission.id,
        company=plan.company.name if plan.company else None,
        coo=coo.name if coo else None,
        coo_email=getattr(coo, "email", None) if coo else None,
        status=plan.mission.status.value,
        start=plan.mission.start,
        workdays=tuple(d.value for d in coo.workdays) if coo else tuple(_WEEKDAYS[:5]),
        days_used=used,
        days_kind=kind,
        days_contracted=contracted,
        next_deadline=next_deadline(result, as_of),
        lang=result.lang,
    )


def _trend(
    path: str,
    as_of: dt.date,
    now: int | None,
    cache: Cache | None,
    lang: str | None,
    extra_packs: Sequence[str] = (),
    bounds: dict[str, Any] | None = None,
) -> tuple[int | None, tuple[tuple[dt.date, int], ...]]:
    """Readiness gained over the last TREND_DAYS by the plan's git history: now minus the
    version in force TREND_DAYS ago (or the first version since, if the plan is younger)."""
    from releve.tui.history.git import HistoryError
    from releve.tui.history.versions import plan_history

    since = as_of - dt.timedelta(days=TREND_DAYS)
    try:
        h = plan_history(
            path,
            today=as_of,
            since=since,
            lang=lang,
            cache=cache,
            uncommitted=False,
            extra_packs=extra_packs,
            **(bounds or {}),
        )
    except (HistoryError, OSError):
        return None, ()
    versions = [v for v in h.versions if v.date <= as_of and v.figures.readiness is not None]
    points = [(v.date, v.figures.readiness) for v in versions if v.figures.readiness is not None]
    start = h.previous.figures.readiness if h.previous is not None else None
    then = start if start is not None else (points[0][1] if points else None)
    if start is not None:
        points.insert(0, (since, start))
    if now is not None:
        points.append((as_of, now))
    if then is None or now is None:
        return None, tuple(points)
    return now - then, tuple(points)


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
) -> Portfolio:
    """Every plan in ``paths`` checked as of ``as_of``, sorted by risk. ``statuses`` and
    ``below`` keep the missions of those statuses and with readiness under that score
    (unreadable plans are always kept: their risk is unknown). Double bookings are found
    over all plans, before filtering."""
    from releve.tui.history.git import remember_folders

    with remember_folders():
        bounds: dict[str, Any] = {"pack_path": tuple(pack_path), "packs_only": packs_only}
        packs = PackSets(tuple(extra_packs), tuple(pack_path), packs_only)
        rows = [
            _check_one(p, as_of, lang, extra_packs, trend, cache, bounds, packs)
            for p in find_plans(paths)
        ]
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


class PackSets:
    """The pack sets loaded during one portfolio, so that 300 plans on the default pack
    read it once, not 300 times (rules.packs caches by plan file).

    A set is kept by the packs' resolved paths, the ``--pack`` files, the ``--pack-path``
    folders and the view; when the plan names packs, also by the plan's folder (which
    packs a plan may name depends on where it is: its folder and its git repository). A
    pack that cannot be loaded is not kept: each plan says its own located error."""

    def __init__(self, extra: tuple[str, ...], pack_path: tuple[str, ...], packs_only: bool):
        self.extra = extra
        self.pack_path = pack_path
        self.packs_only = packs_only
        self.sets: dict[tuple[Any, ...], PackSet] = {}

    def get(self, path: str, plan: Any) -> PackSet:
        from releve.rules.packs import load_pack_set, plan_pack_paths

        named = [] if self.packs_only else plan_pack_paths(path, plan)
        key: tuple[Any, ...] = (
            tuple(os.path.realpath(p) for p in named),
            tuple(os.path.realpath(p) for p in self.extra),
            self.pack_path,
            self.packs_only,
            os.path.dirname(os.path.realpath(path)) if named else None,
        )
        ps = self.sets.get(key)
        if ps is None:
            ps = load_pack_set(
                path, plan, self.extra, pack_path=self.pack_path, plan_packs=not self.packs_only
            )
            self.sets[key] = ps
        return ps


def _check_one(
    path: str,
    as_of: dt.date,
    lang: str | None,
    extra_packs: Sequence[str],
    trend: bool,
    cache: Cache | None,
    bounds: dict[str, Any],
    packs: PackSets | None = None,
) -> Row:
    from releve.planner.store import load
    from releve.rules.pipeline import check_plan

    try:
        pf = load(path)
        result = check_plan(
            pf.plan,
            as_of=as_of,
            path=path,
            text=pf.text,
            extra_packs=tuple(extra_packs),
            lang=lang,
            pack_set=packs.get(path, pf.plan) if packs is not None else None,
            **bounds,
        )
    except (LocatedError, OSError) as err:
        return Row(path=path, figures=Figures(error=_one_line(path, err)))
    except (OverflowError, ValueError) as err:  # a date past 9999-12-31
        return Row(path=path, figures=Figures(error=f"{path}: {err}"))
    row = _row(path, result, as_of)
    if trend:
        t, points = _trend(path, as_of, row.figures.readiness, cache, lang, extra_packs, bounds)
        row = _replace(row, trend=t, trend_points=points)
    return row


def _one_line(path: str, err: Exception) -> str:
    """``FILE:LINE:COLUMN: message`` of a plan that cannot be read, control characters shown."""
    from releve.tui.safe_text import visible

    if isinstance(err, LocatedError):
        text = str(err)
        return visible(text if text.startswith(path) or err.path else f"{path}: {text}")
    if isinstance(err, IsADirectoryError):
        return visible(f"{path}: is a folder")
    strerror = getattr(err, "strerror", None)
    return visible(f"{path}: {strerror or err}")


def _replace(row: Row, **changes: Any) -> Row:
    from dataclasses import replace

    return replace(row, **changes)
