"""The pack sets loaded for several plans in one run (portfolio, diff of two files), each
loaded once for all the plans that have the same packs. Imports nothing heavy until a set
is loaded."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from releve.planner.model import Plan
    from releve.rules.packs import PackSet


class PackSets:
    """The pack sets loaded during one portfolio, so that 300 plans on the default pack
    read it once, not 300 times (rules.packs caches by plan file).

    A set is kept by the packs' resolved paths, the ``--pack`` files, the ``--pack-path``
    folders and the view; when the plan names packs, also by the plan's folder (which
    packs a plan may name depends on where it is: its folder and its git repository). A
    pack that cannot be loaded is not kept: each plan says its own located error."""

    def __init__(self, extra: tuple[str, ...], pack_path: tuple[str, ...], packs_only: bool):
        self.extra = extra
        self.pack_path = pack_path
        self.packs_only = packs_only
        self.sets: dict[tuple[Any, ...], PackSet] = {}

    def get(self, path: str, plan: Plan) -> PackSet:
        from releve.rules.packs import load_pack_set, plan_pack_paths

        named = [] if self.packs_only else plan_pack_paths(path, plan)
        key: tuple[Any, ...] = (
            tuple(os.path.realpath(p) for p in named),
            tuple(os.path.realpath(p) for p in self.extra),
            self.pack_path,
            self.packs_only,
            os.path.dirname(os.path.realpath(path)) if named else None,
        )
        ps = self.sets.get(key)
        if ps is None:
            ps = load_pack_set(
                path, plan, self.extra, pack_path=self.pack_path, plan_packs=not self.packs_only
            )
            self.sets[key] = ps
        return ps
