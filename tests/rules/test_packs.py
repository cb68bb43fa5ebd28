"""rules.packs: layering packs key by key, and every mistake in a pack as a located error."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from rule_helpers import fired, plan_of
from support import DEFAULT_CODES, RC101

from releve.rules.examples import EXAMPLE_BASE
from releve.rules.packs import (
    DEFAULT_PACK,
    PackError,
    load_pack_set,
    load_pack_text,
    pack_files,
)
from releve.rules.result import Severity

FIRM = (
    """
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

"""
    + RC101
    + """message = { en = "{name} is critical and its automation level is {automation} (< {min_level})", fr = "{name} est critique et manuel" }
fix = { en = "Plan a project that automates {name}", fr = "Automatiser {name}" }
path = "process.automation"
"""
)


def test_default_pack_loads_every_rule_of_the_contract():
    ps = load_pack_set()
    codes = {r.code for r in ps.rules}
    contract = DEFAULT_CODES | {"RLV001", "RLV002", "RLV003"}
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
    # Value Builder's guidance: no customer above 15 % (issue #10); all lost at 50 %.
    assert params["EXT004"] == {"max_share": 0.15, "full_share": 0.5}
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
    plan = plan_of(
        "[governance]\nsteering_every_days = 25\n"
        '[[process]]\nid = "purchasing"\ncritical = true\nowner = "sam"\n'
        'backup = "kim"\ndocumentation = 3\nautomation = 0\n'
    )
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
    assert ps.rule("GOV005").params["max_days"] == 20  # the later pack wins


def test_select_include_switches_a_rule_back_on(write):
    a = write("a.toml", '[pack]\nid = "a"\n[select]\nexclude = ["SIG"]\n')
    b = write("b.toml", '[pack]\nid = "b"\n[select]\ninclude = ["SIG002"]\n')
    ps = load_pack_set(extra=(a, b))
    assert {r.code for r in ps.rules if r.code.startswith("SIG")} == {"SIG002"}
    assert set(ps.excluded) == {"SIG001", "SIG003", "SIG004"}


def test_extends_loads_a_base_pack_relative_to_the_pack(write):
    write("base/common.toml", '[pack]\nid = "common"\n[rules.GOV005]\nweight = 5\n')
    top = write("base/top.toml", '[pack]\nid = "top"\nextends = ["default", "common.toml"]\n')
    ps = load_pack_set(extra=(top,))
    assert ps.ids == ("default", "common", "top")
    assert ps.rule("GOV005").weight == 5


def test_digest_depends_on_the_compiled_rules(write):
    same = write("same.toml", '[pack]\nid = "same"\n')
    other = write("other.toml", "[pack]\n[rules.GOV005]\nparams = { max_days = 3 }\n")
    assert load_pack_set().digest == load_pack_set(extra=(same,)).digest
    assert load_pack_set().digest != load_pack_set(extra=(other,)).digest


def test_pack_edited_on_disk_is_reloaded(write):
    p = write("p.toml", "[pack]\n[rules.GOV005]\nparams = { max_days = 3 }\n")
    assert load_pack_set(extra=(p,)).rule("GOV005").params["max_days"] == 3
    p.write_text("[pack]\n[rules.GOV005]\nparams = { max_days = 44 }\n  \n", encoding="utf-8")
    assert load_pack_set(extra=(p,)).rule("GOV005").params["max_days"] == 44


# --- every mistake is a located error -------------------------------------------------------

RULE_HEAD = """[[rule]]
id = "RC101"
name = "manual-process"
title = { en = "t", fr = "t" }
message = { en = "m", fr = "m" }
fix = { en = "f", fr = "f" }
pillar = "documentation"
severity = "warning"
fact = "process"
"""

PACK_HEAD = '[pack]\nid = "firm"\n'

ERRORS = [
    # (id, pack text, line, rule, key, words in the message)
    (
        "unknown rule",
        '[pack]\nid = "x"\n\n[rules.GOV999]\nseverity = "error"\n',
        4,
        "GOV999",
        "rules.GOV999",
        "no pack in force defines rule GOV999",
    ),
    (
        "unknown operator",
        RULE_HEAD + 'when = [\n  { field = "critical", op = "eq", value = true },'
        '\n  { field = "automation", op = "lte", value = 2 },\n]\n',
        12,
        "RC101",
        "when[1].op",
        "unknown operator 'lte'",
    ),
    (
        "operator for another type",
        RULE_HEAD + 'when = [{ field = "name", op = "gt", value = "a" }]\n',
        10,
        "RC101",
        "when[0].op",
        "does not apply to process.name",
    ),
    (
        "unknown fact kind",
        RULE_HEAD.replace('"process"', '"proces"') + "when = []\n",
        9,
        "RC101",
        "fact",
        "unknown fact kind 'proces'",
    ),
    (
        "unknown field",
        RULE_HEAD + 'when = [{ field = "automatio", op = "eq", value = 1 }]\n',
        10,
        "RC101",
        "when[0].field",
        "unknown field 'automatio'",
    ),
    (
        "wrong value type",
        RULE_HEAD + 'when = [{ field = "automation", op = "eq", value = "2" }]\n',
        10,
        "RC101",
        "when[0].value",
        "must be an integer",
    ),
    (
        "unknown parameter in a condition",
        RULE_HEAD + 'when = [{ field = "automation", op = "lt", value = "$min" }]\n',
        10,
        "RC101",
        "when[0].value",
        "unknown parameter '$min'",
    ),
    (
        "unknown parameter in an override",
        "\n[rules.GOV005]\nparams = { max_dayz = 3 }\n",
        3,
        "GOV005",
        "params.max_dayz",
        "unknown parameter 'max_dayz'",
    ),
    (
        "parameter of the wrong type",
        '[rules.GOV005]\nparams = { max_days = "soon" }\n',
        2,
        "GOV005",
        "params.max_days",
        "must be an integer",
    ),
    (
        "unknown severity",
        '[rules.GOV005]\n\nseverity = "fatal"\n',
        3,
        "GOV005",
        "severity",
        "unknown severity 'fatal'",
    ),
    (
        "unknown pillar",
        '[rules.GOV005]\npillar = "money"\n',
        2,
        "GOV005",
        "pillar",
        "unknown pillar 'money'",
    ),
    (
        "duplicate code in the pack",
        RULE_HEAD + "\n" + RULE_HEAD,
        12,
        "RC101",
        "id",
        "duplicate rule code RC101",
    ),
    (
        "duplicate of a default code",
        RULE_HEAD.replace("RC101", "GOV001"),
        2,
        "GOV001",
        "id",
        "duplicate rule code GOV001",
    ),
    (
        "no text in either language",
        RULE_HEAD.replace('title = { en = "t", fr = "t" }', "title = {}"),
        4,
        "RC101",
        "title",
        "needs a text in English or French",
    ),
    (
        "missing English text",
        '[rules.GOV005]\nmessage = { de = "x" }\n',
        2,
        "GOV005",
        "message.de",
        "unknown language 'de'",
    ),
    (
        "unknown key in a rule",
        RULE_HEAD + 'severty = "error"\n',
        10,
        "RC101",
        "severty",
        "unknown key 'severty'",
    ),
    (
        "unknown key in an override",
        '[rules.GOV005]\nname = "other"\n',
        2,
        "GOV005",
        "name",
        "never change",
    ),
    (
        "unknown code in select",
        '[select]\nexclude = ["GOV005", "XYZ001"]\n',
        2,
        "XYZ001",
        "select.exclude",
        "'XYZ001' names no rule",
    ),
    (
        "unknown placeholder",
        RULE_HEAD.replace(
            'message = { en = "m", fr = "m" }', 'message = { en = "{owner}", fr = "{ownr}" }'
        ),
        5,
        "RC101",
        "message.fr",
        "placeholder {ownr}",
    ),
    (
        "share out of range",
        "[rules.EXT001]\nparams = { max_share = 30 }\n",
        None,
        "EXT001",
        "params.max_share",
        "between 0 and 1",
    ),
    (
        "a value with a unary operator",
        RULE_HEAD + 'when = [{ field = "name", op = "empty", value = 1 }]\n',
        10,
        "RC101",
        "when[0].value",
        "takes no value",
    ),
    (
        "unknown table",
        '[pack]\nid = "x"\n[rulez.GOV005]\nweight = 1\n',
        3,
        None,
        "rulez",
        "unknown table 'rulez'",
    ),
    (
        "unless on the rule's own kind",
        RULE_HEAD + 'unless = { fact = "process" }\n',
        10,
        "RC101",
        "unless.fact",
        "another kind of fact",
    ),
    (
        "unless on an unknown kind",
        RULE_HEAD + 'unless = { fact = "tranfer" }\n',
        10,
        "RC101",
        "unless.fact",
        "unknown fact kind 'tranfer'",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "rule", "key", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_pack_mistake_is_a_located_error(write, text, line, rule, key, words):
    if "[pack]" not in text:  # every pack has a [pack] table: two lines more
        text = PACK_HEAD + text
        line = line + 2 if line is not None else None
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
    pack = write("firm.toml", PACK_HEAD + '[rules.GOV005]\n   severity = "fatal"\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert (err.value.line, err.value.column) == (4, 4)


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


def test_plan_pack_that_does_not_exist_is_reported_at_the_plan_line(write, tmp_path):
    from releve.planner.store import load

    write("firm.toml", PACK_HEAD)
    text = (tmp_path / "x").parent.joinpath("plan.toml")
    text.write_text(
        Path(EXAMPLE_BASE)
        .read_text(encoding="utf-8")
        .replace(
            "[mission]",
            '[rules]\npacks = [\n  "firm.toml",\n    "missing.toml",\n]\n\n[mission]',
            1,
        ),
        encoding="utf-8",
    )
    pf = load(text)
    line = pf.text.split("\n").index('    "missing.toml",') + 1
    with pytest.raises(PackError) as err:
        load_pack_set(text, pf.plan)
    e = err.value
    assert (e.path, e.line, e.column) == (str(text), line, 5), str(e)
    assert e.message == f"no such pack file 'missing.toml' (looked in {tmp_path}{os.sep})"
    # Without the plan's file (packs relative to the working folder), the pack's path.
    with pytest.raises(PackError) as err:
        load_pack_set(None, pf.plan)
    assert str(err.value).startswith(f"{Path.cwd() / 'firm.toml'}: no such pack file")


def test_default_pack_is_valid_toml_and_text_loader_agrees():
    # The default pack is a folder; its files put end to end are the same pack as one text.
    text = "\n".join(f.read_text(encoding="utf-8") for f in pack_files(DEFAULT_PACK))
    ps = load_pack_text(text, over_default=False)
    assert [r.code for r in ps.rules] == [r.code for r in load_pack_set().rules]


# --- files that are not packs, and values of the wrong type (QA findings) -------------------


def test_a_pack_that_is_not_utf8_is_located_at_its_first_bad_byte(tmp_path):
    pack = tmp_path / "latin1.toml"
    pack.write_bytes('[pack]\nid = "x"\nname = "Cabinet Hélène"\n'.encode("latin-1"))
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    e = err.value
    assert (e.path, e.line, e.column) == (str(pack), 3, 18), str(e)  # at the é
    assert "not a UTF-8 text file (byte 0xe9" in str(e)
    # A byte-order mark is not an error.
    pack.write_bytes(b"\xef\xbb\xbf" + PACK_HEAD.encode())
    assert "firm" in load_pack_set(extra=(pack,)).ids


def test_a_plan_pack_that_is_not_utf8_is_located_too(tmp_path):
    (tmp_path / "firm.toml").write_bytes(b'[pack]\nid = "firm"\n\xff\n')
    plan = plan_of('[rules]\npacks = ["firm.toml"]\n')
    with pytest.raises(PackError) as err:
        load_pack_set(tmp_path / "plan.toml", plan)
    e = err.value
    assert (e.path, e.line, e.column) == (str(tmp_path / "firm.toml"), 3, 1)


@pytest.mark.parametrize("depth", [51, 400, 1200, 5000])
def test_absurd_nesting_is_a_located_error(write, depth):
    pack = write(
        "deep.toml",
        PACK_HEAD + "[rules.GOV005]\nparams = { max_days = " + "[" * depth + "]" * depth + " }\n",
    )
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    e = err.value
    # The 51st level: `{` at column 10 is the first, the `[`s start at column 23.
    assert (e.line, e.column) == (4, 23 + 49), str(e)
    assert "nested more than 50 deep" in e.message


def test_shallow_nesting_is_judged_on_its_value(write):
    pack = write(
        "deep.toml",
        PACK_HEAD + "[rules.GOV005]\nparams = { max_days = " + "[" * 40 + "]" * 40 + " }\n",
    )
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert err.value.key == "params.max_days" and "must be an integer" in err.value.message


WRONG_TYPES = {
    "array": "[]",
    "table": "{}",
    "table with a key": "{ a = 1 }",
    "boolean": "true",
    "integer": "3",
    "number": "1.5",
    "date": "2027-01-01",
    "array of tables": "[{ b = 2 }]",
    "string": '"x"',
}

#: A pack where every key the loader reads is on a line of its own.
EVERY_KEY = """[pack]
id = "firm"
name = "Firm"
version = "1"
description = "house rules"
extends = ["default"]

