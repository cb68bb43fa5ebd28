"""`releve log` without pydantic: the booking appended as text writes the very bytes the
store's save writes (every sample, every layout, any note, date and part of a day), prints
the same line, refuses and fails with the same words, and a cold run imports neither
pydantic nor tomlkit nor textual. Whatever the lean path is not sure of goes through the
store, so nothing is ever written wrong."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, SAMPLES, sample_paths

from releve.planner import booking_text, lean, store
from releve.planner.errors import PlanError
from releve.planner.model import Booking
from releve.tui.cli import log, main

TODAY = dt.date(2027, 3, 10)
ON = "2027-03-01"  # a Monday, a working day of every sample's COO
VEGA = SAMPLES / "cabinet-vega.toml"  # bookings at the end of the file
DURAND = SAMPLES / "atelier-durand.toml"  # no booking yet: [rules] is the last table
NOTE = 'Atelier "flux" \\ étape 2\nsecond line\ttab, émoji 🚀, U+00A0:\u00a0, \x0b\x7f.'
#: Characters str.splitlines breaks a line at, that TOML strings may hold as they are.
LINE_BREAKS = "\x85\u2028\u2029"


def _forbidden(*_: object) -> int:
    raise AssertionError("the lean path gave up: the store's path ran")


def _run(path: Path, argv: list[str], *, way: str) -> tuple[int, str, str]:
    """``releve log PATH ARGV`` in this process: ``way`` "lean" (the store's path would
    fail the test), "store" (today's path through pydantic, the lean one skipped) or "any"."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(log, "today", lambda: TODAY)
        if way == "lean":
            mp.setattr(log, "_run_store", _forbidden)
        elif way == "store":
            mp.setattr(log, "_run_lean", lambda args, on: None)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["log", str(path), *argv])
    return code, out.getvalue(), err.getvalue()


def _both(tmp: Path, data: bytes, argv: list[str], *, lean_way: str = "lean") -> tuple:
    """The same booking logged on two copies of ``data``, by the lean path and by the
    store's: (lean's exit code, output, error, bytes), then the store's."""
    results = []
    for way in (lean_way, "store"):
        target = tmp / way / "plan.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        code, out, err = _run(target, argv, way=way)
        results.append((code, out, err.replace(str(target), "PLAN"), target.read_bytes()))
    return tuple(results)


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
@pytest.mark.parametrize(
    "extra",
    [[], ["--days", "0.5", f"--note={NOTE}"], ["--days", "1", "--note", "un jour entier"]],
    ids=["plain", "half-a-day-with-a-note", "one-day"],
)
def test_every_sample_gets_the_bytes_and_line_the_store_writes(tmp_path, path, extra) -> None:
    phase = store.load(path).plan.phase[-1].id
    lean_run, store_run = _both(
        tmp_path, path.read_bytes(), ["--phase", phase, "--on", ON, "--force", *extra]
    )
    assert lean_run[0] == 0 and lean_run[1].count("\n") == 1
    assert lean_run == store_run
    assert lean_run[3] != path.read_bytes()  # it did append


def _indent_bookings(text: str) -> str:
    return re.sub(r"(?m)^(on|phase|days|note) = ", r"    \1 = ", text)


