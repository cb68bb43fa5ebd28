"""rules.packs: layering packs key by key, and every mistake in a pack as a located error."""

from __future__ import annotations

import pytest
from rule_helpers import fired, plan_of

from rules.packs import DEFAULT_PACK, PackError, load_pack_set, load_pack_text
from rules.result import Severity

FIRM = '''
[pack]
id = "relais-conseil"
name = "Relais Conseil"
version = "1.2.0"
extends = ["default"]

[select]
exclude = ["SIG003", "RLV"]

[rules.GOV005]
severity = "error"
params = { max_days = 21 }
message = { fr = "Comité tous les {steering_every_days} jours : trop espacé (max {max_days})" }

[[rule]]
id = "RC101"
name = "manual-critical-process"
title = { en = "A critical process is still run by hand", fr = "Un processus critique reste manuel" }
pillar = "documentation"
severity = "warning"
weight = 2
fact = "process"
when = [
  { field = "critical", op = "eq", value = true },
  { field = "automation", op = "lt", value = "$min_level" },
]
params = { min_level = 2 }
message = { en = "{name} is critical and its automation level is {automation} (< {min_level})", fr = "{name} est critique et manuel" }
fix = { en = "Plan a project that automates {name}", fr = "Automatiser {name}" }
path = "process.automation"
'''


def test_default_pack_loads_every_rule_of_the_contract():
    ps = load_pack_set()
    codes = {r.code for r in ps.rules}
    contract = {
        "GOV001", "GOV002", "GOV003", "GOV004", "GOV005", "GOV006", "GOV007", "SCO001",
        "SCO002", "SCO003", "PLN001", "PLN002", "PLN003", "PLN004", "PLN005", "PLN006",
        "PLN007", "TRF001", "TRF002", "TRF003", "TRF004", "EXT001", "EXT002", "EXT003",
        "EXT004", "EXT005", "EXT006", "SIG001", "SIG002", "SIG003", "RLV001", "RLV002",
        "RLV003",
    }
    assert contract <= codes
    assert ps.ids == ("default",)
    for r in ps.rules:
        for key in ("title", "message", "fix", "rationale"):
            assert set(getattr(r, key)) == {"en", "fr"}, (r.code, key)
        assert r.origin["severity"] == "default"


def test_contract_severities_and_parameters():
    ps = load_pack_set()
    sev = {r.code: r.severity for r in ps.rules}
    assert sev["GOV001"] == Severity.error and sev["GOV004"] == Severity.warning
    assert sev["EXT006"] == Severity.info and sev["SIG003"] == Severity.info
    params = {r.code: r.params for r in ps.rules}
    assert params["GOV005"] == {"max_days": 30}
    assert params["GOV006"] == {"max_days": 15}
    assert params["PLN005"] == {"max_days": 10}
    assert params["EXT001"] == {"max_share": 0.3}
    assert params["EXT003"] == {"min_level": 3}
    assert params["EXT004"] == {"max_share": 0.25}
    assert params["SIG001"] == {"max_days": 42}
    assert params["SIG002"] == {"min_count": 3, "days": 30}
    assert params["SIG003"] == {"days": 45}


def test_firm_pack_layers_over_default(write):
    pack = write("relais.toml", FIRM)
    ps = load_pack_set(extra=(pack,))
    assert ps.ids == ("default", "relais-conseil")
    codes = {r.code for r in ps.rules}
    assert "SIG003" not in codes and not any(c.startswith("RLV") for c in codes)
    assert "RC101" in codes
    gov5 = ps.rule("GOV005")
    assert gov5.severity == Severity.error and gov5.params == {"max_days": 21}
    # Merged key by key: French message replaced, English kept from the default pack.
    assert gov5.message["fr"].startswith("Comité tous les")
    assert gov5.message["en"] == load_pack_set().rule("GOV005").message["en"]
    assert gov5.origin["params.max_days"] == str(pack)
    assert gov5.origin["message.fr"] == str(pack)
    assert gov5.origin["message.en"] == "default"
    assert gov5.origin["weight"] == "default"
    assert ps.rule("RC101").origin["name"] == str(pack)


def test_layered_rules_change_findings(write):
    plan = plan_of('[governance]\nsteering_every_days = 25\n'
                   '[[process]]\nid = "purchasing"\ncritical = true\nowner = "sam"\n'
                   'backup = "kim"\ndocumentation = 3\nautomation = 0\n')
    assert ("GOV005", "governance") not in fired(plan)
    pack = write("relais.toml", FIRM)
    found = fired(plan, extra_packs=(pack,))
    assert ("GOV005", "governance") in found
    assert ("RC101", "process:purchasing") in found


