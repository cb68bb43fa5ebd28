"""The one save path of a plan file: digest check against what was opened, then one atomic
write (through symbolic links, mode kept). ``save`` writes a Plan, ``save_text`` raw text
(defined in :mod:`.text_saving`, which imports neither pydantic nor tomlkit)."""

from __future__ import annotations

import os
from pathlib import Path

from releve.planner.model import Plan
from releve.planner.store.atomic import target_of, write_atomic
from releve.planner.store.canonical import dumps
from releve.planner.store.files import Fingerprint, PlanFile
from releve.planner.store.text_saving import _check_unchanged, save_text
from releve.planner.store.writer import render

__all__ = ["save", "save_text"]


def save(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    base: PlanFile | None = None,
    force: bool = False,
) -> PlanFile:
    """Write ``plan`` to ``path`` atomically and return what is now on disk.

    With ``base`` (the file as loaded), the plan is written onto base's text, keeping the
    user's comments and layout, and if ``path`` is base's file and its content changed on
    disk since it was loaded, ConflictError is raised (unless ``force``). A crash at any
    moment leaves either the old file or the new one, never a mix: the text goes to a
    temporary file in the same folder, is flushed to disk, then renamed over the file.
    """
    p = Path(path)
    target = target_of(p)  # write through a symlink, do not replace it
    if base is not None and not force and target == target_of(base.path):
        _check_unchanged(target, base.fingerprint, str(base.path))
    text = render(plan, base.text) if base is not None else dumps(plan)
    data = text.encode("utf-8")
    st = write_atomic(p, data)
    return PlanFile(p, plan, text, Fingerprint.of_bytes(data, st))
