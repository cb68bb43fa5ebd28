"""Read, validate and layer rule packs into one compiled pack set (docs/rules.md).

Packs apply in order — the shipped default pack, the plan's ``[rules].packs``, then
``--pack`` options — and a later pack wins: ``[rules.CODE]`` tables merge into the
inherited rule key by key, ``[select]`` switches rules off (or back on), ``[[rule]]``
adds rules. Every mistake in a pack is a `PackError` naming the pack file, line, column,
rule and key, and every mistake of a load is reported in one run (`PackErrors`). Packs
are data: nothing in a pack is executed.

The package, in the order a load goes through it:

- ``errors``: PackError / PackErrors and the helpers that word them;
- ``model``: the pack language's constants and the compiled form (Rule, PackSet, …);
- ``files``: which files a plan may name, reading them safely, decoding, parsing;
- ``locate``: where a table or key is written, to locate each error;
- ``tables``, ``layering``: each pack's tables layered over the rules in force;
- ``conditions``, ``finish``: each rule checked once layered, then the PackSet;
- ``lint``: what loads but is probably a mistake (``releve rules test``);
- here: the entry points (``load_pack_set``, ``load_pack_text``) and their cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.rules.packs.errors import (
    QUOTE_MAX,
    PackError,
    PackErrors,
    _suggest,
    _type_name,
    quote,
)
from releve.rules.packs.files import (
    MAX_NESTING,
    OUTSIDE,
    _parse_pack,
    file_problem,
    git_root,
    outside_roots,
    pack_files,
    pack_roots,
    read_pack_bytes,
)

# Imported here, not lazily: the function `lint` must shadow its module's name.
from releve.rules.packs.lint import LintNote, lint, rule_key_place, rules_of_pack
from releve.rules.packs.model import (
    CHANGE_KEYS,
    CODE_RE,
    DEFAULT_PACK,
    LANGS,
    MAX_PACK_BYTES,
    MAX_PACK_FILES,
    NAME_RE,
    OPS,
    OPS_BY_TYPE,
    OVERRIDE_KEYS,
    PACK_HEADER_FILE,
    PACK_PATH_ENV,
    PLACEHOLDER_RE,
    RULE_KEYS,
    TEXT_KEYS,
    UNARY_OPS,
    Condition,
    Example,
    PackInfo,
    PackSet,
    Rule,
    Unless,
)

if TYPE_CHECKING:
    from releve.rules.packs.conditions import _conditions, _unless
    from releve.rules.packs.finish import _finish
    from releve.rules.packs.locate import _fail_at

#: Names of the parts that read and check pack TOML, imported when first asked for: a load
#: served by the cache (rules.packcache) needs none of them (a cold `releve check`).
_LAZY = {
    "_conditions": "conditions",
    "_unless": "conditions",
    "_build": "finish",
    "_finish": "finish",
    "_Layering": "layering",
    "_fail_at": "locate",
}
_PARTS = frozenset(("conditions", "finish", "layering", "locate", "tables"))


def __getattr__(name: str) -> Any:
    import importlib

    if name in _PARTS:
        return importlib.import_module(f"{__name__}.{name}")
    part = _LAZY.get(name)
    if part is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{part}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CHANGE_KEYS",
    "CODE_RE",
    "DEFAULT_PACK",
    "LANGS",
    "MAX_NESTING",
    "MAX_PACK_BYTES",
    "MAX_PACK_FILES",
    "NAME_RE",
    "OPS",
    "OPS_BY_TYPE",
    "OUTSIDE",
    "OVERRIDE_KEYS",
    "PACK_HEADER_FILE",
    "PACK_PATH_ENV",
    "PLACEHOLDER_RE",
    "QUOTE_MAX",
    "RULE_KEYS",
    "TEXT_KEYS",
    "UNARY_OPS",
    "Condition",
    "Example",
    "LintNote",
    "PackError",
    "PackErrors",
    "PackInfo",
    "PackSet",
    "Rule",
    "Unless",
    "_conditions",
    "_fail_at",
    "_finish",
    "_suggest",
    "_type_name",
    "_unless",
    "content_digest",
    "file_problem",
    "git_root",
    "lint",
    "load_pack_set",
    "load_pack_text",
    "outside_roots",
    "pack_files",
    "pack_roots",
    "plan_pack_paths",
    "quote",
    "read_pack_bytes",
    "rule_key_place",
    "rules_of_pack",
]

#: Pack sets loaded in this process, by what decides them (tests replace it to load as
#: a new process would).
_CACHE: dict[tuple[Any, ...], PackSet] = {}


#: The shipped pack's stamp, taken once per process: it is part of the installed program,
#: and a check of 300 plans would otherwise list and stat its folder 300 times.
_SHIPPED: dict[Path, tuple[Any, ...]] = {}


def _stamp(p: Path) -> tuple[Any, ...]:
    """What the cache compares for one pack: path, mtime and size of each of its files."""
    if p == DEFAULT_PACK:
        shipped = _SHIPPED.get(p)
        if shipped is None:
            shipped = _SHIPPED[p] = _stamp_files(p)
        return shipped
    return _stamp_files(p)


def _stamp_files(p: Path) -> tuple[Any, ...]:
    try:
        files = pack_files(p) if p.is_dir() else [p]
    except (PackError, OSError, ValueError):
        files = [p]
    out: list[Any] = []
    for f in files:
        try:
            st = f.stat()
            out += [str(f.resolve()), st.st_mtime, st.st_size]
        except (OSError, ValueError):
            out += [str(f), 0.0, -1]
    return tuple(out)


def plan_pack_paths(plan_path: str | Path | None, plan: Any) -> list[Path]:
    """The plan's ``[rules].packs``, resolved relative to the plan file."""
    if plan is None or getattr(plan, "rules", None) is None:
        return []
    base = Path(plan_path).parent if plan_path else Path.cwd()
    return [base / p for p in plan.rules.packs]


