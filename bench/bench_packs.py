"""Loading the default pack: parsed and checked from its TOML, or read back from the
on-disk cache of compiled packs (rules/packcache.py). Each run clears the in-memory cache,
so it costs what a new `releve check` process pays."""

from __future__ import annotations

import os
import tempfile

from run import Case


def cases() -> list[Case]:
    from releve.rules import packs

    folder = tempfile.mkdtemp(prefix="releve-bench-packs-")

    def load(cache: str) -> None:
        old = os.environ.get("RELEVE_CACHE_DIR")
        os.environ["RELEVE_CACHE_DIR"] = cache
        try:
            packs._CACHE.clear()
            packs.load_pack_set()
        finally:
            if old is None:
                del os.environ["RELEVE_CACHE_DIR"]
            else:
                os.environ["RELEVE_CACHE_DIR"] = old

    return [
        Case("packs: load the default pack, no cache", lambda: load("off"), repeat=30),
        Case(
            "packs: load the default pack, disk cache warm",
            lambda: load(folder),
            setup=lambda: load(folder),
            repeat=30,
        ),
    ]
