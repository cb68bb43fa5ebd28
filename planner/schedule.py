"""The serial schedule of docs/scheduling.md (TaskJuggler-exact): phases → booked COO days.

The rules (scheduling.md, binding):

* Phases are *taken* one at a time, highest ``priority`` first (absent = 0), then plan
  order; a phase is ready once every phase of its ``after`` is scheduled, and the next
  one taken is the highest-ranked ready phase.
* A phase's earliest day is the latest of the mission start, its ``not_before`` and the
  day after the end of each ``after`` phase. From there it books every COO working day no
  other phase has booked, one per day of effort. ``start``/``end`` are its first/last
  booked day. A phase of ``effort_days = 0`` is a milestone: start = end = earliest day.
* Milestones book nothing, so they are settled the moment they are ready (this is what
  TaskJuggler does: it never queues milestones, it propagates their date), which only
  matters in that a phase after a milestone becomes ready at once.

Slack and critical path (a backward pass over the same calendar, precedence only):

* the deadline ``D`` is ``[exit].target_date``, or the mission end when there is none;
* a phase's latest finish ``LF`` is ``D`` when no scheduled phase is after it, else the
  day before the earliest *latest start* ``LS`` of the phases after it;
* ``LS`` is the day on which its effort, booked on every COO working day backwards from
  ``LF`` (the COO's own working days; bookings of other phases are ignored), would begin;
  a milestone's ``LS`` is its ``LF``;
* ``slack_days`` = COO working days after the phase's actual end up to ``LF`` (negative:
  working days it ends too late, when the target is missed);
* ``critical`` = ``slack_days <= 0``.

Problems are results, never exceptions: an unknown phase in ``after``, a cycle in
``after``, or effort that cannot fit in the ten years after the mission start. The phases
concerned are named; phases after them are left unscheduled; the rest is scheduled.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from releve.planner.calendar import HORIZON_YEARS, WorkCalendar
from releve.planner.errors import LocatedError
from releve.planner.records import field, mutable_record, record

if TYPE_CHECKING:  # annotations only: `releve check` schedules without pydantic
    from releve.planner.model import Phase, Plan


class ProblemKind(StrEnum):
    cycle = "cycle"  # a cycle in `after`
    unknown_phase = "unknown_phase"  # `after` names a phase that does not exist
    no_fit = "no_fit"  # effort cannot fit in ten years (no working day, …)


@record
class ScheduleProblem:
    kind: ProblemKind
    phases: tuple[str, ...]  # the phases concerned, in plan order
    message: str  # one English line naming the phases


@record
class PhaseSlot:
    id: str
    days: tuple[dt.date, ...]  # booked COO days, ascending
    start: dt.date  # first booked day (milestone: its earliest day)
    end: dt.date  # last booked day
    effort_days: int
    slack_days: int  # COO working days of slack vs target (or mission end)
    critical: bool  # zero (or negative) slack


@record
class Schedule:
    start: dt.date  # mission start
    phases: dict[str, PhaseSlot]  # scheduled phases, in plan order
    problems: tuple[ScheduleProblem, ...] = ()
    end: dt.date | None = None  # last phase end; None when nothing could be scheduled
    coo_days: int = 0  # COO days booked
    target_date: dt.date | None = None
    # None when there is no target date, nothing scheduled, or the schedule has problems.
    meets_target: bool | None = None
    days_per_week: int | None = None  # set for a what-if schedule
    # Phases left out (those a problem names and those after them), in plan order.
    unscheduled: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


class UnschedulableError(LocatedError):
    """A plan whose phases cannot all be scheduled; ``problems`` says why.

    ``str(err)`` is one ``FILE:LINE:COLUMN: message`` line per problem; ``places`` gives
    each problem's (line, column) when known (the first is also ``line``/``column``).
    """

    def __init__(
        self,
        problems: tuple[ScheduleProblem, ...],
        *,
        path: str | None = None,
        places: list[tuple[int | None, int | None]] | None = None,
    ) -> None:
        places = list(places or [])
        places += [(None, None)] * (len(problems) - len(places))
        line, column = places[0] if places else (None, None)
        super().__init__(
            "; ".join(p.message for p in problems), path=path, line=line, column=column
        )
        self.problems = problems
        self.places = places

    def __str__(self) -> str:
        return (
            "\n".join(
                str(LocatedError(p.message, path=self.path, line=ln, column=col))
                for p, (ln, col) in zip(self.problems, self.places, strict=True)
            )
            or super().__str__()
        )


# --- the schedule -------------------------------------------------------------------------


def schedule_plan(plan: Plan, *, days_per_week: int | None = None) -> Schedule:
    """Schedule ``plan``'s phases on the COO's working days (or, with ``days_per_week=N``,
    on the first N weekdays from Monday: a what-if)."""
    return _schedule(plan, days_per_week, with_slack=True)


def end_with_days_per_week(plan: Plan, n: int) -> dt.date | None:
    """The mission end if the COO worked the first ``n`` weekdays of each week; None when
    the plan has no phase or cannot be scheduled."""
    s = _schedule(plan, n, with_slack=False)
    return s.end if s.ok else None


def what_if_ends(plan: Plan, days: range = range(1, 6)) -> dict[int, dt.date | None]:
    """``{n: end_with_days_per_week(plan, n)}`` for each ``n`` in ``days``."""
    return {n: end_with_days_per_week(plan, n) for n in days}


def fewest_days_per_week(plan: Plan) -> int | None:
    """The fewest COO days a week (1 to 5, first weekdays from Monday) whose schedule ends
    on or before ``[exit].target_date``; None when none does or there is no target date."""
    target = plan.exit.target_date if plan.exit else None
    if target is None:
        return None
    for n in range(1, 6):
        s = _schedule(plan, n, with_slack=False)
        if s.ok and s.end is not None and s.end <= target:
            return n
    return None


@record
class Remaining:
    """What is left to schedule of a running mission (planner/tracking.py builds it): the
    phases ``done`` leave the schedule and the ``after`` lists; every other phase takes
    ``effort[id]`` days (default its ``effort_days``) from ``not_before`` on at the
    earliest."""

    done: frozenset[str] = frozenset()
    effort: dict[str, int] = field(default_factory=dict)
    not_before: dt.date | None = None


def _schedule(
    plan: Plan,
    days_per_week: int | None,
    *,
    with_slack: bool,
    remaining: Remaining | None = None,
) -> Schedule:
    """TaskJuggler's three steps: prepare (the graph, its problems, the calendar and each
    phase's earliest day), book (the serial schedule), finish (slack and the result)."""
    prep = _prepare(plan, days_per_week, remaining)
    if not prep.phases:
        return Schedule(
            start=prep.start, phases={}, target_date=prep.target, days_per_week=days_per_week
        )
    booking = _book(prep)
    return _finish(prep, booking, with_slack=with_slack)


