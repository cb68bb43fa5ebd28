"""The Markdown report's cover and score section."""

from __future__ import annotations

from releve.rules.result import FRAMING_PILLARS
from releve.tui.render.score_words import headline, word
from releve.tui.report import strings
from releve.tui.report.md_base import (
    MdBase,
    bar,
    code,
    md,
)
from releve.tui.report.score_view import (
    CostLine,
    FigureCosts,
    figure_costs,
    weight_grade_text,
)

#: The band's colour, as a mark before the readiness figure (Markdown has no colour).
BAND_MARK = {"ready": "🟢", "to_secure": "🟠", "not_ready": "🔴", "not_assessed": "⚪"}


class ScoreMd(MdBase):
    """The cover (band, cap, framing, coverage) and the score section."""

    def cover(self) -> None:
        p, r = self.plan, self.r
        company = p.company.name if p.company and p.company.name else p.mission.id
        kind = p.exit.kind.value if p.exit and p.exit.kind else "none"
        self.line(f"# {md(self.t('title'))} — {md(company)}")
        self.line()
        self.line(f"*{md(self.t('subtitle.' + kind))}*")
        self.line()
        rows = [[md(self.t("company")), md(company)]]
        if p.company and p.company.sector:
            rows.append([md(self.t("sector")), md(p.company.sector)])
        if p.company and p.company.headcount is not None:
            rows.append([md(self.t("headcount")), self.num(p.company.headcount)])
        mission = md(p.mission.title or p.mission.id)
        if p.mission.title:
            mission += f" ({code(p.mission.id)})"
        rows += [
            [md(self.t("mission")), mission],
            [md(self.t("mission_start")), self.date(p.mission.start)],
            [md(self.t("status")), md(strings.label(self.lang, "mstatus", p.mission.status))],
            [md(self.t("coo")), md(p.coo.name if p.coo and p.coo.name else self.t("unknown"))],
            [md(self.t("firm")), md(p.coo.firm if p.coo and p.coo.firm else self.t("unknown"))],
            [md(self.t("exit")), md(strings.label(self.lang, "exit", kind))],
            [md(self.t("target_date")), self.date(p.exit.target_date if p.exit else None)],
            [md(self.t("as_of")), self.date(r.as_of)],
            [md(self.t("packs")), md(", ".join(r.result.packs) or self.t("none"))],
            [md(self.t("plan_file")), code(r.plan_name)],
        ]
        self.table([("", "l"), ("", "l")], rows)
        counts = r.result.counts()
        sc = r.result.score
        head = headline(self.lang, sc)
        shown = f"{sc.overall} / 100" if sc.overall is not None else md(head.figure)
        first = f"{BAND_MARK.get(sc.band, '')} **{md(self.t('score.overall'))}{self.t('colon')}"
        first += f"{shown}**"
        if head.detail:
            first += f" ({md(head.detail)})"
        parts = [first.strip(), *(md(x) for x in head.extras)]
        parts += [
            f"{counts[k]} {md(strings.counted(self.lang, k, counts[k]))}"
            for k in ("error", "warning", "info", "waived")
        ]
        self.line(" · ".join(parts))
        self.line()

    def score(self) -> None:
        r, sc = self.r, self.r.result.score
        head = headline(self.lang, sc)
        self.line(f"## {md(self.t('score.h'))}")
        self.line()
        self.line(md(self.t("score.lead")))
        self.line()
        shown = f"{sc.overall} / 100" if sc.overall is not None else md(head.figure)
        line = f"**{md(self.t('score.overall'))}{self.t('colon')}{shown}**"
        if head.detail:
            line += f" ({md(head.detail)})"
        self.line(" · ".join((line, *(md(x) for x in head.extras))))
        self.line()
        for key, framing in (("readiness_pillars", False), ("framing_pillars", True)):
            rows = []
            for pillar, score in r.pillar_scores():
                if (pillar in FRAMING_PILLARS) != framing:
                    continue
                name = md(strings.label(self.lang, "pillar", pillar))
                if score is None:
                    rows.append([name, md(self.t("unknown")), md(self.t("score.no_rules"))])
                else:
                    rows.append([name, str(score), f"`{bar(score)}`"])
            if rows:
                self.table(
                    [
                        (self.t(f"score.{key}"), "l"),
                        ("Score", "r"),
                        (self.t("score.pillars"), "l"),
                    ],
                    rows,
                )
        figures = figure_costs(r)
        if not any(f.rows or f.cap for f in figures):
            self.line(f"### {md(self.t('costs.h'))}")
            self.line()
            self.line(md(self.t("costs.none")))
            self.line()
        for fc in figures:
            if fc.rows or fc.cap:
                self.figure_costs(fc)

    def figure_costs(self, fc: FigureCosts) -> None:
        """One figure's lost points: each rule, the rules' sum, the cap, the total, and the
        sum that gives the figure shown."""
        self.line(f"### {md(self.t(f'costs.{fc.figure}_h'))}")
        self.line()
        rows = [
            [
                f"{code(c.rule)} {md(c.title)}",
                md(strings.label(self.lang, "pillar", c.pillar)),
                md(self.weight_grade(c)),
                "−" + self.num(round(c.points, 2)),
                str(c.open_findings),
            ]
            for c in fc.rows
        ]
        if fc.cap:
            rows.append(
                [f"**{md(self.t('costs.lost_rules'))}**", "", "", f"**−{self.num(fc.lost)}**", ""]
            )
            caps = ", ".join(word(self.lang, "cap_item", rule=r, title=t) for r, t in fc.cap_rules)
            rows.append(
                [
                    md(self.t("costs.cap", rules=caps, ready=fc.ready)),
                    "",
                    "",
                    "−" + self.num(round(fc.cap, 2)),
                    "",
                ]
            )
        rows.append(
            [f"**{md(self.t('costs.total'))}**", "", "", f"**−{self.num(round(fc.total, 2))}**", ""]
        )
        self.table(
            [
                (self.t("costs.rule"), "l"),
                (self.t("costs.pillar"), "l"),
                (self.t("costs.weight"), "r"),
                (self.t("costs.points"), "r"),
                (self.t("costs.findings"), "r"),
            ],
            rows,
        )
        if fc.value is not None:
            lost = strings.number(self.lang, round(fc.total, 2))
            if fc.rounded:
                exact = strings.number(self.lang, round(fc.exact, 2))
                sentence = self.t("costs.sum_rounded", lost=lost, exact=exact, value=fc.value)
            else:
                sentence = self.t("costs.sum", lost=lost, value=fc.value)
            self.line(md(sentence))
            self.line()

    def weight_grade(self, c: CostLine) -> str:
        """``4 × 0.4 (2 of 5)``: the weight, the grade, and the facts behind the grade."""
        text = weight_grade_text(self.lang, c)
        return text
