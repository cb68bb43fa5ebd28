"""`releve schedule` of a tracked plan (issue 11, tracking.md): baseline and forecast side
by side in the text table and chart, the forecast in JSON, CSV and ICS (with the log's
meetings), the what-if applied to the forecast; an untracked plan's output unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest
from support import DURAND_DAYS, SAMPLES

from releve.planner import store
from releve.planner.schedule import schedule_plan
from releve.planner.tracking import track
from releve.tui.cli import main

SAMPLE = SAMPLES / "atelier-durand.toml"
AS_OF = dt.date(2027, 1, 26)

# The audit done on 2027-01-12 after three days; the diagnostic started, two days booked,
# one of them after the check date (a plan, not a fact); one steering meeting.
LOG = (
    DURAND_DAYS
    + """
[[meeting]]
on = 2027-01-19
kind = "steering"
attendees = ["marc", "sophie"]
decisions = ["Le chantier achats démarre en février"]
actions = [{ what = "Envoyer la procédure devis", owner = "sophie", due = 2027-02-16 }]
"""
)


@pytest.fixture
def tracked(tmp_path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace('id = "audit"\n', 'id = "audit"\ndone_on = 2027-01-12\n', 1)
    path = tmp_path / "tracked.toml"
    path.write_text(text + LOG, encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["schedule", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def expected(path: Path, days_per_week: int | None = None):
    plan = store.load(path).plan
    return plan, track(plan, AS_OF, days_per_week=days_per_week, baseline=schedule_plan(plan))


def test_text_shows_plan_against_actual(capsys, tracked) -> None:
    plan, t = expected(tracked)
    assert t.tracked and t.phases["audit"].done and t.phases["diag"].booked == 1
    code, out, _ = run(capsys, str(tracked), "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Plan against actual, as of 2027-01-26")
    assert all(len(line) <= 100 for line in lines)
    audit = next(line for line in lines if line.startswith("Audit flash "))
    assert audit.split()[2:] == [
        "done",
        t.phases["audit"].baseline.end.isoformat(),
        "2027-01-04",
        "2027-01-12",
        f"{t.phases['audit'].variance_days:+d}",
        "3/5",
    ]
    diag = next(line for line in lines if line.startswith("Diagnostic opérationnel"))
    assert "started" in diag and diag.endswith("1/8")
    assert f"forecast end {t.forecast.end}" in out
    assert f"plan end {t.baseline.end}" in out
    booked = t.booked_days
    assert f"COO days: {booked:g} booked + {t.remaining_days:g} remaining" in out
    # the chart draws the days worked up to the check date apart, and marks that date
    assert "↓ as of 2027-01-26" in out
    audit_bar = next(
        line for line in lines if line.lstrip().startswith("Audit flash") and "│" in line
    )
    assert "▓" in audit_bar and "█" not in audit_bar  # done: every day is a day worked
    assert "phase" in lines[2] and "audit" not in out  # names, never ids


def test_french_text(capsys, tracked) -> None:
    code, out, _ = run(capsys, str(tracked), "--as-of", AS_OF.isoformat())
    assert code == 0
    assert out.startswith("Prévu et réalisé au 2027-01-26")
    assert "terminée" in out and "commencée" in out and "Jours DOE : 4 faits" in out


def test_json_carries_baseline_and_forecast(capsys, tracked) -> None:
    plan, t = expected(tracked)
    code, out, _ = run(capsys, str(tracked), "--as-of", AS_OF.isoformat(), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2027-01-26" and data["tracked"] is True
    assert data["forecast"]["end"] == t.forecast.end.isoformat()
    assert data["forecast"]["variance_days"] == t.variance_days
    assert data["booked_days"] == 4 and data["contracted_days"] == plan.coo.contracted_days
    for row in data["phases"]:
        pt = t.phases[row["id"]]
        assert row["baseline"] == {"start": str(pt.baseline.start), "end": str(pt.baseline.end)}
        assert row["forecast"] == {"start": str(pt.forecast.start), "end": str(pt.forecast.end)}
        assert (row["booked"], row["remaining"], row["status"]) == (
            pt.booked,
            pt.remaining,
            pt.status,
        )
        # the cli.md keys keep the baseline
        assert (row["start"], row["end"]) == (row["baseline"]["start"], row["baseline"]["end"])
    assert data["phases"][0]["done_on"] == "2027-01-12"


def test_csv_has_the_forecast_columns(capsys, tracked) -> None:
    _, t = expected(tracked)
    code, out, _ = run(capsys, str(tracked), "--as-of", AS_OF.isoformat(), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    for r in rows:
        pt = t.phases[r["id"]]
        assert r["forecast_end"] == pt.forecast.end.isoformat()
        assert r["status"] == pt.status
        assert float(r["booked"]) == pt.booked
    assert rows[0]["done_on"] == "2027-01-12" and rows[1]["done_on"] == ""


def test_ics_has_forecast_dates_and_the_meetings(capsys, tracked) -> None:
    _, t = expected(tracked)
    code, out, _ = run(capsys, str(tracked), "--as-of", AS_OF.isoformat(), "--format", "ics")
    assert code == 0
    cal = icalendar.Calendar.from_ical(out)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    for pid, pt in t.phases.items():
        e = events[f"{pid}.atelier-durand-2027@releve"]
        assert e["DTSTART"].dt == pt.forecast.start
        assert e["DTEND"].dt == pt.forecast.end + dt.timedelta(days=1)
    meetings = [e for uid, e in events.items() if uid.startswith("meeting.")]
    assert len(meetings) == 1
    m = meetings[0]
    assert m["DTSTART"].dt == dt.date(2027, 1, 19)
    assert str(m["SUMMARY"]) == "Comité de pilotage"
    desc = str(m["DESCRIPTION"])
    assert "Marc Durand" in desc and "Le chantier achats démarre en février" in desc
    assert "Envoyer la procédure devis" in desc and "2027-02-16" in desc


def test_what_if_applies_to_the_forecast(capsys, tracked) -> None:
    _, t3 = expected(tracked, days_per_week=3)
    _, t = expected(tracked)
    code, out, _ = run(
        capsys,
        str(tracked),
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "json",
        "--days-per-week",
        "3",
    )
    data = json.loads(out)
    assert data["forecast"]["end"] == t3.forecast.end.isoformat() < t.forecast.end.isoformat()
    # the baseline of each phase is the plan's own, not the what-if's
    assert [r["baseline"]["end"] for r in data["phases"]] == [
        t.phases[r["id"]].baseline.end.isoformat() for r in data["phases"]
    ]


def test_an_untracked_plan_prints_as_before(capsys) -> None:
    code, out, _ = run(capsys, str(SAMPLE), "--lang", "en", "--as-of", "2027-03-01")
    assert code == 0
    assert "Plan against actual" not in out and "as of" not in out
    code, out, _ = run(capsys, str(SAMPLE), "--format", "json")
    assert "forecast" not in json.loads(out)


def test_a_check_date_at_the_end_of_the_calendar_is_no_traceback(capsys, tracked) -> None:
    # No day after 9999-12-31 to plan the rest on: the plan shows as untracked, as check does.
    code, out, err = run(capsys, str(tracked), "--as-of", "9999-12-31", "--lang", "en")
    assert (code, err) == (0, "")
    assert "Plan against actual" not in out and "Target date 2027-10-01" in out