def test_plan_packs_apply_between_default_and_extra(write, tmp_path):
    write("firm/house.toml", '[pack]\nid = "house"\n[rules.GOV005]\nparams = { max_days = 10 }\n')
    write("cli.toml", '[pack]\nid = "cli"\n[rules.GOV005]\nparams = { max_days = 20 }\n')
    plan = plan_of('[rules]\npacks = ["firm/house.toml"]\n')
    plan_path = tmp_path / "plan.toml"
    ps = load_pack_set(plan_path, plan)
    assert ps.ids == ("default", "house") and ps.rule("GOV005").params["max_days"] == 10
    ps = load_pack_set(plan_path, plan, extra=(tmp_path / "cli.toml",))
    assert ps.ids == ("default", "house", "cli")
    assert ps.rule("GOV005").params["max_days"] == 20   # the later pack wins


def test_select_include_switches_a_rule_back_on(write):
    a = write("a.toml", '[pack]\nid = "a"\n[select]\nexclude = ["SIG"]\n')
    b = write("b.toml", '[pack]\nid = "b"\n[select]\ninclude = ["SIG002"]\n')
    ps = load_pack_set(extra=(a, b))
    assert {r.code for r in ps.rules if r.code.startswith("SIG")} == {"SIG002"}
    assert set(ps.excluded) == {"SIG001", "SIG003"}


def test_extends_loads_a_base_pack_relative_to_the_pack(write):
    write("base/common.toml", '[pack]\nid = "common"\n[rules.GOV005]\nweight = 5\n')
    top = write("base/top.toml", '[pack]\nid = "top"\nextends = ["default", "common.toml"]\n')
    ps = load_pack_set(extra=(top,))
    assert ps.ids == ("default", "common", "top")
    assert ps.rule("GOV005").weight == 5


def test_digest_depends_on_the_compiled_rules(write):
    same = write("same.toml", '[pack]\nid = "same"\n')
    other = write("other.toml", '[rules.GOV005]\nparams = { max_days = 3 }\n')
    assert load_pack_set().digest == load_pack_set(extra=(same,)).digest
    assert load_pack_set().digest != load_pack_set(extra=(other,)).digest


def test_pack_edited_on_disk_is_reloaded(write):
    p = write("p.toml", '[rules.GOV005]\nparams = { max_days = 3 }\n')
    assert load_pack_set(extra=(p,)).rule("GOV005").params["max_days"] == 3
    p.write_text('[rules.GOV005]\nparams = { max_days = 44 }\n  \n', encoding="utf-8")
    assert load_pack_set(extra=(p,)).rule("GOV005").params["max_days"] == 44


# --- every mistake is a located error -------------------------------------------------------

RULE_HEAD = '''[[rule]]
id = "RC101"
name = "manual-process"
title = { en = "t", fr = "t" }
message = { en = "m", fr = "m" }
fix = { en = "f", fr = "f" }
pillar = "documentation"
severity = "warning"
fact = "process"
'''

