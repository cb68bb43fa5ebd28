"""Every writer of a file in the code base goes through the store (issue #17): plans through
``save``/``save_text`` (digest check, symlinks, atomic, mode), other files through
``planner/store/atomic.write_atomic``. This test finds every call that writes a file
(os.replace, open(..., "w"), write_text, mkstemp, …) and every direct use of the atomic
write, and fails on one outside the store that the list below does not explain."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("planner", "rules", "tui")
STORE = "planner/store/"

#: file -> why it may write by itself. Keep it short: it only shrinks.
ALLOWED_RAW = {
    "planner/store/atomic.py": "the one atomic write",
    "rules/docgen.py": "regenerates docs/rules-reference.md in the checkout (a developer tool)",
    "tui/cli/__init__.py": "points stdout at /dev/null after a broken pipe",
    "tui/history/versions.py": "a past version's files, copied into its own temporary folder",
}
#: file -> why it may call the atomic write directly (it writes no plan).
ALLOWED_ATOMIC = {
    "tui/cli/report.py": "the report; check_output refuses to write over a TOML file",
    "tui/cli/schema.py": "the JSON Schema; refuses to write over a TOML file",
    "tui/app/journal.py": "the recovery journal (the plan's text in the state folder, not a plan)",
    "tui/history/cache.py": "the history cache (figures, never a plan)",
    "rules/packcache.py": "the compiled-pack cache (JSON in the cache folder, never a plan)",
}

WRITE_FUNCS = {
    ("os", "replace"),
    ("os", "rename"),
    ("os", "renames"),
    ("os", "link"),
    ("os", "symlink"),
    ("os", "truncate"),
    ("os", "fdopen"),
    ("shutil", "move"),
    ("shutil", "copy"),
    ("shutil", "copy2"),
    ("shutil", "copyfile"),
    ("tempfile", "mkstemp"),
    ("tempfile", "NamedTemporaryFile"),
}
WRITE_METHODS = {"write_text", "write_bytes"}
ATOMIC_NAMES = {"write_atomic", "_atomic_write"}
STORE_MODULE = "releve.planner.store"


def _store_atomic(node: ast.Attribute) -> bool:
    """``store._atomic_write``, ``store.write_atomic``, ``atomic.write_atomic`` (the store's;
    tui/cli/report.write_atomic is the report's, which refuses to write over a TOML file)."""
    owner = node.value.id if isinstance(node.value, ast.Name) else None
    return node.attr == "_atomic_write" or (
        node.attr == "write_atomic" and owner in {"store", "atomic"}
    )


OS_WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}


def _mode_writes(call: ast.Call, position: int) -> bool:
    mode = call.args[position] if len(call.args) > position else None
    for kw in call.keywords:
        if kw.arg == "mode":
            mode = kw.value
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return any(c in mode.value for c in "wax+")
    return True  # a mode computed at run time: say why it is fine


def _call_writes(node: ast.Call, imported: set[str]) -> str | None:
    """What a call writes with, or None when it writes no file (``imported``: the names a
    module took with ``from os import replace`` and the like)."""
    func = node.func
    if isinstance(func, ast.Name):
        if func.id == "open":
            return "open for writing" if _mode_writes(node, 1) else None
        return func.id if func.id in imported else None
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value.id if isinstance(func.value, ast.Name) else None
    if (owner, func.attr) in WRITE_FUNCS:
        writes = func.attr != "fdopen" or _mode_writes(node, 1)
        return f"{owner}.{func.attr}" if writes else None
    if func.attr in WRITE_METHODS:
        return f".{func.attr}"
    if func.attr == "open" and owner == "os":
        flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        return "os.open for writing" if flags & OS_WRITE_FLAGS else None
    if func.attr == "open" and _mode_writes(node, 0):
        return ".open for writing"  # Path.open("w")
    return None


def writes_in(tree: ast.AST) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(raw writes, uses of the atomic write) in a module: (line, what)."""
    raw: list[tuple[int, str]] = []
    atomic: list[tuple[int, str]] = []
    imported = {
        a.asname or a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in {m for m, _ in WRITE_FUNCS}
        for a in node.names
        if (node.module, a.name) in WRITE_FUNCS
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(STORE_MODULE):
            atomic += [
                (node.lineno, f"imports {a.name}") for a in node.names if a.name in ATOMIC_NAMES
            ]
        elif isinstance(node, ast.Attribute) and _store_atomic(node):
            atomic.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Call) and (what := _call_writes(node, imported)):
            raw.append((node.lineno, what))
    return sorted(raw), sorted(atomic)


def _modules() -> list[Path]:
    return sorted(p for folder in SOURCES for p in (ROOT / folder).rglob("*.py"))


def test_every_file_write_goes_through_the_store():
    unexplained = []
    seen_raw, seen_atomic = set(), set()
    for path in _modules():
        rel = path.relative_to(ROOT).as_posix()
        raw, atomic = writes_in(ast.parse(path.read_text(encoding="utf-8"), rel))
        for line, what in raw:
            if rel in ALLOWED_RAW:
                seen_raw.add(rel)
            else:
                unexplained.append(f"{rel}:{line}: {what} (write through planner.store)")
        for line, what in atomic:
            if rel.startswith(STORE):
                continue
            if rel in ALLOWED_ATOMIC:
                seen_atomic.add(rel)
            else:
                unexplained.append(
                    f"{rel}:{line}: {what} (a plan is saved with store.save or store.save_text)"
                )
    assert unexplained == []
    # An entry whose file no longer writes by itself goes: the lists only shrink.
    assert set(ALLOWED_RAW) == seen_raw
    assert set(ALLOWED_ATOMIC) == seen_atomic


def test_the_scan_finds_each_way_of_writing_a_file():
    source = """
import os, shutil, tempfile
from pathlib import Path
from releve.planner.store.atomic import write_atomic
os.replace("a", "b")
open("p", "w")
open("p", mode="ab")
open("p")
Path("p").write_text("x")
Path("p").open("w")
Path("p").open()
tempfile.mkstemp()
os.fdopen(3, "w")
os.fdopen(3)
os.open("p", os.O_WRONLY | os.O_CREAT)
os.open("p", os.O_RDONLY)
shutil.copy("a", "b")
store._atomic_write(p, b"")
from os import replace as swap
swap("a", "b")
dataclasses.replace(x)
replace(x)
from releve.tui.cli.report import write_atomic
store.write_atomic(p, b"")
"""
    raw, atomic = writes_in(ast.parse(source))
    assert [line for line, _ in raw] == [5, 6, 7, 9, 10, 12, 13, 15, 17, 20]
    assert [line for line, _ in atomic] == [4, 18, 24]
