"""What a check returns: findings, scores and the whole result, shared by every renderer.

INTERFACE FIXED FOR OTHER LAYERS — renderers (text, JSON, SARIF, HTML, the app) read these.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from releve.planner.records import field, record

if TYPE_CHECKING:
    from releve.planner.model import Plan
    from releve.planner.schedule import Schedule


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


#: Pillars of readiness: the company (what a buyer reads first).
READINESS_PILLARS = (
    "founder_dependence",
    "documentation",
    "team",
    "customers",
    "indicators",
    "transfer",
)
#: Pillars of framing: the plan (governance and planning of the mission).
FRAMING_PILLARS = ("governance", "planning")
PILLARS = (*READINESS_PILLARS, *FRAMING_PILLARS)
#: Readiness bands, worst first ("not_assessed" when there is nothing to assess).
BANDS = ("not_ready", "to_secure", "ready")


def figure_of(pillar: str) -> str:
    """ "readiness" or "framing": the figure a pillar's rules count in."""
    return "framing" if pillar in FRAMING_PILLARS else "readiness"


@record
class Finding:
    rule: str  # code, e.g. "EXT001"
    name: str  # e.g. "excessive-founder-dependence"
    severity: Severity
    pillar: str
    title: str  # in the requested language
    message: str  # placeholders filled, requested language
    fix: str  # placeholders filled, requested language
    target: str  # the fact it names: "process:purchasing", "governance", "metrics"
    path: str  # plan path to fix: "governance.reports_to", "process.automation"
    row: int | None = None  # index of the row in its array table, when the target is a row
    line: int | None = None  # line in the plan file, when known
    waived: bool = False
    waiver_reason: str | None = None
    waiver_owner: str | None = None
    waiver_expires: dt.date | None = None


@record
class RuleCost:
    rule: str
    name: str
    pillar: str
    weight: float
    points: float  # points of its figure (readiness or framing) this rule costs (0..100)
    grade: float = 1.0  # share of its weight it costs (0..1)
    figure: str = "readiness"  # "readiness" | "framing"
    fired: int = 0  # unwaived findings
    among: int = 0  # facts it looked at (the grade's denominator; 0 for out_of / all)
    unknown: int = 0  # facts lacking the measure, costing in full (grade.missing = "all")
    title: str = ""  # the rule's title in the plan's language ("" when the pack has none)


@record
class Cap:
    """An unwaived error on readiness: it holds readiness below the ready band."""

    rule: str
    target: str
    title: str


@record
class Score:
    overall: int | None  # readiness 0..100 after the cap; None: not assessed
    pillars: dict[str, int]  # pillar -> 0..100, pillars with weighted rules in force only
    costs: tuple[RuleCost, ...] = ()  # every rule that loses points, largest first
    framing: int | None = None  # the plan (governance, planning) 0..100; None: no rule
    without_waivers: int | None = None  # readiness as if no waiver applied (cap included)
    uncapped: int | None = None  # readiness before the cap
    band: str = "not_assessed"  # not_ready | to_secure | ready (after the cap) | not_assessed
    caps: tuple[Cap, ...] = ()  # the findings that cap readiness (empty: not capped)
    # The share (0..1) of the evidence readiness needs that the plan gives (rules.coverage);
    # None: not measured. Below `min_coverage` readiness is not assessed: overall,
    # without_waivers and band say so while the pillar figures stay.
    coverage: float | None = None
    coverage_pillars: dict[str, float] = field(default_factory=dict)  # readiness pillar -> 0..1
    min_coverage: float = 0.6  # the pack's score.min_coverage

    @property
    def capped(self) -> bool:
        return self.overall is not None and bool(self.caps) and self.overall != self.uncapped

    @property
    def under_covered(self) -> bool:
        """Readiness is not assessed because the plan gives too little evidence."""
        return self.coverage is not None and self.coverage < self.min_coverage


@record
class RuleChange:
    """One way a pack changed a rule of the default pack: switched it off
    (``what="excluded"``) or set `what` (``severity``, ``weight``, ``params.max_days``,
    ``when``, …) from `before` to `after`. `weakens` when it can only make findings
    rarer or cheaper (off, a lower severity, a lower weight); a changed threshold or
    condition may go either way and is shown as changed."""

    rule: str
    name: str
    what: str
    before: object
    after: object
    pack: str  # the id of the pack that did it
    weakens: bool


@record
class PackRun:
    id: str
    name: str
    version: str
    path: str  # the file, or "default"
    digest: str  # sha256 of its bytes
    source: str  # default | plan | option | extends


@record
class WhatRan:
    """What a check ran, shown on the page: the packs (with digests), how many of the
    default pack's rules were in force, the rules added, and every change to a default
    rule. `view` is ``full`` (the plan's packs and waivers count) or ``packs-only``
    (the buyer's view: only the packs given, waivers do not count in the score)."""

    view: str
    packs: tuple[PackRun, ...]
    rules_in_force: int
    default_rules: int
    default_in_force: int
    added: tuple[str, ...] = ()
    changes: tuple[RuleChange, ...] = ()

    @property
    def weakened(self) -> tuple[RuleChange, ...]:
        return tuple(c for c in self.changes if c.weakens)


@record
class CheckResult:
    plan: Plan
    path: str | None
    as_of: dt.date
    lang: str  # "en" | "fr"
    packs: tuple[str, ...]  # pack ids in force, in layering order
    schedule: Schedule
    findings: tuple[Finding, ...]  # sorted: severity (error first), then rule, target
    score: Score
    facts: tuple[dict[str, Any], ...] = field(default=())
    ran: WhatRan | None = None
    kpi_track: dict[str, str] = field(
        default_factory=dict
    )  # kpi id -> rules.tracking status  # the packs and rule changes in force (None: not known)

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0, "waived": 0}
        for f in self.findings:
            if f.waived:
                c["waived"] += 1
            else:
                c[f.severity.value] += 1
        return c
