"""The compiled form of rule packs: constants of the pack language, `Condition`,
`Unless`, `Example`, `Rule`, `PackInfo` and `PackSet`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from releve.planner.records import field, record
from releve.rules.grading import DEFAULT_GRADE, Grade, ScoreSettings
from releve.rules.result import PackRun, RuleChange, Severity, WhatRan

#: The shipped pack: a folder (pack.toml, then one file of rules per pillar).
DEFAULT_PACK = Path(__file__).parent.parent / "default"
#: In a folder pack, the file that holds the [pack] table.
PACK_HEADER_FILE = "pack.toml"
#: The most files a folder pack may hold.
MAX_PACK_FILES = 200
LANGS = ("en", "fr")
TEXT_KEYS = ("title", "message", "fix", "rationale")
OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "missing", "present", "empty")
#: Operators that take no value.
UNARY_OPS = ("missing", "present", "empty")
#: Operators each field type allows.
OPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "str": ("eq", "ne", "in", "not_in", *UNARY_OPS),
    "int": ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", *UNARY_OPS),
    "float": ("eq", "ne", "lt", "le", "gt", "ge", *UNARY_OPS),
    "share": ("eq", "ne", "lt", "le", "gt", "ge", *UNARY_OPS),
    "bool": ("eq", "ne", *UNARY_OPS),
    "date": ("eq", "ne", "in", "not_in", *UNARY_OPS),
    "list": UNARY_OPS,
}
RULE_KEYS = (
    "id",
    "name",
    "title",
    "pillar",
    "severity",
    "weight",
    "fact",
    "when",
    "any",
    "unless",
    "params",
    "message",
    "fix",
    "rationale",
    "path",
    "example",
    "grade",
)
#: Keys a `[rules.CODE]` table may set over an inherited rule.
OVERRIDE_KEYS = tuple(k for k in RULE_KEYS if k not in ("id", "name"))
#: A rule code: one or more capitals, then capitals or digits, then three digits
#: (``F401``, ``X101``, ``GOV005``, ``RELAIS101``), as in ruff.
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,12}[0-9]{3}$")
#: A rule name and a pack id: kebab-case (``manual-process``, ``relais-conseil``).
NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
#: The largest pack file read (a pack is a few kB of TOML; this bounds what a plan can
#: make releve read).
MAX_PACK_BYTES = 2 * 1024 * 1024
#: Folders (os.pathsep-separated) where a plan may also name packs (besides its own
#: folder and git repository), like ``--pack-path``.
PACK_PATH_ENV = "RELEVE_PACK_PATH"
PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([^{}]*))?\}")


# --- the compiled form ------------------------------------------------------------------


@record
class Condition:
    """One test of one field of one fact: ``{ field, op, value }``; ``value`` may be
    ``"$param"`` in the pack, and is resolved (the parameter's value) here."""

    field: str
    op: str
    value: Any = None
    param: str | None = None  # the parameter the value came from, if any
    type: str = "str"  # the field's type (rules.facts.TYPES)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"field": self.field, "op": self.op}
        if self.op not in UNARY_OPS:
            d["value"] = f"${self.param}" if self.param else self.value
        return d


@record
class Unless:
    """The rule fires only when no fact of kind `fact` matches (durable_rules' none)."""

    fact: str
    when: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()


@record
class Example:
    """A `[[rule.example]]`: a plan fragment (TOML) over the example base plan, and
    whether the rule must fire on it (optionally on `target`)."""

    plan: str
    fires: bool
    target: str | None = None
    as_of: dt.date | None = None
    base: bool = True  # merge over rules/example_base.toml (false: plan is whole)
    line: int | None = None  # where the example is in its pack
    unset: tuple[str, ...] = ()  # dotted keys removed from the base ("governance.sponsor")
    file: str | None = None  # the pack file it is written in (a folder pack has several)


@record
class Rule:
    """A rule in force, after layering. ``origin`` says which pack set each key
    (``"severity"``, ``"params.max_days"``, ``"message.fr"``, …) for `rules explain`."""

    code: str
    name: str
    title: dict[str, str]
    message: dict[str, str]
    fix: dict[str, str]
    rationale: dict[str, str]
    pillar: str
    severity: Severity
    weight: float
    fact: str
    when: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()
    unless: Unless | None = None
    params: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    examples: tuple[Example, ...] = ()
    origin: dict[str, str] = field(default_factory=dict)
    grade: Grade = DEFAULT_GRADE  # how much of its weight a firing costs (rules.grading)

    @property
    def kind(self) -> str:
        """The kind of fact the rule looks at (same as `fact`)."""
        return self.fact

    @property
    def post(self) -> bool:
        """Looks at waiver facts' `used` field: evaluated after waivers are matched."""
        conds = list(self.when) + list(self.any)
        if self.unless:
            conds += list(self.unless.when) + list(self.unless.any)
        return any(c.field == "used" for c in conds) and (
            self.fact == "waiver" or (self.unless is not None and self.unless.fact == "waiver")
        )

    def text(self, key: str, lang: str) -> str:
        """title/message/fix/rationale in `lang`, else in the language the pack gives
        (a pack written in one language works in both); ``""`` when there is none."""
        texts: dict[str, str] = getattr(self, key)
        if texts.get(lang):
            return texts[lang]
        return next((texts[lg] for lg in LANGS if texts.get(lg)), "")

    def fallbacks(self) -> list[tuple[str, str, str]]:
        """(key, missing language, language shown instead) for each text of the rule
        given in one language only (`releve rules test` lists them)."""
        out = []
        for key in TEXT_KEYS:
            texts: dict[str, str] = getattr(self, key)
            if not texts:
                continue
            for lang in LANGS:
                if not texts.get(lang):
                    other = next(lg for lg in LANGS if texts.get(lg))
                    out.append((key, lang, other))
        return out

    def population_spec(self) -> dict[str, Any] | None:
        """The facts the rule looks at, when its grade narrows them (``grade.among``): a
        compiled rule of its own, coded ``CODE/among``, that both evaluators run."""
        if not self.grade.among:
            return None
        return {
            "code": f"{self.code}/among",
            "fact": self.fact,
            "when": self.grade.among_spec(),
            "any": [],
        }

    def spec(self) -> dict[str, Any]:
        """The evaluator-neutral compiled rule (what both evaluators run)."""
        d: dict[str, Any] = {
            "code": self.code,
            "fact": self.fact,
            "when": [_cond_spec(c) for c in self.when],
            "any": [_cond_spec(c) for c in self.any],
        }
        if self.unless is not None:
            d["unless"] = {
                "fact": self.unless.fact,
                "when": [_cond_spec(c) for c in self.unless.when],
                "any": [_cond_spec(c) for c in self.unless.any],
            }
        return d


def _cond_spec(c: Condition) -> dict[str, Any]:
    return {"field": c.field, "op": c.op, "value": c.value, "type": c.type}


@record
class PackInfo:
    id: str
    name: str
    version: str
    path: str  # the file, or "default" for the shipped pack
    digest: str = ""  # sha256 of the pack file's bytes (hex)
    source: str = ""  # default | plan (the plan's [rules].packs) | option (--pack) | extends


#: What a pack may do to a rule of the default pack, as `RuleChange.what` says it.
CHANGE_KEYS = ("severity", "weight", "params", "fact", "when", "any", "unless", "pillar")


@record
class PackSet:
    """The rules in force from a list of packs, in code order.

    `default_codes` are the default pack's rules (in force or not), `changes` what the
    other packs did to them: each rule switched off, and each key that decides whether
    and how much a rule costs (severity, weight, parameters, conditions) set to another
    value than the default pack's, with the pack that did it (docs/check.md, what ran)."""

    rules: tuple[Rule, ...]
    packs: tuple[PackInfo, ...]
    excluded: tuple[str, ...] = ()
    default_codes: tuple[str, ...] = ()
    changes: tuple[RuleChange, ...] = ()
    score: ScoreSettings = ScoreSettings()  # the packs' [score] tables, layered

    @property
    def ids(self) -> tuple[str, ...]:
        """Pack ids in layering order (``("default", "relais-conseil")``)."""
        return tuple(p.id for p in self.packs)

    @cached_property
    def digest(self) -> str:
        """Hash of the compiled rules: equal pack sets share one compiled engine ruleset."""
        blob = json.dumps(
            [r.spec() for r in self.rules] + [r.population_spec() for r in self.rules],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @cached_property
    def specs(self) -> tuple[dict[str, Any], ...]:
        """The evaluator-neutral compiled rules, in code order."""
        return tuple(r.spec() for r in self.rules)

    def rule(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    def what_ran(self, view: str = "full") -> WhatRan:
        """What a check with these packs ran, for the page (check and the report)."""
        in_force = {r.code for r in self.rules}
        default = set(self.default_codes)
        return WhatRan(
            view=view,
            packs=tuple(
                PackRun(p.id, p.name, p.version, p.path, p.digest, p.source) for p in self.packs
            ),
            rules_in_force=len(self.rules),
            default_rules=len(default),
            default_in_force=len(default & in_force),
            added=tuple(sorted(in_force - default)),
            changes=self.changes,
        )

    def by_code(self) -> dict[str, Rule]:
        return {r.code: r for r in self.rules}