@mutable_record
class _Prepared:
    """The plan turned into the scheduler's arrays (indexes in plan order)."""

    start: dt.date
    target: dt.date | None
    days_per_week: int | None
    phases: list[Phase]
    ids: list[str]
    where: dict[str, int]
    efforts: list[int]
    preds: list[list[int]]
    succs: list[list[int]]
    unknown: dict[int, list[str]]
    problems: list[ScheduleProblem]
    cal: WorkCalendar
    rank_of: list[int]
    earliest: list[int]  # window positions


@mutable_record
class _Booked:
    booked: list[list[int] | None]  # window positions of each phase's days
    first: list[int]
    last: list[int]
    order: list[int]  # scheduling order (a topological order), for the backward pass
    no_fit: list[int]


def _prepare(plan: Plan, days_per_week: int | None, remaining: Remaining | None) -> _Prepared:
    start = plan.mission.start
    target = plan.exit.target_date if plan.exit else None
    done: frozenset[str] = remaining.done if remaining else frozenset()
    phases = [p for p in plan.phase if p.id not in done] if done else list(plan.phase)
    efforts = [p.effort_days for p in phases]
    if remaining is not None and remaining.effort:
        efforts = [remaining.effort.get(p.id, e) for p, e in zip(phases, efforts, strict=True)]
    n = len(phases)
    ids = [p.id for p in phases]
    where = {pid: i for i, pid in enumerate(ids)}
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    unknown: dict[int, list[str]] = {}
    for i, p in enumerate(phases):
        seen: set[int] = set()
        for name in p.after:
            j = where.get(name)
            if j is None:
                if name not in done:
                    unknown.setdefault(i, []).append(name)
            elif j not in seen:
                seen.add(j)
                preds[i].append(j)
                succs[j].append(i)

    problems: list[ScheduleProblem] = []
    if unknown:
        parts = [
            f"'{ids[i]}' is after {', '.join(repr(u) for u in names)}"
            for i, names in sorted(unknown.items())
        ]
        problems.append(
            ScheduleProblem(
                ProblemKind.unknown_phase,
                tuple(ids[i] for i in sorted(unknown)),
                "unknown phase in `after`: " + "; ".join(parts) + " (no phase has that id).",
            )
        )
    problems.extend(_cycles(ids, preds, succs))

    cal = WorkCalendar.for_plan(plan, days_per_week)
    start_idx = cal.index(start)
    if remaining is not None and remaining.not_before is not None:
        start_idx = max(start_idx, cal.index(remaining.not_before))
    rank = sorted(range(n), key=lambda i: (-(phases[i].priority or 0), i))
    rank_of = [0] * n
    for r, i in enumerate(rank):
        rank_of[i] = r
    earliest = [start_idx] * n
    for i, p in enumerate(phases):
        if p.not_before is not None:
            earliest[i] = max(start_idx, cal.index(p.not_before))
    return _Prepared(
        start=start,
        target=target,
        days_per_week=days_per_week,
        phases=phases,
        ids=ids,
        where=where,
        efforts=efforts,
        preds=preds,
        succs=succs,
        unknown=unknown,
        problems=problems,
        cal=cal,
        rank_of=rank_of,
        earliest=earliest,
    )


