"""`releve check --format markdown`: a report for a merge request, a CI job summary or a wiki."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from releve.tui import i18n
from releve.tui.render.check import (
    Outcome,
    PlanFailure,
    _count_phrase,
    _display_path,
    _labels,
    _location,
    fails,
    ran_lines,
)
from releve.tui.render.score_words import headline, pillar_groups, word
from releve.tui.safe_text import show_format

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")


def md_escape(s: str) -> str:
    """Text that Markdown shows as typed, on one line, safe inside a table cell (runs of
    white space become one space; so do control characters, which Markdown cannot show)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(show_format(_CONTROL.sub(" ", s)).split()))


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(
    outcomes: Sequence[Outcome], *, lang: str | None = None, fail_on: str = "error"
) -> str:
    """A report for a merge request, a CI job summary or a wiki: per plan, its score,
    pillar scores, findings (severity first) and waived findings, as GFM tables."""
    out = ["# releve check", ""]
    for o in outcomes:
        labels = _labels(lang, [o])
        if isinstance(o, PlanFailure):
            out += [
                f"## {md_escape(o.path)}",
                "",
                f"**{labels['md_unreadable']}** {md_escape(o.one_line())}",
                "",
            ]
            continue
        path = _display_path(o)
        out += [f"## {md_escape(path)} — {md_escape(o.plan.mission.id)}", ""]
        packs = md_escape(", ".join(o.packs) or "-")
        head = headline(labels["lang"], o.score).text(strong=lambda x: f"**{x}**", esc=md_escape)
        out += [
            f"{head} · {labels['as_of']} " + f"{o.as_of.isoformat()} · {labels['packs']}: {packs}",
            "",
        ]
        if o.ran is not None:
            out += [f"**{labels['md_ran_title']}**", ""]
            out += [f"- {md_escape(line.strip())}" for line in ran_lines(o.ran, labels)]
            out.append("")
        for key, group in zip(
            ("readiness_pillars", "framing_pillars"), pillar_groups(o.score), strict=True
        ):
            if not group:
                continue
            out += [f"**{md_escape(word(labels['lang'], key))}**", ""]
            out += [_md_row(labels["md_pillars"]), "|---|---:|"]
            out += [
                _md_row([md_escape(i18n.pillar_label(labels["lang"], p)), str(v)]) for p, v in group
            ]
            out.append("")
        active = [f for f in o.findings if not f.waived]
        if active:
            out += [_md_row(labels["md_findings"]), "|---|---|---|---|---|---|"]
            for f in active:
                out.append(
                    _md_row(
                        [
                            md_escape(i18n.severity_label(labels["lang"], f.severity)),
                            md_escape(f.rule),
                            md_escape(f.name),
                            md_escape(f.message),
                            md_escape(_location(o, f)),
                            md_escape(f.fix),
                        ]
                    )
                )
            out.append("")
        waived = [f for f in o.findings if f.waived]
        if waived:
            out += [f"**{labels['md_waived_title']}**", ""]
            out += [_md_row(labels["md_waived"]), "|---|---|---|---|---|"]
            for f in waived:
                out.append(
                    _md_row(
                        [
                            md_escape(f.rule),
                            md_escape(f.message),
                            md_escape(f.waiver_reason or ""),
                            md_escape(f.waiver_owner or ""),
                            f.waiver_expires.isoformat() if f.waiver_expires else "",
                        ]
                    )
                )
            out.append("")
        failed = any(fails(f, fail_on) for f in o.findings)
        verdict = labels["fails" if failed else "passes"].format(fail_on=fail_on)
        out += [f"**{md_escape(_count_phrase(o.counts(), labels))}** — {md_escape(verdict)}", ""]
    return "\n".join(out).rstrip("\n") + "\n"
