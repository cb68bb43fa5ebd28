"""Text, JSON and Markdown of a comparison (`releve diff`); Markdown is made to be posted
as a pull-request comment."""

from __future__ import annotations

from typing import Any

from releve.tui.history.compare import Comparison, PhaseMove, RowChange, Span
from releve.tui.i18n import enum_label, field_label, pillar_label, row_noun, severity_label, t
from releve.tui.jsontext import indented_json
from releve.tui.safe_text import visible

#: The diff's words the catalog already has under another key; the others are
#: ``diff.<key>``.
_SHARED = {
    "readiness": "check.readiness",
    "framing": "check.framing",
    "pillar": "report.costs.pillar",
    "findings": "findings",
}


def _t(lang: str, key: str, **values: object) -> str:
    return t(lang, _SHARED.get(key, f"diff.{key}"), **values)


def _c(lang: str) -> str:
    """A colon as each language writes it (a no-break space before it in French)."""
    return t(lang, "report.colon").rstrip()


def _sev(lang: str, severity: str) -> str:
    return severity_label(lang, severity)


def _n(v: int | None) -> str:
    return "—" if v is None else str(v)


def _delta(a: int | None, b: int | None) -> str:
    if a is None or b is None:
        return "—"
    return f"{b - a:+d}" if b != a else "="


def _span(s: Span | None, lang: str) -> str:
    if s is None:
        return _t(lang, "unscheduled")
    return s[0].isoformat() if s[0] == s[1] else f"{s[0].isoformat()} → {s[1].isoformat()}"


def _value(v: Any, lang: str = "en", enum: str | None = None) -> str:
    if enum is not None and isinstance(v, str):
        return enum_label(lang, enum, v)
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v) or "[]"
    return str(v)


def _row_title(lang: str, c: RowChange) -> str:
    return f"{row_noun(lang, c.table)} {c.name}"


def _fields(lang: str, c: RowChange) -> str:
    return "; ".join(
        f"{field_label(lang, f.field)}{_c(lang)} {_value(f.before, lang, f.enum)} → "
        f"{_value(f.after, lang, f.enum)}"
        for f in c.fields
    )


def summary(cmp: Comparison) -> str:
    lang = cmp.lang
    return _t(
        lang,
        "summary",
        a=_n(cmp.old.readiness),
        b=_n(cmp.new.readiness),
        d=_delta(cmp.old.readiness, cmp.new.readiness),
        n_new=len(cmp.of_kind("appeared")),
        n_res=len(cmp.of_kind("resolved")),
    )


def render_text(cmp: Comparison) -> str:
    lang = cmp.lang
    out = [visible(_t(lang, "title", old=cmp.old_label, new=cmp.new_label)), summary(cmp), ""]
    if cmp.empty:
        return "\n".join([*out, _t(lang, "nothing")]) + "\n"
    out.append(
        f"{_t(lang, 'readiness')}{_c(lang)} {_n(cmp.old.readiness)} → {_n(cmp.new.readiness)}"
        f"   {_t(lang, 'framing')}{_c(lang)} {_n(cmp.old.framing)} → {_n(cmp.new.framing)}"
    )
    width = max([len(pillar_label(lang, p)) for p, _, _ in cmp.pillars] + [1])
    for p, a, b in cmp.pillars:
        mark = "" if a == b else f"  {_delta(a, b)}"
        out.append(f"  {pillar_label(lang, p).ljust(width)}  {_n(a):>3} → {_n(b):>3}{mark}")
    if cmp.findings:
        out += ["", f"{_t(lang, 'findings')}{_c(lang)}"]
        kind_w = max(len(_t(lang, c.kind)) for c in cmp.findings)
        sev_w = max(len(_sev(lang, c.finding.severity)) for c in cmp.findings)
        for c in cmp.findings:
            f = c.finding
            out.append(
                visible(
                    f"  {_t(lang, c.kind):<{kind_w}} {_sev(lang, f.severity):<{sev_w}} {f.rule} "
                    f"{f.name} — {f.label}{_c(lang)} {f.message}"
                )
            )
    if cmp.phases:
        out += ["", f"{_t(lang, 'phases')}{_c(lang)}"]
        for m in cmp.phases:
            out.append(visible(f"  {m.name}{_c(lang)} {_phase_text(lang, m)}"))
    if cmp.rows:
        out += ["", f"{_t(lang, 'rows')}{_c(lang)}"]
        row_w = max(len(_t(lang, rc.kind)) for rc in cmp.rows)
        for rc in cmp.rows:
            line = f"  {_t(lang, rc.kind):<{row_w}} {_row_title(lang, rc)}"
            if rc.fields:
                line += f" — {_fields(lang, rc)}"
            out.append(visible(line))
    return "\n".join(out) + "\n"


def _phase_text(lang: str, m: PhaseMove) -> str:
    parts = []
    if m.baseline_before != m.baseline_after:
        parts.append(
            f"{_t(lang, 'baseline')} {_span(m.baseline_before, lang)} ⇒ "
            f"{_span(m.baseline_after, lang)}"
        )
    if m.forecast_before != m.forecast_after:
        parts.append(
            f"{_t(lang, 'forecast')} {_span(m.forecast_before, lang)} ⇒ "
            f"{_span(m.forecast_after, lang)}"
        )
    return "; ".join(parts)


