"""The app's panels: header bar, section list, findings list and the table of an array's rows."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option

from releve.planner.model import Plan
from releve.rules.result import CheckResult, Finding
from releve.tui.app import forms, keys
from releve.tui.i18n import SECTIONS, field_label, section_label, t

SEVERITY_ICON = {"error": "✖", "warning": "▲", "info": "●"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}

_NAV = [
    Binding("down", "cursor_down", show=False),
    Binding("up", "cursor_up", show=False),
    Binding("home", "first", show=False),
    Binding("end", "last", show=False),
    Binding("pagedown", "page_down", show=False),
    Binding("pageup", "page_up", show=False),
]


class HeaderBar(Widget):
    """Mission, company, file, unsaved mark, readiness score and counts by severity.

    Drawn by ``render`` and refreshed without a new layout: the header changes on every
    edit, and re-laying the screen out each time would cost more than the check itself.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._left = Text()
        self._right = Text()

    def show(
        self,
        plan: Plan | None,
        file_name: str,
        dirty: bool,
        result: CheckResult | None,
        checking: bool,
        lang: str,
    ) -> None:
        parts = ["[b]releve[/b]"]
        if plan is not None:
            parts.append(escape(plan.mission.title or plan.mission.id))
            if plan.company and plan.company.name:
                parts.append(escape(plan.company.name))
        parts.append(escape(file_name) + (" [b yellow]●[/]" if dirty else ""))
        right = ""
        if result is not None:
            c = result.counts()
            right = (
                f"{t(lang, 'score')} [b]{result.score.overall}[/b] ─ "
                f"[red]✖ {c['error']}[/] [yellow]▲ {c['warning']}[/] [cyan]● {c['info']}[/]"
                + (f" [dim]≈ {c['waived']}[/]" if c["waived"] else "")
            )
        elif checking:
            right = f"[dim]{t(lang, 'checking')}[/]"
        left_text, right_text = Text.from_markup(" ─ ".join(parts)), Text.from_markup(right)
        if (left_text, right_text) != (self._left, self._right):
            self._left, self._right = left_text, right_text
            self.refresh()

    @property
    def left_text(self) -> str:
        return self._left.plain

    @property
    def right_text(self) -> str:
        return self._right.plain

    def render(self) -> Table:
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(self._left, self._right)
        return grid


class SectionList(OptionList):
    """The sections of the plan with their row counts; j/k/g/G move."""

    BINDINGS = keys.bindings(keys.VIM_KEYS)

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        keys.localize(self, lang)

    def show(self, plan: Plan | None) -> None:
        counts = tuple(
            len(getattr(plan, s)) if plan is not None and kind == "array" else -1
            for s, kind in SECTIONS
        )
        if counts == getattr(self, "_counts", None):
            return  # rebuilding the options re-lays the screen out: only when counts change
        self._counts = counts
        highlighted = self.highlighted
        options: list[Option | None] = []
        for section, kind in SECTIONS:
            if section == "timeline":
                options.append(None)
            label = section_label(self.lang, section)
            if kind == "array" and plan is not None:
                count = len(getattr(plan, section))
                prompt = Text(f"{label:<13}") + Text(f"{count:>3}", style="dim")
            else:
                prompt = Text(label)
            options.append(Option(prompt, id=section))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            if highlighted is not None:
                self.highlighted = highlighted

    def select_section(self, section: str) -> None:
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = self.get_option_index(section)


class FindingsList(OptionList, inherit_bindings=False):
    """Findings of the last check: severity, code, message and where it takes you."""

    BINDINGS = _NAV + keys.bindings(keys.VIM_KEYS) + keys.bindings(keys.FINDING_KEYS)

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.findings: list[Finding] = []
        keys.localize(self, lang)

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


class RowTable(DataTable, inherit_bindings=False):
    """The rows of one array table: one line per row, no widget per row."""

    BINDINGS = (
        [
            Binding("down", "cursor_down", show=False),
            Binding("up", "cursor_up", show=False),
            Binding("pagedown", "page_down", show=False),
            Binding("pageup", "page_up", show=False),
            Binding("home", "scroll_top", show=False),
            Binding("end", "scroll_bottom", show=False),
            Binding("enter", "app.edit_row", show=False),
        ]
        + keys.bindings(keys.VIM_KEYS)
        + keys.bindings(keys.TABLE_KEYS)
    )

    def __init__(self, table: str, lang: str, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.table = table
        self.lang = lang
        self.columns_keys = forms.TABLE_COLUMNS[table]
        self.specs = {s.key: s for s in forms.field_specs(table)}
        self.rows_source: list[Any] | None = None  # the rows shown (see the app)
        keys.localize(self, lang)

    def on_mount(self) -> None:
        for key in self.columns_keys:
            self.add_column(field_label(self.lang, key), key=key)

    def show(self, plan: Plan, cursor: int | None = None) -> None:
        rows = getattr(plan, self.table)
        row = self.cursor_row if cursor is None else cursor
        self.clear()
        specs = self.specs
        for i, item in enumerate(rows):
            values = forms.row_values(item)
            # Text cells: a DataTable parses plain strings as markup, and plan text
            # ("Chef d'atelier [intérim]") must show as typed.
            self.add_row(
                *[
                    Text(_clip(forms.cell_text(specs[k], values.get(k), self.lang), 32))
                    for k in self.columns_keys
                ],
                key=str(i),
            )
        if rows:
            self.move_cursor(row=max(0, min(row, len(rows) - 1)), animate=False)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))


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


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