[select]
exclude = ["SIG003"]
include = ["SIG003"]

[rules.GOV005]
severity = "error"
weight = 2
pillar = "governance"
path = "governance.steering_every_days"
params = { max_days = 21 }
message = { fr = "Trop espacé ({max_days})" }
rationale = { en = "why", fr = "pourquoi" }

[[rule]]
id = "RC101"
name = "manual-process"
title = { en = "t", fr = "t" }
message = { en = "{name}", fr = "{name}" }
fix = { en = "f", fr = "f" }
rationale = "r"
pillar = "documentation"
severity = "warning"
weight = 1
fact = "process"
when = [{ field = "automation", op = "lt", value = "$min_level" }]
any = [{ field = "critical", op = "eq", value = true }]
unless = { fact = "transfer", when = [{ field = "before_final", op = "eq", value = true }] }
params = { min_level = 2 }
path = "process.automation"

[[rule.example]]
fires = true
target = "process:x"
as_of = 2027-03-01
base = true
unset = ["scope"]
plan = '''
[[process]]
id = "x"
'''
"""

_LINES = EVERY_KEY.split("\n")
#: (line index, key) of every `key = value` line, but the example's plan body.
EVERY_VALUE = [
    (i, ln.split("=")[0].strip())
    for i, ln in enumerate(_LINES)
    if "=" in ln and not ln.startswith((" ", "[")) and i < _LINES.index("plan = '''")
]


def test_the_every_key_pack_itself_loads(write):
    ps = load_pack_set(extra=(write("firm.toml", EVERY_KEY),))
    assert ps.rule("RC101").examples[0].target == "process:x"
    assert ps.rule("GOV005").severity is Severity.error


@pytest.mark.parametrize("kind", sorted(WRONG_TYPES))
@pytest.mark.parametrize(("index", "key"), EVERY_VALUE, ids=[f"{i}:{k}" for i, k in EVERY_VALUE])
def test_any_value_of_any_type_loads_or_is_a_located_error(write, index, key, kind):
    """Every key's type is checked before use: no TypeError, AttributeError, …"""
    lines = list(_LINES)
    lines[index] = f"{key} = {WRONG_TYPES[kind]}"
    pack = write("firm.toml", "\n".join(lines))
    try:
        load_pack_set(extra=(pack,))
    except PackError as err:
        e = err
    else:
        return  # that value is valid there (a string for a string)
    assert e.path == str(pack) and e.line is not None and e.column is not None, str(e)
    assert str(e).startswith(f"{pack}:{e.line}:{e.column}: ")
    assert "True" not in e.message and "False" not in e.message  # TOML says true / false
    if index > _LINES.index("[rules.GOV005]"):
        assert e.key, str(e)
        if key != "id":  # a wrong id is not a rule code to name
            assert e.rule in ("GOV005", "RC101"), str(e)


