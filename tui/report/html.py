"""The readiness report as one self-contained HTML5 file: inline CSS and SVG, A4 print styles.

No network: no script, no external style sheet, font or image, and a Content-Security-Policy
that forbids loading anything. Every value from the plan is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import quote

from releve.rules.result import Finding
from releve.tui.report import Report, add_days, chart_last, clean_controls, percent_of, strings, svg

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


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


class _Html:
    """The report's sections as HTML, in the report's language."""

    def __init__(self, report: Report) -> None:
        self.r = report
        self.lang = report.lang
        self.plan = report.plan

    # --- helpers ---------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return strings.t(self.lang, key, **values)

    def fill(self, key: str, **markup: object) -> str:
        """A sentence of the report with HTML (already escaped) in its placeholders."""
        return strings.fill(self.lang, key, _e, **markup)

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return _e(self.t("unknown"))
        return f'<time datetime="{day.isoformat()}">{_e(strings.long_date(self.lang, day))}</time>'

    def num(self, value: float | None, unit: str | None = None) -> str:
        return _e(strings.number(self.lang, value, unit))

    def table(self, cls: str, head: list[tuple[str, str]], rows: list[list[str]]) -> str:
        """head: (label, css class) pairs; rows: cells already escaped."""
        ths = "".join(
            f'<th scope="col" class="{c}">{_e(h)}</th>' if c else f'<th scope="col">{_e(h)}</th>'
            for h, c in head
        )
        body = []
        for row in rows:
            tds = "".join(
                f'<td class="{head[i][1]}">{cell}</td>' if head[i][1] else f"<td>{cell}</td>"
                for i, cell in enumerate(row)
            )
            body.append(f"<tr>{tds}</tr>")
        return (
            f'<table class="{cls}"><thead><tr>{ths}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )

    # --- sections ------------------------------------------------------------------------
    def cover(self) -> str:
        p, r = self.plan, self.r
        company = p.company.name if p.company and p.company.name else p.mission.id
        kind = p.exit.kind.value if p.exit and p.exit.kind else "none"
        items = [
            ("company", self.t("company"), _e(company)),
        ]
        if p.company and p.company.sector:
            items.append(("sector", self.t("sector"), _e(p.company.sector)))
        if p.company and p.company.headcount is not None:
            items.append(("headcount", self.t("headcount"), self.num(p.company.headcount)))
        mission = _e(p.mission.title or p.mission.id)
        if p.mission.title:
            mission += f" <code>{_e(p.mission.id)}</code>"
        items += [
            ("mission", self.t("mission"), mission),
            ("mission_start", self.t("mission_start"), self.date(p.mission.start)),
            ("status", self.t("status"), _e(strings.label(self.lang, "mstatus", p.mission.status))),
            ("coo", self.t("coo"), _e(p.coo.name if p.coo and p.coo.name else self.t("unknown"))),
            ("firm", self.t("firm"), _e(p.coo.firm if p.coo and p.coo.firm else self.t("unknown"))),
            ("exit", self.t("exit"), _e(strings.label(self.lang, "exit", kind))),
            (
                "target_date",
                self.t("target_date"),
                self.date(p.exit.target_date if p.exit else None),
            ),
            ("as_of", self.t("as_of"), self.date(r.as_of)),
            ("packs", self.t("packs"), _e(", ".join(r.result.packs) or self.t("none"))),
            ("plan_file", self.t("plan_file"), f"<code>{_e(r.plan_name)}</code>"),
        ]
        dl = "".join(
            f'<dt>{_e(label)}</dt><dd data-field="{key}">{value}</dd>'
            for key, label, value in items
        )
        counts = r.result.counts()
        score = r.result.score.overall
        shown = "–" if score is None else str(score)
        figs = [
            (str(counts[k]), strings.counted(self.lang, k, counts[k]), k)
            for k in ("error", "warning", "info", "waived")
        ]
        gauge = svg.score_gauge(score or 0, self.t("score.overall"))
        keyfigs = "".join(
            f'<div class="keyfig" data-count="{k}"><b>{_e(v)}</b><span>{_e(label)}</span></div>'
            for v, label, k in figs
        )
        toc = "".join(
            f'<li><a href="#{sid}">{_e(self.t(key))}</a></li>'
            for sid, key in (
                ("score", "score.h"),
                ("findings", "findings.h"),
                ("waivers", "waivers.h"),
                ("schedule", "schedule.h"),
                ("transfer", "transfer.h"),
                ("dependence", "dependence.h"),
                ("kpis", "kpis.h"),
                ("signals", "signals.h"),
            )
        )
        return (
            f'<header id="cover" class="cover"><h1>{_e(self.t("title"))}</h1>'
            f'<p class="subtitle">{_e(self.t("subtitle." + kind))}</p>'
            f'<p class="company">{_e(company)}</p>'
            f'<div class="cover-grid"><dl>{dl}</dl>'
            f'<figure class="gauge" data-score="{shown}">{gauge if score is not None else ""}'
            f"<figcaption>{_e(self.t('score.overall'))}{self.t('colon')}"
            + (f"{score} / 100" if score is not None else _e(self._not_assessed()))
            + "</figcaption></figure>"
            "</div>"
            f'<div class="keyfigs">{keyfigs}</div>'
            f'<nav class="toc"><h2>{_e(self.t("contents"))}</h2><ol>{toc}</ol></nav>'
            "</header>"
        )

    def _not_assessed(self) -> str:
        from releve.tui.render.check import ran_labels

        return str(ran_labels(self.lang)["not_assessed"])

    def score(self) -> str:
        r = self.r
        overall = r.result.score.overall
        rows = [(strings.label(self.lang, "pillar", p), s) for p, s in r.pillar_scores()]
        bars = svg.pillar_bars(rows, self.t("score.pillars"), self.t("score.no_rules"))
        costs = r.cost_rows()
        out = [
            f'<section id="score" class="major"><h2>{_e(self.t("score.h"))}</h2>',
            f'<p class="lead">{_e(self.t("score.lead"))}</p>',
            (
                f'<p class="overall">{_e(self.t("score.overall"))}{self.t("colon")}'
                + (
                    f"<b>{overall} / 100</b></p>"
                    if overall is not None
                    else f"<b>{_e(self._not_assessed())}</b></p>"
                )
            ),
            (
                f'<figure class="pillars">{bars}<figcaption>{_e(self.t("score.pillars"))}'
                "</figcaption></figure>"
            ),
        ]
        out.append(f'<h3 id="costs">{_e(self.t("costs.h"))}</h3>')
        if not costs:
            out.append(f'<p class="none">{_e(self.t("costs.none"))}</p>')
        else:
            strip = svg.lost_points_bar(
                overall, [(c.rule, c.points) for c in costs], self.t("costs.h")
            )
            out.append(f"<figure>{strip}</figure>")
            rows2 = [
                [
                    f"<code>{_e(c.rule)}</code> {_e(c.title)}",
                    _e(strings.label(self.lang, "pillar", c.pillar)),
                    f"−{self.num(round(c.points, 1))}",
                    str(c.open_findings),
                ]
                for c in costs
            ]
            total = sum(c.points for c in costs)
            rows2.append(
                [
                    f"<b>{_e(self.t('costs.total'))}</b>",
                    "",
                    f"<b>−{self.num(round(total, 1))}</b>",
                    "",
                ]
            )
            out.append(
                self.table(
                    "costs",
                    [
                        (self.t("costs.rule"), ""),
                        (self.t("costs.pillar"), ""),
                        (self.t("costs.points"), "num"),
                        (self.t("costs.findings"), "num"),
                    ],
                    rows2,
                )
            )
        out.append("</section>")
        return "".join(out)

    def finding(self, f: Finding) -> str:
        sev = f.severity.value
        classes = f"finding {sev}" + (" waived" if f.waived else "")
        badges = f'<span class="badge {sev}">{_e(strings.label(self.lang, "severity", sev))}'
        badges += "</span>"
        if f.waived:
            badges += f' <span class="badge waived">{_e(self.t("findings.waived"))}</span>'
        where = f"<code>{_e(f.path)}</code>" if f.path else ""
        if f.target:
            where += f" · <code>{_e(strings.target_label(self.lang, f.target))}</code>"
        if f.line:
            where += f" · {_e(self.t('line', line=f.line))}"
        dl = []
        why = self.r.why.get(f.rule)
        if why:
            dl.append(f'<dt>{_e(self.t("findings.why"))}</dt><dd class="why">{_e(why)}</dd>')
        if f.fix:
            dl.append(f'<dt>{_e(self.t("findings.fix"))}</dt><dd class="fix">{_e(f.fix)}</dd>')
        if where:
            dl.append(f"<dt>{_e(self.t('findings.where'))}</dt><dd>{where}</dd>")
        waiver = ""
        if f.waived:
            waiver = (
                '<p class="waiver-note">'
                + _e(
                    self.t(
                        "findings.waived_by",
                        owner=f.waiver_owner or self.t("unknown"),
                        expires=strings.long_date(self.lang, f.waiver_expires)
                        if f.waiver_expires
                        else self.t("unknown"),
                        reason=f.waiver_reason or self.t("unknown"),
                    )
                )
                + "</p>"
            )
        return (
            f'<article class="{classes}" data-rule="{_e(f.rule)}" data-target="{_e(f.target)}">'
            f"<h4>{badges} <code>{_e(f.rule)}</code> {_e(f.title)}</h4>"
            f'<p class="message">{_e(f.message)}</p>{waiver}<dl>{"".join(dl)}</dl></article>'
        )

    def findings(self) -> str:
        out = [f'<section id="findings" class="major"><h2>{_e(self.t("findings.h"))}</h2>']
        groups = self.r.findings_by_pillar()
        if not self.r.result.findings:
            out.append(f'<p class="none">{_e(self.t("findings.all_clear"))}</p>')
        scores = self.r.result.score.pillars
        for pillar, items in groups:
            score = scores.get(pillar)
            suffix = f" — {score} / 100" if score is not None else ""
            out.append(
                f'<div class="pillar" data-pillar="{_e(pillar)}">'
                f"<h3>{_e(strings.label(self.lang, 'pillar', pillar))}{_e(suffix)}</h3>"
            )
            why = strings.pillar_why(self.lang, pillar)
            if why:
                out.append(f'<p class="pillar-why">{_e(why)}</p>')
            if not items:
                out.append(f'<p class="none">{_e(self.t("findings.none"))}</p>')
            out += [self.finding(f) for f in items]
            out.append("</div>")
        out.append("</section>")
        return "".join(out)

    def waivers(self) -> str:
        out = [
            f'<section id="waivers"><h2>{_e(self.t("waivers.h"))}</h2>',
            f'<p class="lead">{_e(self.t("waivers.lead"))}</p>',
        ]
        rows = self.r.waiver_rows()
        if not rows:
            out.append(f'<p class="none">{_e(self.t("waivers.none"))}</p>')
        else:
            cells = [
                [
                    f"<code>{_e(w.waiver.rule)}</code>",
                    f"<code>{_e(w.waiver.target)}</code>"
                    if w.waiver.target
                    else _e(self.t("waivers.all")),
                    _e(w.waiver.reason or self.t("unknown")),
                    _e(w.waiver.owner or self.t("unknown")),
                    self.date(w.waiver.expires),
                    (
                        f'<span class="status-{w.status}">'
                        f"{_e(strings.t(self.lang, 'wstatus.' + w.status))}</span>"
                    ),
                    str(w.waived),
                ]
                for w in rows
            ]
            out.append(
                self.table(
                    "waivers",
                    [
                        (self.t("waivers.rule"), ""),
                        (self.t("waivers.target"), ""),
                        (self.t("waivers.reason"), ""),
                        (self.t("waivers.owner"), ""),
                        (self.t("waivers.expires"), ""),
                        (self.t("waivers.status"), ""),
                        (self.t("waivers.waives"), "num"),
                    ],
                    cells,
                )
            )
        out.append("</section>")
        return "".join(out)

    def gantt(self) -> list[str]:
        r = self.r
        first, last = r.chart_span()
        lang = self.lang
        bands = [
            svg.Band(p.start, p.end, p.label or strings.label(lang, "nw", p.kind), p.kind)
            for p in r.visible_off()
        ]
        markers = []
        target = r.target_date()
        if target:
            markers.append(
                svg.Marker(
                    target,
                    f"{self.t('schedule.target')} {target.day} {strings.month_label(lang, target)}",
                    svg.CRIT,
                )
            )
        markers.append(
            svg.Marker(
                r.as_of,
                f"{self.t('schedule.today')} {r.as_of.day} {strings.month_label(lang, r.as_of)}",
                "#2b6cb0",
            )
        )
        legend = [
            (svg.BAR, self.t("schedule.booked")),
            (svg.CRIT, self.t("schedule.critical_path")),
        ]
        kinds = sorted({b.kind for b in bands})
        legend += [
            (svg.OFF_FILL.get(k, svg.OFF_FILL["closure"]), strings.label(lang, "nw", k))
            for k in kinds
        ]
        rows = []
        for pr in r.phase_rows():
            name = pr.phase.name or pr.phase.id
            slot = pr.slot
            if slot is None:
                rows.append(svg.Row(name))
                continue
            tip = (
                f"{name}: {slot.start.isoformat()} → {slot.end.isoformat()}, {slot.effort_days} j/d"
            )
            if slot.effort_days == 0:
                rows.append(
                    svg.Row(name, milestone=slot.start, critical=slot.critical, tooltip=tip)
                )
            else:
                rows.append(
                    svg.Row(
                        name,
                        span=(slot.start, slot.end),
                        runs=svg.runs_of(slot.days),
                        critical=slot.critical,
                        tooltip=tip,
                    )
                )
        timeline = svg.Timeline(first, last, lang, bands=bands, markers=markers, legend=legend)
        return timeline.render(rows, "gantt", self.t("schedule.chart"))

    def schedule(self) -> str:
        r, s = self.r, self.r.schedule
        out = [
            f'<section id="schedule" class="major"><h2>{_e(self.t("schedule.h"))}</h2>',
            f'<p class="lead">{_e(self.t("schedule.lead"))}</p>',
        ]
        facts = [
            self.fill(
                key,
                **{k: self.date(v) if isinstance(v, dt.date) else _e(v) for k, v in values.items()},
            )
            for key, values in r.schedule_facts()
        ]
        text = " ".join(facts)
        cls = "misses" if s.meets_target is False else "meets"
        out.append(f'<p class="schedule-facts {cls}">{text}</p>')
        if s.problems:
            items = "".join(f"<li>{_e(p.message)}</li>" for p in s.problems)
            out.append(
                f'<div class="problems"><p>{_e(self.t("schedule.problems"))}</p>'
                f"<ul>{items}</ul></div>"
            )
        if s.phases:
            for part in self.gantt():
                out.append(f'<figure class="gantt">{part}</figure>')
        else:
            out.append(f'<p class="none">{_e(self.t("schedule.empty"))}</p>')
        rows = []
        for pr in r.phase_rows():
            slot = pr.slot
            crit = (
                f'<span class="badge critical">{_e(self.t("schedule.critical"))}</span>'
                if slot and slot.critical
                else ""
            )
            rows.append(
                [
                    _e(pr.phase.name or pr.phase.id) + f" <code>{_e(pr.phase.id)}</code>",
                    _e(strings.label(self.lang, "kind", pr.phase.kind)),
                    self.date(slot.start if slot else None),
                    self.date(slot.end if slot else None),
                    str(pr.phase.effort_days),
                    str(slot.slack_days) if slot else _e(self.t("unknown")),
                    crit,
                ]
            )
        out.append(
            self.table(
                "phases",
                [
                    (self.t("schedule.phase"), ""),
                    (self.t("schedule.kind"), ""),
                    (self.t("schedule.start"), ""),
                    (self.t("schedule.end"), ""),
                    (self.t("schedule.effort"), "num"),
                    (self.t("schedule.slack"), "num"),
                    (self.t("schedule.critical"), ""),
                ],
                rows,
            )
        )
        command = r.ics_command()
        link = f'<a href="{_e(quote(r.ics_name))}">{_e(r.ics_name)}</a>'
        out.append(
            '<p class="ics">'
            + self.fill("schedule.ics", command=f"<code>{_e(command)}</code>", file=link)
            + "</p>"
        )
        off = r.visible_off()
        if off:
            out.append(f"<h3>{_e(self.t('schedule.nonworking_h'))}</h3>")
            rows = [
                [
                    self.date(p.start) + (" → " + self.date(p.end) if p.end != p.start else ""),
                    _e(p.label or strings.label(self.lang, "nw", p.kind)),
                    _e(strings.label(self.lang, "nw", p.kind)),
                ]
                for p in off
            ]
            out.append(
                self.table(
                    "nonworking",
                    [
                        (self.t("schedule.period"), ""),
                        (self.t("schedule.reason"), ""),
                        (self.t("schedule.kind"), ""),
                    ],
                    rows,
                )
            )
        out.append("</section>")
        return "".join(out)

    def transfer(self) -> str:
        r = self.r
        out = [
            f'<section id="transfer" class="major"><h2>{_e(self.t("transfer.h"))}</h2>',
            f'<p class="lead">{_e(self.t("transfer.lead"))}</p>',
        ]
        rows = r.transfer_rows()
        if not rows:
            out.append(f'<p class="none">{_e(self.t("transfer.none"))}</p>')
        else:
            counts = r.transfer_counts()
            out.append(
                '<p class="transfer-summary">'
                + _e(
                    self.t(
                        "transfer.summary",
                        done=counts["done"],
                        total=len(rows),
                        in_progress=counts["in_progress"],
                    )
                )
                + "</p>"
            )
            bar = svg.status_bar(
                [
                    (counts["done"], svg.GOOD, strings.label(self.lang, "tstatus", "done")),
                    (
                        counts["in_progress"],
                        svg.FAIR,
                        strings.label(self.lang, "tstatus", "in_progress"),
                    ),
                    (counts["planned"], svg.MUTED, strings.label(self.lang, "tstatus", "planned")),
                ],
                self.t("transfer.h"),
            )
            out.append(f'<figure class="transfer-status">{bar}</figure>')
            cells = []
            for x in rows:
                when = (
                    (self.date(x.start) + " → " + self.date(x.end))
                    if x.start
                    else _e(self.t("unknown"))
                )
                cells.append(
                    [
                        _e(x.transfer.topic or x.transfer.id),
                        _e(x.from_name),
                        _e(x.to_name),
                        _e(x.phase_name),
                        when,
                        _e(
                            strings.label(self.lang, "method", x.transfer.method)
                            if x.transfer.method
                            else self.t("unknown")
                        ),
                        (
                            f'<span class="tstatus-{x.transfer.status.value}">'
                            f"{_e(strings.label(self.lang, 'tstatus', x.transfer.status))}</span>"
                        ),
                    ]
                )
            out.append(
                self.table(
                    "transfers",
                    [
                        (self.t("transfer.topic"), ""),
                        (self.t("transfer.from"), ""),
                        (self.t("transfer.to"), ""),
                        (self.t("transfer.phase"), ""),
                        (self.t("transfer.when"), ""),
                        (self.t("transfer.method"), ""),
                        (self.t("transfer.status"), ""),
                    ],
                    cells,
                )
            )
        scope = self.plan.scope
        if scope and scope.successor:
            out.append(
                '<p class="successor">'
                + _e(self.t("transfer.successor", name=r.person_name(scope.successor)))
                + "</p>"
            )
        out.append("</section>")
        return "".join(out)

    def dependence(self) -> str:
        r = self.r
        out = [
            f'<section id="dependence"><h2>{_e(self.t("dependence.h"))}</h2>',
            f'<p class="lead">{_e(self.t("dependence.lead"))}</p>',
        ]
        rows = r.dependence_rows()
        if not rows:
            out.append(f'<p class="none">{_e(self.t("dependence.none"))}</p>')
        else:
            alone, total = r.founder_share()
            share = strings.percent(self.lang, alone / total)
            out.append(
                '<p class="founder-share">'
                + _e(self.t("dependence.share", count=alone, total=total, share=share))
                + "</p>"
            )
            for part in self.dependence_map(rows):
                out.append(f'<figure class="dependence-map">{part}</figure>')
            cells = []
            for x in rows:
                owner = _e(x.owner_name)
                if x.owner_is_founder:
                    owner = (
                        f'<span class="founder">{owner}</span> ({_e(self.t("dependence.founder"))})'
                    )
                backup = (
                    _e(x.backup_name)
                    if x.backup_name
                    else f'<span class="no-backup">{_e(self.t("dependence.no_backup"))}</span>'
                )
                doc, auto = x.process.documentation, x.process.automation
                cells.append(
                    [
                        owner,
                        _e(x.process.name or x.process.id),
                        backup,
                        svg.level_meter(doc, f"{self.t('dependence.documentation')}: {doc}")
                        + f' <span data-level="{doc if doc is not None else ""}">'
                        f"{_e(doc if doc is not None else self.t('unknown'))}/4</span>",
                        _e(f"{auto}/4" if auto is not None else self.t("unknown")),
                    ]
                )
            out.append(
                self.table(
                    "dependence",
                    [
                        (self.t("dependence.owner"), ""),
                        (self.t("dependence.process"), ""),
                        (self.t("dependence.backup"), ""),
                        (self.t("dependence.documentation"), ""),
                        (self.t("dependence.automation"), ""),
                    ],
                    cells,
                )
            )
        out.append("</section>")
        return "".join(out)

    def dependence_map(self, rows: list) -> list[str]:
        groups: list[tuple[str, bool, list[svg.Tile]]] = []
        for x in rows:
            if not groups or groups[-1][0] != x.owner_name:
                groups.append((x.owner_name, x.owner_is_founder, []))
            backup = x.backup_name or self.t("dependence.no_backup")
            name = x.process.name or x.process.id
            groups[-1][2].append(
                svg.Tile(
                    name,
                    x.process.documentation,
                    x.backup_name is not None,
                    f"{name} — {self.t('dependence.backup')}{self.t('colon')}{backup}",
                )
            )
        legend = [
            (svg.DOC_FILL[1], "0–1", False),
            (svg.DOC_FILL[2], "2", False),
            (svg.DOC_FILL[3], "3–4", False),
            ("", self.t("dependence.no_backup"), True),
        ]
        return svg.dependence_map(
            groups, self.t("dependence.h"), legend, self.t("dependence.documentation")
        )

    def kpis(self) -> str:
        r = self.r
        out = [
            f'<section id="kpis" class="major"><h2>{_e(self.t("kpis.h"))}</h2>',
            f'<p class="lead">{_e(self.t("kpis.lead"))}</p>',
        ]
        rows = r.kpi_rows()
        if not rows:
            out.append(f'<p class="none">{_e(self.t("kpis.none"))}</p>')
        else:
            cells = []
            for x in rows:
                k = x.kpi
                latest = self.num(x.latest, k.unit)
                if x.latest_on:
                    latest += (
                        "<br><small>"
                        + self.fill("kpis.measured_on", date=self.date(x.latest_on))
                        + "</small>"
                    )
                progress = (
                    self.num(percent_of(x.progress), "%")
                    if x.progress is not None
                    else _e(self.t("unknown"))
                )
                spark = svg.sparkline(x.points, k.target, k.name or k.id)
                name = _e(k.name or k.id)
                if k.direction:
                    name += f"<br><small>{_e(self.t('kpis.direction.' + k.direction.value))}"
                    name += "</small>"
                cells.append(
                    [
                        name,
                        _e(
                            strings.label(self.lang, "category", k.category)
                            if k.category
                            else self.t("unknown")
                        ),
                        self.num(k.baseline, k.unit),
                        latest,
                        self.num(k.target, k.unit),
                        progress,
                        spark or _e(self.t("unknown")),
                        _e(k.source or self.t("unknown"))
                        + "<br><small>"
                        + _e(r.person_name(k.owner))
                        + "</small>",
                    ]
                )
            out.append(
                self.table(
                    "kpis",
                    [
                        (self.t("kpis.name"), ""),
                        (self.t("kpis.category"), ""),
                        (self.t("kpis.baseline"), "num"),
                        (self.t("kpis.latest"), "num"),
                        (self.t("kpis.target"), "num"),
                        (self.t("kpis.progress"), "num"),
                        (self.t("kpis.trend"), ""),
                        (self.t("kpis.source"), ""),
                    ],
                    cells,
                )
            )
        out.append("</section>")
        return "".join(out)

    def signals_chart(self) -> list[str]:
        r, lang = self.r, self.lang
        signals, irritants = r.signals(), r.irritant_rows()
        days = [r.plan.mission.start, r.as_of] + [s.on for s in signals]
        days += [d for i in irritants for d in (i.opened, i.closed) if d]
        first = min(days)
        last = chart_last(first, max(add_days(max(days), 7), add_days(first, 28)))
        rows = []
        for level in (3, 2, 1):
            dots = tuple(
                (
                    s.on,
                    svg.LEVEL_COLOR[level],
                    f"{s.on.isoformat()} · {strings.label(lang, 'signal', s.kind)}"
                    + (f" · {s.note}" if s.note else ""),
                )
                for s in signals
                if s.level == level
            )
            rows.append(svg.Row(f"{self.t('signals.level')} {level}", dots=dots))
        for i in irritants:
            if i.opened is None:
                rows.append(svg.Row(i.title))
                continue
            end = i.closed or r.as_of
            rows.append(
                svg.Row(
                    i.title,
                    runs=((i.opened, max(end, i.opened)),),
                    critical=i.closed is None,
                    open_end=i.closed is None,
                    tooltip=f"{i.title}: {i.days_open} j/d",
                )
            )
        legend = [
            (svg.LEVEL_COLOR[3], f"{self.t('signals.level')} 3"),
            (svg.LEVEL_COLOR[2], f"{self.t('signals.level')} 2"),
            (svg.LEVEL_COLOR[1], f"{self.t('signals.level')} 1"),
            (svg.BAR, self.t("irritants.closed_legend")),
            (svg.CRIT, self.t("irritants.open_legend")),
        ]
        marker = svg.Marker(
            r.as_of,
            f"{self.t('schedule.today')} {r.as_of.day} {strings.month_label(lang, r.as_of)}",
            "#2b6cb0",
        )
        timeline = svg.Timeline(first, last, lang, markers=[marker], legend=legend)
        return timeline.render(rows, "signals", self.t("signals.chart"))

    def signals(self) -> str:
        r = self.r
        out = [
            f'<section id="signals" class="major"><h2>{_e(self.t("signals.h"))}</h2>',
            f'<p class="lead">{_e(self.t("signals.lead"))}</p>',
        ]
        signals, irritants = r.signals(), r.irritant_rows()
        if signals or irritants:
            for part in self.signals_chart():
                out.append(f'<figure class="signals-chart">{part}</figure>')
        if not signals:
            out.append(f'<p class="none">{_e(self.t("signals.none"))}</p>')
        else:
            cells = [
                [
                    self.date(s.on),
                    _e(strings.label(self.lang, "signal", s.kind)),
                    str(s.level),
                    _e(s.note or ""),
                ]
                for s in signals
            ]
            out.append(
                self.table(
                    "signals",
                    [
                        (self.t("signals.on"), ""),
                        (self.t("signals.kind"), ""),
                        (self.t("signals.level"), "num"),
                        (self.t("signals.note"), ""),
                    ],
                    cells,
                )
            )
        out.append(f"<h3>{_e(self.t('irritants.h'))}</h3>")
        if not irritants:
            out.append(f'<p class="none">{_e(self.t("irritants.none"))}</p>')
        else:
            cells = [
                [
                    _e(i.title),
                    self.date(i.opened),
                    self.date(i.closed) if i.closed else f"<b>{_e(self.t('irritants.open'))}</b>",
                    _e(i.days_open if i.days_open is not None else self.t("unknown")),
                    _e(i.owner_name),
                ]
                for i in irritants
            ]
            out.append(
                self.table(
                    "irritants",
                    [
                        (self.t("irritants.title"), ""),
                        (self.t("irritants.opened"), ""),
                        (self.t("irritants.closed"), ""),
                        (self.t("irritants.days"), "num"),
                        (self.t("irritants.owner"), ""),
                    ],
                    cells,
                )
            )
        out.append("</section>")
        return "".join(out)

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
