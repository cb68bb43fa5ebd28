"""Recovery journal: unsaved edits written to the state folder so a crash loses nothing.

One file per plan: ``$RELEVE_STATE_DIR`` when set (tests), else ``$XDG_STATE_HOME/releve``,
else ``~/.local/state/releve``; then ``recovery/<sha256 of the plan's absolute path>.toml``.
The file is the plan's TOML text (loadable by ``releve``) after one comment line naming
the plan it belongs to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from releve.planner.store.atomic import write_atomic

HEADER = "# releve recovery of: "


def state_dir() -> Path:
    if os.environ.get("RELEVE_STATE_DIR"):
        return Path(os.environ["RELEVE_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "releve"


def plan_key(plan_path: str | Path | None) -> str:
    """What identifies a plan in the journal: its absolute path, or ``<untitled>``."""
    return str(Path(plan_path).resolve()) if plan_path else "<untitled>"


def recovery_path(plan_path: str | Path | None) -> Path:
    digest = hashlib.sha256(plan_key(plan_path).encode("utf-8")).hexdigest()[:32]
    return state_dir() / "recovery" / f"{digest}.toml"


class Journal:
    """The recovery file of one plan."""

    def __init__(self, plan_path: str | Path | None) -> None:
        self.plan_path = plan_path
        self.path = recovery_path(plan_path)

    def write(self, text: str) -> None:
        """Atomically replace the recovery file with ``text`` (the plan's TOML), through the
        store's one atomic write. The file holds the plan's text: the recovery folder is
        kept private (0700), as the file itself was before (0600). An OSError names the
        recovery file and, when the folder cannot be written, the folder."""
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # not ours to change: write all the same
            if stat.S_IMODE(folder.stat().st_mode) & 0o077:
                folder.chmod(0o700)
        body = f"{HEADER}{plan_key(self.plan_path)}\n{text}"
        write_atomic(self.path, body.encode("utf-8"))

    def read(self) -> str | None:
        """The journalled plan text, or None when there is nothing to recover."""
        try:
            body = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        first, _, text = body.partition("\n")
        if not first.startswith(HEADER) or first[len(HEADER) :] != plan_key(self.plan_path):
            return None
        return text

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
