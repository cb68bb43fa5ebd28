"""The portfolio as one self-contained HTML page in the report's style (`releve portfolio
--format html`): the same style sheet and no-load policy as the readiness report, one row
per mission sorted by risk, a readiness sparkline over the last 90 days, and the findings
across missions. Every value from a plan is escaped."""

from __future__ import annotations

from html import escape

from releve.tui.history.labels import band_label
from releve.tui.history.portfolio import Portfolio, Row
from releve.tui.history.render_portfolio import (
    days_text,
    deadline_text,
    end_text,
    heads,
    status_text,
    t,
    trend_text,
)
from releve.tui.report import clean_controls, svg
from releve.tui.report.html import CSP, CSS

PORTFOLIO_CSS = """
table.portfolio td.readiness b { font-size: 17px; }
table.portfolio tr.unreadable td { color: var(--poor); }
table.portfolio tr.late td.end { color: var(--poor); font-weight: 700; }
table.portfolio td.trend.down { color: var(--poor); font-weight: 700; }
table.portfolio td.trend.up { color: var(--good); font-weight: 700; }
table.portfolio svg.sparkline { width: 110px; }
table.portfolio td.end { white-space: nowrap; }
ul.portfolio-findings li { margin: 4px 0; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _row(lang: str, r: Row, rank: int) -> str:
    f = r.figures
    if not f.ok:
        return (
            f'<tr class="mission unreadable"><td class="num">{rank}</td>'
            f'<td colspan="10"><b>{_e(r.path)}</b> — {_e(t(lang, "unreadable"))}: '
            f"<code>{_e(r.error)}</code></td></tr>"
        )
    colour = svg.score_color(f.readiness)
    spark = ""
    if len(r.trend_points) > 1:
        spark = svg.sparkline(
            [(d, float(v)) for d, v in r.trend_points], None, f"{t(lang, 'readiness')}"
        )
    trend_cls = "up" if (r.trend or 0) > 0 else "down" if (r.trend or 0) < 0 else ""
    late = f.late_days is not None and f.late_days > 0
    band = (
        f' <span class="badge" data-band="{_e(f.band)}">{_e(band_label(lang, f.band))}</span>'
        if f.band
        else ""
    )
    return (
        f'<tr class="mission{" late" if late else ""}" data-path="{_e(r.path)}">'
        f'<td class="num">{rank}</td>'
        f'<td class="name"><b>{_e(r.name)}</b><br><small>{_e(r.title)}</small></td>'
        f"<td>{_e(r.coo or '—')}</td>"
        f"<td>{_e(status_text(lang, r))}</td>"
        f'<td class="num readiness"><b style="color:{colour}">{_e(f.readiness)}</b>{band}</td>'
        f'<td class="num">{_e("—" if f.framing is None else f.framing)}</td>'
        f'<td class="num trend {trend_cls}">{_e(trend_text(r))}{spark}</td>'
        f'<td class="end">{_e(end_text(lang, r))}</td>'
        f'<td class="num">{_e(days_text(r))}</td>'
        f'<td class="num errors">{f.counts.get("error", 0)}</td>'
        f'<td class="deadline">{_e(deadline_text(lang, r.next_deadline))}</td>'
        "</tr>"
    )


def render_html(p: Portfolio) -> str:
    lang = p.lang
    title = t(lang, "title", n=len(p.rows), day=p.as_of.isoformat())
    head_cells = "".join(f"<th>{_e(h)}</th>" for h in heads(lang))
    rows = "".join(_row(lang, r, i + 1) for i, r in enumerate(p.rows))
    if p.findings:
        items = "".join(
            f'<li class="portfolio-finding"><span class="badge warning">{_e(f.code)}</span> '
            f"{_e(f.message(lang))}</li>"
            for f in p.findings
        )
        findings = f'<ul class="portfolio-findings">{items}</ul>'
    else:
        findings = f"<p>{_e(t(lang, 'none'))}</p>"
    shown = (
        f'<p class="lead">{_e(t(lang, "shown", shown=len(p.rows), total=p.total))}</p>'
        if len(p.rows) != p.total
        else ""
    )
    doc = f"""<!DOCTYPE html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{CSS}{PORTFOLIO_CSS}</style>
</head>
<body>
<header class="cover"><h1>{_e(title)}</h1>{shown}</header>
<section id="missions">
<table class="portfolio">
<thead><tr><th class="num">#</th>{head_cells}</tr></thead>
<tbody>{rows}</tbody>
</table>
</section>
<section id="findings">
<h2>{_e(t(lang, "findings"))}</h2>
{findings}
</section>
<footer>releve portfolio · {_e(p.as_of.isoformat())}</footer>
</body>
</html>
"""
    return clean_controls(doc)
