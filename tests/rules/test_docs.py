"""docs/rules.md documents every fact kind and field, and every rule of the default pack."""

from __future__ import annotations

import re
from pathlib import Path

from releve.rules.facts import FACT_KINDS
from releve.rules.packs import OPS, load_pack_set

DOC = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    m = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^### |\Z)", DOC, re.DOTALL | re.MULTILINE)
    assert m, f"no section {title!r} in docs/rules.md"
    return m.group(1)


def test_every_fact_kind_and_field_is_documented():
    for kind, fields in FACT_KINDS.items():
        body = section(f"`{kind}`")
        for name, spec in fields.items():
            assert f"| `{name}` | {spec.type} |" in body, (kind, name)


def test_every_default_rule_is_documented_with_its_options():
    for rule in load_pack_set().rules:
        body = section(f"{rule.code} `{rule.name}`")
        assert f"pillar **{rule.pillar}**" in body and rule.severity.value in body
        assert rule.rationale["en"] in body
        for param in rule.params:
            assert f"`{param}`" in body


def test_every_operator_is_documented():
    for op in OPS:
        assert f"`{op}`" in DOC


def test_docs_are_regenerated_after_rule_changes():
    from releve.rules.docgen import MARK, reference

    assert reference(DOC.split(MARK, 1)[0]) == DOC, "run: python -m releve.rules.docgen"


def test_every_item_of_coverage_is_documented_with_its_pillar():
    from releve.rules.coverage import evidence_items

    m = re.search(r"^## Coverage\n(.*?)(?=^## )", DOC, re.DOTALL | re.MULTILINE)
    assert m, "no section Coverage in docs/rules.md"
    rows = {
        (cells[1].strip(), cells[2].strip().strip("`"))
        for line in m.group(1).splitlines()
        if line.startswith("| ") and (cells := line.split("|")) and len(cells) > 3
    }
    for item in evidence_items([]):
        pillar = item.pillar.replace("_", " ")
        assert (pillar, item.key) in rows, (pillar, item.key)
