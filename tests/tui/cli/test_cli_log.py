"""`releve log`: appends one booking, refuses what tracking.md calls a mistake, and leaves
every other byte of the file unchanged."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SAMPLES as SAMPLE_DIR
from support import sample_paths

from releve.planner import store
from releve.planner.calendar import WorkCalendar
from releve.tui.cli import main

SAMPLES = sample_paths()
VEGA = SAMPLE_DIR / "cabinet-vega.toml"


@pytest.fixture
def vega(tmp_path: Path) -> Path:
    target = tmp_path / "vega.toml"
    shutil.copy(VEGA, target)
    return target


def test_logs_a_day_and_says_booked_remaining_and_forecast_end(vega, capsys, monkeypatch) -> None:
    monkeypatch.setattr("releve.tui.cli.log.today", lambda: dt.date(2027, 3, 10))
    before = store.load(vega).plan
    phase = before.phase[-1]  # the handover: nothing booked on it yet (Vega has a log)
    assert not any(b.phase == phase.id for b in before.booking)
    code = main(
        ["log", str(vega), "--phase", phase.id, "--on", "2027-03-01", "--note", "Atelier"]
        + ["--lang", "en"]
    )
    out = capsys.readouterr().out
    assert code == 0
    after = store.load(vega).plan
    assert len(after.booking) == len(before.booking) + 1
    new = after.booking[-1]
    assert (new.on, new.phase, new.days, new.note) == (dt.date(2027, 3, 1), phase.id, 1, "Atelier")
    assert out.count("\n") == 1 and (phase.name or phase.id) in out
    assert "1 day(s) booked" in out and "remaining" in out and "forecast end 20" in out


def test_the_line_speaks_the_plan_language_and_a_day_ahead_counts_later(
    vega, capsys, monkeypatch
) -> None:
    monkeypatch.setattr("releve.tui.cli.log.today", lambda: dt.date(2027, 2, 10))
    phase = store.load(vega).plan.phase[-1]  # nothing booked on it yet
    assert main(["log", str(vega), "--phase", phase.id, "--on", "2027-03-01"]) == 0
    out = capsys.readouterr().out
    # Vega is French; the day is after "today": not yet counted in the forecast, and said so
    assert "0 jour(s) faits" in out and "fin prévue le 20" in out
    assert "après aujourd'hui (2027-02-10)" in out


def test_half_a_day(vega, capsys) -> None:
    phase = store.load(vega).plan.phase[0].id
    assert main(["log", str(vega), "--phase", phase, "--on", "2027-03-01", "--days", "0.5"]) == 0
    assert store.load(vega).plan.booking[-1].days == 0.5
    assert "days = 0.5" in vega.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--phase", "nowhere", "--on", "2027-03-01"], ["no phase 'nowhere'", "--force"]),
        (["--phase", "audit", "--on", "2027-03-02"], ["2027-03-02", "not a working day"]),  # Tue
    ],
)
def test_refuses_an_unknown_phase_or_a_day_off_unless_forced(vega, capsys, args, words) -> None:
    text = vega.read_bytes()
    assert main(["log", str(vega), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and all(w in err for w in words)
    assert vega.read_bytes() == text
    assert main(["log", str(vega), *args, "--force"]) == 0
    assert store.load(vega).plan.booking[-1].phase == args[1]


@pytest.mark.parametrize("bad", ["2", "0", "-1", "half"])
def test_days_out_of_range_is_a_command_line_error(vega, capsys, bad) -> None:
    assert main(["log", str(vega), "--phase", "audit", "--days", bad]) == 2
    assert "days must be" in capsys.readouterr().err


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(SAMPLES),
    st.integers(0, 10_000),
    st.integers(0, 400),
    st.one_of(st.none(), st.text(min_size=1, max_size=30)),
)
def test_every_other_byte_is_unchanged(tmp_path_factory, path, pick, offset, note) -> None:
    target = tmp_path_factory.mktemp("log") / path.name
    shutil.copy(path, target)
    before = target.read_text(encoding="utf-8")
    plan = store.loads(before)
    phase = plan.phase[pick % len(plan.phase)].id
    cal = WorkCalendar.for_plan(plan)
    days = cal.working_days(plan.mission.start, plan.mission.start + dt.timedelta(days=400))
    on = days[offset % len(days)]
    args = ["log", str(target), "--phase", phase, "--on", on.isoformat()]
    if note is not None:
        args.append(f"--note={note}")  # a note may start with "-": the = form takes it whole
    assert main(args) == 0
    after = target.read_text(encoding="utf-8")
    reread = store.loads(after)
    assert reread.booking[:-1] == plan.booking and reread.booking[-1].phase == phase
    assert reread.model_copy(update={"booking": plan.booking}) == plan
    # the new text is the old one with the new row inserted whole, nowhere else changed
    import difflib

    ops = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()]
    changes = [op for op in ops if op[0] != "equal"]
    assert len(changes) == 1 and changes[0][0] == "insert", changes
    inserted = after[changes[0][3] : changes[0][4]]
    assert "[[booking]]" in inserted and f'phase = "{phase}"' in inserted
