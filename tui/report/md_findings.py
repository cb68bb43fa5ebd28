"""The Markdown report's findings and waivers sections."""

from __future__ import annotations

from releve.rules.result import Finding
from releve.tui.report import strings
from releve.tui.report.md_base import (
    MdBase,
    code,
    md,
)


class FindingsMd(MdBase):
    """Findings by pillar, and the waivers table."""

    def finding(self, f: Finding) -> None:
        sev = md(strings.label(self.lang, "severity", f.severity).upper())
        head = f"- **{sev}** {code(f.rule)} {md(f.title)}"
        if f.waived:
            head += f" — *{md(self.t('findings.waived'))}*"
        self.line(head)
        self.line(f"  - {md(f.message)}")
        if f.waived:
            self.line(
                "  - "
                + md(
                    self.t(
                        "findings.waived_by",
                        owner=f.waiver_owner or self.t("unknown"),
                        expires=self.date(f.waiver_expires),
                        reason=f.waiver_reason or self.t("unknown"),
                    )
                )
            )
        colon = self.t("colon")
        why = self.r.why.get(f.rule)
        if why:
            self.line(f"  - {md(self.t('findings.why'))}{colon}{md(why)}")
        if f.fix:
            self.line(f"  - {md(self.t('findings.fix'))}{colon}{md(f.fix)}")
        shown = strings.target_label(self.lang, f.target) if f.target else ""
        where = [code(x) for x in (f.path, shown) if x]
        if f.line:
            where.append(md(self.t("line", line=f.line)))
        if where:
            self.line(f"  - {md(self.t('findings.where'))}{colon}{' · '.join(where)}")

    def findings(self) -> None:
        self.line(f"## {md(self.t('findings.h'))}")
        self.line()
        if not self.r.result.findings:
            self.line(md(self.t("findings.all_clear")))
            self.line()
        scores = self.r.result.score.pillars
        for pillar, items in self.r.findings_by_pillar():
            score = scores.get(pillar)
            suffix = f" — {score} / 100" if score is not None else ""
            self.line(f"### {md(strings.label(self.lang, 'pillar', pillar))}{suffix}")
            self.line()
            why = strings.pillar_why(self.lang, pillar)
            if why:
                self.line(f"*{md(why)}*")
                self.line()
            if not items:
                self.line(md(self.t("findings.none")))
            for f in items:
                self.finding(f)
            self.line()

    def waivers(self) -> None:
        self.line(f"## {md(self.t('waivers.h'))}")
        self.line()
        self.line(md(self.t("waivers.lead")))
        self.line()
        rows = self.r.waiver_rows()
        if not rows:
            self.line(md(self.t("waivers.none")))
            self.line()
            return
        cells = [
            [
                code(w.waiver.rule),
                code(w.waiver.target) if w.waiver.target else md(self.t("waivers.all")),
                md(w.waiver.reason or self.t("unknown")),
                md(w.waiver.owner or self.t("unknown")),
                self.date(w.waiver.expires),
                md(self.t("wstatus." + w.status)),
                str(w.waived),
            ]
            for w in rows
        ]
        self.table(
            [
                (self.t("waivers.rule"), "l"),
                (self.t("waivers.target"), "l"),
                (self.t("waivers.reason"), "l"),
                (self.t("waivers.owner"), "l"),
                (self.t("waivers.expires"), "l"),
                (self.t("waivers.status"), "l"),
                (self.t("waivers.waives"), "r"),
            ],
            cells,
        )
