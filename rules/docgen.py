"""Regenerates the reference part of docs/rules.md (facts and default rules) from the code.

Run ``python -m releve.rules.docgen`` after changing rules/facts/ or rules/default/: the
hand-written part of docs/rules.md (up to "## Fact kinds and fields") is kept.
"""

from __future__ import annotations

import json
from pathlib import Path

from releve.rules.facts import FACT_KINDS
from releve.rules.facts.tracking import FACT_IDS as LOG_FACT_IDS
from releve.rules.packs import Condition, load_pack_set

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
MARK = "\n## Fact kinds and fields\n"


def cond(c: Condition) -> str:
    if c.op in ("missing", "present", "empty"):
        return f"`{c.field}` is {c.op}"
    sym = {
        "eq": "=",
        "ne": "≠",
        "lt": "<",
        "le": "≤",
        "gt": ">",
        "ge": "≥",
        "in": "in",
        "not_in": "not in",
    }[c.op]
    value = list(c.value) if isinstance(c.value, tuple) else c.value
    v = f"${c.param}" if c.param else json.dumps(value, ensure_ascii=False)
    return f"`{c.field}` {sym} `{v}`"


def reference(head: str) -> str:
    """The whole document: `head` then the generated reference."""
    ps = load_pack_set()
    out: list[str] = [head.rstrip("\n")]
    w = out.append
    w(MARK)
    w(
        "Every fact has `fact` (its kind), `fact_id` (unique in the plan) and, for rows, `row`"
        " (0-based index in its array table). Fields marked *derived* are computed by"
        " `rules/facts/` (one builder per kind); the others are the plan's values. A field whose value is unknown is"
        " absent (a condition on it is false, except `missing` and `empty`).\n"
    )
    ids = {
        "mission": "`mission`",
        "company": "`company`",
        "exit": "`exit`",
        "coo": "`coo`",
        "scope": "`scope`",
        "governance": "`governance`",
        "objective": "`objective:ID`",
        "person": "`person:ID`",
        "process": "`process:ID`",
        "phase": "`phase:ID`",
        "transfer": "`transfer:ID`",
        "kpi": "`kpi:ID`",
        "signal": "`signal:N` (N from 1, plan order)",
        "irritant": "`irritant:ID`",
        "waiver": "`waiver:N` (N from 1, plan order)",
        "schedule": "`schedule`",
        "metrics": "`metrics`",
        "phase_kind": "`phase_kind:KIND` (one per phase kind)",
        "kpi_category": "`kpi_category:CATEGORY` (one per KPI category)",
        "placeholder": "`TABLE:KEY` or `TABLE:ROW.KEY` (`company:name`, `process:core.id`)",
    }
    ids.update(LOG_FACT_IDS)  # the mission log's kinds (rules/facts/tracking.py)
    for kind, spec in FACT_KINDS.items():
        w(f"\n### `{kind}`\n\nFact id: {ids[kind]}.\n\n| field | type | meaning |\n|---|---|---|")
        for name, fs in spec.items():
            d = " *(derived)*" if fs.derived else ""
            w(f"| `{name}` | {fs.type} | {fs.doc.replace('|', '¦')}{d} |")
    w("\n## The default pack\n")
    w(
        "Generated from `rules/default/` (`releve rules list`, `releve rules explain CODE`)."
        " Each rule: what it checks, why it matters, how to fix it, its options.\n"
    )
    for r in ps.rules:
        w(f"\n### {r.code} `{r.name}`\n")
        w(
            f"*{r.severity.value}* · pillar **{r.pillar}** · weight {r.weight:g} · plan path `{r.path}`\n"
        )
        w(
            f"**What it does.** {r.title['en']}. It looks at each `{r.fact}` fact and fires once per fact where:"
        )
        for c in r.when:
            w(f"- {cond(c)}")
        if r.any:
            w("- at least one of: " + "; ".join(cond(c) for c in r.any))
        if r.unless:
            conds = [cond(c) for c in r.unless.when]
            if r.unless.any:
                conds.append("at least one of: " + "; ".join(cond(c) for c in r.unless.any))
            w(
                f"- unless some `{r.unless.fact}` fact has "
                + ("; ".join(conds) if conds else "no condition (any such fact)")
            )
        if not r.when and not r.any and not r.unless:
            w("- always")
        w("")
        w(f"**Why it matters.** {r.rationale['en']}\n")
        w(f"**Example message.** {r.message['en']}  \n*FR :* {r.message['fr']}\n")
        w(f"**How to fix.** {r.fix['en']}\n")
        if r.params:
            w("**Options.** " + ", ".join(f"`{k}` = `{v}`" for k, v in r.params.items()) + "\n")
    return "\n".join(out) + "\n"


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(reference(text.split(MARK, 1)[0]), encoding="utf-8")


if __name__ == "__main__":
    main()
