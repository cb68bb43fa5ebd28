"""Plan + schedule + check date → the flat facts the rules compare, one builder per kind.

`build_facts` runs every builder in a fixed order (the order `releve rules facts`
prints). A builder takes the shared `Context` (the plan, its schedule, the check date and
the look-ups several kinds need) and returns the facts of its kind; it computes its
derived fields itself, in plain Python, so that rules only compare one field of one fact
with a constant. Facts never hold None: an unknown value is an absent field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from releve.planner.enums import (
    Direction,
    KpiCategory,
    MissionStatus,
    PhaseKind,
    TransferStatus,
)
from releve.planner.records import field, mutable_record
from releve.rules.facts.kinds import EXPECTED_KPI_CATEGORIES, FACT_KINDS, REQUIRED_PHASE_KINDS
from releve.rules.facts.placeholders import placeholder_facts
from releve.rules.facts.tracking import TRACKING_BUILDERS, phase_over, tracking_of

if TYPE_CHECKING:
    from releve.planner.model import Plan
    from releve.planner.schedule import Schedule

Fact = dict[str, Any]

_SCALARS = (str, int, float, bool)
_PLAIN = {k: tuple(n for n, s in spec.items() if not s.derived) for k, spec in FACT_KINDS.items()}
_RANK = {k: i for i, k in enumerate(PhaseKind)}


# --- helpers ---------------------------------------------------------------------------


def _value(v: Any) -> Any:
    """A model value as a fact value: enums → str, dates kept, lists of scalars."""
    if v is None or type(v) in _SCALARS:
        return v
    if isinstance(v, StrEnum):
        return str(v.value)
    if isinstance(v, list):
        return [_value(x) for x in v]
    return v


def _put(fact: Fact, key: str, value: Any) -> None:
    """Set a field unless its value is unknown (facts never hold None)."""
    if value is not None:
        fact[key] = value


def _copy_fields(fact: Fact, model: Any, fields: tuple[str, ...]) -> None:
    d = model.__dict__  # pydantic v2 keeps field values there: faster than getattr
    for name in fields:
        v = d["from_" if name == "from" else name]
        if v is None:
            continue
        fact[name] = v if type(v) in _SCALARS else _value(v)


def _table_fact(kind: str, table: Any) -> Fact:
    fact: Fact = {"fact": kind, "fact_id": kind}
    if kind != "mission":
        fact["declared"] = table is not None
    if table is not None:
        _copy_fields(fact, table, _PLAIN[kind])
    return fact


def _row_fact(kind: str, index: int, row: Any) -> Fact:
    rid = row.__dict__.get("id")
    fact: Fact = {
        "fact": kind,
        "fact_id": f"{kind}:{rid}" if rid else f"{kind}:{index + 1}",
        "row": index,
    }
    _copy_fields(fact, row, _PLAIN[kind])
    return fact


def _nonempty(v: str | None) -> bool:
    return bool(v and v.strip())


def final_phase_id(plan: Plan, schedule: Schedule) -> str | None:
    """The final phase: the handover phase that ends last (plan order breaks ties); an
    unscheduled handover counts when no handover is scheduled."""
    handovers = [p for p in plan.phase if p.kind == PhaseKind.handover]
    if not handovers:
        return None
    scheduled = [p for p in handovers if p.id in schedule.phases]
    if not scheduled:
        return handovers[-1].id
    best = scheduled[0]
    for p in scheduled[1:]:
        if schedule.phases[p.id].end >= schedule.phases[best.id].end:
            best = p
    return best.id


@mutable_record
class Context:
    """What the builders share: the inputs and the look-ups several kinds need."""

    plan: Plan
    schedule: Schedule
    as_of: dt.date
    people: dict[str, Any] = field(init=False)
    founder: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.people = {p.id: p for p in self.plan.person}
        self.founder = self.plan.founder_id()

    def exists(self, ref: str | None, ids: Any) -> bool | None:
        """Whether a reference names one of `ids` (None when the reference is empty)."""
        return (ref in ids) if _nonempty(ref) else None

    def process_has_backup(self, pr: Any) -> bool:
        """A backup who exists and is not the owner."""
        return bool(_nonempty(pr.backup) and pr.backup in self.people and pr.backup != pr.owner)

    @cached_property
    def done_transfers(self) -> set[tuple[str | None, str | None]]:
        """(process, to) of every transfer whose status is done."""
        return {(t.process, t.to) for t in self.plan.transfer if t.status == TransferStatus.done}

    def backup_ready(self, pr: Any) -> bool:
        """A backup who exists, is not the owner, and is trained (``backup_trained``) or
        took the process over in a done transfer: only then can they run it today."""
        if not self.process_has_backup(pr):
            return False
        return pr.backup_trained is True or (pr.id, pr.backup) in self.done_transfers

    def owned_by_founder(self, pr: Any) -> bool:
        return self.founder is not None and pr.owner == self.founder

    def irritant_open(self, ir: Any) -> bool:
        """Opened on or before the check date and not closed by then."""
        return (
            ir.opened is not None
            and ir.opened <= self.as_of
            and (ir.closed is None or ir.closed > self.as_of)
        )

    @cached_property
    def final_id(self) -> str | None:
        return final_phase_id(self.plan, self.schedule)


# --- single tables ---------------------------------------------------------------------


def mission_facts(c: Context) -> list[Fact]:
    m = c.plan.mission
    f = _table_fact("mission", m)
    f["started"] = m.start <= c.as_of
    f["days_since_start"] = (c.as_of - m.start).days
    s = c.schedule
    if s.phases:
        f["first_phase_started"] = min(p.start for p in s.phases.values()) <= c.as_of
    if s.end is not None and s.ok:
        f["past_scheduled_end"] = c.as_of > s.end
    return [f]


def company_facts(c: Context) -> list[Fact]:
    f = _table_fact("company", c.plan.company)
    if c.plan.company is not None:
        f["closures"] = [f"{x.from_}..{x.to}" for x in c.plan.company.closures]
    return [f]


def exit_facts(c: Context) -> list[Fact]:
    ex = c.plan.exit
    f = _table_fact("exit", ex)
    if ex is not None:
        _put(f, "founder_exists", c.exists(ex.founder, c.people))
        if ex.target_date is not None:
            f["days_to_target"] = (ex.target_date - c.as_of).days
    return [f]


def coo_facts(c: Context) -> list[Fact]:
    coo = c.plan.coo
    f = _table_fact("coo", coo)
    if coo is not None:
        f["workdays_per_week"] = len(coo.workdays)
        f["leave"] = [f"{p.from_}..{p.to}" for p in coo.leave]
    return [f]


def scope_facts(c: Context) -> list[Fact]:
    s = c.plan.scope
    f = _table_fact("scope", s)
    if s is not None:
        _put(f, "internal_counterpart_exists", c.exists(s.internal_counterpart, c.people))
        _put(f, "successor_exists", c.exists(s.successor, c.people))
        if _nonempty(s.successor):
            f["successor_is_founder"] = c.founder is not None and s.successor == c.founder
    return [f]


def governance_facts(c: Context) -> list[Fact]:
    g = c.plan.governance
    f = _table_fact("governance", g)
    f["codir_member"] = bool(g is not None and g.codir_seat is True)
    if g is not None:
        _put(f, "reports_to_exists", c.exists(g.reports_to, c.people))
        _put(f, "sponsor_exists", c.exists(g.sponsor, c.people))
        if _nonempty(g.sponsor) and c.founder is not None:
            f["sponsor_is_founder"] = g.sponsor == c.founder
        if g.announced_on is not None:
            f["announce_delay_days"] = (g.announced_on - c.plan.mission.start).days
    return [f]


# --- rows ------------------------------------------------------------------------------


def objective_facts(c: Context) -> list[Fact]:
    kpis = {k.id for k in c.plan.kpi}
    out = []
    for i, o in enumerate(c.plan.objective):
        f = _row_fact("objective", i, o)
        _put(f, "kpi_exists", c.exists(o.kpi, kpis))
        out.append(f)
    return out


def person_facts(c: Context) -> list[Fact]:
    out = []
    for i, p in enumerate(c.plan.person):
        f = _row_fact("person", i, p)
        _put(f, "backup_exists", c.exists(p.backup, c.people))
        f["has_backup"] = bool(_nonempty(p.backup) and p.backup in c.people and p.backup != p.id)
        f["is_founder"] = c.founder is not None and p.id == c.founder
        out.append(f)
    return out


def process_facts(c: Context) -> list[Fact]:
    transferred = {t.process for t in c.plan.transfer if _nonempty(t.process)}
    out = []
    for i, pr in enumerate(c.plan.process):
        f = _row_fact("process", i, pr)
        _put(f, "owner_exists", c.exists(pr.owner, c.people))
        _put(f, "backup_exists", c.exists(pr.backup, c.people))
        f["has_backup"] = c.process_has_backup(pr)
        f["backup_ready"] = c.backup_ready(pr)
        f["owned_by_founder"] = c.owned_by_founder(pr)
        f["owned_by_coo"] = pr.owner == "coo"
        f["has_transfer"] = pr.id in transferred
        out.append(f)
    return out


def _latest_end_below(plan: Plan, slots: dict[str, Any], ranks: list[int]) -> list[Any]:
    """For each phase-kind rank r, the latest end among scheduled phases of a lower rank
    (None when there is none)."""
    latest: list[Any] = [None] * (len(_RANK) + 1)
    for r in range(1, len(_RANK) + 1):
        ends = [
            slots[p.id].end
            for p, pr in zip(plan.phase, ranks, strict=True)
            if pr == r - 1 and p.id in slots
        ]
        prev = latest[r - 1]
        cands = ends + ([prev] if prev is not None else [])
        latest[r] = max(cands) if cands else None
    return latest


def phase_facts(c: Context) -> list[Fact]:
    plan, slots = c.plan, c.schedule.phases
    ranks = [_RANK[p.kind] for p in plan.phase]
    # A phase is out of order when it starts on or before the latest end of a phase of
    # an earlier kind (then the first such phase in plan order is named).
    latest_below = _latest_end_below(plan, slots, ranks)
    out = []
    for i, ph in enumerate(plan.phase):
        f = _row_fact("phase", i, ph)
        f["deliverables"] = ph.deliverable_names  # a delivered one is a table: its name
        slot = slots.get(ph.id)
        f["scheduled"] = slot is not None
        f["is_final"] = ph.id == c.final_id
        if slot is not None:
            f["start"], f["end"] = slot.start, slot.end
            f["slack_days"] = slot.slack_days
            f["on_critical_path"] = slot.critical
            rank, latest = ranks[i], latest_below[ranks[i]]
            late = latest is not None and slot.start <= latest
            f["out_of_order"] = late
            if late:
                f["out_of_order_after"] = next(
                    q.id
                    for q, qr in zip(plan.phase, ranks, strict=True)
                    if qr < rank and q.id in slots and slot.start <= slots[q.id].end
                )
        out.append(f)
    return out


def transfer_facts(c: Context) -> list[Fact]:
    plan, slots = c.plan, c.schedule.phases
    phases = {p.id for p in plan.phase}
    processes = {p.id for p in plan.process}
    final_slot = slots.get(c.final_id) if c.final_id else None
    diag_ends = [
        slots[p.id].end for p in plan.phase if p.kind == PhaseKind.diagnostic and p.id in slots
    ]
    last_diag_end = max(diag_ends) if diag_ends else None
    t_starts = [slots[t.phase].start for t in plan.transfer if t.phase in slots]
    first_start = min(t_starts) if t_starts else None
    first_done = False
    out = []
    for i, t in enumerate(plan.transfer):
        f = _row_fact("transfer", i, t)
        _put(f, "process_exists", c.exists(t.process, processes))
        _put(f, "to_exists", c.exists(t.to, c.people))
        if _nonempty(t.to):
            f["to_is_founder"] = c.founder is not None and t.to == c.founder
            f["to_is_manager"] = bool(t.to in c.people and c.people[t.to].manager)
        _put(f, "phase_exists", c.exists(t.phase, phases))
        slot = slots.get(t.phase) if t.phase else None
        if slot is not None:
            f["phase_start"], f["phase_end"] = slot.start, slot.end
            f["before_final"] = bool(
                final_slot is not None and t.phase != c.final_id and slot.end < final_slot.start
            )
            # The first transfer: the earliest phase start, the first such row in plan order.
            f["is_first"] = not first_done and slot.start == first_start
            first_done = first_done or f["is_first"]
            if last_diag_end is not None:
                f["after_diagnostic"] = slot.start > last_diag_end
        else:
            f["before_final"] = False
        f["done"] = t.status == TransferStatus.done
        # Over as the log says (done, or ended in the forecast); the plan's end untracked.
        over = slot is not None and phase_over(c, t.phase)
        f["overdue"] = bool(over and not f["done"])
        if over and t.phase:
            track = tracking_of(c)
            pt = track.phases.get(t.phase)
            if track.tracked and pt is not None and pt.forecast is not None:
                f["phase_end"] = pt.forecast.end  # when it actually ended
        f["mission_handed_over"] = plan.mission.status == MissionStatus.handed_over
        out.append(f)
    return out


def kpi_facts(c: Context) -> list[Fact]:
    out = []
    for i, k in enumerate(c.plan.kpi):
        f = _row_fact("kpi", i, k)
        f["history"] = [f"{h.on}: {h.value:g}" for h in k.history]
        _put(f, "owner_exists", c.exists(k.owner, c.people))
        past = [h for h in k.history if h.on <= c.as_of]
        if past:
            last = max(past, key=lambda h: h.on)
            f["last_measure_on"], f["last_value"] = last.on, last.value
        _kpi_track(c, k, sorted(past, key=lambda h: h.on), f)
        out.append(f)
    return out


def kpi_sign(k: Any) -> int | None:
    """1 when up is better, -1 when down is: the KPI's direction, else baseline → target."""
    if k.direction is not None:
        return 1 if k.direction == Direction.up else -1
    if k.baseline is not None and k.target is not None and k.baseline != k.target:
        return 1 if k.target > k.baseline else -1
    return None


