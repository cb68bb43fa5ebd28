"""The report's "Since …" section (`releve report --since DATE|REV`): the readiness and
framing trend over the plan's git history since then, and what changed since (findings
appeared and resolved, scores by pillar, phases whose dates moved, people, processes and
transfers), for the HTML and Markdown reports.

Built from tui/history (git reading, version checks, comparison); rendered here as one
HTML section and one Markdown section that `releve report` inserts after the score.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from releve.tui.history.cache import Cache
from releve.tui.history.compare import Comparison, compare
from releve.tui.history.git import Repo
from releve.tui.history.versions import Move, load_version, plan_history
from releve.tui.i18n import pillar_label
from releve.tui.i18n import t as catalog

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: The section's words the catalog already has under another key (the history's, the
#: diff's, the report's); the others are ``trend.<key>``.
_SHARED = {
    "readiness": "history.readiness",
    "framing": "history.framing",
    "moves": "history.moves",
    "uncommitted": "history.uncommitted",
    "pillar": "report.costs.pillar",
    "phases": "diff.phases",
    "rows": "diff.rows",
}


def t(lang: str, key: str, **values: object) -> str:
    """The section's text ``key`` in ``lang``, from the string catalog."""
    return catalog(lang, _SHARED.get(key, f"trend.{key}"), **values)


@dataclass(frozen=True)
class Point:
    day: dt.date
    readiness: int
    framing: int | None
    label: str  # the short commit id, or "uncommitted changes"


@dataclass
class Trend:
    since: str  # as the user gave it (a date or a revision)
    as_of: dt.date
    lang: str
    points: list[Point] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    comparison: Comparison | None = None


def build_trend(
    plan: str,
    since: str,
    *,
    as_of: dt.date,
    lang: str,
    extra_packs: Sequence[str] = (),
    cache: Cache | None = None,
    pack_path: Sequence[str] = (),
    packs_only: bool = False,
) -> Trend:
    """The trend since ``since`` (YYYY-MM-DD or a git revision) and the comparison of the
    version then with the working tree, both checked as of ``as_of``. Raises HistoryError
    (one line) when the plan is not in git, never committed, or ``since`` is no date or
    revision."""
    if _ISO.fullmatch(since):
        since_day = dt.date.fromisoformat(since)
        rev: str | None = None
    else:
        repo, _ = Repo.of(plan)
        with repo:
            rev = repo.resolve(since)
            out = repo.run("show", "-s", "--format=%cI", rev).decode().strip()
        since_day = dt.date.fromisoformat(out[:10])
    history = plan_history(
        plan,
        today=as_of,
        since=since_day,
        lang=lang,
        extra_packs=extra_packs,
        cache=cache or Cache(None),
        pack_path=pack_path,
        packs_only=packs_only,
    )
    # Since a date: from the version in force that day; since a revision: from its own.
    from_date = rev is None
    if rev is None:
        then = history.previous or (history.versions[0] if history.versions else None)
        rev = then.sha if then is not None else None
    trend = Trend(since=since, as_of=as_of, lang=lang)
    shown = ([history.previous] if history.previous and from_date else []) + history.versions
    for v in shown:
        if v.figures.readiness is None:
            continue
        label = v.short or t(lang, "uncommitted")
        trend.points.append(Point(v.date, v.figures.readiness, v.figures.framing, label))
    trend.moves = history.biggest_moves()
    if rev is not None:
        bounds: dict[str, Any] = {"pack_path": tuple(pack_path), "packs_only": packs_only}
        old = load_version(plan, rev, as_of=as_of, lang=lang, extra_packs=extra_packs, **bounds)
        new = load_version(plan, None, as_of=as_of, lang=lang, extra_packs=extra_packs, **bounds)
        trend.comparison = compare(
            old.result, new.result, old_label=rev[:7], new_label=t(lang, "after")
        )
    return trend


