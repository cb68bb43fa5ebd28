"""Invisible format characters (bidi controls, zero-width characters, BOM) in plan text are
shown visibly wherever plan text is printed: `releve check` text and Markdown, `releve
schedule`, the report in Markdown (issue #17)."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

from releve.tui.cli import main
from releve.tui.safe_text import FORMAT_RANGES, show_format, visible

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))
AS_OF = "2027-03-01"
#: RLO (the "Trojan Source" override), LRI, PDI, ZWSP, ZWJ, LRM, BOM, word joiner, LINE SEP.
INJECTED = [
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\u200e",
    "\ufeff",
    "\u2060",
    "\u2028",
]
FORMAT = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in FORMAT_RANGES) + "]")


def test_the_ranges_hold_every_format_character_of_this_python():
    ours = {c for a, b in FORMAT_RANGES for c in range(a, b + 1)}
    theirs = {
        c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp")
    }
    assert theirs <= ours, [hex(c) for c in sorted(theirs - ours)]
    assert all(unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp", "Cn") for c in ours)


def test_format_characters_are_shown_by_their_code_point():
    assert visible("Atelier\u202e Durand") == "Atelier⟨U+202E⟩ Durand"
    assert visible("a\u200bb\x1b") == "a⟨U+200B⟩b␛"
    assert show_format("x\u2066y\x1b") == "x⟨U+2066⟩y\x1b"  # controls left to the caller
    assert visible("Île-de-France — 12\u202f%") == "Île-de-France — 12\u202f%"  # visible text


def _injected(text: str) -> str:
    """The plan's text with a format character put in each name and title."""
    chars = iter(INJECTED * 1000)

    def put(m: re.Match[str]) -> str:
        return f"{m.group(1)}{next(chars)}"

    return re.sub(r'(^\s*(?:name|title|what|objective|description) = ")', put, text, flags=re.M)


def _run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_no_output_of_a_sample_holds_a_raw_format_character(sample, tmp_path, capsys):
    text = _injected(sample.read_text(encoding="utf-8"))
    assert sum(text.count(c) for c in INJECTED) >= 3, "the sample has names to inject into"
    plan = tmp_path / sample.name
    plan.write_text(text, encoding="utf-8")
    outputs = {
        "check": _run(capsys, "check", str(plan), "--as-of", AS_OF),
        "check markdown": _run(
            capsys, "check", str(plan), "--as-of", AS_OF, "--format", "markdown"
        ),
        "schedule": _run(capsys, "schedule", str(plan)),
        "report markdown": _run(
            capsys, "report", str(plan), "--as-of", AS_OF, "--format", "markdown", "-o", "-"
        ),
    }
    for what, out in outputs.items():
        assert not FORMAT.search(out), (what, FORMAT.search(out))
    # the names are there, their hidden characters shown (the report names the company,
    # people, processes and phases)
    assert "⟨U+" in outputs["report markdown"]
    company = re.search(r'^name = "(.*)"', text, flags=re.M)
    if company:
        assert visible(company.group(1)) in outputs["report markdown"]
