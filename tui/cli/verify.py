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
    data["_shown"] = _shown_scores(text)
    return data


def _shown_scores(text: str) -> list[str]:
    """The readiness figure as the page shows it (the HTML gauge, the Markdown headline)."""
    shown = re.findall(r'data-score="([^"]*)"', text)
    shown += re.findall(r"\*\*[^*\n]*?(\d+) / 100\*\*", text)[:1]
    return shown


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between the provenance in a report and the one recomputed now."""
    out: list[str] = []
    if old.get("plan", {}).get("sha256") != new["plan"]["sha256"]:
        out.append(
            f"plan changed: its digest was {str(old.get('plan', {}).get('sha256'))[:12]} in "
            f"the report, {new['plan']['sha256'][:12]} now"
        )
    before = {p.get("id"): p for p in old.get("packs", []) if isinstance(p, dict)}
    after = {p["id"]: p for p in new["packs"]}
    for pid, p in before.items():
        if pid not in after:
            out.append(f"pack missing: {pid} made the report and is not in force now")
        elif p.get("sha256") != after[pid]["sha256"]:
            out.append(
                f"pack changed: {pid} had digest {str(p.get('sha256'))[:12]}, "
                f"{after[pid]['sha256'][:12]} now"
            )
    for pid in after:
        if pid not in before:
            out.append(f"pack added: {pid} is in force now and did not make the report")
    if old.get("releve") != new["releve"]:
        out.append(
            f"version changed: the report was made by releve {old.get('releve')}, "
            f"this is releve {new['releve']}"
        )
    if old.get("view", "full") != new["view"]:
        out.append(f"view differs: the report shows the {old.get('view')} view")
    figures = _figure_differences(old, new)
    out += figures
    return out


def _figure_differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    o, n = old["score"], new["score"]

    def shown(v: Any) -> str:
        return "not assessed" if v is None else str(v)

    if o.get("overall") != n["overall"]:
        out.append(
            f"figures differ: readiness {shown(o.get('overall'))} in the report, "
            f"{shown(n['overall'])} now"
        )
    page = [s for s in old.get("_shown", []) if s not in ("", "–")]
    if any(s != shown(o.get("overall")) for s in page):
        out.append(
            f"figures differ: the page shows readiness {', '.join(sorted(set(page)))}, its "
            f"provenance says {shown(o.get('overall'))} (the report was edited)"
        )
    op, np_ = o.get("pillars") or {}, n["pillars"]
    for p in sorted(set(op) | set(np_)):
        if op.get(p) != np_.get(p):
            out.append(
                f"figures differ: pillar {p} {shown(op.get(p))} in the report, "
                f"{shown(np_.get(p))} now"
            )
    oc, nc = old.get("counts") or {}, new["counts"]
    for k in ("error", "warning", "info", "waived"):
        if oc.get(k) != nc.get(k):
            out.append(f"figures differ: {k} {oc.get(k)} in the report, {nc.get(k)} now")
    return out


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
    diffs = differences(old, new)
    if not diffs:
        overall = new["score"]["overall"]
        figure = "not assessed" if overall is None else f"{overall}/100"
        sys.stdout.write(
            f"same score: readiness {figure} ({new['view']} view, as of {new['as_of']}, "
            f"plan {new['plan']['sha256'][:12]}, packs "
            + ", ".join(f"{p['id']} {p['sha256'][:12]}" for p in new["packs"])
            + f", releve {new['releve']})\n"
        )
        return 0
    sys.stdout.write("".join(f"{d}\n" for d in diffs))
    return 1