def load_pack_set(
    plan_path: str | Path | None = None,
    plan: Any = None,
    extra: Sequence[str | Path] = (),
    *,
    pack_path: Sequence[str | Path] = (),
    plan_packs: bool = True,
) -> PackSet:
    """The rules in force for a plan: the default pack, then the plan's ``[rules].packs``
    (relative to `plan_path`; left out when `plan_packs` is false: the buyer's view),
    then `extra` (``--pack`` options), a later pack winning.

    A pack the plan names must be a regular file of at most MAX_PACK_BYTES in the plan's
    folder, its git repository, a `pack_path` folder or one of RELEVE_PACK_PATH; anything
    else is a PackError at the plan's line, raised before any byte of it is read. ``--pack``
    files are the user's own choice: they need only be regular files of that size.

    Raises `PackError` (file, line, column, rule, key) for a mistake in a pack, or
    `PackErrors` for several: every mistake is reported, not only the first. Results are
    cached by the files' paths, sizes and modification times.
    """
    named = plan_pack_paths(plan_path, plan) if plan_packs else []
    paths = [DEFAULT_PACK, *named, *(Path(p) for p in extra)]
    env = os.environ.get(PACK_PATH_ENV, "")
    # The plan's own path decides the load only through the packs it names: they resolve
    # from its folder, and may lie only in that folder, its repository or the pack path. So
    # plans that name none share one load (`releve check` of 300 plans loads the default
    # pack once, not 300 times), and plans of one folder naming the same packs share one.
    where = str(Path(plan_path).parent if plan_path else Path.cwd()) if named else None
    key = (tuple(_stamp(p) for p in paths), tuple(str(d) for d in pack_path), env, where)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    roots = pack_roots(plan_path, pack_path) if named else ()
    for i, p in enumerate(named):
        # Every pack the plan names is checked before any byte of any pack is read.
        name = plan.rules.packs[i]
        named_problem = _pack_name_problem(name)
        if named_problem:
            raise _plan_pack_error(plan_path, i, named_problem, p)
        if outside_roots(p, roots):
            raise _plan_pack_error(plan_path, i, f"pack '{quote(name)}': {OUTSIDE}", p)
        problem = file_problem(p)
        if problem == "no such pack file":
            problem = f"no such pack file '{quote(name)}' (looked in {p.parent}{os.sep})"
        elif problem:
            problem = f"pack '{quote(name)}': {problem}"
        if problem:
            raise _plan_pack_error(plan_path, i, problem, p)
    digest = _digests_of_one_load()
    disk_key = _disk_key(named, roots, extra, digest)
    if disk_key is not None:
        from releve.rules import packcache

        hit: PackSet | None = packcache.get(disk_key, digest)
        if hit is not None:
            _CACHE[key] = hit
            return hit
    from releve.rules.packs.finish import _build
    from releve.rules.packs.layering import _Layering

    lay = _Layering()
    lay.apply_file(DEFAULT_PACK, label="default", source="default")
    for p in named:
        lay.apply_file(p, source="plan", roots=roots)
    for x in extra:
        lay.apply_file(Path(x), source="option")
    ps = _build(lay)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = ps
    if disk_key is not None:
        packcache.put(disk_key, ps, lay.read)
    return ps


