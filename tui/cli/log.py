"""`releve log PLAN --phase ID`: append one booking to the mission log (tracking.md).

The booking is appended after the last booking (or at the end of the file) through the
store's one atomic save, with its conflict check; nothing else in the file changes. A plan
the lean reader reads (planner/lean.py) gets the booking as text, without pydantic or
tomlkit, exactly as the store's save would write it (planner/booking_text.py); any other
plan, and any text that path is not sure of, goes through the store as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from releve.tui.cli.dates import iso_date, today

if TYPE_CHECKING:
    from releve.planner.model import Phase, Plan

HELP = "log a day of COO work on a phase (appends a [[booking]]; prints booked/remaining)"
DESCRIPTION = (
    "Append a booking to a plan's mission log: a day (or part of one) the COO worked on a "
    "phase, default today and 1 day. Refuses a phase the plan does not have, or a day that "
    "is not a COO working day, unless --force. Prints the phase's booked and remaining "
    "days and the mission's new forecast end. Exit 0 when logged, 2 otherwise."
)


def _days(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        n = -1.0
    if not 0 < n <= 1:
        raise argparse.ArgumentTypeError(
            f"days must be more than 0 and at most 1 (e.g. 0.5), not {text!r}"
        )
    return n


def _utf8(text: str) -> str:
    """An argparse ``type``: text a plan can hold. Bytes of the command line that are not
    UTF-8 reach Python as lone surrogates, which no UTF-8 file can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise argparse.ArgumentTypeError(
            f"the text holds bytes that are not UTF-8 (a plan is UTF-8): {ascii(text)[:80]}"
        ) from err
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="mission plan file (TOML)")
    parser.add_argument(
        "--phase", required=True, type=_utf8, metavar="ID", help="the phase worked on"
    )
    parser.add_argument(
        "--days", type=_days, default=1, metavar="N", help="part of the day, 0 < N ≤ 1 (default 1)"
    )
    parser.add_argument(
        "--on",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="the day, YYYY-MM-DD (default today)",
    )
    parser.add_argument("--note", type=_utf8, default=None, metavar="TEXT", help="what was done")
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        default=None,
        help="language of the line printed (default: the plan's [mission].language)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="log it even on an unknown phase or a day the COO does not work",
    )


def run(args: argparse.Namespace) -> int:
    on = args.on or today()
    done = _run_lean(args, on)
    return _run_store(args, on) if done is None else done


def _run_lean(args: argparse.Namespace, on: dt.date) -> int | None:
    """The booking appended as text (no pydantic, no tomlkit: a cold ``releve log`` costs
    less than a cold ``releve check``); None when this path is not sure, and then nothing
    was written: the store's path (``_run_store``) reads, words any error, and saves.

    The plan is read by the lean reader; the new text is what the store's save would write
    (planner/booking_text.py), read again and required to be the old plan plus the booking,
    then written by the store's atomic save of a text, with its check that nobody changed
    the file since it was read."""
    from pathlib import Path

    from releve.planner import lean
    from releve.planner.booking_text import append_booking, booking_row, same_plus
    from releve.planner.store.files import TextFile, read_bytes
    from releve.planner.store.text_saving import save_text

    try:
        data, fingerprint = read_bytes(args.plan)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # the store words it, as it always did
    plan = lean.read_text(text)
    if plan is None:
        return None
    phase = _refuse_or_phase(plan, args, on)
    row = booking_row(on, args.phase, args.days, args.note)
    new_text = append_booking(text, len(plan.booking), row)
    new = lean.read_text(new_text) if new_text is not None else None
    if new_text is None or new is None or not same_plus(new, plan, row):
        return None
    save_text(new_text, args.plan, base=TextFile(Path(args.plan), text, (), fingerprint))
    return _say(plan, new, phase, args, on)


def _run_store(args: argparse.Namespace, on: dt.date) -> int:
    """The booking appended through the store: the plan validated by pydantic (its errors,
    located), saved by rendering the new plan onto the file's text."""
    from releve.planner.model import Booking
    from releve.planner.store import load, save

    pf = load(args.plan)
    plan = pf.plan
    phase = _refuse_or_phase(plan, args, on)
    days = int(args.days) if float(args.days).is_integer() else args.days
    new = plan.model_copy(deep=True)
    new.booking.append(Booking(on=on, phase=args.phase, days=days, note=args.note))
    save(new, args.plan, base=pf)
    return _say(plan, new, phase, args, on)


def _refuse_or_phase(plan: Plan, args: argparse.Namespace, on: dt.date) -> Phase | None:
    """The phase logged (None: not in the plan, forced); LocatedError for an unknown phase
    or a day the COO does not work, unless --force."""
    from releve.planner.calendar import WorkCalendar
    from releve.planner.errors import LocatedError

    phase = plan.phase_by_id(args.phase)
    if phase is None and not args.force:
        known = ", ".join(p.id for p in plan.phase) or "none"
        raise LocatedError(
            f"no phase '{args.phase}' in the plan (phases: {known}); --force logs it anyway",
            path=args.plan,
        )
    if not WorkCalendar.for_plan(plan).is_working(on) and not args.force:
        raise LocatedError(
            f"{on} is not a working day of the COO (weekday, public holiday, closure or "
            "leave); --force logs it anyway",
            path=args.plan,
        )
    return phase


def _say(plan: Plan, new: Plan, phase: Phase | None, args: argparse.Namespace, on: dt.date) -> int:
    """Print the phase's booked and remaining days and the new forecast end; exit 0."""
    from releve.planner.tracking import track
    from releve.tui import i18n

    # The forecast as of today: a day logged ahead is a plan, counted once it has come.
    now = today()
    t = track(new, now)
    lang = args.lang or str(plan.mission.language)
    name = (phase.name or phase.id) if phase is not None else args.phase
    tr = t.phases.get(args.phase)
    end = t.forecast.end.isoformat() if t.forecast.end else "—"
    if tr is not None:
        line = i18n.t(
            lang,
            "log.booked",
            phase=name,
            booked=f"{tr.booked:g}",
            remaining=f"{tr.remaining:g}",
            effort=tr.effort_days,
            end=end,
        )
    else:
        line = i18n.t(lang, "log.unknown_phase", phase=name, end=end)
    if t.variance_days:
        line += i18n.t(lang, "log.variance", variance=f"{t.variance_days:+d}")
    if on > now:
        line += i18n.t(lang, "log.future", today=now.isoformat())
    sys.stdout.write(line + "\n")
    return 0
