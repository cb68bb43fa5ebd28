"""The README's quick start stays true: two commands, and CI runs the second one verbatim."""

from __future__ import annotations

import re
import subprocess

from support import ROOT


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^    \$ (.+)$", section, flags=re.M)


def test_quick_start_is_two_commands_one_opens_the_app_one_runs_the_tests():
    commands = quick_start_commands()
    assert len(commands) == 2
    opens, tests = commands
    assert "pip install" in opens and opens.rstrip().endswith("releve")
    assert "pip install" in tests and "[test]" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command():
    # .ci/run extracts its command with sed; run the same extraction and compare.
    out = subprocess.run(
        ["bash", "-c", r"sed -n 's/^    \$ //p' README.md | sed -n '2p'"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == quick_start_commands()[1]


def test_ci_script_fails_when_no_test_ran():
    # pytest exits 5 when it collects nothing; `set -e` in .ci/run turns that into a failure.
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    for package in ("tmux", "tj3", "chromium"):
        assert package in script
