"""A tracked plan (a [[booking]] on or before the check date) is seen through its forecast
by history, diff and portfolio (issue 13): the end is the forecast's, the days used are the
days booked, and the phases' forecast moves are named."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from gitrepo import GitRepo, need_git

from releve.planner.store import load
from releve.planner.tracking import track
from releve.tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "sample_missions" / "atelier-durand.toml").read_text(encoding="utf-8")
AS_OF = "2027-03-01"
#: Two days of the five of the flash audit, in the mission's first week: the three left
#: are scheduled after the check date, so every phase moves later.
BOOKINGS = """
[[booking]]
on = 2027-01-04
phase = "audit"

[[booking]]
on = 2027-01-05
phase = "audit"
days = 0.5
"""
TRACKED = SAMPLE.rstrip("\n") + "\n" + BOOKINGS


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))


def oracle(path: Path, as_of: str):
    """planner.tracking of the plan as `releve schedule` would forecast it."""
    return track(load(path).plan, dt.date.fromisoformat(as_of))


def test_the_oracle_moves(tmp_path):
    """The bookings do move the forecast (else the tests below would prove nothing)."""
    plan = tmp_path / "tracked.toml"
    plan.write_text(TRACKED, encoding="utf-8")
    t = oracle(plan, AS_OF)
    assert t.tracked and t.booked_days == 1.5
    assert t.forecast.end is not None and t.baseline.end is not None
    assert t.forecast.end > t.baseline.end


def test_portfolio_reads_the_forecast_end_and_the_days_booked(capsys, tmp_path):
    (tmp_path / "tracked.toml").write_text(TRACKED, encoding="utf-8")
    (tmp_path / "plain.toml").write_text(SAMPLE, encoding="utf-8")
    code, out, err = run(
        capsys, "portfolio", str(tmp_path), "--format", "json", "--as-of", AS_OF, "--no-trend"
    )
    assert code == 0, err
    rows = {Path(r["path"]).name: r for r in json.loads(out)["missions"]}
    t = oracle(tmp_path / "tracked.toml", AS_OF)
    tracked, plain = rows["tracked.toml"], rows["plain.toml"]
    assert tracked["end_kind"] == "forecast" and tracked["end"] == t.forecast.end.isoformat()
    assert tracked["days_kind"] == "booked" and tracked["days_used"] == 1.5
    assert plain["end_kind"] == "baseline" and plain["end"] == t.baseline.end.isoformat()
    assert plain["days_kind"] == "planned" and plain["days_used"] == t.baseline.coo_days
    assert tracked["late_days"] == (t.forecast.end - dt.date.fromisoformat(tracked["target"])).days


def test_diff_names_the_phases_whose_forecast_moved(capsys, tmp_path):
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(SAMPLE, encoding="utf-8")
    new.write_text(TRACKED, encoding="utf-8")
    code, out, err = run(capsys, "diff", str(old), str(new), "--format", "json", "--as-of", AS_OF)
    assert code in (0, 1), err
    phases = {p["id"]: p for p in json.loads(out)["phases"]}
    t = oracle(new, AS_OF)
    audit = phases["audit"]
    # The baseline did not move (bookings do not change the plan), the forecast did.
    assert audit["baseline"]["before"] == audit["baseline"]["after"]
    before, after = audit["forecast"]["before"], audit["forecast"]["after"]
    assert before["end"] == t.baseline.phases["audit"].end.isoformat()
    assert after["end"] == t.forecast.phases["audit"].end.isoformat()
    assert after["end"] > before["end"]
    code, text, _ = run(capsys, "diff", str(old), str(new), "--as-of", AS_OF, "--lang", "en")
    assert "forecast" in text


def test_history_rows_of_a_tracked_version_are_forecasts(capsys, tmp_path):
    need_git()
    r = GitRepo(tmp_path / "repo")
    r.write("durand.toml", SAMPLE)
    r.commit("Plan as signed", "2027-01-02")
    r.write("durand.toml", TRACKED)
    r.commit("First days logged", "2027-01-06")
    code, out, err = run(capsys, "history", str(r.root / "durand.toml"), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["versions"]
    assert [v["end_kind"] for v in rows] == ["baseline", "forecast"]
    t = oracle(r.root / "durand.toml", "2027-01-06")
    assert rows[1]["end"] == t.forecast.end.isoformat()
