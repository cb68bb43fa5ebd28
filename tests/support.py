"""Shared test helpers (import as `from support import ...`; a module named `conftest`
is ambiguous when several test folders have one)."""

from __future__ import annotations

import datetime as dt
import os
import re
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


def plan_naming_packs(folder: Path, packs: str, name: str = "plan.toml") -> Path:
    """The Atelier Durand sample copied into `folder` as `name`, its `[rules] packs` (an empty
    list in the sample) set to `packs` (TOML array text); the rest of the file unchanged."""
    text = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
    new, n = re.subn(r"(?m)^packs = \[\]", lambda _: f"packs = {packs}", text)
    assert n == 1, "the sample no longer has one `packs = []` line"
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / name
    plan.write_text(new, encoding="utf-8")
    return plan


# --- rule packs --------------------------------------------------------------------------------

#: The codes rule-packs.md promises in the default pack.
DEFAULT_CODES = frozenset(
    {f"GOV00{n}" for n in range(1, 8)}
    | {f"SCO00{n}" for n in range(1, 4)}
    | {f"PLN00{n}" for n in range(1, 8)}
    | {f"TRF00{n}" for n in range(1, 5)}
    | {f"EXT00{n}" for n in range(1, 7)}
    | {f"SIG00{n}" for n in range(1, 4)}
)

#: A firm's own rule, as rule-packs.md writes it: a critical process still run by hand. Each
#: pack adds the texts it needs (RC101_TEXTS: a message, a fix and the key a finding points at).
RC101 = """\
[[rule]]
id = "RC101"
name = "manual-critical-process"
title = { en = "A critical process is still run by hand", fr = "Un processus critique reste manuel" }
pillar = "documentation"
severity = "warning"
weight = 2
fact = "process"
when = [
  { field = "critical", op = "eq", value = true },
  { field = "automation", op = "lt", value = "$min_level" },
]
params = { min_level = 2 }
"""
RC101_MESSAGE = (
    'message = { en = "{name} is critical and manual", fr = "{name} est critique et manuel" }\n'
)
RC101_TEXTS = (
    RC101_MESSAGE
    + 'fix = { en = "Automate {name}", fr = "Automatiser {name}" }\npath = "process.automation"\n'
)
#: A firm's change to a default rule: steering at least every 21 days, and an error if not.
GOV005_21_DAYS = '[rules.GOV005]\nseverity = "error"\nparams = { max_days = 21 }\n'


def firm_pack_text(changes: str = GOV005_21_DAYS) -> str:
    """A firm's house pack over the default one: SIG003 switched off, `changes` to default
    rules ([rules.X] tables), and its own rule RC101."""
    head = (
        '[pack]\nid = "firm"\nname = "Firm house rules"\nversion = "1.0.0"\nextends = ["default"]\n'
    )
    return f'{head}\n[select]\nexclude = ["SIG003"]\n\n{changes}\n{RC101}{RC101_TEXTS}'


#: The firm's pack as the CLI tests write it (changes GOV005).
FIRM_PACK = firm_pack_text()
