"""The readiness report: what it shows, gathered once from a check result, for the HTML and
Markdown renderers (tui/report/html.py, tui/report/markdown.py).

Both renderers read the same rows from :class:`Report`, so the two formats state the same
facts. Nothing here reads the clock: the as-of date is the check result's.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from releve.planner.model import Kpi, Phase, Plan, Process, Signal, Transfer, Waiver
from releve.planner.schedule import PhaseSlot, Schedule
from releve.rules.result import PILLARS, CheckResult, Finding
from releve.tui.report import strings

#: The version of the provenance block a report embeds (`releve verify` reads it).
PROVENANCE_FORMAT = 1
#: The id of the HTML data block and the tag of the Markdown comment holding it.
PROVENANCE_ID = "releve-provenance"

#: A waiver that expires within this many days is flagged (rule-packs.md, RLV001).
EXPIRING_DAYS = 30

#: The longest stretch a chart (Gantt, signals) or the month-by-month table covers, from its
#: first day: a target or an as-of date further out is stated in words, not drawn.
MAX_CHART_DAYS = 10 * 366

# C0 controls but tab and line feed, DEL, and C1 controls: plan text may hold them (legal
# TOML escapes), and raw they would drive the terminal the Markdown is printed to.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_controls(text: str) -> str:
    """``text`` with no control character left but tab and line feed: a carriage return
    is dropped (a Windows line end stays one line end), any other becomes U+FFFD."""
    return _CONTROLS.sub(lambda m: "" if m.group() == "\r" else "\ufffd", text)


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, stopping at the first or last day a date can hold."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def next_month(day: dt.date) -> dt.date | None:
    """The first day of the month after ``day``'s; None after December 9999."""
    if day.month < 12:
        return day.replace(day=1, month=day.month + 1)
    if day.year >= dt.MAXYEAR:
        return None
    return day.replace(day=1, month=1, year=day.year + 1)


def chart_last(first: dt.date, last: dt.date) -> dt.date:
    """``last``, but no further than MAX_CHART_DAYS from ``first``."""
    return min(last, add_days(first, MAX_CHART_DAYS))


def _share(value: float, lo: float, hi: float) -> float | None:
    """(value - lo) / (hi - lo) for finite floats, without overflow; None when hi == lo."""
    if not all(math.isfinite(v) for v in (value, lo, hi)) or hi == lo:
        return None
    top, bottom = value - lo, hi - lo
    if not (math.isfinite(top) and math.isfinite(bottom)):
        # A difference of two floats near the largest one overflows; their halves' do not
        # (and are far from zero then).
        top, bottom = value / 2 - lo / 2, hi / 2 - lo / 2
    share = top / bottom
    return share if math.isfinite(share) else None


def scaled(value: float, lo: float, hi: float) -> float:
    """Where ``value`` sits between ``lo`` and ``hi`` (0..1), with no overflow for values
    near the largest float; 0.5 when they are equal or not finite."""
    share = _share(value, lo, hi)
    return 0.5 if share is None else min(1.0, max(0.0, share))


def progress_share(
    latest: float | None, baseline: float | None, target: float | None
) -> float | None:
    """Share of the way from baseline to target (can be <0 or >1); None when it cannot be
    told (a value missing or not finite, target equal to baseline, or too large to hold)."""
    if latest is None or baseline is None or target is None:
        return None
    try:
        share = _share(float(latest), float(baseline), float(target))
    except OverflowError:  # an int too large for a float
        return None
    # Beyond a trillion times the way the share means nothing (and ×100 could overflow).
    return share if share is not None and abs(share) < 1e12 else None


def percent_of(share: float | None) -> int | None:
    """A share as a whole percentage; None when there is none."""
    return None if share is None else round(share * 100)


@dataclass(frozen=True)
class OffPeriod:
    """A stretch of days the COO does not work for the company (leave, closure, holiday)."""

    start: dt.date
    end: dt.date
    label: str
    kind: str = "other"  # leave | closure | holiday | other


