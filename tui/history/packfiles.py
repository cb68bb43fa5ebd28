"""Which pack files a version of a plan has, read as of a commit, and their digest.

Packs at a commit: each pack the plan names in ``[rules].packs`` (and each pack a pack
``extends``) is read from the same commit when it lies in the repository; a pack outside
the repository is read from disk as it is now; ``--pack`` files are read from disk. The
digest of those files, with the default pack's and the view's options, is what the
history cache keys a check by (with the plan's blob and the check date).

:class:`PackFiles` works on a repository (``repo``) or on a plain folder (``repo`` None:
every file is read from disk, for plans outside git).
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import tomllib
from collections.abc import Sequence
from pathlib import Path

from releve.tui.history.cache import stat_stamp
from releve.tui.history.git import Repo, blob_id

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


@functools.cache
def _default_pack() -> Path:
    """The default rule pack (rules.packs.DEFAULT_PACK: the folder ``rules/default``)."""
    import importlib.util

    spec = importlib.util.find_spec("releve.rules")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "default"


#: The default pack's files by the folder's stamp (listed again when a file is added).
_LISTINGS: dict[tuple[str, tuple[int, int] | None], tuple[Path, ...]] = {}
#: Base digests by the options and the stamps of the files they read: a portfolio's 300
#: trends compute it once, not once per plan.
_BASES: dict[tuple[object, ...], str] = {}


def _base_digest(packs_only: bool, pack_path: tuple[str, ...], extra: tuple[str, ...]) -> str:
    """Digest of the default pack's files (found without importing the pack loader:
    history read from its cache never loads a pack), the view and the --pack files."""
    default = _default_pack()
    folder = default.is_dir()
    listing_key = (str(default), stat_stamp(default))
    files = _LISTINGS.get(listing_key)
    if files is None:
        if len(_LISTINGS) > 16:
            _LISTINGS.clear()
        files = _LISTINGS[listing_key] = (
            tuple(sorted(default.rglob("*.toml"))) if folder else (default,)
        )
    memo = (
        packs_only,
        pack_path,
        extra,
        listing_key,
        tuple(stat_stamp(f) for f in files),
        tuple(stat_stamp(Path(p)) for p in extra),
    )
    found = _BASES.get(memo)
    if found is not None:
        return found
    parts = [f"packs_only={packs_only}", *pack_path] + [
        f"{f.relative_to(default).as_posix() if folder else f.name}:{_file_blob(f)}" for f in files
    ]
    for p in extra:
        try:
            parts.append(blob_id(Path(p).read_bytes()))
        except OSError:
            parts.append(f"missing:{p}")
    found = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    if len(_BASES) > 64:
        _BASES.clear()
    _BASES[memo] = found
    return found


#: (where, path): ("repo", "packs/firm.toml") inside the repository, ("disk", "/abs") outside.
PackKey = tuple[str, str]


class PackFiles:
    """The pack files of versions of plans under ``root`` (a repository's root, or a
    plain folder when ``repo`` is None), and the digest of what decides a check."""

    def __init__(
        self,
        root: Path,
        repo: Repo | None = None,
        *,
        extra_packs: Sequence[str | os.PathLike[str]] = (),
        pack_path: Sequence[str | os.PathLike[str]] = (),
        packs_only: bool = False,
    ) -> None:
        self.root = root
        self.repo = repo
        self.extra = tuple(str(p) for p in extra_packs)
        self.pack_path = tuple(str(p) for p in pack_path)
        self.packs_only = packs_only  # the buyer's view: the plan's own packs not applied
        self._base_digest: str | None = None

    def at(self, root: Path) -> PackFiles:
        """The same options on plain files under ``root`` (the shared digest kept)."""
        other = PackFiles(
            root, extra_packs=self.extra, pack_path=self.pack_path, packs_only=self.packs_only
        )
        other._base_digest = self.base()
        return other

    def _repo(self) -> Repo:
        assert self.repo is not None, "a commit's packs are read from its repository"
        return self.repo

    def _join(self, base: PackKey, name: str) -> PackKey:
        where, path = base
        if where == "repo":
            folder = posixpath.dirname(path)
            if not os.path.isabs(name):
                joined = posixpath.normpath(posixpath.join(folder, name.replace(os.sep, "/")))
                if joined != ".." and not joined.startswith("../"):
                    return ("repo", joined)
            return ("disk", os.path.normpath(os.path.join(self.root, folder, name)))
        return ("disk", os.path.normpath(os.path.join(os.path.dirname(path), name)))

    def _read(self, sha: str | None, k: PackKey) -> bytes | None:
        where, path = k
        if where == "repo" and sha is not None:
            return self._repo().read(f"{sha}:{path}")
        full = self.root / path if where == "repo" else Path(path)
        try:
            return full.read_bytes()
        except OSError:
            return None

    def _folder(self, sha: str | None, k: PackKey) -> list[PackKey] | None:
        """A folder pack's files (pack.toml first, then its other .toml files by name, as
        the pack loader reads them); None when ``k`` is no folder."""
        where, path = k
        if where == "repo" and sha is not None:
            entries = self._repo().tree(f"{sha}:{path}")
            if entries is None:
                return None
            names = [n for n, kind in entries if kind == "blob" and n.endswith(".toml")]
        else:
            full = self.root / path if where == "repo" else Path(path)
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

    def base(self) -> str:
        """Digest of what every version shares: the default pack and the --pack files."""
        if self._base_digest is None:
            self._base_digest = _base_digest(self.packs_only, self.pack_path, self.extra)
        return self._base_digest

    def digest(self, files: dict[PackKey, bytes | None]) -> str:
        h = hashlib.sha256(self.base().encode())
        for (where, path), data in files.items():
            h.update(f"\n{where}:{path}:{blob_id(data) if data is not None else '-'}".encode())
        return h.hexdigest()
