"""`releve schedule PLAN`: the phases' dates on the COO's working days (text, JSON, CSV, ICS).

Imports stay light (no Textual): the planner and renderers load when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from releve.tui.cli.dates import iso_date, today

if TYPE_CHECKING:
    from releve.planner.model import Plan
    from releve.planner.schedule import Schedule, UnschedulableError

HELP = "print the schedule of a plan's phases (text, json, csv or ics); what-if days a week"
DESCRIPTION = (
    "Schedule the phases of a mission plan on the COO's working days (TaskJuggler-exact: "
    "see docs/scheduling.md) and print each phase's start, end, effort, slack and whether it "
    "is critical, then a week-by-week chart. --days-per-week N shows the schedule if the COO "
    "worked the first N weekdays of each week. Exit 0 when scheduled, 2 when the plan cannot "
    "be read or scheduled (a cycle or unknown phase in `after`, effort that never fits)."
)
FORMATS = ("text", "json", "csv", "ics")


def _days(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 1 <= n <= 7:
        raise argparse.ArgumentTypeError(f"days a week must be 1 to 7, not {text!r}")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="mission plan file (TOML)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default): table and week chart; json; csv; ics: an iCalendar file of "
        "all-day events to import in a calendar",
    )
    parser.add_argument(
        "--days-per-week",
        type=_days,
        default=None,
        dest="days_per_week",
        metavar="N",
        help="what-if: the COO works the first N weekdays from Monday (1 to 7) instead of "
        "[coo].workdays",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        dest="as_of",
        metavar="DATE",
        help="the check date, YYYY-MM-DD (default: today): with a mission log ([[booking]], "
        "done_on), the forecast counts what was logged up to that day and plans the rest from "
        "the day after; the date the calendar file is stamped with (ICS DTSTAMP)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        default=None,
        help="language of the text output (default: the plan's [mission].language)",
    )


def unschedulable(schedule: Schedule, plan: Plan, path: str, text: str) -> UnschedulableError:
    """The error to raise for a schedule with problems, pointing at each problem's first
    phase (its ``after`` key when the text has one)."""
    from releve.planner.schedule import UnschedulableError

    places: list[tuple[int | None, int | None]] = []
    try:
        from releve.planner.store import locate
    except ImportError:  # pragma: no cover - the store always ships with the planner
        locate = None  # type: ignore[assignment]
    index = {p.id: i for i, p in enumerate(plan.phase)}
    for problem in schedule.problems:
        where = None
        if locate is not None:
            i = index[problem.phases[0]]
            key = "effort_days" if problem.kind == "no_fit" else "after"
            where = locate(text, ("phase", i, key))
        places.append(where or (None, None))
    return UnschedulableError(schedule.problems, path=path, places=places)


def run(args: argparse.Namespace) -> int:
    from releve.planner.schedule import fewest_days_per_week, schedule_plan
    from releve.planner.store import load
    from releve.tui import __version__
    from releve.tui.render import schedule as render

    pf = load(args.plan)
    plan = pf.plan
    schedule = schedule_plan(plan, days_per_week=args.days_per_week)
    if not schedule.ok:
        raise unschedulable(schedule, plan, args.plan, pf.text)
    as_of = args.as_of or today()
    tracking = None
    if plan.booking or any(p.done_on is not None for p in plan.phase):
        from releve.planner.tracking import track

        # The what-if applies to the forecast; the baseline stays the plan's own schedule.
        base = schedule if args.days_per_week is None else schedule_plan(plan)
        try:
            tracking = track(plan, as_of, days_per_week=args.days_per_week, baseline=base)
        except (ValueError, OverflowError):
            # no day after the check date to plan the rest on (9999-12-31): untracked, as
            # the check pipeline takes it (rules.facts.tracking.safe_track)
            tracking = None
    lang = args.lang or str(plan.mission.language)
    if args.format == "json":
        out = render.render_json(plan, schedule, args.plan, tracking)
    elif args.format == "csv":
        out = render.render_csv(plan, schedule, tracking)
    elif args.format == "ics":
        out = render.render_ics(
            plan, schedule, stamp=as_of, version=__version__, tracking=tracking, lang=lang
        )
    elif tracking is not None and tracking.tracked:
        out = render.render_tracked_text(plan, tracking, lang=lang)
    else:
        fewest = fewest_days_per_week(plan)
        out = render.render_text(plan, schedule, lang=lang, fewest=fewest, show_fewest=True)
    buffer = getattr(sys.stdout, "buffer", None)
    if args.format == "ics" and buffer is not None:
        # Bytes, so the CRLF line ends reach the file unchanged on every platform.
        sys.stdout.flush()
        buffer.write(out.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(out)
    return 0
