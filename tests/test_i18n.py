"""The string catalog (releve.tui.i18n): one table per language, the same keys and placeholders."""

from __future__ import annotations

import ast
import importlib
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


def test_one_catalog_no_other_language_table_in_the_interface() -> None:
    """No module of tui/ outside the catalog defines LANGS, norm_lang or an {"en": …, "fr": …}
    table of texts."""
    assert _tables() == []


def test_the_table_finder_sees_a_language_table() -> None:
    """The check above can fail: a module with its own table is found."""
    source = 'LANGS = ("en",)\n_T = {"en": {"a": "b"}, "fr": {"a": "c"}}\ndef norm_lang(x): ...\n'
    found = _offences(ast.parse(source), "tui/x.py")
    assert sorted(f.split(": ", 1)[1] for f in found) == ["LANGS", "def norm_lang", "en/fr table"]


def test_every_catalog_key_written_in_the_interface_exists() -> None:
    """A key written out in a call to the catalog (``t(lang, "history.title")``,
    ``i18n.text(lang, "report.colon")``) is one the catalog has: a typo would print the key."""
    en = i18n.texts("en")
    missing = [f"{path}:{line}: {key}" for path, line, key in _literal_keys() if key not in en]
    assert missing == []


@pytest.mark.parametrize(
    "module",
    [
        "releve.tui.history.render_portfolio",
        "releve.tui.history.render_diff",
        "releve.tui.report.trend",
    ],
)
def test_words_shared_with_another_part_name_keys_the_catalog_has(module: str) -> None:
    """History, diff, portfolio and the report's "Since" section reuse words the catalog has
    under another key (``_SHARED``); each of those keys exists."""
    shared = importlib.import_module(module)._SHARED
    assert shared and set(shared.values()) <= set(i18n.texts("en"))


def test_one_label_per_band() -> None:
    """The app, check, history, portfolio and the report name a band by the one set of
    keys (band.*)."""
    en = i18n.texts("en")
    assert {k for k in en if k.split(".")[-2:-1] == ["band"]} == {
        f"band.{b}" for b in ("not_ready", "to_secure", "ready", "not_assessed")
    }
    assert i18n.band_label("fr", "to_secure") == "à sécuriser"
    assert i18n.band_label("en", "some_new_band") == "some new band"


def _sources() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted((ROOT / "tui").rglob("*.py"))
        if path.parent.name != "i18n"
    ]


def _tables() -> list[str]:
    return [o for rel, tree in _sources() for o in _offences(tree, rel)]


def _offences(tree: ast.Module, rel: str) -> list[str]:
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "norm_lang":
            offenders.append(f"{rel}:{node.lineno}: def norm_lang")
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "LANGS" for t in targets):
                offenders.append(f"{rel}:{node.lineno}: LANGS")
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"en", "fr"} <= keys:
                offenders.append(f"{rel}:{node.lineno}: en/fr table")
    return offenders


def _literal_keys() -> list[tuple[str, int, str]]:
    """(module, line, key) of every call ``t(lang, "key", …)`` or ``text(lang, "key")`` to
    the catalog: the names imported from releve.tui.i18n (under any alias) and ``i18n.t``,
    ``i18n.text``."""
    found = []
    for rel, tree in _sources():
        names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "releve.tui.i18n"
            for alias in node.names
            if alias.name in ("t", "text")
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            f = node.func
            catalog_call = (isinstance(f, ast.Name) and f.id in names) or (
                isinstance(f, ast.Attribute)
                and f.attr in ("t", "text")
                and isinstance(f.value, ast.Name)
                and f.value.id == "i18n"
            )
            key = node.args[1]
            if catalog_call and isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.append((rel, node.lineno, key.value))
    return found


def _every_prefix() -> list[str]:
    keys = i18n.texts("en")
    found = {k[:i] for k in keys for i, ch in enumerate(k) if ch == "."}
    return sorted(found) + ["", "enum", "enum.Nope", "fiel", "field.", "nope"]


@pytest.mark.parametrize("lang", ["en", "fr", "de", None])
def test_a_table_is_every_text_under_its_prefix_in_catalog_order(lang: str | None) -> None:
    """`table` (read from the catalog split once per language) is, for every prefix, the
    English texts under it overlaid by the language's own, in the catalog's order."""
    for prefix in _every_prefix():
        start = prefix + "."
        en = {k[len(start) :]: v for k, v in i18n.texts("en").items() if k.startswith(start)}
        own = {
            k[len(start) :]: v
            for k, v in i18n.texts(i18n.norm_lang(lang)).items()
            if k.startswith(start)
        }
        assert list(i18n.table(lang, prefix).items()) == list({**en, **own}.items()), prefix


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_check_and_report_count_findings_in_the_same_words(lang: str, capsys) -> None:
    """One set of count nouns: `releve check` and the report's score line say the same
    ("7 avertissements · 1 dérogé" in both, never "alertes" in one of them)."""
    import re

    from releve.tui.cli import main

    plan = str(ROOT / "sample_missions" / "atelier-durand.toml")
    main(["check", plan, "--lang", lang, "--as-of", "2027-03-01"])
    check_line = capsys.readouterr().out.strip().splitlines()[-1]
    main(["report", plan, "--format", "markdown", "--lang", lang, "--as-of", "2027-03-01"])
    report = capsys.readouterr().out
    # "PLAN: 1 erreur, 7 avertissements, 8 infos, 1 dérogé — échoue avec …"
    counts = check_line.split(": ", 1)[1].split(" — ")[0].split(", ")
    assert len(counts) == 4 and all(re.fullmatch(r"\d+ \w+", c) for c in counts), check_line
    assert all(c in report for c in counts), (counts, report[:2000])