#: Ways a user may have laid out a file (applied to Vega: bookings at the end; Durand: none).
LAYOUTS: dict[str, Callable[[str], str]] = {
    "as-is": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "no-final-newline": lambda t: t.rstrip("\n"),
    "crlf-no-final-newline": lambda t: t.rstrip("\n").replace("\n", "\r\n"),
    "comment-under-the-last-table": lambda t: t + "# said right below the last row\n",
    "comment-after-a-blank-line": lambda t: t + "\n# the end of the log\n",
    "comment-without-final-newline": lambda t: t + "# the very end",
    "blank-lines-at-the-end": lambda t: t + "\n\n\n",
    "indented-keys": _indent_bookings,
    "a-meeting-after-the-bookings": lambda t: (
        t + '\n# a meeting logged last\n[[meeting]]\non = 2027-02-26\nkind = "team"\n'
    ),
    "comments-between-rows": lambda t: t.replace(
        "\n[[booking]]\n", "\n# one more day\n[[booking]]  # a row\n"
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("path", [VEGA, DURAND], ids=lambda p: p.stem)
def test_every_layout_gets_the_bytes_the_store_writes(tmp_path, path, layout) -> None:
    text = LAYOUTS[layout](path.read_text(encoding="utf-8"))
    argv = ["--phase", "audit", "--on", ON, f"--note={NOTE}", "--force"]
    lean_run, store_run = _both(tmp_path, text.encode("utf-8"), argv)
    assert lean_run[0] == 0
    assert lean_run == store_run
    written = lean_run[3].decode("utf-8")
    if "\r\n" in text:  # every line of a CRLF file, the new ones too, ends with CRLF
        assert written.count("\n") == written.count("\r\n")
    else:
        assert "\r" not in written
    assert written.endswith("\n") == text.endswith("\n")
    assert written.count("[[booking]]") == text.count("[[booking]]") + 1


def test_a_byte_order_mark_is_dropped_as_the_store_drops_it(tmp_path) -> None:
    data = b"\xef\xbb\xbf" + VEGA.read_bytes()
    lean_run, store_run = _both(tmp_path, data, ["--phase", "audit", "--on", ON])
    assert lean_run == store_run and not lean_run[3].startswith(b"\xef\xbb\xbf")


def test_bookings_written_inline_go_through_the_store(tmp_path) -> None:
    """A layout the store's save edits otherwise (here as a whole document): the lean path
    steps aside, and the store writes it as it always did."""
    text = 'booking = [{ on = 2027-01-04, phase = "audit" }]\n' + DURAND.read_text(encoding="utf-8")
    plan = lean.read_text(text)
    assert plan is not None and len(plan.booking) == 1
    row = booking_text.booking_row(dt.date(2027, 3, 1), "audit", 1, None)
    assert booking_text.append_booking(text, 1, row) is None
    lean_run, store_run = _both(
        tmp_path, text.encode(), ["--phase", "audit", "--on", ON], lean_way="any"
    )
    assert lean_run == store_run and lean_run[0] == 0
    assert store.loads(lean_run[3].decode()).booking[-1].on == dt.date(2027, 3, 1)


def test_a_note_that_splitlines_breaks_in_an_indented_file_goes_through_the_store(tmp_path):
    """U+2028 (and U+0085, U+2029) stay raw in a TOML string, and the store's save, indenting
    the new row line by line, would break the note there: its own check then renders the
    whole document instead. The lean path's check sees the same, and steps aside."""
    text = _indent_bookings(VEGA.read_text(encoding="utf-8"))
    for mark in LINE_BREAKS:
        argv = ["--phase", "audit", "--on", ON, f"--note=before{mark}after"]
        lean_run, store_run = _both(tmp_path / f"{ord(mark)}", text.encode(), argv, lean_way="any")
        assert lean_run == store_run and lean_run[0] == 0
        assert store.loads(lean_run[3].decode()).booking[-1].note == f"before{mark}after"


# --- any booking: the text the lean path makes is the text the store renders ------------

TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in sample_paths()}
TEXT_LAYOUTS = ("as-is", "crlf", "no-final-newline", "comment-after-a-blank-line", "indented-keys")


def _store_render(text: str, row: dict) -> str:
    """What the store's save writes: the plan plus the booking rendered onto the text."""
    new = store.loads(text).model_copy(deep=True)
    days = row["days"]
    new.booking.append(Booking(on=row["on"], phase=row["phase"], days=days, note=row.get("note")))
    return store.render(new, text)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(TEXTS)),
    st.sampled_from(TEXT_LAYOUTS),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    st.text(min_size=1, max_size=12),
    st.one_of(st.just(1.0), st.just(0.5), st.floats(0, 1, exclude_min=True)),
    st.one_of(st.none(), st.text(max_size=40)),
)
def test_any_booking_is_appended_as_the_store_renders_it(name, layout, on, phase, days, note):
    text = LAYOUTS[layout](TEXTS[name])
    plan = lean.read_text(text)
    assert plan is not None
    row = booking_text.booking_row(on, phase, days, note)
    new_text = booking_text.append_booking(text, len(plan.booking), row)
    assert new_text is not None
    new = lean.read_text(new_text)
    if new is not None and booking_text.same_plus(new, plan, row):
        assert new_text == _store_render(text, row)
    else:  # only a raw line break in a string of an indented row (see the test above)
        assert layout == "indented-keys" and set(LINE_BREAKS) & set(phase + (note or ""))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from([VEGA, DURAND]),
    st.one_of(st.none(), st.text(max_size=30)),
    st.sampled_from(["1", "0.5", "0.25", "1.0", "0.125"]),
)
def test_the_command_writes_what_the_store_would_for_any_note(tmp_path_factory, path, note, days):
    argv = ["--phase", "audit", "--on", ON, "--days", days]
    if note is not None:
        argv.append(f"--note={note}")
    lean_run, store_run = _both(tmp_path_factory.mktemp("log"), path.read_bytes(), argv)
    assert lean_run == store_run and lean_run[0] == 0


# --- nothing is ever written wrong ---------------------------------------------------------


def test_a_text_that_would_not_read_back_right_is_written_by_the_store(tmp_path, monkeypatch):
    """The safety net: were the appended text to change anything else (here a phase's
    effort), it is not written; the store's path writes the booking instead."""
    real = booking_text.append_booking

    def wrong(text: str, bookings: int, row: dict) -> str | None:
        made = real(text, bookings, row)
        assert made is not None and "effort_days = 6" in made
        return made.replace("effort_days = 6", "effort_days = 7", 1)

    monkeypatch.setattr(booking_text, "append_booking", wrong)
    lean_run, store_run = _both(
        tmp_path, VEGA.read_bytes(), ["--phase", "audit", "--on", ON], lean_way="any"
    )
    assert lean_run == store_run
    assert store.loads(lean_run[3].decode()).phase == store.load(VEGA).plan.phase


