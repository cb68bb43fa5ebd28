"""The private tomlkit calls of planner/store/tomlkit_shim.py, pinned: each test fails when
tomlkit changes (or fixes) what the shim relies on, naming what to look at."""

from __future__ import annotations

import ast
from pathlib import Path

import tomlkit
import tomlkit.container
import tomlkit.items
import tomlkit.parser
import tomlkit.source

from releve.planner import store
from releve.planner.store import tomlkit_shim

INLINE_DATE = (
    "closures = [{ from = 2027-08-02, to = 2027-08-20 }]  # summer\nx = { d = 2027-01-04 }\n"
)


def test_the_private_names_the_shim_uses_exist():
    assert callable(getattr(tomlkit.container.Container, "_insert_at", None)), (
        "tomlkit.container.Container._insert_at is gone: planner/store/tomlkit_shim.insert_at"
    )
    assert callable(getattr(tomlkit.parser.Parser, "_parse_value", None)), (
        "tomlkit.parser.Parser._parse_value is gone: planner/store/tomlkit_shim.parse_document"
    )
    parser = tomlkit.parser.Parser("a = 1\n")
    src = parser._src
    assert isinstance(src, tomlkit.source.Source)
    assert isinstance(src._idx, int) and src._current == "a"
    assert hasattr(tomlkit.items.Trivia(), "comment_ws")


def test_insert_at_puts_the_key_at_that_position_of_the_table():
    doc = tomlkit.parse("[company]\nname = 'A'\nsector = 'B'\n\n# next table\n")
    body = doc["company"].value
    tomlkit_shim.insert_at(body, 2, "size", tomlkit.item(12))
    assert tomlkit.dumps(doc) == "[company]\nname = 'A'\nsector = 'B'\nsize = 12\n\n# next table\n"
    tomlkit_shim.insert_at(body, 0, "first", tomlkit.item(True))
    assert tomlkit.dumps(doc).startswith("[company]\nfirst = true\nname = 'A'\n")


def test_parse_document_prints_back_byte_for_byte_where_plain_tomlkit_does_not():
    assert tomlkit.dumps(tomlkit_shim.parse_document(INLINE_DATE)) == INLINE_DATE
    # The reason for the parser subclass: plain tomlkit drops the blank after a date in
    # an inline table. When this fails, tomlkit fixed it: the subclass can go.
    assert tomlkit.dumps(tomlkit.parse(INLINE_DATE)) != INLINE_DATE


def test_no_other_module_of_the_store_reaches_into_tomlkit_privately():
    """Every `x._name` attribute access on tomlkit objects is in the shim alone: the other
    modules use tomlkit's public API (a private call elsewhere escapes these tests)."""
    folder = Path(store.__file__).parent
    offenders = []
    for path in sorted(folder.glob("*.py")):
        if path.name == "tomlkit_shim.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses_tomlkit = any(
            isinstance(node, (ast.Import, ast.ImportFrom))
            and any((a.name or "").startswith("tomlkit") for a in node.names)
            or (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tomlkit"))
            for node in ast.walk(tree)
        )
        if not uses_tomlkit:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert offenders == []
