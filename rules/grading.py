"""How much of its weight a rule costs (its grade), and the pack's `[score]` settings.

A rule costs ``weight × grade``, the grade between 0 and 1 (docs/rules.md, "Scores"):

- by default, per fact: the share of the facts it looks at that it fires on (unwaived);
  the facts it looks at are every fact of its kind, or those meeting ``grade.among``;
- ``grade.field`` (with ``from`` and ``to``): each firing costs how far its fact's
  measure is past ``from`` on the way to ``to`` (0 at ``from``, all at ``to``), so a
  founder share of 0.35 against a threshold of 0.3 costs little and 1.0 costs all;
- ``grade.out_of = N``: each firing costs 1/N of the weight, all of it from N firings
  (for things that are bad in number, not in proportion: persistent irritants);
- ``grade = "all"``: any firing costs the whole weight;
- ``grade.missing = "all"``: what the plan does not say costs the whole weight, as if it
  were at its worst (what a buyer cannot check counts against the sale; an evidence rule,
  EVD…, says what to fill): nothing to look at (no fact of its kind, or none meeting
  ``grade.among``: no critical process, no key person, no KPI); and with ``grade.field``,
  each fact of the rule's kind that lacks that field costs as a firing at the worst.
  There ``field`` may stand alone, of any type, for a rule that is not measured: the
  field its condition reads (IND002 reads ``wrong_way``: a KPI whose direction cannot be
  told, for want of a measure or a baseline, costs as one going the wrong way).

Parsing and validation live here (called from rules.packs._finish) so the pack loader
keeps one line for the key; errors are located like every other pack key.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from releve.planner.records import record
from releve.rules.facts import FACT_KINDS

if TYPE_CHECKING:
    from releve.rules.packs import Condition

GRADE_KEYS = ("among", "field", "from", "to", "out_of", "missing")
MEASURED_TYPES = ("int", "float", "share")


@record
class Grade:
    """A rule's grading. ``mode``: ``per_fact`` (the default), ``all`` or ``out_of``."""

    mode: str = "per_fact"
    among: tuple[Condition, ...] = ()
    field: str | None = None
    start: float | None = None  # `from`: the measure at which a firing costs nothing
    full: float | None = None  # `to`: the measure at which it costs the whole weight
    start_param: str | None = None
    full_param: str | None = None
    out_of: int | None = None
    missing: bool = False  # grade.missing = "all": what the plan does not say costs in full

    def fact_grade(self, fact: dict[str, Any]) -> float:
        """What one firing on `fact` costs, 0..1 (1 unless the grade is measured; 1 too
        when the fact lacks the measure)."""
        if self.field is None or self.start is None or self.full is None:
            return 1.0
        v = fact.get(self.field)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return 1.0
        share = (float(v) - self.start) / (self.full - self.start)
        return max(0.0, min(1.0, share))

    def as_dict(self) -> dict[str, Any] | str:
        """The grade as a pack would write it (for `rules explain` and JSON)."""
        if self.mode == "all":
            return "all"
        d: dict[str, Any] = {}
        if self.among:
            d["among"] = [c.as_dict() for c in self.among]
        if self.field is not None:
            d["field"] = self.field
        if self.field is not None and self.start is not None:
            d["from"] = f"${self.start_param}" if self.start_param else self.start
            d["to"] = f"${self.full_param}" if self.full_param else self.full
        if self.out_of is not None:
            d["out_of"] = self.out_of
        if self.missing:
            d["missing"] = "all"
        return d

    def among_spec(self) -> list[dict[str, Any]]:
        return [
            {"field": c.field, "op": c.op, "value": c.value, "type": c.type} for c in self.among
        ]


DEFAULT_GRADE = Grade()


