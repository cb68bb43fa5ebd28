"""Random mission plans for the planner's property tests and the TaskJuggler oracle."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

from releve.planner.model import Plan

TESTS = Path(__file__).resolve().parents[1]
SAMPLES = TESTS.parent / "sample_missions"


def root_conftest() -> ModuleType:
    """tests/conftest.py (``need_tool`` …), loaded by its path: ``from conftest import``
    can find another folder's conftest.py (tests/rules/ has one) when both are collected."""
    name = "releve_root_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / "conftest.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def need_tool(name: str) -> str:
    return root_conftest().need_tool(name)


WORKDAY_PATTERNS = [
    ["mon", "tue", "wed", "thu", "fri"],
    ["mon", "tue"],
    ["tue", "thu"],
    ["mon", "wed", "fri"],
    ["wed"],
    ["thu", "fri", "sat"],
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
]
COUNTRIES = ["FR", "FR", "FR", "DE", "GB", "BE", "US"]


def _period(rng: random.Random, start: dt.date, reason: bool) -> dict:
    first = start + dt.timedelta(days=rng.randint(-30, 700))
    row = {"from": first, "to": first + dt.timedelta(days=rng.randint(0, 25))}
    if reason and rng.random() < 0.5:
        row["reason"] = rng.choice(["Fermeture estivale", "Inventaire", "Congés d'été"])
    return row


def random_plan_data(
    rng: random.Random,
    *,
    max_phases: int = 12,
    max_effort: int = 15,
    countries: list[str] | None = None,
    near: dt.date | None = None,
) -> dict:
    """A plan as TOML-shaped data: always schedulable (no cycle, known phases, at least
    one workday), with holidays, closures, leave, not_before, priorities and a random
    dependency graph whose topological order differs from plan order. The mission starts
    in 2026 to 2029, or within 60 days after ``near``."""
    if near is None:
        start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 4 * 365))
    else:
        start = near + dt.timedelta(days=rng.randint(0, 60))
    pattern = rng.choice(WORKDAY_PATTERNS)
    if rng.random() < 0.2:
        pattern = sorted(
            rng.sample(WORKDAY_PATTERNS[-1], rng.randint(1, 7)), key=WORKDAY_PATTERNS[-1].index
        )
    n = rng.randint(1, max_phases)
    topo = list(range(n))
    rng.shuffle(topo)  # phase topo[k] may only be after phases topo[:k]
    use_priority = rng.random() < 0.4
    phases = []
    for i in range(n):
        k = topo.index(i)
        earlier = topo[:k]
        after = rng.sample(earlier, rng.randint(0, min(3, len(earlier))))
        row: dict = {
            "id": f"ph{i}",
            "kind": rng.choice(["flash_audit", "diagnostic", "project", "handover"]),
            "effort_days": 0 if rng.random() < 0.12 else rng.randint(1, max_effort),
            "after": [f"ph{j}" for j in after],
        }
        if rng.random() < 0.3:
            row["not_before"] = start + dt.timedelta(days=rng.randint(-20, 300))
        if use_priority and rng.random() < 0.7:
            row["priority"] = rng.randint(0, 4)
        phases.append(row)
    data: dict = {
        "mission": {"id": "random", "start": start},
        "phase": phases,
    }
    if rng.random() < 0.9:
        data["coo"] = {
            "workdays": pattern,
            "leave": [_period(rng, start, True) for _ in range(rng.randint(0, 3))],
        }
    if rng.random() < 0.9:
        data["company"] = {
            "country": rng.choice(countries or COUNTRIES),
            "closures": [_period(rng, start, True) for _ in range(rng.randint(0, 3))],
        }
    if rng.random() < 0.7:
        data["exit"] = {"target_date": start + dt.timedelta(days=rng.randint(20, 600))}
    return data


def random_plan(rng: random.Random, **kw: object) -> Plan:
    return Plan.model_validate(random_plan_data(rng, **kw))  # type: ignore[arg-type]
