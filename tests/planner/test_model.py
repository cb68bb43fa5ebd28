"""The plan model: what is refused at load time, and what is left to the rule engine."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from releve.planner.model import Phase, PhaseKind, Plan, Weekday

MINIMAL = {"mission": {"id": "m", "start": dt.date(2027, 1, 4)}}


def test_a_plan_with_only_mission_loads_with_defaults():
    plan = Plan.model_validate(MINIMAL)
    assert plan.format == 1
    assert plan.phase == [] and plan.company is None and plan.governance is None
    assert plan.mission.language == "fr" and plan.mission.status == "planning"


def test_missing_mission_is_refused():
    with pytest.raises(ValidationError) as err:
        Plan.model_validate({"company": {"name": "x"}})
    assert err.value.errors()[0]["loc"] == ("mission",)


def test_a_newer_format_says_it_was_written_by_a_newer_releve():
    with pytest.raises(ValidationError, match="written by a newer releve"):
        Plan.model_validate({**MINIMAL, "format": 2, "new_table": {}})


def test_unknown_key_is_refused_with_its_location():
    with pytest.raises(ValidationError) as err:
        Plan.model_validate({**MINIMAL, "governance": {"report_to": "marc"}})
    e = err.value.errors()[0]
    assert e["type"] == "extra_forbidden" and e["loc"] == ("governance", "report_to")


def test_unknown_enumeration_value_lists_the_allowed_ones():
    with pytest.raises(ValidationError) as err:
        Plan.model_validate({**MINIMAL, "phase": [{"id": "a", "kind": "audit"}]})
    msg = err.value.errors()[0]["msg"]
    assert "flash_audit" in msg and "handover" in msg


def test_duplicate_id_names_the_row_of_the_second_one():
    rows = [
        {"id": "a", "kind": "project"},
        {"id": "b", "kind": "project"},
        {"id": "a", "kind": "handover"},
    ]
    with pytest.raises(ValidationError) as err:
        Plan.model_validate({**MINIMAL, "phase": rows})
    e = err.value.errors()[0]
    assert e["type"] == "duplicate_id" and e["ctx"]["index"] == 2
    assert "duplicate phase id 'a'" in e["msg"]


def test_references_to_missing_rows_are_not_load_errors():
    plan = Plan.model_validate(
        {
            **MINIMAL,
            "governance": {"reports_to": "nobody"},
            "phase": [{"id": "a", "kind": "project", "after": ["zz"]}],
        }
    )
    assert plan.governance.reports_to == "nobody"
    assert plan.phase[0].after == ["zz"]


def test_shares_and_levels_are_bounded():
    with pytest.raises(ValidationError):
        Plan.model_validate({**MINIMAL, "company": {"top_customer_share": 1.5}})
    with pytest.raises(ValidationError):
        Plan.model_validate({**MINIMAL, "process": [{"id": "p", "documentation": 5}]})


def test_from_alias_round_trips():
    plan = Plan.model_validate(
        {
            **MINIMAL,
            "transfer": [{"id": "t", "from": "coo", "to": "x"}],
            "coo": {"leave": [{"from": dt.date(2027, 4, 12), "to": dt.date(2027, 4, 16)}]},
        }
    )
    assert plan.transfer[0].from_ == "coo"
    dumped = plan.model_dump(by_alias=True, exclude_none=True)
    assert dumped["transfer"][0]["from"] == "coo"
    assert Plan.model_validate(dumped) == plan


def test_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValidationError, match="before it starts"):
        Plan.model_validate(
            {
                **MINIMAL,
                "coo": {"leave": [{"from": dt.date(2027, 4, 16), "to": dt.date(2027, 4, 12)}]},
            }
        )


def test_phase_kind_rank_orders_the_mission():
    order = sorted(PhaseKind, key=lambda k: k.rank)
    assert order == [
        PhaseKind.flash_audit,
        PhaseKind.diagnostic,
        PhaseKind.project,
        PhaseKind.handover,
    ]
    assert Phase(id="x", kind="handover").kind.rank == 3
    assert Weekday.mon.index == 0 and Weekday.sun.index == 6


def test_founder_id_prefers_exit_then_person_flag():
    plan = Plan.model_validate({**MINIMAL, "person": [{"id": "a", "founder": True}]})
    assert plan.founder_id() == "a"
    plan = Plan.model_validate(
        {**MINIMAL, "exit": {"founder": "b"}, "person": [{"id": "a", "founder": True}]}
    )
    assert plan.founder_id() == "b"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused(value):
    with pytest.raises(ValidationError) as err:
        Plan.model_validate({**MINIMAL, "kpi": [{"id": "k", "baseline": value}]})
    assert err.value.errors()[0]["loc"] == ("kpi", 0, "baseline")
