"""Checking one version of a plan with the packs of its own commit, cached by content.

:class:`Checker` gives a version's :class:`~releve.tui.history.figures.Figures` (from the
history cache when the same plan blob, packs digest, check date and language were checked
before) or its whole check result (for ``releve diff --rev``). The versions' pack files
are written to a private temporary folder so the ordinary pack loader reads them; errors
name them as ``COMMIT:PATH``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.planner.errors import LocatedError
from releve.tui.history.cache import Cache
from releve.tui.history.cache import key as cache_key
from releve.tui.history.figures import Figures, figures_of
from releve.tui.history.git import Repo, blob_id
from releve.tui.history.packfiles import PackFiles, PackKey

if TYPE_CHECKING:  # history read from its cache imports neither pydantic nor the checker
    from releve.planner.model import Plan
    from releve.rules.result import CheckResult


class Checker(PackFiles):
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
        super().__init__(
            repo.root, repo, extra_packs=extra_packs, pack_path=pack_path, packs_only=packs_only
        )
        self.repo: Repo = repo
        self.cache = cache or Cache(None)
        self.lang = lang
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._packsets: dict[str, Any] = {}
        self.hits = 0
        self.checked = 0

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

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

        # Packs read from a commit are loaded from a snapshot, the working tree's from
        # disk; a version that names no pack has the same set either way (the default
        # pack, --pack files and the view: all in the digest).
        memo = digest if sha is not None or not files else "worktree:" + digest
        if memo in self._packsets:
            return self._packsets[memo]
        if sha is None:  # the working tree: the ordinary loader on the real files
            plan_path: Path = self.repo.root / plan_rel
            plan_for_packs = plan
            prefix, shown = None, ""
            allowed: tuple[str, ...] = ()
        else:
            from releve.tui.history.versions import write_snapshot

            folder = self._tmpdir() / digest[:20]
            plan_path = write_snapshot(folder, files, plan_rel, text_)
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
