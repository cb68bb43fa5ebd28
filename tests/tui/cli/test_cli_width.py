"""The help's width (tui/cli: argparse measured without shutil): the same width, so the same
help text, as argparse's own formatter gives, and no shutil on the way of `releve check`."""

from __future__ import annotations

import argparse
import fcntl
import importlib
import os
import shutil
import struct
import subprocess
import sys
import termios

import pytest
from support import ROOT

from releve.tui import cli

ENVIRONMENTS = [
    {},
    {"COLUMNS": "100"},
    {"COLUMNS": "57", "LINES": "10"},
    {"COLUMNS": "0"},
    {"COLUMNS": "-3"},
    {"COLUMNS": "wide"},
    {"COLUMNS": " 72 "},
    {"LINES": "40"},
]


def _set_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name in ("COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


class _Terminal:
    """A pseudo-terminal of a given width, standing for the process's stdout."""

    def __init__(self, columns: int) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))

    def fileno(self) -> int:
        return self.slave

    def close(self) -> None:
        os.close(self.master)
        os.close(self.slave)


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=str)
@pytest.mark.parametrize("stdout", ["pipe", "terminal-93", "terminal-0", "closed"])
def test_the_width_is_what_shutil_reads(env, stdout, monkeypatch):
    _set_env(monkeypatch, env)
    terminal = None
    if stdout.startswith("terminal"):
        terminal = _Terminal(int(stdout.split("-")[1]))
        monkeypatch.setattr(sys, "__stdout__", terminal)
    elif stdout == "closed":
        monkeypatch.setattr(sys, "__stdout__", None)
    else:
        read, write = os.pipe()
        monkeypatch.setattr(sys, "__stdout__", os.fdopen(write, "w"))
    try:
        assert cli.terminal_columns() == shutil.get_terminal_size().columns
        assert cli._Formatter("releve")._width == argparse.HelpFormatter("releve")._width
    finally:
        if terminal is not None:
            terminal.close()
        elif stdout == "pipe":
            sys.__stdout__.close()
            os.close(read)


@pytest.mark.parametrize("command", ["check", "report", "rules", "portfolio"])
@pytest.mark.parametrize("columns", ["40", "80", "131"])
def test_each_commands_help_is_laid_out_as_argparse_lays_it_out(command, columns, monkeypatch):
    _set_env(monkeypatch, {"COLUMNS": columns})
    module = importlib.import_module(cli.COMMANDS[command])

    def help_text(**formatter: type[argparse.HelpFormatter]) -> str:
        parser = cli._Parser(prog=f"releve {command}", description=module.DESCRIPTION, **formatter)
        module.add_arguments(parser)
        return parser.format_help()

    assert help_text() == help_text(formatter_class=argparse.HelpFormatter)


def test_the_top_help_keeps_its_layout(monkeypatch):
    _set_env(monkeypatch, {"COLUMNS": "90"})
    text = cli._top_parser(cli.COMMANDS, describe=True).format_help()
    assert "  portfolio" in text and max(map(len, text.splitlines())) <= 90


def test_a_check_imports_no_archive_or_temporary_file_module(tmp_path):
    """shutil (and bz2, lzma, zlib behind it) and tempfile are not on a check's way, once
    the pack cache holds the packs (the first check writes it: tempfile, once)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
        "RELEVE_CACHE_DIR": str(tmp_path),
    }
    command = [sys.executable, "-X", "importtime", "-m", "releve.tui.cli", "check"]
    command += ["--as-of", "2027-03-01", str(ROOT / "sample_missions" / "atelier-durand.toml")]
    for _ in range(2):
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "releve.rules.pipeline" in imported  # the measure works
    assert not imported & {"shutil", "tempfile", "bz2", "lzma", "zlib"}, sorted(imported)
