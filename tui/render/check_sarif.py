"""`releve check --format sarif`: one SARIF 2.1.0 run for all the plans (code scanning)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from releve.rules.result import CheckResult, Finding
from releve.tui.jsontext import indented_json
from releve.tui.render.check import (
    Outcome,
    PlanFailure,
    RuleMeta,
    _display_path,
    ran_dict,
)
from releve.tui.safe_text import json_escape_controls

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::[^{}]*)?\}")


def _uri(path: str) -> str:
    """A relative URI reference for a file path (code scanning wants repository-relative)."""
    from urllib.parse import quote  # SARIF only: kept off the text path's start-up

    return quote(path.replace("\\", "/"), safe="/:@")


def _rules_meta(outcomes: Sequence[Outcome], given: Mapping[str, RuleMeta]) -> list[RuleMeta]:
    metas = dict(given)
    for o in outcomes:
        if isinstance(o, PlanFailure):
            continue
        for f in o.findings:
            metas.setdefault(
                f.rule,
                RuleMeta(
                    code=f.rule,
                    name=f.name,
                    title=f.title,
                    severity=f.severity.value,
                    pillar=f.pillar,
                ),
            )
    return [metas[k] for k in sorted(metas)]


def _fingerprint(result: CheckResult, f: Finding) -> str:
    # Stable across edits that move lines: the plan, the rule and the fact it names.
    import hashlib

    key = f"{result.plan.mission.id}\0{f.rule}\0{f.target}\0{f.path}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _sarif_rule(m: RuleMeta) -> dict:
    rule: dict = {
        "id": m.code,
        "name": m.name,
        "shortDescription": {"text": m.title or m.name},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(m.severity, "warning")},
        "properties": {"pillar": m.pillar, "weight": m.weight, "tags": ["releve", m.pillar]},
    }
    if m.rationale:
        rule["fullDescription"] = {"text": m.rationale}
    if m.fix:
        # The pack's fix is a template; its placeholders read as <field> in rule help.
        rule["help"] = {"text": _PLACEHOLDER.sub(r"<\1>", m.fix)}
    return rule


def _sarif_result(result: CheckResult, f: Finding, index: int) -> dict:
    # Code scanning needs a line; a finding about something missing from the plan (no
    # [governance] table, …) has none, so it points at the top of the file.
    region = {"startLine": f.line if f.line is not None else 1}
    text = f.message + (f"\nFix: {f.fix}" if f.fix else "")
    res: dict = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _SARIF_LEVEL[f.severity.value],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(_display_path(result))},
                    "region": region,
                },
                "logicalLocations": [
                    {"name": f.target or f.path, "fullyQualifiedName": f.path, "kind": "object"}
                ],
            }
        ],
        "partialFingerprints": {"releveFinding/v1": _fingerprint(result, f)},
        "properties": {
            "pillar": f.pillar,
            "target": f.target,
            "planPath": f.path,
            "lineKnown": f.line is not None,
            "mission": result.plan.mission.id,
        },
    }
    if f.waived:
        justification = f.waiver_reason or ""
        if f.waiver_owner or f.waiver_expires:
            exp = f.waiver_expires.isoformat() if f.waiver_expires else "?"
            justification += f" (owner {f.waiver_owner or '?'}, expires {exp})"
        res["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": justification.strip()}
        ]
    return res


def render_sarif(
    outcomes: Sequence[Outcome],
    *,
    rules: Iterable[RuleMeta] = (),
    version: str = "0",
) -> str:
    """One SARIF 2.1.0 run for all the plans: rule metadata, levels, locations with lines.

    Waived findings carry an accepted external suppression; unreadable plans are tool
    execution notifications (the invocation is then not successful)."""
    metas = _rules_meta(outcomes, {m.code: m for m in rules})
    index = {m.code: i for i, m in enumerate(metas)}
    results: list[dict] = []
    for o in outcomes:
        if isinstance(o, PlanFailure):
            continue
        results.extend(_sarif_result(o, f, index[f.rule]) for f in o.findings)
    notifications = []
    for o in outcomes:
        if not isinstance(o, PlanFailure):
            continue
        phys: dict = {"artifactLocation": {"uri": _uri(o.file or o.path)}}
        if o.line is not None:
            phys["region"] = {"startLine": o.line}
            if o.column is not None:
                phys["region"]["startColumn"] = o.column
        notifications.append(
            {
                "level": "error",
                "message": {"text": o.message},
                "locations": [{"physicalLocation": phys}],
            }
        )
    artifacts = []
    seen: set[str] = set()
    for o in outcomes:
        uri = _uri(o.path if isinstance(o, PlanFailure) else _display_path(o))
        if uri not in seen:
            seen.add(uri)
            artifacts.append({"location": {"uri": uri}, "roles": ["analysisTarget"]})
    invocation: dict = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    plans = [
        {
            "path": o.path,
            "mission": o.plan.mission.id,
            "asOf": o.as_of.isoformat(),
            "packs": list(o.packs),
            "score": o.score.overall,
            "band": o.score.band,
            "framing": o.score.framing,
            "withoutWaivers": o.score.without_waivers,
            "caps": [c.rule for c in o.score.caps],
            "pillars": dict(o.score.pillars),
            "ran": ran_dict(o.ran),
        }
        for o in outcomes
        if not isinstance(o, PlanFailure)
    ]
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "releve",
                        "version": version,
                        "semanticVersion": version,
                        "rules": [_sarif_rule(m) for m in metas],
                    }
                },
                "invocations": [invocation],
                "artifacts": artifacts,
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {"plans": plans},
            }
        ],
    }
    return json_escape_controls(indented_json(log)) + "\n"