def parse_grade(draft: Any, kind: str, raw: Any, params: dict[str, Any], used: set[str]) -> Grade:
    """A rule's `grade` key, validated (PackError located at the key)."""
    from releve.rules.packs import _conditions, _fail_at, _type_name

    if raw is None:
        return DEFAULT_GRADE
    if raw == "all":
        return Grade(mode="all")
    if not isinstance(raw, dict):
        raise _fail_at(
            draft,
            "grade",
            'grade must be "all" or a table { among, field, from, to, out_of, missing }, '
            f"not {_type_name(raw)}",
        )
    for k in raw:
        if k not in GRADE_KEYS:
            raise _fail_at(
                draft,
                "grade",
                f"unknown key '{k}' in grade (expected one of: {', '.join(GRADE_KEYS)})",
                needles=(rf"\b{k}\s*=",),
                report_key=f"grade.{k}",
            )
    among = _conditions(draft, "among", kind, raw.get("among", []), params, used, outer="grade")
    out_of = _out_of(draft, raw.get("out_of"), bool(among))
    field = raw.get("field")
    if field is None and ("from" in raw or "to" in raw):
        raise _fail_at(
            draft,
            "grade",
            "grade.from and grade.to need grade.field (the measure they bound)",
            needles=(r"\b(from|to)\s*=",),
            report_key="grade.field",
        )
    mode = "out_of" if out_of is not None else "per_fact"
    missing = _missing(draft, raw, field, among, out_of)
    if field is None:
        return Grade(mode, among, out_of=out_of, missing=missing)
    if "from" not in raw and "to" not in raw and missing:
        # grade.field alone: the field whose absence costs in full (any type).
        _known_field(draft, kind, field)
        return Grade(mode, among, field, out_of=out_of, missing=missing)
    _measure_field(draft, kind, field)
    (start, start_param), (full, full_param) = (
        _bound(draft, raw, key, params, used) for key in ("from", "to")
    )
    if start == full:
        raise _fail_at(
            draft,
            "grade",
            f"grade.from and grade.to must differ (both are {start:g})",
            needles=(r"\bto\s*=",),
            report_key="grade.to",
        )
    return Grade(mode, among, field, start, full, start_param, full_param, out_of, missing)


def _missing(draft: Any, raw: dict[str, Any], field: Any, among: Any, out_of: Any) -> bool:
    """grade.missing: "all" (what the plan does not say costs in full)."""
    from releve.rules.packs import _fail_at, _type_name

    if "missing" not in raw:
        return False
    value = raw["missing"]
    problem = None
    if value != "all":
        shown = f"'{value}'" if isinstance(value, str) else _type_name(value)
        problem = f'grade.missing must be "all", not {shown}'
    elif out_of is not None:
        problem = "grade.missing cannot go with grade.out_of"
    elif field is not None and among:
        problem = (
            "grade.missing takes grade.field (a fact lacking the measure) or grade.among "
            "(no fact to look at), not both"
        )
    if problem is not None:
        raise _fail_at(
            draft, "grade", problem, needles=(r"\bmissing\s*=",), report_key="grade.missing"
        )
    return True


def _out_of(draft: Any, out_of: Any, has_among: bool) -> int | None:
    from releve.rules.packs import _fail_at, _type_name

    if out_of is None:
        return None
    if isinstance(out_of, bool) or not isinstance(out_of, int) or out_of < 1:
        shown = out_of if isinstance(out_of, int) and not isinstance(out_of, bool) else None
        raise _fail_at(
            draft,
            "grade",
            f"grade.out_of must be a whole number ≥ 1, not "
            f"{shown if shown is not None else _type_name(out_of)}",
            needles=(r"\bout_of\s*=",),
            report_key="grade.out_of",
        )
    if has_among:
        raise _fail_at(
            draft,
            "grade",
            "grade.out_of and grade.among cannot go together: a firing costs either 1/N "
            "of the weight or its share of the facts looked at",
            needles=(r"\bout_of\s*=",),
            report_key="grade.out_of",
        )
    return out_of


