"""Fixtures of the rule engine's tests (`write`, for any file in a temp folder, is in
tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def pack_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty on-disk cache of compiled packs, and no pack set kept in memory: each load
    runs as in a new process. Returns the cache folder."""
    from releve.rules import packs

    folder = tmp_path / "cache"
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(folder))
    monkeypatch.setattr(packs, "_CACHE", {})  # each load as in a new process
    return folder
