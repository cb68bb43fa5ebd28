"""`releve diff OLD NEW` loads a pack set once when both plans have the same packs, and
each its own when they do not: the findings a pack switches off differ between the sides
as `releve check` of each says; a pack that cannot be read is still one located line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from releve.tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "sample_missions" / "atelier-durand.toml").read_text(encoding="utf-8")
AS_OF = "2027-03-01"
PACK = '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\n\n[select]\nexclude = ["EXT001"]\n'


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def check_rules(capsys, path: Path) -> set[str]:
    code, out, err = run(capsys, "check", str(path), "--as-of", AS_OF, "--format", "json")
    assert code in (0, 1), err
    data = json.loads(out)
    plans = data["plans"] if isinstance(data, dict) and "plans" in data else data
    plan = plans[0] if isinstance(plans, list) else plans
    return {f["rule"] for f in plan["findings"] if not f.get("waived")}


def test_each_side_has_its_own_packs(capsys, tmp_path):
    (tmp_path / "firm.toml").write_text(PACK, encoding="utf-8")
    old = tmp_path / "old.toml"
    old.write_text(SAMPLE.replace("packs = []", 'packs = ["firm.toml"]', 1), encoding="utf-8")
    new = tmp_path / "new.toml"
    new.write_text(SAMPLE, encoding="utf-8")
    old_rules, new_rules = check_rules(capsys, old), check_rules(capsys, new)
    assert "EXT001" in new_rules - old_rules
    code, out, err = run(capsys, "diff", str(old), str(new), "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    d = json.loads(out)
    appeared = {f["rule"] for f in d["findings"] if f["change"] == "appeared"}
    resolved = {f["rule"] for f in d["findings"] if f["change"] == "resolved"}
    assert appeared == new_rules - old_rules
    assert resolved == old_rules - new_rules
    # The other way round, the same finding is resolved.
    code, out, err = run(capsys, "diff", str(new), str(old), "--as-of", AS_OF, "--format", "json")
    back = json.loads(out)
    assert {f["rule"] for f in back["findings"] if f["change"] == "resolved"} == (
        new_rules - old_rules
    )


def test_a_missing_pack_on_one_side_is_one_located_line(capsys, tmp_path):
    old = tmp_path / "old.toml"
    old.write_text(SAMPLE, encoding="utf-8")
    new = tmp_path / "new.toml"
    new.write_text(SAMPLE.replace("packs = []", 'packs = ["nowhere.toml"]', 1), encoding="utf-8")
    code, out, err = run(capsys, "diff", str(old), str(new), "--as-of", AS_OF)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{new}:") and "nowhere.toml" in lines[0]
