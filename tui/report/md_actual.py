"""The Markdown report's plan-against-actual section (issue 11): the same content as the
HTML one (tui/report/html_actual.py) as tables and lists; shown only with a log."""

from __future__ import annotations

from releve.tui.i18n import enum_label
from releve.tui.report import strings
from releve.tui.report.actual import Actual, actual_of
from releve.tui.report.md_base import MdBase, md


class ActualMd(MdBase):
    def actual(self) -> None:
        a = actual_of(self.r)
        if a is None:
            return
        self.line(f"## {md(self.t('actual.h'))}")
        self.line()
        self.line(md(self.t("actual.lead", as_of=self.r.as_of.isoformat())))
        self.line()
        self._phases(a)
        self._days(a)
        self._deliverables(a)
        self._transfers(a)
        self._meetings(a)

    def _phases(self, a: Actual) -> None:
        rows = []
        for name, pt in a.phases:
            var = pt.variance_days
            rows.append(
                [
                    md(name),
                    md(strings.phase_status(self.lang, pt.status)),
                    self.date(pt.baseline.end if pt.baseline else None),
                    self.date(pt.forecast.end if pt.forecast else None),
                    "—" if var is None else f"{var:+d}" if var else "0",
                    md(f"{strings.number(self.lang, pt.booked)} / {pt.effort_days}"),
                ]
            )
        self.table(
            [
                (self.t("actual.phase"), "l"),
                (self.t("actual.status_h"), "l"),
                (self.t("actual.base_end"), "l"),
                (self.t("actual.forecast_end"), "l"),
                (self.t("actual.variance"), "r"),
                (self.t("actual.booked"), "r"),
            ],
            rows,
        )
        t = a.tracking
        self.line(
            md(
                self.t(
                    "actual.summary",
                    end=t.forecast.end.isoformat() if t.forecast.end else "—",
                    base=t.baseline.end.isoformat() if t.baseline.end else "—",
                    variance=f"{t.variance_days:+d}" if t.variance_days else "0",
                )
            )
        )
        self.line()

    def _days(self, a: Actual) -> None:
        t, n = a.tracking, self.lang
        contract = t.contracted_days
        self.line(f"### {md(self.t('actual.days_h'))}")
        self.line()
        self.line(
            md(
                self.t(
                    "actual.consumption",
                    booked=strings.number(n, t.booked_days),
                    remaining=strings.number(n, t.remaining_days),
                    contracted=strings.number(n, contract) if contract else "—",
                )
            )
        )
        self.line()
        if a.months:
            self.table(
                [
                    (self.t("actual.month"), "l"),
                    (self.t("actual.days_month"), "r"),
                    (self.t("actual.days_total"), "r"),
                    (self.t("actual.of_contract"), "r"),
                ],
                [
                    [
                        md(strings.month_label(n, m.month) + f" {m.month.year}"),
                        md(strings.number(n, m.booked)),
                        md(strings.number(n, m.total)),
                        f"{round(100 * m.total / contract)} %" if contract else "—",
                    ]
                    for m in a.months
                ],
            )

    def _deliverables(self, a: Actual) -> None:
        if not a.deliverables:
            return
        self.line(f"### {md(self.t('actual.deliverables_h'))}")
        self.line()
        rows = []
        for d in a.deliverables:
            if d.delivered_on is not None:
                state = self.date(d.delivered_on)
                if d.accepted_by:
                    state += " · " + md(self.t("actual.accepted_by", who=d.accepted_by))
            else:
                state = md(self.t("actual.late" if d.due else "actual.not_yet"))
            rows.append([md(d.phase), md(d.name), state])
        self.table(
            [
                (self.t("actual.phase"), "l"),
                (self.t("actual.deliverable"), "l"),
                (self.t("actual.delivered"), "l"),
            ],
            rows,
        )

    def _transfers(self, a: Actual) -> None:
        self.line(f"### {md(self.t('actual.transfers_h'))}")
        self.line()
        if not a.transfers:
            self.line(md(self.t("actual.no_transfer")))
        for x in a.transfers:
            who = a.people.get(x.to or "", x.to or "")
            when = f" · {self.date(x.done_on)}" if x.done_on else ""
            self.line(f"- {md(x.topic or x.id)} — {md(who)}{when}")
        self.line()

    def _meetings(self, a: Actual) -> None:
        self.line(f"### {md(self.t('actual.meetings_h'))}")
        self.line()
        if not a.meetings:
            self.line(md(self.t("actual.no_meeting")))
            self.line()
        for m in a.meetings:
            kind = enum_label(self.lang, "MeetingKind", str(m.kind))
            self.line(f"**{self.date(m.on)} · {md(kind)}**")
            self.line()
            for d in m.decisions or [self.t("actual.no_decision")]:
                self.line(f"- {md(d)}")
            self.line()
        self.line(f"**{md(self.t('actual.actions_h'))}**")
        self.line()
        if not a.open_actions:
            self.line(md(self.t("actual.no_action")))
            self.line()
            return
        rows = []
        for m, i in a.open_actions:
            act = m.actions[i]
            late = act.due is not None and act.due < self.r.as_of
            rows.append(
                [
                    md(act.what),
                    md(a.people.get(act.owner, act.owner) if act.owner else "—"),
                    self.date(act.due) if act.due else "—",
                    md(self.t("actual.overdue")) if late else "",
                ]
            )
        self.table(
            [
                (self.t("actual.action"), "l"),
                (self.t("actual.owner"), "l"),
                (self.t("actual.due"), "l"),
                ("", "l"),
            ],
            rows,
        )
