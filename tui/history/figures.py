"""The figures of one check that history, diff and portfolio compare, as plain data.

`Figures` is what a version of a plan scored: readiness (and its band), framing, the
score by pillar, the counts, the end date (the forecast when the plan is tracked, else
the baseline) against the target, and every finding by (rule, target) with the human name
of its target. It is JSON-able both ways (:meth:`Figures.as_dict`, :meth:`Figures.from_dict`),
which is how the history cache stores it.

The accessors below read the check result and, for a tracked plan, its forecast
(planner.tracking.track): each returns None when the figure does not exist, and renderers
show "—" for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # history read from its cache imports neither pydantic nor the planner
    from releve.planner.model import Plan
    from releve.planner.tracking import Tracking
    from releve.rules.result import CheckResult


@dataclass(frozen=True)
class FindingKey:
    """One finding as history and diff compare it: a rule on a fact."""

    rule: str
    name: str
    severity: str
    pillar: str
    target: str  # the fact id: "process:quoting"
    label: str  # the target in the user's words: "Process Devis"
    waived: bool
    message: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule, self.target)


@dataclass(frozen=True)
class Figures:
    """What one version of a plan scored (or the one-line error that stopped it)."""

    readiness: int | None = None
    band: str | None = None
    framing: int | None = None
    pillars: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    end: dt.date | None = None
    end_kind: str = "baseline"  # "forecast" once the plan is tracked
    target: dt.date | None = None
    meets_target: bool | None = None
    costs: dict[str, float] = field(default_factory=dict)  # rule -> readiness points lost
    findings: tuple[FindingKey, ...] = ()
    packs: tuple[str, ...] = ()
    mission: str | None = None
    lang: str = "en"
    error: str | None = None  # the version could not be checked: FILE:LINE:COLUMN: message

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def late_days(self) -> int | None:
        """Calendar days the end is past the target (negative: ahead); None if unknown."""
        if self.end is None or self.target is None:
            return None
        return (self.end - self.target).days

    def unwaived(self) -> dict[tuple[str, str], FindingKey]:
        return {f.key: f for f in self.findings if not f.waived}

    def as_dict(self) -> dict[str, Any]:
        return {
            "readiness": self.readiness,
            "band": self.band,
            "framing": self.framing,
            "pillars": dict(self.pillars),
            "counts": dict(self.counts),
            "end": self.end.isoformat() if self.end else None,
            "end_kind": self.end_kind,
            "target": self.target.isoformat() if self.target else None,
            "meets_target": self.meets_target,
            "costs": dict(self.costs),
            "findings": [
                {
                    "rule": f.rule,
                    "name": f.name,
                    "severity": f.severity,
                    "pillar": f.pillar,
                    "target": f.target,
                    "label": f.label,
                    "waived": f.waived,
                    "message": f.message,
                }
                for f in self.findings
            ],
            "packs": list(self.packs),
            "mission": self.mission,
            "lang": self.lang,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Figures:
        def day(v: Any) -> dt.date | None:
            return dt.date.fromisoformat(v) if v else None

        return cls(
            readiness=d.get("readiness"),
            band=d.get("band"),
            framing=d.get("framing"),
            pillars=dict(d.get("pillars") or {}),
            counts=dict(d.get("counts") or {}),
            end=day(d.get("end")),
            end_kind=d.get("end_kind") or "baseline",
            target=day(d.get("target")),
            meets_target=d.get("meets_target"),
            costs={k: float(v) for k, v in (d.get("costs") or {}).items()},
            findings=tuple(FindingKey(**f) for f in d.get("findings") or ()),
            packs=tuple(d.get("packs") or ()),
            mission=d.get("mission"),
            lang=d.get("lang") or "en",
            error=d.get("error"),
        )


# --- accessors over the check result (some figures arrive from other parts) ---------------


def readiness_of(result: CheckResult) -> int | None:
    """The readiness score; None when not assessed (no rule in force carries weight)."""
    score = result.score
    value = getattr(score, "readiness", None)
    if isinstance(value, int | float):
        return int(value)
    overall = score.overall
    return int(overall) if isinstance(overall, int | float) else None


def framing_of(result: CheckResult) -> int | None:
    """The framing score (how well the plan itself is framed), once the check gives it."""
    value = getattr(result.score, "framing", None)
    if isinstance(value, int | float):
        return int(value)
    overall = getattr(value, "overall", None)  # a figure object with its own pillars
    return int(overall) if isinstance(overall, int | float) else None


def band_of(result: CheckResult) -> str | None:
    """The readiness band ("ready", "at_risk"…), once the check gives it."""
    band = getattr(result.score, "band", None)
    if band is None:
        return None
    value = getattr(band, "value", None) or getattr(band, "id", None) or band
    return str(value)


def tracking_of(result: CheckResult) -> Tracking | None:
    """Baseline and forecast of the checked plan as of the check date
    (planner.tracking.track), when the plan is tracked (a booking or a phase done on or
    before that date); None otherwise, or when the forecast cannot be computed. Memoised on
    the result: history, diff and portfolio each ask for it more than once."""
    carried = getattr(result, "tracking", None)  # the pipeline's, computed with the check
    if carried is not None:
        return carried if carried.tracked else None
    cached = _TRACKED.get(id(result))
    if cached is not None and cached[0] is result:
        return cached[1]
    from releve.planner.tracking import track

    try:
        tracking: Tracking | None = track(result.plan, result.as_of, baseline=result.schedule)
    except (ValueError, OverflowError, KeyError):  # a plan the scheduler cannot place
        tracking = None
    if tracking is not None and not tracking.tracked:
        tracking = None
    if len(_TRACKED) > 64:
        _TRACKED.clear()
    _TRACKED[id(result)] = (result, tracking)
    return tracking


_TRACKED: dict[int, tuple[CheckResult, Tracking | None]] = {}


def end_of(result: CheckResult) -> tuple[dt.date | None, str]:
    """The mission's end: the tracking forecast's when the plan is tracked, else the
    baseline's."""
    tracking = tracking_of(result)
    if tracking is not None and tracking.forecast.end is not None:
        return tracking.forecast.end, "forecast"
    return result.schedule.end, "baseline"