ERRORS = [
    # (id, pack text, line, rule, key, words in the message)
    ("unknown rule", '[pack]\nid = "x"\n\n[rules.GOV999]\nseverity = "error"\n',
     4, "GOV999", "rules.GOV999", "no pack in force defines rule GOV999"),
    ("unknown operator", RULE_HEAD + 'when = [\n  { field = "critical", op = "eq", value = true },'
     '\n  { field = "automation", op = "lte", value = 2 },\n]\n',
     12, "RC101", "when[1].op", "unknown operator 'lte'"),
    ("operator for another type", RULE_HEAD + 'when = [{ field = "name", op = "gt", value = "a" }]\n',
     10, "RC101", "when[0].op", "does not apply to process.name"),
    ("unknown fact kind", RULE_HEAD.replace('"process"', '"proces"') + 'when = []\n',
     9, "RC101", "fact", "unknown fact kind 'proces'"),
    ("unknown field", RULE_HEAD + 'when = [{ field = "automatio", op = "eq", value = 1 }]\n',
     10, "RC101", "when[0].field", "unknown field 'automatio'"),
    ("wrong value type", RULE_HEAD + 'when = [{ field = "automation", op = "eq", value = "2" }]\n',
     10, "RC101", "when[0].value", "must be an integer"),
    ("unknown parameter in a condition",
     RULE_HEAD + 'when = [{ field = "automation", op = "lt", value = "$min" }]\n',
     10, "RC101", "when[0].value", "unknown parameter '$min'"),
    ("unknown parameter in an override", '\n[rules.GOV005]\nparams = { max_dayz = 3 }\n',
     3, "GOV005", "params.max_dayz", "unknown parameter 'max_dayz'"),
    ("parameter of the wrong type", '[rules.GOV005]\nparams = { max_days = "soon" }\n',
     2, "GOV005", "params.max_days", "must be an integer"),
    ("unknown severity", '[rules.GOV005]\n\nseverity = "fatal"\n',
     3, "GOV005", "severity", "unknown severity 'fatal'"),
    ("unknown pillar", '[rules.GOV005]\npillar = "money"\n',
     2, "GOV005", "pillar", "unknown pillar 'money'"),
    ("duplicate code in the pack", RULE_HEAD + "\n" + RULE_HEAD,
     12, "RC101", "id", "duplicate rule code RC101"),
    ("duplicate of a default code", RULE_HEAD.replace("RC101", "GOV001"),
     2, "GOV001", "id", "duplicate rule code GOV001"),
    ("missing French text", RULE_HEAD.replace('fix = { en = "f", fr = "f" }', 'fix = { en = "f" }'),
     6, "RC101", "fix.fr", "missing French text"),
    ("missing English text", '[rules.GOV005]\nmessage = { de = "x" }\n',
     2, "GOV005", "message.de", "unknown language 'de'"),
    ("unknown key in a rule", RULE_HEAD + 'severty = "error"\n',
     10, "RC101", "severty", "unknown key 'severty'"),
    ("unknown key in an override", '[rules.GOV005]\nname = "other"\n',
     2, "GOV005", "name", "never change"),
    ("unknown code in select", '[select]\nexclude = ["GOV005", "XYZ001"]\n',
     2, "XYZ001", "select.exclude", "'XYZ001' names no rule"),
    ("unknown placeholder", RULE_HEAD.replace('message = { en = "m", fr = "m" }',
                                              'message = { en = "{owner}", fr = "{ownr}" }'),
     5, "RC101", "message.fr", "placeholder {ownr}"),
    ("share out of range", '[rules.EXT001]\nparams = { max_share = 30 }\n',
     None, "EXT001", "params.max_share", "between 0 and 1"),
    ("a value with a unary operator", RULE_HEAD + 'when = [{ field = "name", op = "empty", value = 1 }]\n',
     10, "RC101", "when[0].value", "takes no value"),
    ("unknown table", '[pack]\nid = "x"\n[rulez.GOV005]\nweight = 1\n',
     3, None, "rulez", "unknown table 'rulez'"),
    ("unless on the rule's own kind", RULE_HEAD + 'unless = { fact = "process" }\n',
     10, "RC101", "unless.fact", "another kind of fact"),
    ("unless on an unknown kind", RULE_HEAD + 'unless = { fact = "tranfer" }\n',
     10, "RC101", "unless.fact", "unknown fact kind 'tranfer'"),
]


@pytest.mark.parametrize(("text", "line", "rule", "key", "words"),
                         [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_pack_mistake_is_a_located_error(write, text, line, rule, key, words):
    pack = write("firm.toml", text)
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    e = err.value
    assert words in e.message
    assert e.path == str(pack)
    assert e.rule == rule and e.key == key
    if line is not None:
        assert e.line == line, str(e)
    assert e.line is not None and e.column is not None
    # The one-line form the command prints.
    where = f"{pack}:{e.line}:{e.column}: "
    assert str(e).startswith(where)
    if rule:
        assert f"rule {rule}, key {key}: " in str(e)


def test_located_column_points_at_the_key(write):
    pack = write("firm.toml", '[rules.GOV005]\n   severity = "fatal"\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert (err.value.line, err.value.column) == (2, 4)


def test_toml_syntax_error_has_line_and_column(write):
    pack = write("firm.toml", '[pack]\nid = "x"\nname = \n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert err.value.line == 3 and err.value.column is not None
    assert "invalid TOML" in str(err.value)


def test_missing_pack_file(tmp_path):
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(tmp_path / "nope.toml",))
    assert "no such pack file" in str(err.value)


def test_extends_cycle_and_missing_base(write):
    write("a.toml", 'pack = { id = "a", extends = ["b.toml"] }\n')
    b = write("b.toml", 'pack = { id = "b", extends = ["a.toml"] }\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(b,))
    assert "extends itself" in str(err.value)
    c = write("c.toml", '[pack]\nid = "c"\nextends = ["gone.toml"]\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(c,))
    assert err.value.line == 3 and "no pack file 'gone.toml'" in str(err.value)


def test_plan_pack_that_does_not_exist_names_its_path(tmp_path):
    plan = plan_of('[rules]\npacks = ["missing.toml"]\n')
    with pytest.raises(PackError) as err:
        load_pack_set(tmp_path / "plan.toml", plan)
    assert str(tmp_path / "missing.toml") in str(err.value)


def test_default_pack_is_valid_toml_and_text_loader_agrees():
    ps = load_pack_text(DEFAULT_PACK.read_text(encoding="utf-8"), over_default=False)
    assert [r.code for r in ps.rules] == [r.code for r in load_pack_set().rules]