def _book(prep: _Prepared) -> _Booked:
    """The serial schedule: take the highest-ranked ready phase, book its days, repeat."""
    n = len(prep.phases)
    cal, efforts, succs, rank_of = prep.cal, prep.efforts, prep.succs, prep.rank_of
    earliest = list(prep.earliest)
    free = bytearray(cal.mask)  # booked days are cleared as phases take them
    waiting = [len(pr) for pr in prep.preds]
    out = _Booked(booked=[None] * n, first=[0] * n, last=[0] * n, order=[], no_fit=[])
    booked, first, last = out.booked, out.first, out.last
    heap: list[tuple[int, int]] = []
    settle: list[int] = []  # milestones ready to be settled

    def ready(i: int) -> None:
        if i in prep.unknown:
            return
        if efforts[i] == 0:
            settle.append(i)
        else:
            heapq.heappush(heap, (rank_of[i], i))

    def done(i: int) -> None:
        out.order.append(i)
        after_end = last[i] + 1
        for s in succs[i]:
            waiting[s] -= 1
            earliest[s] = max(earliest[s], after_end)
            if waiting[s] == 0:
                ready(s)

    for i in range(n):
        if waiting[i] == 0:
            ready(i)
    size = cal.size
    fits = cal.index_fits
    find = free.find
    while True:
        while settle:
            i = settle.pop()
            if not fits(earliest[i]):  # after a phase that ends on date.max: no such day
                out.no_fit.append(i)
                continue
            first[i] = last[i] = earliest[i]
            booked[i] = []
            done(i)
        if not heap:
            break
        _, i = heapq.heappop(heap)
        days = _take(find, size, earliest[i], efforts[i])
        if days is None:
            out.no_fit.append(i)
            continue
        for j in days:
            free[j] = 0
        booked[i] = days
        first[i], last[i] = days[0], days[-1]
        done(i)
    return out


def _take(find: Callable[..., int], size: int, earliest: int, effort: int) -> list[int] | None:
    """The first ``effort`` free days from ``earliest`` on; None when they do not fit."""
    days: list[int] = []
    j = earliest - 1
    for _ in range(effort):
        j = find(1, j + 1, size) if j + 1 < size else -1
        if j < 0:
            return None
        days.append(j)
    return days


def _finish(prep: _Prepared, run: _Booked, *, with_slack: bool) -> Schedule:
    """Problems of effort that did not fit, slack, and the schedule in dates."""
    phases, ids, efforts, cal = prep.phases, prep.ids, prep.efforts, prep.cal
    start, target = prep.start, prep.target
    problems = list(prep.problems)
    booked, first, last, order, no_fit = run.booked, run.first, run.last, run.order, run.no_fit
    if no_fit:
        no_fit.sort()
        horizon_end = cal.window_last
        why = (
            "the COO has no workdays" if not cal.workdays else f"COO days {cal.describe_workdays()}"
        )
        listed = ", ".join(
            f"'{ids[i]}' ({efforts[i]} day{'s' * (efforts[i] > 1)})"
            if efforts[i]
            else f"'{ids[i]}' (a milestone after the last day)"
            for i in no_fit
        )
        span = (
            f"from {start} to {horizon_end}, the last day a calendar has"
            if horizon_end == dt.date.max
            else f"in the {HORIZON_YEARS} years from {start} to {horizon_end}"
        )
        problems.append(
            ScheduleProblem(
                ProblemKind.no_fit,
                tuple(ids[i] for i in no_fit),
                f"effort cannot fit {span} ({why}): {listed}.",
            )
        )

    base = cal.base
    day_of = dt.date.fromordinal
    n = len(phases)
    slack = [0] * n
    if with_slack and order:
        deadline = target or day_of(base + max(last[i] for i in order))
        slack = _slack(cal, efforts, order, prep.succs, last, booked, cal.index(deadline))
    slots: dict[str, PhaseSlot] = {}
    coo_days = 0
    for i, p in enumerate(phases):
        b = booked[i]
        if b is None:
            continue
        coo_days += len(b)
        slots[p.id] = PhaseSlot(
            id=p.id,
            days=tuple(day_of(base + j) for j in b),
            start=day_of(base + first[i]),
            end=day_of(base + last[i]),
            effort_days=efforts[i],
            slack_days=slack[i],
            critical=with_slack and slack[i] <= 0,
        )
    end = max((s.end for s in slots.values()), default=None)
    problems.sort(key=lambda pr: prep.where[pr.phases[0]])
    complete = not problems
    meets = None
    if target is not None and end is not None and complete:
        meets = end <= target
    return Schedule(
        start=start,
        phases=slots,
        problems=tuple(problems),
        end=end,
        coo_days=coo_days,
        target_date=target,
        meets_target=meets,
        days_per_week=prep.days_per_week,
        unscheduled=tuple(pid for pid in ids if pid not in slots),
    )


