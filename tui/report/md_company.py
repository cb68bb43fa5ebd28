"""The Markdown report's sections on the company: founder dependence, indicators, signals."""

from __future__ import annotations

import datetime as dt

from releve.tui.report import chart_last, next_month, percent_of, strings
from releve.tui.report.md_base import (
    MdBase,
    md,
    meter,
    sparkline,
)


class CompanyMd(MdBase):
    """The dependence table, the indicators and the weak signals."""

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
                    md(self.t("kstatus." + r.result.kpi_track.get(k.id, "unknown"))),
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
                (self.t("kpis.status"), "l"),
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