@pytest.mark.parametrize(
    ("table", "key", "value", "words"),
    [
        (
            "[rules.GOV005]",
            "severity",
            "[]",
            "severity must be a string (error, warning or info), not an array",
        ),
        ("[rules.GOV005]", "severity", '{ level = "error" }', "not a table"),
        ("[rules.GOV005]", "severity", "true", "not a boolean"),
        ("[rules.GOV005]", "fact", "[]", "fact must be a string"),
        ("[rules.GOV005]", "pillar", "{}", "pillar must be a string"),
        ("[[rule]]", "severity", "[]", "severity must be a string"),
        ("[[rule]]", "fact", "[]", "fact must be a string"),
        ("[[rule]]", "name", "3", "name must be a string"),
        ("[[rule]]", "unless", "{ fact = [] }", "unless.fact must be a string"),
    ],
)
def test_a_value_of_the_wrong_type_names_rule_key_and_line(write, table, key, value, words):
    if table == "[[rule]]":
        text = PACK_HEAD + RULE_HEAD.replace(f"\n{key} = ", f"\nold_{key} = ")
        text = text.replace(f"\nold_{key} = ", f"\n{key} = ") if key == "unless" else text
        text = "\n".join(ln for ln in text.split("\n") if not ln.startswith(f"old_{key} "))
        text += f"{key} = {value}\n"
        rule = "RC101"
    else:
        text = PACK_HEAD + f"\n{table}\n{key} = {value}\n"
        rule = "GOV005"
    pack = write("firm.toml", text)
    line = text.split("\n").index(f"{key} = {value}") + 1
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    e = err.value
    column = 12 if key == "unless" else 1  # at `fact` in `unless = { fact = [] }`
    assert (e.line, e.column, e.rule) == (line, column, rule), str(e)
    assert e.key in (key, f"{key}.fact"), str(e)
    assert words in e.message, str(e)


