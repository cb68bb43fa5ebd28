"""`releve report PLAN`: write the readiness report (self-contained HTML, or Markdown).

Imports stay light (no Textual); the report modules load only when the command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

HELP = "write the readiness report of a plan (self-contained HTML or Markdown)"
DESCRIPTION = (
    "Write the readiness report of a mission plan: cover, readiness score by pillar and where "
    "each lost point comes from, findings and waivers, the schedule as a Gantt chart, the "
    "knowledge-transfer plan, the founder-dependence map, indicators, weak signals and "
    "irritants. HTML is one file with no network access that prints to A4; Markdown suits "
    "a git repository or a pull request. Exit 0 when written, 2 when the plan or a pack "
    "cannot be read."
)
FORMATS = ("html", "markdown")


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="mission plan file (TOML)")
    parser.add_argument(
        "--format", choices=FORMATS, default="html",
        help="html (default): one self-contained file that prints to PDF; markdown: for a "
        "git repository or a pull request",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", default=None,
        help="where to write; '-' is standard output (default: PLAN-report.html in the "
        "current folder for html, standard output for markdown)",
    )
    parser.add_argument(
        "--as-of", type=_iso_date, default=None, dest="as_of", metavar="DATE",
        help="the report date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--lang", choices=("en", "fr"), default=None,
        help="language of the report (default: the plan's [mission].language)",
    )
    parser.add_argument(
        "--pack", action="append", default=[], metavar="FILE",
        help="a rule pack applied over the others (repeatable; later ones win)",
    )


def default_output(plan: str, fmt: str) -> str:
    """``atelier.toml`` → ``atelier-report.html`` in the current folder; Markdown → stdout."""
    return f"{Path(plan).stem}-report.html" if fmt == "html" else "-"


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    from tui.report import build_report, render

    as_of = args.as_of or dt.date.today()  # the one clock read: the default report date
    report = build_report(args.plan, as_of=as_of, lang=args.lang, extra_packs=tuple(args.pack))
    text = render(report, args.format)
    out = args.output or default_output(args.plan, args.format)
    if out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    write_atomic(Path(out), text)
    sys.stderr.write(f"releve report: wrote {out}\n")
    return 0
