"""`releve edit PLAN`: opens the terminal app on a plan (the bundled sample without PLAN)."""

from __future__ import annotations

import argparse
from pathlib import Path

from releve.tui.cli.dates import iso_date, today

HELP = "open the terminal app on PLAN (a new plan from the template when PLAN does not exist)"
DESCRIPTION = (
    "Open the terminal app on PLAN. When PLAN does not exist, the app starts from the plan "
    "template and saving creates PLAN. Without PLAN, opens the bundled sample mission as an "
    "untitled plan (saving asks where)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", nargs="?", metavar="PLAN", help="the plan file (TOML)")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="date the checks are made at (default: today)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        default=None,
        help="language of the interface and findings (default: the plan's)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    path = Path(args.plan) if args.plan else None
    if path is not None and path.exists() and not path.is_file():
        sys.stderr.write(f"{path}: not a file\n")
        return 2
    if path is not None and path.exists():
        with open(path, "rb"):  # unreadable (permissions): OSError, one line from the CLI
            pass
    from releve.tui.app.app import ReleveApp

    as_of = args.as_of or today()
    app = ReleveApp(path, as_of=as_of, lang=args.lang)
    app.run()
    # A crash inside the app must reach scripts: Textual sets return_code 1 on an
    # unhandled exception (``app._exception`` is the exception itself).
    code = app.return_code
    if code is None:
        code = 1 if getattr(app, "_exception", None) is not None else 0
    return code
