"""The plan's history in git as the readiness view shows it: when to read it again, the
read itself, and its lines. Plain Python (no Textual): the widget (readiness.py) runs
``read_history`` in a worker thread whenever ``history_signature`` moves, and draws
``history_lines``.

``history_signature(path, as_of, lang)``: what decides the history (the file as saved, the
repository's index and HEAD, the check date and the language).
``read_history(path, today, lang) -> (state, history, error)``: the plan's versions
(``tui.history.versions.plan_history``, through the history cache); ``state`` is ``ready``,
``no_git`` (not in a git repository), ``never`` (never committed) or ``error`` (then
``error`` says why). It never raises.
``history_lines(frame, state, history, error, diff_key)``: a sparkline per figure over the
versions with its first and last values, the last ``MOVES_SHOWN`` moves of readiness,
newest first, each named by its causes, and the key that opens the diff; else one quiet
line for the state (``loading``, ``no_file``, ``no_git``, ``never``, ``error``; none for
``none``, a view without a plan file).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releve.tui import i18n
from releve.tui.app.widgets.readiness_lines import Frame
from releve.tui.app.widgets.readiness_text import Run, wrap_runs
from releve.tui.app.widgets.sparkline import sparkline
from releve.tui.history.cache import stat_stamp

if TYPE_CHECKING:
    from releve.tui.history.versions import History

#: Moves of readiness named under the history sparklines, newest first.
MOVES_SHOWN = 3

#: The states of the view's history: not shown (no plan file in this host), being read,
#: read, and the reasons there is none.
STATES = ("none", "loading", "ready", "no_file", "no_git", "never", "error")


def history_signature(path: Path, as_of: dt.date, lang: str) -> tuple[Any, ...]:
    """What decides the history: the file as saved and the repository's index and HEAD (a
    commit made outside the app moves them), the check date and language."""
    marks: list[Any] = [str(path), stat_stamp(path), as_of, lang]
    folder = path.resolve().parent
    for parent in (folder, *folder.parents):
        git = parent / ".git"
        if git.exists():
            marks += [
                stat_stamp(git / "index"),
                stat_stamp(git / "HEAD"),
                stat_stamp(git / "logs" / "HEAD"),
            ]
            break
    return tuple(marks)


def read_history(path: Path, today: dt.date, lang: str) -> tuple[str, History | None, str]:
    """The plan's history as ``(state, history, error)``; slow (git): run it off the UI
    thread. Never raises: the history must never take the view down."""
    from releve.tui.history.cache import Cache
    from releve.tui.history.git import HistoryError
    from releve.tui.history.versions import plan_history

    try:
        return "ready", plan_history(path, today=today, lang=lang, cache=Cache.default()), ""
    except HistoryError as err:
        message = err.message
        if "not in a git repository" in message:
            return "no_git", None, ""
        if "never committed" in message:
            return "never", None, ""
        return "error", None, message
    except Exception as err:  # noqa: BLE001 - the history must never take the view down
        return "error", None, f"{type(err).__name__}: {err}"


def history_lines(
    frame: Frame,
    state: str,
    history: History | None,
    error: str = "",
    diff_key: str = "",
    moves_shown: int = MOVES_SHOWN,
) -> list[list[Run]]:
    """The history's lines in ``frame`` (see the module docstring)."""
    if state != "ready":
        if state == "none":
            return []
        key = {"loading": "hist_loading", "error": "hist_error"}.get(state, f"hist_{state}")
        return wrap_runs([(frame.t(key, reason=error), "readiness--muted")], frame.width, 2)
    assert history is not None
    versions = history.versions
    lines: list[list[Run]] = [[(frame.t("hist_title", n=len(versions)), "readiness--heading")]]
    for title, values in (
        (frame.t("title"), [v.figures.readiness if v.figures.ok else None for v in versions]),
        (frame.t("framing_title"), [v.figures.framing if v.figures.ok else None for v in versions]),
    ):
        known = [v for v in values if v is not None]
        series = [math.nan if v is None else float(v) for v in values]
        spark = sparkline(series, max(1, min(frame.bar_width, len(series))))
        ends = f"{known[0]} → {known[-1]}" if known else "—"
        lines.append(
            [
                (frame.label(title), "readiness--label"),
                (spark.ljust(frame.bar_width), "readiness--spark"),
                ("  " + ends, "readiness--number"),
            ]
        )
    lines.append([("  " + frame.t("hist_moves"), "readiness--label")])
    moves = history.moves()[-moves_shown:][::-1]
    if not moves:
        lines.append([("    " + frame.t("hist_no_moves"), "readiness--muted")])
    for move in moves:
        after = move.after
        where = after.short or frame.t("hist_uncommitted")
        runs: list[Run] = [
            (f"    {after.date.isoformat()} {where}  ", "readiness--muted"),
            (move.describe(frame.lang), "readiness--message"),
        ]
        lines += wrap_runs(runs, frame.width, 6)
    if diff_key:
        hint = i18n.t(frame.lang, "readiness.diff_hint", key=diff_key)
        lines.append([("  " + hint, "readiness--muted")])
    return lines
