"""The Markdown report's schedule and transfer sections."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from releve.tui.report import strings
from releve.tui.report.md_base import (
    MdBase,
    _escape,
    _mermaid_text,
    code,
    md,
)


class ScheduleMd(MdBase):
    """The Mermaid Gantt chart and phases, and the knowledge-transfer plan."""

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
