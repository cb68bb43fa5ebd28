"""`releve new PLAN`: writes a new plan from the bundled template; never overwrites a file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "write a new plan from the template (refuses to overwrite an existing file)"
DESCRIPTION = (
    "Write PLAN from the plan template: every table of the format with short comments, "
    "placeholders to replace, and a plan that already loads and checks. Refuses to overwrite "
    "an existing file (exit 2)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="the plan file to create (TOML)")


def template_text() -> str:
    """The template plan, read from the installed package (works from a wheel)."""
    from importlib.resources import files

    return files("releve.planner").joinpath("template.toml").read_text(encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    from releve.planner.errors import LocatedError

    path = Path(args.plan)
    if os.path.lexists(path):
        raise LocatedError(
            "already exists; `releve new` never overwrites a plan: choose another name, "
            f"or open this one with `releve edit {path}`",
            path=str(path),
        )
    data = template_text().encode("utf-8")
    try:
        # "x": created only if absent, even if another program creates it meanwhile.
        with open(path, "xb") as fh:
            fh.write(data)
    except FileExistsError:
        raise LocatedError(
            "already exists; `releve new` never overwrites a plan", path=str(path)
        ) from None
    sys.stdout.write(
        f"Wrote {path} from the plan template.\n"
        "Next steps:\n"
        f"  1. replace the placeholders: open {path} in your editor, or run `releve edit {path}`\n"
        f"  2. check it:            releve check {path}\n"
        f"  3. see its schedule:    releve schedule {path}\n"
        "  4. editor completion:   releve schema -o releve-plan.schema.json\n"
    )
    return 0