def _pack_name_problem(name: str) -> str | None:
    """What makes an entry of ``[rules].packs`` no pack name at all, before it is a path."""
    if not name.strip():
        return (
            "an empty pack name: name a pack file or folder relative to the plan "
            '(packs = ["firm.toml"])'
        )
    if "\0" in name:
        return f"pack '{quote(name)}': the pack path holds a NUL character"
    return None


def _file_sha(path: Path) -> str:
    return hashlib.sha256(read_pack_bytes(path, str(path))).hexdigest()


def content_digest(path: Path, file_sha: Callable[[Path], str] = _file_sha) -> str | None:
    """sha256 of a pack's bytes (a folder pack: of its files, by name); None when it
    cannot be read as a pack. `file_sha(file)`: one file's sha256 (a load passes one that
    remembers, so a file is read and hashed once per load)."""
    try:
        files = pack_files(path)
        if len(files) == 1 and not path.is_dir():
            return file_sha(path)
        h = hashlib.sha256()
        for f in files:
            h.update(f"{f.name}\0{file_sha(f)}\n".encode())
        return h.hexdigest()
    except (PackError, OSError, ValueError):
        return None


def _digests_of_one_load() -> Callable[[Path], str | None]:
    """`content_digest` for one load: the cache key and the cache hit's check of the files
    it read (the default pack's files among them) hash each file once, not twice."""
    shas: dict[Path, str] = {}

    def file_sha(path: Path) -> str:
        found = shas.get(path)
        if found is None:
            found = shas[path] = _file_sha(path)
        return found

    return functools.partial(content_digest, file_sha=file_sha)


def _disk_key(
    named: Sequence[Path],
    roots: tuple[str, ...],
    extra: Sequence[str | Path],
    digest: Callable[[Path], str | None] = content_digest,
) -> str | None:
    """The on-disk cache key of a load (rules.packcache), or None when a pack cannot be
    hashed (the load then says why) or the cache is off."""
    from releve.rules import packcache

    if packcache.cache_dir() is None:
        return None
    parts: list[Any] = []
    for source, p in (
        ("default", DEFAULT_PACK),
        *(("plan", n) for n in named),
        *(("option", Path(x)) for x in extra),
    ):
        found = digest(Path(p))
        if found is None:
            return None
        parts.append([source, str(p), os.path.realpath(p), found])
    return packcache.key([parts, list(roots)])


def _plan_pack_error(
    plan_path: str | Path | None, index: int, message: str, resolved: Path
) -> PackError:
    """A pack the plan names in ``[rules].packs`` that cannot be used, at the plan's line."""
    if plan_path is None:
        return PackError(message, path=quote(str(resolved)))
    line = column = None
    try:
        text = Path(plan_path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError):
        text = None
    if text is not None:
        from releve.planner.store import locate

        place = locate(text, ("rules", "packs", index))
        if place is not None:
            line, column = place
    return PackError(message, path=str(plan_path), line=line, column=column)


def load_pack_text(text: str, path: str = "<pack>", *, over_default: bool = True) -> PackSet:
    """A pack set from one pack's text (over the default pack unless told otherwise);
    for tests and `rules test` on unsaved text. Raises PackError or PackErrors."""
    from releve.rules.packs.finish import _build
    from releve.rules.packs.layering import _Layering

    lay = _Layering()
    if over_default:
        lay.apply_file(DEFAULT_PACK, label="default", source="default")
    try:
        raw = _parse_pack(text, path, path, Path(path) if path != "<pack>" else None)
    except PackError as err:
        lay.errors.append(err)
        lay.raise_errors()
        raise
    lay.apply(raw)
    return _build(lay)
