"""`releve rules list|explain|facts|test` end to end, as a firm's partner uses them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from support import AS_OF, DEFAULT_CODES, SAMPLES, firm_pack_text

from releve.tui.cli import main

DURAND = str(SAMPLES / "atelier-durand.toml")

FIRM_PACK = firm_pack_text('[rules.EXT001]\nseverity = "warning"\nparams = { max_share = 0.5 }\n')


def billing_example(automation: int, fires: str) -> str:
    """A `[[rule.example]]` of RC101: the critical billing process at this automation level."""
    process = (
        '[[process]]\nid = "billing"\nname = "Billing"\ncritical = true\nowner = "sam"\n'
        f'backup = "fay"\ndocumentation = 4\nautomation = {automation}\n'
    )
    return f"\n[[rule.example]]\nplan = '''\n{process}'''\nfires = {fires}\n"


#: Two examples of RC101: manual billing fires; automated billing fires if `{second}` says so.
EXAMPLES = billing_example(0, "true") + billing_example(3, "{second}")


def rules(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["rules", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def firm_pack(write) -> Path:
    p = write("firm.toml", FIRM_PACK)
    return p


# --- list -----------------------------------------------------------------------------------


def test_list_shows_every_default_rule_with_its_severity(capsys) -> None:
    code, out, err = rules(capsys, "list")
    assert code == 0 and err == ""
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^([A-Z]{3}\d{3})\s+(error|warning|info)\s", out, re.MULTILINE)
    }
    assert set(rows) >= DEFAULT_CODES
    assert rows["GOV001"] == "error" and rows["GOV004"] == "warning" and rows["EXT006"] == "info"
    assert out.rstrip().splitlines()[-1].endswith("rules in force from packs: default")


def test_list_json_with_a_firm_pack(capsys, firm_pack: Path) -> None:
    code, out, _ = rules(capsys, "list", "--pack", str(firm_pack), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [p["id"] for p in data["packs"]] == ["default", "firm"]
    assert data["excluded"] == ["SIG003"]
    by_code = {r["code"]: r for r in data["rules"]}
    assert "SIG003" not in by_code
    assert by_code["RC101"]["pack"] == "firm" and by_code["GOV001"]["pack"] == "default"
    assert by_code["EXT001"]["severity"] == "warning"
    assert by_code["EXT001"]["params"]["max_share"] == 0.5
    assert by_code["EXT001"]["origin"]["params.max_share"] == "firm"
    assert by_code["EXT001"]["origin"]["name"] == "default"
    assert [r["code"] for r in data["rules"]] == sorted(by_code)


def test_list_with_a_plan_adds_the_packs_the_plan_names(capsys, tmp_path: Path) -> None:
    (tmp_path / "firm.toml").write_text(FIRM_PACK, encoding="utf-8")
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'format = 1\n[mission]\nid = "p"\nstart = 2027-01-04\n[rules]\npacks = ["firm.toml"]\n',
        encoding="utf-8",
    )
    _, out, _ = rules(capsys, "list", "--plan", str(plan), "--format", "json")
    data = json.loads(out)
    assert [p["id"] for p in data["packs"]] == ["default", "firm"]
    assert "RC101" in {r["code"] for r in data["rules"]}
    _, out, _ = rules(capsys, "list", "--format", "json")
    assert "RC101" not in {r["code"] for r in json.loads(out)["rules"]}


def test_list_in_french(capsys, firm_pack: Path) -> None:
    _, out, _ = rules(capsys, "list", "--pack", str(firm_pack), "--lang", "fr")
    assert "Un processus critique reste manuel" in out


def test_a_broken_pack_is_one_located_line(write, capsys) -> None:
    bad = write("bad.toml", FIRM_PACK.replace('op = "lt"', 'op = "lower"'))
    code, out, err = rules(capsys, "list", "--pack", str(bad))
    assert code == 2 and out == ""
    assert re.match(rf"^{re.escape(str(bad))}:\d+:\d+: rule RC101, key when", err)
    assert len(err.strip().splitlines()) == 1


# --- explain ----------------------------------------------------------------------------------


def test_explain_has_the_ruff_rule_shape(capsys) -> None:
    code, out, _ = rules(capsys, "explain", "EXT001")
    assert code == 0
    assert out.startswith("# excessive-founder-dependence (EXT001)\n")
    heads = [
        out.index(h)
        for h in (
            "## What it checks",
            "## Why it matters",
            "## How to fix",
            "## Parameters",
            "## Where each value comes from",
        )
    ]
    assert heads == sorted(heads)
    assert "`metrics` fact" in out
    assert "founder_critical_share_min4 > 0.3  (parameter max_share)" in out
    assert "- max_share = 0.3  (set by default)" in out
    assert "severity error (set by default)" in out


def test_explain_says_which_pack_set_each_value(capsys, firm_pack: Path) -> None:
    code, out, _ = rules(capsys, "explain", "EXT001", "--pack", str(firm_pack))
    assert code == 0
    assert f"- max_share = 0.5  (set by firm ({firm_pack}))" in out
    assert f"severity warning (set by firm ({firm_pack}))" in out
    assert "founder_critical_share_min4 > 0.5" in out
    code, out, _ = rules(
        capsys, "explain", "manual-critical-process", "--pack", str(firm_pack), "--lang", "fr"
    )
    assert out.startswith("# manual-critical-process (RC101)")
    assert "Un processus critique reste manuel." in out
    assert "## Comment corriger" in out and "Automatiser {name}" in out
    assert f"- min_level = 2  (fixé par firm ({firm_pack}))" in out


def test_explain_json(capsys) -> None:
    _, out, _ = rules(capsys, "explain", "GOV005", "--format", "json")
    data = json.loads(out)
    assert data["code"] == "GOV005" and data["params"] == {"max_days": 30}
    assert data["title"]["en"] and data["title"]["fr"]


def test_explain_an_unknown_code_suggests_close_ones(capsys, firm_pack: Path) -> None:
    code, out, err = rules(capsys, "explain", "EXT01")
    assert code == 2 and out == ""
    assert err.startswith("releve rules explain: unknown rule 'EXT01' (did you mean EXT0")
    assert "EXT001" in err
    assert len(err.splitlines()) == 1
    code, _, err = rules(capsys, "explain", "SIG003", "--pack", str(firm_pack))
    assert code == 2 and "switched off" in err


# --- facts ------------------------------------------------------------------------------------


def test_facts_json_has_every_kind_and_uses_the_check_date(capsys) -> None:
    code, out, _ = rules(capsys, "facts", DURAND, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2027-03-01"
    kinds = {f["fact"] for f in data["facts"]}
    assert {
        "mission",
        "company",
        "exit",
        "coo",
        "scope",
        "governance",
        "process",
        "phase",
        "person",
        "schedule",
        "metrics",
    } <= kinds
    purchasing = next(f for f in data["facts"] if f["fact_id"] == "process:purchasing")
    assert purchasing["owned_by_founder"] is True
    later = json.loads(
        rules(capsys, "facts", DURAND, "--as-of", "2027-04-01", "--format", "json")[1]
    )
    m1 = next(f for f in data["facts"] if f["fact"] == "mission")
    m2 = next(f for f in later["facts"] if f["fact"] == "mission")
    assert m2["days_since_start"] - m1["days_since_start"] == 31


def test_facts_text_marks_derived_fields(capsys) -> None:
    code, out, _ = rules(capsys, "facts", DURAND, "--as-of", AS_OF.isoformat())
    assert code == 0
    assert re.search(r"^process:purchasing  \(process, row \d+\)$", out, re.MULTILINE)
    assert re.search(r"^  owned_by_founder\s+= true  \(derived\)$", out, re.MULTILINE)
    assert re.search(r'^  name\s+= "Achats', out, re.MULTILINE)


def test_facts_of_a_broken_plan_is_one_located_line(write, capsys) -> None:
    bad = write("bad.toml", 'format = 1\n[mission]\nid = "x"\nstart = "soon"\n')
    code, out, err = rules(capsys, "facts", str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"{bad}:4:") and len(err.strip().splitlines()) == 1


# --- test ---------------------------------------------------------------------------------------


def test_rules_test_passes_good_examples(write, capsys) -> None:
    pack = write("firm.toml", FIRM_PACK + EXAMPLES.replace("{second}", "false"))
    code, out, _ = rules(capsys, "test", str(pack))
    lines = [ln for ln in out.splitlines() if "RC101" in ln]
    assert lines == ["pass  RC101 example 1 (fires)", "pass  RC101 example 2 (does not fire)"]
    assert out.rstrip().splitlines()[-1].endswith(" failed")
    assert code == 0


def test_rules_test_fails_a_wrong_example_and_exits_1(write, capsys) -> None:
    pack = write("firm.toml", FIRM_PACK + EXAMPLES.replace("{second}", "true"))
    code, out, _ = rules(capsys, "test", str(pack), "--format", "text")
    assert code == 1
    assert "pass  RC101 example 1 (fires)" in out
    assert "FAIL  RC101 example 2 (fires)" in out
    assert re.search(r"^\d+ passed, 1 failed$", out, re.MULTILINE)
    code, out, _ = rules(capsys, "test", str(pack), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["failed"] == 1
    assert [e["passed"] for e in data["examples"] if e["rule"] == "RC101"] == [True, False]


def test_rules_test_of_one_rule_and_of_a_pack_without_examples(
    capsys, tmp_path: Path, firm_pack: Path
) -> None:
    code, out, _ = rules(capsys, "test", "default", "--rule", "gov001")
    assert code == 0
    ran = [ln.split()[1] for ln in out.splitlines() if ln.startswith(("pass", "FAIL"))]
    assert ran and set(ran) == {"GOV001"}
    code, out, _ = rules(capsys, "test", str(firm_pack))
    assert code == 0 and "no example to run" in out and out.rstrip().endswith("0 passed, 0 failed")


def test_rules_test_of_an_unreadable_pack_exits_2(capsys, tmp_path: Path) -> None:
    code, _, err = rules(capsys, "test", str(tmp_path / "nope.toml"))
    assert code == 2 and "nope.toml" in err


def test_the_default_packs_examples_pass(capsys) -> None:
    code, out, _ = rules(capsys, "test", "default")
    assert code == 0, out
    assert "FAIL" not in out


def test_as_of_is_required_to_be_a_date(capsys) -> None:
    code, _, err = rules(capsys, "facts", DURAND, "--as-of", "tomorrow")
    assert code == 2 and "tomorrow" in err and len(err.strip().splitlines()) == 1


# --- QA findings: unknown rules, broken packs named by a plan ---------------------------------


def test_explain_an_unknown_code_names_the_command(capsys) -> None:
    code, out, err = rules(capsys, "explain", "NOPE99")
    assert (code, out) == (2, "")
    assert err == "releve rules explain: unknown rule 'NOPE99' (see `releve rules list`)\n"


def test_rules_test_of_an_unknown_rule_exits_2(capsys, firm_pack: Path) -> None:
    """A typo in --rule must not turn a CI job green by testing nothing."""
    code, out, err = rules(capsys, "test", "default", "--rule", "GOV01")
    assert (code, out) == (2, "")
    assert err.startswith("releve rules test: unknown rule 'GOV01' (did you mean GOV001")
    assert len(err.splitlines()) == 1
    code, out, err = rules(capsys, "test", str(firm_pack), "--rule", "NOPE")
    assert (code, out) == (2, "") and err.startswith("releve rules test: unknown rule 'NOPE'")
    code, out, err = rules(capsys, "test", str(firm_pack), "--rule", "SIG003")
    assert (code, out) == (2, "") and "switched off" in err and len(err.splitlines()) == 1


def test_rules_test_of_a_rule_without_examples_in_the_pack_exits_2(capsys, firm_pack: Path) -> None:
    # RC101 is the firm pack's own rule, with no example; GOV001's are the default pack's.
    for code_ in ("RC101", "GOV001"):
        code, out, err = rules(capsys, "test", str(firm_pack), "--rule", code_)
        assert (code, out) == (2, ""), err
        assert err == (
            f"releve rules test: rule {code_} has no examples in {firm_pack} (a "
            "rule's examples are [[rule.example]] tables in the pack that defines "
            "or changes it)\n"
        )
    # Asked by name, a rule with examples runs.
    pack = firm_pack.with_name("tested.toml")
    pack.write_text(FIRM_PACK + EXAMPLES.replace("{second}", "false"), encoding="utf-8")
    code, out, _ = rules(capsys, "test", str(pack), "--rule", "manual-critical-process")
    assert code == 0 and out.rstrip().endswith("2 passed, 0 failed")


def _plan_naming(tmp_path: Path, packs: str) -> Path:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        f'format = 1\n[mission]\nid = "p"\nstart = 2027-01-04\n\n[rules]\npacks = {packs}\n',
        encoding="utf-8",
    )
    return plan


@pytest.mark.parametrize("action", [["list"], ["explain", "GOV001"]])
def test_a_plan_pack_that_is_not_utf8_is_one_located_line(
    capsys, tmp_path: Path, action: list[str]
) -> None:
    (tmp_path / "firm.toml").write_bytes(
        FIRM_PACK.replace("critique", "crïtique").encode("latin-1")
    )
    plan = _plan_naming(tmp_path, '["firm.toml"]')
    code, out, err = rules(capsys, *action, "--plan", str(plan))
    assert (code, out) == (2, "")
    line = next(i for i, ln in enumerate(FIRM_PACK.splitlines(), 1) if "critique" in ln)
    col = FIRM_PACK.splitlines()[line - 1].index("critique") + 3  # at the ï
    assert err == (
        f"{tmp_path / 'firm.toml'}:{line}:{col}: not a UTF-8 text file (byte 0xef "
        "cannot be read); a pack is a TOML text file saved as UTF-8\n"
    )


def test_a_missing_plan_pack_is_reported_at_the_plan_line(capsys, tmp_path: Path) -> None:
    plan = _plan_naming(tmp_path, '["firm.toml"]')
    code, out, err = rules(capsys, "list", "--plan", str(plan))
    assert (code, out) == (2, "")
    assert err == (f"{plan}:7:10: no such pack file 'firm.toml' (looked in {tmp_path}{os.sep})\n")


def test_a_deeply_nested_pack_is_one_located_line(capsys, tmp_path: Path) -> None:
    pack = tmp_path / "deep.toml"
    pack.write_text(
        FIRM_PACK.replace("weight = 2", "weight = " + "[" * 3000 + "]" * 3000), encoding="utf-8"
    )
    code, out, err = rules(capsys, "test", str(pack))
    line = next(i for i, ln in enumerate(FIRM_PACK.splitlines(), 1) if ln == "weight = 2")
    assert (code, out) == (2, "")
    assert err == f"{pack}:{line}:60: arrays or tables nested more than 50 deep\n"


# --- rules test lints the pack first (issue 14, part 2) ---------------------------------------

LINT_ME = """[pack]
id = "lint-me"

