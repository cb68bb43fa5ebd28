"""Reading a plan's git history with the `git` command (no library).

Why the command and not dulwich or pygit2: every machine that has a plan in git has git,
and it reads every repository git can (packed refs, partial clones, worktrees, the
`safe.directory` and `core.*` settings the user chose) exactly as the user's own `git log`
does, renames followed by git's own detection. pygit2 needs libgit2 (wheels, but its own
notion of config and no `--follow`), dulwich re-implements the object store in Python
(slower on packs, no rename following). Three processes per plan are enough: one
`rev-parse`, one `log --follow --raw`, and one long-running `cat-file --batch` that
hands every blob over one pipe.

Nothing here checks a plan; :mod:`releve.tui.history.versions` does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from releve.planner.errors import LocatedError

ZERO = "0" * 40


class HistoryError(LocatedError):
    """The plan's history cannot be read: not in git, never committed, shallow clone…"""


@dataclass(frozen=True)
class Commit:
    """One commit that changed the plan (or a pack it names)."""

    sha: str
    time: int  # committer time, seconds since the epoch
    date: dt.date  # committer date, in the committer's time zone
    subject: str
    path: str  # the plan's path in the repository at this commit (renames followed)
    blob: str  # the plan's blob id at this commit

    @property
    def short(self) -> str:
        return self.sha[:7]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Plain output whatever the user's settings: no pager, no colour, paths unquoted.
    env.update(GIT_PAGER="cat", PAGER="cat", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    return env


class Repo:
    """A git repository holding a plan file."""

    def __init__(self, root: Path, git: str) -> None:
        self.root = root
        self.git = git
        self._batch: subprocess.Popen[bytes] | None = None
        self._objects: dict[str, tuple[str, bytes] | None] = {}

    # --- finding the repository -----------------------------------------------------------

    @classmethod
    def of(cls, plan: str | os.PathLike[str]) -> tuple[Repo, str]:
        """The repository of ``plan`` and the plan's path in it (``missions/a.toml``).

        Raises HistoryError (one line naming the plan) when git is missing, the plan is in
        no git repository, or the repository is a shallow clone."""
        shown = str(plan)
        git = shutil.which("git")
        if git is None:
            raise HistoryError("git is not installed; history needs the git command", path=shown)
        real = Path(os.path.realpath(plan))
        folder = real.parent
        if not folder.is_dir():
            raise HistoryError("no such folder", path=shown)
        found = _toplevel(git, str(folder))
        if found == "dubious":
            raise HistoryError(
                "git refuses this repository (it belongs to another user); if you trust it, "
                f"run: git config --global --add safe.directory {folder}",
                path=shown,
            )
        if not isinstance(found, tuple):
            raise HistoryError(
                "not in a git repository; history reads the commits of a plan kept in git",
                path=shown,
            )
        root, shallow = found
        if shallow:
            raise HistoryError(
                "the repository is a shallow clone, so its history is cut short; run "
                "`git fetch --unshallow` (in CI: actions/checkout with fetch-depth: 0)",
                path=shown,
            )
        rel = real.relative_to(root).as_posix()
        return cls(root, git), rel

    # --- commands ----------------------------------------------------------------------

    def run(self, *args: str) -> bytes:
        proc = subprocess.run(
            [self.git, "-C", str(self.root), *args],
            capture_output=True,
            env=_env(),
            check=False,
        )
        if proc.returncode != 0:
            first = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise HistoryError(
                f"git {args[0]} failed: {first[-1] if first else proc.returncode}",
                path=str(self.root),
            )
        return proc.stdout

    def has_commits(self) -> bool:
        proc = subprocess.run(
            [self.git, "-C", str(self.root), "rev-parse", "--verify", "-q", "HEAD"],
            capture_output=True,
            env=_env(),
            check=False,
        )
        return proc.returncode == 0

    def resolve(self, rev: str) -> str:
        """The commit id of ``rev`` (a branch, tag, ``HEAD~3``…); HistoryError if none."""
        proc = subprocess.run(
            [self.git, "-C", str(self.root), "rev-parse", "--verify", "-q", f"{rev}^{{commit}}"],
            capture_output=True,
            env=_env(),
            check=False,
        )
        if proc.returncode != 0 or rev.startswith("-"):
            raise HistoryError(f"no such revision {rev!r}", path=str(self.root))
        return proc.stdout.decode().strip()

    def follow(self, rel: str) -> list[Commit]:
        """The commits that changed ``rel``, oldest first, renames followed (git log
        --follow); a commit that deleted it is left out. Within remember_folders (a
        portfolio), the repository's whole log is read once and followed for each plan."""
        if _LOGS is not None:
            logged = _LOGS.get(str(self.root))
            if logged is None:
                logged = _LOGS[str(self.root)] = self._whole_log()
            return _follow_in(logged, rel)
        try:
            out = self.run(
                "-c",
                "core.quotePath=false",
                "log",
                "--follow",
                "-M",
                "--format=%x01%H%x02%ct%x02%cI%x02%s",
                "--raw",
                "--no-abbrev",
                "-z",
                "HEAD",
                "--",
                rel,
            )
        except HistoryError:
            if not self.has_commits():  # a repository without any commit yet
                return []
            raise
        return list(reversed(list(_parse_log(out, rel))))

    def _whole_log(self) -> list[_Logged]:
        """Every commit of HEAD, newest first, with the files it changed (renames found)."""
        try:
            out = self.run(
                "-c",
                "core.quotePath=false",
                "log",
                "-M",
                "--format=%x01%H%x02%ct%x02%cI%x02%s",
                "--raw",
                "--no-abbrev",
                "-z",
                "HEAD",
            )
        except HistoryError:
            if not self.has_commits():
                return []
            raise
        return list(_parse_whole_log(out))

    def log(self, paths: Sequence[str]) -> list[tuple[str, int, dt.date, str]]:
        """(sha, time, date, subject) of the commits that changed any of ``paths``,
        oldest first (topological order)."""
        if not paths:
            return []
        out = self.run(
            "log", "--topo-order", "--format=%H%x02%ct%x02%cI%x02%s", "-z", "HEAD", "--", *paths
        )
        rows = []
        for rec in out.decode("utf-8", "surrogateescape").split("\0"):
            rec = rec.strip("\n")
            if not rec:
                continue
            sha, ct, ci, subject = (rec.split("\x02", 3) + ["", "", ""])[:4]
            rows.append((sha, int(ct), dt.date.fromisoformat(ci[:10]), subject))
        rows.reverse()
        return rows

    # --- objects -----------------------------------------------------------------------

    def _pipe(self) -> subprocess.Popen[bytes]:
        if self._batch is None:
            self._batch = subprocess.Popen(
                [self.git, "-C", str(self.root), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_env(),
            )
        return self._batch

    def _object(self, spec: str) -> tuple[str, bytes] | None:
        """(type, content) of an object named by id or ``COMMIT:PATH``; None if missing."""
        if spec in self._objects:
            return self._objects[spec]
        pipe = self._pipe()
        assert pipe.stdin is not None and pipe.stdout is not None
        pipe.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        pipe.stdin.flush()
        header = pipe.stdout.readline().decode("utf-8", "replace").split()
        found: tuple[str, bytes] | None = None
        if len(header) == 3:
            data = pipe.stdout.read(int(header[2]))
            pipe.stdout.read(1)  # the newline after the content
            found = (header[1], data)
        self._objects[spec] = found
        return found

    def read(self, spec: str) -> bytes | None:
        """The content of a blob by id, or of ``COMMIT:PATH``; None when it is no file."""
        found = self._object(spec)
        return found[1] if found is not None and found[0] == "blob" else None

    def tree(self, spec: str) -> list[tuple[str, str]] | None:
        """The entries (name, type "blob" or "tree") of a folder named ``COMMIT:PATH``;
        None when it is no folder."""
        found = self._object(spec)
        if found is None or found[0] != "tree":
            return None
        data, out, i = found[1], [], 0
        while i < len(data):
            space = data.index(b" ", i)
            nul = data.index(b"\0", space)
            mode = data[i:space]
            name = data[space + 1 : nul].decode("utf-8", "surrogateescape")
            out.append((name, "tree" if mode.startswith(b"4") else "blob"))
            i = nul + 21  # the 20-byte object id follows the name
        return out

    def close(self) -> None:
        if self._batch is not None:
            if self._batch.stdin:
                self._batch.stdin.close()
            self._batch.wait()
            if self._batch.stdout:
                self._batch.stdout.close()
            self._batch = None

    def __enter__(self) -> Repo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Folder -> (repository root, shallow) or None, for this process: a portfolio asks once
#: per folder, not once per plan.
_TOPLEVELS: dict[tuple[str, str], tuple[Path, bool] | str | None] | None = None

#: One commit of a whole log: (sha, time, date, subject, [(status, old, new, blob)]).
_Logged = tuple[str, int, dt.date, str, tuple[tuple[str, str, str, str], ...]]
#: Repository root -> its whole log, newest first, within remember_folders: a portfolio
#: runs one git log per repository, not one per plan.
_LOGS: dict[str, list[_Logged]] | None = None


@contextlib.contextmanager
def remember_folders() -> Iterator[None]:
    """Within this block, each folder's repository is looked up once, and each
    repository's log read once (portfolio)."""
    global _TOPLEVELS, _LOGS
    before, logs = _TOPLEVELS, _LOGS
    _TOPLEVELS = {} if before is None else before
    _LOGS = {} if logs is None else logs
    try:
        yield
    finally:
        _TOPLEVELS, _LOGS = before, logs


def _parse_whole_log(out: bytes) -> Iterator[_Logged]:
    """The commits of ``git log -M --raw -z --format=%x01…`` (every file), newest first."""
    for rec in out.decode("utf-8", "surrogateescape").split("\x01"):
        if not rec:
            continue
        header, _, rest = rec.partition("\0")
        sha, ct, ci, subject = (header.split("\x02", 3) + ["", "", ""])[:4]
        tokens = rest.lstrip("\n").split("\0")
        changes: list[tuple[str, str, str, str]] = []
        i = 0
        while i < len(tokens):
            meta = tokens[i]
            if not meta.startswith(":"):
                i += 1
                continue
            fields = meta[1:].split()
            status = fields[4] if len(fields) > 4 else "M"
            blob = fields[3] if len(fields) > 3 else ZERO
            if status[:1] in ("R", "C") and i + 2 < len(tokens):
                changes.append((status, tokens[i + 1], tokens[i + 2], blob))
                i += 3
            elif i + 1 < len(tokens):
                changes.append((status, tokens[i + 1], tokens[i + 1], blob))
                i += 2
            else:
                i += 1
        yield sha, int(ct), dt.date.fromisoformat(ci[:10]), subject, tuple(changes)


def _follow_in(logged: list[_Logged], rel: str) -> list[Commit]:
    """``Repo.follow`` over a whole log: the commits that changed ``rel``, oldest first,
    renames followed back to the file's older names; deletions left out."""
    path = rel
    out: list[Commit] = []
    for sha, ct, day, subject, changes in logged:
        hit = next((c for c in changes if c[2] == path), None)
        if hit is None:
            continue
        status, old, new, blob = hit
        if status[:1] == "R":
            path = old  # older commits know the file by its old name
        if blob != ZERO and status[:1] != "D":
            out.append(Commit(sha=sha, time=ct, date=day, subject=subject, path=new, blob=blob))
    out.reverse()
    return out


def _toplevel(git: str, folder: str) -> tuple[Path, bool] | str | None:
    """(root, shallow) of the folder's repository; None when there is none; "dubious" when
    git refuses it (safe.directory)."""
    key = (git, folder)
    memo = _TOPLEVELS if _TOPLEVELS is not None else {}
    if key not in memo:
        proc = subprocess.run(
            [git, "-C", folder, "rev-parse", "--show-toplevel", "--is-shallow-repository"],
            capture_output=True,
            env=_env(),
            check=False,
        )
        if proc.returncode != 0:
            refused = b"dubious ownership" in proc.stderr or b"safe.directory" in proc.stderr
            memo[key] = "dubious" if refused else None
        else:
            lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
            shallow = len(lines) > 1 and lines[1].strip() == "true"
            memo[key] = (Path(os.path.realpath(lines[0])), shallow)
    return memo[key]


def _parse_log(out: bytes, rel: str) -> Iterable[Commit]:
    """Commits from ``git log --format=%x01… --raw -z`` of one path (newest first)."""
    path = rel
    for rec in out.decode("utf-8", "surrogateescape").split("\x01"):
        if not rec:
            continue
        header, _, rest = rec.partition("\0")
        sha, ct, ci, subject = (header.split("\x02", 3) + ["", "", ""])[:4]
        tokens = rest.lstrip("\n").split("\0")
        blob = None
        new_path = path
        i = 0
        while i < len(tokens):
            meta = tokens[i]
            if not meta.startswith(":"):
                i += 1
                continue
            fields = meta[1:].split()
            status = fields[4] if len(fields) > 4 else "M"
            if status[:1] in ("R", "C"):
                old, new = tokens[i + 1], tokens[i + 2]
                i += 3
            else:
                old = new = tokens[i + 1] if i + 1 < len(tokens) else path
                i += 2
            if new == path or old == path or blob is None:
                blob = fields[3] if len(fields) > 3 else None
                new_path = new
                if status[:1] in ("R", "C"):
                    path = old  # older commits know the file by its old name
        if blob is None or blob == ZERO:
            continue  # a merge without a diff, or the commit that deleted the file
        yield Commit(
            sha=sha,
            time=int(ct),
            date=dt.date.fromisoformat(ci[:10]),
            subject=subject,
            path=new_path,
            blob=blob,
        )


def blob_id(data: bytes) -> str:
    """The git blob id of ``data`` (what `git hash-object` prints, without filters)."""
    import hashlib

    h = hashlib.sha1(usedforsecurity=False)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()
