"""Text, JSON, CSV and Markdown of a plan's history (`releve history`).

Pure functions of a :class:`History`; nothing here reads the clock or a file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from releve.tui.history.versions import History, Move, Version
from releve.tui.i18n import band_label, t
from releve.tui.jsontext import indented_json
from releve.tui.safe_text import visible

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int | None]) -> str:
    """Scores 0–100 as block heights on a fixed scale (▁ is 0, █ is 100); a version that
    could not be checked is a space."""
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(BLOCKS[round(max(0, min(100, v)) * (len(BLOCKS) - 1) / 100)])
    return "".join(out)


def _num(v: int | None) -> str:
    return "—" if v is None else str(v)


def _end(v: Version, lang: str) -> str:
    f = v.figures
    if f.end is None:
        return "—"
    late = f.late_days
    if late is None:
        return f.end.isoformat()
    if late > 0:
        return f"{f.end.isoformat()} (+{late})"
    return f.end.isoformat()


def _heads(lang: str) -> list[str]:
    """The columns of the history table (words the catalog already has are reused)."""
    return [
        t(lang, "history.date"),
        t(lang, "history.commit"),
        t(lang, "history.readiness"),
        "±",
        t(lang, "history.framing"),
        t(lang, "count.error.many"),
        t(lang, "count.warning.many"),
        t(lang, "schedule.end"),
        t(lang, "report.schedule.target"),
        t(lang, "history.change"),
    ]


def _what(v: Version, lang: str) -> str:
    parts = []
    if not v.plan_changed and v.packs_changed or v.packs_changed:
        parts.append(f"[{t(lang, 'history.packs_changed')}]")
    parts.append(v.subject)
    return " ".join(parts)


def _deltas(h: History) -> dict[int, int]:
    out: dict[int, int] = {}
    prev = h.previous.figures.readiness if h.previous and h.previous.figures.ok else None
    for i, v in enumerate(h.versions):
        r = v.figures.readiness
        if r is not None and prev is not None:
            out[i] = r - prev
        if r is not None:
            prev = r
    return out


def render_text(h: History) -> str:
    lang = h.lang
    heads = _heads(lang)
    deltas = _deltas(h)
    rows: list[list[str]] = []
    errors: list[str] = []
    for i, v in enumerate(h.versions):
        f = v.figures
        commit = v.short or "·"
        if not f.ok:
            rows.append([v.date.isoformat(), commit, "!", "", "", "", "", "", "", _what(v, lang)])
            said = f.error or ""
            if not (v.short and said.startswith(v.short)):  # the error names its version
                said = f"{v.short or t(lang, 'history.uncommitted')}: {said}"
            errors.append(f"  {said}")
            continue
        band = f" {band_label(lang, f.band)}" if f.band else ""
        d = deltas.get(i)
        rows.append(
            [
                v.date.isoformat(),
                commit,
                f"{_num(f.readiness)}{band}",
                f"{d:+d}" if d else "",
                _num(f.framing),
                str(f.counts.get("error", 0)),
                str(f.counts.get("warning", 0)),
                _end(v, lang),
                f.target.isoformat() if f.target else "—",
                _what(v, lang),
            ]
        )
    widths = [max(len(r[c]) for r in [heads, *rows]) for c in range(len(heads) - 1)]
    lines = [t(lang, "history.title", path=visible(h.path))]
    series = [v.figures.readiness for v in h.versions]
    known = [s for s in series if s is not None]
    spark = sparkline(series)
    if known:
        lines.append(f"{t(lang, 'history.readiness')} {spark}  {known[0]} → {known[-1]}")
    lines.append("")
    for r in [heads, *rows]:
        cells = [r[c].ljust(widths[c]) for c in range(len(widths))] + [visible(r[-1])]
        lines.append("  ".join(cells).rstrip())
    for e in errors:
        lines.append(visible(e))
    lines.append("")
    moves = h.biggest_moves()
    lines.append(t(lang, "history.moves") + t(lang, "report.colon").rstrip())
    if not moves:
        lines.append("  " + t(lang, "history.no_moves"))
    for m in moves:
        lines.append(
            f"  {m.after.date.isoformat()} {m.after.short or '·'} {visible(m.describe(lang))}"
        )
    if all(v.figures.framing is None for v in h.versions if v.figures.ok):
        lines.append("")
        lines.append(t(lang, "history.framing_missing"))
    return "\n".join(lines) + "\n"


def version_dict(v: Version, delta: int | None) -> dict[str, Any]:
    f = v.figures
    d: dict[str, Any] = {
        "commit": v.sha,
        "date": v.date.isoformat(),
        "subject": v.subject,
        "path": v.path,
        "as_of": v.as_of.isoformat(),
        "uncommitted": v.uncommitted,
        "plan_changed": v.plan_changed,
        "packs_changed": v.packs_changed,
    }
    if not f.ok:
        d["error"] = f.error
        return d
    d.update(
        readiness=f.readiness,
        band=f.band,
        framing=f.framing,
        delta=delta,
        pillars=f.pillars,
        counts=f.counts,
        end=f.end.isoformat() if f.end else None,
        end_kind=f.end_kind,
        target=f.target.isoformat() if f.target else None,
        late_days=f.late_days,
        meets_target=f.meets_target,
        packs=list(f.packs),
        findings=[
            {
                "rule": x.rule,
                "name": x.name,
                "severity": x.severity,
                "target": x.target,
                "waived": x.waived,
            }
            for x in f.findings
        ],
    )
    return d


def move_dict(m: Move, lang: str) -> dict[str, Any]:
    return {
        "from": m.before.sha,
        "to": m.after.sha,
        "date": m.after.date.isoformat(),
        "delta": m.delta,
        "text": m.describe(lang),
        "causes": [c.as_dict() for c in m.causes],
    }


def history_dict(h: History) -> dict[str, Any]:
    deltas = _deltas(h)
    return {
        "path": h.path,
        "repository": str(h.root),
        "file": h.rel,
        "lang": h.lang,
        "versions": [version_dict(v, deltas.get(i)) for i, v in enumerate(h.versions)],
        "moves": [move_dict(m, h.lang) for m in h.moves()],
    }


def render_json(h: History) -> str:
    return indented_json(history_dict(h)) + "\n"


CSV_COLUMNS = (
    "date",
    "commit",
    "uncommitted",
    "as_of",
    "path",
    "readiness",
    "band",
    "delta",
    "framing",
    "error",
    "warning",
    "info",
    "waived",
    "end",
    "end_kind",
    "target",
    "late_days",
    "packs_changed",
    "subject",
    "problem",
)


def render_csv(h: History) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    deltas = _deltas(h)
    for i, v in enumerate(h.versions):
        f = v.figures
        c = f.counts
        w.writerow(
            [
                v.date.isoformat(),
                v.sha or "",
                "yes" if v.uncommitted else "",
                v.as_of.isoformat(),
                v.path,
                _blank(f.readiness),
                f.band or "",
                _blank(deltas.get(i)),
                _blank(f.framing),
                _blank(c.get("error")),
                _blank(c.get("warning")),
                _blank(c.get("info")),
                _blank(c.get("waived")),
                f.end.isoformat() if f.end else "",
                f.end_kind if f.ok else "",
                f.target.isoformat() if f.target else "",
                _blank(f.late_days),
                "yes" if v.packs_changed else "",
                visible(v.subject),
                visible(f.error or ""),
            ]
        )
    return out.getvalue()


def _blank(v: object) -> str:
    return "" if v is None else str(v)


def _md(s: str) -> str:
    from releve.tui.render.check import md_escape

    return md_escape(s)


def render_markdown(h: History) -> str:
    lang = h.lang
    lines = [f"### {_md(t(lang, 'history.title', path=h.path))}", ""]
    series = [v.figures.readiness for v in h.versions]
    known = [s for s in series if s is not None]
    if known:
        lines += [
            f"{t(lang, 'history.readiness')} `{sparkline(series)}` {known[0]} → {known[-1]}",
            "",
        ]
    heads = _heads(lang)
    lines.append("| " + " | ".join(heads) + " |")
    lines.append("|" + "---|" * len(heads))
    deltas = _deltas(h)
    for i, v in enumerate(h.versions):
        f = v.figures
        commit = f"`{v.short}`" if v.sha else "·"
        if not f.ok:
            cells = [v.date.isoformat(), commit, "!", "", "", "", "", "", "", _md(f.error or "")]
        else:
            d = deltas.get(i)
            cells = [
                v.date.isoformat(),
                commit,
                _num(f.readiness) + (f" {band_label(lang, f.band)}" if f.band else ""),
                f"{d:+d}" if d else "",
                _num(f.framing),
                str(f.counts.get("error", 0)),
                str(f.counts.get("warning", 0)),
                _end(v, lang),
                f.target.isoformat() if f.target else "—",
                _md(_what(v, lang)),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"**{t(lang, 'history.moves')}**", ""]
    moves = h.biggest_moves()
    if not moves:
        lines.append(t(lang, "history.no_moves"))
    for m in moves:
        lines.append(
            f"- {m.after.date.isoformat()} {m.after.short or '·'}: {_md(m.describe(lang))}"
        )
    return "\n".join(lines) + "\n"


def render(h: History, fmt: str) -> str:
    return {
        "text": render_text,
        "json": render_json,
        "csv": render_csv,
        "markdown": render_markdown,
    }[fmt](h)
