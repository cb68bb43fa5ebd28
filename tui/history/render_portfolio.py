"""Text, JSON, CSV and Markdown of a portfolio (`releve portfolio`); HTML is in
tui/report/portfolio.py."""

from __future__ import annotations

import csv
import io
from typing import Any

from releve.tui.history.portfolio import Deadline, Portfolio, Row
from releve.tui.i18n import band_label, enum_label, texts
from releve.tui.i18n import t as catalog
from releve.tui.jsontext import indented_json
from releve.tui.safe_text import visible

#: The portfolio's words the catalog already has under another key; the others are
#: ``portfolio.<key>``.
_SHARED = {
    "coo": "section.coo",
    "readiness": "history.readiness",
    "framing": "history.framing",
    "errors": "count.error.many",
}


def t(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang``; its singular (``key_one``) when it counts one."""
    if values.get("n", values.get("shown")) == 1 and f"portfolio.{key}_one" in texts("en"):
        key = f"{key}_one"
    return catalog(lang, _SHARED.get(key, f"portfolio.{key}"), **values)


def _n(v: object) -> str:
    return "—" if v is None else str(v)


def deadline_text(lang: str, d: Deadline | None) -> str:
    if d is None:
        return "—"
    return f"{d.day.isoformat()} {t(lang, d.kind, what=d.what)}"


def end_text(lang: str, r: Row) -> str:
    f = r.figures
    if f.end is None:
        return "—"
    late = f.late_days
    if late is None:
        return f.end.isoformat()
    if late > 0:
        return f"{f.end.isoformat()} ({t(lang, 'late', n=late)})"
    return f"{f.end.isoformat()} ({t(lang, 'early', n=late)})" if late < 0 else f.end.isoformat()


def days_text(r: Row) -> str:
    used = "—" if r.days_used is None else f"{r.days_used:g}"
    return f"{used}/{_n(r.days_contracted)}"


def trend_text(r: Row) -> str:
    if r.trend is None:
        return "—"
    return f"{r.trend:+d}" if r.trend else "="


def status_text(lang: str, r: Row) -> str:
    return enum_label(lang, "MissionStatus", r.status) if r.status else "—"


def readiness_text(r: Row, lang: str = "en") -> str:
    """The readiness and its band in words: "79 to secure", "79 à sécuriser"."""
    f = r.figures
    return f"{_n(f.readiness)}" + (f" {band_label(lang, f.band)}" if f.band else "")


def cells(lang: str, r: Row) -> list[str]:
    f = r.figures
    if not f.ok:
        return [r.path, "", "", "!", "", "", "", "", "", t(lang, "unreadable")]
    return [
        r.name,
        r.coo or "—",
        status_text(lang, r),
        readiness_text(r, lang),
        _n(f.framing),
        trend_text(r),
        end_text(lang, r),
        days_text(r),
        str(f.counts.get("error", 0)),
        deadline_text(lang, r.next_deadline),
    ]


def heads(lang: str) -> list[str]:
    return [
        t(lang, k)
        for k in (
            "mission",
            "coo",
            "status",
            "readiness",
            "framing",
            "trend",
            "end",
            "days",
            "errors",
            "deadline",
        )
    ]


def render_text(p: Portfolio) -> str:
    lang = p.lang
    rows = [heads(lang), *(cells(lang, r) for r in p.rows)]
    widths = [max(len(visible(row[c])) for row in rows) for c in range(len(rows[0]) - 1)]
    out = [t(lang, "title", n=len(p.rows), day=p.as_of.isoformat())]
    if len(p.rows) != p.total:
        out.append(t(lang, "shown", shown=len(p.rows), total=p.total))
    out.append("")
    for row in rows:
        shown = [visible(c).ljust(widths[i]) for i, c in enumerate(row[:-1])]
        out.append("  ".join([*shown, visible(row[-1])]).rstrip())
    errors = [r.error for r in p.rows if r.error]
    if errors:
        out.append("")
        out += [visible(e) for e in errors if e]
    out += ["", t(lang, "findings") + catalog(lang, "report.colon").rstrip()]
    if not p.findings:
        out.append("  " + t(lang, "none"))
    for f in p.findings:
        out.append(visible(f"  {f.code} {f.name}: {f.message(lang)}"))
    return "\n".join(out) + "\n"


def row_dict(r: Row) -> dict[str, Any]:
    f = r.figures
    if not f.ok:
        return {"path": r.path, "error": f.error}
    d = r.next_deadline
    return {
        "path": r.path,
        "mission": r.mission,
        "title": r.title,
        "company": r.company,
        "coo": r.coo,
        "coo_email": r.coo_email,
        "status": r.status,
        "readiness": f.readiness,
        "band": f.band,
        "framing": f.framing,
        "trend": r.trend,
        "trend_points": [{"date": day.isoformat(), "readiness": v} for day, v in r.trend_points],
        "end": f.end.isoformat() if f.end else None,
        "end_kind": f.end_kind,
        "target": f.target.isoformat() if f.target else None,
        "late_days": f.late_days,
        "days_used": r.days_used,
        "days_kind": r.days_kind,
        "days_contracted": r.days_contracted,
        "counts": f.counts,
        "next_deadline": (
            {"date": d.day.isoformat(), "kind": d.kind, "what": d.what} if d else None
        ),
    }


def finding_dict(f: Any, lang: str) -> dict[str, Any]:
    return {
        "rule": f.code,
        "name": f.name,
        "coo": f.coo,
        "missions": list(f.missions),
        "paths": list(f.paths),
        "weekdays": list(f.weekdays),
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "message": f.message(lang),
    }


def portfolio_dict(p: Portfolio) -> dict[str, Any]:
    return {
        "as_of": p.as_of.isoformat(),
        "lang": p.lang,
        "trend_days": p.trend_days,
        "total": p.total,
        "missions": [row_dict(r) for r in p.rows],
        "findings": [finding_dict(f, p.lang) for f in p.findings],
    }


def render_json(p: Portfolio) -> str:
    return indented_json(portfolio_dict(p)) + "\n"


CSV_COLUMNS = (
    "path",
    "mission",
    "company",
    "coo",
    "status",
    "readiness",
    "band",
    "framing",
    "trend",
    "end",
    "end_kind",
    "target",
    "late_days",
    "days_used",
    "days_kind",
    "days_contracted",
    "error",
    "warning",
    "next_deadline",
    "next_deadline_kind",
    "next_deadline_what",
    "problem",
)


def render_csv(p: Portfolio) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in p.rows:
        d = row_dict(r)
        nd = d.get("next_deadline") or {}
        counts = d.get("counts") or {}
        w.writerow(
            [
                visible(str(v)) if v is not None else ""
                for v in (
                    r.path,
                    d.get("mission"),
                    d.get("company"),
                    d.get("coo"),
                    d.get("status"),
                    d.get("readiness"),
                    d.get("band"),
                    d.get("framing"),
                    d.get("trend"),
                    d.get("end"),
                    d.get("end_kind"),
                    d.get("target"),
                    d.get("late_days"),
                    f"{r.days_used:g}" if r.days_used is not None and r.figures.ok else None,
                    d.get("days_kind"),
                    d.get("days_contracted"),
                    counts.get("error"),
                    counts.get("warning"),
                    nd.get("date"),
                    nd.get("kind"),
                    nd.get("what"),
                    r.error,
                )
            ]
        )
    return out.getvalue()


def render_markdown(p: Portfolio) -> str:
    from releve.tui.render.check import md_escape

    lang = p.lang
    h = heads(lang)
    out = [f"### {md_escape(t(lang, 'title', n=len(p.rows), day=p.as_of.isoformat()))}", ""]
    out.append("| " + " | ".join(h) + " |")
    out.append("|" + "---|" * len(h))
    for r in p.rows:
        row = cells(lang, r)
        if not r.figures.ok:
            row[-1] = r.error or ""
        out.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    out += ["", f"**{t(lang, 'findings')}**", ""]
    if not p.findings:
        out.append(t(lang, "none"))
    for f in p.findings:
        out.append(f"- `{f.code}` {md_escape(f.message(lang))}")
    return "\n".join(out) + "\n"


def render(p: Portfolio, fmt: str) -> str:
    if fmt == "html":
        from releve.tui.report.portfolio import render_html

        return render_html(p)
    return {
        "text": render_text,
        "json": render_json,
        "csv": render_csv,
        "markdown": render_markdown,
    }[fmt](p)
