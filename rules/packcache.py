"""The compiled pack sets on disk, by content digest, in the user's cache folder.

Loading the default pack (TOML parsing, then checking every key of ~40 rules) is most of
what `releve check` spends on rules before the first fact is built. A loaded PackSet is
stored as JSON under ``CACHE/packs/KEY.json``, where KEY hashes what decides it: the
loader's own source (which changes with any release that changes loading), and each pack
file named (its path, how it was named,
the folders a plan may reach, and its bytes' sha256). An entry also lists every file it
read (``extends`` included) with its digest; a hit re-hashes them, so a pack edited on
disk is never served stale.

An entry is never trusted: one that cannot be read, does not parse, fails its own digest
or does not rebuild into a PackSet is a miss, and the pack set is loaded again and the
entry rewritten. Entries are written through the store's atomic save helper (temporary
file, fsync, rename): a reader sees a whole entry or none, and two processes writing the
same entry at once each write a whole, equal one.

Folder: as the history cache (tui/history/cache.py) — ``$RELEVE_CACHE_DIR`` (tests point
it at a temporary folder; ``off`` switches the cache off), else ``$XDG_CACHE_HOME/releve``
or ``~/.cache/releve`` (macOS ``~/Library/Caches/releve``, Windows ``%LOCALAPPDATA%``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from releve.planner import records

ENV = "RELEVE_CACHE_DIR"
#: Bump when the shape of an entry changes.
SCHEMA = 2  # 2: key order kept (params listed as the pack writes them)
#: The loader's sources (``packs/`` is every module of the package): an edit to any of
#: them changes every key.
_SOURCES = ("packs/", "compile.py", "grading.py", "result.py", "facts/kinds.py")


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


_CODE: list[str] = []


def _code_digest() -> str:
    if not _CODE:
        h = hashlib.sha256()
        here = Path(__file__).parent
        for name in _SOURCES:
            files = sorted((here / name).glob("*.py")) if name.endswith("/") else [here / name]
            for f in files:
                try:
                    h.update(f.name.encode() + b"\0" + f.read_bytes())
                except OSError:
                    h.update(name.encode())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def key(parts: list[Any]) -> str:
    # The loader's own source stands for releve's version (rules never import the tui).
    blob = json.dumps([SCHEMA, _code_digest(), parts], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- JSON form of a PackSet ---------------------------------------------------------------


def _classes() -> dict[str, type]:
    from releve.rules import packs
    from releve.rules.grading import Grade, ScoreSettings
    from releve.rules.result import RuleChange

    return {
        c.__name__: c
        for c in (
            packs.Condition,
            packs.Unless,
            packs.Example,
            packs.Rule,
            packs.PackInfo,
            packs.PackSet,
            Grade,  # a rule's grade and the pack set's [score] settings
            ScoreSettings,
            RuleChange,
        )
    }


def encode(value: Any) -> Any:
    """A PackSet (and what it holds) as JSON values, tagged so `decode` rebuilds it."""
    from releve.rules.result import Severity

    if isinstance(value, Severity):
        return {"$sev": value.value}
    if records.is_record(value):
        return {
            "$dc": type(value).__name__,
            **{f.name: encode(getattr(value, f.name)) for f in records.fields(value)},
        }
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if any(not isinstance(k, str) or k.startswith("$") for k in value):
            raise TypeError("a dict key that cannot be stored")
        return {k: encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


def decoder(classes: dict[str, type]) -> Any:
    """A json.loads object_hook that rebuilds what `encode` tagged (bottom-up, so every
    record gets its fields already decoded)."""
    from releve.rules.result import Severity

    names = {n: frozenset(f.name for f in records.fields(c)) for n, c in classes.items()}
    new = object.__new__

    def hook(d: dict[str, Any]) -> Any:
        name = d.pop("$dc", None)
        if name is None:
            if len(d) == 1:
                if "$tuple" in d:
                    return tuple(d["$tuple"])
                if "$sev" in d:
                    return Severity(d["$sev"])
                if "$date" in d:
                    return dt.date.fromisoformat(d["$date"])
            return d
        if d.keys() != names[name]:
            raise ValueError(f"{name}: fields differ")
        # Every field is there (checked above) and none of these classes has a
        # __post_init__: the instance is its fields, as __init__ would set them, without
        # __init__'s work per field (a cold check reads ~1,500 of them).
        obj: Any = new(classes[name])
        obj.__dict__.update(d)
        return obj

    return hook


# --- the store ------------------------------------------------------------------------------


def _path(k: str) -> Path | None:
    folder = cache_dir()
    return folder / "packs" / f"{k}.json" if folder is not None else None


def get(k: str, file_digest: Any) -> Any:
    """The PackSet stored under `k`, or None (missing, unreadable, corrupt or stale).
    `file_digest(path) -> str | None` hashes a file the entry says it read."""
    path = _path(k)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            raw = f.read(16 * 1024 * 1024)
        entry = json.loads(raw)
        body = entry["body"]
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != entry["sha256"]:
            return None
        for name, digest in entry["read"]:
            if file_digest(Path(name)) != digest:
                return None  # a file it read (an `extends`) changed since
        from releve.rules.packs import PackSet

        ps = json.loads(body, object_hook=decoder(_classes()))
        return ps if isinstance(ps, PackSet) else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def put(k: str, ps: Any, read: list[tuple[str, str]]) -> None:
    """Store `ps` under `k` (silently nothing when the folder cannot be written)."""
    path = _path(k)
    if path is None:
        return
    try:
        body = json.dumps(
            encode(ps), ensure_ascii=False
        )  # key order kept: a rule's params as written
    except (TypeError, ValueError):
        return
    entry = json.dumps(
        {"sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(), "read": read, "body": body}
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        from releve.planner.store.atomic import write_atomic

        # A cache entry is not worth an fsync: a lost one is only rebuilt.
        write_atomic(path, entry.encode("utf-8"), durable=False)
    except OSError:
        return
