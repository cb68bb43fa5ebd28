"""Every rule of the default pack fires on a plan made to break it and stays silent on one
that satisfies it: the plans are the rules' own examples, run as `releve rules test` does."""

from __future__ import annotations

import pytest
from rule_helpers import AS_OF, fired, plan_of

from releve.rules.examples import run_examples
from releve.rules.packs import load_pack_set

RULES = load_pack_set().rules


def test_the_example_base_plan_breaks_no_default_rule():
    # With rule_helpers.BASE_FILL: the two shares the base does not give yet.
    assert fired(plan_of(), as_of=AS_OF) == set()


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_has_an_example_that_fires_and_one_that_does_not(rule):
    assert any(e.fires for e in rule.examples), rule.code
    assert any(not e.fires for e in rule.examples), rule.code


RESULTS = run_examples("default")


@pytest.mark.parametrize(
    "result",
    RESULTS,
    ids=[f"{r.rule}-{r.index}-{'fires' if r.example.fires else 'silent'}" for r in RESULTS],
)
def test_default_rule_example(result):
    assert result.passed, f"{result.where}: {result.rule}: {result.detail}"


def test_breaking_examples_break_only_what_they_mean_to():
    # A fires-example must not set off half the pack: at most a few rules besides its own.
    for rule in RULES:
        for ex in rule.examples:
            if not ex.fires:
                continue
            from releve.rules.examples import example_plan

            others = {code for code, _ in fired(example_plan(ex), as_of=ex.as_of or AS_OF)}
            others.discard(rule.code)
            # Evidence rules (weight 0) list what a fragment leaves out: not counted.
            others = {code for code in others if not code.startswith("EVD")}
            assert len(others) <= 3, (rule.code, sorted(others))


FIRM_PACK = '''
[pack]
id = "firm"

[rules.GOV005]
params = { max_days = 21 }

[[rules.GOV005.example]]
fires = true
plan = """
[governance]
steering_every_days = 25
"""

[[rule]]
id = "RC101"
name = "manual-critical-process"
title = { en = "A critical process is still run by hand", fr = "Un processus critique reste manuel" }
pillar = "documentation"
severity = "warning"
fact = "process"
when = [
  { field = "critical", op = "eq", value = true },
  { field = "automation", op = "lt", value = 2 },
]
message = { en = "{name} is manual", fr = "{name} est manuel" }
fix = { en = "Automate {name}", fr = "Automatiser {name}" }

[[rule.example]]
fires = true
target = "process:purchasing"

[[rule.example]]
fires = false
plan = """
[[process]]
id = "purchasing"
critical = true
automation = 2
"""

[[rule.example]]
fires = false
'''


def test_run_examples_of_a_firm_pack_reports_each_outcome(write):
    pack = write("firm.toml", FIRM_PACK)
    results = run_examples(pack)
    # Only the rules whose examples the pack sets: RC101 and the changed GOV005.
    assert [(r.rule, r.index, r.passed) for r in results] == [
        ("GOV005", 0, True),
        ("RC101", 0, True),
        ("RC101", 1, True),
        ("RC101", 2, False),
    ]
    bad = results[-1]
    assert "fires on process:purchasing" in bad.detail
    assert bad.where == f"{pack}:{bad.example.line}"
    assert pack.read_text().splitlines()[bad.example.line - 1] == "[[rule.example]]"


def test_example_whose_plan_does_not_load_fails_with_the_reason(write):
    pack = write("firm.toml", FIRM_PACK.replace('automation = 2\n"""', 'automation = 9\n"""'))
    r = run_examples(pack)[2]
    assert not r.passed and "does not load" in r.detail and "automation" in r.detail
