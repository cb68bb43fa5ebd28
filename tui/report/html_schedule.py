"""The HTML report's schedule and transfer sections."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from releve.tui.report import strings, svg
from releve.tui.report.html_base import HtmlBase, _e


class ScheduleHtml(HtmlBase):
    """The Gantt chart and phases, and the knowledge-transfer plan."""

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