# --- HTML ---------------------------------------------------------------------------------


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def trend_chart(points: Sequence[Point], title: str, lang: str) -> str:
    """Readiness (and framing, when known) of each version on a 0–100 scale over time."""
    from releve.tui.report import svg

    w, h, left, right, top, bottom = 640.0, 200.0, 36.0, 12.0, 12.0, 26.0
    if not points:
        return ""
    first, last = min(p.day for p in points), max(p.day for p in points)
    span = max((last - first).days, 1)

    def px(day: dt.date) -> float:
        if len(points) == 1:
            return left + (w - left - right) / 2
        return left + (w - left - right) * (day - first).days / span

    def py(v: float) -> float:
        return top + (h - top - bottom) * (1 - max(0.0, min(100.0, v)) / 100)

    body = []
    for v in (0, 50, 100):
        y = py(v)
        body.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" '
            f'stroke="{svg.GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{svg.MUTED}">{v}</text>'
        )
    body.append(
        f'<text x="{left}" y="{h - 6}" font-size="11" fill="{svg.MUTED}">{first.isoformat()}</text>'
        f'<text x="{w - right}" y="{h - 6}" font-size="11" text-anchor="end" '
        f'fill="{svg.MUTED}">{last.isoformat()}</text>'
    )
    series = [("readiness", svg.BAR, [(p.day, p.readiness, p.label) for p in points])]
    framing = [(p.day, p.framing, p.label) for p in points if p.framing is not None]
    if framing:
        series.append(("framing", svg.FAIR, framing))
    for name, colour, values in series:
        coords = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v, _ in values)
        if len(values) > 1:
            body.append(
                f'<polyline class="trend-line {name}" points="{coords}" fill="none" '
                f'stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>'
            )
        for d, v, label in values:
            body.append(
                f'<circle class="dot {name}" cx="{px(d):.1f}" cy="{py(v):.1f}" r="3.5" '
                f'fill="{colour}"><title>{_e(f"{d.isoformat()} {label}: {t(lang, name)} {v}")}'
                "</title></circle>"
            )
    return (
        f'<svg class="chart trend" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {w:g} {h:g}" width="{w:g}" height="{h:g}" '
        f'preserveAspectRatio="xMinYMin meet"><title>{_e(title)}</title>{"".join(body)}</svg>'
    )


def render_html(trend: Trend) -> str:
    from releve.tui.history.render_diff import _c, _phase_text, _row_title

    lang, since = trend.lang, trend.since
    out = [
        f'<section id="since"><h2>{_e(t(lang, "h", since=since))}</h2>',
        f'<p class="lead">{_e(t(lang, "lead", since=since, as_of=trend.as_of.isoformat()))}</p>',
    ]
    if trend.points:
        chart = trend_chart(trend.points, t(lang, "chart", since=since), lang)
        out.append(
            f"<figure>{chart}<figcaption>{_e(t(lang, 'chart', since=since))}</figcaption></figure>"
        )
    else:
        out.append(f"<p>{_e(t(lang, 'no_versions', since=since))}</p>")
    if trend.moves:
        items = "".join(
            f"<li>{_e(m.after.date.isoformat())} <code>{_e(m.after.short or '·')}</code> "
            f"{_e(m.describe(lang))}</li>"
            for m in trend.moves
        )
        out.append(f'<h3>{_e(t(lang, "moves"))}</h3><ul class="moves">{items}</ul>')
    cmp = trend.comparison
    if cmp is not None:
        out.append(f"<h3>{_e(t(lang, 'changed', since=since))}</h3>")
        rows = "".join(
            f'<tr><td>{_e(pillar_label(lang, p))}</td><td class="num">{_e("—" if a is None else a)}'
            f'</td><td class="num">{_e("—" if b is None else b)}</td></tr>'
            for p, a, b in cmp.pillars
        )
        out.append(
            f'<table class="since-pillars"><thead><tr><th>{_e(t(lang, "pillar"))}</th>'
            f'<th class="num">{_e(t(lang, "before"))}</th><th class="num">'
            f"{_e(t(lang, 'after'))}</th></tr></thead><tbody>"
            f'<tr><td><b>{_e(t(lang, "readiness").capitalize())}</b></td><td class="num"><b>'
            f'{_e(cmp.old.readiness)}</b></td><td class="num"><b>{_e(cmp.new.readiness)}</b>'
            f"</td></tr>{rows}</tbody></table>"
        )
        for kind in ("appeared", "resolved"):
            found = cmp.of_kind(kind)
            items = "".join(
                f'<li><span class="badge {_e(f.severity)}">{_e(f.rule)}</span> '
                f"{_e(f.label)} — {_e(f.message)}</li>"
                for f in found
            )
            out.append(
                f"<h4>{_e(t(lang, kind))}</h4>"
                + (
                    f'<ul class="since-{kind}">{items}</ul>'
                    if found
                    else f"<p>{_e(t(lang, 'none'))}</p>"
                )
            )
        if cmp.phases:
            items = "".join(
                f"<li><b>{_e(m.name)}</b>{_c(lang)} {_e(_phase_text(lang, m))}</li>"
                for m in cmp.phases
            )
            out.append(f'<h4>{_e(t(lang, "phases"))}</h4><ul class="since-phases">{items}</ul>')
        if cmp.rows:
            items = "".join(
                f"<li>{_e(catalog(lang, f'diff.{c.kind}'))}{_c(lang)} <b>{_e(_row_title(lang, c))}</b></li>"
                for c in cmp.rows
            )
            out.append(f'<h4>{_e(t(lang, "rows"))}</h4><ul class="since-rows">{items}</ul>')
    out.append("</section>")
    return "".join(out)


