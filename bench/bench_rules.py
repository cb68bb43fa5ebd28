"""Rule engine benchmarks: the in-process check pipeline (facts, evaluation, waivers,
score) on a sample plan, on a plan ten times larger, and 300 plans in one run; each with
durable_rules and with the plain-Python evaluator (the ratio is printed at the end).

Targets (issue 4): sample plan < 5 ms, 10× plan < 50 ms, 300 plans < 10 ms each beyond
the first. The schedule is computed once outside the timing (it is the planner's work;
`check (with schedule)` shows the whole call).
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path

import run
from run import Case

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_missions" / "atelier-durand.toml"
AS_OF = dt.date(2027, 3, 1)
ID_REFS = {
    "person": ("backup",),
    "process": ("owner", "backup"),
    "phase": ("after",),
    "transfer": ("process", "from", "to", "phase"),
    "objective": ("kpi",),
    "kpi": ("owner",),
    "irritant": ("owner",),
}


def _scaled(data: dict, n: int) -> dict:
    """The plan with every array table repeated n times (ids and references suffixed)."""
    out = copy.deepcopy(data)
    for table in (
        "objective",
        "person",
        "process",
        "phase",
        "transfer",
        "kpi",
        "signal",
        "irritant",
    ):
        rows = data.get(table, [])
        ids = {r.get("id") for r in rows if "id" in r}
        grown = []
        for k in range(n):
            for r in rows:
                r2 = copy.deepcopy(r)
                if k and "id" in r2:
                    r2["id"] = f"{r2['id']}-{k}"
                for ref in ID_REFS.get(table, ()):
                    v = r2.get(ref)
                    suffix = f"-{k}" if k else ""
                    if isinstance(v, list):
                        r2[ref] = [f"{x}{suffix}" for x in v]
                    elif (
                        isinstance(v, str)
                        and v
                        and (v in ids or table != "phase")
                        and v != "coo"
                        and k
                    ):
                        r2[ref] = f"{v}{suffix}"
                grown.append(r2)
        out[table] = grown
    out["coo"]["contracted_days"] = data["coo"]["contracted_days"] * n
    return out


def _plans():
    from releve.planner.model import Plan
    from releve.planner.schedule import schedule_plan

    data = tomllib.loads(SAMPLE.read_text(encoding="utf-8"))
    small = Plan.model_validate(data)
    big = Plan.model_validate(_scaled(data, 10))
    return (small, schedule_plan(small)), (big, schedule_plan(big))


def _many(count: int = 300):
    """300 different plans: the four samples, each varied (mission id, steering cadence,
    a process's documentation level, top customer share)."""
    from releve.planner.model import Plan
    from releve.planner.schedule import schedule_plan

    bases = [
        tomllib.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "sample_missions").glob("*.toml"))
    ]
    plans = []
    for i in range(count):
        d = copy.deepcopy(bases[i % len(bases)])
        d["mission"]["id"] = f"m{i}"
        d.setdefault("governance", {})["steering_every_days"] = 7 + i % 40
        if d.get("process"):
            d["process"][i % len(d["process"])]["documentation"] = i % 5
        d.setdefault("company", {})["top_customer_share"] = (i % 50) / 100
        d.pop("rules", None)
        p = Plan.model_validate(d)
        plans.append((p, schedule_plan(p)))
    return plans


def cases() -> list[Case]:
    from releve.rules.packs import load_pack_set
    from releve.rules.pipeline import check_plan

    (small, s_small), (big, s_big) = _plans()
    many = _many(3 if run.QUICK else 300)
    ps = load_pack_set()
    out = []
    for engine in ("durable_rules", "python"):

        def one(plan=small, sched=s_small, engine=engine):
            return check_plan(plan, as_of=AS_OF, schedule=sched, pack_set=ps, engine=engine)

        def ten(engine=engine):
            return check_plan(big, as_of=AS_OF, schedule=s_big, pack_set=ps, engine=engine)

        def full(engine=engine):
            return check_plan(small, as_of=AS_OF, engine=engine)

        def batch(engine=engine):
            for plan, sched in many:
                check_plan(plan, as_of=AS_OF, schedule=sched, engine=engine)

        target = 1 if engine == "durable_rules" else None
        out += [
            Case(
                f"rules: check sample plan [{engine}]",
                one,
                target_ms=5 if target else None,
                repeat=200,
            ),
            Case(
                f"rules: check 10x plan ({len(big.phase)} phases) [{engine}]",
                ten,
                target_ms=50 if target else None,
                repeat=30,
            ),
            Case(
                f"rules: {len(many)} plans, per plan beyond the first [{engine}]",
                batch,
                target_ms=10 if target else None,
                repeat=3,
                per=len(many),
            ),
            Case(f"rules: check (with schedule, packs loaded) [{engine}]", full, repeat=100),
        ]
    return out
