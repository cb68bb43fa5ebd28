"""Layering packs in order (default, the plan's, --pack), a later pack winning,
every error kept."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from releve.rules.grading import merge_score_table
from releve.rules.packs.errors import (
    PackError,
    PackErrors,
    _suggest,
    quote,
)
from releve.rules.packs.files import (
    OUTSIDE,
    _RawPack,
    _read_pack,
    file_problem,
    outside_roots,
    pack_files,
)
from releve.rules.packs.locate import _collect, _Ctx, _Draft
from releve.rules.packs.model import (
    DEFAULT_PACK,
    PACK_HEADER_FILE,
    PackInfo,
)
from releve.rules.packs.tables import _layer_override, _layer_rule, _pack_info, _select


class _Layering:
    def __init__(self) -> None:
        self.drafts: dict[str, _Draft] = {}
        self.excluded: set[str] = set()
        self.excluded_by: dict[str, str] = {}  # code -> label of the pack that excluded it
        self.packs: list[PackInfo] = []
        self.score: dict[str, Any] = {}  # [score] keys set so far, a later pack winning
        self.score_from: str | None = None  # the last pack that set one
        self.seen: set[str] = set()
        self.stack: list[str] = []
        self.errors: list[PackError] = []
        self.broken: set[str] = set()  # codes of rules whose definition failed
        # Rules whose code cannot be used (invalid, or taken): checked, never in force.
        self.aside: list[_Draft] = []
        self.fatal = False  # a pack could not be read at all: later ones are not applied
        self.read: list[tuple[str, str]] = []  # (file, sha256) of every file read

    def apply_file(
        self,
        path: Path,
        *,
        label: str | None = None,
        source: str = "option",
        roots: tuple[str, ...] | None = None,
    ) -> None:
        if self.fatal:
            return
        key = "default" if label == "default" else str(path.resolve())
        if key in self.seen:
            return
        if key in self.stack:
            self.errors.append(
                PackError(f"pack extends itself through {' → '.join(self.stack)}", path=str(path))
            )
            return
        try:
            files = pack_files(path)
            if roots is not None and any(outside_roots(f, roots) for f in files):
                # A folder pack's file may be a symlink to outside what the plan may name.
                raise PackError(OUTSIDE, path=str(path))
            shown_label = label or str(path)
            raw = _read_pack(files[0], shown_label)
            parts = [_read_pack(f, shown_label) for f in files[1:]]
        except PackError as err:
            self.errors.append(err)
            self.fatal = True
            return
        self.read += [
            (os.path.realpath(f), r.digest) for f, r in zip(files, (raw, *parts), strict=True)
        ]
        if path.is_dir():
            # The pack's id defaults to the folder's name, not pack.toml's; its digest
            # covers every file, by name.
            raw.default_id = path.name
            h = hashlib.sha256()
            for f, r in zip(files, (raw, *parts), strict=True):
                h.update(f"{f.name}\0{r.digest}\n".encode())
            raw.digest = h.hexdigest()
        raw.source, raw.roots = source, roots
        for part in parts:
            part.source, part.roots = source, roots
        self.stack.append(key)
        try:
            self.apply(raw, parts)
        finally:
            self.stack.pop()
        self.seen.add(key)

    def apply(self, raw: _RawPack, parts: Sequence[_RawPack] = ()) -> None:
        """Layer one pack: `raw` holds its [pack] table, `parts` (a folder pack's other
        files, in order) more of its rules."""
        ctx = _Ctx(raw)
        data = raw.data
        tables = ("pack", "select", "rules", "rule", "score")
        for key in data:
            if key not in tables:
                self.errors.append(
                    ctx.fail(
                        f"unknown table '{quote(key)}'"
                        f"{_suggest(key, tables) or ' (expected pack, select, rules, rule, score)'}",
                        keys=(key,),
                        key=quote(key),
                    )
                )
        for part in parts:
            for key in part.data:
                if key == "pack":
                    self.errors.append(
                        _Ctx(part).fail(
                            f"[pack] belongs in the folder's {PACK_HEADER_FILE}, not in "
                            "a file of rules",
                            keys=(key,),
                            key=key,
                        )
                    )
                elif key not in ("select", "rules", "rule", "score"):
                    self.errors.append(
                        _Ctx(part).fail(
                            f"unknown table '{quote(key)}'"
                            f"{_suggest(key, tables) or ' (expected select, rules, rule, score)'}",
                            keys=(key,),
                            key=quote(key),
                        )
                    )
        default_id = raw.default_id or (
            Path(raw.path).stem if raw.label != "default" else "default"
        )
        info = PackInfo("?", "?", "", raw.label, raw.digest, raw.source)
        extends: list[str] = []
        with _collect(self.errors):
            info, extends = _pack_info(ctx, default_id)
        for ext in extends:
            with _collect(self.errors):
                self._extend(ctx, raw, ext)
        for one in (raw, *parts):
            self._apply_rules(one)
        self.packs.append(info)

    def _apply_rules(self, raw: _RawPack) -> None:
        """The [[rule]], [rules.CODE] and [select] tables of one pack file."""
        ctx = _Ctx(raw)
        data = raw.data
        rules = data.get("rule", [])
        if not isinstance(rules, list):
            self.errors.append(
                ctx.fail("rule must be an array of tables ([[rule]])", keys=("rule",), key="rule")
            )
            rules = []
        for i, r in enumerate(rules):
            with _collect(self.errors):
                _layer_rule(self, ctx, i, r)
        overrides = data.get("rules", {})
        if not isinstance(overrides, dict):
            self.errors.append(
                ctx.fail(
                    "rules must be a table of [rules.CODE] tables", keys=("rules",), key="rules"
                )
            )
            overrides = {}
        for code, table in overrides.items():
            with _collect(self.errors):
                _layer_override(self, ctx, code, table)
        if "select" in data:
            with _collect(self.errors):
                _select(self, ctx, data["select"])
        if "score" in data:
            with _collect(self.errors):
                merge_score_table(ctx, data["score"], self.score)
            self.score_from = raw.path

    def _extend(self, ctx: _Ctx, raw: _RawPack, ext: str) -> None:
        if ext == "default":
            self.apply_file(DEFAULT_PACK, label="default", source="default")
            return
        base = raw.file.parent if raw.file else Path.cwd()
        target = base / ext
        here = {
            "region": ("pack", "pack"),
            "needles": (r"\bextends\b", re.escape(f'"{ext}"')),
            "key": "pack.extends",
        }
        if not ext.strip() or "\0" in ext:
            what = (
                "an empty pack name" if not ext.strip() else "the pack path holds a NUL character"
            )
            raise ctx.fail(f"'{quote(ext)}': {what}", **here)  # type: ignore[arg-type]
        if raw.roots is not None and outside_roots(target, raw.roots):
            # A pack the plan names extends only packs it could name itself.
            raise ctx.fail(f"'{quote(ext)}': {OUTSIDE}", **here)  # type: ignore[arg-type]
        problem = file_problem(target)
        if problem == "no such pack file":
            raise ctx.fail(
                f"no pack file '{quote(ext)}' (looked in {base}{os.sep})",
                **here,  # type: ignore[arg-type]
            )
        if problem:
            raise ctx.fail(f"'{quote(ext)}': {problem}", **here)  # type: ignore[arg-type]
        self.apply_file(target, source="extends", roots=raw.roots)

    def raise_errors(self) -> None:
        """Raise every error found so far (one PackError, or PackErrors), in file order."""
        if not self.errors:
            return
        order: dict[str | None, int] = {}
        for e in self.errors:
            order.setdefault(e.path, len(order))
        unique: list[PackError] = []
        seen: set[str] = set()
        for e in sorted(self.errors, key=lambda e: (order[e.path], e.line or 0, e.column or 0)):
            if str(e) not in seen:
                seen.add(str(e))
                unique.append(e)
        raise unique[0] if len(unique) == 1 else PackErrors(unique)
