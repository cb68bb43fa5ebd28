"""A plan's history: every committed version checked, with the packs of its own commit.

:func:`plan_history` lists the commits that changed the plan (renames followed) and those
that changed a rule pack it names inside the same repository, checks each version as of
its commit date (or one ``as_of`` for all), and adds the uncommitted changes as a last
version. :func:`load_version` gives one version's check result (for ``releve diff --rev``).

The parts: :mod:`.git` reads the repository, :mod:`.packfiles` finds a version's packs as
of its commit, :mod:`.checker` checks a version (cached by content), :mod:`.moves` holds
the versions and what moved between them (re-exported here).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.planner.errors import LocatedError
from releve.tui.history.cache import Cache
from releve.tui.history.cache import key as cache_key
from releve.tui.history.checker import Checker
from releve.tui.history.git import Commit, HistoryError, Repo
from releve.tui.history.labels import text
from releve.tui.history.moves import Cause, History, Move, Version, causes_between

if TYPE_CHECKING:  # history read from its cache imports neither pydantic nor the checker
    from releve.rules.result import CheckResult
    from releve.tui.history.packfiles import PackKey

__all__ = [
    "Cause",
    "Checker",
    "History",
    "Loaded",
    "Move",
    "Version",
    "causes_between",
    "load_version",
    "load_versions",
    "plan_history",
]


# --- the history ----------------------------------------------------------------------------


def plan_history(
    path: str | os.PathLike[str],
    *,
    today: dt.date,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    lang: str | None = None,
    extra_packs: Sequence[str | os.PathLike[str]] = (),
    cache: Cache | None = None,
    uncommitted: bool = True,
    pack_path: Sequence[str | os.PathLike[str]] = (),
    packs_only: bool = False,
) -> History:
    """Every version of the plan at ``path``, oldest first, each checked as of its commit
    date (or ``as_of`` for all); the uncommitted changes last, checked as of ``as_of`` or
    ``today``. ``since`` keeps the versions committed on or after that date (the one just
    before is kept as ``History.previous``, for the first move).

    Raises HistoryError: a folder, not in git, shallow clone, never committed."""
    if os.path.isdir(path):
        raise HistoryError(
            "is a folder; history follows one plan file (releve portfolio reads a folder)",
            path=str(path),
        )
    repo, rel = Repo.of(path)
    with (
        repo,
        Checker(
            repo,
            cache=cache,
            extra_packs=extra_packs,
            lang=lang,
            pack_path=pack_path,
            packs_only=packs_only,
        ) as checker,
    ):
        commits = repo.follow(rel)
        if not commits:
            if not os.path.exists(path):
                raise HistoryError("no such file, in the folder or in git", path=str(path))
            raise HistoryError(
                "never committed, so it has no history yet (git add and git commit it)",
                path=str(path),
            )
        rows = _rows(repo, checker, commits)
        wanted = [i for i, (c, _, _) in enumerate(rows) if since is None or c.date >= since]
        first = wanted[0] if wanted else len(rows)
        start = max(first - 1, 0) if since is not None else 0
        versions: list[Version] = []
        prev_digest: str | None = None
        for i in range(start, len(rows)):
            commit, plan_changed, _ = rows[i]
            day = as_of or commit.date
            # The commit names the plan's blob: it is read only when not in the cache.
            figures, plan_blob, digest = checker.check(
                commit.sha, commit.path, None, day, blob=commit.blob
            )
            versions.append(
                Version(
                    sha=commit.sha,
                    date=commit.date,
                    subject=commit.subject,
                    path=commit.path,
                    as_of=day,
                    figures=figures,
                    plan_changed=plan_changed,
                    # Between readable versions only: a broken plan names no pack we know.
                    packs_changed=figures.ok and prev_digest not in (None, digest),
                    plan_blob=plan_blob,
                    packs_digest=digest,
                )
            )
            if figures.ok:
                prev_digest = digest
        previous = versions.pop(0) if since is not None and first > 0 and versions else None
        last = versions[-1] if versions else previous
        if uncommitted:
            version = _uncommitted(repo, checker, rel, as_of or today, last)
            if version is not None:
                versions.append(version)
        lang_shown = lang or next(
            (v.figures.lang for v in reversed(versions) if v.figures.ok), "en"
        )
        return History(
            path=str(path),
            root=repo.root,
            rel=rel,
            versions=versions,
            lang=lang_shown,
            previous=previous,
            hits=checker.hits,
            checked=checker.checked,
        )


def _rows(repo: Repo, checker: Checker, commits: list[Commit]) -> list[tuple[Commit, bool, str]]:
    """The plan's commits plus those that changed only a pack it names (in the same
    repository), in history order: (commit as the plan stood then, plan changed, digest)."""
    pack_paths: set[str] = set()
    for c in commits:
        named = _named(checker, c)
        keys, files = checker.pack_files(c.sha, c.path, named)
        pack_paths.update(path for where, path in files if where == "repo")
    if not pack_paths:
        return [(c, True, "") for c in commits]
    by_sha = {c.sha: c for c in commits}
    plan_paths = sorted({c.path for c in commits})
    order = repo.log([*plan_paths, *sorted(pack_paths)])
    rows: list[tuple[Commit, bool, str]] = []
    current: Commit | None = None
    last_digest = ""
    seen: set[str] = set()
    for sha, time, date, subject in order:
        if sha in by_sha:
            current = by_sha[sha]
            seen.add(sha)
            _, files = checker.pack_files(sha, current.path, _named(checker, current))
            last_digest = checker.digest(files)
            rows.append((current, True, last_digest))
            continue
        if current is None:
            continue  # a pack changed before the plan existed
        _, files = checker.pack_files(sha, current.path, _named(checker, current))
        digest = checker.digest(files)
        if digest == last_digest:
            continue
        last_digest = digest
        as_commit = Commit(sha, time, date, subject, current.path, current.blob)
        rows.append((as_commit, False, digest))
    for c in commits:  # never expected: a plan commit the path-limited log left out
        if c.sha not in seen:
            rows.append((c, True, ""))
    return rows


def _named(checker: Checker, commit: Commit) -> list[str]:
    """The packs a committed version names (from the cache, else parsed once)."""
    meta_key = cache_key("named-packs", commit.blob)
    meta = checker.cache.get(meta_key)
    if meta is not None:
        return list(meta.get("named") or [])
    from releve.planner.store import decode, loads

    data = checker.repo.read(commit.blob) or b""
    try:
        plan = loads(decode(data, commit.path), commit.path)
        named = list(plan.rules.packs) if plan.rules else []
    except LocatedError:
        named = []
    checker.cache.put(meta_key, {"named": named})
    return named


def _uncommitted(
    repo: Repo, checker: Checker, rel: str, day: dt.date, last: Version | None
) -> Version | None:
    """The working tree's version when it differs from the last commit's (plan or packs)."""
    try:
        data = (repo.root / rel).read_bytes()
    except OSError:
        return None
    figures, plan_blob, digest = checker.check(None, rel, data, day)
    if last is not None and (plan_blob, digest) == (last.plan_blob, last.packs_digest):
        return None
    return Version(
        sha=None,
        date=day,
        subject=text(figures.lang, "uncommitted"),
        path=rel,
        as_of=day,
        figures=figures,
        plan_changed=last is None or plan_blob != last.plan_blob,
        packs_changed=(
            figures.ok and last is not None and last.figures.ok and digest != last.packs_digest
        ),
        plan_blob=plan_blob,
        packs_digest=digest,
    )


def write_snapshot(
    folder: Path, files: dict[PackKey, bytes | None], plan_rel: str, text_: str
) -> Path:
    """A past version's plan and the pack files of its commit, written into ``folder`` (in
    the checker's own temporary folder) for the ordinary pack loader; the plan's path
    there. The one place history writes files itself (tests/planner/test_store_writers.py):
    copies of committed files, never a plan of the user's."""
    for (where, path), data in files.items():
        if where == "repo" and data is not None and data != b"<folder>":
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    plan_path = folder / plan_rel
    plan_path.parent.mkdir(parents=True, exist_ok=True)
    plan_path.write_text(text_, encoding="utf-8")
    return plan_path


