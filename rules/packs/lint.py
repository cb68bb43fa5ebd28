"""Lint (`releve rules test PACK` runs it before the examples): unused parameters,
conditions that never hold together, texts that fall back to the other language."""

from __future__ import annotations

import re
from pathlib import Path

from releve.planner.records import record
from releve.rules.packs.errors import PackError
from releve.rules.packs.files import (
    pack_files,
    read_pack_bytes,
)
from releve.rules.packs.model import (
    DEFAULT_PACK,
    PLACEHOLDER_RE,
    TEXT_KEYS,
    Condition,
    PackSet,
    Rule,
)


@record
class LintNote:
    """Something in a pack that loads but is probably a mistake."""

    rule: str
    key: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        err = PackError(
            self.message,
            path=self.path,
            line=self.line,
            column=self.column,
            rule=self.rule,
            key=self.key,
        )
        return str(err)


def rules_of_pack(ps: PackSet, label: str) -> list[Rule]:
    """The rules in force that the pack labelled `label` defines or changes."""
    return [r for r in ps.rules if label in r.origin.values()]


def lint(ps: PackSet, label: str) -> list[LintNote]:
    """Unused parameters, conditions that can never hold together, and texts given in
    one language only (they fall back), for the rules `label` defines or changes."""
    texts: dict[Path, list[str]] = {}
    notes: list[LintNote] = []
    for rule in rules_of_pack(ps, label):
        shown, text, where = _rule_source(label, rule.code, texts)
        used = {c.param for c in (*rule.when, *rule.any) if c.param}
        used |= {c.param for c in rule.grade.among if c.param}
        used |= {x for x in (rule.grade.start_param, rule.grade.full_param) if x}
        if rule.unless:
            used |= {c.param for c in (*rule.unless.when, *rule.unless.any) if c.param}
        for key in TEXT_KEYS:
            for t in getattr(rule, key).values():
                used |= {m.group(1) for m in PLACEHOLDER_RE.finditer(t)}
        for p in rule.params:
            if p not in used and rule.origin.get(f"params.{p}") == label:
                line, col = _key_line(text, where, p)
                notes.append(
                    LintNote(
                        rule.code,
                        f"params.{p}",
                        f"parameter '{p}' is never used (no condition or text refers to ${p})",
                        shown,
                        line,
                        col,
                    )
                )
        contradiction = _contradiction(rule.when)
        if contradiction:
            line, col = _key_line(text, where, "when")
            notes.append(
                LintNote(
                    rule.code,
                    "when",
                    f"the rule can never fire: {contradiction}",
                    shown,
                    line,
                    col,
                )
            )
        for key, missing, other in rule.fallbacks():
            if rule.origin.get(f"{key}.{other}") != label:
                continue
            line, col = _key_line(text, where, key)
            notes.append(
                LintNote(
                    rule.code,
                    f"{key}.{missing}",
                    f"no {_LANG_NAMES[missing]} {key}: shown in {_LANG_NAMES[other]} when "
                    f"the output is {_LANG_NAMES[missing]}",
                    shown,
                    line,
                    col,
                )
            )
    return notes


_LANG_NAMES = {"en": "English", "fr": "French"}


def _rule_source(
    label: str, code: str, texts: dict[Path, list[str]] | None = None
) -> tuple[str, list[str], int | None]:
    """The file of the pack labelled `label` (``default``, a file or a folder) that
    defines or changes rule `code`, as errors show it; its lines; and the 0-based index of
    the rule's line there (None when it is not found)."""
    texts = {} if texts is None else texts
    path = DEFAULT_PACK if label == "default" else Path(label)
    try:
        files = pack_files(path)
    except (PackError, OSError, ValueError):
        return label, [], None
    for f in files:
        if f not in texts:
            try:
                texts[f] = read_pack_bytes(f, str(f)).decode("utf-8-sig").splitlines()
            except (PackError, OSError, UnicodeDecodeError, ValueError):
                texts[f] = []
        start = _rule_line(texts[f], code)
        if start is not None:
            return (label if f == path else str(f)), texts[f], start
    return label, [], None


def rule_key_place(label: str, code: str, key: str) -> tuple[str, int | None, int | None]:
    """FILE, LINE, COLUMN of `key` (``when``) in the rule `code` the pack labelled `label`
    defines or changes (the rule's own line when the key is not written there)."""
    shown, lines, start = _rule_source(label, code)
    line, column = _key_line(lines, start, key)
    return shown, line, column


def _rule_line(lines: list[str], code: str) -> int | None:
    """0-based index of the line defining or changing `code` in a pack's text."""
    pats = (
        re.compile(rf'^\s*id\s*=\s*["\']{re.escape(code)}["\']'),
        re.compile(rf"^\s*\[rules\.{re.escape(code)}(\.|\])"),
    )
    return next((i for i, t in enumerate(lines) if any(p.match(t) for p in pats)), None)


def _key_line(lines: list[str], start: int | None, key: str) -> tuple[int | None, int | None]:
    if start is None:
        return None, None
    # A huge key (a 1 MB parameter name) is found by its start: no 1 MB regex to compile.
    head = re.escape(key) + r"\s*[=.]" if len(key) <= 200 else re.escape(key[:200])
    pat = re.compile(rf"(^|[\s{{,.]){head}")
    for i in range(start, min(len(lines), start + 200)):
        m = pat.search(lines[i])
        if m and not lines[i].lstrip().startswith("#"):
            return i + 1, m.start() + (1 if m.group(1) else 0) + 1
        if i > start and lines[i].lstrip().startswith("[") and "rule.example" not in lines[i]:
            break
    return start + 1, 1


def _contradiction(conds: tuple[Condition, ...]) -> str | None:  # noqa: C901
    """Why conditions that must all hold never can, or None. Numbers by bounds, equality
    against other constraints, and `missing` with any test of a value."""
    by_field: dict[str, list[Condition]] = {}
    for c in conds:
        by_field.setdefault(c.field, []).append(c)
    for fname, cs in by_field.items():
        ops = {c.op for c in cs}
        if "missing" in ops and ops - {"missing", "empty"}:
            return f"'{fname}' must be missing and have a value"
        if "present" in ops and ops & {"missing", "empty"}:
            return f"'{fname}' must be present and empty"
        eqs = {repr(c.value) for c in cs if c.op == "eq"}
        if len(eqs) > 1:
            return f"'{fname}' must equal {' and '.join(sorted(eqs))}"
        for c in cs:
            if c.op == "eq":
                for d in cs:
                    if d.op == "ne" and d.value == c.value:
                        return f"'{fname}' must equal and differ from {c.value!r}"
                    if d.op == "in" and c.value not in d.value:
                        return f"'{fname}' = {c.value!r} is not one of {list(d.value)!r}"
                    if d.op == "not_in" and c.value in d.value:
                        return f"'{fname}' = {c.value!r} is excluded by not_in"
        lo, lo_strict, hi, hi_strict = None, False, None, False
        for c in cs:
            v = c.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            if c.op in ("gt", "ge", "eq") and (lo is None or v > lo or (v == lo and c.op == "gt")):
                lo, lo_strict = v, c.op == "gt"
            if c.op in ("lt", "le", "eq") and (hi is None or v < hi or (v == hi and c.op == "lt")):
                hi, hi_strict = v, c.op == "lt"
        if (
            lo is not None
            and hi is not None
            and (lo > hi or (lo == hi and (lo_strict or hi_strict)))
        ):
            return f"no value of '{fname}' is {'>' if lo_strict else '≥'} {lo} and {'<' if hi_strict else '≤'} {hi}"
    return None
