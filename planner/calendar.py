"""The COO's working days: weekdays of [coo].workdays minus public holidays, closures and leave.

A day is a COO working day when its weekday is in ``[coo].workdays`` (default Monday to
Friday), it is not a public holiday of ``[company].country`` (default FR) and it lies in
no ``[company].closures`` and no ``[coo].leave`` period (both bounds included).

France is computed here, exactly (the eleven national holidays, Easter-based ones
included, French labels); every other country comes from the ``holidays`` package, so the
tables stay maintained upstream. A country the package does not know has no public
holidays here (``WorkCalendar.country_known`` is then False, for the rule engine to say).

For speed the calendar also keeps a *window* (default: ten years from the mission start)
as a ``bytearray`` mask, one byte per day, 1 for a working day: the scheduler books on a
copy of it with ``bytearray.find`` and counts working days with prefix sums, so there is
no Python work per calendar day. Holiday tables are cached per (country, year), whole
calendars per plan content.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from releve.planner.model import Plan

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WORKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: How far ahead of the mission start the planner looks before saying effort cannot fit.
HORIZON_YEARS = 10

PeriodKind = Literal["holiday", "closure", "leave"]


class NonWorkingPeriod(NamedTuple):
    """Days off that are not a mere weekday off: ``(from_, to, label, kind)``, both bounds
    included."""

    from_: dt.date
    to: dt.date
    label: str
    kind: PeriodKind


# --- public holidays ------------------------------------------------------------------------


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=256)
def _french_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    easter = easter_sunday(year)
    days = [
        (dt.date(year, 1, 1), "Jour de l'an"),
        (easter + dt.timedelta(days=1), "Lundi de Pâques"),
        (dt.date(year, 5, 1), "Fête du Travail"),
        (dt.date(year, 5, 8), "Victoire 1945"),
        (easter + dt.timedelta(days=39), "Ascension"),
        (easter + dt.timedelta(days=50), "Lundi de Pentecôte"),
        (dt.date(year, 7, 14), "Fête nationale"),
        (dt.date(year, 8, 15), "Assomption"),
        (dt.date(year, 11, 1), "Toussaint"),
        (dt.date(year, 11, 11), "Armistice 1918"),
        (dt.date(year, 12, 25), "Noël"),
    ]
    if 2005 <= year <= 2007:  # Whit Monday was the "journée de solidarité" instead
        days = [d for d in days if d[1] != "Lundi de Pentecôte"]
    return tuple(sorted(days))


def french_holidays(year: int) -> dict[dt.date, str]:
    """The eleven French national public holidays of ``year``, with their French names."""
    return dict(_french_holidays(year))


@lru_cache(maxsize=1024)
def _country_holidays(country: str, year: int) -> tuple[tuple[dt.date, str], ...] | None:
    """Holidays of one country and year; None when the ``holidays`` package has no such
    country."""
    if country == "FR":
        return _french_holidays(year)
    import holidays  # heavy (tens of ms): only for countries other than France

    try:
        table = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return None
    return tuple(sorted((day, str(name)) for day, name in table.items() if day.year == year))


def public_holidays(country: str, year: int) -> dict[dt.date, str]:
    """Public holidays of ``country`` (ISO 3166 alpha-2) in ``year``; empty when unknown."""
    return dict(_country_holidays(country, year) or ())


def country_known(country: str) -> bool:
    """Whether public holidays are known for this country."""
    return _country_holidays(country, 2027) is not None


def first_weekdays(n: int) -> tuple[int, ...]:
    """The first ``n`` weekdays from Monday (what-if schedules: N COO days a week)."""
    if not 0 <= n <= 7:
        raise ValueError(f"days a week must be between 0 and 7, not {n}")
    return tuple(range(n))


def _add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by ``years`` (29 February → 28 February), clamped to the dates that
    exist: ``date.min`` .. ``date.max``."""
    year = day.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


# --- the calendar -----------------------------------------------------------------------------


Span = tuple[dt.date, dt.date, str]


