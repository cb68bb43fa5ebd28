"""Finishing: each rule checked once every pack is layered (names, pillar, severity,
conditions, placeholders, examples), then the PackSet with what packs changed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from releve.rules.facts import FACT_KINDS
from releve.rules.grading import DEFAULT_GRADE, ScoreSettings
from releve.rules.packs.conditions import _conditions, _unless
from releve.rules.packs.errors import (
    PackError,
    _suggest,
    _type_name,
    quote,
)
from releve.rules.packs.layering import _Layering
from releve.rules.packs.locate import _collect, _Draft, _fail_at
from releve.rules.packs.model import (
    NAME_RE,
    PLACEHOLDER_RE,
    TEXT_KEYS,
    Condition,
    Example,
    PackSet,
    Rule,
)
from releve.rules.result import PILLARS, RuleChange, Severity


def _examples(draft: _Draft, raw: Any) -> tuple[Example, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail_at(draft, "example", "example must be an array of tables ([[rule.example]])")
    out = []
    pack, where = draft.where.get("example", draft.home)
    reg = pack.loc.region(*where)
    ex_lines = []
    if reg is not None:
        ex_lines = [
            i + 1
            for i, n, arr in pack.loc.headers
            if arr and n == "rule.example" and reg[0] <= i < reg[1]
        ]
    for i, e in enumerate(raw):
        key = f"example[{i}]"
        if not isinstance(e, dict):
            raise _fail_at(draft, "example", f"{key} must be a table", report_key=key)
        for k in e:
            if k not in ("plan", "fires", "target", "as_of", "base", "unset"):
                raise _fail_at(
                    draft,
                    "example",
                    f"unknown key '{quote(k)}' in an example"
                    f"{_suggest(k, ('plan', 'fires', 'target', 'as_of', 'base', 'unset'))}",
                    needles=(rf"\b{re.escape(k)}\s*=",),
                    report_key=f"{key}.{k}",
                )
        plan, fires, unset = e.get("plan", ""), e.get("fires"), e.get("unset", [])
        if not isinstance(plan, str) or not isinstance(fires, bool):
            raise _fail_at(
                draft,
                "example",
                f"{key} needs fires (true/false) and plan, a TOML fragment string",
                report_key=key,
            )
        if not isinstance(unset, list) or not all(isinstance(u, str) for u in unset):
            raise _fail_at(
                draft,
                "example",
                f"{key}.unset must be an array of dotted keys",
                report_key=f"{key}.unset",
            )
        target, base = e.get("target"), e.get("base", True)
        if target is not None and not isinstance(target, str):
            raise _fail_at(
                draft,
                "example",
                f"{key}.target must be a string like "
                f'"process:purchasing", not {_type_name(target)}',
                needles=(r"\btarget\s*=",),
                report_key=f"{key}.target",
            )
        if not isinstance(base, bool):
            raise _fail_at(
                draft,
                "example",
                f"{key}.base must be true or false, not {_type_name(base)}",
                needles=(r"\bbase\s*=",),
                report_key=f"{key}.base",
            )
        as_of = e.get("as_of")
        if as_of is not None and not isinstance(as_of, dt.date):
            raise _fail_at(
                draft, "example", f"{key}.as_of must be a date", report_key=f"{key}.as_of"
            )
        out.append(
            Example(
                plan,
                fires,
                target,
                as_of,
                base,
                ex_lines[i] if i < len(ex_lines) else None,
                tuple(unset),
                pack.path,
            )
        )
    return tuple(out)


def _shown(value: Any) -> str:
    """A value as the pack writes it, or its type when it is an array or a table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return _type_name(value)
    return repr(value) if isinstance(value, str) else str(value)


def _string(draft: _Draft, key: str, value: Any, what: str) -> str:
    """`value` of `key`, which must be a string (`what` says which)."""
    if not isinstance(value, str):
        raise _fail_at(draft, key, f"{key} must be a string ({what}), not {_type_name(value)}")
    return value


