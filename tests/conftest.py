"""Shared fixtures: the sample missions and a fixed check date (tests never read the clock).

Constants and helpers live in tests/support.py (`from support import need_tool, AS_OF, ...`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The caches (compiled packs, history figures) go to a temporary folder, never the user's.
os.environ.setdefault("RELEVE_CACHE_DIR", tempfile.mkdtemp(prefix="releve-test-cache-"))

from support import AS_OF, IN_CI, ROOT, SAMPLES, need_tool, sample_paths  # noqa: F401


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


@pytest.fixture
def samples() -> list[Path]:
    return sample_paths()


@pytest.fixture
def sample_copy(tmp_path: Path):
    """Copy a sample into a temp folder and return the copy's path: ``sample_copy(name)``."""

    def _copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copy(SAMPLES / name, dst)
        return dst

    return _copy


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file in the test's temp folder: ``write("pack.toml", text) -> Path``
    (parent folders made as needed)."""

    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return p

    return _write