def _kpi_track(c: Context, k: Any, past: list[Any], f: Fact) -> None:
    """The derived fields of a KPI's trajectory (rules.tracking reads them)."""
    start = c.plan.mission.start
    f["mission_running"] = c.plan.mission.status == MissionStatus.running
    last_on = past[-1].on if past else start
    f["days_since_measure"] = (c.as_of - last_on).days
    sign = kpi_sign(k)
    if sign is None or not past:
        return
    f["sign"] = sign
    latest = past[-1].value
    if k.target is not None:
        f["met"] = sign * (latest - k.target) >= 0
    before = past[-2].value if len(past) > 1 else k.baseline
    if before is not None:
        f["wrong_way"] = sign * (latest - before) < 0
    end = c.plan.exit.target_date if c.plan.exit and c.plan.exit.target_date else None
    end = end or c.schedule.end
    if k.baseline is None or k.target is None or k.target == k.baseline or end is None:
        return
    span = (end - start).days
    frac = 1.0 if span <= 0 else min(1.0, max(0.0, (past[-1].on - start).days / span))
    expected = k.baseline + (k.target - k.baseline) * frac
    f["expected_value"] = expected
    f["path_gap"] = (expected - latest) / (k.target - k.baseline)


def signal_facts(c: Context) -> list[Fact]:
    signals = c.plan.signal
    strong = sorted(
        (i for i, s in enumerate(signals) if s.level >= 2 and s.on <= c.as_of),
        key=lambda i: (signals[i].on, i),
        reverse=True,
    )
    rank = {i: r + 1 for r, i in enumerate(strong)}
    out = []
    for i, s in enumerate(signals):
        f = _row_fact("signal", i, s)
        f["age_days"] = (c.as_of - s.on).days
        _put(f, "strong_rank", rank.get(i))
        out.append(f)
    return out


