"""The Markdown report's cover and score section."""

from __future__ import annotations

from releve.tui.report import strings
from releve.tui.report.md_base import (
    MdBase,
    bar,
    code,
    md,
)


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
        overall = r.result.score.overall
        if overall is None:
            from releve.tui.render.check import ran_labels

            shown = md(str(ran_labels(self.lang)["not_assessed"]))
        else:
            shown = f"{overall} / 100"
        parts = [(f"**{md(self.t('score.overall'))}{self.t('colon')}{shown}**")]
        parts += [
            f"{counts[k]} {md(strings.counted(self.lang, k, counts[k]))}"
            for k in ("error", "warning", "info", "waived")
        ]
        self.line(" · ".join(parts))
        self.line()

    def score(self) -> None:
        r = self.r
        self.line(f"## {md(self.t('score.h'))}")
        self.line()
        self.line(md(self.t("score.lead")))
        self.line()
        rows = []
        for pillar, score in r.pillar_scores():
            name = md(strings.label(self.lang, "pillar", pillar))
            if score is None:
                rows.append([name, md(self.t("unknown")), md(self.t("score.no_rules"))])
            else:
                rows.append([name, str(score), f"`{bar(score)}`"])
        self.table(
            [(self.t("costs.pillar"), "l"), ("Score", "r"), (self.t("score.pillars"), "l")], rows
        )
        self.line(f"### {md(self.t('costs.h'))}")
        self.line()
        costs = r.cost_rows()
        if not costs:
            self.line(md(self.t("costs.none")))
            self.line()
            return
        rows = [
            [
                f"{code(c.rule)} {md(c.title)}",
                md(strings.label(self.lang, "pillar", c.pillar)),
                "−" + self.num(round(c.points, 1)),
                str(c.open_findings),
            ]
            for c in costs
        ]
        total = sum(c.points for c in costs)
        rows.append(
            [f"**{md(self.t('costs.total'))}**", "", f"**−{self.num(round(total, 1))}**", ""]
        )
        self.table(
            [
                (self.t("costs.rule"), "l"),
                (self.t("costs.pillar"), "l"),
                (self.t("costs.points"), "r"),
                (self.t("costs.findings"), "r"),
            ],
            rows,
        )
