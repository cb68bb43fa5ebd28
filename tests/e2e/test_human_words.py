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
import re
from pathlib import Path

import pytest

from releve.planner import model
from releve.rules.facts.kinds import FACT_KINDS
from releve.rules.result import PILLARS

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
    found = sorted(
        {
            (w, line.strip()[:120])
            for line in _shown_lines(result.out)
            for w in WORD.findall(line)
            if w in IDENTIFIERS
        }
    )
    assert not found, found