def _finish(draft: _Draft, errors: list[PackError]) -> Rule | None:  # noqa: C901
    """The rule a draft makes once every pack is layered; None when it has errors (each
    one added to `errors`: every key is checked, not only up to the first mistake)."""
    v = draft.values
    code = draft.code
    before = len(errors)
    name = pillar = sev = kind = ""
    weight: Any = 1
    # A required key that is missing was reported when the rule was layered: the others
    # are still checked.
    with _collect(errors):
        name = _string(draft, "name", v.get("name", "x"), "a kebab-case name like manual-process")
        if not NAME_RE.match(name):
            raise _fail_at(
                draft, "name", f"name '{quote(name)}' must be kebab-case (e.g. manual-process)"
            )
    with _collect(errors):
        pillar = _string(draft, "pillar", v.get("pillar", ""), "one of " + ", ".join(PILLARS))
        if "pillar" in v and pillar not in PILLARS:
            raise _fail_at(
                draft,
                "pillar",
                f"unknown pillar '{quote(pillar)}'{_suggest(pillar, PILLARS)} "
                f"(expected one of: {', '.join(PILLARS)})",
            )
    with _collect(errors):
        sev = _string(draft, "severity", v.get("severity", ""), "error, warning or info")
        if "severity" in v and sev not in Severity.__members__:
            raise _fail_at(
                draft,
                "severity",
                f"unknown severity '{quote(sev)}'{_suggest(sev, Severity.__members__)} "
                "(expected error, warning or info)",
            )
    with _collect(errors):
        weight = v.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise _fail_at(draft, "weight", f"weight must be a number ≥ 0, not {_shown(weight)}")
    with _collect(errors):
        kind = _string(draft, "fact", v.get("fact", ""), "a fact kind such as process")
        if "fact" in v and kind not in FACT_KINDS:
            raise _fail_at(
                draft,
                "fact",
                f"unknown fact kind '{quote(kind)}'{_suggest(kind, FACT_KINDS)} "
                f"(expected one of: {', '.join(FACT_KINDS)})",
            )
    params = v.get("params", {})
    for p, pv in params.items():
        if not isinstance(pv, (bool, int, float, str, list, dt.date)):
            errors.append(
                _fail_at(
                    draft,
                    "params",
                    f"parameter '{quote(p)}' must be a plain value",
                    p,
                    report_key=f"params.{quote(p)}",
                )
            )
    used: set[str] = set()
    when: tuple[Condition, ...] = ()
    anyc: tuple[Condition, ...] = ()
    unless = None
    if kind in FACT_KINDS:
        with _collect(errors):
            when = _conditions(draft, "when", kind, v.get("when", []), params, used, errors=errors)
        with _collect(errors):
            anyc = _conditions(draft, "any", kind, v.get("any", []), params, used, errors=errors)
        if "unless" in v:
            with _collect(errors):
                unless = _unless(draft, v["unless"], kind, params, used, errors)
    texts = {k: dict(v.get(k) or {}) for k in TEXT_KEYS}
    fields = FACT_KINDS.get(kind, {})
    for k in TEXT_KEYS:
        for lang, text in texts[k].items():
            for m in PLACEHOLDER_RE.finditer(text):
                ph, spec = m.group(1), m.group(2)
                if kind in FACT_KINDS and (
                    ph not in fields and ph not in params and ph not in ("fact_id", "code")
                ):
                    errors.append(
                        _fail_at(
                            draft,
                            k,
                            f"placeholder {{{ph}}} is neither a field of '{kind}' nor a "
                            f"parameter{_suggest(ph, [*fields, *params])}",
                            lang,
                            report_key=f"{k}.{lang}",
                        )
                    )
                if spec not in (None, "", "%", "d", "n"):
                    errors.append(
                        _fail_at(
                            draft,
                            k,
                            f"unknown format '{quote(spec)}' in {{{ph}:{quote(spec)}}} "
                            "(use % for a share)",
                            lang,
                            report_key=f"{k}.{lang}",
                        )
                    )
    from releve.rules.grading import parse_grade

    grade = DEFAULT_GRADE
    if kind in FACT_KINDS:  # an unknown kind is reported above: its grade cannot be read
        with _collect(errors):
            grade = parse_grade(draft, kind, v.get("grade"), params, used)
    path = v.get("path", kind)
    if not isinstance(path, str):
        errors.append(_fail_at(draft, "path", 'path must be a string like "process.automation"'))
    examples: tuple[Example, ...] = ()
    with _collect(errors):
        examples = _examples(draft, v.get("example"))
    if len(errors) > before or draft.broken:
        return None
    return Rule(
        code=code,
        name=name,
        title=texts["title"],
        message=texts["message"],
        fix=texts["fix"],
        rationale=texts["rationale"],
        pillar=pillar,
        severity=Severity(sev),
        weight=float(weight),
        fact=kind,
        when=when,
        any=anyc,
        unless=unless,
        params=dict(params),
        path=path,
        examples=examples,
        origin=dict(draft.origin),
        grade=grade,
    )


