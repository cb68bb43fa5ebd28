"""The pack keys `grade` (how much of its weight a firing costs) and `[score]` (bands and
coverage threshold): validated and located like every other pack key."""

from __future__ import annotations

import pytest

from releve.rules.grading import Grade
from releve.rules.packs import PackError, load_pack_set, load_pack_text

HEAD = """[pack]
id = "firm"
[[rule]]
id = "RC101"
name = "manual-process"
title = { en = "t", fr = "t" }
message = { en = "m", fr = "m" }
fix = { en = "f", fr = "f" }
pillar = "documentation"
severity = "warning"
fact = "process"
when = [{ field = "automation", op = "lt", value = "$min_level" }]
params = { min_level = 2, full = 0 }
"""


def rule(grade_line: str):
    return load_pack_text(HEAD + grade_line + "\n", "firm.toml").rule("RC101")


def test_without_grade_a_rule_is_graded_per_fact_among_its_kind():
    assert rule("").grade == Grade()


def test_grade_all_among_measured_and_out_of():
    assert rule('grade = "all"').grade.mode == "all"
    g = rule('grade = { among = [{ field = "critical", op = "eq", value = true }] }').grade
    assert g.mode == "per_fact" and [c.field for c in g.among] == ["critical"]
    g = rule('grade = { field = "automation", from = "$min_level", to = "$full" }').grade
    assert (g.field, g.start, g.full, g.start_param) == ("automation", 2.0, 0.0, "min_level")
    assert g.fact_grade({"automation": 1}) == pytest.approx(0.5)
    assert g.fact_grade({"automation": 0}) == 1.0 and g.fact_grade({"automation": 3}) == 0.0
    assert g.fact_grade({}) == 1.0  # no measure: the whole firing
    assert rule("grade = { out_of = 3 }").grade.out_of == 3
    g = rule('grade = { field = "automation", from = 2, to = 0, missing = "all" }').grade
    assert g.missing and g.as_dict()["missing"] == "all"
    among = '[{ field = "critical", op = "eq", value = true }]'
    assert rule(f'grade = {{ among = {among}, missing = "all" }}').grade.missing


def test_missing_evidence_costs_the_whole_weight_and_an_error_caps():
    from rule_helpers import AS_OF, plan_of

    from releve.rules.pipeline import check_plan

    def costs(fragment: str = "", unset: tuple[str, ...] = ()) -> dict[str, float]:
        score = check_plan(plan_of(fragment, unset=unset), as_of=AS_OF).score
        return {c.rule: c.grade for c in score.costs} | {"caps": [c.rule for c in score.caps]}

    assert costs() == {"caps": []}
    # EXT004 (grade.field with missing): no customer share is the worst share.
    assert costs(unset=("company.top_customer_share",))["EXT004"] == 1.0
    # EXT002 (grade.among with missing): no key person named is as bad as none backed up.
    people = '[[person]]\nid = "fay"\nfounder = true\n[[person]]\nid = "sam"\nmanager = true\n'
    assert costs(people + '[[person]]\nid = "kim"\n')["EXT002"] == 1.0
    # EXT001 (an error): no founder named costs it all and caps readiness like a firing.
    got = costs(unset=("exit.founder",), fragment=people.replace("founder = true", ""))
    assert got["EXT001"] == 1.0 and got["caps"] == ["EXT001"]


def test_a_field_alone_with_missing_is_what_the_rule_reads():
    # grade.field without from/to: any field of the kind, the one whose absence costs.
    g = rule('grade = { field = "automation", missing = "all" }').grade
    assert (g.field, g.start, g.full, g.missing) == ("automation", None, None, True)
    assert g.as_dict() == {"field": "automation", "missing": "all"}
    assert g.fact_grade({"automation": 3}) == 1.0  # not measured: a firing costs in full
    assert rule('grade = { field = "name", missing = "all" }').grade.field == "name"


def test_a_kpi_that_cannot_show_its_path_costs_as_the_worst_measured_one():
    """Issue 15: a KPI with no measure or no baseline costs IND001 as a whole path behind
    and IND002 as moving the wrong way, never less than one measured off track and
    falling; with no KPI at all, every KPI rule costs its whole weight."""
    from rule_helpers import AS_OF, plan_of

    from releve.planner.model import Measure
    from releve.rules.pipeline import check_plan

    base = plan_of()
    assert base.kpi[0].id == "margin" and len(base.kpi) == 7

    def margin(**update) -> tuple[dict[str, float], int]:
        kpis = [base.kpi[0].model_copy(update=update), *base.kpi[1:]]
        s = check_plan(base.model_copy(update={"kpi": kpis}), as_of=AS_OF).score
        return {c.rule: c.grade for c in s.costs}, s.uncapped

    falling, falling_score = margin(history=[Measure(on=AS_OF, value=2.0)])  # 5 → 8
    unmeasured, unmeasured_score = margin(history=[])
    no_baseline, _ = margin(baseline=None)
    seventh = pytest.approx(1 / 7, abs=1e-4)
    for grades in (falling, unmeasured, no_baseline):
        assert (grades["IND001"], grades["IND002"]) == (seventh, seventh), grades
    assert unmeasured_score <= falling_score
    s = check_plan(base.model_copy(update={"kpi": []}), as_of=AS_OF).score
    kpi_rules = {"EXT005", "EXT006", "IND001", "IND002", "IND003", "SCO003"}
    assert {c.rule: c.grade for c in s.costs if c.rule in kpi_rules} == dict.fromkeys(
        kpi_rules, 1.0
    )
    assert s.pillars["indicators"] == 0


