"""The plain-Python evaluator of compiled rules: same findings as durable_rules, no C.

Used where durable_rules cannot be installed (Python 3.13+), when ``RELEVE_ENGINE=python``,
and as the reference the durable_rules engine is tested against.
"""

from __future__ import annotations

from typing import Any

from releve.rules.compile import KIND_KEY, matches


def fact_matches(
    kind: str, when: list[dict[str, Any]], anyc: list[dict[str, Any]], fact: dict[str, Any]
) -> bool:
    """The fact is of `kind`, meets every `when` condition and one `any` (if any given)."""
    if fact.get(KIND_KEY) != kind:
        return False
    if not all(matches(c, fact) for c in when):
        return False
    return not anyc or any(matches(c, fact) for c in anyc)


class PythonEvaluator:
    """Evaluates compiled rule specs over normalised facts; stateless and thread-safe."""

    name = "python"

    def evaluate(
        self, specs: tuple[dict[str, Any], ...], digest: str, facts: list[dict[str, Any]]
    ) -> list[tuple[str, str]]:
        """(rule code, fact id) of every firing, sorted."""
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for f in facts:
            by_kind.setdefault(f[KIND_KEY], []).append(f)
        out: list[tuple[str, str]] = []
        for spec in specs:
            u = spec.get("unless")
            if u is not None and any(
                fact_matches(u["fact"], u["when"], u["any"], f) for f in by_kind.get(u["fact"], ())
            ):
                continue
            for f in by_kind.get(spec["fact"], ()):
                if fact_matches(spec["fact"], spec["when"], spec["any"], f):
                    out.append((spec["code"], f["id"]))
        out.sort()
        return out
