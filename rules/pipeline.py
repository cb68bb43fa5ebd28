"""One check of one plan: schedule, facts, evaluation, waivers, findings and score.

`check_plan` is what `releve check`, `releve report` and the app call. It is thread-safe:
the durable_rules engine sits behind a lock (rules.engine) and everything else here is a
pure function of its inputs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.planner.records import record, replace
from releve.rules.compile import fields_read, normalise_all
from releve.rules.facts import build_facts
from releve.rules.facts.tracking import (
    TABLE_OF,
    TRACKING_KINDS,
    has_log,
    provided_tracking,
    safe_track,
)
from releve.rules.packs import PackSet, Rule, load_pack_set
from releve.rules.result import CheckResult, Finding, Severity
from releve.rules.score import compute_score
from releve.rules.textfmt import render
from releve.rules.tracking import track_all

if TYPE_CHECKING:
    from releve.planner.model import Plan
    from releve.planner.schedule import Schedule
    from releve.planner.tracking import Tracking

#: Waiver rule codes (evaluated by rules, waiver matching here).
ENGINE_ENV = "RELEVE_ENGINE"


def engine_name() -> str:
    """The evaluator `check_plan` uses: "durable_rules" or "python"."""
    forced = os.environ.get(ENGINE_ENV, "").strip().lower()
    if forced == "python":
        return "python"
    from releve.rules.engine import available

    if available():
        return "durable_rules"
    if forced in ("durable", "durable_rules"):
        raise RuntimeError("RELEVE_ENGINE asks for durable_rules, which is not installed")
    return "python"


def get_evaluator(name: str | None = None) -> Any:
    """An evaluator with ``evaluate(specs, digest, normalised_facts)``."""
    name = name or engine_name()
    if name == "python":
        from releve.rules.pyeval import PythonEvaluator

        return PythonEvaluator()
    from releve.rules.engine import evaluator

    return evaluator()


class _Compiled:
    """Per pack set: the main and post-pass rules, and the fields each pass reads."""

    def __init__(self, ps: PackSet) -> None:
        pops = (r.population_spec() for r in ps.rules if not r.post)
        # The rules, then the populations graded rules look at (coded CODE/among).
        self.main = tuple(r.spec() for r in ps.rules if not r.post) + tuple(
            p for p in pops if p is not None
        )
        self.post = tuple(r.spec() for r in ps.rules if r.post)
        self.main_fields = fields_read(self.main)
        self.post_fields = fields_read(self.post)
        self.post_kinds = {s["fact"] for s in self.post}
        self.main_digest = ps.digest + "m"
        self.post_digest = ps.digest + "p"


_COMPILED: dict[str, _Compiled] = {}


def _compiled(ps: PackSet) -> _Compiled:
    c = _COMPILED.get(ps.digest)
    if c is None:
        if len(_COMPILED) > 256:
            _COMPILED.clear()
        c = _COMPILED[ps.digest] = _Compiled(ps)
    return c


def evaluate(
    ps: PackSet, facts: list[dict[str, Any]], *, engine: str | None = None
) -> tuple[list[tuple[str, str]], list[tuple[str, str, int]]]:
    """Raw evaluation: every firing as (rule code, fact id), sorted, and the waivers
    applied as (rule code, fact id, waiver row). The post pass (rules that read whether a
    waiver was used) runs after waivers are matched to the main pass's firings."""
    fired, applied, _ = evaluate_graded(ps, facts, engine=engine)
    return fired, applied


def populations(
    ps: PackSet, facts: list[dict[str, Any]], among: dict[str, set[str]]
) -> dict[str, int]:
    """Rule code → how many facts the rule looks at: those its ``grade.among`` matched
    (found by the evaluator), else every fact of its kind."""
    per_kind: dict[str, int] = {}
    for f in facts:
        per_kind[f["fact"]] = per_kind.get(f["fact"], 0) + 1
    return {
        r.code: len(among.get(r.code, ())) if r.grade.among else per_kind.get(r.fact, 0)
        for r in ps.rules
    }


def evaluate_graded(
    ps: PackSet, facts: list[dict[str, Any]], *, engine: str | None = None
) -> tuple[list[tuple[str, str]], list[tuple[str, str, int]], dict[str, set[str]]]:
    """`evaluate`, and for each rule with ``grade.among`` the fact ids it matched."""
    ev = get_evaluator(engine)
    comp = _compiled(ps)
    fired: list[tuple[str, str]] = []
    among: dict[str, set[str]] = {}
    if comp.main:
        raw = ev.evaluate(comp.main, comp.main_digest, normalise_all(facts, comp.main_fields))
        for code, fid in raw:
            if code.endswith("/among"):
                among.setdefault(code[: -len("/among")], set()).add(fid)
            else:
                fired.append((code, fid))
    waivers = [f for f in facts if f["fact"] == "waiver"]
    applied: list[tuple[str, str, int]] = []
    used: set[int] = set()
    if waivers:
        for code, fid in fired:
            w = _waiver_for(code, fid, waivers)
            if w is not None:
                applied.append((code, fid, w["row"]))
                used.add(w["row"])
    if comp.post and any(f["fact"] in comp.post_kinds for f in facts):
        marked = [dict(f, used=f["row"] in used) if f["fact"] == "waiver" else f for f in facts]
        fired = fired + ev.evaluate(
            comp.post, comp.post_digest, normalise_all(marked, comp.post_fields)
        )
    return sorted(fired), applied, among


