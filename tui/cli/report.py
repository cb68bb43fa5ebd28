"""`releve report PLAN`: write the readiness report (self-contained HTML, or Markdown).

Imports stay light (no Textual); the report modules load only when the command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from releve.planner.errors import LocatedError
from releve.tui.cli.dates import iso_date, today

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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="mission plan file (TOML)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html (default): one self-contained file that prints to PDF; markdown: for a "
        "git repository or a pull request",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="where to write; '-' is standard output (default: PLAN-report.html in the "
        "current folder for html, standard output for markdown)",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        dest="as_of",
        metavar="DATE",
        help="the report date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        default=None,
        help="language of the report (default: the plan's [mission].language)",
    )
    parser.add_argument(
        "--since",
        default=None,
        metavar="DATE|REV",
        help="add the readiness trend since DATE (YYYY-MM-DD) or a git revision, and what "
        "changed since (the plan must be in git)",
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="a rule pack applied over the others (repeatable; later ones win)",
    )
    from releve.tui.cli.check import add_pack_options

    add_pack_options(parser)


def default_output(plan: str, fmt: str) -> str:
    """``atelier.toml`` → ``atelier-report.html`` in the current folder; Markdown → stdout."""
    return f"{Path(plan).stem}-report.html" if fmt == "html" else "-"


class OutputError(LocatedError):
    """The report cannot be written where -o says (no such folder, a folder, an input)."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(
    out: str,
    inputs: tuple[str | Path, ...],
    *,
    nouns: tuple[str, str] = ("the plan with its report", "a rule pack with the report"),
) -> Path:
    """The file to write for ``-o out``, or OutputError (one line, naming ``out`` as given)
    when it is a folder, is in no folder, is one of the input files (the plan, a pack) or is
    another existing TOML file: a report never replaces what it was made from. ``nouns``:
    what the first input and the others are, as the refusal names them."""
    path = Path(out)
    target = Path(os.path.realpath(path))  # write through a symbolic link, not over it
    if path.is_dir():
        raise OutputError("is a folder; give a file name", path=out)
    folder = target.parent
    if not folder.is_dir():
        shown = str(path.parent) if str(path.parent) not in ("", ".") else str(folder)
        raise OutputError(f"no such folder {shown!r}", path=out)
    for n, source in enumerate(inputs):
        if _same_file(target, Path(source)):
            what = nouns[0] if n == 0 else nouns[1]
            raise OutputError(f"refusing to overwrite {what}; choose another -o", path=out)
    if target.exists() and target.suffix.lower() == ".toml":
        raise OutputError(
            "refusing to overwrite a TOML file with the report; choose another -o", path=out
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError("the file is read-only", path=out)
    return target


def write_atomic(path: Path, text: str, *, shown: str | None = None) -> None:
    """Write the report with the store's one atomic write (a temporary file in the same
    folder, renamed over the file), so a reader never sees half of it.

    The file gets the mode of the file it replaces, else the one the umask gives a new file
    (0644 usually). An error names ``shown`` (the path as the user gave it), never the
    temporary file.
    """
    from releve.planner.store.atomic import write_atomic as write

    shown = shown or str(path)
    try:
        write(path, text.encode("utf-8"), shown=shown)
    except OSError as err:
        reason = err.strerror or str(err)
        if not getattr(err, "folder", None):  # else the store's reason names the folder
            reason = f"cannot write: {reason}"
        raise OutputError(reason, path=shown) from None


def _with_since(text: str, args: argparse.Namespace, as_of: Any, report: object) -> str:
    """The report with its "Since …" section (tui/report/trend.py) after the score."""
    from releve.tui.history.cache import Cache
    from releve.tui.report import strings, trend

    lang = getattr(report, "lang", None) or args.lang or "en"
    since = trend.build_trend(
        args.plan,
        args.since,
        as_of=as_of,
        lang=lang,
        extra_packs=tuple(args.pack),
        cache=Cache.default(),
        pack_path=tuple(args.pack_path),
        packs_only=args.packs_only,
    )
    section = trend.render_html(since) if args.format == "html" else trend.render_markdown(since)
    return trend.insert(text, section, args.format, strings.t(lang, "findings.h"))


def run(args: argparse.Namespace) -> int:
    from releve.tui.report import build_report, render

    as_of = args.as_of or today()
    try:
        report = build_report(
            args.plan,
            as_of=as_of,
            lang=args.lang,
            extra_packs=tuple(args.pack),
            pack_path=tuple(args.pack_path),
            packs_only=args.packs_only,
        )
        text = render(report, args.format)
        if args.since:
            text = _with_since(text, args, as_of, report)
    except (OverflowError, ValueError) as err:
        # A date pushed past 9999-12-31 (or before year 1) somewhere in the planner: one
        # line, not a traceback. Any other ValueError is a bug and is raised as one.
        if isinstance(err, ValueError) and "out of range" not in str(err):
            raise
        raise LocatedError(
            f"a date is out of range (dates end on 9999-12-31): {err}", path=args.plan
        ) from None
    out = args.output or default_output(args.plan, args.format)
    if out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    write_atomic(check_output(out, (args.plan, *report.inputs)), text, shown=out)
    sys.stderr.write(f"releve report: wrote {out}\n")
    return 0
