"""Helpers for the rule engine's tests: plans from TOML fragments, findings as sets."""

from __future__ import annotations

import datetime as dt
import tomllib

import tomli_w

from releve.planner.model import Plan
from releve.planner.schedule import PhaseSlot, Schedule
from releve.rules.examples import EXAMPLE_AS_OF, _merge, base_data, example_plan
from releve.rules.packs import Example

AS_OF = EXAMPLE_AS_OF


#: What readiness needs and rules/example_base.toml does not give yet (its owner adds it:
#: then this goes). An unknown recurring revenue costs EXT009 in full (grade.missing).
BASE_FILL = "[company]\nrecurring_revenue_share = 0.5\ntop_supplier_share = 0.2\n"


def plan_of(fragment: str = "", *, unset: tuple[str, ...] = (), base: bool = True) -> Plan:
    """A plan: `fragment` (TOML) merged over rules/example_base.toml (with `BASE_FILL`),
    `unset` keys removed."""
    if not base:
        return example_plan(Example(plan=fragment, fires=True, base=False, unset=unset))
    data = _merge(_merge(base_data(), tomllib.loads(BASE_FILL)), tomllib.loads(fragment))
    text = tomli_w.dumps(data)
    return example_plan(Example(plan=text, fires=True, base=False, unset=unset))


def fired(plan: Plan, *, as_of: dt.date = AS_OF, **kwargs) -> set[tuple[str, str]]:
    """(rule, target) of every finding of `plan`, waived or not."""
    from releve.rules.pipeline import check_plan

    result = check_plan(plan, as_of=as_of, **kwargs)
    return {(f.rule, f.target) for f in result.findings}


def slot(pid: str, start: dt.date, end: dt.date, *, slack: int = 0) -> PhaseSlot:
    return PhaseSlot(pid, (start, end), start, end, 2, slack, slack == 0)


def schedule_of(start: dt.date, slots: list[PhaseSlot], **kw) -> Schedule:
    phases = {s.id: s for s in slots}
    end = max((s.end for s in slots), default=None)
    return Schedule(start=start, phases=phases, end=end, **kw)
