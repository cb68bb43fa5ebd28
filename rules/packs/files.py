"""Reading pack files safely: what a plan may name (its folder, its git repository,
--pack-path), regular files of bounded size read without blocking, UTF-8 decoding and
TOML parsing with located errors."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from releve.planner.records import mutable_record

try:  # the compiled parser plans are read with (a cold check has it loaded already)
    import tomli as tomllib
except ImportError:  # pragma: no cover - the same parser, in pure Python
    import tomllib  # type: ignore[no-redef]

from releve.rules.packs.errors import PackError
from releve.rules.packs.locate import _Locator
from releve.rules.packs.model import (
    MAX_PACK_BYTES,
    MAX_PACK_FILES,
    PACK_HEADER_FILE,
    PACK_PATH_ENV,
)


@mutable_record
class _RawPack:
    path: str  # shown in errors
    label: str  # origin label: "default" or the file path
    data: dict[str, Any]
    loc: _Locator
    file: Path | None
    digest: str = ""  # sha256 of the text (hex)
    source: str = "option"  # default | plan | option | extends
    roots: tuple[str, ...] | None = None  # folders its `extends` may reach (plan packs)
    default_id: str | None = None  # the pack id when [pack] gives none (a folder's name)


def pack_files(path: Path) -> list[Path]:
    """The files a pack is read from: the file itself, or for a folder its pack.toml then
    its other ``.toml`` files in name order (not sub-folders). PackError when a folder has
    no pack.toml, or more than MAX_PACK_FILES files."""
    if not path.is_dir():
        return [path]
    header = path / PACK_HEADER_FILE
    if not header.is_file():
        raise PackError(
            f"a folder pack needs a {PACK_HEADER_FILE} with its [pack] table (id, name, "
            "version); the folder's other .toml files hold its rules",
            path=str(path),
        )
    rest = sorted(
        (p for p in path.iterdir() if p.suffix == ".toml" and p != header),
        key=lambda p: p.name,
    )
    if len(rest) >= MAX_PACK_FILES:
        raise PackError(f"a folder pack holds at most {MAX_PACK_FILES} files", path=str(path))
    return [header, *rest]


def _read_pack(path: Path, label: str | None = None) -> _RawPack:
    shown = str(path)
    data = read_pack_bytes(path, shown)
    raw = _parse_pack(_decode(data, shown), shown, label or shown, path)
    raw.digest = hashlib.sha256(data).hexdigest()
    return raw


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be a pack file, found before any byte of it is read (a FIFO
    would block, /dev/zero never ends): None when it is a regular file of at most
    MAX_PACK_BYTES."""
    try:
        st = os.stat(path)
    except ValueError:
        return "the pack path holds a NUL character"
    except OSError as err:
        if isinstance(err, FileNotFoundError):
            return "no such pack file"
        return f"cannot read pack: {err.strerror or err}"
    if stat.S_ISDIR(st.st_mode):
        # A folder pack: its pack.toml and its other .toml files must each be fine.
        try:
            files = pack_files(path)
        except PackError as err:
            return err.message
        for f in files:
            problem = file_problem(f)
            if problem:
                return f"{f.name}: {problem}"
        return None
    return _stat_problem(st)


def _stat_problem(st: os.stat_result) -> str | None:
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a pack file"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pack is a TOML text file)"
    if st.st_size > MAX_PACK_BYTES:
        return (
            f"the pack file is {st.st_size // 1024} kB; a pack may be at most "
            f"{MAX_PACK_BYTES // (1024 * 1024)} MB"
        )
    return None


