"""Shared test helpers (import as `from support import ...`; a module named `conftest`
is ambiguous when several test folders have one)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_missions"
AS_OF = dt.date(2027, 3, 1)
IN_CI = bool(os.environ.get("RELEVE_CI") or os.environ.get("CI"))


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.toml"))


def need_tool(name: str) -> str:
    """Path of a Debian tool the test needs; in CI its absence fails, elsewhere it skips."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed, and .ci/run should have installed it")
        pytest.skip(f"{name} is not installed (outside CI); install it to run this test")
    return path


def bookings_toml(*days: tuple[str, str]) -> str:
    """`[[booking]]` tables (one COO day each) for (date, phase) pairs, to append to a plan."""
    return "".join(f'\n[[booking]]\non = {on}\nphase = "{phase}"\n' for on, phase in days)


#: The Atelier Durand sample's first weeks as a log: three days of flash audit, then the
#: diagnostic (one day on 2027-01-18, one on 2027-02-01).
DURAND_DAYS = bookings_toml(
    ("2027-01-04", "audit"),
    ("2027-01-05", "audit"),
    ("2027-01-11", "audit"),
    ("2027-01-18", "diag"),
    ("2027-02-01", "diag"),
)
