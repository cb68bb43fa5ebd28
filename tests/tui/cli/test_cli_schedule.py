"""`releve schedule`: text table and chart, JSON (cli.md), CSV, ICS parsed back, what-if,
unschedulable plans."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import SAMPLES

from releve.planner.model import Plan
from releve.planner.schedule import end_with_days_per_week, schedule_plan
from releve.tui import i18n
from releve.tui.cli import main
from releve.tui.render.schedule import ics_fold, render_csv, render_ics, week_grid
from releve.tui.safe_text import visible

SAMPLE = SAMPLES / "atelier-durand.toml"
AS_OF = "2027-03-01"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["schedule", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def sample_plan() -> Plan:
    return Plan.model_validate(tomllib.loads(SAMPLE.read_text(encoding="utf-8")))


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_text_table_lists_every_phase_with_its_dates(capsys) -> None:
    code, out, err = run(capsys, str(SAMPLE), "--lang", "en")
    assert code == 0 and err == ""
    plan = sample_plan()
    schedule = schedule_plan(plan)
    lines = out.splitlines()
    names = {p.id: p.name or p.id for p in plan.phase}
    for pid, slot in schedule.phases.items():
        # a phase as the plan names it (cut to 24 columns), never its id when it has a name
        shown = names[pid] if len(names[pid]) <= 24 else names[pid][:23] + "…"
        row = next(line for line in lines if line.startswith(shown + " "))
        dates = re.search(r"(\d{4}-\d\d-\d\d) +(\d{4}-\d\d-\d\d) +(\d+) +(-?\d+)", row)
        assert dates is not None, row
        assert list(dates.groups()) == [
            slot.start.isoformat(),
            slot.end.isoformat(),
            str(slot.effort_days),
            str(slot.slack_days),
        ]
    assert f"ends {schedule.end}" in out and "Target date 2027-10-01: met." in out
    assert "Fewest COO days a week that meet the target: 2." in out
    assert all(len(line) <= 100 for line in lines)


def test_text_chart_bars_sit_on_the_booked_weeks_and_mark_the_target(capsys) -> None:
    _, out, _ = run(capsys, str(SAMPLE), "--lang", "en", "--days-per-week", "1")
    schedule = schedule_plan(sample_plan(), days_per_week=1)
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    marker = next(line for line in lines if "▼" in line)
    bar_start = marker.index("│") + 1
    grid = week_grid(schedule, max_columns=100 - 18 - 2)
    assert marker.index("▼") - bar_start == grid.column_of(schedule.target_date)
    names = {p.id: p.name or p.id for p in sample_plan().phase}
    for pid, slot in schedule.phases.items():
        # each bar is labelled with the phase's name as the plan gives it (cut to 18)
        label = names[pid] if len(names[pid]) <= 18 else names[pid][:17] + "…"
        row = next(line for line in lines if line.lstrip().startswith(label) and "│" in line)
        bars = row[row.index("│") + 1 :]
        full = {i for i, ch in enumerate(bars) if ch == "█"}
        assert full == {grid.column_of(d) for d in slot.days}, pid
        assert row.split("│")[0].endswith("●") == slot.critical
    assert "What-if: 1 COO day(s) a week" in out and "MISSED" in out


def test_french_text_follows_the_plan_language(capsys) -> None:
    _, out, _ = run(capsys, str(SAMPLE))
    assert "Date cible 2027-10-01 : tenue." in out and "début" in out


def test_json_has_the_shape_of_cli_md(capsys) -> None:
    code, out, _ = run(capsys, str(SAMPLE), "--format", "json")
    assert code == 0
    data = json.loads(out)
    schedule = schedule_plan(sample_plan())
    assert data["path"] == str(SAMPLE)
    assert data["start"] == "2027-01-04" and data["end"] == schedule.end.isoformat()
    assert data["target_date"] == "2027-10-01" and data["meets_target"] is True
    assert data["coo_days"] == schedule.coo_days == 49
    first = data["phases"][0]
    assert set(first) == {
        "id",
        "name",
        "kind",
        "start",
        "end",
        "effort_days",
        "slack_days",
        "critical",
    }
    assert first == {
        "id": "audit",
        "name": "Audit flash",
        "kind": "flash_audit",
        "start": "2027-01-04",
        "end": "2027-01-18",
        "effort_days": 5,
        "slack_days": schedule.phases["audit"].slack_days,
        "critical": False,
    }
    assert [p["id"] for p in data["phases"]] == [p.id for p in sample_plan().phase]


def test_days_per_week_what_if(capsys) -> None:
    _, out, _ = run(capsys, str(SAMPLE), "--format", "json", "--days-per-week", "3")
    data = json.loads(out)
    assert data["end"] == end_with_days_per_week(sample_plan(), 3).isoformat()
    assert data["days_per_week"] == 3
    for day in schedule_plan(sample_plan(), days_per_week=3).phases["audit"].days:
        assert day.weekday() in (0, 1, 2)


def test_csv_rows(capsys) -> None:
    _, out, _ = run(capsys, str(SAMPLE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    schedule = schedule_plan(sample_plan())
    assert [r["id"] for r in rows] == list(schedule.phases)
    sop = next(r for r in rows if r["id"] == "sop")
    assert sop["name"] == "Mise en place du S&OP"
    assert (sop["start"], sop["end"]) == (
        schedule.phases["sop"].start.isoformat(),
        schedule.phases["sop"].end.isoformat(),
    )
    assert sop["critical"] in ("true", "false")


def test_ics_parses_back_with_exclusive_end_and_stable_uids(capsys) -> None:
    import icalendar

    code, out, _ = run(capsys, str(SAMPLE), "--format", "ics", "--as-of", AS_OF)
    assert code == 0
    raw = out.encode("utf-8") if isinstance(out, str) else out
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    schedule = schedule_plan(sample_plan())
    for pid, slot in schedule.phases.items():
        event = events[f"{pid}.atelier-durand-2027@releve"]
        assert event.decoded("DTSTART") == slot.start
        assert event.decoded("DTEND") == slot.end + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    sop = events["sop.atelier-durand-2027@releve"]
    assert str(sop["SUMMARY"]) == "Mise en place du S&OP"
    assert "Booked days: 2027-03-16, 2027-03-22" in str(sop["DESCRIPTION"])
    target = events["target-date.atelier-durand-2027@releve"]
    assert target.decoded("DTSTART") == dt.date(2027, 10, 1)
    # Same plan, another day: same UIDs (a re-import updates the events).
    _, again, _ = run(capsys, str(SAMPLE), "--format", "ics", "--as-of", "2027-05-02")
    again_uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")}
    assert again_uids == set(events)
    # A what-if calendar does not overwrite the plan's events.
    _, what_if, _ = run(
        capsys, str(SAMPLE), "--format", "ics", "--as-of", AS_OF, "--days-per-week", "3"
    )
    wi = {str(e["UID"]) for e in icalendar.Calendar.from_ical(what_if).walk("VEVENT")}
    assert not wi & set(events)


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=400))
def test_ics_folding_keeps_octets_and_characters(text: str) -> None:
    folded = ics_fold("DESCRIPTION:" + text)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == "DESCRIPTION:" + text


UNSCHEDULABLE = """\
[mission]
id = "bad"
start = 2027-01-04