def test_a_sub_table_of_an_override_is_located_at_its_header(write):
    pack = write("q.toml", PACK_HEAD + "\n[rules.GOV005.x]\ny = 1\n")
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    e = err.value
    assert (e.line, e.column, e.rule, e.key) == (4, 15, "GOV005", "x"), str(e)
    assert "unknown key 'x'" in e.message


def test_an_override_written_as_a_key_of_rules_is_located(write):
    pack = write("q.toml", PACK_HEAD + '[rules]\nGOV005 = { severity = "fatal" }\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert (err.value.line, err.value.rule) == (4, "GOV005"), str(err.value)


@pytest.mark.parametrize("text", ["", "\n  \n", "# only a comment\n"])
def test_an_empty_pack_is_an_error(write, text):
    pack = write("empty.toml", text)
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert str(err.value).startswith(f"{pack}:1:1: empty pack")


def test_a_pack_without_a_pack_table_is_an_error(write):
    pack = write("nohead.toml", "[rules.GOV005]\nweight = 2\n")
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert str(err.value) == (
        f"{pack}:1:1: no [pack] table: a pack starts with [pack] (id, name, version)"
    )


def test_pack_key_errors_do_not_repeat_the_key(write):
    pack = write("p.toml", '[pack]\nid = "p"\nextends = ["gone.toml"]\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert str(err.value).count("pack.extends") == 1, str(err.value)
    pack = write("p.toml", '[pack]\nid = "p"\nextends = "default"\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert str(err.value).count("pack.extends") == 1 and err.value.line == 3, str(err.value)


@pytest.mark.parametrize(
    ("condition", "key", "column", "words"),
    [
        (
            '{ field = true, op = "eq", value = 1 }',
            "when[0].field",
            11,
            "must be a string (a field of the fact), not a boolean",
        ),
        (
            '{ field = "automation", op = [], value = 1 }',
            "when[0].op",
            33,
            (
                "must be a string (an operator: eq ne lt le gt ge in not_in missing present empty), "
                "not an array"
            ),
        ),
        (
            '{ op = "eq", value = 1 }',
            "when[0].field",
            1,
            "must be a string (a field of the fact), it is missing",
        ),
    ],
)
def test_a_condition_key_of_the_wrong_type_is_located(write, condition, key, column, words):
    pack = write("firm.toml", PACK_HEAD + RULE_HEAD + f"when = [{condition}]\n")
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    e = err.value
    assert (e.line, e.column, e.rule, e.key) == (12, column, "RC101", key), str(e)
    assert e.message.endswith(words), str(e)


# --- a pack a firm writes from the docs alone (issue 14, part 2) ------------------------------

FRENCH_PACK = Path(__file__).resolve().parent.parent / "data" / "cabinet-relais-fr.toml"


def test_a_french_only_pack_without_fix_loads_and_speaks_english_by_falling_back():
    from releve.rules.pipeline import check_plan

    ps = load_pack_set(extra=(FRENCH_PACK,))
    assert ps.ids == ("default", "cabinet-relais")
    x101 = ps.rule("X101")
    assert x101 is not None and x101.fix == {}
    assert ("title", "en", "fr") in x101.fallbacks()
    plan = plan_of(unset=("scope.internal_counterpart",))
    result = check_plan(plan, as_of=dt.date(2027, 3, 1), pack_set=ps, lang="en")
    found = next(f for f in result.findings if f.rule == "X101")
    assert found.message.startswith("Aucun relais interne")  # French: the pack's language
    assert found.fix == ""  # nothing to print, not a placeholder


@pytest.mark.parametrize("code", ["F401", "X101", "GOV005", "RELAIS101", "RC2A101"])
def test_codes_in_the_style_of_ruff_are_valid(code):
    ps = load_pack_text(PACK_HEAD + RULE_HEAD.replace("RC101", code), over_default=False)
    assert ps.rule(code) is not None


@pytest.mark.parametrize("code", ["X10", "x101", "101", "X101a", "-X101", "X 101"])
def test_codes_that_are_not_capitals_then_three_digits_are_refused(write, code):
    pack = write("firm.toml", PACK_HEAD + RULE_HEAD.replace("RC101", code))
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert "three digits (F401, RC101, GOV005)" in str(err.value)
    assert str(err.value).startswith(f"{pack}:4:")


@pytest.mark.parametrize("pid", ["x<script>alert(1)</script>", "Relais Conseil", "", "9firm"])
def test_a_pack_id_follows_the_rule_name_pattern(write, pid):
    pack = write("firm.toml", f'[pack]\nid = "{pid}"\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    assert str(err.value).startswith(f"{pack}:2:") and "key pack.id" in str(err.value)


def test_a_pack_without_id_takes_its_file_name_only_when_it_is_kebab_case(write):
    assert load_pack_set(extra=(write("relais-conseil.toml", "[pack]\n"),)).ids[-1] == (
        "relais-conseil"
    )
    with pytest.raises(PackError, match="the file name 'Relais_Conseil'"):
        load_pack_set(extra=(write("Relais_Conseil.toml", "[pack]\n"),))


EVERY_MISTAKE = """[pack]
id = "firm"

[rules.GOV005]
severty = "error"
params = { max_dayz = 21 }

[[rule]]
id = "RC101"
name = "Manual"
title = { fr = "t" }
message = { fr = "{nmae}" }
pillar = "documentaton"
severity = "warning"
fact = "process"
when = [{ field = "automaton", op = "lt", value = 2 }]

[[rule]]
id = "RC102"
name = "other"
title = { en = "t" }
message = { en = "m" }
pillar = "team"
severity = "urgent"
fact = "process"

[select]
exclude = [""]
"""


def test_every_mistake_of_a_pack_is_reported_in_one_run_in_file_order(write):
    from releve.rules.packs import PackErrors

    pack = write("firm.toml", EVERY_MISTAKE)
    with pytest.raises(PackErrors) as err:
        load_pack_set(extra=(pack,))
    lines = str(err.value).splitlines()
    expected = [
        (5, "rule GOV005, key severty: unknown key 'severty' (did you mean 'severity'?)"),
        (6, "rule GOV005, key params.max_dayz: unknown parameter 'max_dayz' (did you mean"),
        (10, "rule RC101, key name: name 'Manual' must be kebab-case"),
        (12, "rule RC101, key message.fr: placeholder {nmae} is neither"),
        (13, "rule RC101, key pillar: unknown pillar 'documentaton' (did you mean"),
        (16, "rule RC101, key when[0].field: unknown field 'automaton' of fact kind"),
        (24, "rule RC102, key severity: unknown severity 'urgent'"),
        (28, "key select.exclude: an empty code or prefix would match every rule"),
    ]
    assert len(lines) == len(expected), lines
    for line, (n, words) in zip(lines, expected, strict=True):
        assert re.match(rf"^{re.escape(str(pack))}:{n}:\d+: ", line), line
        assert words in line, line


def test_a_prefix_that_matches_every_rule_is_refused(write):
    only_x = RULE_HEAD.replace("RC101", "X101") + RULE_HEAD.replace("RC101", "X102")
    with pytest.raises(PackError, match="matches every rule"):
        load_pack_text(PACK_HEAD + only_x + '[select]\nexclude = ["X"]\n', over_default=False)
    # Naming each rule by code stays possible: the pack says exactly what it switches off.
    ps = load_pack_text(PACK_HEAD + only_x + '[select]\nexclude = ["X101"]\n', over_default=False)
    assert [r.code for r in ps.rules] == ["X102"]


def test_what_a_pack_changes_in_the_default_pack_is_listed_with_the_pack():
    ps = load_pack_set(extra=(FRENCH_PACK,))
    got = {(c.rule, c.what, c.before, c.after, c.pack, c.weakens) for c in ps.changes}
    assert got == {
        ("SIG003", "excluded", True, False, "cabinet-relais", True),
        ("GOV005", "params.max_days", 30, 21, "cabinet-relais", False),
    }
    ran = ps.what_ran()
    assert ran.default_in_force == ran.default_rules - 1
    assert set(ran.added) == {"X101", "RELAIS101"}
    assert [len(p.digest) for p in ran.packs] == [64, 64]


# --- the compiled packs cached on disk (issue 14, part 1) --------------------------------------


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "packs").glob("*.entry")) if (folder / "packs").exists() else []


def _fresh(*extra):
    from releve.rules import packs

    packs._CACHE.clear()
    return load_pack_set(extra=extra)


def test_a_loaded_pack_set_is_cached_by_content_and_read_back_equal(pack_cache, write):
    base = write("base.toml", '[pack]\nid = "base"\n[rules.GOV005]\nseverity = "error"\n')
    firm = write("firm.toml", '[pack]\nid = "firm"\nextends = ["base.toml"]\n')
    first = _fresh(firm)
    assert len(_entries(pack_cache)) == 2  # the default pack alone (for what changed), and this
    second = _fresh(firm)
    assert second == first and second.digest == first.digest
    assert second.changes == first.changes and second.packs == first.packs
    # The file it extends changes: the entry is not served stale.
    base.write_text('[pack]\nid = "base"\n[rules.GOV005]\nseverity = "info"\n')
    assert _fresh(firm).rule("GOV005").severity == Severity.info


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: b"\x00garbage",
        lambda t: t[: len(t) // 2],
        lambda t: t.replace(b'"severity": {"$sev": "error"}', b'"severity": {"$sev": "info"}', 1),
        lambda t: t.replace(b'"sha256": "', b'"sha256": "0', 1),
        lambda t: b'{"sha256": "x", "read": []}\n{}',
        lambda t: (
            b'{"sha256": "' + hashlib.sha256(b"{}").hexdigest().encode() + b'", "read": []}\n{}'
        ),
    ],
    ids=["garbage", "truncated", "tampered", "bad digest", "wrong shape", "not a pack set"],
)
def test_a_corrupt_or_tampered_entry_is_rebuilt_never_trusted(pack_cache, damage):
    want = _fresh()
    (entry,) = _entries(pack_cache)
    good = entry.read_bytes()
    bad = damage(good)
    assert bad != good
    entry.write_bytes(bad)
    assert _fresh() == want
    # The entry was written again, whole and consistent.
    head, _, body = entry.read_bytes().partition(b"\n")
    assert hashlib.sha256(body).hexdigest() == json.loads(head)["sha256"]
    assert b'"$dc": "PackSet"' in body
    assert _fresh() == want


def test_the_cache_switched_off_writes_nothing(tmp_path, monkeypatch):
    from releve.rules import packs

    monkeypatch.setenv("RELEVE_CACHE_DIR", "off")
    monkeypatch.setattr(packs, "_CACHE", {})
    assert load_pack_set().rules
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_processes_writing_the_cache_at_once_all_load_the_same_pack_set(pack_cache, write):
    import subprocess
    import sys

    firm = write("firm.toml", '[pack]\nid = "firm"\n[select]\nexclude = ["SIG003"]\n')
    code = (
        "from releve.rules.packs import load_pack_set\n"
        f"ps = load_pack_set(extra=({str(firm)!r},))\n"
        "print(ps.digest, len(ps.rules), ps.excluded)\n"
    )
    env = {**os.environ, "RELEVE_CACHE_DIR": str(pack_cache)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 1 and "SIG003" in outs[0]
    assert not list((pack_cache / "packs").glob(".*.tmp"))  # no half-written file left
    assert _fresh(firm).excluded == ("SIG003",)


def test_a_cache_hit_reads_each_pack_file_once(pack_cache, monkeypatch):
    """The cache key and the hit's check of the files it read share one digest per file."""
    from releve.rules import packs
    from releve.rules.packs import files as pack_files_module

    want = _fresh()  # fills the cache
    reads: list[str] = []
    real = pack_files_module.read_pack_bytes

    def counted(path, shown):
        reads.append(str(path))
        return real(path, shown)

    monkeypatch.setattr(packs, "read_pack_bytes", counted)
    assert _fresh() == want
    assert reads and len(reads) == len(set(reads))