def read_pack_bytes(path: Path, shown: str) -> bytes:
    """A pack file's bytes: a regular file of at most MAX_PACK_BYTES, checked before
    reading and again on the open file (it may have been swapped for a pipe)."""
    problem = file_problem(path)
    if problem:
        raise PackError(problem, path=shown)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise PackError(f"cannot read pack: {err.strerror or err}", path=shown) from None
    try:
        problem = _stat_problem(os.fstat(fd))
        if problem:
            raise PackError(problem, path=shown)
        chunks, size = [], 0
        while size <= MAX_PACK_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise PackError(f"cannot read pack: {err.strerror or err}", path=shown) from None
    finally:
        os.close(fd)
    if size > MAX_PACK_BYTES:
        raise PackError(
            f"the pack file is larger than {MAX_PACK_BYTES // (1024 * 1024)} MB", path=shown
        )
    return b"".join(chunks)


def git_root(folder: str) -> str | None:
    """The root of the git work tree holding `folder` (a `.git` folder or file), if any."""
    here = folder
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        up = os.path.dirname(here)
        if up == here:
            return None
        here = up


def pack_roots(plan_path: str | Path | None, allowed: Sequence[str | Path] = ()) -> tuple[str, ...]:
    """The folders a plan may name packs in: its own folder, its git repository's root,
    the `allowed` folders (``--pack-path``) and those of RELEVE_PACK_PATH."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(plan_path)) if plan_path else ".")
    roots = [folder]
    repo = git_root(folder)
    if repo:
        roots.append(repo)
    env = [d for d in os.environ.get(PACK_PATH_ENV, "").split(os.pathsep) if d]
    for d in (*allowed, *env):
        try:
            roots.append(os.path.realpath(d))
        except (OSError, ValueError):
            continue
    return tuple(dict.fromkeys(roots))


def outside_roots(path: Path, roots: Sequence[str]) -> bool:
    """Whether `path`, with every symlink resolved, is in none of `roots`. Decided on the
    name alone: it says nothing of whether such a file exists."""
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return True
    return not any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


OUTSIDE = (
    "a plan may only name packs in its own folder or its git repository "
    "(allow another folder with --pack-path DIR or RELEVE_PACK_PATH)"
)


def _decode(data: bytes, shown: str) -> str:
    """A pack file's text (UTF-8, BOM allowed); PackError at the first byte that is not."""
    from releve.planner.store.decoding import decode

    return decode(data, shown, error=PackError, what="a pack is a TOML text file saved as UTF-8")


#: Arrays and inline tables in a pack nest a few levels at most; deeper is an error (and
#: tomllib recurses once per level, so absurd nesting would exhaust the stack).
MAX_NESTING = 50

_BRACKETS = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"{3,5}'  # multi-line basic string
    r"|'''[^']*(?:'(?!'')[^']*)*'{3,5}"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'|#[^\n]*|[\[\]{}]"  # literal string, comment, bracket
)


def _nesting_error(text: str, shown: str) -> PackError:
    """Where arrays or inline tables first nest deeper than MAX_NESTING."""
    depth, line, column = 0, None, None
    for m in _BRACKETS.finditer(text):
        tok = m.group(0)
        if tok in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                break
        elif tok in ("]", "}"):
            depth = max(0, depth - 1)
    return PackError(
        f"arrays or tables nested more than {MAX_NESTING} deep",
        path=shown,
        line=line or 1,
        column=column or 1,
    )


def _too_deep(value: Any) -> bool:
    """Whether parsed TOML nests arrays or tables more than MAX_NESTING deep (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        if isinstance(v, dict):
            stack.extend((x, depth + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)
    return False


def _parse_pack(text: str, shown: str, label: str, file: Path | None) -> _RawPack:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) or "invalid TOML"
        raise PackError(f"invalid TOML: {msg}", path=shown, line=line, column=col) from None
    except RecursionError:
        # tomllib recurses once per nesting level: absurd nesting exhausts the stack.
        raise _nesting_error(text, shown) from None
    if _too_deep(data):
        # Parsed, but deep enough to exhaust the stack later (copies, comparisons).
        raise _nesting_error(text, shown)
    if not data:
        raise PackError(
            "empty pack: a pack needs at least a [pack] table (id, name, version)",
            path=shown,
            line=1,
            column=1,
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _RawPack(shown, label, data, _Locator(text), file, digest)