def _default_rules() -> dict[str, Rule]:
    """The default pack's own rules, by code (every one, before any pack's changes)."""
    from releve.rules.packs import load_pack_set

    return {r.code: r for r in load_pack_set().rules}


def _build(lay: _Layering) -> PackSet:
    if lay.fatal:
        lay.raise_errors()
    finished: dict[str, Rule] = {}
    for code in sorted(lay.drafts):
        rule = _finish(lay.drafts[code], lay.errors)
        if rule is not None:
            finished[code] = rule
    for draft in lay.aside:
        _finish(draft, lay.errors)  # its other mistakes, reported with its code's
    lay.raise_errors()
    rules = tuple(r for c, r in finished.items() if c not in lay.excluded)
    settings = ScoreSettings(**lay.score)
    if settings.to_secure >= settings.ready:
        raise PackError(
            f"score.to_secure ({settings.to_secure}) must be below score.ready ({settings.ready})",
            path=lay.score_from,
            key="score.to_secure",
        )
    only_default = all(p.source == "default" for p in lay.packs)
    has_default = any(p.source == "default" for p in lay.packs)
    if only_default:
        return PackSet(
            rules,
            tuple(lay.packs),
            tuple(sorted(lay.excluded)),
            default_codes=tuple(finished) if has_default else (),
            changes=tuple(_excluded_changes(lay, finished, finished)) if has_default else (),
            score=settings,
        )
    if not has_default:
        return PackSet(rules, tuple(lay.packs), tuple(sorted(lay.excluded)), score=settings)
    base = _default_rules()
    return PackSet(
        rules,
        tuple(lay.packs),
        tuple(sorted(lay.excluded)),
        default_codes=tuple(sorted(base)),
        changes=tuple(_changes(lay, base, finished)),
        score=settings,
    )


def _pack_id(lay: _Layering, label: str) -> str:
    return next((p.id for p in lay.packs if p.path == label), label)


def _excluded_changes(
    lay: _Layering, base: dict[str, Rule], finished: dict[str, Rule]
) -> list[RuleChange]:
    return [
        RuleChange(code, base[code].name, "excluded", True, False, _pack_id(lay, by), True)
        for code, by in sorted(lay.excluded_by.items())
        if code in base and code in lay.excluded
    ]


def _changes(lay: _Layering, base: dict[str, Rule], finished: dict[str, Rule]) -> list[RuleChange]:
    """What the packs over the default one did to its rules, rule by rule."""
    out = _excluded_changes(lay, base, finished)
    for code, was in sorted(base.items()):
        now = finished.get(code)
        if now is not None and code not in lay.excluded:
            out += [
                RuleChange(code, was.name, what, before, after, _pack_id(lay, label), weakens)
                for what, before, after, weakens, label in _rule_changes(was, now)
            ]
    return out


def _rule_changes(was: Rule, now: Rule) -> list[tuple[str, Any, Any, bool, str]]:
    """(key, before, after, weakens, origin label) for each key `now` differs in."""
    out: list[tuple[str, Any, Any, bool, str]] = []

    def by(key: str) -> str:
        return now.origin.get(key) or now.origin.get(key.split(".")[0], "")

    if now.severity != was.severity:
        weaker = now.severity.rank < was.severity.rank
        out.append(("severity", was.severity.value, now.severity.value, weaker, by("severity")))
    if now.weight != was.weight:
        out.append(("weight", was.weight, now.weight, now.weight < was.weight, by("weight")))
    for p, old in was.params.items():
        new = now.params.get(p, old)
        if new != old:
            out.append((f"params.{p}", old, new, False, by(f"params.{p}")))
    if now.pillar != was.pillar:
        out.append(("pillar", was.pillar, now.pillar, False, by("pillar")))
    # Conditions as written ("$max_days"): a changed parameter is reported once, above.
    for key in ("fact", "when", "any", "unless"):
        if _written(now, key) != _written(was, key):
            out.append((key, None, None, False, by(key)))
    return out


def _written(rule: Rule, key: str) -> Any:
    if key == "fact":
        return rule.fact
    if key == "unless":
        u = rule.unless
        if u is None:
            return None
        return (u.fact, [c.as_dict() for c in u.when], [c.as_dict() for c in u.any])
    return [c.as_dict() for c in getattr(rule, key)]
