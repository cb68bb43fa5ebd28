"""`releve diff OLD NEW` or `releve diff PLAN --rev REV[..REV]`: what a change of a plan
changed (findings, scores by pillar, phase dates, people, processes, transfers).

Imports stay light (no Textual).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from releve.tui.cli.dates import iso_date, today

if TYPE_CHECKING:
    from releve.rules.result import CheckResult

HELP = "compare two versions of a plan: findings, scores by pillar, dates, rows changed"
DESCRIPTION = (
    "Compare two versions of a mission plan: two files (OLD NEW), or one plan in git with "
    "--rev REV (that commit against the working tree) or --rev A..B (two commits; the packs "
    "as they were in each). Both sides are checked as of the same date (--as-of, default "
    "today), so what differs comes from the edits. Prints the findings that appeared and "
    "were resolved, readiness and framing by pillar before and after, phases whose dates "
    "moved, and people, processes and transfers added, removed or changed. Exit 0, or 2 "
    "when a side cannot be read."
)
FORMATS = ("text", "json", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the old plan file (or PLAN with --rev)")
    parser.add_argument("new", metavar="NEW", nargs="?", default=None, help="the new plan file")
    parser.add_argument(
        "--rev",
        default=None,
        metavar="REV[..REV]",
        help="with one PLAN in git: REV against the working tree, or A..B two revisions",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, or markdown for a pull-request comment",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        dest="as_of",
        metavar="DATE",
        help="check both sides as of DATE, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--lang", choices=("en", "fr"), default=None, help="language (default: the plan's)"
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="a rule pack applied over the others on both sides (repeatable)",
    )
    _pack_options(parser)


def _pack_options(parser: argparse.ArgumentParser) -> None:
    from releve.tui.cli.check import add_pack_options

    add_pack_options(parser)


def _usage_error(message: str) -> int:
    sys.stderr.write(f"releve diff: {message} (see `releve diff --help`)\n")
    return 2


def _check_two(
    args: argparse.Namespace, paths: list[str], as_of: dt.date, extra: tuple[str, ...]
) -> list[CheckResult] | None:
    """Both plans checked as `releve check` checks them, the pack set loaded once when
    both have the same packs; None when one cannot be read (its lines on stderr)."""
    from releve.planner.errors import LocatedError
    from releve.planner.store import load
    from releve.rules.pipeline import check_plan
    from releve.tui.history.packsets import PackSets

    sets = PackSets(extra, tuple(args.pack_path), args.packs_only)
    results: list[CheckResult] = []
    failed = False
    for path in paths:
        try:
            pf = load(path)
            results.append(
                check_plan(
                    pf.plan,
                    as_of=as_of,
                    path=path,
                    text=pf.text,
                    extra_packs=extra,
                    lang=args.lang,
                    pack_set=sets.get(path, pf.plan),
                    pack_path=tuple(args.pack_path),
                    packs_only=args.packs_only,
                )
            )
        except (LocatedError, OSError) as err:
            from releve.tui.cli.check import failure_of

            sys.stderr.write(failure_of(path, err).one_line() + "\n")
            failed = True
    return None if failed else results


def run(args: argparse.Namespace) -> int:
    from releve.tui.history.compare import compare
    from releve.tui.history.render_diff import render

    as_of = args.as_of or today()
    extra = tuple(args.pack)
    if args.pack:
        from releve.rules.packs import load_pack_set

        load_pack_set(extra=extra)
    if args.rev is None and args.new is None:
        return _usage_error("give two plan files, or one plan and --rev REV[..REV]")
    if args.rev is not None and args.new is not None:
        return _usage_error("--rev compares versions of one plan; give one PLAN with it")
    if args.rev is not None:
        from releve.tui.history.versions import load_versions

        a, sep, b = args.rev.partition("..")
        if not a or (sep and b.startswith(".")):
            return _usage_error(f"--rev wants REV or A..B, not {args.rev!r}")
        # One repository read and one pack set for both sides when their packs agree.
        old, new = load_versions(
            args.old,
            [a, (b or "HEAD") if sep else None],
            as_of=as_of,
            lang=args.lang,
            extra_packs=extra,
            pack_path=tuple(args.pack_path),
            packs_only=args.packs_only,
        )
        old_label, new_label = a, (b or "HEAD") if sep else f"{args.old} (working tree)"
        old_result, new_result = old.result, new.result
    else:
        results = _check_two(args, [args.old, args.new], as_of, extra)
        if results is None:
            return 2
        old_result, new_result = results
        old_label, new_label = args.old, args.new
    cmp = compare(old_result, new_result, old_label=old_label, new_label=new_label)
    out = render(cmp, args.format)
    if args.format == "text":
        sys.stdout.write(out)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.buffer.flush()
    return 0
