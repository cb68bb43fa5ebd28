"""Renderers of `releve check` results: text and JSON here; SARIF 2.1.0, JUnit XML and
Markdown in check_sarif, check_junit and check_markdown (same decisions, read from here).

Every renderer is a pure function of a list of outcomes, one per plan named on the command
line, in that order: a `CheckResult`, or a `PlanFailure` for a plan that could not be read.
Nothing here reads the clock, the environment or a file; the caller decides colour.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias

from releve.planner.records import record
from releve.rules.result import CheckResult, Finding, RuleChange, Score, Severity, WhatRan
from releve.tui import i18n
from releve.tui.jsontext import indented_json
from releve.tui.safe_text import json_escape_controls, visible

FORMATS = ("text", "json", "sarif", "junit", "markdown")
FAIL_ON = ("error", "warning", "info", "never")


@record
class PlanFailure:
    """A plan that could not be checked: where and why (from a `LocatedError`)."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    file: str | None = None  # the file at fault when it is not the plan (a pack it names)
    text: str = ""  # the error's own one-line form, when it says more (rule, key)
    problems: tuple[str, ...] = ()  # each problem's own line, when it holds several (packs)

    def one_line(self) -> str:
        """`FILE:LINE:COLUMN: message`, the parts that are unknown left out."""
        if self.text:
            return visible(self.text)
        parts = [p for p in (self.file or self.path, self.line, self.column) if p is not None]
        return visible(":".join(str(p) for p in parts) + f": {self.message}")

    def lines(self) -> list[str]:
        """The failure for a terminal: one line per problem it holds (a pack's errors are
        one a line), each with no control character."""
        if len(self.problems) > 1:
            return [visible(line) for line in self.problems]
        return [self.one_line()]


@record
class RuleMeta:
    """What SARIF says about a rule beside its results (from the pack set in force)."""

    code: str
    name: str
    title: str
    severity: str
    pillar: str
    weight: float = 1.0
    rationale: str = ""
    fix: str = ""


Outcome: TypeAlias = CheckResult | PlanFailure


# --- decisions shared by every format ----------------------------------------------------


def fail_rank(fail_on: str) -> int:
    """The lowest severity rank that fails a check; above every rank for ``never``."""
    if fail_on == "never":
        return 99
    return Severity(fail_on).rank


def fails(finding: Finding, fail_on: str) -> bool:
    """True when this finding, alone, makes the check fail at ``--fail-on``."""
    return not finding.waived and finding.severity.rank >= fail_rank(fail_on)


def exit_code(outcomes: Sequence[Outcome], fail_on: str) -> int:
    """0 clean, 1 a finding at or above ``fail_on``, 2 a plan could not be read (wins)."""
    if any(isinstance(o, PlanFailure) for o in outcomes):
        return 2
    for o in outcomes:
        if isinstance(o, CheckResult) and any(fails(f, fail_on) for f in o.findings):
            return 1
    return 0


def _display_path(result: CheckResult) -> str:
    return result.path or f"<{result.plan.mission.id}>"


def _location(result: CheckResult, finding: Finding) -> str:
    path = _display_path(result)
    return f"{path}:{finding.line}" if finding.line is not None else path


# --- what ran (every format) --------------------------------------------------------------


