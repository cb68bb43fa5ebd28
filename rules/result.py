"""What a check returns: findings, scores and the whole result, shared by every renderer.

INTERFACE FIXED FOR OTHER LAYERS — renderers (text, JSON, SARIF, HTML, the app) read these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from releve.planner.model import Plan
from releve.planner.schedule import Schedule


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


PILLARS = (
    "governance",
    "planning",
    "transfer",
    "founder_dependence",
    "documentation",
    "indicators",
    "team",
)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class RuleCost:
    rule: str
    name: str
    pillar: str
    weight: float
    points: float  # overall readiness points this rule costs (0..100)


@dataclass(frozen=True)
class Score:
    overall: int  # 0..100
    pillars: dict[str, int]  # pillar -> 0..100, pillars with rules in force only
    costs: tuple[RuleCost, ...] = ()  # every rule that loses points, largest first


@dataclass(frozen=True)
class CheckResult:
    plan: Plan
    path: str | None
    as_of: dt.date
    lang: str  # "en" | "fr"
    packs: tuple[str, ...]  # pack ids in force, in layering order
    schedule: Schedule
    findings: tuple[Finding, ...]  # sorted: severity (error first), then rule, target
    score: Score
    facts: tuple[dict, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0, "waived": 0}
        for f in self.findings:
            if f.waived:
                c["waived"] += 1
            else:
                c[f.severity.value] += 1
        return c