def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path, monkeypatch) -> None:
    target = tmp_path / "vega.toml"
    shutil.copy(VEGA, target)
    theirs = VEGA.read_bytes() + b"\n# saved by someone else meanwhile\n"
    real = booking_text.append_booking

    def meanwhile(text: str, bookings: int, row: dict) -> str | None:
        target.write_bytes(theirs)  # another program saves while releve log works
        return real(text, bookings, row)

    monkeypatch.setattr(booking_text, "append_booking", meanwhile)
    code, out, err = _run(target, ["--phase", "audit", "--on", ON], way="lean")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(target) in err and "changed on disk" in err
    assert target.read_bytes() == theirs


# --- errors: the same words, the same exit codes ------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--phase", "nowhere", "--on", ON],
        ["--phase", "audit", "--on", "2027-03-02"],  # a Tuesday: Vega's COO works Mon, Wed, Thu
        ["--phase", "audit", "--days", "1.5"],
        ["--phase", "audit", "--on", "2027-02-30"],
    ],
    ids=["unknown-phase", "day-off", "days-out-of-range", "no-such-date"],
)
def test_refusals_are_worded_as_before_and_write_nothing(tmp_path, argv) -> None:
    lean_run, store_run = _both(tmp_path, VEGA.read_bytes(), argv, lean_way="any")
    assert lean_run == store_run
    assert lean_run[0] == 2 and lean_run[1] == "" and lean_run[2].count("\n") == 1
    assert lean_run[3] == VEGA.read_bytes()


@pytest.mark.parametrize(
    ("change", "data"),
    [
        ("a-wrong-type", lambda t: t.replace("effort_days = 6", 'effort_days = "six"', 1)),
        ("a-syntax-error", lambda t: t.replace("[[booking]]", "[[booking]", 1)),
        ("an-unknown-key", lambda t: t.replace("[[booking]]\n", "[[booking]]\nhours = 3\n", 1)),
        ("empty", lambda t: ""),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_plan_the_lean_reader_refuses_gets_the_store_located_error(tmp_path, change, data):
    text = data(VEGA.read_text(encoding="utf-8"))
    target = tmp_path / "vega.toml"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as expected:
        store.load(target)
    code, out, err = _run(target, ["--phase", "audit", "--on", ON], way="any")
    assert (code, out, err) == (2, "", f"{expected.value}\n")
    assert re.match(rf"{re.escape(str(target))}:\d+:\d+: ", err)
    assert target.read_text(encoding="utf-8") == text


def test_bytes_that_are_not_utf8_get_the_store_located_error(tmp_path) -> None:
    data = VEGA.read_bytes().replace(b"Atelier", b"Atelier \xff", 1)
    lean_run, store_run = _both(tmp_path, data, ["--phase", "audit", "--on", ON], lean_way="any")
    assert lean_run == store_run and lean_run[0] == 2 and "UTF-8" in lean_run[2]
    assert lean_run[3] == data


def test_a_missing_file_is_said_as_before(tmp_path) -> None:
    runs = [
        _run(tmp_path / "nowhere.toml", ["--phase", "audit", "--on", ON], way=way)
        for way in ("any", "store")
    ]
    assert runs[0] == runs[1] and runs[0][0] == 2 and "nowhere.toml" in runs[0][2]


# --- a cold run ---------------------------------------------------------------------------


def test_a_cold_log_imports_neither_pydantic_nor_tomlkit_nor_textual(tmp_path) -> None:
    target = tmp_path / "vega.toml"
    shutil.copy(VEGA, target)
    code = (
        "import sys\n"
        "from releve.tui.cli import main\n"
        f"code = main(['log', {str(target)!r}, '--phase', 'audit', '--on', '{ON}'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'pydantic_core', 'tomlkit', 'textual'))\n"
        "print('HEAVY', heavy, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last == "HEAVY [] 0", done.stdout + done.stderr
    plan = store.load(target).plan
    assert len(plan.booking) == len(store.load(VEGA).plan.booking) + 1
    assert plan.booking[-1].on == dt.date(2027, 3, 1) and plan.booking[-1].phase == "audit"


@pytest.mark.parametrize("option", ["--note", "--phase"])
def test_command_line_bytes_that_are_not_utf8_are_one_line_not_a_traceback(tmp_path, option):
    """A shell may pass bytes that are not UTF-8 (Python sees lone surrogates): no UTF-8
    plan can hold them, so the command line is refused in one line, the file untouched."""
    target = tmp_path / "vega.toml"
    shutil.copy(VEGA, target)
    argv = [b"-m", b"releve.tui.cli", b"log", bytes(target), b"--phase", b"audit"]
    argv += [b"--on", ON.encode(), b"--force", option.encode(), b"caf\xe9"]
    done = subprocess.run(
        [os.fsencode(sys.executable), *argv], cwd=ROOT, capture_output=True, check=False
    )
    err = done.stderr.decode("utf-8", "backslashreplace")
    assert done.returncode == 2 and err.count("\n") == 1, err
    assert f"argument {option}" in err and "not UTF-8" in err and "Traceback" not in err
    assert target.read_bytes() == VEGA.read_bytes()
