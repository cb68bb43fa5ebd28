"""Waivers (complete, expired, unused, targeted) and scores (pillars, overall, costs)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rule_helpers import AS_OF, plan_of

from releve.rules.pipeline import check_plan
from releve.rules.result import Finding, Severity
from releve.rules.score import compute_score

CONCENTRATED = "[company]\ntop_customer_share = 0.4\n"


def waiver(
    rule="EXT004", target=None, reason="Framework contract", owner="Chris", expires="2027-12-31"
):
    lines = ["[[waiver]]", f'rule = "{rule}"']
    for k, v in (("target", target), ("reason", reason), ("owner", owner)):
        if v is not None:
            lines.append(f'{k} = "{v}"')
    if expires is not None:
        lines.append(f"expires = {expires}")
    return "\n".join(lines) + "\n"


def check(fragment, as_of=AS_OF):
    return check_plan(plan_of(fragment), as_of=as_of, lang="en")


def by_rule(result):
    return {(f.rule, f.target): f for f in result.findings}


def test_complete_waiver_waives_and_the_finding_is_still_reported():
    r = check(CONCENTRATED + waiver())
    f = by_rule(r)[("EXT004", "company")]
    assert f.waived and f.waiver_reason == "Framework contract" and f.waiver_owner == "Chris"
    assert f.waiver_expires == dt.date(2027, 12, 31)
    assert r.counts()["waived"] == 1 and r.counts()["warning"] == 0
    assert ("RLV002", "waiver:1") not in by_rule(r)


@pytest.mark.parametrize("missing", ["reason", "owner", "expires"])
def test_incomplete_waiver_does_not_waive_and_is_a_finding(missing):
    r = check(CONCENTRATED + waiver(**{missing: None}))
    found = by_rule(r)
    assert not found[("EXT004", "company")].waived
    assert found[("RLV003", "waiver:1")].severity == Severity.warning
    assert missing in found[("RLV003", "waiver:1")].message or missing == "expires"


def test_expired_waiver_no_longer_waives():
    r = check(CONCENTRATED + waiver(expires="2027-02-28"))
    found = by_rule(r)
    assert not found[("EXT004", "company")].waived
    assert ("RLV004", "waiver:1") in found
    assert ("RLV002", "waiver:1") not in found  # expired: reported once, as expired
    # On its last day it still waives, and it is expiring.
    r = check(CONCENTRATED + waiver(expires="2027-03-01"))
    assert by_rule(r)[("EXT004", "company")].waived
    assert ("RLV001", "waiver:1") in by_rule(r)


def test_waiver_expiring_within_30_days():
    assert ("RLV001", "waiver:1") in by_rule(check(CONCENTRATED + waiver(expires="2027-03-31")))
    assert ("RLV001", "waiver:1") not in by_rule(check(CONCENTRATED + waiver(expires="2027-04-01")))


def test_unused_waiver_is_a_finding():
    found = by_rule(check(waiver()))  # nothing for it to waive
    f = found[("RLV002", "waiver:1")]
    assert "EXT004" in f.message and f.row == 0 and f.path == "waiver.rule"


def test_targeted_waiver_covers_only_its_target():
    frag = (
        '[[process]]\nid = "a"\ncritical = true\nowner = "sam"\nbackup = "kim"\n'
        "documentation = 1\n"
        '[[process]]\nid = "b"\ncritical = true\nowner = "sam"\nbackup = "kim"\n'
        "documentation = 1\n"
    )
    found = by_rule(check(frag + waiver("EXT003", target="process:a")))
    assert found[("EXT003", "process:a")].waived
    assert not found[("EXT003", "process:b")].waived
    wrong = by_rule(check(frag + waiver("EXT003", target="process:zzz")))
    assert ("RLV002", "waiver:1") in wrong
    assert not any(f.waived for f in wrong.values())


def test_untargeted_waiver_covers_every_finding_of_its_rule():
    frag = (
        '[[process]]\nid = "a"\ncritical = true\nowner = "sam"\nbackup = "kim"\n'
        '[[process]]\nid = "b"\ncritical = true\nowner = "sam"\nbackup = "kim"\n'
    )
    found = by_rule(check(frag + waiver("EXT003")))
    assert found[("EXT003", "process:a")].waived and found[("EXT003", "process:b")].waived


def test_waived_finding_costs_no_points():
    plain = check(CONCENTRATED)
    waived = check(CONCENTRATED + waiver())
    clean = check("")
    assert plain.score.overall < clean.score.overall == 100
    assert (waived.score.overall, waived.score.pillars) == (
        clean.score.overall,
        clean.score.pillars,
    )
    # ... and readiness as if no waiver applied is the unwaived figure.
    assert waived.score.without_waivers == plain.score.overall


# --- scores -----------------------------------------------------------------------------------


class R:
    def __init__(self, code, pillar, weight, name="n"):
        self.code, self.pillar, self.weight, self.name = code, pillar, weight, name


def finding(code, waived=False):
    return Finding(code, "n", Severity.warning, "p", "t", "m", "f", "x", "p", waived=waived)


def test_score_per_pillar_overall_and_costs():
    rules = [
        R("A1", "documentation", 3),
        R("A2", "documentation", 1),
        R("B1", "team", 2),
        R("C1", "transfer", 2),
        R("Z0", "transfer", 0),
    ]
    s = compute_score(
        rules, [finding("A1"), finding("B1"), finding("B1"), finding("C1", True), finding("Z0")]
    )
    assert s.pillars == {"documentation": 25, "transfer": 100, "team": 0}
    assert s.overall == 38  # (8 - 5) / 8 = 37.5 → 38 (half up)
    assert [(c.rule, c.points) for c in s.costs] == [("A1", 37.5), ("B1", 25.0)]
    assert set(s.pillars) <= {"documentation", "transfer", "team"}


def test_score_without_rules_or_weight_is_not_assessed_never_100():
    # Issue 16: a pack that switches every rule off must not print 100/100.
    assert compute_score([], []).overall is None
    s = compute_score([R("Z0", "team", 0)], [finding("Z0")])
    assert s.overall is None and s.pillars == {} and s.costs == ()
    s = compute_score([R("Z0", "team", 0), R("Z1", "documentation", 2)], [])
    assert s.overall == 100 and s.pillars == {"documentation": 100}


def test_costs_add_up_to_the_points_lost():
    r = check_plan(
        plan_of(
            "[governance]\nsteering_every_days = 45\n" + CONCENTRATED,
            unset=("governance.reporting",),
        ),
        as_of=AS_OF,
    )
    lost = 100 - r.score.framing
    assert abs(sum(c.points for c in r.score.costs if c.figure == "framing") - lost) <= 1
    assert {c.rule for c in r.score.costs} == {"GOV005", "GOV008", "EXT004"}


PILLAR_NAMES = ("documentation", "transfer", "team")


@given(
    rules=st.lists(
        st.tuples(st.sampled_from(PILLAR_NAMES), st.integers(0, 3)), min_size=1, max_size=8
    ),
    failing=st.sets(st.integers(0, 7)),
    extra=st.integers(0, 7),
)
def test_score_is_bounded_and_a_new_finding_never_raises_it(rules, failing, extra):
    rs = [R(f"X{i:03d}", p, w) for i, (p, w) in enumerate(rules)]
    codes = [r.code for r in rs]
    base = [finding(codes[i]) for i in failing if i < len(codes)]
    s1 = compute_score(rs, base)
    s2 = compute_score(rs, [*base, finding(codes[extra % len(codes)])])
    if all(r.weight == 0 for r in rs):
        assert s1.overall is None and s2.overall is None  # nothing weighs: not assessed
        return
    assert s1.overall is not None and s2.overall is not None
    assert 0 <= s2.overall <= s1.overall <= 100
    assert all(s2.pillars[p] <= s1.pillars[p] for p in s1.pillars)
    assert (s1.overall == 100) == all(r.weight == 0 for r in rs if r.code in {f.rule for f in base})
