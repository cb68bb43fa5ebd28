"""The HTML report's sections on the company: founder dependence, indicators, signals."""

from __future__ import annotations

from releve.tui.report import add_days, chart_last, percent_of, strings, svg
from releve.tui.report.html_base import HtmlBase, _e


class CompanyHtml(HtmlBase):
    """The dependence map, the indicators and the weak signals."""

    def dependence(self) -> str:
        r = self.r
        out = [
            f'<section id="dependence"><h2>{_e(self.t("dependence.h"))}</h2>',
            f'<p class="lead">{_e(self.t("dependence.lead"))}</p>',
        ]
        rows = r.dependence_rows()
        if not rows:
            out.append(f'<p class="none">{_e(self.t("dependence.none"))}</p>')
        else:
            alone, total = r.founder_share()
            share = strings.percent(self.lang, alone / total)
            out.append(
                '<p class="founder-share">'
                + _e(self.t("dependence.share", count=alone, total=total, share=share))
                + "</p>"
            )
            for part in self.dependence_map(rows):
                out.append(f'<figure class="dependence-map">{part}</figure>')
            cells = []
            for x in rows:
                owner = _e(x.owner_name)
                if x.owner_is_founder:
                    owner = (
                        f'<span class="founder">{owner}</span> ({_e(self.t("dependence.founder"))})'
                    )
                backup = (
                    _e(x.backup_name)
                    if x.backup_name
                    else f'<span class="no-backup">{_e(self.t("dependence.no_backup"))}</span>'
                )
                doc, auto = x.process.documentation, x.process.automation
                cells.append(
                    [
                        owner,
                        _e(x.process.name or x.process.id),
                        backup,
                        svg.level_meter(doc, f"{self.t('dependence.documentation')}: {doc}")
                        + f' <span data-level="{doc if doc is not None else ""}">'
                        f"{_e(doc if doc is not None else self.t('unknown'))}/4</span>",
                        _e(f"{auto}/4" if auto is not None else self.t("unknown")),
                    ]
                )
            out.append(
                self.table(
                    "dependence",
                    [
                        (self.t("dependence.owner"), ""),
                        (self.t("dependence.process"), ""),
                        (self.t("dependence.backup"), ""),
                        (self.t("dependence.documentation"), ""),
                        (self.t("dependence.automation"), ""),
                    ],
                    cells,
                )
            )
        out.append("</section>")
        return "".join(out)

    def dependence_map(self, rows: list) -> list[str]:
        groups: list[tuple[str, bool, list[svg.Tile]]] = []
        for x in rows:
            if not groups or groups[-1][0] != x.owner_name:
                groups.append((x.owner_name, x.owner_is_founder, []))
            backup = x.backup_name or self.t("dependence.no_backup")
            name = x.process.name or x.process.id
            groups[-1][2].append(
                svg.Tile(
                    name,
                    x.process.documentation,
                    x.backup_name is not None,
                    f"{name} — {self.t('dependence.backup')}{self.t('colon')}{backup}",
                )
            )
        legend = [
            (svg.DOC_FILL[1], "0–1", False),
            (svg.DOC_FILL[2], "2", False),
            (svg.DOC_FILL[3], "3–4", False),
            ("", self.t("dependence.no_backup"), True),
        ]
        return svg.dependence_map(
            groups, self.t("dependence.h"), legend, self.t("dependence.documentation")
        )

    def kpis(self) -> str:
        r = self.r
        out = [
            f'<section id="kpis" class="major"><h2>{_e(self.t("kpis.h"))}</h2>',
            f'<p class="lead">{_e(self.t("kpis.lead"))}</p>',
        ]
        rows = r.kpi_rows()
        if not rows:
            out.append(f'<p class="none">{_e(self.t("kpis.none"))}</p>')
        else:
            cells = []
            for x in rows:
                k = x.kpi
                latest = self.num(x.latest, k.unit)
                if x.latest_on:
                    latest += (
                        "<br><small>"
                        + self.fill("kpis.measured_on", date=self.date(x.latest_on))
                        + "</small>"
                    )
                progress = (
                    self.num(percent_of(x.progress), "%")
                    if x.progress is not None
                    else _e(self.t("unknown"))
                )
                spark = svg.sparkline(x.points, k.target, k.name or k.id)
                name = _e(k.name or k.id)
                if k.direction:
                    name += f"<br><small>{_e(self.t('kpis.direction.' + k.direction.value))}"
                    name += "</small>"
                cells.append(
                    [
                        name,
                        _e(
                            strings.label(self.lang, "category", k.category)
                            if k.category
                            else self.t("unknown")
                        ),
                        self.num(k.baseline, k.unit),
                        latest,
                        self.num(k.target, k.unit),
                        progress,
                        spark or _e(self.t("unknown")),
                        _e(k.source or self.t("unknown"))
                        + "<br><small>"
                        + _e(r.person_name(k.owner))
                        + "</small>",
                        self.kpi_status(k.id),
                    ]
                )
            out.append(
                self.table(
                    "kpis",
                    [
                        (self.t("kpis.name"), ""),
                        (self.t("kpis.category"), ""),
                        (self.t("kpis.baseline"), "num"),
                        (self.t("kpis.latest"), "num"),
                        (self.t("kpis.target"), "num"),
                        (self.t("kpis.progress"), "num"),
                        (self.t("kpis.trend"), ""),
                        (self.t("kpis.source"), ""),
                        (self.t("kpis.status"), ""),
                    ],
                    cells,
                )
            )
        out.append("</section>")
        return "".join(out)

    def kpi_status(self, kpi_id: str) -> str:
        """Met, on track, off track or not known: the rules' one definition
        (rules.tracking, read from the check result), as the Readiness view shows it."""
        status = self.r.result.kpi_track.get(kpi_id, "unknown")
        return f'<span class="kstatus-{_e(status)}">{_e(self.t("kstatus." + status))}</span>'

    def signals_chart(self) -> list[str]:
        r, lang = self.r, self.lang
        signals, irritants = r.signals(), r.irritant_rows()
        days = [r.plan.mission.start, r.as_of] + [s.on for s in signals]
        days += [d for i in irritants for d in (i.opened, i.closed) if d]
        first = min(days)
        last = chart_last(first, max(add_days(max(days), 7), add_days(first, 28)))
        rows = []
        for level in (3, 2, 1):
            dots = tuple(
                (
                    s.on,
                    svg.LEVEL_COLOR[level],
                    f"{s.on.isoformat()} · {strings.label(lang, 'signal', s.kind)}"
                    + (f" · {s.note}" if s.note else ""),
                )
                for s in signals
                if s.level == level
            )
            rows.append(svg.Row(f"{self.t('signals.level')} {level}", dots=dots))
        for i in irritants:
            if i.opened is None:
                rows.append(svg.Row(i.title))
                continue
            end = i.closed or r.as_of
            rows.append(
                svg.Row(
                    i.title,
                    runs=((i.opened, max(end, i.opened)),),
                    critical=i.closed is None,
                    open_end=i.closed is None,
                    tooltip=f"{i.title}: {i.days_open} j/d",
                )
            )
        legend = [
            (svg.LEVEL_COLOR[3], f"{self.t('signals.level')} 3"),
            (svg.LEVEL_COLOR[2], f"{self.t('signals.level')} 2"),
            (svg.LEVEL_COLOR[1], f"{self.t('signals.level')} 1"),
            (svg.BAR, self.t("irritants.closed_legend")),
            (svg.CRIT, self.t("irritants.open_legend")),
        ]
        marker = svg.Marker(
            r.as_of,
            f"{self.t('schedule.today')} {r.as_of.day} {strings.month_label(lang, r.as_of)}",
            "#2b6cb0",
        )
        timeline = svg.Timeline(first, last, lang, markers=[marker], legend=legend)
        return timeline.render(rows, "signals", self.t("signals.chart"))

    def signals(self) -> str:
        r = self.r
        out = [
            f'<section id="signals" class="major"><h2>{_e(self.t("signals.h"))}</h2>',
            f'<p class="lead">{_e(self.t("signals.lead"))}</p>',
        ]
        signals, irritants = r.signals(), r.irritant_rows()
        if signals or irritants:
            for part in self.signals_chart():
                out.append(f'<figure class="signals-chart">{part}</figure>')
        if not signals:
            out.append(f'<p class="none">{_e(self.t("signals.none"))}</p>')
        else:
            cells = [
                [
                    self.date(s.on),
                    _e(strings.label(self.lang, "signal", s.kind)),
                    str(s.level),
                    _e(s.note or ""),
                ]
                for s in signals
            ]
            out.append(
                self.table(
                    "signals",
                    [
                        (self.t("signals.on"), ""),
                        (self.t("signals.kind"), ""),
                        (self.t("signals.level"), "num"),
                        (self.t("signals.note"), ""),
                    ],
                    cells,
                )
            )
        out.append(f"<h3>{_e(self.t('irritants.h'))}</h3>")
        if not irritants:
            out.append(f'<p class="none">{_e(self.t("irritants.none"))}</p>')
        else:
            cells = [
                [
                    _e(i.title),
                    self.date(i.opened),
                    self.date(i.closed) if i.closed else f"<b>{_e(self.t('irritants.open'))}</b>",
                    _e(i.days_open if i.days_open is not None else self.t("unknown")),
                    _e(i.owner_name),
                ]
                for i in irritants
            ]
            out.append(
                self.table(
                    "irritants",
                    [
                        (self.t("irritants.title"), ""),
                        (self.t("irritants.opened"), ""),
                        (self.t("irritants.closed"), ""),
                        (self.t("irritants.days"), "num"),
                        (self.t("irritants.owner"), ""),
                    ],
                    cells,
                )
            )
        out.append("</section>")
        return "".join(out)