def _span_dict(s: Span | None) -> dict[str, str] | None:
    return {"start": s[0].isoformat(), "end": s[1].isoformat()} if s else None


def diff_dict(cmp: Comparison) -> dict[str, Any]:
    return {
        "old": {"label": cmp.old_label, **_side(cmp, old=True)},
        "new": {"label": cmp.new_label, **_side(cmp, old=False)},
        "pillars": [{"pillar": p, "before": a, "after": b} for p, a, b in cmp.pillars],
        "findings": [
            {
                "change": c.kind,
                "rule": c.finding.rule,
                "name": c.finding.name,
                "severity": c.finding.severity,
                "pillar": c.finding.pillar,
                "target": c.finding.target,
                "label": c.finding.label,
                "message": c.finding.message,
            }
            for c in cmp.findings
        ],
        "phases": [
            {
                "id": m.id,
                "name": m.name,
                "baseline": {
                    "before": _span_dict(m.baseline_before),
                    "after": _span_dict(m.baseline_after),
                },
                "forecast": {
                    "before": _span_dict(m.forecast_before),
                    "after": _span_dict(m.forecast_after),
                },
            }
            for m in cmp.phases
        ],
        "rows": [
            {
                "table": c.table,
                "id": c.id,
                "name": c.name,
                "change": c.kind,
                "fields": [
                    {"field": f.field, "before": f.before, "after": f.after} for f in c.fields
                ],
            }
            for c in cmp.rows
        ],
    }


def _side(cmp: Comparison, *, old: bool) -> dict[str, Any]:
    f = cmp.old if old else cmp.new
    return {
        "readiness": f.readiness,
        "band": f.band,
        "framing": f.framing,
        "counts": f.counts,
        "end": f.end.isoformat() if f.end else None,
        "end_kind": f.end_kind,
        "target": f.target.isoformat() if f.target else None,
    }


def render_json(cmp: Comparison) -> str:
    return indented_json(diff_dict(cmp)) + "\n"


def _md(s: str) -> str:
    from releve.tui.render.check import md_escape

    return md_escape(s)


def render_markdown(cmp: Comparison) -> str:
    lang = cmp.lang
    d = _delta(cmp.old.readiness, cmp.new.readiness)
    out = [
        f"### {_md(_t(lang, 'title', old=cmp.old_label, new=cmp.new_label))}",
        "",
        f"**{_t(lang, 'readiness')} {_n(cmp.old.readiness)} → {_n(cmp.new.readiness)}** "
        f"({d}) · {_t(lang, 'framing')} {_n(cmp.old.framing)} → {_n(cmp.new.framing)} · "
        + _md(_counts(lang, cmp)),
        "",
    ]
    if cmp.empty:
        return "\n".join([*out, _t(lang, "nothing")]) + "\n"
    out += [
        f"| {_t(lang, 'pillar')} | {_t(lang, 'before')} | {_t(lang, 'after')} | ± |",
        "|---|---:|---:|---:|",
    ]
    for p, a, b in cmp.pillars:
        out.append(f"| {_md(pillar_label(lang, p))} | {_n(a)} | {_n(b)} | {_delta(a, b)} |")
    if cmp.findings:
        out += ["", f"#### {_t(lang, 'findings')}", "", "| | | | |", "|---|---|---|---|"]
        for c in cmp.findings:
            f = c.finding
            icon = {"appeared": "🔴", "resolved": "✅", "waived": "⚪", "unwaived": "🟠"}[c.kind]
            out.append(
                f"| {icon} {_t(lang, c.kind)} | {_sev(lang, f.severity)} | `{f.rule}` "
                f"{_md(f.name)} | {_md(f.label)}{_c(lang)} {_md(f.message)} |"
            )
    if cmp.phases:
        out += ["", f"#### {_t(lang, 'phases')}", ""]
        for m in cmp.phases:
            out.append(f"- **{_md(m.name)}**{_c(lang)} {_md(_phase_text(lang, m))}")
    if cmp.rows:
        out += ["", f"#### {_t(lang, 'rows')}", ""]
        for rc in cmp.rows:
            line = f"- {_t(lang, rc.kind)}{_c(lang)} **{_md(_row_title(lang, rc))}**"
            if rc.fields:
                line += f" — {_md(_fields(lang, rc))}"
            out.append(line)
    return "\n".join(out) + "\n"


def _counts(lang: str, cmp: Comparison) -> str:
    from releve.tui.report.strings import counted

    e, w = cmp.new.counts.get("error", 0), cmp.new.counts.get("warning", 0)
    return f"{e} {counted(lang, 'error', e)}, {w} {counted(lang, 'warning', w)}"


def render(cmp: Comparison, fmt: str) -> str:
    return {"text": render_text, "json": render_json, "markdown": render_markdown}[fmt](cmp)
