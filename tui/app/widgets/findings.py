"""The findings of the last check: always visible; go to, explain or waive the one under
the cursor.

``enter`` posts ``Goto`` (the main screen shows the section, row and field); ``e`` explains
the rule from the packs in force; ``w`` asks for a waiver and posts ``PlanEdited`` with
the waiver written into the plan's ``[[waiver]]`` table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from releve.planner.errors import LocatedError
from releve.planner.model import Plan
from releve.rules.result import CheckResult, Finding
from releve.tui.app import forms, keys
from releve.tui.app.messages import PlanEdited
from releve.tui.app.screens.explain import ExplainScreen
from releve.tui.app.screens.waive import WaiveScreen
from releve.tui.i18n import SECTIONS, t

SEVERITY_ICON = {"error": "✖", "warning": "▲", "info": "●"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}

NAV = [
    Binding("down", "cursor_down", show=False),
    Binding("up", "cursor_up", show=False),
    Binding("home", "first", show=False),
    Binding("end", "last", show=False),
    Binding("pagedown", "page_down", show=False),
    Binding("pageup", "page_up", show=False),
]


class FindingsList(OptionList, inherit_bindings=False):
    """Findings of the last check: severity, code, message and where it takes you."""

    BINDINGS = NAV + keys.bindings(keys.VIM_KEYS) + keys.bindings(keys.FINDING_KEYS)

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.findings: list[Finding] = []
        self.plan: Plan | None = None  # the current plan (a waiver is written into it)
        self.pack_path: Path | None = None  # where the plan's packs are (explain)
        keys.localize(self, lang)

    class Goto(Message):
        """Show the section, row and field ``finding`` asks to fix."""

        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    def show(self, result: CheckResult | None, error: str | None = None) -> None:
        shown = (
            error,
            None
            if result is None
            else tuple(
                (f.rule, f.severity, f.message, f.target, f.path, f.row, f.waived)
                for f in result.findings
            ),
        )
        if shown == getattr(self, "_shown", None):
            return  # same findings: keep the list (and its cursor) as it is
        self._shown = shown
        previous = self.current()
        self.findings = []
        options: list[Option] = []
        if error:
            options.append(Option(Text(f"✖ {error}", style="bold red"), disabled=True))
        elif result is not None:
            ordered = [f for f in result.findings if not f.waived] + [
                f for f in result.findings if f.waived
            ]
            for i, finding in enumerate(ordered):
                self.findings.append(finding)
                options.append(Option(self._prompt(finding), id=str(i)))
            if not ordered:
                options.append(
                    Option(Text(t(self.lang, "no_findings"), style="green"), disabled=True)
                )
        self.set_options(options)
        if previous is not None:
            same = next(
                (
                    i
                    for i, f in enumerate(self.findings)
                    if (f.rule, f.target) == (previous.rule, previous.target)
                ),
                None,
            )
            if same is not None:
                self.highlighted = same
        if self.highlighted is None and self.findings:
            self.highlighted = 0
        if self.parent is not None:
            self.border_title = (
                f"{t(self.lang, 'findings')} ({len(result.findings) if result else 0})"
            )

    def _prompt(self, finding: Finding) -> Text:
        sev = finding.severity.value
        style = "dim" if finding.waived else SEVERITY_STYLE[sev]
        text = Text()
        text.append(f"{SEVERITY_ICON[sev]} {finding.rule} ", style=style)
        text.append(finding.message, style="dim" if finding.waived else "")
        where = finding.path + (f"[{finding.row + 1}]" if finding.row is not None else "")
        text.append(f"\n  → {where}", style="dim")
        if finding.waived:
            text.append(" (waived)" if self.lang == "en" else " (dérogation)", style="dim")
        return text

    def current(self) -> Finding | None:
        if self.highlighted is None or self.highlighted >= len(self.findings):
            return None
        return self.findings[self.highlighted]

    # --- actions on the finding under the cursor ------------------------------------------

    def _finding(self) -> Finding | None:
        finding = self.current()
        if finding is None:
            self.notify(t(self.lang, "no_finding"), timeout=2)
        return finding

    def action_goto_finding(self) -> None:
        finding = self._finding()
        if finding is not None:
            self.post_message(self.Goto(finding))

    def action_explain_finding(self) -> None:
        finding = self._finding()
        if finding is None:
            return
        lang = self.lang
        where = finding.path + (f" [{finding.row + 1}]" if finding.row is not None else "")
        parts = [
            (t(lang, "explain.what"), f"{finding.title}\n{finding.message}"),
            (t(lang, "explain.why"), self._rationale(finding.rule)),
            (t(lang, "explain.fix"), finding.fix),
            (t(lang, "explain.where"), f"{where} ({finding.target})"),
        ]
        self.app.push_screen(
            ExplainScreen(t(lang, "explain.title", rule=finding.rule, name=finding.name), parts)
        )

    def _rationale(self, code: str) -> str:
        """Why the rule matters, from the packs in force (empty when unavailable)."""
        try:
            from releve.rules.packs import load_pack_set

            packs = load_pack_set(plan_path=self.pack_path, plan=self.plan)
            rule = next((r for r in packs.rules if getattr(r, "code", None) == code), None)
        except (ImportError, LocatedError, OSError):
            return ""
        value = getattr(rule, "rationale", "") if rule is not None else ""
        if isinstance(value, dict):
            return str(value.get(self.lang) or value.get("en") or next(iter(value.values()), ""))
        return str(value or "")

    def action_waive_finding(self) -> None:
        finding = self._finding()
        if finding is None or self.plan is None:
            return
        lang = self.lang
        if finding.waived:
            self.notify(t(lang, "already_waived", rule=finding.rule), timeout=3, markup=False)
            return
        owner = self.plan.coo.name if self.plan.coo and self.plan.coo.name else ""
        target = finding.target if ":" in finding.target else None

        def done(waiver: Any) -> None:
            if waiver is None or self.plan is None:
                return
            plan, _ = forms.set_row(self.plan, "waiver", None, waiver)
            self.post_message(
                PlanEdited(
                    plan,
                    t(lang, "edit.waive", rule=finding.rule),
                    notice=t(lang, "waived", rule=finding.rule),
                )
            )

        self.app.push_screen(WaiveScreen(finding.rule, target, lang, owner), done)


def finding_section(finding: Finding) -> tuple[str | None, str | None]:
    """(section, field key) a finding's path names, when it names part of the plan."""
    head, _, rest = finding.path.partition(".")
    head = head.split("[")[0]
    sections = [s for s, kind in SECTIONS if kind != "view"]
    if head not in sections:
        target = finding.target.split(":")[0]
        if target in sections:
            return target, None
        return None, None
    key = rest.split(".")[0] if rest else None
    return head, key or None
