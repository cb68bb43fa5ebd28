"""A plan's history: every committed version checked, with the packs of its own commit.

:func:`plan_history` lists the commits that changed the plan (renames followed) and those
that changed a rule pack it names inside the same repository, checks each version as of
its commit date (or one ``as_of`` for all), and adds the uncommitted changes as a last
version. :func:`load_version` gives one version's check result (for ``releve diff --rev``).

Packs at a commit: each pack the plan names in ``[rules].packs`` (and each pack a pack
``extends``) is read from the same commit when it lies in the repository; a pack outside
the repository is read from disk as it is now; ``--pack`` files are read from disk. The
versions' pack files are written to a private temporary folder so the ordinary pack
loader reads them; errors name them as ``COMMIT:PATH``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.planner.errors import LocatedError
from releve.tui.history.cache import Cache
from releve.tui.history.cache import key as cache_key
from releve.tui.history.figures import Figures, FindingKey, figures_of
from releve.tui.history.git import Commit, HistoryError, Repo, blob_id
from releve.tui.history.labels import text

if TYPE_CHECKING:  # history read from its cache imports neither pydantic nor the checker
    from releve.planner.model import Plan
    from releve.rules.result import CheckResult


#: (path, size, mtime) -> blob id of the default pack's files: a portfolio's 300 trends
#: hash them once, not once per plan.
_FILE_BLOBS: dict[tuple[str, int, int], str] = {}


def _file_blob(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    found = _FILE_BLOBS.get(key)
    if found is None:
        if len(_FILE_BLOBS) > 256:
            _FILE_BLOBS.clear()
        found = _FILE_BLOBS[key] = blob_id(path.read_bytes())
    return found


def _default_pack() -> Path:
    """The default rule pack (rules.packs.DEFAULT_PACK: the folder ``rules/default``)."""
    import importlib.util

    spec = importlib.util.find_spec("releve.rules")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "default"


#: (where, path): ("repo", "packs/firm.toml") inside the repository, ("disk", "/abs") outside.
PackKey = tuple[str, str]


@dataclass(frozen=True)
class Version:
    """One version of the plan and what it scored."""

    sha: str | None  # None: the uncommitted changes in the working tree
    date: dt.date  # the commit date (uncommitted: the check date)
    subject: str  # the commit's first line
    path: str  # the plan's path in the repository at this version
    as_of: dt.date  # the date it was checked as of
    figures: Figures
    plan_changed: bool = True  # False: a commit that changed only a pack
    packs_changed: bool = False  # the packs in force differ from the previous version's
    plan_blob: str = ""
    packs_digest: str = ""

    @property
    def uncommitted(self) -> bool:
        return self.sha is None

    @property
    def short(self) -> str:
        return self.sha[:7] if self.sha else ""


@dataclass(frozen=True)
class Cause:
    """Why readiness moved between two versions: one finding resolved or appeared, a
    waiver granted or lost, or the packs changed."""

    kind: str  # "resolved" | "appeared" | "waived" | "unwaived" | "packs" | "date"
    finding: FindingKey | None = None
    points: float = 0.0  # readiness points the rule costs (0 when unknown)

    @property
    def sign(self) -> str:
        """ "+" for what raises readiness (resolved, waived), "−" for what lowers it."""
        if self.kind in ("resolved", "waived"):
            return "+"
        return "−" if self.kind in ("appeared", "unwaived") else ""

    def describe(self, lang: str) -> str:
        """ "+ EXT003 resolved on Process Devis", "− EXT002 appeared on Person Léa"."""
        if self.finding is None:
            return text(lang, "pack_move" if self.kind == "packs" else "no_cause")
        said = text(lang, self.kind, rule=self.finding.rule, target=self.finding.label)
        return f"{self.sign} {said}"

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "points": round(self.points, 2)}
        if self.finding is not None:
            d.update(rule=self.finding.rule, name=self.finding.name, target=self.finding.target)
            d["label"] = self.finding.label
        return d


@dataclass(frozen=True)
class Move:
    """The change of readiness from one version to the next, and its causes."""

    before: Version
    after: Version
    delta: int
    causes: tuple[Cause, ...]

    def describe(self, lang: str, *, limit: int = 3) -> str:
        shown = [c.describe(lang) for c in self.causes[:limit]]
        if len(self.causes) > limit:
            shown.append(text(lang, "more_causes", n=len(self.causes) - limit))
        return text(lang, "move", delta=self.delta, causes=", ".join(shown))


def causes_between(before: Figures, after: Figures) -> tuple[Cause, ...]:
    """The finding changes from ``before`` to ``after``, the costliest first."""
    old = {f.key: f for f in before.findings}
    new = {f.key: f for f in after.findings}
    causes: list[Cause] = []
    for k, f in old.items():
        g = new.get(k)
        if g is None and not f.waived:
            causes.append(Cause("resolved", f, before.costs.get(f.rule, 0.0)))
        elif g is not None and g.waived and not f.waived:
            causes.append(Cause("waived", g, before.costs.get(f.rule, 0.0)))
    for k, g in new.items():
        was = old.get(k)
        if was is None and not g.waived:
            causes.append(Cause("appeared", g, after.costs.get(g.rule, 0.0)))
        elif was is not None and was.waived and not g.waived:
            causes.append(Cause("unwaived", g, after.costs.get(g.rule, 0.0)))
    causes.sort(key=lambda c: (-c.points, c.kind, c.finding.rule if c.finding else ""))
    return tuple(causes)


def _leading(causes: tuple[Cause, ...], *, up: bool) -> tuple[Cause, ...]:
    """The causes that moved readiness the way it went first (a rise is told by what was
    resolved or waived, a fall by what appeared), each group costliest first."""
    helps = {"resolved", "waived"} if up else {"appeared", "unwaived"}
    return tuple(sorted(causes, key=lambda c: c.kind not in helps))


@dataclass
class History:
    """The versions of one plan, oldest first (the uncommitted one last)."""

    path: str  # as the user gave it
    root: Path  # the repository
    rel: str  # the plan's path in the repository now
    versions: list[Version]
    lang: str
    previous: Version | None = None  # the version before the first shown (with --since)
    hits: int = 0  # versions read from the cache
    checked: int = 0  # versions checked anew

    def moves(self) -> list[Move]:
        """Every change of readiness between consecutive readable versions."""
        out: list[Move] = []
        prev = self.previous if self.previous and self.previous.figures.ok else None
        for v in self.versions:
            if not v.figures.ok:
                continue
            if prev is not None:
                a, b = prev.figures.readiness, v.figures.readiness
                if a is not None and b is not None and a != b:
                    causes = _leading(causes_between(prev.figures, v.figures), up=b > a)
                    if not causes:
                        causes = (Cause("packs" if v.packs_changed else "date"),)
                    out.append(Move(prev, v, b - a, causes))
            prev = v
        return out

    def biggest_moves(self, n: int = 3) -> list[Move]:
        moves = self.moves()
        moves.sort(key=lambda m: (-abs(m.delta), m.after.date))
        return moves[:n]


# --- checking one version ---------------------------------------------------------------------


class Checker:
    """Checks versions of plans of one repository, with their packs as of each commit,
    caching figures by content. Use as a context manager (it owns a temporary folder)."""

    def __init__(
        self,
        repo: Repo,
        *,
        cache: Cache | None = None,
        extra_packs: Sequence[str | os.PathLike[str]] = (),
        lang: str | None = None,
        pack_path: Sequence[str | os.PathLike[str]] = (),
        packs_only: bool = False,
    ) -> None:
        self.repo = repo
        self.cache = cache or Cache(None)
        self.extra = tuple(str(p) for p in extra_packs)
        self.lang = lang
        self.pack_path = tuple(str(p) for p in pack_path)
        self.packs_only = packs_only  # the buyer's view: the plan's own packs not applied
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._packsets: dict[str, Any] = {}
        self._base_digest: str | None = None
        self.hits = 0
        self.checked = 0

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # --- packs --------------------------------------------------------------------------

    def _join(self, base: PackKey, name: str) -> PackKey:
        where, path = base
        if where == "repo":
            folder = posixpath.dirname(path)
            if not os.path.isabs(name):
                joined = posixpath.normpath(posixpath.join(folder, name.replace(os.sep, "/")))
                if joined != ".." and not joined.startswith("../"):
                    return ("repo", joined)
            return ("disk", os.path.normpath(os.path.join(self.repo.root, folder, name)))
        return ("disk", os.path.normpath(os.path.join(os.path.dirname(path), name)))

    def _read(self, sha: str | None, k: PackKey) -> bytes | None:
        where, path = k
        if where == "repo" and sha is not None:
            return self.repo.read(f"{sha}:{path}")
        full = self.repo.root / path if where == "repo" else Path(path)
        try:
            return full.read_bytes()
        except OSError:
            return None

    def _folder(self, sha: str | None, k: PackKey) -> list[PackKey] | None:
        """A folder pack's files (pack.toml first, then its other .toml files by name, as
        the pack loader reads them); None when ``k`` is no folder."""
        where, path = k
        if where == "repo" and sha is not None:
            entries = self.repo.tree(f"{sha}:{path}")
            if entries is None:
                return None
            names = [n for n, kind in entries if kind == "blob" and n.endswith(".toml")]
        else:
            full = self.repo.root / path if where == "repo" else Path(path)
            if not full.is_dir():
                return None
            names = [p.name for p in full.iterdir() if p.suffix == ".toml" and p.is_file()]
        join = posixpath.join if where == "repo" else os.path.join
        rest = sorted(n for n in names if n != "pack.toml")
        return [(where, join(path, n)) for n in ["pack.toml", *rest]]

    def pack_files(
        self, sha: str | None, plan_rel: str, named: Sequence[str]
    ) -> tuple[list[PackKey], dict[PackKey, bytes | None]]:
        """The packs a version names and those they extend, read as of ``sha``: each
        file's content (None when missing), folder packs file by file."""
        files: dict[PackKey, bytes | None] = {}
        keys: list[PackKey] = []
        if self.packs_only:
            named = ()

        def visit(k: PackKey, depth: int) -> None:
            if k in files or depth > 32:
                return
            data = self._read(sha, k)
            header = k
            if data is None:
                inside = self._folder(sha, k)
                if inside is not None:
                    files[k] = b"<folder>"
                    for f in inside:
                        files[f] = self._read(sha, f)
                    header = inside[0]
                    data = files[header]
            files.setdefault(k, data)
            if data is None:
                return
            try:
                table = tomllib.loads(data.decode("utf-8-sig")).get("pack", {})
            except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
                return  # the pack loader reports it, with its line
            extends = table.get("extends", []) if isinstance(table, dict) else []
            for ext in extends if isinstance(extends, list) else []:
                if isinstance(ext, str) and ext != "default":
                    visit(self._join(header, ext), depth + 1)

        for name in named:
            k = self._join(("repo", plan_rel), name)
            keys.append(k)
            visit(k, 0)
        return keys, files

    def _base(self) -> str:
        """Digest of what every version shares: the default pack and the --pack files."""
        if self._base_digest is None:
            # Every file of the default pack, found without importing the pack loader
            # (history read from its cache never loads a pack).
            default = _default_pack()
            files = sorted(default.rglob("*.toml")) if default.is_dir() else [default]
            parts = [f"packs_only={self.packs_only}", *self.pack_path] + [
                f"{f.relative_to(default).as_posix() if default.is_dir() else f.name}:"
                f"{_file_blob(f)}"
                for f in files
            ]
            for p in self.extra:
                try:
                    parts.append(blob_id(Path(p).read_bytes()))
                except OSError:
                    parts.append(f"missing:{p}")
            self._base_digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return self._base_digest

    def digest(self, files: dict[PackKey, bytes | None]) -> str:
        h = hashlib.sha256(self._base().encode())
        for (where, path), data in files.items():
            h.update(f"\n{where}:{path}:{blob_id(data) if data is not None else '-'}".encode())
        return h.hexdigest()

    def _tmpdir(self) -> Path:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="releve-history-")
        return Path(self._tmp.name)

    def _pack_set(
        self,
        sha: str | None,
        plan_rel: str,
        plan: Plan,
        text_: str,
        keys: list[PackKey],
        files: dict[PackKey, bytes | None],
        digest: str,
    ) -> Any:
        """The PackSet of a version (memoised by digest), or the error's one line."""
        from releve.rules.packs import load_pack_set

        memo = digest if sha is not None else "worktree:" + digest
        if memo in self._packsets:
            return self._packsets[memo]
        if sha is None:  # the working tree: the ordinary loader on the real files
            plan_path: Path = self.repo.root / plan_rel
            plan_for_packs = plan
            prefix, shown = None, ""
            allowed: tuple[str, ...] = ()
        else:
            folder = self._tmpdir() / digest[:20]
            for (where, path), data in files.items():
                if where == "repo" and data is not None and data != b"<folder>":
                    target = folder / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            plan_path = folder / plan_rel
            plan_path.parent.mkdir(parents=True, exist_ok=True)
            plan_path.write_text(text_, encoding="utf-8")
            # A named pack outside the repository is read where it is now.
            packs = [
                path if where == "disk" else name
                for (where, path), name in zip(
                    keys, plan.rules.packs if plan.rules else [], strict=False
                )
            ]
            plan_for_packs = (
                plan.model_copy(update={"rules": plan.rules.model_copy(update={"packs": packs})})
                if plan.rules is not None and any(w == "disk" for w, _ in keys)
                else plan
            )
            prefix, shown = str(folder) + os.sep, f"{sha[:7]}:"
            # The snapshot stands for the repository: its packs may be named as in it.
            allowed = (str(folder),)
        try:
            ps: Any = load_pack_set(
                plan_path,
                plan_for_packs,
                self.extra,
                pack_path=(*allowed, *self.pack_path),
                plan_packs=not self.packs_only,
            )
        except LocatedError as err:
            line = str(err)
            if prefix:
                line = line.replace(prefix, shown)
            ps = line
        self._packsets[memo] = ps
        return ps

    # --- one version -------------------------------------------------------------------------

    def check(
        self,
        sha: str | None,
        plan_rel: str,
        data: bytes | None,
        as_of: dt.date,
        *,
        blob: str | None = None,
    ) -> tuple[Figures, str, str]:
        """(figures, plan blob id, packs digest) of one version, from the cache if there.
        ``blob``: the plan's blob id when the commit gives it; ``data`` may then be None
        and is read from git only when the version is not in the cache."""
        plan_blob = blob or blob_id(data or b"")

        def content() -> bytes:
            nonlocal data
            if data is None:
                data = self.repo.read(plan_blob) or b""
            return data

        shown = f"{sha[:7]}:{plan_rel}" if sha else str(self.repo.root / plan_rel)
        meta_key = cache_key("named-packs", plan_blob)
        meta = self.cache.get(meta_key)
        plan: Plan | None = None
        text_ = ""
        parse_error: str | None = None
        if meta is None:
            from releve.planner.store import decode, loads

            try:
                text_ = decode(content(), shown)
                plan = loads(text_, shown)
                named = list(plan.rules.packs) if plan.rules else []
            except LocatedError as err:
                parse_error, named = str(err), []
            self.cache.put(meta_key, {"named": named})
        else:
            named = list(meta.get("named") or [])
        keys, files = self.pack_files(sha, plan_rel, named)
        digest = self.digest(files)
        k = cache_key("figures", plan_blob, digest, as_of.isoformat(), self.lang or "plan")
        hit = self.cache.get(k)
        if hit is not None:
            self.hits += 1
            return Figures.from_dict(hit), plan_blob, digest
        self.checked += 1
        figures = self._figures(
            sha, plan_rel, content(), shown, plan, text_, parse_error, keys, files, digest, as_of
        )
        self.cache.put(k, figures.as_dict())
        return figures, plan_blob, digest

    def result(self, sha: str | None, plan_rel: str, data: bytes, as_of: dt.date) -> CheckResult:
        """The whole check result of one version; raises LocatedError when it cannot be
        checked (the plan or a pack cannot be read)."""
        from releve.planner.store import decode, loads
        from releve.rules.pipeline import check_plan

        shown = f"{sha[:7]}:{plan_rel}" if sha else str(self.repo.root / plan_rel)
        text_ = decode(data, shown)
        plan = loads(text_, shown)
        keys, files = self.pack_files(sha, plan_rel, list(plan.rules.packs) if plan.rules else [])
        digest = self.digest(files)
        ps = self._pack_set(sha, plan_rel, plan, text_, keys, files, digest)
        if isinstance(ps, str):
            raise LocatedError(ps)
        return check_plan(
            plan,
            as_of=as_of,
            path=shown,
            text=text_,
            pack_set=ps,
            lang=self.lang,
            packs_only=self.packs_only,
        )

    def _figures(
        self,
        sha: str | None,
        plan_rel: str,
        data: bytes,
        shown: str,
        plan: Plan | None,
        text_: str,
        parse_error: str | None,
        keys: list[PackKey],
        files: dict[PackKey, bytes | None],
        digest: str,
        as_of: dt.date,
    ) -> Figures:
        from releve.planner.store import decode, loads
        from releve.rules.pipeline import check_plan

        if parse_error is not None:
            return Figures(error=parse_error)
        try:
            if plan is None:
                text_ = decode(data, shown)
                plan = loads(text_, shown)
        except LocatedError as err:
            return Figures(error=str(err))
        ps = self._pack_set(sha, plan_rel, plan, text_, keys, files, digest)
        if isinstance(ps, str):
            return Figures(error=ps, mission=plan.mission.id)
        try:
            result = check_plan(
                plan,
                as_of=as_of,
                path=shown,
                text=text_,
                pack_set=ps,
                lang=self.lang,
                packs_only=self.packs_only,
            )
        except (OverflowError, ValueError) as err:  # a date past 9999-12-31
            return Figures(error=f"{shown}: a date is out of range: {err}", mission=plan.mission.id)
        return figures_of(result)


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
    repo, rel = Repo.of(path)
    with (
        repo,
        Checker(
            repo, extra_packs=extra_packs, lang=lang, pack_path=pack_path, packs_only=packs_only
        ) as checker,
    ):
        if rev is None:
            data = (repo.root / rel).read_bytes()
            return Loaded(checker.result(None, rel, data, as_of), label=str(path))
        sha = repo.resolve(rev)
        commits = repo.follow(rel)
        if not commits:
            raise HistoryError("never committed, so it has no history yet", path=str(path))
        # The plan's path at that commit: the newest of its commits at or before it.
        at = _path_at(repo, commits, sha) or rel
        blob = repo.read(f"{sha}:{at}")
        if blob is None:
            raise HistoryError(f"not in revision {rev} (it did not exist then)", path=str(path))
        return Loaded(checker.result(sha, at, blob, as_of), label=f"{rev}", sha=sha)


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
