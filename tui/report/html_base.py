"""What every section of the HTML report shares: escaping, the report's words, dates,
numbers and tables."""

from __future__ import annotations

import datetime as dt
from html import escape

from releve.tui.report import Report, strings


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


class HtmlBase:
    """The report's language and helpers; each section is a mixin of it (html_*.py)."""

    def __init__(self, report: Report) -> None:
        self.r = report
        self.lang = report.lang
        self.plan = report.plan

    # --- helpers ---------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return strings.t(self.lang, key, **values)

    def fill(self, key: str, **markup: object) -> str:
        """A sentence of the report with HTML (already escaped) in its placeholders."""
        return strings.fill(self.lang, key, _e, **markup)

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return _e(self.t("unknown"))
        return f'<time datetime="{day.isoformat()}">{_e(strings.long_date(self.lang, day))}</time>'

    def num(self, value: float | None, unit: str | None = None) -> str:
        return _e(strings.number(self.lang, value, unit))

    def table(self, cls: str, head: list[tuple[str, str]], rows: list[list[str]]) -> str:
        """head: (label, css class) pairs; rows: cells already escaped."""
        ths = "".join(
            f'<th scope="col" class="{c}">{_e(h)}</th>' if c else f'<th scope="col">{_e(h)}</th>'
            for h, c in head
        )
        body = []
        for row in rows:
            tds = "".join(
                f'<td class="{head[i][1]}">{cell}</td>' if head[i][1] else f"<td>{cell}</td>"
                for i, cell in enumerate(row)
            )
            body.append(f"<tr>{tds}</tr>")
        return (
            f'<table class="{cls}"><thead><tr>{ths}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
