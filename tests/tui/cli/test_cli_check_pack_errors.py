"""A pack with several mistakes, as `releve check` shows it (issue 16): one line per
mistake, each FILE:LINE:COLUMN, whether the pack comes from --pack or from the plan."""

from __future__ import annotations

import re
from pathlib import Path

from support import ROOT, plan_naming_packs

from releve.tui.cli import main

DURAND = ROOT / "sample_missions" / "atelier-durand.toml"

BAD = """\
[pack]
id = "Bad_Id"

[rules.GOV005]
severty = "info"

[rules.GOV006]
weight = "x"
"""
EXPECTED = [
    (2, "key pack.id: pack id 'Bad_Id' must be kebab-case"),
    (5, "rule GOV005, key severty: unknown key 'severty' (did you mean 'severity'?)"),
    (8, "rule GOV006, key weight: weight must be a number ≥ 0, not 'x'"),
]


def _assert_one_line_each(err: str, pack: Path) -> None:
    lines = err.splitlines()
    assert "\u240a" not in err, f"mistakes joined on one line: {err!r}"
    assert len(lines) == len(EXPECTED), lines
    for line, (n, words) in zip(lines, EXPECTED, strict=True):
        assert re.match(rf"^{re.escape(str(pack))}:{n}:\d+: ", line), line
        assert words in line, line


def test_a_pack_option_with_several_mistakes_prints_one_line_each(capsys, write):
    pack = write("bad.toml", BAD)
    code = main(["check", "--as-of", "2027-03-01", str(DURAND), "--pack", str(pack)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    _assert_one_line_each(err, pack)


def test_a_plan_named_pack_with_several_mistakes_prints_one_line_each(capsys, tmp_path, write):
    pack = write("bad.toml", BAD)
    plan = plan_naming_packs(tmp_path, '["bad.toml"]')
    code = main(["check", "--as-of", "2027-03-01", str(plan)])
    _, err = capsys.readouterr()
    assert code == 2
    _assert_one_line_each(err, pack)
