"""The HTML report's plan-against-actual section (issue 11): a Gantt of baseline and
forecast, the variance per phase, the COO days consumed against the contract month by
month, deliverables delivered and accepted, transfers done, the last steering meetings'
decisions and the open actions. Shown only for a mission with a log."""

from __future__ import annotations

from releve.tui.i18n import enum_label
from releve.tui.report import strings, svg
from releve.tui.report.actual import Actual, actual_of
from releve.tui.report.html_base import HtmlBase, _e


class ActualHtml(HtmlBase):
    def actual(self) -> str:
        a = actual_of(self.r)
        if a is None:
            return ""
        out = [
            f'<section id="actual" class="major"><h2>{_e(self.t("actual.h"))}</h2>',
            f'<p class="lead">{_e(self.t("actual.lead", as_of=self.r.as_of.isoformat()))}</p>',
        ]
        out += self._gantt(a)
        out.append(self._phases(a))
        out.append(self._days(a))
        out.append(self._deliverables(a))
        out.append(self._transfers(a))
        out.append(self._meetings(a))
        out.append("</section>")
        return "".join(out)

    def _gantt(self, a: Actual) -> list[str]:
        r, t = self.r, a.tracking
        days = [r.plan.mission.start, r.as_of]
        for _, pt in a.phases:
            for slot in (pt.baseline, pt.forecast):
                if slot is not None:
                    days += [slot.start, slot.end]
        first, last = min(days), max(days)
        markers = [svg.Marker(r.as_of, self.t("actual.as_of_marker"), "#2b6cb0")]
        if t.baseline.target_date is not None:
            markers.append(svg.Marker(t.baseline.target_date, self.t("schedule.target"), svg.CRIT))
        rows = []
        for name, pt in a.phases:
            # the phase as worked and forecast, then under it the same phase as planned
            if pt.forecast is not None:
                late = (pt.variance_days or 0) > 0
                rows.append(
                    svg.Row(
                        name,
                        span=(pt.forecast.start, pt.forecast.end),
                        runs=svg.runs_of(pt.forecast.days),
                        critical=late,
                        tooltip=f"{name}: {pt.forecast.start} → {pt.forecast.end}",
                    )
                )
            if pt.baseline is not None:
                rows.append(
                    svg.Row(
                        f"· {self.t('actual.plan_row')}",
                        span=(pt.baseline.start, pt.baseline.end),
                        runs=(),
                        tooltip=f"{name}: {pt.baseline.start} → {pt.baseline.end}",
                    )
                )
        legend = [
            (svg.BAR_LIGHT, self.t("actual.legend_plan")),
            (svg.BAR, self.t("actual.legend_forecast")),
            (svg.CRIT, self.t("actual.legend_late")),
        ]
        timeline = svg.Timeline(first, last, self.lang, markers=markers, legend=legend)
        return timeline.render(rows, "gantt actual", self.t("actual.chart"))

    def _phases(self, a: Actual) -> str:
        rows = []
        for name, pt in a.phases:
            var = pt.variance_days
            rows.append(
                [
                    _e(name),
                    _e(strings.phase_status(self.lang, pt.status)),
                    self.date(pt.baseline.end if pt.baseline else None),
                    self.date(pt.forecast.end if pt.forecast else None),
                    _e("—" if var is None else f"{var:+d}" if var else "0"),
                    _e(f"{strings.number(self.lang, pt.booked)} / {pt.effort_days}"),
                ]
            )
        head = [
            (self.t("actual.phase"), ""),
            (self.t("actual.status_h"), ""),
            (self.t("actual.base_end"), ""),
            (self.t("actual.forecast_end"), ""),
            (self.t("actual.variance"), "num"),
            (self.t("actual.booked"), "num"),
        ]
        t = a.tracking
        end = t.forecast.end
        summary = self.t(
            "actual.summary",
            end=end.isoformat() if end else "—",
            base=t.baseline.end.isoformat() if t.baseline.end else "—",
            variance=f"{t.variance_days:+d}" if t.variance_days else "0",
        )
        return self.table("actual-phases", head, rows) + f"<p>{_e(summary)}</p>"

    def _days(self, a: Actual) -> str:
        t = a.tracking
        n = self.lang
        contract = t.contracted_days
        line = self.t(
            "actual.consumption",
            booked=strings.number(n, t.booked_days),
            remaining=strings.number(n, t.remaining_days),
            contracted=strings.number(n, contract) if contract else "—",
        )
        if not a.months:
            return f"<p>{_e(line)}</p>"
        rows = [
            [
                _e(strings.month_label(n, m.month) + f" {m.month.year}"),
                _e(strings.number(n, m.booked)),
                _e(strings.number(n, m.total)),
                _e(f"{round(100 * m.total / contract)} %" if contract else "—"),
            ]
            for m in a.months
        ]
        head = [
            (self.t("actual.month"), ""),
            (self.t("actual.days_month"), "num"),
            (self.t("actual.days_total"), "num"),
            (self.t("actual.of_contract"), "num"),
        ]
        return f"<h3>{_e(self.t('actual.days_h'))}</h3><p>{_e(line)}</p>" + self.table(
            "actual-days", head, rows
        )

    def _deliverables(self, a: Actual) -> str:
        if not a.deliverables:
            return ""
        rows = []
        for d in a.deliverables:
            if d.delivered_on is not None:
                state = self.date(d.delivered_on)
                if d.accepted_by:
                    state += " · " + _e(self.t("actual.accepted_by", who=d.accepted_by))
            else:
                state = _e(self.t("actual.late" if d.due else "actual.not_yet"))
            rows.append([_e(d.phase), _e(d.name), state])
        head = [
            (self.t("actual.phase"), ""),
            (self.t("actual.deliverable"), ""),
            (self.t("actual.delivered"), ""),
        ]
        return f"<h3>{_e(self.t('actual.deliverables_h'))}</h3>" + self.table(
            "actual-deliverables", head, rows
        )

    def _transfers(self, a: Actual) -> str:
        items = "".join(
            f"<li>{_e(x.topic or x.id)} — "
            f"{_e(a.people.get(x.to or '', x.to or ''))}"
            f"{' · ' + self.date(x.done_on) if x.done_on else ''}</li>"
            for x in a.transfers
        )
        body = f"<ul>{items}</ul>" if items else f"<p>{_e(self.t('actual.no_transfer'))}</p>"
        return f"<h3>{_e(self.t('actual.transfers_h'))}</h3>{body}"

    def _meetings(self, a: Actual) -> str:
        out = [f"<h3>{_e(self.t('actual.meetings_h'))}</h3>"]
        if not a.meetings:
            out.append(f"<p>{_e(self.t('actual.no_meeting'))}</p>")
        for m in a.meetings:
            kind = enum_label(self.lang, "MeetingKind", str(m.kind))
            decisions = "".join(f"<li>{_e(d)}</li>" for d in m.decisions) or (
                f"<li>{_e(self.t('actual.no_decision'))}</li>"
            )
            out.append(f"<h4>{self.date(m.on)} · {_e(kind)}</h4><ul>{decisions}</ul>")
        out.append(f"<h4>{_e(self.t('actual.actions_h'))}</h4>")
        if not a.open_actions:
            out.append(f"<p>{_e(self.t('actual.no_action'))}</p>")
        else:
            rows = []
            for m, i in a.open_actions:
                act = m.actions[i]
                late = act.due is not None and act.due < self.r.as_of
                rows.append(
                    [
                        _e(act.what),
                        _e(a.people.get(act.owner, act.owner) if act.owner else "—"),
                        self.date(act.due) if act.due else "—",
                        _e(self.t("actual.overdue") if late else ""),
                    ]
                )
            head = [
                (self.t("actual.action"), ""),
                (self.t("actual.owner"), ""),
                (self.t("actual.due"), ""),
                ("", ""),
            ]
            out.append(self.table("actual-actions", head, rows))
        return "".join(out)
