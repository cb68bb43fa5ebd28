"""A pack may be a folder: pack.toml holds [pack], the other .toml files its rules."""

from __future__ import annotations

import json
import os

import pytest
from rule_helpers import fired, plan_of

from releve.rules.examples import run_examples
from releve.rules.packs import DEFAULT_PACK, PackError, load_pack_set, pack_files
from releve.rules.result import PILLARS
from releve.tui.cli import main

RULE = """[[rule]]
id = "RC101"
name = "manual-process"
title = {{ en = "Manual", fr = "Manuel" }}
message = {{ en = "{{name}} is manual", fr = "{{name}} est manuel" }}
fix = {{ en = "Automate it", fr = "L'automatiser" }}
pillar = "documentation"
severity = "warning"
weight = 2
fact = "process"
when = [{{ field = "automation", op = "lt", value = {level} }}]
path = "process.automation"
"""

PROCESS = (
    '[[process]]\nid = "purchasing"\ncritical = true\nowner = "sam"\n'
    'backup = "kim"\ndocumentation = 3\nautomation = 0\n'
)


def test_default_pack_is_a_folder_with_one_file_per_pillar():
    assert DEFAULT_PACK.is_dir()
    files = pack_files(DEFAULT_PACK)
    assert files[0].name == "pack.toml"
    ps = load_pack_set()
    pillars = {r.pillar for r in ps.rules}
    # Each rule lives in the file named after its pillar, but rules of a theme that spans
    # pillars: the evidence rules (EVD, issue 15: what readiness needs to know) in
    # evidence.toml, the mission log's (LOG) in log.toml.
    themes = {"EVD": "evidence", "LOG": "log"}
    for rule in ps.rules:
        origin = rule.examples[0].file if rule.examples else None
        if origin is not None:
            home = themes.get(rule.code[:3], rule.pillar)
            assert os.path.basename(origin) == f"{home}.toml", rule.code
    stems = {f.stem for f in files[1:]}
    assert pillars - {"evidence", "log"} <= stems <= pillars | set(themes.values())
    assert pillars <= set(PILLARS)


def test_a_folder_pack_layers_like_a_file(write, tmp_path):
    write("firm/pack.toml", '[pack]\nid = "firm"\nname = "Firm"\n')
    write("firm/documentation.toml", RULE.format(level=2))
    write("firm/governance.toml", "[rules.GOV005]\nparams = { max_days = 10 }\n")
    write("firm/notes.txt", "not a pack file")
    ps = load_pack_set(extra=(tmp_path / "firm",))
    assert ps.ids == ("default", "firm")
    assert ps.rule("GOV005").params["max_days"] == 10
    assert ps.rule("RC101").origin["name"] == str(tmp_path / "firm")
    assert ("RC101", "process:purchasing") in fired(plan_of(PROCESS), pack_set=ps)


def test_the_id_of_a_folder_pack_defaults_to_the_folder_name(write, tmp_path):
    write("house/pack.toml", '[pack]\nname = "House"\n')
    assert load_pack_set(extra=(tmp_path / "house",)).ids == ("default", "house")


def test_a_folder_without_pack_toml_is_a_clear_error(write, tmp_path):
    write("firm/rules.toml", RULE.format(level=2))
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(tmp_path / "firm",))
    assert str(err.value).startswith(f"{tmp_path / 'firm'}: a folder pack needs a pack.toml")


def test_a_pack_table_outside_pack_toml_is_located_in_its_file(write, tmp_path):
    write("firm/pack.toml", '[pack]\nid = "firm"\n')
    bad = write("firm/team.toml", '# team rules\n[pack]\nid = "other"\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(tmp_path / "firm",))
    assert str(err.value).startswith(f"{bad}:2:")
    assert "pack.toml" in str(err.value)


def test_a_mistake_in_a_rules_file_names_that_file_and_line(write, tmp_path):
    write("firm/pack.toml", '[pack]\nid = "firm"\n')
    bad = write("firm/documentation.toml", "\n" + RULE.format(level='"two"'))
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(tmp_path / "firm",))
    e = err.value
    assert e.path == str(bad) and e.rule == "RC101" and e.line is not None and e.line > 1


def test_an_edited_file_of_a_folder_pack_is_reloaded(write, tmp_path):
    write("firm/pack.toml", '[pack]\nid = "firm"\n')
    part = write("firm/gov.toml", "[rules.GOV005]\nparams = { max_days = 10 }\n")
    folder = tmp_path / "firm"
    assert load_pack_set(extra=(folder,)).rule("GOV005").params["max_days"] == 10
    part.write_text("[rules.GOV005]\nparams = { max_days = 12 }\n\n", encoding="utf-8")
    assert load_pack_set(extra=(folder,)).rule("GOV005").params["max_days"] == 12
    write("firm/more.toml", "[rules.GOV005]\nweight = 7\n")
    assert load_pack_set(extra=(folder,)).rule("GOV005").weight == 7


def test_rules_test_of_a_folder_pack_names_the_file_of_each_example(write, tmp_path):
    write("firm/pack.toml", '[pack]\nid = "firm"\n')
    doc = write(
        "firm/documentation.toml",
        RULE.format(level=2) + "\n[[rule.example]]\nfires = true\nplan = '''\n" + PROCESS + "'''\n",
    )
    (outcome,) = run_examples(tmp_path / "firm")
    assert outcome.passed, outcome.detail
    assert outcome.where == f"{doc}:14"


def test_cli_rules_list_takes_a_folder_pack(write, tmp_path, capsys):
    write("firm/pack.toml", '[pack]\nid = "firm"\nname = "Firm"\n')
    write("firm/documentation.toml", RULE.format(level=2))
    code = main(["rules", "list", "--pack", str(tmp_path / "firm"), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert "RC101" in {r["code"] for r in out["rules"]}
    assert [p["id"] for p in out["packs"]] == ["default", "firm"]