def irritant_facts(c: Context) -> list[Fact]:
    out = []
    for i, ir in enumerate(c.plan.irritant):
        f = _row_fact("irritant", i, ir)
        f["is_open"] = c.irritant_open(ir)
        f["has_owner"] = _nonempty(ir.owner)
        if f["is_open"] and ir.opened is not None:
            f["open_days"] = (c.as_of - ir.opened).days
        out.append(f)
    return out


def waiver_facts(c: Context) -> list[Fact]:
    out = []
    for i, w in enumerate(c.plan.waiver):
        f = _row_fact("waiver", i, w)
        f.pop("used", None)
        f["complete"] = all(_nonempty(x) for x in (w.rule, w.reason, w.owner)) and (
            w.expires is not None
        )
        if w.expires is not None:
            f["expired"] = c.as_of > w.expires
            f["expires_in_days"] = (w.expires - c.as_of).days
        out.append(f)
    return out


# --- whole-plan facts ------------------------------------------------------------------


def schedule_facts(c: Context) -> list[Fact]:
    plan, schedule = c.plan, c.schedule
    f: Fact = {"fact": "schedule", "fact_id": "schedule"}
    f["ok"] = schedule.ok
    if schedule.problems:
        f["problems"] = " ".join(p.message for p in schedule.problems)
    f["problem_count"] = len(schedule.problems)
    f["start"] = schedule.start
    _put(f, "end", schedule.end)
    f["coo_days"] = schedule.coo_days
    target = plan.exit.target_date if plan.exit else None
    _put(f, "target_date", target)
    # A schedule with problems is partial: its end says nothing about the deadline.
    if target is not None and schedule.end is not None and schedule.ok:
        f["meets_target"] = schedule.end <= target
        f["days_late"] = max(0, (schedule.end - target).days)
    contracted = plan.coo.contracted_days if plan.coo else None
    if contracted is not None:
        f["contracted_days"] = contracted
        f["over_contract_days"] = max(0, schedule.coo_days - contracted)
    f["phase_count"] = len(plan.phase)
    _put(f, "final_phase", c.final_id)
    return [f]


