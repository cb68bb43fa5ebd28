"""The readiness report as Markdown for a git repository or a pull request.

The same facts as the HTML report; charts become Unicode bars and sparklines, and the
schedule a Mermaid Gantt chart (GitHub and GitLab draw it). Dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from urllib.parse import quote

from releve.rules.result import Finding
from releve.tui.report import (
    Report,
    chart_last,
    clean_controls,
    next_month,
    percent_of,
    scaled,
    strings,
)
from releve.tui.safe_text import show_format

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~])")
_BLOCKS = "▁▂▃▄▅▆▇█"


def md(text: object) -> str:
    """Plain text made safe inside a Markdown paragraph or table cell (one line)."""
    return _escape(" ".join(str(text).split()))


def _escape(text: str) -> str:
    """Markdown's special characters escaped, spaces kept (the words of a sentence)."""
    return _SPECIAL.sub(r"\\\1", text)


def code(text: object) -> str:
    """An inline code span that holds any text (backticks inside included)."""
    flat = " ".join(str(text).split())
    if not flat:
        return ""
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def bar(score: float, width: int = 20) -> str:
    """A 0–100 score as a bar of full and light blocks."""
    full = round(max(0.0, min(100.0, score)) * width / 100)
    return "█" * full + "░" * (width - full)


def sparkline(values: list[float]) -> str:
    """Values as Unicode block heights (▁ lowest, █ highest)."""
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return _BLOCKS[3] * len(values)
    return "".join(_BLOCKS[round(scaled(v, lo, hi) * (len(_BLOCKS) - 1))] for v in values)


def meter(level: int | None) -> str:
    lv = level or 0
    return "●" * lv + "○" * (4 - lv)


def _mermaid_text(text: str) -> str:
    """A task name Mermaid accepts: no colon, semicolon, hash or line break."""
    return " ".join(re.sub(r"[:;#]", " ", text).split()) or "-"