def _slack(
    cal: WorkCalendar,
    efforts: list[int],
    order: list[int],
    succs: list[list[int]],
    last: list[int],
    booked: list[list[int] | None],
    deadline: int,
) -> list[int]:
    """Backward pass (see the module docstring): slack in COO working days per phase."""
    cum = cal.cumulative()
    pos = cal.positions()
    size = cal.size

    def count_to(x: int) -> int:  # working days in the window at positions <= x
        return cum[min(max(x + 1, 0), size)]

    n = len(efforts)
    latest_start = [0] * n
    slack = [0] * n
    for i in reversed(order):
        lf = deadline
        for s in succs[i]:
            if booked[s] is not None and latest_start[s] - 1 < lf:
                lf = latest_start[s] - 1
        effort = efforts[i]
        if effort == 0:
            latest_start[i] = lf
        else:
            k = count_to(lf) - effort  # index in `pos` of the latest start day
            latest_start[i] = pos[k] if k >= 0 else -1 - (-k)  # before the window: clamp
        slack[i] = count_to(lf) - count_to(last[i])
    return slack


def _cycles(  # noqa: C901
    ids: list[str], preds: list[list[int]], succs: list[list[int]]
) -> list[ScheduleProblem]:
    """One problem per cycle of `after` (strongly connected component), phases in plan
    order, the message showing one loop."""
    n = len(ids)
    waiting = [len(p) for p in preds]
    queue = [i for i in range(n) if waiting[i] == 0]
    while queue:
        i = queue.pop()
        for s in succs[i]:
            waiting[s] -= 1
            if waiting[s] == 0:
                queue.append(s)
    left = {i for i in range(n) if waiting[i] > 0}
    if not left:
        return []
    # Kosaraju on the leftover sub-graph, iteratively (plans can have many phases).
    seen: set[int] = set()
    post: list[int] = []
    for root in sorted(left):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(succs[root]))]
        while stack:
            node, it = stack[-1]
            for s in it:
                if s in left and s not in seen:
                    seen.add(s)
                    stack.append((s, iter(succs[s])))
                    break
            else:
                stack.pop()
                post.append(node)
    comp: dict[int, int] = {}
    comps: list[list[int]] = []
    for root in reversed(post):
        if root in comp:
            continue
        members = [root]
        comp[root] = len(comps)
        stack2 = [root]
        while stack2:
            node = stack2.pop()
            for p in preds[node]:
                if p in left and p not in comp:
                    comp[p] = len(comps)
                    members.append(p)
                    stack2.append(p)
        comps.append(members)
    problems = []
    for members in comps:
        ms = set(members)
        if len(members) == 1 and members[0] not in preds[members[0]]:
            continue  # only downstream of a cycle
        loop = _loop(min(members), ms, succs)
        names = tuple(ids[i] for i in sorted(members))
        problems.append(
            ScheduleProblem(
                ProblemKind.cycle,
                names,
                f"cycle in `after`: {' → '.join(ids[i] for i in loop)} "
                f"(each phase waits for the one before it; phases {', '.join(names)} "
                "cannot be scheduled).",
            )
        )
    return problems


def _loop(start: int, members: set[int], succs: list[list[int]]) -> list[int]:
    """A shortest path start → … → start inside one strongly connected component."""
    parent: dict[int, int] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for s in succs[node]:
                if s not in members:
                    continue
                if s == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if s not in parent:
                    parent[s] = node
                    nxt.append(s)
        frontier = nxt
    return [start, start]  # unreachable for a real cycle
