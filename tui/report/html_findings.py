"""The HTML report's findings and waivers sections."""

from __future__ import annotations

from releve.rules.result import Finding
from releve.tui.report import strings
from releve.tui.report.html_base import HtmlBase, _e


class FindingsHtml(HtmlBase):
    """Findings by pillar, and the waivers table."""

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
