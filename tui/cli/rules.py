"""`releve rules list|explain|facts|test`: the rules in force, one rule, a plan's facts, pack examples.

Imports stay light (no Textual); the rule layer is imported only when a subcommand runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import sys
from typing import TYPE_CHECKING, Any

from releve.planner.errors import LocatedError
from releve.tui.cli.dates import iso_date, today

if TYPE_CHECKING:
    from releve.rules.packs import PackSet, Rule

HELP = "the rules in force (list), one rule (explain CODE), a plan's facts, a pack's examples"
DESCRIPTION = (
    "Inspect rule packs: `list` the rules in force, `explain CODE` one rule (what it checks, "
    "why, how to fix, its parameters and the pack that set each value), `facts PLAN` the "
    "facts the rules see for a plan, `test PACK` the examples of a pack's rules "
    "(exit 1 when one fails)."
)


class UnknownRuleError(LocatedError):
    """`rules explain` or `rules test --rule` was given a code no pack in force defines
    (or one with nothing to test): ``releve rules ACTION: message``."""

    def __init__(self, message: str, *, command: str) -> None:
        super().__init__(message)
        self.command = command

    def __str__(self) -> str:
        return f"{self.command}: {self.message}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )

    def packs_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--pack",
            action="append",
            default=[],
            metavar="FILE",
            help="a rule pack applied over the default pack (repeatable)",
        )
        p.add_argument(
            "--plan",
            metavar="PLAN",
            default=None,
            help="also apply the packs this plan names in [rules].packs",
        )

    p = sub.add_parser(
        "list",
        help="the rules in force, in code order",
        description="The rules in force: the default pack, then --plan's packs, then --pack files.",
    )
    packs_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--lang", choices=("en", "fr"), default="en", help="language of titles (default: en)"
    )

    p = sub.add_parser(
        "explain",
        help="one rule: what, why, fix, parameters, and which pack set each value",
        description="Explain one rule, as `ruff rule` does.",
    )
    p.add_argument("code", metavar="CODE", help="a rule code, e.g. EXT001 (or its name)")
    packs_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "fr"), default="en")

    p = sub.add_parser(
        "facts",
        help="the facts the rules see for a plan",
        description="The facts the rules compare for a plan: one per table "
        "and row, a schedule fact and a metrics fact, with derived fields.",
    )
    p.add_argument("plan", metavar="PLAN")
    p.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        default=None,
        type=iso_date,
        help="the check date, YYYY-MM-DD (default: today)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser(
        "test",
        help="run the examples of a pack's rules (exit 1 on failure)",
        description="Run every example of the rules a pack defines or changes: "
        "each is a plan fragment and whether the rule fires on it.",
    )
    p.add_argument("pack", metavar="PACK", help="a rule pack file, or `default`")
    p.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="CODE",
        help="only the examples of this rule (repeatable)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    return {"list": _list, "explain": _explain, "facts": _facts, "test": _test}[args.action](args)


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _write_text(text: str) -> None:
    """Text output for a terminal: a control or bidi character from the plan or a pack
    (U+202E) is shown (``⟨U+202E⟩``), never sent raw; JSON keeps the values as they are."""
    from releve.tui.safe_text import visible

    _write(visible(text, keep="\n"))


def _pack_set(args: argparse.Namespace) -> PackSet:
    from releve.rules.packs import load_pack_set

    plan = None
    if getattr(args, "plan", None):
        from releve.planner.store import load

        plan = load(args.plan).plan
    return load_pack_set(plan_path=args.plan, plan=plan, extra=tuple(args.pack))


def _pack_names(ps: PackSet) -> dict[str, str]:
    """Origin label (``default`` or a file path) → pack id, for saying who set a value."""
    return {p.path: p.id for p in ps.packs}


def _origin(rule: Rule, key: str, names: dict[str, str], unset: str = "?") -> str:
    """The pack that set `key` of `rule` (``firm (firm.toml)``); `unset` when no pack
    did (the loader's default value)."""
    label = rule.origin.get(key) or rule.origin.get(key.split(".")[0], "")
    pid = names.get(label)
    if pid and pid != label:
        return f"{pid} ({label})"
    return label or unset


# --- list -----------------------------------------------------------------------------------


def rule_dict(rule: Rule, names: dict[str, str]) -> dict[str, Any]:
    """A rule as `rules list --format json` and `rules explain --format json` show it."""
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "pillar": rule.pillar,
        "weight": rule.weight,
        "fact": rule.fact,
        "title": dict(rule.title),
        "message": dict(rule.message),
        "fix": dict(rule.fix),
        "rationale": dict(rule.rationale),
        "when": [c.as_dict() for c in rule.when],
        "any": [c.as_dict() for c in rule.any],
        "unless": None
        if rule.unless is None
        else {
            "fact": rule.unless.fact,
            "when": [c.as_dict() for c in rule.unless.when],
            "any": [c.as_dict() for c in rule.unless.any],
        },
        "params": {k: _jsonable(v) for k, v in rule.params.items()},
        "path": rule.path,
        "examples": len(rule.examples),
        "pack": names.get(rule.origin.get("name", ""), rule.origin.get("name", "")),
        "origin": {k: names.get(v, v) for k, v in sorted(rule.origin.items())},
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return v


def _list(args: argparse.Namespace) -> int:
    ps = _pack_set(args)
    names = _pack_names(ps)
    if args.format == "json":
        _write(
            json.dumps(
                {
                    "packs": [
                        {"id": p.id, "name": p.name, "version": p.version, "path": p.path}
                        for p in ps.packs
                    ],
                    "excluded": list(ps.excluded),
                    "rules": [rule_dict(r, names) for r in ps.rules],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    from releve.tui import i18n

    lb = i18n.table(args.lang, "rules")
    # Severity and pillar by their label in the output's language (the ids are in JSON).
    rows = [
        (
            r.code,
            i18n.severity_label(args.lang, r.severity),
            i18n.pillar_label(args.lang, r.pillar),
            f"{r.weight:g}",
            r.name,
            names.get(r.origin.get("name", ""), "?"),
            r.text("title", args.lang),
        )
        for r in ps.rules
    ]
    head = tuple(
        lb[f"list.{k}"] for k in ("code", "severity", "pillar", "weight", "name", "pack", "title")
    )
    widths = [
        max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
        for i, h in enumerate(head[:-1])
    ]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(head[:-1], widths, strict=True)) + "  " + head[-1]
    ]
    for row in rows:
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        )
    lines.append("")
    summary = lb["list.summary"].format(n=len(ps.rules), packs=", ".join(ps.ids))
    if ps.excluded:
        summary += lb["list.off"].format(codes=", ".join(ps.excluded))
    lines.append(summary)
    _write_text("\n".join(lines))
    return 0


# --- explain ----------------------------------------------------------------------------------


def _find_rule(ps: PackSet, code: str, command: str = "releve rules explain") -> Rule:
    from releve.rules.packs import quote

    wanted = code.strip()
    for r in ps.rules:
        if r.code == wanted.upper() or r.name == wanted.lower():
            return r
    # The code as typed, quoted at most ~80 characters (a pasted 100 kB line is not echoed).
    message = f"unknown rule '{quote(wanted)}'"
    if len(wanted) > 100:
        message += " (see `releve rules list`)"  # nothing is close to so long a code
    elif wanted.upper() in ps.excluded:
        message = f"rule {wanted.upper()} is switched off by a pack's [select] exclude"
    else:
        close = difflib.get_close_matches(
            wanted.upper(), [r.code for r in ps.rules], n=3, cutoff=0.6
        ) or difflib.get_close_matches(wanted.lower(), [r.name for r in ps.rules], n=3)
        if close:
            message += f" (did you mean {', '.join(close)}?)"
        else:
            message += " (see `releve rules list`)"
    raise UnknownRuleError(message, command=command)


def _condition_text(c: Any, labels: dict[str, str]) -> str:
    """One condition in the output's language: ``automation < 2``, ``backup est absent``
    (the field as the pack writes it)."""
    if c.op in ("missing", "present", "empty"):
        return labels[f"cond.{c.op}"].format(field=c.field)
    symbol = {
        "eq": "=",
        "ne": "≠",
        "lt": "<",
        "le": "≤",
        "gt": ">",
        "ge": "≥",
        "in": labels["cond.in"],
        "not_in": labels["cond.not_in"],
    }[c.op]
    value = json.dumps(_jsonable(c.value), ensure_ascii=False)
    param = f"  ({labels['param']} {c.param})" if c.param else ""
    return f"{c.field} {symbol} {value}{param}"


def explain_text(rule: Rule, ps: PackSet, lang: str) -> str:
    """The `ruff rule` shape: title, what it checks, why, how to fix, parameters, origin."""
    names = _pack_names(ps)
    from releve.tui import i18n

    lb = i18n.table(lang, "rules")

    def cond(c: Any) -> str:
        return _condition_text(c, lb)

    out = [f"# {rule.name} ({rule.code})", ""]
    weight_by = _origin(rule, "weight", names, unset="")
    out.append(
        lb["defined"].format(
            pack=_origin(rule, "name", names),
            pillar=i18n.pillar_label(lang, rule.pillar),
            severity=i18n.severity_label(lang, rule.severity),
            sev_by=_origin(rule, "severity", names),
            weight=f"{rule.weight:g}",
            # A weight no pack sets is the loader's default (1), not "set by ?".
            weight_by=f"{lb['set_by']} {weight_by}" if weight_by else lb["default_value"],
        )
    )
    out += ["", lb["what"], "", rule.text("title", lang) + ".", ""]
    out.append(lb["looks"].format(fact=rule.fact))
    out += [f"- {cond(c)}" for c in rule.when]
    if rule.any:
        out.append(f"- {lb['any']}")
        out += [f"  - {cond(c)}" for c in rule.any]
    if rule.unless is not None:
        out.append(f"- {lb['unless'].format(fact=rule.unless.fact)}")
        out += [f"  - {cond(c)}" for c in rule.unless.when]
        if rule.unless.any:
            out.append(f"  - {lb['any']}")
            out += [f"    - {cond(c)}" for c in rule.unless.any]
    out += ["", f"{lb['message']} {rule.text('message', lang)}"]
    out += ["", lb["why"], "", rule.text("rationale", lang) or lb["no_why"]]
    fix = rule.text("fix", lang)
    if fix:  # `fix` is optional: no heading over nothing
        out += ["", lb["fix"], "", fix]
    out += ["", lb["where"].format(path=rule.path)]
    out += ["", lb["params"], ""]
    for k, v in rule.params.items():
        shown = json.dumps(_jsonable(v), ensure_ascii=False)
        out.append(f"- {k} = {shown}  ({lb['set_by']} {_origin(rule, f'params.{k}', names)})")
    if not rule.params:
        out.append(lb["no_params"])
    out += ["", lb["origin"], ""]
    # A key whose parts are listed (title.en, title.fr) is not listed itself.
    keys = [k for k in sorted(rule.origin) if not any(o.startswith(k + ".") for o in rule.origin)]
    by_pack: dict[str, list[str]] = {}
    for key in keys:
        by_pack.setdefault(_origin(rule, key, names), []).append(key)
    for pack, pack_keys in by_pack.items():
        out.append(f"- {pack}: {', '.join(pack_keys)}")
    if rule.examples:
        out += ["", lb["examples"].format(n=len(rule.examples))]
    return "\n".join(out) + "\n"


def _explain(args: argparse.Namespace) -> int:
    ps = _pack_set(args)
    rule = _find_rule(ps, args.code)
    if args.format == "json":
        _write(json.dumps(rule_dict(rule, _pack_names(ps)), ensure_ascii=False, indent=2))
    else:
        _write_text(explain_text(rule, ps, args.lang))
    return 0


# --- facts ----------------------------------------------------------------------------------------


def _fact_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fact_value(x) for x in v) + "]"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def facts_text(facts: list[dict[str, Any]]) -> str:
    """One block per fact: its id and kind, then `field = value`, derived fields marked."""
    from releve.rules.facts import FACT_KINDS, META_KEYS

    blocks = []
    for fact in facts:
        kind = fact.get("fact", "?")
        specs = FACT_KINDS.get(kind, {})
        head = f"{fact.get('fact_id', kind)}  ({kind}"
        head += f", row {fact['row']})" if fact.get("row") is not None else ")"
        fields = [k for k in specs if k in fact] + sorted(
            k for k in fact if k not in specs and k not in META_KEYS
        )
        width = max((len(k) for k in fields), default=0)
        lines = [head]
        for k in fields:
            mark = "  (derived)" if k in specs and specs[k].derived else ""
            lines.append(f"  {k.ljust(width)} = {_fact_value(fact[k])}{mark}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _facts(args: argparse.Namespace) -> int:
    from releve.planner.schedule import schedule_plan
    from releve.planner.store import load
    from releve.rules.facts import build_facts

    as_of = args.as_of or today()
    plan = load(args.plan).plan
    facts = build_facts(plan, schedule_plan(plan), as_of)
    if args.format == "json":
        _write(
            json.dumps(
                {
                    "path": args.plan,
                    "as_of": as_of.isoformat(),
                    "facts": [_jsonable(f) for f in facts],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _write_text(facts_text(facts))
    return 0


# --- test -----------------------------------------------------------------------------------------


def _test(args: argparse.Namespace) -> int:
    from releve.rules.examples import example_rules, run_examples

    codes: list[str] = []
    if args.rule:
        # A rule asked for by name must exist and have examples in this pack: a typo in
        # `--rule` must not turn a CI job green by testing nothing.
        testable = {r.code: r for r in example_rules(args.pack)}
        ps = _examples_pack_set(args.pack)
        for wanted in args.rule:
            rule = _find_rule(ps, wanted, "releve rules test")
            if rule.code not in testable:
                raise UnknownRuleError(
                    f"rule {rule.code} has no examples in {args.pack} (a rule's examples are "
                    "[[rule.example]] tables in the pack that defines or changes it)",
                    command="releve rules test",
                )
            codes.append(rule.code)
    notes = pack_lint(args.pack)
    outcomes = run_examples(args.pack, codes=tuple(codes))
    failed = [o for o in outcomes if not o.passed]
    if args.format == "json":
        _write(
            json.dumps(
                {
                    "pack": args.pack,
                    "lint": [
                        {
                            "rule": n.rule,
                            "key": n.key,
                            "message": n.message,
                            "file": n.path,
                            "line": n.line,
                            "column": n.column,
                        }
                        for n in notes
                    ],
                    "examples": [_example_dict(o) for o in outcomes],
                    "passed": len(outcomes) - len(failed),
                    "failed": len(failed),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        lines = [f"lint  {n}" for n in notes]
        if notes:
            lines.append("")
        for o in outcomes:
            status = "pass" if o.passed else "FAIL"
            expect = "fires" if o.example.fires else "does not fire"
            where = f"{o.where}: " if getattr(o, "where", None) else ""
            lines.append(f"{status}  {o.rule} example {o.index + 1} ({expect})")
            if not o.passed:
                lines.append(f"      {where}{o.detail}")
        if not outcomes:
            lines.append(
                f"{args.pack}: no example to run (a rule's examples are "
                "[[rule.example]] tables in the pack that defines or changes it)"
            )
        lines.append("")
        lines.append(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
        _write_text("\n".join(lines))
    return 1 if failed else 0


def pack_lint(pack: str) -> list[Any]:
    """What `rules test` says before running the examples: the loader's lint (unused
    parameters, conditions that contradict, texts that fall back to the other language)
    and each rule of the pack that fires neither on the example base plan nor on any of
    its examples. Raises PackError(s) when the pack does not load."""
    from releve.rules.examples import EXAMPLE_AS_OF, example_plan
    from releve.rules.packs import Example, LintNote, lint, rule_key_place, rules_of_pack
    from releve.rules.pipeline import check_plan

    ps = _examples_pack_set(pack)
    label = "default" if pack == "default" else str(pack)
    notes = lint(ps, label)
    contradicted = {n.rule for n in notes if n.key == "when"}
    for rule in rules_of_pack(ps, label):
        if rule.code in contradicted:
            continue
        fired = False
        for ex in (Example(plan="", fires=True), *rule.examples):
            try:
                plan = example_plan(ex)
            except ValueError:
                continue
            result = check_plan(plan, as_of=ex.as_of or EXAMPLE_AS_OF, pack_set=ps, lang="en")
            if any(f.rule == rule.code for f in result.findings):
                fired = True
                break
        if not fired:
            # Located at the rule's `when` (its own line when it has none).
            shown, line, column = rule_key_place(label, rule.code, "when")
            notes.append(
                LintNote(
                    rule.code,
                    "when",
                    "fires neither on the example plan (rules/example_base.toml) nor on any "
                    f"of its {len(rule.examples)} example(s): give it an example where it "
                    "fires, or check its conditions",
                    shown,
                    line,
                    column,
                )
            )
    return sorted(notes, key=lambda n: (n.line is None, n.line or 0, n.column or 0))


def _examples_pack_set(pack: str) -> PackSet:
    from releve.rules.packs import load_pack_set

    return load_pack_set() if pack == "default" else load_pack_set(extra=(pack,))


def _example_dict(o: Any) -> dict[str, Any]:
    return {
        "rule": o.rule,
        "index": o.index,
        "fires": o.example.fires,
        "passed": o.passed,
        "detail": o.detail,
        "line": o.example.line,
    }