def _waiver_for(code: str, fid: str, waivers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first waiver in force for a finding: complete, not expired, same rule, and the
    same target or no target."""
    for w in waivers:
        if (
            w.get("complete")
            and not w.get("expired", True)
            and w.get("rule") == code
            and (not w.get("target") or w.get("target") == fid)
        ):
            return w
    return None


def _locator(text: str | None) -> Any:
    """A function plan path -> (line, column) | None over `text` (None without text).

    One check asks for many paths: the store's index of the text is built once, when the
    first finding with a path asks (planner.store.index_text caches the last texts: the app
    checks the same text after each edit of another plan part)."""
    if text is None:
        return None
    index: list[Any] = []

    def locate(loc: Any) -> tuple[int, int] | None:
        if not index:
            from releve.planner.store.positions import index_text

            index.append(index_text(text))
        found: tuple[int, int] | None = index[0].find(loc, exact=False)
        return found

    return locate


def _line(locate: Any, rule_path: str, row: int | None) -> int | None:
    if locate is None or not rule_path:
        return None
    parts: list[Any] = rule_path.split(".")
    if row is not None:
        parts.insert(1, row)
    while parts:
        try:
            where = locate(tuple(parts))
        except (LookupError, ValueError, TypeError):
            where = None
        if where:
            return int(where[0])
        parts.pop()
    return None


#: Fact fields that hold the id of a row, by fact kind: field -> the table the id is of.
_REFS: dict[str, dict[str, str]] = {
    "person": {"id": "person", "backup": "person"},
    "process": {"id": "process", "owner": "person", "backup": "person"},
    "phase": {"id": "phase", "after": "phase", "out_of_order_after": "phase"},
    "transfer": {"process": "process", "from": "person", "to": "person", "phase": "phase"},
    "kpi": {"id": "kpi", "owner": "person"},
    "objective": {"kpi": "kpi"},
    "irritant": {"owner": "person"},
    "governance": {"reports_to": "person", "sponsor": "person"},
    "scope": {"internal_counterpart": "person", "successor": "person"},
    "exit": {"founder": "person"},
    # The mission log (rules/facts/tracking.py).
    "phase_log": {"phase": "phase"},
    "deliverable": {"phase": "phase", "accepted_by": "person"},
    "transfer_log": {"phase": "phase", "to": "person"},
    "booking": {"phase": "phase"},
    "meeting": {"attendees": "person"},
    "action": {"owner": "person"},
}


def row_names(plan: Plan) -> dict[str, dict[str, str]]:
    """The rows a message may name, by table and id: the plan's ``name`` where it has one."""
    return {
        table: {r.id: r.name for r in getattr(plan, table) if r.id and r.name}
        for table in ("person", "process", "phase", "kpi")
    }


def _names(fact: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, str]:
    """The human text of the fact's fields that hold ids (a missing name: the id)."""
    out: dict[str, str] = {}
    for field, table in _REFS.get(fact["fact"], {}).items():
        value = fact.get(field)
        known = names.get(table, {})
        if isinstance(value, str) and value in known:
            out[field] = known[value]
        elif isinstance(value, list) and any(isinstance(v, str) and v in known for v in value):
            out[field] = ", ".join(known.get(v, v) if isinstance(v, str) else str(v) for v in value)
    return out


def _finding(
    rule: Rule,
    fact: dict[str, Any],
    lang: str,
    locate: Any,
    waiver: dict[str, Any] | None,
    names: dict[str, dict[str, str]] | None = None,
) -> Finding:
    row = fact.get("row")
    table = rule.path.split(".")[0] if rule.path else ""
    # The row index only means something in the table the rule's path points into (a
    # log fact's row may index another table: a deliverable's is its phase's).
    if table != TABLE_OF.get(fact["fact"], fact["fact"]):
        row = None
    shown = _names(fact, names) if names else None
    return Finding(
        rule=rule.code,
        name=rule.name,
        severity=rule.severity,
        pillar=rule.pillar,
        title=render(rule.text("title", lang), fact, rule.params, lang, shown),
        message=render(rule.text("message", lang), fact, rule.params, lang, shown),
        fix=render(rule.text("fix", lang), fact, rule.params, lang, shown),
        target=fact["fact_id"],
        path=rule.path,
        row=row,
        line=_line(locate, rule.path, row),
        waived=waiver is not None,
        waiver_reason=waiver.get("reason") if waiver else None,
        waiver_owner=waiver.get("owner") if waiver else None,
        waiver_expires=waiver.get("expires") if waiver else None,
    )


@record
class TrackedCheckResult(CheckResult):
    """A check result with the mission log's tracking as of the check date
    (planner/tracking.py, computed once per check over the check's schedule).

    ``forecast`` and ``booked_days`` are what tui.history.figures reads: None while the
    plan is not tracked (no booking, no phase done), when the schedule is the forecast
    and the days used are the days planned."""

    tracking: Tracking | None = None

    @property
    def forecast(self) -> Schedule | None:
        """The forecast schedule once the plan is tracked, else None."""
        t = self.tracking
        return t.forecast if t is not None and t.tracked else None

    @property
    def booked_days(self) -> float | None:
        """COO days booked on or before the check date once the plan is tracked."""
        t = self.tracking
        return t.booked_days if t is not None and t.tracked else None


def scored_rules(ps: PackSet, plan: Plan) -> tuple[Rule, ...]:
    """The rules that count in the scores of `plan`: all those in force, but the rules on
    the mission log's facts (LOG…, and a firm's on the same kinds) for a plan that does not
    use the log: they cannot judge it, and weights that can only pass would raise every
    untracked plan's figures."""
    if has_log(plan):
        return tuple(ps.rules)
    return tuple(r for r in ps.rules if r.fact not in TRACKING_KINDS)


def sort_key(f: Finding) -> tuple[int, str, str]:
    return (-Severity(f.severity).rank, f.rule, f.target)


def check_plan(
    plan: Plan,
    *,
    as_of: dt.date,
    path: str | Path | None = None,
    text: str | None = None,
    extra_packs: Sequence[str | Path] = (),
    lang: str | None = None,
    schedule: Schedule | None = None,
    pack_set: PackSet | None = None,
    engine: str | None = None,
    pack_path: Sequence[str | Path] = (),
    packs_only: bool = False,
) -> TrackedCheckResult:
    """Check one plan as of a date (the result carries the mission log's tracking).

    - `path`: the plan file (its ``[rules].packs`` are relative to it; shown in results).
    - `text`: the plan's text, to fill `Finding.line` (via planner.store.locate).
    - `extra_packs`: ``--pack`` files, applied last.
    - `lang`: "en" or "fr"; None uses the plan's ``mission.language``.
    - `schedule`, `pack_set`: reuse ones already computed (the app does); `engine`:
      "durable_rules" or "python" (default: ``RELEVE_ENGINE`` or what is installed).

    - `pack_path`: folders besides the plan's own and its repository where the plan may
      name packs (``--pack-path``).
    - `packs_only`: the buyer's view — the plan's ``[rules].packs`` are not applied and
      its waivers do not count in the score (waived findings are still marked so).

    Raises rules.packs.PackError for a broken pack; never for a broken plan (a plan
    that cannot be scheduled is a PLN007 finding).
    """
    ps = pack_set or load_pack_set(
        path, plan, tuple(extra_packs), pack_path=pack_path, plan_packs=not packs_only
    )
    if schedule is None:
        from releve.planner.schedule import schedule_plan

        schedule = schedule_plan(plan)
    lang = lang or plan.mission.language.value
    # The what-if of a schedule passed in (days per week) applies to the forecast too.
    tracking = safe_track(plan, as_of, schedule)
    with provided_tracking(plan, schedule, as_of, tracking):
        facts = build_facts(plan, schedule, as_of)
    fired, applied, among = evaluate_graded(ps, facts, engine=engine)
    by_id = {f["fact_id"]: f for f in facts}
    waiver_rows = {f["row"]: f for f in facts if f["fact"] == "waiver"}
    waived = {(code, fid): waiver_rows[row] for code, fid, row in applied}
    rules = ps.by_code()
    locate = _locator(text) if fired else None
    names = row_names(plan) if fired else None
    findings = [
        _finding(rules[code], by_id[fid], lang, locate, waived.get((code, fid)), names)
        for code, fid in fired
    ]
    findings.sort(key=sort_key)
    return TrackedCheckResult(
        plan=plan,
        path=str(path) if path is not None else None,
        as_of=as_of,
        lang=lang,
        packs=ps.ids,
        schedule=schedule,
        findings=tuple(findings),
        score=compute_score(
            scored_rules(ps, plan),
            [replace(f, waived=False) for f in findings] if packs_only else findings,
            facts=by_id,
            populations=populations(ps, facts, among),
            settings=ps.score,
            lang=lang,
        ),
        facts=tuple(facts),
        ran=ps.what_ran("packs-only" if packs_only else "full"),
        kpi_track=track_all(facts, ps.rules),
        tracking=tracking,
    )