def _known_field(draft: Any, kind: str, field: Any) -> None:
    from releve.rules.packs import _fail_at

    if not isinstance(field, str) or field not in FACT_KINDS[kind]:
        raise _fail_at(
            draft,
            "grade",
            f"unknown field '{field}' of fact kind '{kind}' in grade.field",
            needles=(r"\bfield\s*=",),
            report_key="grade.field",
        )


def _measure_field(draft: Any, kind: str, field: Any) -> None:
    from releve.rules.packs import _fail_at

    _known_field(draft, kind, field)
    fields = FACT_KINDS[kind]
    if fields[field].type not in MEASURED_TYPES:
        raise _fail_at(
            draft,
            "grade",
            f"grade.field must be a measure (int, float or share); {kind}.{field} is "
            f"{fields[field].type}",
            needles=(r"\bfield\s*=",),
            report_key="grade.field",
        )


def _bound(
    draft: Any, raw: dict[str, Any], key: str, params: dict[str, Any], used: set[str]
) -> tuple[float, str | None]:
    """grade.from or grade.to: a number, or a parameter holding one."""
    from releve.rules.packs import _fail_at, _type_name

    if key not in raw:
        alone = "" if "from" in raw or "to" in raw else ', or grade.missing = "all" alone'
        raise _fail_at(
            draft,
            "grade",
            f"grade.field needs grade.{key} (a number or a $parameter){alone}",
            needles=(r"\bfield\s*=",),
            report_key=f"grade.{key}",
        )
    value, param = raw[key], None
    if isinstance(value, str) and value.startswith("$"):
        param = value[1:]
        if param not in params:
            known = ", ".join(sorted(params)) or "none"
            raise _fail_at(
                draft,
                "grade",
                f"unknown parameter '{value}' in grade.{key} (params: {known})",
                needles=(rf"\b{key}\s*=",),
                report_key=f"grade.{key}",
            )
        used.add(param)
        value = params[param]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail_at(
            draft,
            "grade",
            f"grade.{key} must be a finite number, not {_type_name(value)}",
            needles=(rf"\b{key}\s*=",),
            report_key=f"grade.{key}",
        )
    return float(value), param


# --- the pack's [score] table ------------------------------------------------------------


@record
class ScoreSettings:
    """Thresholds of the bands and of coverage, from the packs' ``[score]`` tables."""

    ready: int = 80  # readiness from this is "ready" (an unwaived readiness error caps below)
    to_secure: int = 50  # from this, "to secure"; below, "not ready"
    min_coverage: float = 0.6  # below this coverage readiness is "not assessed"


SCORE_KEYS = {
    "ready": "a whole number 1..100, where the ready band starts",
    "to_secure": "a whole number 0..99, where the to-secure band starts",
    "min_coverage": "a share 0..1: below it readiness is not assessed",
}


def merge_score_table(ctx: Any, table: Any, current: dict[str, Any]) -> None:
    """Layer one pack's ``[score]`` table over `current` (key by key); PackError located
    at the key for a wrong one."""
    if not isinstance(table, dict):
        raise ctx.fail("[score] must be a table", keys=("score",), key="score")
    for key, value in table.items():
        if key not in SCORE_KEYS:
            raise ctx.fail(
                f"unknown key '{key}' in [score] (expected one of: {', '.join(SCORE_KEYS)})",
                region=("score", "score"),
                keys=(key,),
                key=f"score.{key}",
            )
        ok = not isinstance(value, bool) and isinstance(value, (int, float))
        if key == "min_coverage":
            ok = ok and 0 <= value <= 1
        elif key == "ready":
            ok = ok and isinstance(value, int) and 1 <= value <= 100
        else:
            ok = ok and isinstance(value, int) and 0 <= value <= 99
        if not ok:
            raise ctx.fail(
                f"score.{key} must be {SCORE_KEYS[key]}, not {value!r}",
                region=("score", "score"),
                keys=(key,),
                key=f"score.{key}",
            )
        current[key] = value