# --- one version, for diff -------------------------------------------------------------------


@dataclass
class Loaded:
    """A version's check result and where it came from."""

    result: CheckResult
    label: str  # "abc1234" or the file's path
    sha: str | None = None
    date: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def load_version(
    path: str | os.PathLike[str],
    rev: str | None,
    *,
    as_of: dt.date,
    lang: str | None = None,
    extra_packs: Sequence[str | os.PathLike[str]] = (),
    pack_path: Sequence[str | os.PathLike[str]] = (),
    packs_only: bool = False,
) -> Loaded:
    """The plan at ``path`` as committed in ``rev`` (a commit, branch, tag…; None: the
    working tree), with the packs of that commit, checked as of ``as_of``."""
    return load_versions(
        path,
        [rev],
        as_of=as_of,
        lang=lang,
        extra_packs=extra_packs,
        pack_path=pack_path,
        packs_only=packs_only,
    )[0]


def load_versions(
    path: str | os.PathLike[str],
    revs: Sequence[str | None],
    *,
    as_of: dt.date,
    lang: str | None = None,
    extra_packs: Sequence[str | os.PathLike[str]] = (),
    pack_path: Sequence[str | os.PathLike[str]] = (),
    packs_only: bool = False,
) -> list[Loaded]:
    """:func:`load_version` of each revision in turn (the first that cannot be read
    raises), reading the repository once and loading a pack set once for the versions
    that have the same packs (``releve diff --rev``)."""
    repo, rel = Repo.of(path)
    out: list[Loaded] = []
    commits: list[Commit] | None = None
    with (
        repo,
        Checker(
            repo, extra_packs=extra_packs, lang=lang, pack_path=pack_path, packs_only=packs_only
        ) as checker,
    ):
        for rev in revs:
            if rev is None:
                data = (repo.root / rel).read_bytes()
                out.append(Loaded(checker.result(None, rel, data, as_of), label=str(path)))
                continue
            sha = repo.resolve(rev)
            if commits is None:
                commits = repo.follow(rel)
            if not commits:
                raise HistoryError("never committed, so it has no history yet", path=str(path))
            # The plan's path at that commit: the newest of its commits at or before it.
            at = _path_at(repo, commits, sha) or rel
            blob = repo.read(f"{sha}:{at}")
            if blob is None:
                raise HistoryError(f"not in revision {rev} (it did not exist then)", path=str(path))
            out.append(Loaded(checker.result(sha, at, blob, as_of), label=f"{rev}", sha=sha))
    return out


def _path_at(repo: Repo, commits: list[Commit], sha: str) -> str | None:
    if any(c.sha == sha for c in commits):
        return next(c.path for c in commits if c.sha == sha)
    ancestors = set(
        repo.run("rev-list", sha, "--", *sorted({c.path for c in commits})).decode().split()
    )
    for c in reversed(commits):
        if c.sha in ancestors:
            return c.path
    return None
