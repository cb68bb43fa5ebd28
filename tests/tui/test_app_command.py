"""`releve edit`: its command line, and what it refuses before opening the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app_helpers import ROOT


def _releve(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "releve.tui.cli", *args],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_edit_help_names_plan_as_of_and_lang() -> None:
    out = _releve("edit", "--help")
    assert out.returncode == 0
    assert "PLAN" in out.stdout and "--as-of" in out.stdout and "--lang" in out.stdout


def test_edit_refuses_a_folder_with_one_line_and_exit_2(tmp_path: Path) -> None:
    out = _releve("edit", str(tmp_path))
    assert out.returncode == 2
    assert out.stderr.strip() == f"{tmp_path}: not a file"


def test_edit_refuses_a_bad_date_and_language() -> None:
    assert _releve("edit", "x.toml", "--as-of", "2027-13-01").returncode == 2
    assert _releve("edit", "x.toml", "--lang", "de").returncode == 2
