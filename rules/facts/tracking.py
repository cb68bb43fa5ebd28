"""Facts of the mission log (tracking.md): what happened, and the forecast it gives.

Seven kinds, built from the plan, its baseline schedule, the check date and the tracking
of planner/tracking.py (computed once per check: `provided_tracking` lets the pipeline
hand over the one it already has):

- ``log`` (one): tracked or not, days booked / remaining / contracted, the burn against
  the time elapsed, the forecast end against the baseline and the target, the log entries
  dated after the check date;
- ``phase_log`` (one per phase): booked, remaining, done, used up, variance;
- ``deliverable`` (one per deliverable of a phase): delivered, accepted, due;
- ``transfer_log`` (one per transfer): done, and whether its phase is;
- ``booking`` (one per booking): a working day of the COO? a known phase? after the date?
- ``meeting`` and ``action`` (one per meeting, one per action decided in one);
- ``steering_gap`` (one per interval between steering or codir meetings, from the
  mission start, and the one still open while the mission runs).

A plan that is not tracked (no booking on a phase and no phase done on or before the
check date) gets only facts no rule of the default pack fires on: every derived field a
rule needs about the forecast is present only when ``tracked``.

Importing this module registers the kinds in `FACT_KINDS` (packs are validated against
it, docs/rules.md lists it) and their enumeration fields in rules.textfmt's
`ENUM_FIELDS`; `TABLE_OF` says which array table a kind's ``row`` indexes (a
deliverable's row is its phase's, an action's its meeting's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from releve.planner.calendar import WorkCalendar
from releve.planner.enums import (
    Gate,
    MeetingKind,
    MissionStatus,
    PhaseKind,
    TransferStatus,
    Weekday,
)
from releve.planner.tracking import Tracking, track
from releve.rules.facts.kinds import FACT_KINDS, FieldSpec
from releve.rules.textfmt import ENUM_FIELDS

if TYPE_CHECKING:
    from releve.planner.model import Plan
    from releve.planner.schedule import Schedule
    from releve.rules.facts.build import Context

Fact = dict[str, Any]

_WEEKDAYS = list(Weekday)
_STEERING = (MeetingKind.steering, MeetingKind.codir)


def _f(type_: str, doc: str) -> FieldSpec:
    return FieldSpec(type_, doc)


def _d(type_: str, doc: str) -> FieldSpec:
    return FieldSpec(type_, doc, derived=True)


_TRACKED = _d(
    "bool",
    "the plan is tracked: a booking on one of its phases or a phase done on or before the "
    "check date",
)

#: kind -> field -> spec, registered in FACT_KINDS (in this order, after the others).
TRACKING_KINDS: dict[str, dict[str, FieldSpec]] = {
    "log": {
        "tracked": _TRACKED,
        "as_of": _d("date", "the check date"),
        "bookings": _d("int", "bookings on or before the check date"),
        "meetings": _d("int", "meetings on or before the check date"),
        "after_check": _d(
            "int",
            "entries of the log dated after the check date (bookings, phases and transfers "
            "done): plans, not facts; the forecast ignores them",
        ),
        "first_after_check": _d("date", "the first of those dates"),
        "booked_days": _d("float", "COO days booked on or before the check date (tracked)"),
        "remaining_days": _d("float", "remaining effort of the phases not done (tracked)"),
        "forecast_days": _d("float", "booked_days + remaining_days (tracked)"),
        "planned_days": _d("int", "COO days of the baseline schedule (tracked)"),
        "days_over_plan": _d("float", "forecast_days − planned_days (tracked)"),
        "contracted_days": _d("int", "coo.contracted_days (tracked)"),
        "over_contract_days": _d(
            "float", "forecast_days beyond the contract, 0 within it (tracked, with a contract)"
        ),
        "burn_share": _d("float", "booked_days ÷ contracted_days (tracked, with a contract)"),
        "elapsed_share": _d(
            "share",
            "COO working days from the mission start to the check date ÷ those of the "
            "baseline (tracked)",
        ),
        "burn_ahead": _d(
            "float",
            "burn_share − elapsed_share: how much faster the contract burns than the mission "
            "elapses (tracked, with a contract)",
        ),
        "baseline_end": _d("date", "last day of the baseline schedule (tracked)"),
        "forecast_end": _d("date", "last day of the forecast (tracked)"),
        "variance_days": _d(
            "int", "forecast_end − baseline_end in COO working days, later is positive (tracked)"
        ),
        "target_date": _d("date", "exit.target_date (tracked)"),
        "forecast_meets_target": _d(
            "bool", "the forecast ends on or before the target date (tracked, fully scheduled)"
        ),
        "baseline_meets_target": _d(
            "bool", "the baseline ends on or before the target date (tracked, fully scheduled)"
        ),
        "forecast_days_late": _d(
            "int", "calendar days from the target date to the forecast end, 0 when on time"
        ),
    },
    "phase_log": {
        "tracked": _TRACKED,
        "phase": _d("str", "phase id"),
        "kind": _d("str", "flash_audit | diagnostic | project | handover"),
        "gate": _d("str", "codir | sponsor | none"),
        "effort_days": _d("int", "COO days of work planned"),
        "booked": _d("float", "days of its bookings on or before the check date"),
        "remaining": _d("float", "effort_days − booked, at least 0; 0 once done"),
        "status": _d("str", "done | used_up | started | planned"),
        "done": _d("bool", "done_on is on or before the check date"),
        "done_on": _d("date", "the day it was finished, as the plan says"),
        "done_after_check": _d("bool", "done_on is after the check date"),
        "started": _d("bool", "a booking on or before the check date"),
        "used_up": _d("bool", "not done and its bookings reach its effort (effort > 0)"),
        "first_booking": _d("date", "its first booking on or before the check date"),
        "last_booking": _d("date", "its last booking on or before the check date"),
        "baseline_end": _d("date", "last day in the baseline schedule"),
        "forecast_end": _d("date", "last day in the forecast (done: done_on)"),
        "variance_days": _d(
            "int", "forecast_end − baseline_end in COO working days, later is positive (tracked)"
        ),
        "deliverables": _d("int", "deliverables of the phase"),
        "delivered": _d("int", "deliverables delivered on or before the check date"),
        "accepted": _d("int", "deliverables delivered and accepted (accepted_by)"),
    },
    "deliverable": {
        "tracked": _TRACKED,
        "name": _d("str", "the deliverable"),
        "phase": _d("str", "id of its phase"),
        "phase_kind": _d("str", "kind of its phase"),
        "handover": _d("bool", "its phase is a handover"),
        "delivered_on": _d("date", "the day it was delivered, as the plan says"),
        "delivered": _d("bool", "delivered_on is on or before the check date"),
        "accepted_by": _d("str", "who accepted it"),
        "accepted": _d("bool", "delivered and accepted_by given"),
        "phase_done": _d("bool", "its phase is done"),
        "phase_end": _d(
            "date", "its phase's done_on when done, else the phase's baseline end (when known)"
        ),
        "phase_ended": _d(
            "bool", "its phase is done, or its baseline end is before the check date"
        ),
        "due": _d("bool", "tracked and phase_ended: it should be delivered by now"),
    },
    "transfer_log": {
        "tracked": _TRACKED,
        "transfer": _d("str", "transfer id"),
        "topic": _d("str", "what is handed over"),
        "to": _d("str", "person id who takes it over"),
        "phase": _d("str", "phase id in which it happens"),
        "status": _d("str", "planned | in_progress | done"),
        "done": _d("bool", "status is done"),
        "done_on": _d("date", "the day it was done, as the plan says"),
        "phase_done": _d("bool", "its phase is done (done_on on or before the check date)"),
        "phase_done_on": _d("date", "its phase's done_on"),
        "baseline_overdue": _d(
            "bool", "not done and its phase's baseline end is before the check date (TRF007)"
        ),
    },
    "booking": {
        "on": _f("date", "the day worked"),
        "phase": _f("str", "phase id"),
        "days": _f("float", "days worked (1, or part of one)"),
        "note": _f("str", "what was done"),
        "phase_exists": _d("bool", "`phase` names a phase of the plan"),
        "weekday": _d("str", "mon … sun"),
        "working_day": _d(
            "bool", "a working day of the COO's calendar (workdays, leave, closures, holidays)"
        ),
        "day_off": _d("str", "the public holiday, closure or leave that day falls in"),
        "after_check": _d("bool", "the day is after the check date"),
    },
    "meeting": {
        "on": _f("date", "the day it was held"),
        "kind": _f("str", "steering | codir | owner | team"),
        "attendees": _f("list", "person ids"),
        "decisions": _f("list", "decisions taken"),
        "note": _f("str", "note"),
        "actions": _d("int", "actions decided"),
        "open_actions": _d("int", "actions not done as of the check date"),
        "overdue_actions": _d("int", "actions past their due date and not done"),
        "after_check": _d("bool", "the meeting is after the check date"),
    },
    "action": {
        "what": _d("str", "the action"),
        "owner": _d("str", "who does it (a person id, or a name)"),
        "due": _d("date", "due date"),
        "done_on": _d("date", "the day it was done"),
        "meeting_on": _d("date", "the day of the meeting that decided it"),
        "meeting_kind": _d("str", "the kind of that meeting"),
        "done": _d("bool", "done_on is on or before the check date"),
        "overdue": _d("bool", "not done and due before the check date"),
        "days_overdue": _d("int", "calendar days from the due date to the check date"),
    },
    "steering_gap": {
        "since": _d("date", "the previous steering or codir meeting (else the mission start)"),
        "until": _d("date", "the next one (else the check date: the gap is open)"),
        "open": _d("bool", "no steering or codir meeting since `since` (the mission runs)"),
        "days": _d(
            "int", "calendar days between them, less the company's closures and the COO's leave"
        ),
        "every_days": _d("int", "governance.steering_every_days"),
        "ratio": _d("float", "days ÷ every_days"),
    },
}

#: Fact id of each kind, as docs/rules.md shows it.
FACT_IDS = {
    "log": "`log`",
    "phase_log": "`phase_log:ID` (the phase's id)",
    "deliverable": "`deliverable:PHASE:N` (N from 1, the phase's order)",
    "transfer_log": "`transfer_log:ID` (the transfer's id)",
    "booking": "`booking:N` (N from 1, plan order)",
    "meeting": "`meeting:N` (N from 1, plan order)",
    "action": "`action:M.N` (meeting M, its action N, from 1)",
    "steering_gap": "`steering_gap:N` (N from 1, in time order)",
}

#: The array table a kind's ``row`` indexes (findings point at that row).
TABLE_OF = {
    "phase_log": "phase",
    "deliverable": "phase",
    "transfer_log": "transfer",
    "booking": "booking",
    "meeting": "meeting",
    "action": "meeting",
    "steering_gap": "meeting",
}

#: Fields whose value is a value of a model enumeration (messages show its label).
_ENUMS = {
    ("phase_log", "kind"): PhaseKind.__name__,
    ("phase_log", "gate"): Gate.__name__,
    ("deliverable", "phase_kind"): PhaseKind.__name__,
    ("transfer_log", "status"): TransferStatus.__name__,
    ("booking", "weekday"): Weekday.__name__,
    ("meeting", "kind"): MeetingKind.__name__,
    ("action", "meeting_kind"): MeetingKind.__name__,
}

for _kind, _spec in TRACKING_KINDS.items():
    FACT_KINDS.setdefault(_kind, _spec)
for _key, _enum in _ENUMS.items():
    ENUM_FIELDS.setdefault(_key, _enum)


def has_log(plan: Plan) -> bool:
    """Whether the plan uses the mission log at all: a booking, a meeting, a phase or a
    transfer done_on, a deliverable written as a table. The rules on the log's facts are
    not scored for a plan without one: they cannot judge it (rules.pipeline)."""
    return bool(
        plan.booking
        or plan.meeting
        or any(p.done_on is not None for p in plan.phase)
        or any(t.done_on is not None for t in plan.transfer)
        or any(not isinstance(d, str) for p in plan.phase for d in p.deliverables)
    )


# --- the tracking, computed once per check ------------------------------------------------

_PROVIDED: ContextVar[tuple[Plan, Schedule, dt.date, Tracking] | None] = ContextVar(
    "releve_provided_tracking", default=None
)


@contextmanager
def provided_tracking(
    plan: Plan, schedule: Schedule, as_of: dt.date, tracking: Tracking
) -> Iterator[None]:
    """Within the block, the facts of (plan, schedule, as_of) use `tracking` instead of
    computing it again (rules.pipeline computes it once for the check result)."""
    token = _PROVIDED.set((plan, schedule, as_of, tracking))
    try:
        yield
    finally:
        _PROVIDED.reset(token)


def safe_track(plan: Plan, as_of: dt.date, schedule: Schedule) -> Tracking:
    """`track` over the check's schedule (its what-if included); a plan whose forecast
    cannot be computed (a check date at the end of the calendar) is taken as untracked:
    its forecast is its schedule."""
    try:
        return track(plan, as_of, baseline=schedule, days_per_week=schedule.days_per_week)
    except (ValueError, OverflowError):
        contracted = plan.coo.contracted_days if plan.coo else None
        return Tracking(
            as_of=as_of,
            tracked=False,
            baseline=schedule,
            forecast=schedule,
            phases={},
            variance_days=None,
            booked_days=0.0,
            remaining_days=0.0,
            contracted_days=contracted,
            elapsed_share=None,
            burn_share=None,
        )


def tracking_of(c: Context) -> Tracking:
    """The tracking of the context's plan: the one provided for it, else computed (and
    kept on the context for the other builders)."""
    kept = c.__dict__.get("_tracking")
    if isinstance(kept, Tracking):
        return kept
    given = _PROVIDED.get()
    if given is not None and given[0] is c.plan and given[1] is c.schedule and given[2] == c.as_of:
        t = given[3]
    else:
        t = safe_track(c.plan, c.as_of, c.schedule)
    c.__dict__["_tracking"] = t
    return t


def phase_over(c: Context, phase_id: str | None) -> bool:
    """Whether a phase is over as of the check date, as the log says: done (``done_on`` on
    or before it), or ended before it in the forecast (a used-up phase ends on its last
    booking); for a plan not tracked, its planned end is before it. A tracked phase that
    runs late is not over, whatever its planned end (for TRF007's ``transfer.overdue``)."""
    if not phase_id:
        return False
    t = tracking_of(c)
    pt = t.phases.get(phase_id)
    if pt is None:
        return False
    if pt.done:
        return True
    slot = pt.forecast if t.tracked else pt.baseline
    return slot is not None and slot.end < c.as_of


def _calendar(c: Context) -> WorkCalendar:
    cal = c.__dict__.get("_calendar")
    if not isinstance(cal, WorkCalendar):
        cal = c.__dict__["_calendar"] = WorkCalendar.for_plan(c.plan)
    return cal


def _put(fact: Fact, key: str, value: Any) -> None:
    if value is not None:
        fact[key] = value


# --- builders ------------------------------------------------------------------------------


def log_facts(c: Context) -> list[Fact]:
    plan, as_of = c.plan, c.as_of
    t = tracking_of(c)
    f: Fact = {"fact": "log", "fact_id": "log", "tracked": t.tracked, "as_of": as_of}
    f["bookings"] = sum(1 for b in plan.booking if b.on <= as_of)
    f["meetings"] = sum(1 for m in plan.meeting if m.on <= as_of)
    later = [b.on for b in plan.booking if b.on > as_of]
    later += [p.done_on for p in plan.phase if p.done_on is not None and p.done_on > as_of]
    later += [x.done_on for x in plan.transfer if x.done_on is not None and x.done_on > as_of]
    f["after_check"] = len(later)
    if later:
        f["first_after_check"] = min(later)
    if not t.tracked:
        return [f]
    base, fc = t.baseline, t.forecast
    f["booked_days"] = t.booked_days
    f["remaining_days"] = t.remaining_days
    f["forecast_days"] = t.forecast_days
    f["planned_days"] = base.coo_days
    f["days_over_plan"] = t.forecast_days - base.coo_days
    if t.contracted_days is not None:
        f["contracted_days"] = t.contracted_days
        f["over_contract_days"] = t.over_contract_days
        _put(f, "burn_share", t.burn_share)
    if t.elapsed_share is not None:
        f["elapsed_share"] = t.elapsed_share
        if t.burn_share is not None:
            f["burn_ahead"] = t.burn_share - t.elapsed_share
    _put(f, "baseline_end", base.end)
    _put(f, "forecast_end", fc.end)
    _put(f, "variance_days", t.variance_days)
    target = plan.exit.target_date if plan.exit else None
    if target is not None:
        f["target_date"] = target
        if base.end is not None and base.ok:
            f["baseline_meets_target"] = base.end <= target
        if fc.end is not None and fc.ok:
            f["forecast_meets_target"] = fc.end <= target
            f["forecast_days_late"] = max(0, (fc.end - target).days)
    return [f]


def phase_log_facts(c: Context) -> list[Fact]:
    t = tracking_of(c)
    out = []
    for i, ph in enumerate(c.plan.phase):
        pt = t.phases.get(ph.id)
        f: Fact = {"fact": "phase_log", "fact_id": f"phase_log:{ph.id}", "row": i}
        f["tracked"] = t.tracked
        f["phase"] = ph.id
        f["kind"] = ph.kind.value
        if ph.gate is not None:
            f["gate"] = ph.gate.value
        f["effort_days"] = ph.effort_days
        items = ph.deliverables
        delivered = [
            d
            for d in items
            if not isinstance(d, str) and d.delivered_on is not None and d.delivered_on <= c.as_of
        ]
        f["deliverables"] = len(items)
        f["delivered"] = len(delivered)
        f["accepted"] = sum(1 for d in delivered if d.accepted_by and d.accepted_by.strip())
        _put(f, "done_on", ph.done_on)
        f["done_after_check"] = ph.done_on is not None and ph.done_on > c.as_of
        if pt is not None:
            f["booked"] = pt.booked
            f["remaining"] = pt.remaining
            f["status"] = pt.status
            f["done"] = pt.done
            f["started"] = pt.started
            f["used_up"] = pt.used_up
            _put(f, "first_booking", pt.first_booking)
            _put(f, "last_booking", pt.last_booking)
            if pt.baseline is not None:
                f["baseline_end"] = pt.baseline.end
            if pt.forecast is not None:
                f["forecast_end"] = pt.forecast.end
            if t.tracked:
                _put(f, "variance_days", pt.variance_days)
        out.append(f)
    return out


def deliverable_facts(c: Context) -> list[Fact]:
    t = tracking_of(c)
    out = []
    for i, ph in enumerate(c.plan.phase):
        pt = t.phases.get(ph.id)
        done = bool(pt is not None and pt.done)
        base_end = pt.baseline.end if pt is not None and pt.baseline is not None else None
        end = ph.done_on if done else base_end
        ended = done or (base_end is not None and base_end < c.as_of)
        for n, item in enumerate(ph.deliverables, start=1):
            f: Fact = {"fact": "deliverable", "fact_id": f"deliverable:{ph.id}:{n}", "row": i}
            f["tracked"] = t.tracked
            f["phase"] = ph.id
            f["phase_kind"] = ph.kind.value
            f["handover"] = ph.kind == PhaseKind.handover
            on = accepted_by = None
            if isinstance(item, str):
                f["name"] = item
            else:
                f["name"] = item.name
                on, accepted_by = item.delivered_on, item.accepted_by
            _put(f, "delivered_on", on)
            f["delivered"] = on is not None and on <= c.as_of
            if accepted_by and accepted_by.strip():
                f["accepted_by"] = accepted_by
            f["accepted"] = bool(f["delivered"] and "accepted_by" in f)
            f["phase_done"] = done
            _put(f, "phase_end", end)
            f["phase_ended"] = ended
            f["due"] = t.tracked and ended
            out.append(f)
    return out


def transfer_log_facts(c: Context) -> list[Fact]:
    t = tracking_of(c)
    phases = {p.id: p for p in c.plan.phase}
    out = []
    for i, x in enumerate(c.plan.transfer):
        f: Fact = {"fact": "transfer_log", "fact_id": f"transfer_log:{x.id}", "row": i}
        f["tracked"] = t.tracked
        f["transfer"] = x.id
        _put(f, "topic", x.topic)
        _put(f, "to", x.to)
        _put(f, "phase", x.phase)
        f["status"] = x.status.value
        f["done"] = x.status == TransferStatus.done
        _put(f, "done_on", x.done_on)
        pt = t.phases.get(x.phase) if x.phase else None
        f["phase_done"] = bool(pt is not None and pt.done)
        ph = phases.get(x.phase) if x.phase else None
        if ph is not None and ph.done_on is not None:
            f["phase_done_on"] = ph.done_on
        slot = t.baseline.phases.get(x.phase) if x.phase else None
        f["baseline_overdue"] = bool(slot is not None and not f["done"] and slot.end < c.as_of)
        out.append(f)
    return out


def booking_facts(c: Context) -> list[Fact]:
    if not c.plan.booking:
        return []
    cal = _calendar(c)
    phases = {p.id for p in c.plan.phase}
    out = []
    for i, b in enumerate(c.plan.booking):
        f: Fact = {"fact": "booking", "fact_id": f"booking:{i + 1}", "row": i}
        f["on"], f["phase"], f["days"] = b.on, b.phase, b.days
        _put(f, "note", b.note)
        f["phase_exists"] = b.phase in phases
        f["weekday"] = _WEEKDAYS[b.on.weekday()].value
        f["working_day"] = cal.is_working(b.on)
        if not f["working_day"]:
            off = cal.non_working_periods(b.on, b.on)
            if off:
                f["day_off"] = off[0].label
        f["after_check"] = b.on > c.as_of
        out.append(f)
    return out


def _action_done(a: Any, as_of: dt.date) -> bool:
    return a.done_on is not None and a.done_on <= as_of


def meeting_facts(c: Context) -> list[Fact]:
    out = []
    for i, m in enumerate(c.plan.meeting):
        f: Fact = {"fact": "meeting", "fact_id": f"meeting:{i + 1}", "row": i}
        f["on"], f["kind"] = m.on, m.kind.value
        f["attendees"], f["decisions"] = list(m.attendees), list(m.decisions)
        _put(f, "note", m.note)
        f["actions"] = len(m.actions)
        f["open_actions"] = sum(1 for a in m.actions if not _action_done(a, c.as_of))
        f["overdue_actions"] = sum(
            1
            for a in m.actions
            if not _action_done(a, c.as_of) and a.due is not None and a.due < c.as_of
        )
        f["after_check"] = m.on > c.as_of
        out.append(f)
    return out


def action_facts(c: Context) -> list[Fact]:
    out = []
    for i, m in enumerate(c.plan.meeting):
        for n, a in enumerate(m.actions, start=1):
            f: Fact = {"fact": "action", "fact_id": f"action:{i + 1}.{n}", "row": i}
            f["what"] = a.what
            _put(f, "owner", a.owner)
            _put(f, "due", a.due)
            _put(f, "done_on", a.done_on)
            f["meeting_on"], f["meeting_kind"] = m.on, m.kind.value
            f["done"] = _action_done(a, c.as_of)
            f["overdue"] = bool(not f["done"] and a.due is not None and a.due < c.as_of)
            if f["overdue"] and a.due is not None:
                f["days_overdue"] = (c.as_of - a.due).days
            out.append(f)
    return out


def _days_off_between(plan: Plan, since: dt.date, until: dt.date) -> int:
    """Days strictly between the two dates in a company closure or the COO's leave
    (overlapping periods counted once; arithmetic, never day by day)."""
    spans = [(p.from_, p.to) for p in (plan.company.closures if plan.company else ())]
    spans += [(p.from_, p.to) for p in (plan.coo.leave if plan.coo else ())]
    if until.toordinal() - since.toordinal() < 2:
        return 0
    first, last = since.toordinal() + 1, until.toordinal() - 1
    clipped = sorted(
        (max(a.toordinal(), first), min(b.toordinal(), last))
        for a, b in spans
        if a.toordinal() <= last and b.toordinal() >= first
    )
    total, reach = 0, first - 1
    for lo, hi in clipped:
        lo = max(lo, reach + 1)
        if hi >= lo:
            total += hi - lo + 1
            reach = hi
    return total


def steering_gap_facts(c: Context) -> list[Fact]:
    plan, as_of = c.plan, c.as_of
    every = plan.governance.steering_every_days if plan.governance else None
    start = plan.mission.start
    held = sorted(
        (m.on, i)
        for i, m in enumerate(plan.meeting)
        if m.kind in _STEERING and start <= m.on <= as_of
    )
    if every is None or as_of < start or not (held or tracking_of(c).tracked):
        return []
    gaps: list[tuple[dt.date, dt.date, int | None, bool]] = []
    since = start
    for on, row in held:
        if on > since:
            gaps.append((since, on, row, False))
        since = on
    if plan.mission.status != MissionStatus.handed_over and as_of > since:
        gaps.append((since, as_of, held[-1][1] if held else None, True))
    out = []
    for n, (a, b, closing, is_open) in enumerate(gaps, start=1):
        days = (b - a).days - _days_off_between(plan, a, b)
        f: Fact = {"fact": "steering_gap", "fact_id": f"steering_gap:{n}"}
        if closing is not None:
            f["row"] = closing
        f["since"], f["until"], f["open"] = a, b, is_open
        f["days"], f["every_days"], f["ratio"] = days, every, days / every
        out.append(f)
    return out


#: kind -> builder, in the order the facts are listed (after build.py's own).
TRACKING_BUILDERS: dict[str, Callable[[Context], list[Fact]]] = {
    "log": log_facts,
    "phase_log": phase_log_facts,
    "deliverable": deliverable_facts,
    "transfer_log": transfer_log_facts,
    "booking": booking_facts,
    "meeting": meeting_facts,
    "action": action_facts,
    "steering_gap": steering_gap_facts,
}
