"""The pack sets loaded for several plans in one run (portfolio, diff of two files), each
loaded once for all the plans that have the same packs. Imports nothing heavy until a set
is loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releve.planner.model import Plan
    from releve.rules.packs import PackSet


class PackSets:
    """The pack options of one run (portfolio, diff of two files): each plan's pack set is
    loaded through rules.packs.load_pack_set, whose cache already shares one load among the
    plans that name no pack, and among those of one folder that name the same packs (300
    plans on the default pack read it once, not 300 times). A pack that cannot be loaded
    is not kept: each plan says its own located error."""

    def __init__(self, extra: tuple[str, ...], pack_path: tuple[str, ...], packs_only: bool):
        self.extra = extra
        self.pack_path = pack_path
        self.packs_only = packs_only

    def get(self, path: str, plan: Plan) -> PackSet:
        from releve.rules.packs import load_pack_set

        return load_pack_set(
            path, plan, self.extra, pack_path=self.pack_path, plan_packs=not self.packs_only
        )
