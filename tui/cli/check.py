"""`releve check PLAN...`: check plans against the rule packs in force and report findings.

Imports stay light (no Textual): this command runs in CI on hundreds of plans.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from releve.tui.cli.dates import iso_date, today

if TYPE_CHECKING:
    from releve.tui.render.check import Outcome, PlanFailure, RuleMeta

HELP = "check plans against the rule packs in force (text, JSON, SARIF, JUnit, Markdown)"
DESCRIPTION = (
    "Check mission plans against the default rule pack, the packs each plan names and "
    "--pack files. Exit 0: no unwaived finding at or above --fail-on; 1: at least one; "
    "2: a plan or pack could not be read, or the command line is wrong. Unreadable plans "
    "are reported on stderr and do not stop the others."
)
FORMATS = ("text", "json", "sarif", "junit", "markdown")
FAIL_ON = ("error", "warning", "info", "never")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plans", nargs="+", metavar="PLAN", help="mission plan files (TOML)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: text; json, sarif and junit for tools, markdown for "
        "merge requests and job summaries)",
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        dest="fail_on",
        help="exit 1 when an unwaived finding is at least this severe (default: error)",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        dest="as_of",
        metavar="DATE",
        help="the check date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        default=None,
        help="language of messages (default: each plan's [mission].language)",
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="a rule pack applied over the others (repeatable; later ones win)",
    )
    add_pack_options(parser)


def add_pack_options(parser: argparse.ArgumentParser, *, packs_only: bool = True) -> None:
    """--pack-path (folders a plan may name packs in) and --packs-only (the buyer's view)."""
    parser.add_argument(
        "--pack-path",
        action="append",
        default=[],
        dest="pack_path",
        metavar="DIR",
        help="a folder where plans may also name packs in [rules].packs, besides the plan's "
        "folder and its git repository (repeatable; also RELEVE_PACK_PATH)",
    )
    if packs_only:
        parser.add_argument(
            "--packs-only",
            action="store_true",
            dest="packs_only",
            help="the buyer's view: ignore the packs the plans name and do not count their "
            "waivers in the score; only the default pack and --pack files apply",
        )


def use_colour(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def failure_of(path: str, err: Exception) -> PlanFailure:
    """A plan that could not be checked, from the error that stopped it."""
    from releve.planner.errors import LocatedError
    from releve.tui.render.check import PlanFailure

    if isinstance(err, LocatedError):
        file = (
            err.path if err.path and os.path.normpath(err.path) != os.path.normpath(path) else None
        )
        # The message as the error prints it after its place: a pack error adds its rule
        # and key there ("rule GOV005, key params: …").
        text, where = str(err), err.location()
        message = text[len(where) + 2 :] if where and text.startswith(where + ": ") else text
        # Several mistakes of a pack (PackErrors: one line each, in file order).
        errors = getattr(err, "errors", None)
        several = isinstance(errors, list) and len(errors) > 1
        problems = tuple(text.split("\n")) if several else ()
        return PlanFailure(
            path=path,
            message=message,
            line=err.line,
            column=err.column,
            file=file,
            text=text,
            problems=problems,
        )
    if isinstance(err, IsADirectoryError):
        return PlanFailure(path=path, message="is a folder; name the plan files (folder/*.toml)")
    if isinstance(err, OSError):
        return PlanFailure(path=path, message=err.strerror or str(err))
    raise err


def check_paths(
    paths: Sequence[str],
    *,
    as_of: dt.date,
    lang: str | None = None,
    packs: Sequence[str] = (),
    pack_path: Sequence[str] = (),
    packs_only: bool = False,
    lean: bool = False,
) -> list[Outcome]:
    """Check each plan in turn; a plan that cannot be read becomes a `PlanFailure`.

    `lean`: read each plan with planner.lean (no pydantic when the plan surely reads, the
    same errors when it does not); its results hold lean plans, which have the models'
    values and methods but not pydantic's own (``model_dump``): for output only, as
    `releve check` does. Without it the results hold pydantic plans (`releve diff`
    compares them)."""
    from releve.planner.errors import LocatedError
    from releve.planner.lean import read_for_check
    from releve.rules.pipeline import check_plan

    outcomes: list[Outcome] = []
    for path in paths:
        try:
            # Without pydantic when the plan surely reads (planner/lean.py); a plan that
            # does not is read by planner.store.load, whose located error is the one shown.
            if lean:
                plan, text = read_for_check(path)
            else:
                from releve.planner.store import load

                pf = load(path)
                plan, text = pf.plan, pf.text
            outcomes.append(
                check_plan(
                    plan,
                    as_of=as_of,
                    path=path,
                    text=text,
                    extra_packs=tuple(packs),
                    lang=lang,
                    pack_path=tuple(pack_path),
                    packs_only=packs_only,
                )
            )
        except (LocatedError, OSError) as err:
            outcomes.append(failure_of(path, err))
    return outcomes


def rule_metas(packs: Sequence[str], lang: str | None) -> list[RuleMeta]:
    """Metadata of the rules in force without a plan (default pack and --pack files)."""
    from releve.rules.packs import load_pack_set
    from releve.tui.render.check import RuleMeta

    lg = lang or "en"
    return [
        RuleMeta(
            code=rule.code,
            name=rule.name,
            title=rule.text("title", lg),
            severity=rule.severity.value,
            pillar=rule.pillar,
            weight=rule.weight,
            rationale=rule.text("rationale", lg),
            fix=rule.text("fix", lg),
        )
        for rule in load_pack_set(extra=tuple(packs)).rules
    ]


def run(args: argparse.Namespace) -> int:
    from releve.rules.packs import load_pack_set
    from releve.tui import __version__
    from releve.tui.render.check import PlanFailure, exit_code, render

    as_of = args.as_of or today()
    if args.pack:
        # A bad --pack file concerns every plan: say it once and stop (PackError → exit 2).
        load_pack_set(extra=tuple(args.pack))
    outcomes = check_paths(
        args.plans,
        as_of=as_of,
        lang=args.lang,
        packs=args.pack,
        pack_path=args.pack_path,
        packs_only=args.packs_only,
        lean=True,
    )
    for o in outcomes:
        if isinstance(o, PlanFailure):
            sys.stderr.write("\n".join(o.lines()) + "\n")
    metas = rule_metas(args.pack, args.lang) if args.format == "sarif" else []
    out = render(
        args.format,
        outcomes,
        lang=args.lang,
        fail_on=args.fail_on,
        color=args.format == "text" and use_colour(sys.stdout),
        rules=metas,
        version=__version__,
    )
    if args.format == "text":
        sys.stdout.write(out)
    else:
        # Files for tools are UTF-8 whatever the terminal's locale.
        sys.stdout.flush()
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.buffer.flush()
    return exit_code(outcomes, args.fail_on)
