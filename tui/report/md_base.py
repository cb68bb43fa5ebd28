"""What every section of the Markdown report shares: escaping, code spans, Unicode bars
and sparklines, the report's words, dates, numbers and tables."""

from __future__ import annotations

import datetime as dt
import math
import re

from releve.tui.report import Report, scaled, strings

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~])")
_BLOCKS = "▁▂▃▄▅▆▇█"


def md(text: object) -> str:
    """Plain text made safe inside a Markdown paragraph or table cell (one line)."""
    return _escape(" ".join(str(text).split()))


def _escape(text: str) -> str:
    """Markdown's special characters escaped, spaces kept (the words of a sentence)."""
    return _SPECIAL.sub(r"\\\1", text)


def code(text: object) -> str:
    """An inline code span that holds any text (backticks inside included)."""
    flat = " ".join(str(text).split())
    if not flat:
        return ""
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def bar(score: float, width: int = 20) -> str:
    """A 0–100 score as a bar of full and light blocks."""
    full = round(max(0.0, min(100.0, score)) * width / 100)
    return "█" * full + "░" * (width - full)


def sparkline(values: list[float]) -> str:
    """Values as Unicode block heights (▁ lowest, █ highest)."""
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return _BLOCKS[3] * len(values)
    return "".join(_BLOCKS[round(scaled(v, lo, hi) * (len(_BLOCKS) - 1))] for v in values)


def meter(level: int | None) -> str:
    lv = level or 0
    return "●" * lv + "○" * (4 - lv)


def _mermaid_text(text: str) -> str:
    """A task name Mermaid accepts: no colon, semicolon, hash or line break."""
    return " ".join(re.sub(r"[:;#]", " ", text).split()) or "-"


class MdBase:
    """The report's language, its lines, and helpers; each section is a mixin (md_*.py)."""

    def __init__(self, report: Report) -> None:
        self.r = report
        self.lang = report.lang
        self.plan = report.plan
        self.out: list[str] = []

    def t(self, key: str, **values: object) -> str:
        return strings.t(self.lang, key, **values)

    def num(self, value: float | None, unit: str | None = None) -> str:
        return md(strings.number(self.lang, value, unit))

    def date(self, day: dt.date | None) -> str:
        return day.isoformat() if day else self.t("unknown")

    def line(self, text: str = "") -> None:
        self.out.append(text)

    def table(self, head: list[tuple[str, str]], rows: list[list[str]]) -> None:
        """head: (label, align "l" | "r"); cells already escaped."""
        self.line("| " + " | ".join(md(h) for h, _ in head) + " |")
        self.line("|" + "|".join("---:" if a == "r" else "---" for _, a in head) + "|")
        for row in rows:
            self.line("| " + " | ".join(cell or " " for cell in row) + " |")
        self.line()
