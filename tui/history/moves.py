"""A plan's versions and what moved between them: `Version` (one version and its
figures), `Cause` and `Move` (why readiness changed from one version to the next), and
`History` (the versions of one plan, oldest first). Plain data: nothing here reads git or
checks a plan (:mod:`.versions` and :mod:`.checker` do).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from releve.tui.history.figures import Figures, FindingKey
from releve.tui.history.labels import text


@dataclass(frozen=True)
class Version:
    """One version of the plan and what it scored."""

    sha: str | None  # None: the uncommitted changes in the working tree
    date: dt.date  # the commit date (uncommitted: the check date)
    subject: str  # the commit's first line
    path: str  # the plan's path in the repository at this version
    as_of: dt.date  # the date it was checked as of
    figures: Figures
    plan_changed: bool = True  # False: a commit that changed only a pack
    packs_changed: bool = False  # the packs in force differ from the previous version's
    plan_blob: str = ""
    packs_digest: str = ""

    @property
    def uncommitted(self) -> bool:
        return self.sha is None

    @property
    def short(self) -> str:
        return self.sha[:7] if self.sha else ""


@dataclass(frozen=True)
class Cause:
    """Why readiness moved between two versions: one finding resolved or appeared, a
    waiver granted or lost, or the packs changed."""

    kind: str  # "resolved" | "appeared" | "waived" | "unwaived" | "packs" | "date"
    finding: FindingKey | None = None
    points: float = 0.0  # readiness points the rule costs (0 when unknown)

    @property
    def sign(self) -> str:
        """ "+" for what raises readiness (resolved, waived), "−" for what lowers it."""
        if self.kind in ("resolved", "waived"):
            return "+"
        return "−" if self.kind in ("appeared", "unwaived") else ""

    def describe(self, lang: str) -> str:
        """ "+ EXT003 resolved on Process Devis", "− EXT002 appeared on Person Léa"."""
        if self.finding is None:
            return text(lang, "pack_move" if self.kind == "packs" else "no_cause")
        said = text(lang, self.kind, rule=self.finding.rule, target=self.finding.label)
        return f"{self.sign} {said}"

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "points": round(self.points, 2)}
        if self.finding is not None:
            d.update(rule=self.finding.rule, name=self.finding.name, target=self.finding.target)
            d["label"] = self.finding.label
        return d


@dataclass(frozen=True)
class Move:
    """The change of readiness from one version to the next, and its causes."""

    before: Version
    after: Version
    delta: int
    causes: tuple[Cause, ...]

    def describe(self, lang: str, *, limit: int = 3) -> str:
        shown = [c.describe(lang) for c in self.causes[:limit]]
        if len(self.causes) > limit:
            shown.append(text(lang, "more_causes", n=len(self.causes) - limit))
        return text(lang, "move", delta=self.delta, causes=", ".join(shown))


def causes_between(before: Figures, after: Figures) -> tuple[Cause, ...]:
    """The finding changes from ``before`` to ``after``, the costliest first."""
    old = {f.key: f for f in before.findings}
    new = {f.key: f for f in after.findings}
    causes: list[Cause] = []
    for k, f in old.items():
        g = new.get(k)
        if g is None and not f.waived:
            causes.append(Cause("resolved", f, before.costs.get(f.rule, 0.0)))
        elif g is not None and g.waived and not f.waived:
            causes.append(Cause("waived", g, before.costs.get(f.rule, 0.0)))
    for k, g in new.items():
        was = old.get(k)
        if was is None and not g.waived:
            causes.append(Cause("appeared", g, after.costs.get(g.rule, 0.0)))
        elif was is not None and was.waived and not g.waived:
            causes.append(Cause("unwaived", g, after.costs.get(g.rule, 0.0)))
    causes.sort(key=lambda c: (-c.points, c.kind, c.finding.rule if c.finding else ""))
    return tuple(causes)


def _leading(causes: tuple[Cause, ...], *, up: bool) -> tuple[Cause, ...]:
    """The causes that moved readiness the way it went first (a rise is told by what was
    resolved or waived, a fall by what appeared), each group costliest first."""
    helps = {"resolved", "waived"} if up else {"appeared", "unwaived"}
    return tuple(sorted(causes, key=lambda c: c.kind not in helps))


@dataclass
class History:
    """The versions of one plan, oldest first (the uncommitted one last)."""

    path: str  # as the user gave it
    root: Path  # the repository
    rel: str  # the plan's path in the repository now
    versions: list[Version]
    lang: str
    previous: Version | None = None  # the version before the first shown (with --since)
    hits: int = 0  # versions read from the cache
    checked: int = 0  # versions checked anew

    def moves(self) -> list[Move]:
        """Every change of readiness between consecutive readable versions."""
        out: list[Move] = []
        prev = self.previous if self.previous and self.previous.figures.ok else None
        for v in self.versions:
            if not v.figures.ok:
                continue
            if prev is not None:
                a, b = prev.figures.readiness, v.figures.readiness
                if a is not None and b is not None and a != b:
                    causes = _leading(causes_between(prev.figures, v.figures), up=b > a)
                    if not causes:
                        causes = (Cause("packs" if v.packs_changed else "date"),)
                    out.append(Move(prev, v, b - a, causes))
            prev = v
        return out

    def biggest_moves(self, n: int = 3) -> list[Move]:
        moves = self.moves()
        moves.sort(key=lambda m: (-abs(m.delta), m.after.date))
        return moves[:n]