class WorkCalendar:
    """The COO's working days for one plan (or a what-if variant of it).

    Build it with :meth:`for_plan`. Any day can be asked about; days inside the window
    ``[window_start, window_end)`` are answered from a precomputed mask. There is no day
    after ``date.max``, so a ``window_end`` of ``date.max`` takes that day in too
    (:attr:`window_last` is the window's last day either way).
    """

    def __init__(
        self,
        *,
        workdays: tuple[int, ...] = DEFAULT_WORKDAYS,
        country: str = "FR",
        closures: tuple[Span, ...] = (),
        leave: tuple[Span, ...] = (),
        window_start: dt.date,
        window_end: dt.date,
        language: str = "fr",
    ) -> None:
        self.workdays = tuple(sorted(set(workdays)))
        self.country = country
        self.closures = closures
        self.leave = leave
        self.language = language
        self.country_known = country_known(country)
        window_end = max(window_end, window_start)
        self.window_start = window_start
        self.window_end = window_end
        self.base = window_start.toordinal()
        # date.max has no day after it: a window ending there includes it.
        self.size = window_end.toordinal() - self.base + (window_end == dt.date.max)
        self.mask = self._build_mask()
        self._cum: list[int] | None = None
        self._positions: list[int] | None = None

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def for_plan(
        cls,
        plan: Plan,
        days_per_week: int | None = None,
        *,
        window_start: dt.date | None = None,
        window_end: dt.date | None = None,
    ) -> WorkCalendar:
        """The calendar of ``plan``; with ``days_per_week=N`` the COO works the first N
        weekdays from Monday instead of ``[coo].workdays``.

        The window runs from the mission start (or the target date when it is earlier, but
        no more than ten years before the start) to ten years after the mission start,
        unless given; it never goes past ``date.min`` or ``date.max``.
        """
        coo = plan.coo
        if days_per_week is not None:
            workdays = first_weekdays(days_per_week)
        elif coo is not None:
            workdays = tuple(sorted({day.index for day in coo.workdays}))
        else:
            workdays = DEFAULT_WORKDAYS
        company = plan.company
        country = company.country if company is not None else "FR"
        closures = tuple(
            (p.from_, p.to, p.reason or "") for p in (company.closures if company else ())
        )
        leave = tuple((p.from_, p.to, p.reason or "") for p in (coo.leave if coo else ()))
        start = plan.mission.start
        target = plan.exit.target_date if plan.exit else None
        lo = window_start or max(min(start, target or start), _add_years(start, -HORIZON_YEARS))
        hi = window_end or _add_years(start, HORIZON_YEARS)
        return _cached_calendar(
            workdays, country, closures, leave, lo, hi, str(plan.mission.language)
        )

    def _build_mask(self) -> bytearray:
        size = self.size
        first_weekday = self.window_start.weekday()
        week = bytes(1 if (first_weekday + k) % 7 in self.workdays else 0 for k in range(7))
        mask = bytearray(week * (size // 7 + 1))[:size]
        if not size:
            return mask
        base = self.base
        for year in range(self.window_start.year, self.window_end.year + 1):
            for day, _ in _country_holidays(self.country, year) or ():
                i = day.toordinal() - base
                if 0 <= i < size:
                    mask[i] = 0
        for first, last, _ in self.closures + self.leave:
            a = max(first.toordinal() - base, 0)
            b = min(last.toordinal() - base + 1, size)
            if a < b:
                mask[a:b] = bytes(b - a)
        return mask

    # -- questions -------------------------------------------------------------------------

    def holiday(self, day: dt.date) -> str | None:
        """The public holiday's name on ``day``, or None."""
        for d, name in _country_holidays(self.country, day.year) or ():
            if d == day:
                return name
        return None

    def is_working(self, day: dt.date) -> bool:
        """Whether ``day`` is a COO working day."""
        i = day.toordinal() - self.base
        if 0 <= i < self.size:
            return bool(self.mask[i])
        if day.weekday() not in self.workdays or self.holiday(day) is not None:
            return False
        return not any(a <= day <= b for a, b, _ in self.closures + self.leave)

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The COO working days from ``start`` to ``end``, both included, ascending."""
        if end < start:
            return []
        s, e = start.toordinal(), end.toordinal()
        base, size = self.base, self.size
        if base <= s and e < base + size:
            mask = self.mask
            out = []
            i = mask.find(1, s - base, e - base + 1)
            while i >= 0:
                out.append(dt.date.fromordinal(base + i))
                i = mask.find(1, i + 1, e - base + 1)
            return out
        return [d for d in (dt.date.fromordinal(o) for o in range(s, e + 1)) if self.is_working(d)]

    def count_working(self, start: dt.date, end: dt.date) -> int:
        """How many COO working days from ``start`` to ``end``, both included."""
        if end < start:
            return 0
        s, e = start.toordinal() - self.base, end.toordinal() - self.base
        if s >= 0 and e < self.size:
            cum = self.cumulative()
            return cum[e + 1] - cum[s]
        return len(self.working_days(start, end))

    def non_working_periods(self, start: dt.date, end: dt.date) -> list[NonWorkingPeriod]:
        """Public holidays, closures and leave that touch ``start``..``end`` (clipped to it),
        sorted by first day then kind. Weekdays the COO does not work are not listed."""
        out: list[NonWorkingPeriod] = []
        if end < start:
            return out
        for year in range(start.year, end.year + 1):
            for day, name in _country_holidays(self.country, year) or ():
                if start <= day <= end:
                    out.append(NonWorkingPeriod(day, day, name, "holiday"))
        fr = self.language == "fr"
        for spans, kind, default in (
            (self.closures, "closure", "Fermeture" if fr else "Closure"),
            (self.leave, "leave", "Congés" if fr else "Leave"),
        ):
            for a, b, reason in spans:
                if a <= end and b >= start:
                    out.append(
                        NonWorkingPeriod(max(a, start), min(b, end), reason or default, kind)  # type: ignore[arg-type]
                    )
        order = {"holiday": 0, "closure": 1, "leave": 2}
        out.sort(key=lambda p: (p.from_, order[p.kind], p.to, p.label))
        return out

    # -- for the scheduler -------------------------------------------------------------------

    def index(self, day: dt.date) -> int:
        """Position of ``day`` in the window (may be out of range)."""
        return day.toordinal() - self.base

    def day(self, index: int) -> dt.date:
        return dt.date.fromordinal(self.base + index)

    @property
    def window_last(self) -> dt.date:
        """The last day of the window (the window start when the window is empty)."""
        return dt.date.fromordinal(self.base + max(self.size - 1, 0))

    def index_fits(self, index: int) -> bool:
        """Whether window position ``index`` is a real date (``date.min``..``date.max``)."""
        return 1 <= self.base + index <= dt.date.max.toordinal()

    def cumulative(self) -> list[int]:
        """``cum[i]`` = working days in the window before position ``i`` (prefix sums)."""
        if self._cum is None:
            self._cum = list(accumulate(self.mask, initial=0))
        return self._cum

    def positions(self) -> list[int]:
        """Window positions of the working days, ascending."""
        if self._positions is None:
            mask, out, i = self.mask, [], self.mask.find(1)
            while i >= 0:
                out.append(i)
                i = mask.find(1, i + 1)
            self._positions = out
        return self._positions

    def describe_workdays(self) -> str:
        return ", ".join(WEEKDAY_NAMES[d] for d in self.workdays) or "none"


@lru_cache(maxsize=64)
def _cached_calendar(
    workdays: tuple[int, ...],
    country: str,
    closures: tuple[Span, ...],
    leave: tuple[Span, ...],
    lo: dt.date,
    hi: dt.date,
    language: str,
) -> WorkCalendar:
    # Calendars are not mutated after construction (the scheduler books on a copy).
    return WorkCalendar(
        workdays=workdays,
        country=country,
        closures=closures,
        leave=leave,
        window_start=lo,
        window_end=hi,
        language=language,
    )
