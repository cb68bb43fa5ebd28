"""The HTML report's cover and score section."""

from __future__ import annotations

from releve.rules.result import FRAMING_PILLARS
from releve.tui.render.score_words import (
    band_label,
    caps_phrase,
    coverage_of,
    headline,
    percent,
    word,
)
from releve.tui.report import strings, svg
from releve.tui.report.html_base import HtmlBase, _e
from releve.tui.report.score_view import (
    CostLine,
    FigureCosts,
    figure_costs,
    weight_grade_text,
)


class ScoreHtml(HtmlBase):
    """The cover (band, cap, framing, coverage) and the score section."""

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
        sc = r.result.score
        score = sc.overall
        shown = "–" if score is None else str(score)
        figs = [
            (str(counts[k]), strings.counted(self.lang, k, counts[k]), k)
            for k in ("error", "warning", "info", "waived")
        ]
        gauge = svg.score_gauge(score or 0, self.t("score.overall"), sc.band)
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
            f'<figure class="gauge" data-score="{shown}" data-band="{_e(sc.band)}">'
            f"{gauge if score is not None else ''}"
            f"<figcaption>{_e(self.t('score.overall'))}{self.t('colon')}"
            + (f"{score} / 100" if score is not None else _e(self._not_assessed()))
            + "</figcaption>"
            + self.score_facts()
            + "</figure>"
            "</div>"
            f'<div class="keyfigs">{keyfigs}</div>'
            f'<nav class="toc"><h2>{_e(self.t("contents"))}</h2><ol>{toc}</ol></nav>'
            "</header>"
        )

    def _not_assessed(self) -> str:
        """Why readiness has no figure: too little evidence, or no weighted rule."""
        return headline(self.lang, self.r.result.score).figure

    def score_facts(self) -> str:
        """Under the readiness figure: its band (coloured as on the gauge), the findings
        that cap it, the figure without waivers where a waiver counts, the coverage, and
        framing beside it."""
        sc, lang = self.r.result.score, self.lang
        colour = svg.band_color(sc.band)
        out = [
            f'<p class="band" data-band="{_e(sc.band)}" style="color:{colour}">'
            f"<b>{_e(band_label(lang, sc.band))}</b></p>"
        ]
        cap = caps_phrase(lang, sc)
        if cap:
            out.append(f'<p class="cap">{_e(cap)}</p>')
        if sc.overall is not None and sc.without_waivers not in (None, sc.overall):
            ww = word(lang, "without_waivers", score=sc.without_waivers)
            out.append(f'<p class="without-waivers">{_e(ww)}</p>')
        cov = coverage_of(sc)
        if cov is not None:
            out.append(
                f'<p class="coverage">{_e(word(lang, "coverage", pct=percent(lang, cov)))}</p>'
            )
        if sc.framing is not None:
            out.append(
                f'<p class="framing" data-framing="{sc.framing}">'
                f"{_e(self.t('score.framing'))}{self.t('colon')}{sc.framing} / 100</p>"
            )
        return f'<div class="score-facts">{"".join(out)}</div>'

    def score(self) -> str:
        r, sc = self.r, self.r.result.score
        overall = sc.overall
        head = headline(self.lang, sc)
        out = [
            f'<section id="score" class="major"><h2>{_e(self.t("score.h"))}</h2>',
            f'<p class="lead">{_e(self.t("score.lead"))}</p>',
            (
                f'<p class="overall" data-band="{_e(sc.band)}">'
                f"{_e(self.t('score.overall'))}{self.t('colon')}"
                + (
                    f"<b>{overall} / 100</b>"
                    if overall is not None
                    else f"<b>{_e(self._not_assessed())}</b>"
                )
                + (f" ({_e(head.detail)})" if head.detail else "")
                + "</p>"
            ),
        ]
        if head.extras:
            out.append(f'<p class="score-extras">{_e(" · ".join(head.extras))}</p>')
        for key, group in (
            ("readiness_pillars", [x for x in r.pillar_scores() if x[0] not in FRAMING_PILLARS]),
            ("framing_pillars", [x for x in r.pillar_scores() if x[0] in FRAMING_PILLARS]),
        ):
            rows = [(strings.label(self.lang, "pillar", p), s) for p, s in group]
            title = self.t(f"score.{key}")
            bars = svg.pillar_bars(rows, title, self.t("score.no_rules"))
            out.append(
                f'<figure class="pillars" data-figure="{key.split("_")[0]}">{bars}'
                f"<figcaption>{_e(title)}</figcaption></figure>"
            )
        figures = figure_costs(r)
        if not any(f.rows or f.cap for f in figures):
            out.append(f'<h3 id="costs">{_e(self.t("costs.h"))}</h3>')
            out.append(f'<p class="none">{_e(self.t("costs.none"))}</p>')
        for fc in figures:
            if fc.rows or fc.cap:
                out += self.figure_costs(fc)
        out.append("</section>")
        return "".join(out)

    def figure_costs(self, fc: FigureCosts) -> list[str]:
        """One figure's lost points: a strip, a table (each rule, the rules' sum, the cap,
        the total) and the sum that gives the figure shown."""
        sid = "costs" if fc.figure == "readiness" else "framing-costs"
        title = self.t(f"costs.{fc.figure}_h")
        out = [f'<h3 id="{sid}">{_e(title)}</h3>']
        band = self.r.result.score.band if fc.figure == "readiness" else None
        segments = [(c.rule, c.points) for c in fc.rows]
        if fc.cap:
            segments.append((" ".join(r for r, _ in fc.cap_rules), fc.cap))
        strip = svg.lost_points_bar(max(0.0, fc.exact), segments, title, band)
        out.append(f"<figure>{strip}</figure>")
        rows = [
            [
                f"<code>{_e(c.rule)}</code> {_e(c.title)}",
                _e(strings.label(self.lang, "pillar", c.pillar)),
                self.weight_grade(c),
                f"−{self.num(round(c.points, 2))}",
                str(c.open_findings),
            ]
            for c in fc.rows
        ]
        if fc.cap:
            rows.append(
                [
                    f"<b>{_e(self.t('costs.lost_rules'))}</b>",
                    "",
                    "",
                    f"<b>−{self.num(round(fc.lost, 2))}</b>",
                    "",
                ]
            )
            caps = ", ".join(word(self.lang, "cap_item", rule=r, title=t) for r, t in fc.cap_rules)
            rows.append(
                [
                    f'<span class="cap">{_e(self.t("costs.cap", rules=caps, ready=fc.ready))}</span>',
                    "",
                    "",
                    f"−{self.num(round(fc.cap, 2))}",
                    "",
                ]
            )
        rows.append(
            [
                f"<b>{_e(self.t('costs.total'))}</b>",
                "",
                "",
                f"<b>−{self.num(round(fc.total, 2))}</b>",
                "",
            ]
        )
        out.append(
            self.table(
                "costs",
                [
                    (self.t("costs.rule"), ""),
                    (self.t("costs.pillar"), ""),
                    (self.t("costs.weight"), "num"),
                    (self.t("costs.points"), "num"),
                    (self.t("costs.findings"), "num"),
                ],
                rows,
            )
        )
        if fc.value is not None:
            out.append(f'<p class="costs-sum">{_e(self.sum_sentence(fc))}</p>')
        return out

    def weight_grade(self, c: CostLine) -> str:
        """``4 × 0.4 (2 of 5)``: the weight, the grade, and the facts behind the grade."""
        text = weight_grade_text(self.lang, c)
        return _e(text)

    def sum_sentence(self, fc: FigureCosts) -> str:
        lost = strings.number(self.lang, round(fc.total, 2))
        if fc.rounded:
            exact = strings.number(self.lang, round(fc.exact, 2))
            return self.t("costs.sum_rounded", lost=lost, exact=exact, value=fc.value)
        return self.t("costs.sum", lost=lost, value=fc.value)
