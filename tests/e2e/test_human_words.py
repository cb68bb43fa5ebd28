"""Human text speaks the user's words: no snake_case identifier of the format in text output.

The identifiers: every value of the model's enumerations written with an underscore
(``flash_audit``, ``customer_satisfaction``), the pillars' ids (``founder_dependence``)
and the fact kinds (``kpi_category``). Text output: `check` as text and Markdown,
`schedule` as text, the Markdown report, of every sample, in English and in French. The
plan's own keys (``coo.contracted_days``), which pack texts name to say what to edit,
and the user's ids and paths are the user's words and may appear. JSON, SARIF, JUnit and
CSV keep ids (other tests).
"""

from __future__ import annotations

import enum
import json
import re
import tomllib
from pathlib import Path

import pytest

from releve.planner import model
from releve.rules.facts.kinds import FACT_KINDS
from releve.rules.result import PILLARS, Severity
from releve.tui import i18n

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))
AS_OF = "2027-03-01"


def _identifiers() -> set[str]:
    values = {
        str(e.value)
        for v in vars(model).values()
        if isinstance(v, type) and issubclass(v, enum.Enum) and v.__module__ == model.__name__
        for e in v
    }
    return {w for w in values | set(PILLARS) | set(FACT_KINDS) if "_" in w}


IDENTIFIERS = _identifiers()
WORD = re.compile(r"[A-Za-z0-9_]+")

OUTPUTS = {
    "check-text": ["check", "--format", "text"],
    "check-markdown": ["check", "--format", "markdown"],
    "schedule-text": ["schedule", "--format", "text"],
    "report-markdown": ["report", "--format", "markdown", "-o", "-"],
}


def _shown_lines(text: str) -> list[str]:
    """The lines a reader sees (an HTML comment in Markdown, the report's machine-readable
    provenance, is not shown)."""
    return [ln for ln in text.splitlines() if not ln.lstrip().startswith("<!--")]


def test_the_identifiers_are_the_ones_users_saw() -> None:
    assert {"flash_audit", "customer_satisfaction", "founder_dependence"} <= IDENTIFIERS


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_no_identifier_of_the_format_in_text_output(cli, sample, output, lang) -> None:
    result = cli([*OUTPUTS[output], "--as-of", AS_OF, "--lang", lang, str(sample)])
    assert result.code in (0, 1), result.err
    users = _users_words(sample)
    found = sorted(
        {
            (w, line.strip()[:120])
            for line in _shown_lines(result.out)
            for w in WORD.findall(_without_row_ids(line, users))
            if w in IDENTIFIERS
        }
    )
    assert not found, found


ROW = re.compile(r"\b([a-z_]+):([\w-]+)")


def _without_row_ids(line: str, users: set[str]) -> str:
    """A row named as a waiver's target names it (`kpi:lead_time`) by the plan's own id: the
    user's word even when it reads like one of the format's (a KPI whose id is `lead_time`)."""
    return ROW.sub(lambda m: m.group(1) if m.group(2) in users else m.group(0), line)


# --- values without an underscore: planning, running, done, warning, error … -------------------

#: Enumeration values and severities written without an underscore. A French reader must
#: never meet them where a label belongs ("gravité warning → error"); an English reader only
#: where the English label differs from the value (a weekday's "mon").
PLAIN_VALUES = {
    str(e.value)
    for v in vars(model).values()
    if isinstance(v, type) and issubclass(v, enum.Enum) and v.__module__ == model.__name__
    for e in v
    if "_" not in str(e.value)
} | {s.value for s in Severity}
TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")  # a kebab-case name is one token
#: Machine syntax a reader does not read as words: a code span, an option and its value, a
#: `key = "value"` to type in the plan, a finding's target as a waiver names it
#: (`[phase:handover]`: the plan's own id).
MACHINE = re.compile(r'`[^`]*`|--[a-z-]+ \w+|[\w.]+ = "[^"]*"|\[[a-z_]+:[^\]]*\]')


def _catalog_words(lang: str) -> set[str]:
    """The words of the catalog's texts in `lang` (placeholders left out): a value that is
    also one of them ("documentation", "info") is a word of the language, not an id."""
    return {
        w.lower()
        for t in i18n.texts(lang).values()
        for w in re.findall(r"[A-Za-zÀ-ÿ]+", re.sub(r"\{[^{}]*\}", " ", t))
    }


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _users_words(sample: Path) -> set[str]:
    """The plan's own words: its ids and free text (a KPI called `productivity`, an
    objective `growth`), never the value of one of its enumerations."""
    with sample.open("rb") as f:
        values = [s for s in _strings(tomllib.load(f)) if s not in PLAIN_VALUES]
    return {w for s in values for w in TOKEN.findall(s)}


def _pack_texts(cli, sample: Path, lang: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The rule packs' texts of this check (titles, messages, fixes): the packs' words, which
    the pack's authors answer for (tests/rules), not the renderers."""
    from releve.tui.render.check_markdown import md_escape
    from releve.tui.report.markdown import md

    args = ["check", "--format", "json", "--as-of", AS_OF, "--lang", lang, *extra, str(sample)]
    texts = [
        f[k]
        for p in json.loads(cli(args).out)["plans"]
        for f in p["findings"]
        for k in KEYS
        if f[k]
    ]
    return sorted({v for t in texts for v in (t, md_escape(t), md(t))}, key=len, reverse=True)


KEYS = ("title", "message", "fix")


def _plain_values_shown(
    cli, args: list[str], sample: Path, lang: str, extra: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Values of the format shown where a label belongs, with the line they are on."""
    result = cli([*args, "--as-of", AS_OF, "--lang", lang, *extra, str(sample)])
    assert result.code in (0, 1), result.err
    ids = PLAIN_VALUES - _catalog_words(lang) - _users_words(sample)
    packs = _pack_texts(cli, sample, lang, extra)
    found = []
    in_fence = False
    for line in _shown_lines(result.out):
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:  # a Mermaid chart's source: drawn, not read
            continue
        shown = line
        for t in packs:
            shown = shown.replace(t, " ")
        shown = MACHINE.sub(" ", shown)
        found += [(w, line.strip()[:120]) for w in TOKEN.findall(shown) if w in ids]
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_no_value_of_the_format_where_a_label_belongs(cli, sample, output, lang) -> None:
    found = _plain_values_shown(cli, OUTPUTS[output], sample, lang)
    assert not found, found


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("output", ["check-text", "check-markdown", "report-markdown"])
def test_what_ran_tells_a_firms_changes_in_words(cli, tmp_path, output, lang) -> None:
    """A firm's pack that raises a severity and moves a rule to another pillar: "what ran"
    says it with labels ("gravité avertissement → erreur"), never "warning → error"."""
    pack = tmp_path / "firm.toml"
    pack.write_text(
        '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\nextends = ["default"]\n'
        '[rules.EXT002]\nseverity = "error"\npillar = "documentation"\n',
        encoding="utf-8",
    )
    extra = ("--pack", str(pack))
    sample = ROOT / "sample_missions" / "atelier-durand.toml"
    found = _plain_values_shown(cli, OUTPUTS[output], sample, lang, extra)
    assert not found, found
    shown = cli([*OUTPUTS[output], "--as-of", AS_OF, "--lang", lang, *extra, str(sample)]).out
    arrow = {"en": "warning → error", "fr": "avertissement → erreur"}[lang]
    assert arrow in shown


def test_the_plain_values_include_what_users_saw() -> None:
    assert {"planning", "running", "done", "warning", "error"} <= PLAIN_VALUES
    assert {"running", "done", "warning", "error"} <= PLAIN_VALUES - _catalog_words("fr")