class _Md:
    def __init__(self, report: Report) -> None:
        self.r = report
        self.lang = report.lang
        self.plan = report.plan
        self.out: list[str] = []

    def t(self, key: str, **values: object) -> str:
        return strings.t(self.lang, key, **values)

    def num(self, value: float | None, unit: str | None = None) -> str:
        return md(strings.number(self.lang, value, unit))

    def date(self, day: dt.date | None) -> str:
        return day.isoformat() if day else self.t("unknown")

    def line(self, text: str = "") -> None:
        self.out.append(text)

    def table(self, head: list[tuple[str, str]], rows: list[list[str]]) -> None:
        """head: (label, align "l" | "r"); cells already escaped."""
        self.line("| " + " | ".join(md(h) for h, _ in head) + " |")
        self.line("|" + "|".join("---:" if a == "r" else "---" for _, a in head) + "|")
        for row in rows:
            self.line("| " + " | ".join(cell or " " for cell in row) + " |")
        self.line()

    # --- sections ----------------------------------------------------------------------
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

    def mermaid(self) -> None:
        r = self.r
        self.line("```mermaid")
        self.line("gantt")
        self.line(f"    title {_mermaid_text(self.t('schedule.chart'))}")
        self.line("    dateFormat YYYY-MM-DD")
        self.line("    axisFormat %Y-%m")
        self.line(f"    section {_mermaid_text(self.t('schedule.h'))}")
        for n, pr in enumerate(r.phase_rows(), 1):
            if pr.slot is None:
                continue
            tags = ["crit"] if pr.slot.critical else []
            if pr.slot.effort_days == 0:
                tags.append("milestone")
            length = (pr.slot.end - pr.slot.start).days + 1 if pr.slot.effort_days else 0
            tags += [f"p{n}", pr.slot.start.isoformat(), f"{length}d"]
            self.line(f"    {_mermaid_text(pr.phase.name or pr.phase.id)} :{', '.join(tags)}")
        target = r.target_date()
        if target:
            self.line(
                f"    {_mermaid_text(self.t('target_date'))} :milestone, crit, target, "
                f"{target.isoformat()}, 0d"
            )
        periods = [p for p in r.visible_off() if p.kind != "holiday"]
        if periods:
            self.line(f"    section {_mermaid_text(self.t('schedule.nonworking'))}")
            for n, p in enumerate(periods, 1):
                name = p.label or strings.label(self.lang, "nw", p.kind)
                self.line(
                    f"    {_mermaid_text(name)} :done, off{n}, {p.start.isoformat()}, "
                    f"{(p.end - p.start).days + 1}d"
                )
        self.line("```")
        self.line()

    def schedule(self) -> None:
        r, s = self.r, self.r.schedule
        self.line(f"## {md(self.t('schedule.h'))}")
        self.line()
        self.line(md(self.t("schedule.lead")))
        self.line()
        facts = [
            strings.fill(
                self.lang,
                key,
                _escape,
                **{k: self.date(v) if isinstance(v, dt.date) else md(v) for k, v in values.items()},
            )
            for key, values in r.schedule_facts()
        ]
        self.line(" ".join(facts))
        self.line()
        if s.problems:
            self.line(md(self.t("schedule.problems")))
            self.line()
            for p in s.problems:
                self.line(f"- {md(p.message)}")
            self.line()
        if s.phases:
            self.mermaid()
        else:
            self.line(md(self.t("schedule.empty")))
            self.line()
        rows = []
        for pr in r.phase_rows():
            slot = pr.slot
            rows.append(
                [
                    f"{md(pr.phase.name or pr.phase.id)} {code(pr.phase.id)}",
                    md(strings.label(self.lang, "kind", pr.phase.kind)),
                    self.date(slot.start if slot else None),
                    self.date(slot.end if slot else None),
                    str(pr.phase.effort_days),
                    str(slot.slack_days) if slot else md(self.t("unknown")),
                    f"**{md(self.t('schedule.critical'))}**" if slot and slot.critical else "",
                ]
            )
        self.table(
            [
                (self.t("schedule.phase"), "l"),
                (self.t("schedule.kind"), "l"),
                (self.t("schedule.start"), "l"),
                (self.t("schedule.end"), "l"),
                (self.t("schedule.effort"), "r"),
                (self.t("schedule.slack"), "r"),
                (self.t("schedule.critical"), "l"),
            ],
            rows,
        )
        command = r.ics_command()
        self.line(
            strings.fill(
                self.lang,
                "schedule.ics",
                _escape,
                command=code(command),
                file=f"[{md(r.ics_name)}]({quote(r.ics_name)})",
            )
        )
        self.line()
        off = r.visible_off()
        if off:
            self.line(f"### {md(self.t('schedule.nonworking_h'))}")
            self.line()
            rows = [
                [
                    self.date(p.start) + (f" → {self.date(p.end)}" if p.end != p.start else ""),
                    md(p.label or strings.label(self.lang, "nw", p.kind)),
                    md(strings.label(self.lang, "nw", p.kind)),
                ]
                for p in off
            ]
            self.table(
                [
                    (self.t("schedule.period"), "l"),
                    (self.t("schedule.reason"), "l"),
                    (self.t("schedule.kind"), "l"),
                ],
                rows,
            )

    def transfer(self) -> None:
        r = self.r
        self.line(f"## {md(self.t('transfer.h'))}")
        self.line()
        self.line(md(self.t("transfer.lead")))
        self.line()
        rows = r.transfer_rows()
        if not rows:
            self.line(md(self.t("transfer.none")))
            self.line()
        else:
            counts = r.transfer_counts()
            self.line(
                md(
                    self.t(
                        "transfer.summary",
                        done=counts["done"],
                        total=len(rows),
                        in_progress=counts["in_progress"],
                    )
                )
            )
            self.line()
            cells = [
                [
                    md(x.transfer.topic or x.transfer.id),
                    md(x.from_name),
                    md(x.to_name),
                    md(x.phase_name),
                    f"{self.date(x.start)} → {self.date(x.end)}"
                    if x.start
                    else md(self.t("unknown")),
                    md(
                        strings.label(self.lang, "method", x.transfer.method)
                        if x.transfer.method
                        else self.t("unknown")
                    ),
                    md(strings.label(self.lang, "tstatus", x.transfer.status)),
                ]
                for x in rows
            ]
            self.table(
                [
                    (self.t("transfer.topic"), "l"),
                    (self.t("transfer.from"), "l"),
                    (self.t("transfer.to"), "l"),
                    (self.t("transfer.phase"), "l"),
                    (self.t("transfer.when"), "l"),
                    (self.t("transfer.method"), "l"),
                    (self.t("transfer.status"), "l"),
                ],
                cells,
            )
        scope = self.plan.scope
        if scope and scope.successor:
            self.line(md(self.t("transfer.successor", name=r.person_name(scope.successor))))
            self.line()

    def dependence(self) -> None:
        r = self.r
        self.line(f"## {md(self.t('dependence.h'))}")
        self.line()
        self.line(md(self.t("dependence.lead")))
        self.line()
        rows = r.dependence_rows()
        if not rows:
            self.line(md(self.t("dependence.none")))
            self.line()
            return
        alone, total = r.founder_share()
        self.line(
            md(
                self.t(
                    "dependence.share",
                    count=alone,
                    total=total,
                    share=strings.percent(self.lang, alone / total),
                )
            )
        )
        self.line()
        cells = []
        for x in rows:
            owner = md(x.owner_name)
            if x.owner_is_founder:
                owner = f"**{owner}** ({md(self.t('dependence.founder'))})"
            doc, auto = x.process.documentation, x.process.automation
            cells.append(
                [
                    owner,
                    md(x.process.name or x.process.id),
                    md(x.backup_name)
                    if x.backup_name
                    else f"**{md(self.t('dependence.no_backup'))}**",
                    f"{meter(doc)} {doc if doc is not None else md(self.t('unknown'))}/4",
                    f"{auto}/4" if auto is not None else md(self.t("unknown")),
                ]
            )
        self.table(
            [
                (self.t("dependence.owner"), "l"),
                (self.t("dependence.process"), "l"),
                (self.t("dependence.backup"), "l"),
                (self.t("dependence.documentation"), "l"),
                (self.t("dependence.automation"), "l"),
            ],
            cells,
        )

    def kpis(self) -> None:
        r = self.r
        self.line(f"## {md(self.t('kpis.h'))}")
        self.line()
        self.line(md(self.t("kpis.lead")))
        self.line()
        rows = r.kpi_rows()
        if not rows:
            self.line(md(self.t("kpis.none")))
            self.line()
            return
        cells = []
        for x in rows:
            k = x.kpi
            latest = self.num(x.latest, k.unit)
            if x.latest_on:
                latest += f" ({self.date(x.latest_on)})"
            values = [v for _, v in x.points]
            trend = sparkline(values)
            if trend and k.target is not None:
                arrow = (
                    "↑"
                    if k.direction and k.direction.value == "up"
                    else ("↓" if k.direction else "→")
                )
                trend = f"{trend} {arrow} {self.num(k.target)}"
            cells.append(
                [
                    md(k.name or k.id),
                    md(
                        strings.label(self.lang, "category", k.category)
                        if k.category
                        else self.t("unknown")
                    ),
                    self.num(k.baseline, k.unit),
                    latest,
                    self.num(k.target, k.unit),
                    self.num(percent_of(x.progress), "%")
                    if x.progress is not None
                    else md(self.t("unknown")),
                    f"`{trend}`" if trend else md(self.t("unknown")),
                    md(k.source or self.t("unknown")),
                    md(r.person_name(k.owner)),
                ]
            )
        self.table(
            [
                (self.t("kpis.name"), "l"),
                (self.t("kpis.category"), "l"),
                (self.t("kpis.baseline"), "r"),
                (self.t("kpis.latest"), "r"),
                (self.t("kpis.target"), "r"),
                (self.t("kpis.progress"), "r"),
                (self.t("kpis.trend"), "l"),
                (self.t("kpis.source"), "l"),
                (self.t("kpis.owner"), "l"),
            ],
            cells,
        )

    def signals(self) -> None:
        r = self.r
        self.line(f"## {md(self.t('signals.h'))}")
        self.line()
        self.line(md(self.t("signals.lead")))
        self.line()
        signals, irritants = r.signals(), r.irritant_rows()
        if signals or irritants:
            self.by_month(signals, irritants)
        if not signals:
            self.line(md(self.t("signals.none")))
            self.line()
        else:
            cells = [
                [
                    self.date(s.on),
                    md(strings.label(self.lang, "signal", s.kind)),
                    str(s.level),
                    md(s.note or ""),
                ]
                for s in signals
            ]
            self.table(
                [
                    (self.t("signals.on"), "l"),
                    (self.t("signals.kind"), "l"),
                    (self.t("signals.level"), "r"),
                    (self.t("signals.note"), "l"),
                ],
                cells,
            )
        self.line(f"### {md(self.t('irritants.h'))}")
        self.line()
        if not irritants:
            self.line(md(self.t("irritants.none")))
            self.line()
            return
        cells = [
            [
                md(i.title),
                self.date(i.opened),
                self.date(i.closed) if i.closed else f"**{md(self.t('irritants.open'))}**",
                str(i.days_open) if i.days_open is not None else md(self.t("unknown")),
                md(i.owner_name),
            ]
            for i in irritants
        ]
        self.table(
            [
                (self.t("irritants.title"), "l"),
                (self.t("irritants.opened"), "l"),
                (self.t("irritants.closed"), "l"),
                (self.t("irritants.days"), "r"),
                (self.t("irritants.owner"), "l"),
            ],
            cells,
        )

    def by_month(self, signals: list, irritants: list) -> None:
        """Signals by level and irritants open, month by month: the chart in text."""
        r = self.r
        days = [r.plan.mission.start, r.as_of] + [s.on for s in signals]
        days += [i.opened for i in irritants if i.opened]
        first = min(days)
        month, last = first.replace(day=1), chart_last(first, max(days))
        self.line(f"### {md(self.t('signals.by_month'))}")
        self.line()
        rows = []
        while month is not None and month <= last:
            nxt = next_month(month)
            in_month = [s for s in signals if month <= s.on and (nxt is None or s.on < nxt)]
            levels = [sum(1 for s in in_month if s.level == lv) for lv in (1, 2, 3)]
            month_end = nxt - dt.timedelta(days=1) if nxt else dt.date.max
            end = min(month_end, r.as_of)
            open_irr = sum(
                1
                for i in irritants
                if i.opened and i.opened <= end and (i.closed is None or i.closed >= month)
            )
            picture = "🟢" * levels[0] + "🟠" * levels[1] + "🔴" * levels[2]
            picture += " " + "▮" * open_irr if open_irr else ""
            rows.append(
                [f"{month:%Y-%m}", *(str(n) for n in levels), str(open_irr), picture.strip()]
            )
            month = nxt
        lv = self.t("signals.level")
        self.table(
            [
                (self.t("signals.month"), "l"),
                (f"{lv} 1", "r"),
                (f"{lv} 2", "r"),
                (f"{lv} 3", "r"),
                (self.t("signals.open_irritants"), "r"),
                (self.t("signals.trend"), "l"),
            ],
            rows,
        )

    def document(self) -> str:
        self.cover()
        self.score()
        self.findings()
        self.waivers()
        self.schedule()
        self.transfer()
        self.dependence()
        self.kpis()
        self.signals()
        self.what_ran()
        self.line("---")
        self.line()
        self.line(
            "*"
            + md(
                self.t(
                    "generated_by",
                    version=self.r.version,
                    plan=self.r.plan_name,
                    as_of=self.r.as_of.isoformat(),
                )
            )
            + "*"
        )
        self.line()
        self.line(self.provenance_comment())
        return "\n".join(self.out) + "\n"

    def what_ran(self) -> None:
        from releve.tui.render.check import ran_labels

        self.line(f"## {md(str(ran_labels(self.lang)['md_ran_title']))}")
        self.line()
        for line in self.r.ran_lines():
            self.line(f"- {md(line.strip())}")
        self.line()

    def provenance_comment(self) -> str:
        import json

        from releve.tui.report import PROVENANCE_ID

        data = json.dumps(self.r.provenance(), ensure_ascii=True, sort_keys=True)
        # "--" cannot appear in an HTML comment: escaped in the JSON ("-" as \u002d).
        return f"<!-- {PROVENANCE_ID} {data.replace('-', chr(92) + 'u002d')} -->"


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    # Control characters from the plan's text are cleaned from the whole document (the
    # renderer writes none of its own but line feeds), and format characters (bidi,
    # zero-width) shown as ⟨U+XXXX⟩: the renderer writes none of those either.
    return show_format(clean_controls(_Md(report).document()))
