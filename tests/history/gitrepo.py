"""Temporary git repositories for the history, diff and portfolio tests: commits with
known dates, and each version checked out again with `git archive` (the oracle side)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

GIT = shutil.which("git")


def need_git() -> str:
    if GIT is None:
        pytest.skip("git is not installed")
    return GIT


class GitRepo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str | None = None) -> str:
        env = dict(os.environ)
        env.update(
            GIT_AUTHOR_NAME="Test",
            GIT_AUTHOR_EMAIL="test@example.org",
            GIT_COMMITTER_NAME="Test",
            GIT_COMMITTER_EMAIL="test@example.org",
            GIT_CONFIG_NOSYSTEM="1",
            HOME=str(self.root),
        )
        if date:
            env.update(
                GIT_AUTHOR_DATE=f"{date}T12:00:00+01:00",
                GIT_COMMITTER_DATE=f"{date}T12:00:00+01:00",
            )
        proc = subprocess.run(
            [need_git(), "-C", str(self.root), *args], capture_output=True, env=env, check=True
        )
        return proc.stdout.decode()

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str, date: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()

    def export(self, sha: str, dest: Path) -> Path:
        """The whole tree of ``sha`` written to ``dest`` (git archive), for `releve check`."""
        dest.mkdir(parents=True, exist_ok=True)
        data = subprocess.run(
            [need_git(), "-C", str(self.root), "archive", "--format=tar", sha],
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
        return dest
