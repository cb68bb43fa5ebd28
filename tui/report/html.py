"""The readiness report as one self-contained HTML5 file: inline CSS and SVG, A4 print styles.

No network: no script, no external style sheet, font or image, and a Content-Security-Policy
that forbids loading anything. Every value from the plan is escaped.
"""

from __future__ import annotations

from releve.tui.report import Report, clean_controls
from releve.tui.report.html_actual import ActualHtml
from releve.tui.report.html_base import _e
from releve.tui.report.html_company import CompanyHtml
from releve.tui.report.html_findings import FindingsHtml
from releve.tui.report.html_schedule import ScheduleHtml
from releve.tui.report.html_score import ScoreHtml

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9dee3; --soft:#f5f7f9; --accent:#1c5d99;
  --good:#2e7d32; --fair:#b26a00; --poor:#c62828; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1060px; padding: 24px 32px 48px; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; background: #fff; }
h1 { font-size: 32px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--accent); }
h3 { font-size: 17px; margin: 22px 0 6px; }
p.lead { color: var(--muted); margin: 4px 0 12px; }
.cover { border-bottom: 6px solid var(--accent); padding: 24px 0 20px; }
.cover .subtitle { font-size: 18px; color: var(--muted); margin: 0 0 18px; }
.cover .company { font-size: 26px; font-weight: 700; margin: 18px 0 4px; }
.cover-grid { display: flex; gap: 24px; justify-content: space-between;
  align-items: flex-start; }
.cover-grid figure { text-align: center; margin: 14px 0; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px;
  margin: 14px 0; }
.cover dt { color: var(--muted); }
.cover dd { margin: 0; font-weight: 600; }
.keyfigs { display: flex; gap: 14px; flex-wrap: wrap; margin: 18px 0 6px; }
.keyfig { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px;
  min-width: 120px; }
.keyfig b { display: block; font-size: 24px; }
.keyfig span { color: var(--muted); font-size: 13px; }
nav.toc ol { columns: 2; margin: 8px 0; padding-left: 20px; }
nav.toc a { color: var(--accent); text-decoration: none; }
p.overall { font-size: 18px; }
figure { margin: 10px 0 16px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 2px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.gauge { width: 160px; }
svg.pillars { width: 640px; }
svg.sparkline { width: 160px; min-width: 100px; }
svg.meter { width: 60px; display: inline-block; vertical-align: middle; }
svg.status { width: 400px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; font-size: 12px; font-weight: 700; padding: 1px 7px;
  border-radius: 10px; color: #fff; background: var(--muted); text-transform: uppercase;
  letter-spacing: .02em; }
.badge.error { background: var(--poor); } .badge.warning { background: var(--fair); }
.badge.info { background: var(--accent); } .badge.waived { background: #6b5b95; }
.badge.critical { background: var(--poor); }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--muted);
  border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.finding.error { border-left-color: var(--poor); }
.finding.warning { border-left-color: var(--fair); }
.finding.info { border-left-color: var(--accent); }
.finding.waived { border-left-color: #6b5b95; background: #faf8fd; }
.finding h4 { margin: 0 0 4px; font-size: 15px; }
.finding p { margin: 4px 0; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px;
  margin: 6px 0 0; font-size: 14px; }
.finding dt { color: var(--muted); } .finding dd { margin: 0; }
.pillar-why { font-style: italic; color: var(--muted); }
.status-expired, .status-incomplete { color: var(--poor); font-weight: 700; }
.status-expiring, .status-unused { color: var(--fair); font-weight: 700; }
.status-active { color: var(--good); font-weight: 700; }
.kstatus-met, .kstatus-on_track { color: var(--good); font-weight: 700; }
.kstatus-off_track { color: var(--poor); font-weight: 700; }
.score-facts p { margin: 2px 0; } .score-facts .band { font-size: 18px; }
.score-facts .cap { color: var(--poor); max-width: 220px; font-size: 13px; }
.founder { font-weight: 700; color: var(--poor); }
.no-backup { color: var(--poor); font-weight: 700; }
code { font-size: 13px; background: var(--soft); padding: 0 4px; border-radius: 3px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px;
  border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .cover { break-after: page; border-bottom: none; }
  nav.toc { break-inside: avoid; }
  section.major { break-before: page; }
  section > p.lead { break-after: avoid; }
  h2, h3, h4 { break-after: avoid; }
  figure, svg.chart, tr, .finding, .keyfigs, .cover dl { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  table { font-size: 9pt; }
  th, td { padding: 3px 5px; }
  svg.sparkline { width: 110px; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class _Html(ScoreHtml, FindingsHtml, ScheduleHtml, ActualHtml, CompanyHtml):
    """The report's sections as HTML, in the report's language (one mixin per group of
    sections: html_score, html_findings, html_schedule, html_company)."""

    def what_ran(self) -> str:
        """What ran: the view, the rules in force, every change to the default pack's
        rules with its pack, the digests (so a reader can recompute: `releve verify`)."""
        from releve.tui.render.check import ran_labels

        items = "".join(f"<li>{_e(line.strip())}</li>" for line in self.r.ran_lines())
        title = ran_labels(self.lang)["md_ran_title"]
        return (
            f'<section id="provenance" class="major"><h2>{_e(title)}</h2><ul>{items}</ul></section>'
        )

    def provenance_meta(self) -> str:
        """The provenance (tui.report.Report.provenance) as a meta element: data for
        `releve verify`, never run (the report holds no script)."""
        import json

        from releve.tui.report import PROVENANCE_ID

        data = json.dumps(self.r.provenance(), ensure_ascii=True, sort_keys=True)
        return f'<meta name="{PROVENANCE_ID}" content="{_e(data)}">'

    def document(self) -> str:
        r = self.r
        company = (
            self.plan.company.name
            if self.plan.company and self.plan.company.name
            else self.plan.mission.id
        )
        footer = _e(
            self.t(
                "generated_by", version=r.version or "", plan=r.plan_name, as_of=r.as_of.isoformat()
            )
        )
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{self.lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="generator" content="releve {_e(r.version)}">'
            + self.provenance_meta()
            + f"<title>{_e(self.t('title'))} — {_e(company)}</title>"
            f"<style>{CSS}</style></head><body>"
            + self.cover()
            + "<main>"
            + self.score()
            + self.findings()
            + self.waivers()
            + self.schedule()
            + self.actual()
            + self.transfer()
            + self.dependence()
            + self.kpis()
            + self.signals()
            + self.what_ran()
            + f"</main><footer>{footer}</footer></body></html>\n"
        )


def render_html(report: Report) -> str:
    """The whole report as one HTML5 document."""
    # Control characters from the plan's text are cleaned from the whole document (the
    # renderer writes none of its own but line feeds).
    return clean_controls(_Html(report).document())
