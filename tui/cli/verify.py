"""`releve verify REPORT PLAN [--pack FILE]...`: recompute a report's figures and say whether
they are the same, or exactly what differs (plan, pack, version, figures).

A report embeds its provenance (tui.report.Report.provenance): the plan's digest, each
pack's digest, the as-of date, the view, releve's version and the figures. A buyer who
receives a report and the plan checks both with the packs they trust.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import stat
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from releve.planner.errors import LocatedError

HELP = "recompute a report's score from its plan and packs: same score, or what differs"
DESCRIPTION = (
    "Read the provenance a report embeds (plan digest, pack digests, as-of date, view, "
    "version, figures), check the plan again with the same date and view, and say "
    '"same score" (exit 0) or each thing that differs: plan changed, pack changed, '
    "version changed, figures differ (exit 1). Exit 2 when the report or the plan cannot "
    "be read."
)
#: The largest report read (a report is a few hundred kB).
MAX_REPORT_BYTES = 64 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from releve.tui.cli.check import add_pack_options

    parser.add_argument("report", metavar="REPORT", help="a report (HTML or Markdown)")
    parser.add_argument("plan", metavar="PLAN", help="the mission plan it was made from")
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="a rule pack the report was made with (repeatable, in the same order)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        default=None,
        help="language of what is said (default: the report's)",
    )
    add_pack_options(parser, packs_only=False)


def read_provenance(path: str) -> dict[str, Any]:
    """The provenance a report embeds; LocatedError when there is none or it cannot be read."""
    try:
        st = os.stat(path)
    except (OSError, ValueError) as err:
        raise LocatedError(
            f"cannot read the report: {getattr(err, 'strerror', None) or err}", path=path
        ) from None
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_REPORT_BYTES:
        raise LocatedError("not a report file (a regular file of at most 64 MB)", path=path)
    with open(path, "rb") as f:
        text = f.read(MAX_REPORT_BYTES + 1).decode("utf-8", errors="replace")
    from releve.tui.report import PROVENANCE_ID

    m = re.search(rf'<meta name="{PROVENANCE_ID}" content="([^"]*)">', text)
    raw = html.unescape(m.group(1)) if m else None
    if raw is None:
        m = re.search(rf"<!-- {PROVENANCE_ID} (\{{.*?\}}) -->", text)
        raw = m.group(1) if m else None
    if raw is None:
        raise LocatedError(
            "no provenance in this report (made by a releve before 0.2, or not a releve "
            "report): nothing to verify against",
            path=path,
        )
    try:
        data = json.loads(raw)
    except ValueError:
        raise LocatedError("the report's provenance is not valid JSON", path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("score"), dict):
        raise LocatedError("the report's provenance has no figures", path=path)
    data["_text"] = text
    return data


def _t(lang: str, key: str, **values: object) -> str:
    from releve.tui.i18n import t

    return t(lang, f"verify.{key}", **values)


def _view(lang: str, view: object) -> str:
    return _t(lang, "view_packs_only" if view == "packs-only" else "view_full")


def differences(old: dict[str, Any], new: dict[str, Any], lang: str = "en") -> list[str]:
    """What differs between the provenance in a report and the one recomputed now, in
    ``lang``."""
    out: list[str] = []
    if old.get("plan", {}).get("sha256") != new["plan"]["sha256"]:
        before = str(old.get("plan", {}).get("sha256"))[:12]
        out.append(_t(lang, "plan_changed", before=before, after=new["plan"]["sha256"][:12]))
    before_packs = {p.get("id"): p for p in old.get("packs", []) if isinstance(p, dict)}
    after = {p["id"]: p for p in new["packs"]}
    for pid, p in before_packs.items():
        if pid not in after:
            out.append(_t(lang, "pack_missing", pack=pid))
        elif p.get("sha256") != after[pid]["sha256"]:
            out.append(
                _t(
                    lang,
                    "pack_changed",
                    pack=pid,
                    before=str(p.get("sha256"))[:12],
                    after=after[pid]["sha256"][:12],
                )
            )
    for pid in after:
        if pid not in before_packs:
            out.append(_t(lang, "pack_added", pack=pid))
    if old.get("releve") != new["releve"]:
        out.append(_t(lang, "version_changed", before=old.get("releve"), after=new["releve"]))
    if old.get("view", "full") != new["view"]:
        out.append(_t(lang, "view_differs", view=_view(lang, old.get("view"))))
    out += _figure_differences(old, new, lang)
    return out


def _figure_differences(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    from releve.tui.i18n import pillar_label, severity_label

    out = []
    o, n = old["score"], new["score"]

    def shown(v: Any) -> str:
        return _t(lang, "not_assessed") if v is None else str(v)

    def figure(what: str, before: Any, after: Any) -> str:
        return _t(lang, "figure", what=what, before=shown(before), after=shown(after))

    if o.get("overall") != n["overall"]:
        out.append(figure(_t(lang, "readiness"), o.get("overall"), n["overall"]))
    op, np_ = o.get("pillars") or {}, n["pillars"]
    for p in sorted(set(op) | set(np_)):
        if op.get(p) != np_.get(p):
            what = _t(lang, "pillar", pillar=pillar_label(lang, str(p)))
            out.append(figure(what, op.get(p), np_.get(p)))
    oc, nc = old.get("counts") or {}, new["counts"]
    for k in ("error", "warning", "info", "waived"):
        if oc.get(k) != nc.get(k):
            what = _t(lang, "waived") if k == "waived" else severity_label(lang, k)
            out.append(figure(what, oc.get(k), nc.get(k)))
    return out


# --- the page against a report rendered again --------------------------------------------

#: A figure as a page shows it: a number (1, 79, 2027-10-01, −2,3, 327.6) or a bar.
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|[█░▏▎▍▌▋▊▉]+")
#: Elements whose content is a line of its own.
_BLOCK_NAMES = (
    "address article aside blockquote body caption dd details div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul svg g text title desc"
)
_BLOCKS = frozenset(_BLOCK_NAMES.split())
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_VOID = frozenset(("br", "hr", "img", "meta", "link", "input"))
_SKIPPED = frozenset(("head", "style", "script", "template"))
#: The most differences named line by line (a changed plan moves many).
MAX_PAGE_DIFFERENCES = 12
#: The "Since …" section of `releve report --since` is read from git, not from the plan:
#: it cannot be recomputed here and is left out of the comparison (Markdown markers).
SINCE_START, SINCE_END = "<!-- releve-since -->", "<!-- /releve-since -->"


class _PageParser(HTMLParser):
    """The page's text, one line per block, under its heading; and every element
    attribute that holds a number (data-score, a bar's width, a date) as a line of its
    own, so that an edited gauge or bar counts as much as an edited sentence."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, str]] = []
        self.buf: list[str] = []
        self.heading = ""
        self.skip = 0  # inside <head>, <style>, <script>
        self.since = 0  # section depth inside the "Since" section
        self.in_heading = False
        self.in_title = False
        self.chart = ""  # inside an SVG chart: its title, up to a colon
        self.label = ""  # inside an SVG chart: its last words without a figure (a bar's)

    @property
    def context(self) -> str:
        return " › ".join(x for x in (self.heading, self.chart, self.label) if x)

    def flush(self) -> None:
        line = " ".join("".join(self.buf).split())
        self.buf = []
        if not line:
            return
        self.lines.append(("" if self.in_heading else self.context, line))
        if self.in_heading:
            self.heading = line
        elif self.in_title and not self.chart:
            self.chart = line.split(":")[0].strip()
        elif self.chart and not _FIGURE.search(line):
            self.label = line

    def _in_since(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if self.since:
            self.since += tag == "section"
            return True
        if tag == "section" and ("id", "since") in attrs:
            self.flush()
            self.since = 1
            return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_since(tag, attrs):
            return
        self.skip += tag in _SKIPPED
        if self.skip:
            return
        if tag in _BLOCKS or tag == "br":
            self.flush()
        elif self.buf:  # an inline element: the words either side stay apart ("1 warning")
            self.buf.append(" ")
        if tag in ("td", "th") and self.buf:
            self.buf.append(" | ")
        self.in_heading = self.in_heading or tag in _HEADINGS
        self.in_title = tag == "title"
        shown = [
            f'{k}="{v}"'
            for k, v in attrs
            if v and k not in ("class", "id", "href", "xmlns") and _FIGURE.search(v)
        ]
        if shown:
            self.lines.append((self.context, f"<{tag} {' '.join(shown)}>"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.since:
            self.since -= tag == "section"
        elif tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif not self.skip and tag not in _BLOCKS and self.buf:
            self.buf.append(" ")
        elif not self.skip and (tag in _BLOCKS or tag in _HEADINGS):
            self.flush()
            self.in_heading = self.in_heading and tag not in _HEADINGS
            self.in_title = False
            if tag == "svg":
                self.chart = self.label = ""

    def handle_data(self, data: str) -> None:
        if not self.skip and not self.since:
            self.buf.append(data)


def _html_lines(text: str) -> list[tuple[str, str]]:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.lines


def _markdown_lines(text: str) -> list[tuple[str, str]]:
    """The page's lines under their heading, the provenance comment and the "Since"
    section left out."""
    from releve.tui.report import PROVENANCE_ID

    lines: list[tuple[str, str]] = []
    heading, since = "", False
    for raw in text.splitlines():
        line = raw.strip()
        if line == SINCE_START:
            since = True
        elif line == SINCE_END:
            since = False
        if since or not line or line == SINCE_END or line.startswith(f"<!-- {PROVENANCE_ID}"):
            continue
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            lines.append(("", line))
        else:
            lines.append((heading, line))
    return lines


def page_lines(text: str, fmt: str) -> list[tuple[str, str]]:
    return _html_lines(text) if fmt == "html" else _markdown_lines(text)


def _excerpt(line: str, at: int, width: int = 90) -> str:
    """``line`` cut to about ``width`` characters around position ``at``."""
    if len(line) <= width:
        return line
    start = max(0, min(at - width // 2, len(line) - width))
    cut = line[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(line) else "")


def _first_change(a: str, b: str) -> tuple[int, int]:
    """Where the figures of two lines first differ, in each line."""
    fa, fb = list(_FIGURE.finditer(a)), list(_FIGURE.finditer(b))
    for x, y in zip(fa, fb, strict=False):
        if x.group() != y.group():
            return x.start(), y.start()
    i = min(len(fa), len(fb))
    return (fa[i].start() if i < len(fa) else len(a)), (fb[i].start() if i < len(fb) else len(b))


_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


def _changed_attributes(a: str, b: str) -> tuple[str, str]:
    """Two element lines (``<rect data-pillar-score="83" width="298.8">``) cut to the
    attributes that differ; other lines as they are."""
    if not (a.startswith("<") and b.startswith("<")) or a.split(" ")[0] != b.split(" ")[0]:
        return a, b
    x, y = dict(_ATTRIBUTE.findall(a)), dict(_ATTRIBUTE.findall(b))
    keys = [k for k in dict.fromkeys([*x, *y]) if x.get(k) != y.get(k)]
    tag = a.split(" ")[0]

    def show(d: dict[str, str]) -> str:
        return f"{tag} " + " ".join(f'{k}="{d[k]}"' for k in keys if k in d) + ">"

    return show(x), show(y)


def _under(heading: str, lang: str) -> str:
    return _t(lang, "under", heading=_excerpt(heading, len(heading), 100)) if heading else ""


def page_differences(
    page: str, again: str, fmt: str, *, limit: int = MAX_PAGE_DIFFERENCES, lang: str = "en"
) -> list[str]:
    """Each figure the page shows that the report rendered again from the plan does not
    show in its place: the line as the page has it and as it is recomputed, under its
    heading. Lines that differ only in words (a plan file renamed) are not figures."""
    import difflib

    old, new = page_lines(page, fmt), page_lines(again, fmt)

    def figures(line: str) -> list[str]:
        return _FIGURE.findall(line)

    matcher = difflib.SequenceMatcher(None, [t for _, t in old], [t for _, t in new], False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            (head, a), (_, b) = old[i1 + k], new[j1 + k]
            if figures(a) != figures(b):
                a, b = _changed_attributes(a, b)
                at_a, at_b = _first_change(a, b)
                out.append(
                    _t(
                        lang,
                        "page_changed",
                        page=_excerpt(a, at_a),
                        under=_under(head, lang),
                        again=_excerpt(b, at_b),
                    )
                )
        for head, a in old[i1 + pairs : i2]:
            if figures(a):
                out.append(_t(lang, "page_only", page=_excerpt(a, 0), under=_under(head, lang)))
        for head, b in new[j1 + pairs : j2]:
            if figures(b):
                out.append(_t(lang, "again_only", again=_excerpt(b, 0), under=_under(head, lang)))
    if len(out) > limit:
        more = len(out) - limit
        out = out[:limit] + [_t(lang, "more", n=more)]
    return out


def _digests_as_now(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """The page with each digest its provenance gives (plan, packs) replaced by the one
    recomputed now, in full and cut to 12 characters: a changed plan or pack is said once
    ("plan changed"), while a digest edited on the page alone is still a figure that differs."""
    pairs = [((old.get("plan") or {}).get("sha256"), new["plan"]["sha256"])]
    now = {p["id"]: p["sha256"] for p in new["packs"]}
    pairs += [
        (p.get("sha256"), now.get(p.get("id"))) for p in old.get("packs", []) if isinstance(p, dict)
    ]
    for before, after in pairs:
        if isinstance(before, str) and isinstance(after, str) and len(before) >= 12:
            text = text.replace(before, after).replace(before[:12], after[:12])
    return text


def report_format(text: str) -> str:
    """html or markdown, by what the report holds (its name may say neither)."""
    from releve.tui.report import PROVENANCE_ID

    if re.search(rf'<meta name="{PROVENANCE_ID}"', text):
        return "html"
    return "markdown"


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from releve.tui.report import build_report

    old = read_provenance(args.report)
    try:
        as_of = dt.date.fromisoformat(str(old.get("as_of")))
    except ValueError:
        raise LocatedError("the report's provenance has no as-of date", path=args.report) from None
    lang = old.get("lang") if old.get("lang") in ("en", "fr") else None
    if not Path(args.plan).exists():
        raise LocatedError("no such plan file", path=args.plan)
    report = build_report(
        args.plan,
        as_of=as_of,
        lang=lang,
        extra_packs=tuple(args.pack),
        pack_path=tuple(args.pack_path),
        packs_only=old.get("view") == "packs-only",
    )
    new = report.provenance()
    # Said in the language asked, else the report's own.
    said = args.lang or lang or "en"
    diffs = differences(old, new, said)
    now = {q["id"]: q["sha256"] for q in new["packs"]}
    then = {p.get("id"): p.get("sha256") for p in old.get("packs", []) if isinstance(p, dict)}
    moved = old.get("plan", {}).get("sha256") != new["plan"]["sha256"] or then != now
    text = old["_text"]
    if old.get("releve") == new["releve"]:
        # Every figure the page shows, against the same report rendered again: the plan's
        # file name as the report gave it, so that a renamed copy still matches.
        from dataclasses import replace

        from releve.tui.report import render

        fmt = report_format(text)
        name = str((old.get("plan") or {}).get("file") or report.plan_name)
        again = render(replace(report, plan_name=name), fmt)
        page = _digests_as_now(text, old, new)
        # A changed plan or pack moves every figure that follows from it: a few lines of
        # the page show it; with the same inputs, each line that differs is an edit.
        limit = 3 if moved else MAX_PAGE_DIFFERENCES
        found = page_differences(page, again, fmt, limit=limit, lang=said)
        diffs += [d for d in found if d not in diffs]
    if not diffs:
        overall = new["score"]["overall"]
        figure = _t(said, "not_assessed") if overall is None else f"{overall}/100"
        same = _t(
            said,
            "same",
            figure=figure,
            view=_view(said, new["view"]),
            as_of=new["as_of"],
            plan=new["plan"]["sha256"][:12],
            packs=", ".join(f"{p['id']} {p['sha256'][:12]}" for p in new["packs"]),
            version=new["releve"],
        )
        sys.stdout.write(same + "\n")
        if SINCE_START in text or '<section id="since"' in text:
            sys.stdout.write(_t(said, "since") + "\n")
        return 0
    sys.stdout.write("".join(f"{d}\n" for d in diffs))
    return 1
