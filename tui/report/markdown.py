"""The readiness report as Markdown for a git repository or a pull request.

The same facts as the HTML report; charts become Unicode bars and sparklines, and the
schedule a Mermaid Gantt chart (GitHub and GitLab draw it). Dates are ISO 8601.
"""

from __future__ import annotations

from releve.tui.report import Report, clean_controls
from releve.tui.report.md_actual import ActualMd
from releve.tui.report.md_base import _escape, bar, code, md, meter, sparkline
from releve.tui.report.md_company import CompanyMd
from releve.tui.report.md_findings import FindingsMd
from releve.tui.report.md_schedule import ScheduleMd
from releve.tui.report.md_score import ScoreMd
from releve.tui.safe_text import show_format

__all__ = ["_escape", "bar", "code", "md", "meter", "render_markdown", "sparkline"]


class _Md(ScoreMd, FindingsMd, ScheduleMd, ActualMd, CompanyMd):
    """The report's sections as Markdown, in the report's language (one mixin per group of
    sections: md_score, md_findings, md_schedule, md_company)."""

    def document(self) -> str:
        self.cover()
        self.score()
        self.findings()
        self.waivers()
        self.schedule()
        self.actual()
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
