"""One clock read and one date parser for every command (tui/cli/dates.py)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from releve.tui.cli.dates import iso_date, parse_iso_date

ROOT = Path(__file__).resolve().parents[2]
ARGPARSE = re.compile(r"^releve( [a-z]+)*: .+ \(see `releve( [a-z]+)* --help`\)$")
DURAND = str(ROOT / "sample_missions" / "atelier-durand.toml")

#: Every command that takes --as-of, with the arguments around it.
AS_OF_COMMANDS = {
    "check": ["check", DURAND],
    "schedule": ["schedule", DURAND],
    "report": ["report", DURAND, "--format", "markdown", "-o", "-"],
    "rules facts": ["rules", "facts", DURAND],
    "edit": ["edit", DURAND],
}
NOT_YYYY_MM_DD = ["20270301", "2027-W09-1", "2027-03-01T00:00", "2027-3-1", "٢٠٢٧-٠٣-٠١", "today"]


@pytest.mark.parametrize("command", AS_OF_COMMANDS)
@pytest.mark.parametrize("text", NOT_YYYY_MM_DD)
def test_every_command_refuses_what_is_not_yyyy_mm_dd(cli, command: str, text: str) -> None:
    result = cli([*AS_OF_COMMANDS[command], "--as-of", text])
    assert result.code == 2
    (line,) = result.err_lines()
    assert ARGPARSE.match(line), line
    assert "YYYY-MM-DD" in line and repr(text) in line


@pytest.mark.parametrize("command", [c for c in AS_OF_COMMANDS if c != "edit"])
def test_every_command_takes_yyyy_mm_dd(cli, command: str) -> None:
    result = cli([*AS_OF_COMMANDS[command], "--as-of", "2027-03-01"])
    assert result.code in (0, 1), result.err


def test_an_impossible_day_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_iso_date("2027-02-30")


@given(st.dates())
def test_every_date_written_yyyy_mm_dd_reads_back(day: dt.date) -> None:
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    assert parse_iso_date(text) == day == iso_date(text)


@given(st.text(max_size=30))
def test_only_the_exact_shape_is_a_date(text: str) -> None:
    shaped = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text)
    try:
        parse_iso_date(text)
    except ValueError:
        return
    assert shaped


def test_a_long_refused_date_is_quoted_short(cli) -> None:
    result = cli(["check", DURAND, "--as-of", "9" * 5000])
    (line,) = result.err_lines()
    assert result.code == 2 and len(line) < 300, line


def test_only_dates_py_reads_the_clock() -> None:
    """No module of the product calls date.today() or datetime.now() but tui/cli/dates.py."""
    readers = []
    for folder in ("planner", "rules", "tui"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"today", "now", "utcnow"}
                    and isinstance(node.func.value, (ast.Attribute, ast.Name))
                    and ast.unparse(node.func.value).split(".")[-1] in {"date", "datetime"}
                ):
                    readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == ["tui/cli/dates.py:" + str(_clock_line())], readers


def _clock_line() -> int:
    text = (ROOT / "tui" / "cli" / "dates.py").read_text(encoding="utf-8")
    return next(n for n, ln in enumerate(text.splitlines(), 1) if "dt.date.today()" in ln)
