"""Coverage: how much of the evidence readiness needs the plan gives (issue 15).

Each readiness pillar needs a few items of evidence (docs/rules.md, "Coverage"). An item
is a share 0..1: a single value is given or not (1 or 0); an item over rows ("each
critical process names its owner") is the share of those rows that give it, 0 when there
is no such row. A pillar's coverage is the mean of its items; the overall coverage is
the mean of the pillars weighted by the weight of their rules in force (a pillar that
counts more in readiness needs its evidence more), or the plain mean without rules.

Computed from the facts a check builds (rules.facts), so it needs no other input:
`rules.score.compute_score` calls it when it has the facts. Below the pack's
``score.min_coverage`` (default 0.6) readiness is *not assessed*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from releve.planner.records import record
from releve.rules.result import READINESS_PILLARS


@record
class Item:
    """One item of evidence: what it asks for, where in the plan, how much is given."""

    pillar: str
    key: str  # a stable id, e.g. "process.owner"
    path: str  # the plan field to fill, e.g. "process.owner"
    given: int  # rows (or values) that give it
    needed: int  # rows (or values) that should (0 when there is no such row: share 0)

    @property
    def share(self) -> float:
        return self.given / self.needed if self.needed else 0.0


@record
class Coverage:
    overall: float  # 0..1
    pillars: dict[str, float]  # readiness pillar -> 0..1
    items: tuple[Item, ...]

    def missing(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.given < i.needed or not i.needed)


def _given(fact: Mapping[str, Any], field: str) -> bool:
    """A value is given: present and, for a text, not blank ("" is not an answer)."""
    v = fact.get(field)
    if v is None:
        return False
    if isinstance(v, str):
        return bool(v.strip())
    return True


def _one(pillar: str, key: str, ok: bool, path: str | None = None) -> Item:
    return Item(pillar, key, path or key, int(ok), 1)


def _rows(
    pillar: str, key: str, rows: list[Mapping[str, Any]], ok: Any, path: str | None = None
) -> Item:
    return Item(pillar, key, path or key, sum(1 for r in rows if ok(r)), len(rows))


def evidence_items(facts: Iterable[Mapping[str, Any]]) -> tuple[Item, ...]:
    """Every item of evidence readiness needs, with how much of it the plan gives."""
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    for f in facts:
        by_kind.setdefault(str(f.get("fact")), []).append(f)
    # A value still equal to the template's example (a `placeholder` fact) is no
    # evidence: nor is a row whose name or id is still the template's.
    fake: dict[str, set[str]] = {}
    for f in by_kind.get("placeholder", []):
        fake.setdefault(str(f.get("table")), set()).add(str(f.get("row_id", f.get("key"))))
    fake_people, fake_processes = fake.get("person", set()), fake.get("process", set())
    metrics = (by_kind.get("metrics") or [{}])[0]
    company = {
        k: v
        for k, v in (by_kind.get("company") or [{}])[0].items()
        if k not in fake.get("company", ())
    }
    critical = [
        p
        for p in by_kind.get("process", [])
        if p.get("critical") is True and p.get("id") not in fake_processes
    ]
    people = [
        p
        for p in by_kind.get("person", [])
        if p.get("is_founder") is not True and p.get("id") not in fake_people
    ]
    key_people = [p for p in people if p.get("key") is True]
    kpis = by_kind.get("kpi", [])
    transfers = [t for t in by_kind.get("transfer", []) if t.get("process") not in fake_processes]
    founder_named = _given(metrics, "founder") and metrics.get("founder") not in fake_people

    def stated(field: str) -> Any:
        # "" says "nobody" on purpose (the template's convention for a backup).
        return lambda r: r.get(field) is not None

    return (
        # Founder dependence: whose company it is, what is critical, who runs it and who
        # could run it without them.
        _one("founder_dependence", "exit.founder", founder_named),
        _one("founder_dependence", "process.critical", bool(critical)),
        _rows("founder_dependence", "process.owner", critical, lambda r: _given(r, "owner")),
        _rows("founder_dependence", "process.backup", critical, stated("backup")),
        # Documentation: the level of each critical process.
        _rows("documentation", "process.documentation", critical, stated("documentation")),
        # Team: the people besides the founder, the middle managers and key people, and
        # who backs each key person up.
        _one("team", "person", bool(people)),
        _one("team", "person.manager", any(p.get("manager") is True for p in people)),
        _one("team", "person.key", bool(key_people)),
        _rows("team", "person.backup", key_people, stated("backup")),
        # Customers and suppliers: the three shares a buyer asks first.
        _one("customers", "company.top_customer_share", _given(company, "top_customer_share")),
        _one("customers", "company.top_supplier_share", _given(company, "top_supplier_share")),
        _one(
            "customers",
            "company.recurring_revenue_share",
            _given(company, "recurring_revenue_share"),
        ),
        # Indicators: KPIs, each with a baseline and at least one measure by the check date.
        _one("indicators", "kpi", bool(kpis)),
        _rows("indicators", "kpi.baseline", kpis, stated("baseline")),
        _rows("indicators", "kpi.history", kpis, stated("last_measure_on")),
        # Transfers: what is handed over, to whom (the status is always given: planned by
        # default).
        _one("transfer", "transfer", bool(transfers)),
        _rows(
            "transfer",
            "transfer.to",
            transfers,
            lambda r: _given(r, "to") and r.get("to") not in fake_people,
        ),
    )


def coverage(
    facts: Iterable[Mapping[str, Any]], weights: Mapping[str, float] | None = None
) -> Coverage:
    """The coverage of a plan's facts. `weights`: readiness pillar -> weight of its rules
    in force (the overall mean's weights; None or all zero: a plain mean)."""
    items = evidence_items(facts)
    pillars: dict[str, float] = {}
    for pillar in READINESS_PILLARS:
        mine = [i.share for i in items if i.pillar == pillar]
        if mine:
            pillars[pillar] = sum(mine) / len(mine)
    w = {p: float((weights or {}).get(p, 0.0)) for p in pillars}
    if sum(w.values()) <= 0:
        w = dict.fromkeys(pillars, 1.0)
    total = sum(w.values())
    overall = sum(pillars[p] * w[p] for p in pillars) / total if total else 0.0
    return Coverage(overall, pillars, items)