def _value(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _shown_value(what: str, v: object, lang: str) -> str:
    """A changed value in words: a severity or a pillar by its label, a number plainly."""
    if what == "severity" and isinstance(v, str):
        return i18n.severity_label(lang, v)
    if what == "pillar" and isinstance(v, str):
        return i18n.pillar_label(lang, v)
    return _value(v)


def change_text(c: RuleChange, labels: Mapping) -> str:
    """One change to a default rule, in words: "SIG003 unmonitored-signals switched off
    by relais-conseil", "GOV005 sparse-steering: max_days 30 → 21 by relais-conseil"."""
    if c.what == "excluded":
        return labels["ran_excluded"].format(rule=c.rule, name=c.name, pack=c.pack)
    what = c.what.split(".", 1)[1] if c.what.startswith("params.") else c.what
    what = labels["what"].get(what, what)
    if c.before is None and c.after is None:
        return labels["ran_rewritten"].format(rule=c.rule, name=c.name, what=what, pack=c.pack)
    return labels["ran_set"].format(
        rule=c.rule,
        name=c.name,
        what=what,
        before=_shown_value(c.what, c.before, labels["lang"]),
        after=_shown_value(c.what, c.after, labels["lang"]),
        pack=c.pack,
    )


def ran_lines(ran: WhatRan | None, labels: Mapping) -> list[str]:
    """What ran, as lines of plain text (no markup): the view, the rules in force out of
    the default pack's, each change to a default rule with its pack, the pack digests."""
    if ran is None:
        return []
    rules = labels["ran_rules"].format(n=ran.default_in_force, total=ran.default_rules)
    if ran.added:
        rules += "; " + labels["ran_added"].format(n=len(ran.added), codes=", ".join(ran.added))
    lines = [labels["view_packs_only" if ran.view == "packs-only" else "view_full"], rules]
    if ran.changes:
        lines.append(labels["ran_changed"])
        lines += ["  " + change_text(c, labels) for c in ran.changes]
    else:
        lines.append(labels["ran_unchanged"])
    digests = ", ".join(f"{p.id} {p.digest[:12]}" for p in ran.packs)
    lines.append(labels["ran_packs"] + digests)
    return lines


def ran_dict(ran: WhatRan | None) -> dict | None:
    """What ran, for JSON and SARIF (ids, not words)."""
    if ran is None:
        return None
    return {
        "view": ran.view,
        "rules_in_force": ran.rules_in_force,
        "default_rules": ran.default_rules,
        "default_in_force": ran.default_in_force,
        "added": list(ran.added),
        "changes": [
            {
                "rule": c.rule,
                "name": c.name,
                "what": c.what,
                "before": c.before,
                "after": c.after,
                "pack": c.pack,
                "weakens": c.weakens,
            }
            for c in ran.changes
        ],
        "packs": [
            {"id": p.id, "version": p.version, "source": p.source, "digest": p.digest}
            for p in ran.packs
        ],
    }


def ran_labels(lang: str) -> Mapping:
    """The labels of what ran in `lang` (the report uses them too)."""
    return _labels_of(i18n.norm_lang(lang))


def score_text(result: CheckResult, labels: Mapping) -> str:
    """``Readiness 79/100 (to secure, capped by EXT001 "…") · coverage 45% · Framing
    96/100``, or ``Readiness not assessed (…)`` (tui.render.score_words)."""
    from releve.tui.render.score_words import headline

    return headline(labels["lang"], result.score).text()


# --- text ---------------------------------------------------------------------------------

#: Column headers of the Markdown tables, by the catalog keys under check.<table>.
_MD_COLUMNS = {
    "md_findings": ("severity", "rule", "name", "message", "location", "fix"),
    "md_pillars": ("pillar", "score"),
    "md_waived": ("rule", "message", "reason", "owner", "expires"),
}


@functools.cache
def _labels_of(lang: str) -> Mapping:
    """The check output's words in ``lang``, from the string catalog."""
    words: dict[str, object] = dict(i18n.table(lang, "check"))
    counts = i18n.table(lang, "count")  # the findings' count nouns, shared with the report
    for key in ("error", "warning", "info", "waived"):
        words[key] = (counts[f"{key}.one"], counts[f"{key}.many"])
    for key, columns in _MD_COLUMNS.items():
        words[key] = tuple(words[f"{key}.{c}"] for c in columns)
    words["what"] = i18n.table(lang, "check.what")
    words["lang"] = lang
    return words


_SGR = {
    "error": "1;31",
    "warning": "1;33",
    "info": "1;36",
    "waived": "2",
    "bold": "1",
    "dim": "2",
}


def _labels(lang: str | None, outcomes: Sequence[Outcome]) -> Mapping:
    if lang is None:
        lang = next((o.lang for o in outcomes if isinstance(o, CheckResult)), "en")
    return _labels_of(i18n.norm_lang(lang))


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_SGR[style]}m{text}\x1b[0m" if color else text


def _count_phrase(counts: Mapping[str, int], labels: Mapping) -> str:
    parts = []
    for key in ("error", "warning", "info", "waived"):
        n = counts.get(key, 0)
        singular, plural = labels[key]
        # French keeps the singular for 0 and 1 ("0 erreur"), English for 1 only.
        one = n <= 1 if labels["lang"] == "fr" else n == 1
        parts.append(f"{n} {singular if one else plural}")
    return ", ".join(parts)


def _shown(text: str) -> str:
    """Text from a plan, a pack or a path, as the terminal may show it: control characters
    made visible (an escape sequence in a plan must not reach the terminal), line breaks
    kept (the caller indents them)."""
    return visible(text, keep="\n")


def _text_plan(result: CheckResult, labels: Mapping, color: bool, fail_on: str) -> list[str]:
    path = visible(_display_path(result))
    header = (
        f"{_paint(path, 'bold', color)} — {visible(result.plan.mission.id)} "
        f"({labels['as_of']} {result.as_of.isoformat()}; "
        f"{labels['packs']}: {visible(', '.join(result.packs)) or '-'})"
    )
    lines = [header]
    lines += ["  " + _shown(line) for line in ran_lines(result.ran, labels)]
    groups: dict[str, list[Finding]] = {"error": [], "warning": [], "info": [], "waived": []}
    for f in result.findings:
        groups["waived" if f.waived else f.severity.value].append(f)
    for key, findings in groups.items():
        if not findings:
            continue
        lines.append("")
        lines.append(_paint(f"{labels[key][0]} ({len(findings)})", key, color))
        for f in findings:
            where = visible(_location(result, f))
            target = (
                f"  [{visible(i18n.target_label(labels['lang'], f.target))}]" if f.target else ""
            )
            lines.append(
                f"  {_paint(visible(f.rule), 'bold', color)} {visible(f.name)}  {where}{target}"
            )
            lines.append("    " + _shown(f.message).replace("\n", "\n    "))
            if f.waived:
                note = labels["waived_until"].format(
                    expires=f.waiver_expires.isoformat() if f.waiver_expires else "?",
                    owner=visible(f.waiver_owner or "?"),
                    reason=visible(f.waiver_reason or ""),
                )
                lines.append(_paint(f"    {note}", "dim", color))
            elif f.fix:
                lines.append(f"    {labels['fix']}" + _shown(f.fix).replace("\n", "\n    "))
    if not result.findings:
        lines.append("")
        lines.append(f"  {labels['no_findings']}")
    lines.append("")
    from releve.tui.render.score_words import headline, pillar_lines

    lang = labels["lang"]
    lines.append(
        headline(lang, result.score).text(strong=lambda x: _paint(x, "bold", color), esc=visible)
    )
    lines += ["  " + line for line in pillar_lines(lang, result.score, visible)]
    counts = result.counts()
    failed = any(fails(f, fail_on) for f in result.findings)
    verdict = labels["fails" if failed else "passes"].format(fail_on=fail_on)
    lines.append(f"{path}: {_count_phrase(counts, labels)} — {verdict}")
    return lines


def render_text(
    outcomes: Sequence[Outcome],
    *,
    lang: str | None = None,
    color: bool = False,
    fail_on: str = "error",
) -> str:
    """Findings grouped by severity, each with code, message, file:line and fix; then the
    score and a one-line summary per plan; a total line when several plans were checked.
    Unreadable plans are left to stderr (one line each, by the command). Labels are in
    ``lang``, else in each plan's language."""
    labels = _labels(lang, outcomes)
    blocks: list[str] = []
    total = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for o in outcomes:
        if isinstance(o, PlanFailure):
            continue
        plan_labels = _labels(lang or o.lang, [])
        blocks.append("\n".join(_text_plan(o, plan_labels, color, fail_on)))
        for k, v in o.counts().items():
            total[k] += v
    out = "\n\n".join(blocks)
    unreadable = sum(isinstance(o, PlanFailure) for o in outcomes)
    if len(outcomes) > 1:
        summary = labels["plans"].format(n=len(outcomes)) + ": " + _count_phrase(total, labels)
        if unreadable:
            summary += "; " + labels["unreadable"].format(n=unreadable)
        out += ("\n\n" if out else "") + _paint(summary, "bold", color)
    return out + "\n" if out else ""


# --- JSON (cli.md) ------------------------------------------------------------------------


def finding_dict(f: Finding) -> dict:
    """One finding as cli.md shows it, plus title, fix, row and the waiver when waived."""
    d: dict = {
        "rule": f.rule,
        "name": f.name,
        "severity": f.severity.value,
        "pillar": f.pillar,
        "title": f.title,
        "message": f.message,
        "fix": f.fix,
        "target": f.target,
        "path": f.path,
        "row": f.row,
        "line": f.line,
        "waived": f.waived,
    }
    if f.waived:
        d["waiver"] = {
            "reason": f.waiver_reason,
            "owner": f.waiver_owner,
            "expires": f.waiver_expires.isoformat() if f.waiver_expires else None,
        }
    return d


def _coverage_dict(score: Score) -> dict:
    """``{"coverage": {"overall": 0.45, "pillars": {...}}}`` when the score has a coverage."""
    from releve.tui.render.score_words import coverage_of, coverage_pillars_of

    cov = coverage_of(score)
    if cov is None:
        return {}
    return {"coverage": {"overall": cov, "pillars": coverage_pillars_of(score)}}


def outcome_dict(o: Outcome) -> dict:
    if isinstance(o, PlanFailure):
        err: dict = {"message": o.message, "line": o.line, "column": o.column}
        if o.file:
            err["file"] = o.file
        return {"path": o.path, "error": err}
    return {
        "path": o.path,
        "mission": o.plan.mission.id,
        "as_of": o.as_of.isoformat(),
        "lang": o.lang,
        "packs": list(o.packs),
        "score": {
            "overall": o.score.overall,
            "framing": o.score.framing,
            "without_waivers": o.score.without_waivers,
            "uncapped": o.score.uncapped,
            "band": o.score.band,
            "caps": [{"rule": c.rule, "target": c.target} for c in o.score.caps],
            "pillars": dict(o.score.pillars),
            "costs": [
                {
                    "rule": c.rule,
                    "name": c.name,
                    "pillar": c.pillar,
                    "figure": c.figure,
                    "weight": c.weight,
                    "grade": c.grade,
                    "fired": c.fired,
                    "among": c.among,
                    "unknown": c.unknown,
                    "points": c.points,
                }
                for c in o.score.costs
            ],
            **_coverage_dict(o.score),
        },
        "findings": [finding_dict(f) for f in o.findings],
        "counts": o.counts(),
        "ran": ran_dict(o.ran),
    }


def render_json(outcomes: Sequence[Outcome]) -> str:
    """``{"plans": [...]}`` in the shape of cli.md (keys added, none removed)."""
    text = indented_json({"plans": [outcome_dict(o) for o in outcomes]})
    return json_escape_controls(text) + "\n"


#: Public names that live in the writers' own modules, imported when first asked for (so the
#: text path does not load SARIF, JUnit or Markdown code).
_MOVED = {
    "SARIF_SCHEMA_URI": "check_sarif",
    "render_sarif": "check_sarif",
    "render_junit": "check_junit",
    "md_escape": "check_markdown",
    "render_markdown": "check_markdown",
}


def __getattr__(name: str) -> Any:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"releve.tui.render.{module}"), name)


def render(
    fmt: str,
    outcomes: Sequence[Outcome],
    *,
    lang: str | None = None,
    color: bool = False,
    fail_on: str = "error",
    rules: Iterable[RuleMeta] = (),
    version: str = "0",
) -> str:
    """The output of ``releve check --format fmt``."""
    if fmt == "text":
        return render_text(outcomes, lang=lang, color=color, fail_on=fail_on)
    if fmt == "json":
        return render_json(outcomes)
    if fmt == "sarif":
        from releve.tui.render.check_sarif import render_sarif

        return render_sarif(outcomes, rules=rules, version=version)
    if fmt == "junit":
        from releve.tui.render.check_junit import render_junit

        return render_junit(outcomes, fail_on=fail_on)
    if fmt == "markdown":
        from releve.tui.render.check_markdown import render_markdown

        return render_markdown(outcomes, lang=lang, fail_on=fail_on)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
