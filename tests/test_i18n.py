"""The string catalog (releve.tui.i18n): one table per language, the same keys and placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from releve.tui import i18n

ROOT = Path(__file__).resolve().parent.parent


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys() -> None:
    en, fr = set(i18n.texts("en")), set(i18n.texts("fr"))
    assert en - fr == set(), "missing in French"
    assert fr - en == set(), "missing in English"


@pytest.mark.parametrize("key", sorted(i18n.texts("en")))
def test_every_text_has_the_same_placeholders_in_both_languages(key: str) -> None:
    en, fr = i18n.texts("en")[key], i18n.texts("fr")[key]
    assert en.strip() and fr.strip(), key
    assert _placeholders(en) == _placeholders(fr), (key, en, fr)


def test_an_unknown_language_falls_back_to_english() -> None:
    assert i18n.norm_lang("de") == i18n.norm_lang(None) == "en"
    assert i18n.t("de", "saved", path="x") == i18n.t("en", "saved", path="x") == "Saved x"


#: Modules that still hold their own en/fr tables (added by work that landed alongside the
#: catalog): to move into tui/i18n/. The list only shrinks: a module that no longer has a
#: table must leave it.
NOT_YET_IN_THE_CATALOG = {
    "tui/history/render_portfolio.py",
    "tui/history/render_diff.py",
    "tui/history/labels.py",
    "tui/report/trend.py",
}


def test_one_catalog_no_other_language_table_in_the_interface() -> None:
    """No module of tui/ outside the catalog defines LANGS, norm_lang or an {"en": …, "fr": …}
    table of texts."""
    offenders = _tables()
    left = {o.split(":")[0] for o in offenders}
    assert left <= NOT_YET_IN_THE_CATALOG, sorted(
        o for o in offenders if o.split(":")[0] not in NOT_YET_IN_THE_CATALOG
    )
    assert left >= NOT_YET_IN_THE_CATALOG, "moved into the catalog: drop from the list"


def _tables() -> list[str]:
    offenders = []
    for path in (ROOT / "tui").rglob("*.py"):
        if path.parent.name == "i18n":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "norm_lang":
                offenders.append(f"{path.relative_to(ROOT)}: def norm_lang")
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "LANGS" for t in targets):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: LANGS")
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"en", "fr"} <= keys:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: en/fr table")
    return offenders