@dataclass(frozen=True)
class CostRow:
    rule: str
    name: str
    title: str
    pillar: str
    points: float
    open_findings: int


@dataclass(frozen=True)
class WaiverRow:
    waiver: Waiver
    status: str  # active | expiring | expired | unused | incomplete
    waived: int  # findings it waives in this result


@dataclass(frozen=True)
class PhaseRow:
    phase: Phase
    slot: PhaseSlot | None


@dataclass(frozen=True)
class TransferRow:
    transfer: Transfer
    from_name: str
    to_name: str
    phase_name: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class DependenceRow:
    owner: str | None
    owner_name: str
    owner_is_founder: bool
    process: Process
    backup_name: str | None  # None: nobody can run it without the owner


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    latest: float | None
    latest_on: dt.date | None
    progress: float | None  # share of the way from baseline to target (can be <0 or >1)
    points: tuple[tuple[dt.date, float], ...]  # baseline at mission start, then the history


@dataclass(frozen=True)
class IrritantRow:
    id: str
    title: str
    opened: dt.date | None
    closed: dt.date | None
    owner_name: str
    days_open: int | None  # to its close, or to the as-of date when still open


@dataclass(frozen=True)
class Report:
    """Everything the report shows for one plan, in the report's language."""

    result: CheckResult
    lang: str
    off: tuple[OffPeriod, ...] = ()
    why: Mapping[str, str] = field(default_factory=dict)  # rule code -> why it matters
    plan_name: str = "plan.toml"
    version: str = ""
    inputs: tuple[str, ...] = ()  # the files read: the plan, then its rule packs
    plan_digest: str = ""  # sha256 of the plan file's bytes

    def provenance(self) -> dict[str, Any]:
        """What `releve verify` needs to recompute this report's figures and say what
        differs: the plan's and each pack's digest, the as-of date, the view, releve's
        version and the figures. Embedded in the report (HTML: a JSON data block;
        Markdown: a comment)."""
        ran = self.result.ran
        score = self.result.score
        return {
            "format": PROVENANCE_FORMAT,
            "releve": self.version,
            "as_of": self.as_of.isoformat(),
            "lang": self.lang,
            "view": ran.view if ran else "full",
            "plan": {"file": self.plan_name, "sha256": self.plan_digest},
            "packs": [
                {"id": p.id, "version": p.version, "source": p.source, "sha256": p.digest}
                for p in (ran.packs if ran else ())
            ],
            "score": {"overall": score.overall, "pillars": dict(score.pillars)},
            "counts": self.result.counts(),
        }

    def ran_lines(self) -> list[str]:
        """What ran (view, rules in force, changes to the default pack, digests), in words."""
        from releve.tui.render.check import ran_labels, ran_lines

        lines = ran_lines(self.result.ran, ran_labels(self.lang))
        if self.plan_digest:
            lines.append(ran_labels(self.lang)["plan_digest"] + self.plan_digest)
        return lines

    # --- shortcuts ---------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self.result.plan

    @property
    def schedule(self) -> Schedule:
        return self.result.schedule

    @property
    def as_of(self) -> dt.date:
        return self.result.as_of

    @property
    def ics_name(self) -> str:
        """The calendar file a reader is told to write beside the report."""
        return f"{Path(self.plan_name).stem}.ics"

    def ics_command(self) -> str:
        """The shell command that writes the schedule's calendar file beside the report."""
        return (
            f"releve schedule {shlex.quote(self.plan_name)} --format ics > "
            f"{shlex.quote(self.ics_name)}"
        )

    def person_name(self, pid: str | None) -> str:
        """A person's name (or the COO's), the bare id when no such person, "—" when unset."""
        if not pid:
            return strings.t(self.lang, "unknown")
        if pid == "coo":
            coo = self.plan.coo
            return coo.name if coo and coo.name else strings.coo_label(self.lang)
        person = self.plan.person_by_id(pid)
        return (person.name or person.id) if person else pid

    def phase_name(self, pid: str | None) -> str:
        phase = self.plan.phase_by_id(pid)
        if phase is None:
            return pid or strings.t(self.lang, "unknown")
        return phase.name or phase.id

    # --- score -------------------------------------------------------------------------
    def pillar_scores(self) -> list[tuple[str, int | None]]:
        """Every pillar in the contract's order; None where no rule of the pillar is in force."""
        scores = self.result.score.pillars
        extra = [p for p in scores if p not in PILLARS]
        return [(p, scores.get(p)) for p in (*PILLARS, *extra)]

    def cost_rows(self) -> list[CostRow]:
        titles: dict[str, str] = {}
        open_count: dict[str, int] = {}
        for f in self.result.findings:
            titles.setdefault(f.rule, f.title)
            if not f.waived:
                open_count[f.rule] = open_count.get(f.rule, 0) + 1
        return [
            CostRow(
                c.rule,
                c.name,
                titles.get(c.rule, c.name),
                c.pillar,
                c.points,
                open_count.get(c.rule, 0),
            )
            for c in self.result.score.costs
            if c.points > 0
        ]

    # --- findings and waivers -----------------------------------------------------------
    def findings_by_pillar(self) -> list[tuple[str, list[Finding]]]:
        """Pillars in order (those with rules in force, or with findings), with their findings."""
        groups: dict[str, list[Finding]] = {}
        for f in self.result.findings:
            groups.setdefault(f.pillar, []).append(f)
        pillars = [p for p, _ in self.pillar_scores()]
        pillars += [p for p in groups if p not in pillars]
        return [
            (p, groups.get(p, []))
            for p in pillars
            if p in groups or self.result.score.pillars.get(p) is not None
        ]

    def waiver_rows(self) -> list[WaiverRow]:
        rows = []
        for w in self.plan.waiver:
            waived = sum(
                1
                for f in self.result.findings
                if f.waived and f.rule == w.rule and (w.target is None or f.target == w.target)
            )
            if not (w.reason and w.owner and w.expires):
                status = "incomplete"
            elif w.expires < self.as_of:
                status = "expired"
            elif waived == 0:
                status = "unused"
            elif (w.expires - self.as_of).days <= EXPIRING_DAYS:
                status = "expiring"
            else:
                status = "active"
            rows.append(WaiverRow(w, status, waived))
        return rows

    # --- schedule ------------------------------------------------------------------------
    def phase_rows(self) -> list[PhaseRow]:
        return [PhaseRow(p, self.schedule.phases.get(p.id)) for p in self.plan.phase]

    def target_date(self) -> dt.date | None:
        return self.schedule.target_date or (self.plan.exit.target_date if self.plan.exit else None)

    def schedule_facts(self) -> list[tuple[str, dict[str, object]]]:
        """The schedule in sentences: (sentence key, its values) — end, target, contract,
        critical path. Dates stay dates; each renderer writes them its way."""
        s, facts = self.schedule, []
        if s.end:
            facts.append(("schedule.end_line", {"end": s.end, "days": s.coo_days}))
        target = self.target_date()
        if target is None:
            facts.append(("schedule.no_target", {}))
        elif s.meets_target is False:
            facts.append(("schedule.misses", {"target": target}))
        elif s.meets_target:
            facts.append(("schedule.meets", {"target": target}))
        if self.plan.coo and self.plan.coo.contracted_days is not None:
            facts.append(("schedule.contract", {"days": self.plan.coo.contracted_days}))
        critical = self.critical_path()
        if critical:
            facts.append(("schedule.critical_line", {"phases": " → ".join(critical)}))
        elif self.least_slack() is not None:
            facts.append(("schedule.no_critical", {"days": self.least_slack()}))
        return facts

    def critical_path(self) -> list[str]:
        """Names of the phases with zero slack, in the order they start."""
        slots = sorted(
            (s for s in self.schedule.phases.values() if s.critical), key=lambda s: (s.start, s.end)
        )
        return [self.phase_name(s.id) for s in slots]

    def least_slack(self) -> int | None:
        return min((s.slack_days for s in self.schedule.phases.values()), default=None)

    def chart_span(self) -> tuple[dt.date, dt.date]:
        """First and last day the Gantt chart shows: the mission, the target and the as-of."""
        days = [self.schedule.start, self.plan.mission.start]
        for slot in self.schedule.phases.values():
            days += [slot.start, slot.end]
        target = self.target_date()
        if target is not None:
            days.append(target)
        first, last = min(days), max(days)
        if first <= self.as_of <= add_days(last, 31):
            last = max(last, self.as_of)
        # A week of margin so a marker on the last day is not drawn on the chart's edge;
        # never longer than MAX_CHART_DAYS (a far target is stated, not drawn).
        last = max(add_days(last, 7), add_days(first, 28))
        return first, chart_last(first, last)

    def visible_off(self) -> list[OffPeriod]:
        first, last = self.chart_span()
        return [p for p in self.off if p.end >= first and p.start <= last]

    # --- transfer and dependence ----------------------------------------------------------
    def transfer_rows(self) -> list[TransferRow]:
        rows = []
        for tr in self.plan.transfer:
            slot = self.schedule.phases.get(tr.phase) if tr.phase else None
            rows.append(
                TransferRow(
                    tr,
                    self.person_name(tr.from_),
                    self.person_name(tr.to),
                    self.phase_name(tr.phase) if tr.phase else strings.t(self.lang, "unknown"),
                    slot.start if slot else None,
                    slot.end if slot else None,
                )
            )
        return rows

    def transfer_counts(self) -> dict[str, int]:
        """Transfers by status: done, in_progress, planned."""
        statuses = [tr.status.value for tr in self.plan.transfer]
        return {k: statuses.count(k) for k in ("done", "in_progress", "planned")}

    def dependence_rows(self) -> list[DependenceRow]:
        """Critical processes, the founder's first, then by owner name, then plan order."""
        founder = self.plan.founder_id()
        rows = []
        for proc in self.plan.process:
            if not proc.critical:
                continue
            backup = self.person_name(proc.backup) if proc.backup else None
            owner_name = (
                self.person_name(proc.owner)
                if proc.owner
                else strings.t(self.lang, "dependence.unowned")
            )
            rows.append(
                DependenceRow(
                    proc.owner, owner_name, bool(founder) and proc.owner == founder, proc, backup
                )
            )
        # sorted() is stable: processes of one owner stay in plan order.
        return sorted(rows, key=lambda r: (not r.owner_is_founder, r.owner_name.casefold()))

    def founder_share(self) -> tuple[int, int]:
        """(critical processes the founder runs with no backup, critical processes)."""
        rows = self.dependence_rows()
        alone = sum(1 for r in rows if r.owner_is_founder and r.backup_name is None)
        return alone, len(rows)

    # --- indicators ----------------------------------------------------------------------
    def kpi_rows(self) -> list[KpiRow]:
        rows = []
        for kpi in self.plan.kpi:
            history = sorted((m.on, m.value) for m in kpi.history if m.on <= self.as_of)
            latest_on, latest = history[-1] if history else (None, None)
            points = list(history)
            if kpi.baseline is not None:
                start = self.plan.mission.start
                if not points or points[0][0] > start:
                    points.insert(0, (start, kpi.baseline))
            progress = progress_share(latest, kpi.baseline, kpi.target)
            rows.append(KpiRow(kpi, latest, latest_on, progress, tuple(points)))
        return rows

    def signals(self) -> list[Signal]:
        """Signals logged on or before the as-of date, oldest first."""
        return sorted(
            (s for s in self.plan.signal if s.on <= self.as_of), key=lambda s: (s.on, -s.level)
        )

    def irritant_rows(self) -> list[IrritantRow]:
        """Irritants as they stood on the as-of date: one opened later is left out, one
        closed later is still open."""
        rows = []
        for irr in self.plan.irritant:
            if irr.opened and irr.opened > self.as_of:
                continue
            closed = irr.closed if irr.closed and irr.closed <= self.as_of else None
            days = None
            if irr.opened:
                days = max(0, ((closed or self.as_of) - irr.opened).days)
            rows.append(
                IrritantRow(
                    irr.id,
                    irr.title or irr.id,
                    irr.opened,
                    closed,
                    self.person_name(irr.owner),
                    days,
                )
            )
        return sorted(rows, key=lambda r: (r.opened or dt.date.min, r.id))