def days_of(result: CheckResult) -> tuple[float | None, int | None, str]:
    """(days used, days contracted, what "used" means): days booked on or before the check
    date once the plan is tracked ("booked"), else the COO days the schedule plans
    ("planned")."""
    plan = result.plan
    contracted = plan.coo.contracted_days if plan.coo else None
    tracking = tracking_of(result)
    if tracking is not None:
        return float(tracking.booked_days), contracted, "booked"
    return float(result.schedule.coo_days), contracted, "planned"


def figures_of(result: CheckResult, plan: Plan | None = None) -> Figures:
    """The figures of a check result (``plan``: the plan whose names label the targets)."""
    from releve.tui.history.labels import target_label

    plan = plan or result.plan
    lang = result.lang
    end, kind = end_of(result)
    target = result.schedule.target_date
    if target is None and plan.exit is not None:
        target = plan.exit.target_date
    meets = result.schedule.meets_target
    if kind == "forecast":
        meets = end <= target if end is not None and target is not None else None
    return Figures(
        readiness=readiness_of(result),
        band=band_of(result),
        framing=framing_of(result),
        pillars=dict(result.score.pillars),
        counts=result.counts(),
        end=end,
        end_kind=kind,
        target=target,
        meets_target=meets,
        costs={c.rule: float(c.points) for c in result.score.costs},
        findings=tuple(
            FindingKey(
                rule=f.rule,
                name=f.name,
                severity=f.severity.value,
                pillar=f.pillar,
                target=f.target,
                label=target_label(plan, f.target, lang),
                waived=f.waived,
                message=f.message,
            )
            for f in result.findings
        ),
        packs=tuple(result.packs),
        mission=plan.mission.id,
        lang=lang,
    )
