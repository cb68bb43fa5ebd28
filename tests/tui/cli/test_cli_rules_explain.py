"""`releve rules explain|facts|test` in the user's words (issues 14 and 16): labels from the
catalog in French, no empty heading, no "set by ?", no 100 kB echo, nothing raw for the
terminal, every lint note located."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import ROOT

from releve.tui.cli import main

DURAND = ROOT / "sample_missions" / "atelier-durand.toml"

# A French firm's rule, as its partners write it: French only, no fix, no weight.
FRENCH_ONLY = """\
[pack]
id = "cabinet"

[[rule]]
id = "X101"
name = "sans-remplacant"
title = { fr = "Une personne clé n'a pas de remplaçant" }
message = { fr = "{name} n'a pas de remplaçant" }
pillar = "transfer"
severity = "error"
fact = "person"
when = [
  { field = "backup", op = "missing" },
  { field = "role", op = "not_in", value = ["stagiaire"] },
]
"""


@pytest.fixture
def french_pack(write) -> Path:
    return write("cabinet.toml", FRENCH_ONLY)


def rules(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["rules", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_in_french_shows_labels_not_identifiers(capsys, french_pack: Path) -> None:
    code, out, _ = rules(capsys, "explain", "X101", "--pack", str(french_pack), "--lang", "fr")
    assert code == 0
    assert "Pilier Transfert des savoirs, gravité erreur" in out
    assert "Pilier transfer" not in out and "gravité error" not in out
    assert "- backup est absent" in out
    assert '- role hors de ["stagiaire"]' in out
    assert " is missing" not in out and "not in" not in out


def test_explain_says_default_for_a_weight_no_pack_sets(capsys, french_pack: Path) -> None:
    _, out, _ = rules(capsys, "explain", "X101", "--pack", str(french_pack))
    assert "weight 1 (the default value)." in out and "?" not in out.splitlines()[2]
    _, out, _ = rules(capsys, "explain", "X101", "--pack", str(french_pack), "--lang", "fr")
    assert "poids 1 (la valeur par défaut)." in out
    # A weight a pack sets still names that pack.
    _, out, _ = rules(capsys, "explain", "GOV005")
    assert "weight 2 (set by default)." in out


def test_explain_a_rule_without_fix_prints_no_fix_heading(capsys, french_pack: Path) -> None:
    for lang, heading, where in (
        ("en", "## How to fix", "In the plan: `person`."),
        ("fr", "## Comment corriger", "Dans le plan : `person`."),
    ):
        code, out, _ = rules(capsys, "explain", "X101", "--pack", str(french_pack), "--lang", lang)
        assert code == 0 and heading not in out
        assert where in out  # the place in the plan is still said
    # A rule with a fix keeps its heading, with the text under it.
    _, out, _ = rules(capsys, "explain", "GOV005")
    assert re.search(r"## How to fix\n\n\S", out)


def test_explain_a_huge_code_is_quoted_not_echoed(capsys) -> None:
    code, out, err = rules(capsys, "explain", "EXT" * 35_000)
    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith("releve rules explain: unknown rule 'EXTEXT") and "…'" in line
    assert len(line) < 200


def test_facts_text_shows_bidi_and_control_characters(capsys, tmp_path: Path) -> None:
    text = DURAND.read_text(encoding="utf-8")
    first = re.search(r'(?m)^name = "([^"]*)"', text)
    assert first
    plan = tmp_path / "plan.toml"
    plan.write_text(
        text[: first.start(1)] + "\\u202eevil\\u0007" + text[first.start(1) :], encoding="utf-8"
    )
    code, out, _ = rules(capsys, "facts", str(plan), "--as-of", "2027-03-01")
    assert code == 0
    assert "\u202e" not in out and "\x07" not in out
    assert "⟨U+202E⟩evil" in out
    # JSON keeps the value itself.
    _, out, _ = rules(capsys, "facts", str(plan), "--as-of", "2027-03-01", "--format", "json")
    assert any("\u202eevil\x07" in str(f.get("name", "")) for f in json.loads(out)["facts"])


def test_a_rule_that_never_fires_is_located_at_its_when_in_a_folder_pack(
    capsys, tmp_path: Path
) -> None:
    folder = tmp_path / "cabinet"
    folder.mkdir()
    (folder / "pack.toml").write_text('[pack]\nid = "cabinet"\n', encoding="utf-8")
    rules_file = folder / "team.toml"
    rules_file.write_text(
        FRENCH_ONLY.split("\n", 3)[3].replace(
            '{ field = "backup", op = "missing" }', '{ field = "name", op = "eq", value = "Zoé" }'
        ),
        encoding="utf-8",
    )
    code, out, _ = rules(capsys, "test", str(folder))
    assert code == 0
    (note,) = [line for line in out.splitlines() if "fires neither" in line]
    when_line = rules_file.read_text(encoding="utf-8").splitlines().index("when = [") + 1
    assert note.startswith(f"lint  {rules_file}:{when_line}:1: rule X101, key when: ")


def test_list_in_french_names_severities_and_pillars_by_their_labels(capsys) -> None:
    code, out, _ = rules(capsys, "list", "--lang", "fr")
    assert code == 0
    lines = out.rstrip().splitlines()
    assert lines[0].split() == ["code", "gravité", "pilier", "poids", "nom", "pack", "titre"]
    gov005 = next(line for line in lines if line.startswith("GOV005 "))
    assert "avertissement" in gov005 and "Gouvernance" in gov005
    assert " warning " not in out and "founder_dependence" not in out
    assert re.match(r"^\d+ règles en vigueur, des packs : default$", lines[-1])
    # English keeps its words (severity ids read the same).
    _, out, _ = rules(capsys, "list")
    assert out.splitlines()[0].split()[:3] == ["code", "severity", "pillar"]
    assert "Founder dependence" in out and "founder_dependence" not in out
