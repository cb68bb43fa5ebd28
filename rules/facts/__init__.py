"""Facts: the flat records rules compare. `kinds` says what each kind holds (packs are
validated against it, docs/rules.md lists it); `build` makes them from a plan, one
builder per kind."""

from releve.rules.facts.build import BUILDERS, Context, build_facts, final_phase_id
from releve.rules.facts.kinds import (
    EXPECTED_KPI_CATEGORIES,
    FACT_KINDS,
    META_KEYS,
    REQUIRED_PHASE_KINDS,
    ROW_KINDS,
    TYPES,
    FieldSpec,
)

__all__ = [
    "BUILDERS",
    "EXPECTED_KPI_CATEGORIES",
    "FACT_KINDS",
    "META_KEYS",
    "REQUIRED_PHASE_KINDS",
    "ROW_KINDS",
    "TYPES",
    "Context",
    "FieldSpec",
    "build_facts",
    "final_phase_id",
]
