"""`releve history PLAN`: every committed version of a plan, checked, with the moves named.

Imports stay light (no Textual); git is read with the `git` command (tui/history/git.py).
"""

from __future__ import annotations

import argparse
import sys

from releve.tui.cli.dates import iso_date, today

HELP = "the plan's git history: readiness, framing, findings and end date of every version"
DESCRIPTION = (
    "Check every committed version of a mission plan (renames followed), each as of its "
    "commit date and with the rule packs as they were in that commit, and print date, "
    "commit, readiness, framing, errors and warnings, the end date against the target, a "
    "sparkline and the biggest moves with the findings that caused them. Uncommitted "
    "changes are a last row. Results are cached by content in the user's cache folder. "
    "Exit 0, or 2 when the plan is not in git, was never committed, or the clone is shallow."
)
FORMATS = ("text", "json", "csv", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="mission plan file (TOML) kept in git")
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--since",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="only the versions committed on or after DATE (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        dest="as_of",
        metavar="DATE",
        help="check every version as of DATE, to compare edits alone (default: each "
        "version as of its commit date; uncommitted changes as of today)",
    )
    parser.add_argument(
        "--lang", choices=("en", "fr"), default=None, help="language (default: the plan's)"
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="a rule pack applied over the others in every version (repeatable)",
    )
    from releve.tui.cli.check import add_pack_options

    add_pack_options(parser)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        dest="no_cache",
        help="check every version again, neither reading nor writing the cache",
    )


def run(args: argparse.Namespace) -> int:
    from releve.tui.history.cache import Cache
    from releve.tui.history.render_history import render
    from releve.tui.history.versions import plan_history

    if args.pack:
        from releve.rules.packs import load_pack_set

        load_pack_set(extra=tuple(args.pack))  # a broken --pack: one line, exit 2
    history = plan_history(
        args.plan,
        today=today(),
        as_of=args.as_of,
        since=args.since,
        lang=args.lang,
        extra_packs=tuple(args.pack),
        cache=Cache(None) if args.no_cache else Cache.default(),
        pack_path=tuple(args.pack_path),
        packs_only=args.packs_only,
    )
    out = render(history, args.format)
    if args.format == "text":
        sys.stdout.write(out)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.buffer.flush()
    return 0