def test_an_override_can_set_the_grade_of_an_inherited_rule(write):
    pack = write("firm.toml", '[pack]\nid = "firm"\n[rules.EXT003]\ngrade = "all"\n')
    assert load_pack_set(extra=(pack,)).rule("EXT003").grade.mode == "all"


@pytest.mark.parametrize(
    ("grade_line", "key", "words"),
    [
        ("grade = 3", "grade", 'must be "all" or a table'),
        ('grade = "some"', "grade", 'must be "all" or a table'),
        ("grade = { per = 2 }", "grade.per", "unknown key 'per'"),
        (
            'grade = { among = [{ field = "nope", op = "eq", value = 1 }] }',
            "grade.among[0].field",
            "unknown field 'nope'",
        ),
        ('grade = { field = "name", from = 0, to = 1 }', "grade.field", "must be a measure"),
        ('grade = { field = "ghost", from = 0, to = 1 }', "grade.field", "unknown field"),
        ('grade = { field = "automation", from = 1 }', "grade.to", "needs grade.to"),
        ('grade = { field = "automation" }', "grade.from", 'or grade.missing = "all" alone'),
        ('grade = { field = "ghost", missing = "all" }', "grade.field", "unknown field"),
        ("grade = { from = 1, to = 2 }", "grade.field", "need grade.field"),
        (
            'grade = { field = "automation", from = "$x", to = 0 }',
            "grade.from",
            "unknown parameter '$x'",
        ),
        (
            'grade = { field = "automation", from = "a", to = 0 }',
            "grade.from",
            "must be a finite number",
        ),
        ('grade = { field = "automation", from = 2, to = 2 }', "grade.to", "must differ"),
        ("grade = { out_of = 0 }", "grade.out_of", "whole number ≥ 1"),
        ("grade = { out_of = 1.5 }", "grade.out_of", "whole number ≥ 1"),
        (
            'grade = { out_of = 2, among = [{ field = "critical", op = "eq", value = true }] }',
            "grade.out_of",
            "cannot go together",
        ),
        ('grade = { missing = "some" }', "grade.missing", "must be \"all\", not 'some'"),
        ('grade = { missing = "all", out_of = 2 }', "grade.missing", "cannot go with"),
        (
            'grade = { field = "automation", from = 2, to = 0, missing = "all", '
            'among = [{ field = "critical", op = "eq", value = true }] }',
            "grade.missing",
            "not both",
        ),
    ],
)
def test_a_wrong_grade_is_a_located_error(grade_line, key, words):
    with pytest.raises(PackError) as err:
        rule(grade_line)
    e = err.value
    assert (e.path, e.rule, e.key) == ("firm.toml", "RC101", key), str(e)
    assert words in e.message
    assert e.line == HEAD.count("\n") + 1, str(e)  # the grade line


def test_score_settings_default_and_layer(write):
    ps = load_pack_set()
    assert (ps.score.ready, ps.score.to_secure, ps.score.min_coverage) == (80, 50, 0.6)
    a = write("a.toml", '[pack]\nid = "a"\n[score]\nmin_coverage = 0.5\nready = 85\n')
    b = write("b.toml", '[pack]\nid = "b"\n[score]\nmin_coverage = 0.7\n')
    s = load_pack_set(extra=(a, b)).score
    assert (s.ready, s.to_secure, s.min_coverage) == (85, 50, 0.7)


@pytest.mark.parametrize(
    ("table", "key", "words"),
    [
        ("min_coverage = 1.5", "score.min_coverage", "a share 0..1"),
        ("ready = 0", "score.ready", "1..100"),
        ("ready = 80.5", "score.ready", "whole number"),
        ('to_secure = "50"', "score.to_secure", "0..99"),
        ("cap = 70", "score.cap", "unknown key 'cap'"),
    ],
)
def test_a_wrong_score_table_is_a_located_error(write, table, key, words):
    pack = write("s.toml", f'[pack]\nid = "s"\n\n[score]\n{table}\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    e = err.value
    assert (e.path, e.key, e.line) == (str(pack), key, 5), str(e)
    assert words in e.message


def test_bands_must_be_in_order(write):
    pack = write("s.toml", '[pack]\nid = "s"\n[score]\nto_secure = 80\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert "must be below score.ready (80)" in str(err.value)
    assert str(err.value).startswith(str(pack))