def render_markdown(trend: Trend) -> str:
    from releve.tui.history.render_diff import _c, _phase_text, _row_title
    from releve.tui.history.render_history import sparkline
    from releve.tui.report.markdown import md

    lang, since = trend.lang, trend.since
    out = [
        # `releve verify` leaves this section out: it is read from git, not from the plan.
        "<!-- releve-since -->",
        f"## {md(t(lang, 'h', since=since))}",
        "",
        md(t(lang, "lead", since=since, as_of=trend.as_of.isoformat())),
        "",
    ]
    if trend.points:
        values = [p.readiness for p in trend.points]
        out += [
            f"{md(t(lang, 'readiness').capitalize())} `{sparkline(values)}` {values[0]} → {values[-1]}",
            "",
        ]
        out += [
            "| date | commit | " + t(lang, "readiness") + " | " + t(lang, "framing") + " |",
            "|---|---|---:|---:|",
        ]
        for p in trend.points:
            out.append(
                f"| {p.day.isoformat()} | {md(p.label)} | {p.readiness} | {'—' if p.framing is None else p.framing} |"
            )
        out.append("")
    else:
        out += [md(t(lang, "no_versions", since=since)), ""]
    if trend.moves:
        out += [f"**{md(t(lang, 'moves'))}**", ""]
        out += [
            f"- {m.after.date.isoformat()} `{m.after.short or '·'}` {md(m.describe(lang))}"
            for m in trend.moves
        ]
        out.append("")
    cmp = trend.comparison
    if cmp is not None:
        out += [f"### {md(t(lang, 'changed', since=since))}", ""]
        out += [
            f"| {md(t(lang, 'pillar'))} | {md(t(lang, 'before'))} | {md(t(lang, 'after'))} |",
            "|---|---:|---:|",
        ]
        out.append(
            f"| **{md(t(lang, 'readiness').capitalize())}** | **{cmp.old.readiness}** | **{cmp.new.readiness}** |"
        )
        for pillar, a, b in cmp.pillars:
            out.append(
                f"| {md(pillar_label(lang, pillar))} | {'—' if a is None else a} | {'—' if b is None else b} |"
            )
        out.append("")
        for kind in ("appeared", "resolved"):
            found = cmp.of_kind(kind)
            out += [f"**{md(t(lang, kind))}**", ""]
            out += [f"- `{f.rule}` {md(f.label)} — {md(f.message)}" for f in found] or [
                md(t(lang, "none"))
            ]
            out.append("")
        if cmp.phases:
            out += [f"**{md(t(lang, 'phases'))}**", ""]
            out += [f"- **{md(m.name)}**{_c(lang)} {md(_phase_text(lang, m))}" for m in cmp.phases]
            out.append("")
        if cmp.rows:
            out += [f"**{md(t(lang, 'rows'))}**", ""]
            out += [
                f"- {md(catalog(lang, f'diff.{c.kind}'))}{_c(lang)} **{md(_row_title(lang, c))}**"
                for c in cmp.rows
            ]
            out.append("")
    out.append("<!-- /releve-since -->")
    return "\n".join(out) + "\n"


def insert(document: str, section: str, fmt: str, findings_heading: str) -> str:
    """``document`` (the rendered report) with the section placed after the score, before
    the findings (at the end when the findings' heading is not found)."""
    if fmt == "html":
        at = document.find('<section id="findings"')
        if at < 0:
            at = document.find("</main>")
        return document[:at] + section + document[at:] if at >= 0 else document + section
    marker = f"\n## {findings_heading}"
    at = document.find(marker)
    if at < 0:
        return document.rstrip("\n") + "\n\n" + section
    return document[: at + 1] + section + "\n" + document[at + 1 :]
