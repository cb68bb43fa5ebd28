"""The app's panels: the header bar and the section list (findings: findings.py; the rows
of an array table: rows.py)."""

from __future__ import annotations

import math
from typing import Any

from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from releve.planner.model import Plan
from releve.rules.result import CheckResult
from releve.tui.app import keys
from releve.tui.i18n import SECTIONS, section_label, t


class HeaderBar(Widget):
    """Mission, company, file, unsaved mark, readiness score and counts by severity.

    Drawn by ``render`` and refreshed without a new layout: the header changes on every
    edit, and re-laying the screen out each time would cost more than the check itself.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._left = Text()
        self._right = Text()
        self._shown: tuple[Any, ...] | None = None

    def show(
        self,
        plan: Plan | None,
        file_name: str,
        dirty: bool,
        result: CheckResult | None,
        checking: bool,
        lang: str,
    ) -> None:
        """Show these; the mission title (then the company name) is shortened with an
        ellipsis so that the file name and the unsaved mark always fit."""
        self._shown = (plan, file_name, dirty, result, checking, lang)
        self._draw(*self._shown)
        shorter = self._fitting(plan)
        if shorter is not plan:
            self._draw(shorter, file_name, dirty, result, checking, lang)

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def _fitting(self, plan: Plan | None) -> Plan | None:
        """``plan`` with its title and company name shortened to fit the header's width."""
        width = self.size.width or self.app.size.width
        if plan is None or width <= 0:
            return plan
        # the header's grid: left, one cell of padding, right
        room = width - cell_len(self.right_text) - (2 if self.right_text else 0)
        excess = cell_len(self.left_text) - room
        if excess <= 0:
            return plan
        title = plan.mission.title or plan.mission.id
        name = plan.company.name if plan.company and plan.company.name else ""
        # The cells the title and the company name may take together (" ─ " between them).
        both = cell_len(title) + (cell_len(name) + 3 if name else 0) - excess
        keep_title = cell_len(title)
        if name:
            # The title gives way down to TITLE_MIN cells, then the company down to
            # NAME_MIN, then the company goes and the title takes what is left.
            keep_title = max(min(keep_title, TITLE_MIN), both - 3 - cell_len(name))
            keep_name = both - 3 - keep_title
            if keep_name < min(NAME_MIN, cell_len(name)):
                keep_name, keep_title = 0, both
        else:
            keep_title = both
        update: dict[str, Any] = {
            "mission": plan.mission.model_copy(update={"title": shorten(title, keep_title)})
        }
        if name and plan.company is not None:
            short = shorten(name, keep_name) if keep_name > 0 else ""
            update["company"] = plan.company.model_copy(update={"name": short})
        return plan.model_copy(update=update)

    def _draw(
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
            counts = (
                f"[red]✖ {c['error']}[/] [yellow]▲ {c['warning']}[/] [cyan]● {c['info']}[/]"
                + (f" [dim]≈ {c['waived']}[/]" if c["waived"] else "")
            )
            width = self.size.width or self.app.size.width or 120
            # The left keeps "releve", TITLE_MIN cells of the title and the file name.
            left_min = cell_len(f"releve ─  ─ {file_name}") + TITLE_MIN + (2 if dirty else 0)
            bits = score_parts(result, lang)
            from releve.tui.history.figures import days_of

            used, contracted, kind = days_of(result)
            if kind == "booked" and used is not None and contracted:
                # a tracked mission: the COO days used against the contract
                days = t(lang, "app_log.header_days", used=f"{used:g}", contracted=contracted)
                bits.append(("days", escape(days)))
            # The least needed parts go first when the header is narrow: the days used, the
            # figure without waivers, coverage, framing, the cap, the figure's name, then the
            # band's label (readiness's number, in its band's colour, and the counts stay).
            drops = (
                "days",
                "without_waivers",
                "coverage",
                "framing",
                "capped",
                "title",
                "band",
                "",
            )
            for drop in drops:
                right = join_parts(bits) + " ─ " + counts
                if cell_len(Text.from_markup(right).plain) <= max(30, width - left_min - 1):
                    break
                bits = [(k, m) for k, m in bits if k != drop]
            right = join_parts(bits) + " ─ " + counts
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


#: Cells of the mission title, and of the company name, a narrow header still shows.
TITLE_MIN = 10
NAME_MIN = 8


def join_parts(parts: list[tuple[str, str]]) -> str:
    """The score parts as the header shows them: ``·`` between them, the cap right after
    the band it explains (``79 à sécuriser (plafond EXT001) · cadrage 96``)."""
    out, before = "", ""
    for kind, markup in parts:
        glued = kind in ("capped", "band") or before == "title"
        out += (" " if glued else " · ") + markup if out else markup
        before = kind
    return out


#: The headline's colour by band (after the cap).
BAND_STYLE = {"ready": "green", "to_secure": "yellow", "not_ready": "red", "not_assessed": "dim"}


def score_parts(result: CheckResult, lang: str) -> list[tuple[str, str]]:
    """The header's score, as (kind, markup) parts: readiness with its band label in the
    band's colour (after the cap), the findings that cap it, framing, readiness without
    waivers when it differs, and coverage when the check measures it; "not assessed" in
    place of a figure when readiness is not assessed."""
    score = result.score
    band = score.band if score.overall is not None else "not_assessed"
    style = BAND_STYLE.get(band, "dim")
    label = escape(t(lang, f"band.{band}"))
    title = escape(t(lang, "readiness.title"))
    parts = [("title", title)]
    if score.overall is None:
        parts.append(("readiness", f"[{style}]{label}[/]"))
    else:
        parts.append(("readiness", f"[b {style}]{score.overall}[/]"))
        parts.append(("band", f"[{style}]{label}[/]"))
    if score.capped and score.overall is not None:  # the cap lowered it
        rules = ", ".join(dict.fromkeys(c.rule for c in score.caps))
        parts.append(("capped", escape(t(lang, "header.capped", rules=rules))))
    if score.framing is not None:
        parts.append(("framing", escape(t(lang, "header.framing", n=score.framing))))
    without = score.without_waivers
    if without is not None and without != score.overall:
        parts.append(
            ("without_waivers", f"[dim]{escape(t(lang, 'header.without_waivers', n=without))}[/]")
        )
    coverage = getattr(score, "coverage", None)
    if isinstance(coverage, (int, float)) and math.isfinite(coverage):
        pct = math.floor(max(0.0, min(1.0, float(coverage))) * 100 + 0.5)
        parts.append(("coverage", escape(t(lang, "header.coverage", pct=pct))))
    return parts


def shorten(text: str, cells: int) -> str:
    """``text`` cut to at most ``cells`` terminal cells, ending with an ellipsis when cut
    (at least one character and the ellipsis)."""
    if cell_len(text) <= cells:
        return text
    out = text
    while out[:-1] and cell_len(out) + 1 > cells:
        out = out[:-1]
    return out.rstrip() + "…"


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