def metrics_facts(c: Context) -> list[Fact]:
    plan = c.plan
    critical = [pr for pr in plan.process if pr.critical]
    # A critical process whose owner is not given counts as the founder's (the worst case:
    # in a company of this size what nobody is named for falls back on the owner).
    founder_critical = sum(
        1
        for pr in critical
        if (c.owned_by_founder(pr) or not _nonempty(pr.owner)) and not c.backup_ready(pr)
    )
    f: Fact = {"fact": "metrics", "fact_id": "metrics"}
    f["critical_processes"] = len(critical)
    f["founder_critical"] = founder_critical
    floor = max(len(critical), 4)
    if critical and c.founder is not None:  # unknown without critical processes or founder
        f["founder_critical_share"] = founder_critical / len(critical)
        f["founder_critical_share_min4"] = founder_critical / floor
    # Dependence moves with the processes: a person other than the founder counts every
    # critical process they run or could run today (owner, or ready backup).
    backs: dict[str, int] = {}
    for pr in critical:
        owner = pr.owner
        if owner is not None and owner in c.people and owner != c.founder:
            backs[owner] = backs.get(owner, 0) + 1
        backup = pr.backup
        if backup is not None and c.backup_ready(pr) and backup != c.founder:
            backs[backup] = backs.get(backup, 0) + 1
    if backs:
        relay = max(backs, key=lambda p: (backs[p], p))
        f["relay"] = relay
        person = c.people.get(relay)
        f["relay_name"] = person.name if person is not None and person.name else relay
        f["relay_backups"] = backs[relay]
        f["relay_share"] = backs[relay] / floor
    _put(f, "founder", c.founder)
    f["person_count"] = len(plan.person)
    f["manager_count"] = sum(1 for p in plan.person if p.manager)
    f["key_person_count"] = sum(1 for p in plan.person if p.key)
    f["objective_count"] = len(plan.objective)
    f["kpi_count"] = len(plan.kpi)
    f["transfer_count"] = len(plan.transfer)
    f["signal_count"] = len(plan.signal)
    f["open_irritants"] = sum(1 for ir in plan.irritant if c.irritant_open(ir))
    return [f]


