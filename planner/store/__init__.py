"""The plan file on disk, in parts (each module's docstring says what it is for):

- ``decoding``: bytes to text, UTF-8 with the first bad byte located (shared with packs),
  or any bytes with every undecodable byte located;
- ``loading``: parse and validate a plan, every problem at its line and column;
- ``positions``: where a key, row or item is in a text (``index_text`` scans once);
- ``canonical``, ``writer``, ``blocks``, ``edits``: the canonical text of a new file, and
  a plan written onto the user's text keeping its comments (``tomlkit_shim`` holds every
  private tomlkit call);
- ``files``: what a file looked like when read (digest), as a plan or as raw text;
- ``layout``: where the blocks (tables, rows) of a text are, for ``blocks`` and ``releve log``;
- ``saving``: the one save path of a plan (digest check, then ``atomic``); ``text_saving``
  its raw-text half (``save_text``), free of pydantic and tomlkit;
- ``atomic``: the one atomic write of every file releve writes (plans, reports, caches).

``from releve.planner.store import loads, load, dumps, render, save, locate, PlanFile``
keeps working: the public names are re-exported here, each imported from its module the
first time it is asked for (PEP 562). Importing one part (``positions`` for a located
finding, ``atomic`` for a cache entry) then costs that part alone, not pydantic and
tomlkit: ``releve check`` reads plans without either (planner/lean.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from releve.planner.store.saving import save
    from releve.planner.store.text_saving import save_text
    from releve.planner.store.writer import render, render_onto

    #: The atomic write under its old private name, for callers not yet on ``save_text``.
    _atomic_write = write_atomic

#: Each public name -> the module that defines it.
_WHERE = {
    "target_of": "atomic",
    "umask": "atomic",
    "write_atomic": "atomic",
    "_atomic_write": "atomic",
    "dumps": "canonical",
    "BadBytes": "decoding",
    "Decoded": "decoding",
    "decode": "decoding",
    "decode_lossy": "decoding",
    "MAX_NESTING": "fields",
    "Loc": "fields",
    "Fingerprint": "files",
    "PlanFile": "files",
    "TextFile": "files",
    "fingerprint": "files",
    "open_text": "files",
    "read_bytes": "files",
    "load": "loading",
    "loads": "loading",
    "validate": "loading",
    "TextIndex": "positions",
    "index_text": "positions",
    "locate": "positions",
    "save": "saving",
    "save_text": "text_saving",
    "render": "writer",
    "render_onto": "writer",
}


#: The parts, as attributes of the package once asked for (``store.loading``).
_PARTS = frozenset(
    (
        "atomic",
        "blocks",
        "canonical",
        "decoding",
        "edits",
        "fields",
        "files",
        "layout",
        "loading",
        "positions",
        "saving",
        "text_saving",
        "tomlkit_shim",
        "writer",
    )
)


def __getattr__(name: str) -> Any:
    if name in _PARTS:
        return importlib.import_module(f"{__name__}.{name}")
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{where}")
    value = getattr(module, "write_atomic" if name == "_atomic_write" else name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


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
