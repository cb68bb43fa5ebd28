"""End-to-end fixtures: run `releve` in this process (fast) or as a real process (the user's view)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_missions"
AS_OF = "2027-03-01"

#: `FILE:LINE:COLUMN: message`, the place parts optional (cli.md).
LOCATED = re.compile(r"^(?P<file>[^:]+)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: (?P<message>.+)$")
#: argparse's one line: `releve check: argument --as-of: … (see `releve check --help`)`.
ARGPARSE = re.compile(r"^releve( [a-z]+)*: .+ \(see `releve( [a-z]+)* --help`\)$")


@dataclass(frozen=True)
class Result:
    """What a user sees: exit code, standard output and standard error."""

    code: int
    out: str
    err: str

    def err_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]


def run_in_process(args: list[str], *, cwd: Path | None = None) -> Result:
    """`releve ARGS` through `tui.cli.main` with its own byte-backed stdout and stderr.

    Any exception escaping `main` is re-raised: a user would have seen a traceback.
    """
    from releve.tui.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", write_through=True)
    old_cwd = Path.cwd()
    env_before = os.environ.get("NO_COLOR")
    os.environ["NO_COLOR"] = "1"
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # what the interpreter would do with it
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    err.write(f"{exc.code}\n")
                    code = 1
        out.flush()
        err.flush()
    finally:
        os.chdir(old_cwd)
        if env_before is None:
            os.environ.pop("NO_COLOR", None)
        else:
            os.environ["NO_COLOR"] = env_before
    return Result(
        code,
        out_bytes.getvalue().decode("utf-8", "replace"),
        err_bytes.getvalue().decode("utf-8", "replace"),
    )


def releve_argv() -> list[str]:
    """The installed `releve` script of this interpreter's venv, else `python -m tui.cli`."""
    script = Path(sys.executable).with_name("releve")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "releve.tui.cli"]


def run_process(args: list[str], *, cwd: Path | None = None, timeout: float = 120) -> Result:
    """`releve ARGS` as its own process, as a user or a CI job runs it."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    proc = subprocess.run(
        [*releve_argv(), *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Result(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture(scope="session")
def cli():
    """Run `releve` in this process: ``cli(["check", plan]) -> Result``."""
    return run_in_process


@pytest.fixture(scope="session")
def releve():
    """Run `releve` as a real process: ``releve(["check", plan], cwd=...) -> Result``."""
    return run_process


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.toml"))