def phase_kind_facts(c: Context) -> list[Fact]:
    return [
        {
            "fact": "phase_kind",
            "fact_id": f"phase_kind:{kind.value}",
            "name": kind.value,
            "count": sum(1 for p in c.plan.phase if p.kind == kind),
            "required": kind.value in REQUIRED_PHASE_KINDS,
        }
        for kind in PhaseKind
    ]


def kpi_category_facts(c: Context) -> list[Fact]:
    return [
        {
            "fact": "kpi_category",
            "fact_id": f"kpi_category:{cat.value}",
            "name": cat.value,
            "count": sum(1 for k in c.plan.kpi if k.category == cat),
            "expected": cat.value in EXPECTED_KPI_CATEGORIES,
        }
        for cat in KpiCategory
    ]


#: kind -> its builder, in the order facts are listed.
BUILDERS: dict[str, Callable[[Context], list[Fact]]] = {
    "mission": mission_facts,
    "company": company_facts,
    "exit": exit_facts,
    "coo": coo_facts,
    "scope": scope_facts,
    "governance": governance_facts,
    "objective": objective_facts,
    "person": person_facts,
    "process": process_facts,
    "phase": phase_facts,
    "transfer": transfer_facts,
    "kpi": kpi_facts,
    "signal": signal_facts,
    "irritant": irritant_facts,
    "waiver": waiver_facts,
    "schedule": schedule_facts,
    "metrics": metrics_facts,
    "phase_kind": phase_kind_facts,
    "kpi_category": kpi_category_facts,
    "placeholder": placeholder_facts,
    **TRACKING_BUILDERS,  # the mission log (rules/facts/tracking.py)
}


def build_facts(plan: Plan, schedule: Schedule, as_of: dt.date) -> list[Fact]:
    """The facts of one plan, in a stable order, each with a unique ``fact_id``."""
    ctx = Context(plan, schedule, as_of)
    facts: list[Fact] = []
    for builder in BUILDERS.values():
        facts.extend(builder(ctx))
    return facts
