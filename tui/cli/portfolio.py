"""`releve portfolio PATH...`: one row per mission, sorted by risk, and the findings
across missions (a COO booked twice on the same weekday).

Imports stay light (no Textual).
"""

from __future__ import annotations

import argparse
import os
import sys

from releve.tui.cli.dates import iso_date, today

HELP = "one row per mission (readiness, trend, end vs target, days, next deadline), by risk"
DESCRIPTION = (
    "Check every mission plan named or found in the folders given, with the packs each "
    "plan names, and print one row per mission: company, COO, status, readiness and band, "
    "framing, the readiness trend over the last 90 days from git, the end against the "
    "target, days used against days sold, errors and the next deadline, the riskiest "
    "first. A COO booked by two missions on the same weekday in overlapping periods is a "
    "finding. A plan that cannot be read is a row with its one-line error. Exit 0, or 2 "
    "when no plan is found or the command line is wrong."
)
FORMATS = ("text", "json", "csv", "markdown", "html")


def _score(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= 100:
        raise argparse.ArgumentTypeError(f"a score is 0 to 100, not {text!r}")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="plan files, or folders to search for plans"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, csv, markdown, or html: one self-contained page",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default="-",
        help="where to write (default: standard output)",
    )
    parser.add_argument(
        "--status",
        action="append",
        choices=("planning", "running", "handed_over"),
        default=[],
        help="only missions of this status (repeatable)",
    )
    parser.add_argument(
        "--below",
        type=_score,
        default=None,
        metavar="SCORE",
        help="only missions whose readiness is below SCORE (unreadable plans are kept)",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        dest="as_of",
        metavar="DATE",
        help="the check date, YYYY-MM-DD (default: today); the trend ends there",
    )
    parser.add_argument(
        "--lang", choices=("en", "fr"), default=None, help="language (default: the plans')"
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="a rule pack applied over the others for every plan (repeatable)",
    )
    from releve.tui.cli.check import add_pack_options

    add_pack_options(parser)
    parser.add_argument(
        "--no-trend",
        action="store_true",
        dest="no_trend",
        help="do not read git history (faster on many plans; the trend column is empty)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="check plans in N worker processes when many need a check (default: one per "
        "processor the machine's load leaves idle; 1: one by one)",
    )


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"a number of worker processes, 1 or more, not {text!r}")
    return n


def _progress(done: int, total: int) -> None:
    """Plans done so far, on one line of a terminal's standard error."""
    end = "\r\x1b[K" if done >= total else ""
    sys.stderr.write(f"\rreleve portfolio: {done}/{total}{end}")
    sys.stderr.flush()


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):
        return False


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from releve.tui.history.cache import Cache
    from releve.tui.history.parallel import auto_jobs
    from releve.tui.history.portfolio import portfolio
    from releve.tui.history.render_portfolio import render, t

    for given in args.paths:
        if not os.path.lexists(given):
            from releve.planner.errors import LocatedError

            raise LocatedError("no such plan file or folder", path=given)
    if args.pack:
        from releve.rules.packs import load_pack_set

        load_pack_set(extra=tuple(args.pack))
    p = portfolio(
        args.paths,
        as_of=args.as_of or today(),
        lang=args.lang,
        extra_packs=tuple(args.pack),
        trend=not args.no_trend,
        cache=Cache.default(),
        statuses=tuple(args.status),
        below=args.below,
        pack_path=tuple(args.pack_path),
        packs_only=args.packs_only,
        jobs=args.jobs or auto_jobs(),
        progress=_progress if _is_terminal(sys.stderr) else None,
    )
    if p.total == 0:
        sys.stderr.write(
            f"releve portfolio: {t(args.lang or 'en', 'no_plans')} in {' '.join(args.paths)}\n"
        )
        return 2
    out = render(p, args.format)
    if args.output == "-":
        if args.format == "text":
            sys.stdout.write(out)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(out.encode("utf-8"))
            sys.stdout.buffer.flush()
        return 0
    from releve.tui.cli.report import check_output, write_atomic

    plan = "a plan with the portfolio"
    target = check_output(args.output, tuple(Path(r.path) for r in p.rows), nouns=(plan, plan))
    write_atomic(target, out, shown=args.output)
    sys.stderr.write(f"releve portfolio: wrote {args.output}\n")
    return 0
