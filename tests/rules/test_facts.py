"""rules.facts: one fact per table and row, unique ids, and every derived field."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from rule_helpers import AS_OF, plan_of, schedule_of, slot
from strategies import plans

from releve.planner.schedule import ProblemKind, Schedule, ScheduleProblem, schedule_plan
from releve.rules.facts import FACT_KINDS, META_KEYS, build_facts

D = dt.date


def facts_of(plan, schedule=None, as_of=AS_OF):
    return build_facts(plan, schedule or schedule_plan(plan), as_of)


def one(facts, fact_id):
    matches = [f for f in facts if f["fact_id"] == fact_id]
    assert len(matches) == 1, fact_id
    return matches[0]


def test_one_fact_per_table_and_row_with_unique_ids():
    plan = plan_of()
    facts = facts_of(plan)
    ids = [f["fact_id"] for f in facts]
    assert len(ids) == len(set(ids))
    for kind in ("mission", "company", "exit", "coo", "scope", "governance", "schedule", "metrics"):
        assert kind in ids
    assert sum(f["fact"] == "process" for f in facts) == len(plan.process)
    assert one(facts, "process:purchasing")["row"] == 0
    assert one(facts, "signal:1")["row"] == 0  # rows without an id: kind:position from 1
    assert {f["fact_id"] for f in facts if f["fact"] == "phase_kind"} == {
        "phase_kind:flash_audit",
        "phase_kind:diagnostic",
        "phase_kind:project",
        "phase_kind:handover",
    }


def test_same_id_in_two_tables_gives_two_facts():
    plan = plan_of(
        '[[transfer]]\nid = "purchasing"\nprocess = "purchasing"\nto = "sam"\nphase = "diag"\n'
    )
    facts = facts_of(plan)
    assert one(facts, "process:purchasing") is not one(facts, "transfer:purchasing")


@settings(max_examples=60, deadline=None)
@given(plan=plans(), as_of=st.dates(D(2026, 1, 1), D(2029, 1, 1)))
def test_facts_never_hold_none_and_only_known_fields(plan, as_of):
    facts = build_facts(plan, schedule_plan(plan), as_of)
    assert len({f["fact_id"] for f in facts}) == len(facts)
    for f in facts:
        spec = FACT_KINDS[f["fact"]]
        for k, v in f.items():
            assert v is not None, (f["fact_id"], k)
            assert k in spec or k in META_KEYS, (f["fact"], k)


def test_absent_tables_still_give_facts_marked_undeclared():
    plan = plan_of(unset=("governance", "scope", "company"))
    facts = facts_of(plan)
    gov = one(facts, "governance")
    assert gov["declared"] is False and "reports_to" not in gov
    assert gov["codir_member"] is False
    assert one(facts, "scope")["declared"] is False
    assert one(facts, "exit")["declared"] is True


def test_mission_started_and_days_since_start():
    facts = facts_of(plan_of(), as_of=D(2027, 1, 14))
    m = one(facts, "mission")
    assert m["started"] is True and m["days_since_start"] == 10
    m = one(facts_of(plan_of(), as_of=D(2027, 1, 1)), "mission")
    assert m["started"] is False and m["days_since_start"] == -3


def test_reference_checks_name_no_such_person():
    plan = plan_of(
        '[governance]\nreports_to = "ghost"\nsponsor = "sam"\n'
        '[scope]\ninternal_counterpart = "kim"\nsuccessor = "fay"\n'
    )
    facts = facts_of(plan)
    gov = one(facts, "governance")
    assert gov["reports_to_exists"] is False
    assert gov["sponsor_exists"] is True and gov["sponsor_is_founder"] is False
    scope = one(facts, "scope")
    assert scope["internal_counterpart_exists"] is True
    assert scope["successor_is_founder"] is True
    # An empty reference is not checked (it is "empty", not "no such person").
    plan = plan_of('[governance]\nreports_to = ""\n')
    assert "reports_to_exists" not in one(facts_of(plan), "governance")


def test_sponsor_is_founder_needs_a_known_founder():
    plan = plan_of(
        '[[person]]\nid = "sam"\n[[person]]\nid = "fay"\n[governance]\nsponsor = "sam"\n',
        unset=("exit.founder",),
    )
    assert "sponsor_is_founder" not in one(facts_of(plan), "governance")


def test_founder_from_person_flag_when_exit_has_none():
    plan = plan_of(unset=("exit.founder",))
    facts = facts_of(plan)
    assert one(facts, "person:fay")["is_founder"] is True
    assert one(facts, "metrics")["founder"] == "fay"


def test_announce_delay_days():
    plan = plan_of("[governance]\nannounced_on = 2027-01-20\n")
    assert one(facts_of(plan), "governance")["announce_delay_days"] == 16


def test_backup_must_exist_and_be_someone_else():
    plan = plan_of(
        '[[person]]\nid = "fay"\nfounder = true\n'
        '[[person]]\nid = "sam"\nkey = true\nbackup = "sam"\n'
        '[[person]]\nid = "kim"\nkey = true\nbackup = "ghost"\n'
        '[[person]]\nid = "ann"\nkey = true\nbackup = "kim"\n'
    )
    facts = facts_of(plan)
    assert one(facts, "person:sam")["has_backup"] is False  # oneself
    assert one(facts, "person:kim")["has_backup"] is False  # nobody of that id
    assert one(facts, "person:kim")["backup_exists"] is False
    assert one(facts, "person:ann")["has_backup"] is True


def test_owned_by_founder_and_founder_critical_share():
    plan = plan_of(
        '[[process]]\nid = "a"\ncritical = true\nowner = "fay"\n'
        '[[process]]\nid = "b"\ncritical = true\nowner = "fay"\nbackup = "sam"\n'
        "backup_trained = true\n"
        '[[process]]\nid = "c"\ncritical = true\nowner = "sam"\n'
        '[[process]]\nid = "d"\ncritical = false\nowner = "fay"\n'
        '[[process]]\nid = "e"\ncritical = true\nowner = "coo"\n'
        '[[process]]\nid = "f"\ncritical = true\nowner = "fay"\nbackup = "fay"\n'
    )
    facts = facts_of(plan)
    assert one(facts, "process:a")["owned_by_founder"] is True
    assert one(facts, "process:c")["owned_by_founder"] is False
    assert one(facts, "process:e")["owned_by_coo"] is True
    m = one(facts, "metrics")
    # a and f (backup = owner is no backup); b has a trained backup; d is not critical.
    assert (m["founder_critical"], m["critical_processes"]) == (2, 5)
    assert m["founder_critical_share"] == 0.4
    assert m["founder_critical_share_min4"] == 0.4
    # Sam is the ready backup of b and owns c: dependence moved to him counts twice.
    assert (m["relay"], m["relay_backups"], m["relay_share"]) == ("sam", 2, 0.4)


def test_a_backup_counts_only_when_trained_or_the_transfer_to_them_is_done():
    base = '[[process]]\nid = "a"\ncritical = true\nowner = "fay"\nbackup = "sam"\n'
    untrained = facts_of(plan_of(base))
    assert one(untrained, "process:a")["has_backup"] is True
    assert one(untrained, "process:a")["backup_ready"] is False
    assert one(untrained, "metrics")["founder_critical"] == 1
    # 1 of 1 critical process: the share over at least four processes is 0.25.
    assert one(untrained, "metrics")["founder_critical_share_min4"] == 0.25
    assert "relay" not in one(untrained, "metrics")
    transfer = '[[transfer]]\nid = "t"\nprocess = "a"\nto = "sam"\nphase = "diag"\n'
    planned = facts_of(plan_of(base + transfer))
    assert one(planned, "process:a")["backup_ready"] is False
    done = facts_of(plan_of(base + transfer + 'status = "done"\n'))
    assert one(done, "process:a")["backup_ready"] is True
    assert one(done, "metrics")["founder_critical"] == 0
    to_other = transfer.replace('to = "sam"', 'to = "kim"') + 'status = "done"\n'
    assert one(facts_of(plan_of(base + to_other)), "process:a")["backup_ready"] is False


def test_founder_critical_share_absent_without_critical_processes():
    plan = plan_of('[[process]]\nid = "a"\nowner = "fay"\n')
    m = one(facts_of(plan), "metrics")
    assert m["critical_processes"] == 0 and "founder_critical_share" not in m


def test_has_transfer_on_process():
    facts = facts_of(plan_of('[[process]]\nid = "x"\nowner = "coo"\n'))
    assert one(facts, "process:x")["has_transfer"] is False
    assert one(facts_of(plan_of()), "process:purchasing")["has_transfer"] is True


PHASES = (
    '[[phase]]\nid = "audit"\nkind = "flash_audit"\neffort_days = 2\n'
    '[[phase]]\nid = "diag"\nkind = "diagnostic"\neffort_days = 2\n'
    '[[phase]]\nid = "proj"\nkind = "project"\neffort_days = 2\n'
    '[[phase]]\nid = "h1"\nkind = "handover"\neffort_days = 2\n'
    '[[phase]]\nid = "h2"\nkind = "handover"\neffort_days = 2\n'
)


def test_phase_dates_is_final_and_out_of_order_from_the_schedule():
    plan = plan_of(PHASES)
    sched = schedule_of(
        D(2027, 1, 4),
        [
            slot("audit", D(2027, 1, 4), D(2027, 1, 5)),
            slot("diag", D(2027, 1, 5), D(2027, 1, 8), slack=3),  # starts the day audit ends
            slot("proj", D(2027, 1, 11), D(2027, 1, 12)),
            slot("h2", D(2027, 1, 13), D(2027, 1, 14)),
            slot("h1", D(2027, 1, 15), D(2027, 1, 18)),  # the handover that ends last
        ],
    )
    facts = facts_of(plan, sched)
    diag = one(facts, "phase:diag")
    assert diag["start"] == D(2027, 1, 5) and diag["end"] == D(2027, 1, 8)
    assert diag["slack_days"] == 3 and diag["on_critical_path"] is False
    assert diag["out_of_order"] is True and diag["out_of_order_after"] == "audit"
    assert one(facts, "phase:proj")["out_of_order"] is False
    assert one(facts, "phase:h1")["is_final"] is True
    assert one(facts, "phase:h2")["is_final"] is False
    assert one(facts, "schedule")["final_phase"] == "h1"


def test_unscheduled_phase_has_no_dates():
    plan = plan_of(PHASES)
    sched = schedule_of(D(2027, 1, 4), [slot("audit", D(2027, 1, 4), D(2027, 1, 5))])
    p = one(facts_of(plan, sched), "phase:diag")
    assert p["scheduled"] is False
    assert "start" not in p and "out_of_order" not in p


TRANSFERS = (
    '[[transfer]]\nid = "t1"\nto = "sam"\nphase = "proj"\n'
    '[[transfer]]\nid = "t2"\nto = "fay"\nphase = "diag"\n'
    '[[transfer]]\nid = "t3"\nto = "kim"\nphase = "h1"\n'
    '[[transfer]]\nid = "t4"\nto = "ghost"\nphase = "nowhere"\n'
    '[[transfer]]\nid = "t5"\nto = "sam"\nphase = "diag"\n'
)


def test_transfer_before_final_first_and_after_diagnostic():
    plan = plan_of(PHASES + TRANSFERS)
    sched = schedule_of(
        D(2027, 1, 4),
        [
            slot("audit", D(2027, 1, 4), D(2027, 1, 5)),
            slot("diag", D(2027, 1, 6), D(2027, 1, 7)),
            slot("proj", D(2027, 1, 8), D(2027, 1, 11)),
            slot("h2", D(2027, 1, 12), D(2027, 1, 12)),
            slot("h1", D(2027, 1, 11), D(2027, 1, 13)),  # final; starts the day proj ends
        ],
    )
    facts = facts_of(plan, sched)
    t1, t2, t3, t4, t5 = (one(facts, f"transfer:t{i}") for i in range(1, 6))
    assert t1["before_final"] is False  # proj ends on the day the final phase starts
    assert t2["before_final"] is True
    assert t3["before_final"] is False  # in the final phase itself
    assert t4["before_final"] is False and t4["phase_exists"] is False
    assert t4["to_exists"] is False
    assert t2["to_is_founder"] is True and t1["to_is_founder"] is False
    assert t1["to_is_manager"] is True
    # The first transfer is the first row among those whose phase starts earliest.
    assert [t["is_first"] for t in (t1, t2, t3, t5)] == [False, True, False, False]
    assert "is_first" not in t4
    assert t1["after_diagnostic"] is True and t2["after_diagnostic"] is False
    assert t1["phase_start"] == D(2027, 1, 8)


def test_no_final_phase_without_handover():
    plan = plan_of(PHASES.split('[[phase]]\nid = "h1"')[0] + TRANSFERS)
    facts = facts_of(plan)
    assert all(not f.get("is_final") for f in facts if f["fact"] == "phase")
    assert all(f["before_final"] is False for f in facts if f["fact"] == "transfer")
    assert "final_phase" not in one(facts, "schedule")


def test_kpi_history_and_last_measure_up_to_the_check_date():
    plan = plan_of(
        '[[kpi]]\nid = "m"\nhistory = [{ on = 2027-01-31, value = 6.4 },'
        " { on = 2027-03-31, value = 7.0 }, { on = 2027-02-28, value = 6.7 }]\n"
    )
    k = one(facts_of(plan), "kpi:m")
    assert k["last_measure_on"] == D(2027, 2, 28) and k["last_value"] == 6.7
    assert len(k["history"]) == 3


def test_signal_age_and_strong_rank():
    plan = plan_of(
        '[[signal]]\non = 2027-02-01\nkind = "team_involvement"\nlevel = 2\n'
        '[[signal]]\non = 2027-02-20\nkind = "team_involvement"\nlevel = 1\n'
        '[[signal]]\non = 2027-02-10\nkind = "informal_feedback"\nlevel = 3\n'
        '[[signal]]\non = 2027-02-10\nkind = "informal_feedback"\nlevel = 2\n'
        '[[signal]]\non = 2027-03-05\nkind = "informal_feedback"\nlevel = 3\n'
    )
    facts = facts_of(plan)
    s = [one(facts, f"signal:{i}") for i in range(1, 6)]
    assert [x["age_days"] for x in s] == [28, 9, 19, 19, -4]
    # Latest first; same day: the later row first; weak and future signals unranked.
    assert s[3]["strong_rank"] == 1 and s[2]["strong_rank"] == 2 and s[0]["strong_rank"] == 3
    assert "strong_rank" not in s[1] and "strong_rank" not in s[4]


def test_irritant_open_days():
    plan = plan_of(
        '[[irritant]]\nid = "a"\nopened = 2027-01-01\n'
        '[[irritant]]\nid = "b"\nopened = 2027-01-01\nclosed = 2027-02-01\n'
        '[[irritant]]\nid = "c"\nopened = 2027-01-01\nclosed = 2027-04-01\n'
        '[[irritant]]\nid = "d"\nopened = 2027-05-01\n'
        '[[irritant]]\nid = "e"\n'
    )
    facts = facts_of(plan)
    assert one(facts, "irritant:a")["open_days"] == 59
    assert one(facts, "irritant:b")["is_open"] is False
    assert "open_days" not in one(facts, "irritant:b")
    assert one(facts, "irritant:c")["open_days"] == 59  # closed after the check date
    assert one(facts, "irritant:d")["is_open"] is False  # opened after the check date
    assert one(facts, "irritant:e")["is_open"] is False
    assert one(facts, "metrics")["open_irritants"] == 2


def test_waiver_complete_expired_and_days():
    plan = plan_of(
        '[[waiver]]\nrule = "EXT003"\nreason = "r"\nowner = "o"\nexpires = 2027-03-11\n'
        '[[waiver]]\nrule = "EXT003"\nreason = "r"\nexpires = 2027-02-28\n'
        '[[waiver]]\nrule = "EXT003"\nreason = " "\nowner = "o"\nexpires = 2027-03-01\n'
    )
    facts = facts_of(plan)
    w1, w2, w3 = (one(facts, f"waiver:{i}") for i in (1, 2, 3))
    assert (w1["complete"], w1["expired"], w1["expires_in_days"]) == (True, False, 10)
    assert (w2["complete"], w2["expired"], w2["expires_in_days"]) == (False, True, -1)
    assert w3["complete"] is False  # a blank reason is no reason
    assert w3["expired"] is False  # it waives through its last day
    assert "used" not in w1  # set by the pipeline, not here


def test_schedule_fact_deadline_and_contract():
    plan = plan_of("[exit]\ntarget_date = 2027-01-10\n[coo]\ncontracted_days = 3\n")
    sched = schedule_of(D(2027, 1, 4), [slot("audit", D(2027, 1, 4), D(2027, 1, 12))], coo_days=5)
    s = one(facts_of(plan, sched), "schedule")
    assert s["meets_target"] is False and s["days_late"] == 2
    assert s["over_contract_days"] == 2 and s["contracted_days"] == 3
    assert s["ok"] is True and s["problem_count"] == 0


def test_schedule_with_problems_judges_no_deadline():
    plan = plan_of()
    sched = Schedule(
        start=D(2027, 1, 4),
        phases={},
        problems=(
            ScheduleProblem(ProblemKind.cycle, ("a", "b"), "phases a and b wait for each other"),
        ),
    )
    s = one(facts_of(plan, sched), "schedule")
    assert s["ok"] is False and s["problems"] == "phases a and b wait for each other"
    assert "meets_target" not in s and "days_late" not in s


def test_phase_kind_and_kpi_category_coverage():
    plan = plan_of(PHASES)
    facts = facts_of(plan)
    assert one(facts, "phase_kind:handover")["count"] == 2
    assert one(facts, "phase_kind:project")["required"] is False
    cat = one(facts_of(plan_of("kpi = []")), "kpi_category:lead_time")
    assert (cat["count"], cat["expected"]) == (0, True)
    assert one(facts, "kpi_category:other")["expected"] is False


def test_remaining_reference_checks_and_counts():
    plan = plan_of(
        '[exit]\nfounder = "ghost"\n'
        '[coo]\nworkdays = ["mon", "tue"]\n'
        '[scope]\nsuccessor = "nobody"\n'
        '[[objective]]\nid = "o"\nkpi = "margin"\n'
        '[[objective]]\nid = "p"\nkpi = "nope"\n'
        '[[process]]\nid = "a"\nowner = "sam"\ncritical = true\n'
        '[[process]]\nid = "b"\nowner = "ghost"\n'
        '[[transfer]]\nid = "t"\nprocess = "zz"\nto = "kim"\nphase = "diag"\n'
        '[[kpi]]\nid = "margin"\nowner = "ghost"\n'
    )
    facts = facts_of(plan)
    ex = one(facts, "exit")
    assert ex["founder_exists"] is False and ex["days_to_target"] == 214
    assert one(facts, "coo")["workdays_per_week"] == 2
    assert one(facts, "scope")["successor_exists"] is False
    assert one(facts, "objective:o")["kpi_exists"] is True
    assert one(facts, "objective:p")["kpi_exists"] is False
    assert one(facts, "process:a")["owner_exists"] is True
    assert one(facts, "process:b")["owner_exists"] is False
    assert one(facts, "transfer:t")["process_exists"] is False
    assert one(facts, "transfer:t")["to_is_manager"] is True
    assert one(facts, "kpi:margin")["owner_exists"] is False
    m = one(facts, "metrics")
    assert (m["person_count"], m["manager_count"], m["key_person_count"]) == (3, 2, 1)
    assert (m["objective_count"], m["kpi_count"], m["transfer_count"]) == (2, 1, 1)
    assert m["signal_count"] == 1 and m["founder"] == "ghost"