[[phase]]
id = "audit"
kind = "flash_audit"
after = ["handover"]
effort_days = 2

[[phase]]
id = "handover"
kind = "handover"
after = ["audit"]
effort_days = 2

[[phase]]
id = "sop"
kind = "project"
after = ["audti"]
effort_days = 2
"""


@pytest.mark.parametrize("fmt", ["text", "json", "ics"])
def test_unschedulable_plan_exits_2_naming_the_phases(capsys, tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, UNSCHEDULABLE)
    code, out, err = run(capsys, path, "--format", fmt)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:8:1: cycle in `after`: audit → handover → audit")
    assert lines[1].startswith(f"{path}:20:1: unknown phase in `after`: 'sop' is after 'audti'")
    assert "Traceback" not in err


def test_effort_that_never_fits_exits_2(capsys, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[mission]\nid = "m"\nstart = 2027-01-04\n[coo]\nworkdays = []\n'
        '[[phase]]\nid = "audit"\nkind = "flash_audit"\neffort_days = 3\n',
    )
    code, _, err = run(capsys, path)
    assert code == 2 and "'audit' (3 days)" in err and "no workdays" in err


def test_plan_without_phases(capsys, tmp_path: Path) -> None:
    path = write(tmp_path, '[mission]\nid = "m"\nstart = 2027-01-04\n')
    code, out, _ = run(capsys, path, "--lang", "en")
    assert code == 0 and "no phase to schedule" in out
    _, out, _ = run(capsys, path, "--format", "json")
    assert json.loads(out)["phases"] == [] and json.loads(out)["end"] is None


def test_wrong_command_line_exits_2(capsys) -> None:
    code, _, err = run(capsys, str(SAMPLE), "--days-per-week", "9")
    assert code == 2 and "1 to 7" in err
    code, _, err = run(capsys, "/nonexistent/plan.toml")
    assert code == 2 and "/nonexistent/plan.toml" in err


def test_week_grid_counts_every_booked_day_once() -> None:
    schedule = schedule_plan(sample_plan(), days_per_week=1)
    for columns in (5, 20, 80):
        grid = week_grid(schedule, max_columns=columns)
        assert len(grid.columns) <= columns
        for row in grid.rows:
            assert sum(row.booked) == schedule.phases[row.id].effort_days
            slot = schedule.phases[row.id]
            assert grid.column_of(slot.start) == row.within.index(True)


@pytest.mark.parametrize("text", ["20270301", "2027-W09-1", "2027-03-01T00:00"])
def test_as_of_must_be_written_yyyy_mm_dd(capsys, text: str) -> None:
    code, out, err = run(capsys, str(SAMPLE), "--format", "ics", "--as-of", text)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "YYYY-MM-DD" in err and text in err


# --- plan text holding control characters (TOML allows "\u001b") ---------------------------

CONTROLS = st.sampled_from(
    [
        "\x1b]0;pwned\x07",
        "\x1b[2J",
        "\r",
        "\n",
        "\r\n",
        "\x08",
        "\x00",
        "\x7f",
        "\x9b31m",
        "\x85",
        "\t",
        "\x0b",
        "\x0c",
    ]
)
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
HOSTILE = st.lists(CONTROLS | ANY_TEXT, max_size=5).map("".join)
RAW_CONTROL_BUT_LF = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def hostile_plan(text: str) -> Plan:
    plan = sample_plan()
    mission = plan.mission.model_copy(update={"title": "t" + text})
    phases = [
        p.model_copy(update={"name": text, "deliverables": [text, "d" + text]}) for p in plan.phase
    ]
    return plan.model_copy(update={"mission": mission, "phase": phases})


@settings(max_examples=100, deadline=None)
@given(HOSTILE)
def test_csv_never_holds_a_raw_control_character_and_parses_back(text: str) -> None:
    plan = hostile_plan(text)
    out = render_csv(plan, schedule_plan(plan))
    assert not RAW_CONTROL_BUT_LF.search(out)  # a line break stays, inside quotes
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [p.id for p in plan.phase]
    assert all(r["name"] == visible(text, keep="\n") for r in rows)


@settings(max_examples=100, deadline=None)
@given(HOSTILE)
def test_ics_never_holds_a_control_character_but_its_crlf_line_ends(text: str) -> None:
    import icalendar

    plan = hostile_plan(text)
    out = render_ics(plan, schedule_plan(plan), stamp=dt.date(2027, 3, 1))
    assert out.endswith("\r\n")
    assert not re.search("[\x00-\x1f\x7f-\x9f]", out.replace("\r\n", ""))  # RFC 5545 TEXT
    cal = icalendar.Calendar.from_ical(out)
    shown = visible(text, keep="\n\r").replace("\r\n", "\n").replace("\r", "\n")
    for event in cal.walk("VEVENT"):
        if str(event["UID"]).startswith("target-date."):
            # the target's event in the plan's language (the hostile plans are French)
            label = i18n.text(str(plan.mission.language), "schedule.ics_target")
            assert str(event["SUMMARY"]) == f"{label} — t" + shown
        else:
            assert str(event["SUMMARY"]) == (shown or str(event["UID"]).split(".")[0])


def test_control_characters_of_the_plan_file_never_reach_csv_or_ics(capsys, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        'name = "Mise en place du S&OP"', r'name = "S&OP\u001b]0;pwned\u0007\u009b2J"', 1
    )
    assert "pwned" in text
    path = write(tmp_path, text)
    _, out, _ = run(capsys, path, "--format", "csv")
    assert not RAW_CONTROL_BUT_LF.search(out) and "S&OP␛]0;pwned␇\ufffd2J" in out
    _, out, _ = run(capsys, path, "--format", "ics", "--as-of", AS_OF)
    assert not re.search("[\x00-\x1f\x7f-\x9f]", out.replace("\r\n", ""))
    assert "SUMMARY:S&OP␛]0\\;pwned␇\ufffd2J\r\n" in out  # ";" escaped as TEXT wants


# --- dates at the ends of the calendar --------------------------------------------------------


def test_a_mission_in_year_9999_is_one_located_line_not_a_traceback(capsys, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[mission]\nid = "m"\nstart = 9999-12-31\n'
        '[[phase]]\nid = "audit"\nkind = "flash_audit"\neffort_days = 3\n',
    )
    for fmt in ("text", "json", "csv", "ics"):
        code, out, err = run(capsys, path, "--format", fmt, "--as-of", AS_OF)
        assert code == 2 and out == "" and "Traceback" not in err
        assert err.startswith(f"{path}:7:1: effort cannot fit") and "'audit' (3 days)" in err


def test_a_target_on_9999_12_31_renders_in_every_format(capsys, tmp_path: Path) -> None:
    import icalendar

    text = SAMPLE.read_text(encoding="utf-8").replace(
        "target_date = 2027-10-01", "target_date = 9999-12-31", 1
    )
    path = write(tmp_path, text)
    for fmt in ("text", "json", "csv", "ics"):
        code, out, err = run(capsys, path, "--format", fmt, "--as-of", AS_OF)
        assert code == 0 and err == "" and out, fmt
    target = next(
        e
        for e in icalendar.Calendar.from_ical(out).walk("VEVENT")
        if str(e["UID"]).startswith("target-date.")
    )
    assert target.decoded("DTSTART") == dt.date.max
    assert target.decoded("DURATION") == dt.timedelta(days=1)


@settings(max_examples=60, deadline=None)
@given(HOSTILE)
def test_json_carries_any_name_exactly_and_nothing_raw(text: str) -> None:
    from releve.tui.render.schedule import render_json

    plan = hostile_plan(text)
    out = render_json(plan, schedule_plan(plan), "p.toml")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", out)
    assert all(p["name"] == text for p in json.loads(out)["phases"])
