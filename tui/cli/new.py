"""`releve new PLAN [--interview]`: writes a new plan from the bundled template, or from the
answers to the first interview with the owner; never overwrites a file."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releve.tui.interview import Interview

HELP = "write a new plan from the template, or from a first interview (never overwrites)"
DESCRIPTION = (
    "Write PLAN from the plan template: every table of the format with short comments, "
    "placeholders to replace, and a plan that already loads and checks. With --interview, "
    "ask the questions of the first meeting with the owner (in the plan's language; Enter "
    "keeps the value in brackets, ? shows the help) and write a plan of the answers, with "
    "the template's comments; Ctrl-C or the end of input stops without writing anything. "
    "Refuses to overwrite an existing file (exit 2)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from releve.tui.cli.dates import iso_date

    parser.add_argument("plan", metavar="PLAN", help="the plan file to create (TOML)")
    parser.add_argument(
        "--interview",
        action="store_true",
        help="ask the first meeting's questions (answers may come from a pipe)",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="the interview's date, YYYY-MM-DD (default: today): the figures given are "
        "measured that day, and the mission starts by default the next Monday",
    )


def template_text() -> str:
    """The template plan, read from the installed package (works from a wheel)."""
    from releve.tui.interview import template_text as text

    return text()


def run(args: argparse.Namespace) -> int:
    from releve.planner.errors import LocatedError

    path = Path(args.plan)
    if os.path.lexists(path):
        raise LocatedError(
            "already exists; `releve new` never overwrites a plan: choose another name, "
            f"or open this one with `releve edit {path}`",
            path=str(path),
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():  # said now, not after twenty answers
        raise LocatedError("no such folder", path=str(path))
    if args.interview:
        return _interview(path, args)
    _create(path, template_text().encode("utf-8"))
    sys.stdout.write(
        f"Wrote {path} from the plan template.\n"
        "Next steps:\n"
        f"  1. replace the placeholders: open {path} in your editor, or run `releve edit {path}`\n"
        f"  2. check it:            releve check {path}\n"
        f"  3. see its schedule:    releve schedule {path}\n"
        "  4. editor completion:   releve schema -o releve-plan.schema.json\n"
    )
    return 0


def _interview(path: Path, args: argparse.Namespace) -> int:
    from releve.tui.cli.dates import today
    from releve.tui.interview import Interview, tr

    interview = Interview(args.as_of or today())
    try:
        converse(interview, _line_reader(), _write)
    except (EOFError, KeyboardInterrupt) as stop:
        why = "eof" if isinstance(stop, EOFError) else "interrupted"
        sys.stdout.write("\n")
        sys.stderr.write(f"{path}: {tr(interview.lang, 'stopped', why=tr(interview.lang, why))}\n")
        return 2 if why == "eof" else 130
    _create(path, interview.text().encode("utf-8"))
    sys.stdout.write(
        tr(interview.lang, "done", path=path) + "\n" + tr(interview.lang, "next", path=path) + "\n"
    )
    return 0


def converse(
    interview: Interview,
    read: Callable[[str], str | None],
    write: Callable[[str], None],
) -> None:
    """Ask every question: ``read(prompt)`` returns the line typed (None at the end of input,
    which raises EOFError); ``?`` shows the question's help, a refused answer its reason, and
    the same question comes again."""
    from releve.tui.interview import tr

    introduced = False
    while (q := interview.question()) is not None:
        if q.key != "language" and not introduced:
            write(tr(interview.lang, "intro") + "\n")
            introduced = True
        colon = " : " if interview.lang == "fr" and q.key != "language" else ": "
        shown = f" [{q.default}]" if q.default else ""
        line = read(f"{q.number}. {q.prompt}{shown}{colon}")
        if line is None:
            raise EOFError
        if line.strip() == "?":
            write(f"   {q.help}\n")
            continue
        reason = interview.answer(line)
        if reason is not None:
            write(f"   ↳ {reason}\n")


def _line_reader() -> Callable[[str], str | None]:
    """Lines from the terminal (with line editing), or from a pipe (prompts and answers shown)."""
    from releve.tui.interview import tr

    tty = sys.stdin.isatty()

    def read(prompt: str) -> str | None:
        if tty:
            try:
                return input(prompt)
            except EOFError:
                return None
        while True:
            sys.stdout.write(prompt)
            sys.stdout.flush()
            raw = sys.stdin.buffer.readline()
            if not raw:
                return None
            try:
                line = raw.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
            except UnicodeDecodeError:  # the same question again, with the reason
                sys.stdout.write(f"\n   ↳ {tr('fr', 'e.bad_text')} / {tr('en', 'e.bad_text')}\n")
                continue
            sys.stdout.write(line + "\n")  # echoed: the transcript reads as a conversation
            return line

    return read


def _write(s: str) -> None:
    sys.stdout.write(s)
    sys.stdout.flush()


def _create(path: Path, data: bytes) -> None:
    """Write a new file whole or not at all, and never over another: the store's one save
    path, exclusive (the name is taken only if free, even if a file appears meanwhile)."""
    from releve.planner.errors import LocatedError
    from releve.planner.store import save_text

    try:
        save_text(data.decode("utf-8"), path, exclusive=True)
    except FileExistsError:
        raise LocatedError(
            "already exists; `releve new` never overwrites a plan", path=str(path)
        ) from None