# --- gathering the inputs -------------------------------------------------------------------


def off_periods(items: Iterable[Any]) -> tuple[OffPeriod, ...]:
    """Non-working periods from ``WorkCalendar.non_working_periods`` (``(from_, to, label,
    kind)`` tuples), sorted."""
    out = [OffPeriod(start, end, str(label or ""), str(kind)) for start, end, label, kind in items]
    return tuple(sorted(out, key=lambda p: (p.start, p.end)))


def rule_reasons(rules: Iterable[Any], lang: str) -> dict[str, str]:
    """Rule code -> why it matters, in ``lang`` (English when the pack has no such text)."""
    out: dict[str, str] = {}
    for rule in rules:
        why = rule.rationale.get(lang) or rule.rationale.get("en")
        if why:
            out[rule.code] = why
    return out


def build_report(
    path: str | Path,
    *,
    as_of: dt.date,
    lang: str | None = None,
    extra_packs: tuple[str, ...] = (),
    pack_path: tuple[str, ...] = (),
    packs_only: bool = False,
) -> Report:
    """Load the plan at ``path``, check it, and gather everything the report shows.
    `packs_only`: the buyer's view (the plan's packs are not applied, its waivers do not
    count in the score); `pack_path`: folders the plan may also name packs in."""
    from releve.planner.calendar import WorkCalendar
    from releve.planner.store import load
    from releve.rules.packs import load_pack_set, plan_pack_paths
    from releve.rules.pipeline import check_plan
    from releve.tui import __version__

    pf = load(path)
    pack_set = load_pack_set(
        path, pf.plan, tuple(extra_packs), pack_path=pack_path, plan_packs=not packs_only
    )
    result = check_plan(
        pf.plan,
        as_of=as_of,
        path=str(path),
        text=pf.text,
        lang=lang,
        extra_packs=tuple(extra_packs),
        pack_set=pack_set,
        packs_only=packs_only,
    )
    lang = strings.norm_lang(result.lang)
    first, last = Report(result, lang).chart_span()
    off = off_periods(WorkCalendar.for_plan(pf.plan).non_working_periods(first, last))
    return Report(
        result,
        lang,
        off=off,
        why=rule_reasons(pack_set.rules, lang),
        plan_name=Path(path).name,
        version=__version__,
        inputs=tuple(
            str(p)
            for p in (
                path,
                *(plan_pack_paths(path, pf.plan) if not packs_only else ()),
                *extra_packs,
            )
        ),
        plan_digest=file_digest(path),
    )


def file_digest(path: str | Path) -> str:
    """sha256 of a file's bytes (hex)."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def render(report: Report, fmt: str) -> str:
    """The report as text in ``fmt`` (html | markdown)."""
    if fmt == "html":
        from releve.tui.report.html import render_html

        return render_html(report)
    if fmt == "markdown":
        from releve.tui.report.markdown import render_markdown

        return render_markdown(report)
    raise ValueError(f"unknown report format {fmt!r} (html or markdown)")
