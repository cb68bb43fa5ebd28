"""Every private tomlkit call the writer needs, in one place (tests/planner/test_store_tomlkit.py
fails when tomlkit changes one of them)."""

from __future__ import annotations

from typing import Any


def parse_document(text: str) -> Any:
    """tomlkit's document of ``text``, which prints back byte for byte.

    tomlkit (0.13) drops the blanks after a date inside an inline table or array
    (``{ from = 2027-01-04 }`` comes back as ``{ from = 2027-01-04}``): the date parser
    swallows them as the blanks before a comment, which inline values do not print. The
    parser below gives them back so that untouched lines stay identical.
    """
    import tomlkit.items
    import tomlkit.parser

    class _Parser(tomlkit.parser.Parser):
        def _parse_value(self) -> tomlkit.items.Item:
            item = super()._parse_value()
            if isinstance(item, tomlkit.items.Date) and item.trivia.comment_ws:
                src = self._src
                src._idx -= len(item.trivia.comment_ws)
                src._current = src[src._idx]
                item.trivia.comment_ws = ""
            return item

    return _Parser(text).parse()


def insert_at(body: Any, index: int, key: str, item: Any) -> None:
    """Insert `key = item` at position `index` of a tomlkit container's body. tomlkit has no
    public call for this: `Container._insert_at` exists from 0.11 to 0.15 (`_insert_after`,
    used before, was removed in 0.14). tests/planner/test_store_tomlkit.py pins it."""
    body._insert_at(index, key, item)
