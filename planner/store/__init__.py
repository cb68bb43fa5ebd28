"""The plan file on disk, in parts (each module's docstring says what it is for):

- ``decoding``: bytes to text, UTF-8 with the first bad byte located (shared with packs),
  or any bytes with every undecodable byte located;
- ``loading``: parse and validate a plan, every problem at its line and column;
- ``positions``: where a key, row or item is in a text (``index_text`` scans once);
- ``canonical``, ``writer``, ``blocks``, ``edits``: the canonical text of a new file, and
  a plan written onto the user's text keeping its comments (``tomlkit_shim`` holds every
  private tomlkit call);
- ``files``: what a file looked like when read (digest), as a plan or as raw text;
- ``saving``: the one save path of a plan (digest check, then ``atomic``);
- ``atomic``: the one atomic write of every file releve writes (plans, reports, caches).

``from releve.planner.store import loads, load, dumps, render, save, locate, PlanFile``
keeps working: the public names are re-exported here.
"""

from __future__ import annotations

from releve.planner.store.atomic import target_of, umask, write_atomic
from releve.planner.store.canonical import dumps
from releve.planner.store.decoding import BadBytes, Decoded, decode, decode_lossy
from releve.planner.store.fields import MAX_NESTING, Loc
from releve.planner.store.files import (
    Fingerprint,
    PlanFile,
    TextFile,
    fingerprint,
    open_text,
    read_bytes,
)
from releve.planner.store.loading import load, loads, validate
from releve.planner.store.positions import TextIndex, index_text, locate
from releve.planner.store.saving import save, save_text
from releve.planner.store.writer import render, render_onto

#: The atomic write under its old private name, for callers not yet on ``save_text``.
_atomic_write = write_atomic

__all__ = [
    "MAX_NESTING",
    "BadBytes",
    "Decoded",
    "Fingerprint",
    "Loc",
    "PlanFile",
    "TextFile",
    "TextIndex",
    "decode",
    "decode_lossy",
    "dumps",
    "fingerprint",
    "index_text",
    "load",
    "loads",
    "locate",
    "open_text",
    "read_bytes",
    "render",
    "render_onto",
    "save",
    "save_text",
    "target_of",
    "umask",
    "validate",
    "write_atomic",
]
