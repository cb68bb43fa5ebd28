"""One row of `releve portfolio`: a plan checked, or its row read back from the cache.

A row is decided by the plan's content, the packs in force (their digest, as history
computes it: :mod:`.packfiles`), the check date, the language and the view's options,
never by the plan's path or commit: :class:`RowStore` finds the row of a plan whose
content was checked before (in any folder) and :func:`checked_row` checks a plan and
gives its row's entry for the store. A plan that cannot be checked is stored too, for its path only (its
one-line error names the file). Reading a row back imports neither
pydantic nor the checker.

The row's trend (readiness over the last 90 days of git history) is added by
:func:`with_trend`, from the history cache when the versions were checked before.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.planner.errors import LocatedError
from releve.tui.history.cache import Cache
from releve.tui.history.cache import key as cache_key
from releve.tui.history.figures import Figures
from releve.tui.history.git import blob_id
from releve.tui.history.packfiles import PackFiles
from releve.tui.history.packsets import PackSets

if TYPE_CHECKING:  # a row read from the cache imports neither pydantic nor the checker
    from releve.rules.result import CheckResult

TREND_DAYS = 90
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: A plan file larger than this is not looked up in the cache (the check says what it is).
_MAX_CACHED_PLAN = 16 << 20


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

    # --- the cache's form (everything but the path and the trend) ---------------------------

    def cached(self) -> dict[str, Any]:
        d = self.next_deadline
        return {
            "figures": self.figures.as_dict(),
            "title": self.title,
            "mission": self.mission,
            "company": self.company,
            "coo": self.coo,
            "coo_email": self.coo_email,
            "status": self.status,
            "start": self.start.isoformat() if self.start else None,
            "workdays": list(self.workdays),
            "days_used": self.days_used,
            "days_kind": self.days_kind,
            "days_contracted": self.days_contracted,
            "next_deadline": [d.day.isoformat(), d.kind, d.what] if d else None,
            "lang": self.lang,
        }

    @classmethod
    def from_cached(cls, path: str, d: dict[str, Any]) -> Row:
        nd = d.get("next_deadline")
        start = d.get("start")
        used = d.get("days_used")
        return cls(
            path=path,
            figures=Figures.from_dict(d["figures"]),
            title=d.get("title") or "",
            mission=d.get("mission"),
            company=d.get("company"),
            coo=d.get("coo"),
            coo_email=d.get("coo_email"),
            status=d.get("status"),
            start=dt.date.fromisoformat(start) if start else None,
            workdays=tuple(d.get("workdays") or ()),
            days_used=float(used) if used is not None else None,
            days_kind=d.get("days_kind") or "planned",
            days_contracted=d.get("days_contracted"),
            next_deadline=Deadline(dt.date.fromisoformat(nd[0]), nd[1], nd[2]) if nd else None,
            lang=d.get("lang") or "en",
        )


@dataclass(frozen=True)
class Options:
    """What every row of one portfolio is checked with (picklable: worker processes get it)."""

    as_of: dt.date
    lang: str | None = None
    extra_packs: tuple[str, ...] = ()
    pack_path: tuple[str, ...] = ()
    packs_only: bool = False
    trend: bool = True


# --- a row from the cache --------------------------------------------------------------------


@dataclass
class Read:
    """A plan file's bytes as read once (None: not a readable regular file, or too large)
    and their blob id (the row's key in the store; "" without a cache)."""

    data: bytes | None
    blob: str = ""


def packs_of(opts: Options) -> PackFiles:
    """The pack files of the portfolio's options (the plans' own are found per plan)."""
    return PackFiles(
        Path("."),
        extra_packs=opts.extra_packs,
        pack_path=opts.pack_path,
        packs_only=opts.packs_only,
    )


#: Rows kept in one store, the most recently made last (older ones dropped past this).
MAX_ROWS = 5000


class RowStore:
    """The rows of one check date, language and view (the default pack, ``--pack`` files
    and options: their digest), in one cache entry keyed by that, each row by its plan's
    blob: a portfolio of 300 plans reads one file and writes one, not 300. A row also
    keeps the packs its plan names and their digest (checked on reading: a pack edited
    makes it stale) and, for a plan that could not be checked, the path its error names.

    Worker processes send their rows' entries back; only this process writes. Two
    portfolios writing at once lose each other's new rows, never mix them (the last whole
    file wins)."""

    def __init__(self, cache: Cache, opts: Options, packs: PackFiles) -> None:
        self.cache = cache
        self.packs = packs
        self.key = cache_key(
            "portfolio-rows", packs.base(), opts.as_of.isoformat(), opts.lang or "plan"
        )
        found = cache.get(self.key) if cache.folder is not None else None
        rows = found.get("rows") if found else None
        self.rows: dict[str, Any] = rows if isinstance(rows, dict) else {}
        self.new: dict[str, Any] = {}

    def row(self, path: str, read: Read) -> Row | None:
        """The row stored for this content, packs and date, or None."""
        found = self.rows.get(read.blob) if read.blob else None
        if not isinstance(found, dict):
            return None
        try:
            named = [str(n) for n in found["named"]]
            if found["packs"] != named_digest(path, named, self.packs):
                return None  # a pack it names changed, or the plan lies elsewhere
            if found.get("path", path) != path:
                return None  # an error row names its file
            return Row.from_cached(path, found["row"])
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # an entry of another shape: checked again and rewritten

    def add(self, blob: str, entry: dict[str, Any] | None) -> None:
        if blob and entry is not None:
            self.new[blob] = entry

    def save(self) -> None:
        """Write the store when rows were made (atomically: the whole file or the old one)."""
        if not self.new or self.cache.folder is None:
            return
        rows = {k: v for k, v in self.rows.items() if k not in self.new}
        rows.update(self.new)
        if len(rows) > MAX_ROWS:
            rows = dict(list(rows.items())[-MAX_ROWS:])
        self.cache.put(self.key, {"rows": rows})
        self.rows, self.new = rows, {}


def named_digest(path: str, named: list[str], packs: PackFiles) -> str:
    """The digest of the packs the plan names as they are on disk now ("" for none), with
    where the plan lies (which packs it may name depends on its folder and repository)."""
    if not named or packs.packs_only:
        return ""
    folder = os.path.dirname(os.path.realpath(path))
    local = packs.at(Path(folder))
    _, files = local.pack_files(None, os.path.basename(path), named)
    where = f"{folder}\0{os.environ.get('RELEVE_PACK_PATH', '')}"
    return cache_key("named-packs-digest", local.digest(files), where)


def read_plan(path: str, cache: Cache) -> Read:
    """The plan's bytes, read once, and their blob id when there is a cache."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_CACHED_PLAN:
            return Read(None)
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return Read(None)
    return Read(data, blob_id(data) if cache.folder is not None else "")


# --- a row checked ----------------------------------------------------------------------------


def next_deadline(result: CheckResult, as_of: dt.date) -> Deadline | None:
    """The first date on or after ``as_of``: a phase's end (not done), a waiver's expiry,
    the exit target."""
    from releve.tui.history.labels import row_name

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


def row_of(path: str, result: CheckResult, as_of: dt.date) -> Row:
    """The row of a check result (no trend)."""
    from releve.tui.history.figures import days_of, figures_of

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


def checked_row(
    path: str,
    read: Read,
    opts: Options,
    packs: PackFiles,
    sets: PackSets,
) -> tuple[Row, dict[str, Any] | None]:
    """The plan checked as of ``opts.as_of``: its row and the entry that stores it
    (:class:`RowStore`; None without a cache). A plan that cannot be read or checked is a
    row with its one-line error (stored for that path only: the line names it)."""
    from releve.planner.store import decode, loads

    named: list[str] = []
    data = read.data
    try:
        if data is None:
            with open(path, "rb") as fh:
                data = fh.read()
        text = decode(data, path)
        plan = loads(text, path)
        named = list(plan.rules.packs) if plan.rules else []
        pack_set = sets.get(path, plan)
        from releve.rules.pipeline import check_plan

        result = check_plan(
            plan,
            as_of=opts.as_of,
            path=path,
            text=text,
            extra_packs=opts.extra_packs,
            lang=opts.lang,
            pack_set=pack_set,
            pack_path=opts.pack_path,
            packs_only=opts.packs_only,
        )
    except (LocatedError, OSError) as err:
        row = Row(path=path, figures=Figures(error=one_line(path, err)))
    except (OverflowError, ValueError) as err:  # a date past 9999-12-31
        row = Row(path=path, figures=Figures(error=f"{path}: {err}"))
    else:
        row = row_of(path, result, opts.as_of)
    if not read.blob or data is not read.data:
        return row, None
    entry: dict[str, Any] = {
        "named": named,
        "packs": named_digest(path, named, packs),
        "row": row.cached(),
    }
    if row.error is not None:
        entry["path"] = path
    return row, entry


def one_line(path: str, err: Exception) -> str:
    """``FILE:LINE:COLUMN: message`` of a plan that cannot be read, control characters shown."""
    from releve.tui.safe_text import visible

    if isinstance(err, LocatedError):
        text = str(err)
        return visible(text if text.startswith(path) or err.path else f"{path}: {text}")
    if isinstance(err, IsADirectoryError):
        return visible(f"{path}: is a folder")
    strerror = getattr(err, "strerror", None)
    return visible(f"{path}: {strerror or err}")


# --- the trend --------------------------------------------------------------------------------


def trend_of(
    path: str, now: int | None, opts: Options, cache: Cache | None
) -> tuple[int | None, tuple[tuple[dt.date, int], ...]]:
    """Readiness gained over the last TREND_DAYS by the plan's git history: now minus the
    version in force TREND_DAYS ago (or the first version since, if the plan is younger)."""
    from releve.tui.history.git import HistoryError
    from releve.tui.history.versions import plan_history

    as_of = opts.as_of
    since = as_of - dt.timedelta(days=TREND_DAYS)
    try:
        h = plan_history(
            path,
            today=as_of,
            since=since,
            lang=opts.lang,
            cache=cache,
            uncommitted=False,
            extra_packs=opts.extra_packs,
            pack_path=opts.pack_path,
            packs_only=opts.packs_only,
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


def with_trend(row: Row, opts: Options, cache: Cache | None) -> Row:
    """The row with its trend, when the portfolio reads git and the plan could be read."""
    if not opts.trend or not row.figures.ok:
        return row
    t, points = trend_of(row.path, row.figures.readiness, opts, cache)
    return replace(row, trend=t, trend_points=points)