[[rule]]
id = "X101"
name = "never"
title = { fr = "Jamais" }
message = { fr = "jamais {name}" }
pillar = "documentation"
severity = "warning"
fact = "process"
when = [
  { field = "automation", op = "gt", value = 3 },
  { field = "automation", op = "lt", value = "$seuil" },
]
params = { seuil = 2, oublie = 5 }

[[rule]]
id = "X102"
name = "silent"
title = { en = "Silent", fr = "Silencieux" }
message = { en = "m", fr = "m" }
pillar = "team"
severity = "info"
fact = "process"
when = [
  { field = "critical", op = "eq", value = true },
  { field = "automation", op = "eq", value = 4 },
]
"""


def test_rules_test_lints_unused_parameters_dead_rules_and_fallback_texts(write, capsys):
    pack = write("lint-me.toml", LINT_ME)
    code, out, err = rules(capsys, "test", str(pack))
    assert code == 0 and err == ""
    lint = [line.removeprefix("lint  ") for line in out.splitlines() if line.startswith("lint  ")]
    assert lint == [
        f"{pack}:7:1: rule X101, key title.en: no English title: shown in French when the "
        "output is English",
        f"{pack}:8:1: rule X101, key message.en: no English message: shown in French when the "
        "output is English",
        f"{pack}:12:1: rule X101, key when: the rule can never fire: no value of 'automation' "
        "is > 3 and < 2",
        f"{pack}:16:23: rule X101, key params.oublie: parameter 'oublie' is never used (no "
        "condition or text refers to $oublie)",
        f"{pack}:26:1: rule X102, key when: fires neither on the example plan "
        "(rules/example_base.toml) nor on any of its 0 example(s): give it an example where "
        "it fires, or check its conditions",
    ]
    code, out, _ = rules(capsys, "test", str(pack), "--format", "json")
    data = json.loads(out)
    assert [(n["rule"], n["key"]) for n in data["lint"]][2:4] == [
        ("X101", "when"),
        ("X101", "params.oublie"),
    ]


def test_rules_test_of_the_default_pack_has_nothing_to_lint(capsys):
    code, out, _ = rules(capsys, "test", "default")
    assert code == 0 and not any(line.startswith("lint") for line in out.splitlines())


def test_rules_test_reports_every_load_error_of_a_pack_at_once(capsys, tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text(
        LINT_ME.replace('severity = "warning"', 'severty = "warning"').replace(
            'pillar = "team"', 'pillar = "teem"'
        ),
        encoding="utf-8",
    )
    code, out, err = rules(capsys, "test", str(pack))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{pack}:5:1: rule X101, key severity: missing required key 'severity'",
        f"{pack}:10:1: rule X101, key severty: unknown key 'severty' (did you mean 'severity'?)",
        f"{pack}:23:1: rule X102, key pillar: unknown pillar 'teem' (did you mean 'team'?) "
        "(expected one of: founder_dependence, documentation, team, customers, indicators, "
        "transfer, governance, planning)",
    ]
