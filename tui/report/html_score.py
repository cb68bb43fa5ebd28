"""The HTML report's cover and score section."""

from __future__ import annotations

from releve.tui.report import strings, svg
from releve.tui.report.html_base import HtmlBase, _e


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
