"""A content-addressed cache of check figures in the user's cache folder.

An entry's key is a hash of what decides a check's answer: the plan's blob, the digest of
every pack in force, the check date, the language and releve's version. The same plan
text checked with the same packs on the same date gives the same figures, whichever
commit or folder it came from, so an entry never goes stale; a new releve version starts
a new set of keys. Entries are small JSON files written atomically (a reader sees the
whole entry or none); a file that cannot be read is a miss, never an error.

Folder: ``$RELEVE_CACHE_DIR`` when set (tests), else ``$XDG_CACHE_HOME/releve``,
``~/.cache/releve`` (Linux), ``~/Library/Caches/releve`` (macOS),
``%LOCALAPPDATA%\\releve\\Cache`` (Windows). ``RELEVE_CACHE_DIR=off`` switches it off.
Entries are written with the store's atomic write (planner/store/atomic.py), without fsync.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ENV = "RELEVE_CACHE_DIR"
#: Bump when the shape of a cached entry changes.
SCHEMA = 2  # 2: the figures of a tracked plan are its forecast's


def cache_dir() -> Path | None:
    """The cache folder (not created here), or None when switched off."""
    forced = os.environ.get(ENV)
    if forced is not None:
        return None if forced.strip().lower() in ("", "off", "0", "none") else Path(forced)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "releve" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "releve"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "releve"


def key(*parts: object) -> str:
    """A cache key from the parts that decide an answer (any JSON-able values)."""
    from releve.tui import __version__

    blob = json.dumps([SCHEMA, __version__, *parts], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    """The store's one atomic write (temp file in the same folder, rename); a cache entry
    needs no fsync: losing one in a power cut only makes the next run check again."""
    from releve.planner.store import write_atomic

    write_atomic(path, data, durable=False)


class Cache:
    """Figures by key under ``folder/history/``; ``Cache(None)`` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "history" if folder is not None else None
        self.hits = 0
        self.misses = 0

    @classmethod
    def default(cls) -> Cache:
        return cls(cache_dir())

    def _path(self, k: str) -> Path | None:
        return self.folder / k[:2] / f"{k}.json" if self.folder is not None else None

    def get(self, k: str) -> dict[str, Any] | None:
        path = self._path(k)
        if path is None:
            return None
        try:
            value = json.loads(path.read_bytes())
        except (OSError, ValueError):
            self.misses += 1
            return None
        if not isinstance(value, dict):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, k: str, value: dict[str, Any]) -> None:
        path = self._path(k)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(path, json.dumps(value).encode("utf-8"))  # the order kept
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower


def stat_stamp(path: Path) -> tuple[int, int] | None:
    """A file's size and modification time (None when it cannot be read): a cheap mark of
    its state, for caches that only need to notice a change (no read, no digest)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)
