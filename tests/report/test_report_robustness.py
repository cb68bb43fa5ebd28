"""`releve report` on hostile input: where it writes (never over its inputs, with a normal
file mode, errors naming the path given), far dates, huge or non-finite numbers, and control
characters in the plan's text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import re
import stat
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixtures import PLAN_TOML, make_plan, make_report, make_result, make_schedule
from support import ROOT

from releve.planner.model import Measure
from releve.tui.cli import main
from releve.tui.report import MAX_CHART_DAYS, Report, progress_share, render
from releve.tui.report.markdown import sparkline

AS_OF = "2027-03-01"
# Any control character but tab and line feed: C0, DEL, C1.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def report(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text(PLAN_TOML, encoding="utf-8")
    return path


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --- 1. never over an input --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_report_refuses_to_overwrite_its_plan(plan_file, capsys, monkeypatch, fmt):
    monkeypatch.chdir(plan_file.parent)
    for given_path in (str(plan_file), "demo.toml", "./demo.toml"):
        code, out, err = report(
            capsys, "demo.toml", "--as-of", AS_OF, "--format", fmt, "-o", given_path
        )
        assert code == 2 and out == ""
        assert one_line(err) == (
            f"{given_path}: refusing to overwrite the plan with its report; choose another -o"
        )
        assert plan_file.read_text(encoding="utf-8") == PLAN_TOML
    assert sorted(p.name for p in plan_file.parent.iterdir()) == ["demo.toml"]


def test_report_refuses_a_link_to_its_plan_and_a_rule_pack_it_reads(plan_file, tmp_path, capsys):
    link = tmp_path / "link.html"
    link.symlink_to(plan_file)
    code, _, err = report(capsys, str(plan_file), "--as-of", AS_OF, "-o", str(link))
    assert code == 2 and "refusing to overwrite the plan" in one_line(err)
    assert plan_file.read_text(encoding="utf-8") == PLAN_TOML
    pack = tmp_path / "extra.pack"
    pack_text = '[pack]\nid = "extra"\nname = "Extra"\nversion = "1.0.0"\n'
    pack.write_text(pack_text, encoding="utf-8")
    assert (
        report(
            capsys,
            str(plan_file),
            "--as-of",
            AS_OF,
            "--pack",
            str(pack),
            "-o",
            str(tmp_path / "ok.html"),
        )[0]
        == 0
    )  # the pack is readable as given
    code, _, err = report(
        capsys, str(plan_file), "--as-of", AS_OF, "--pack", str(pack), "-o", str(pack)
    )
    assert code == 2
    assert (
        one_line(err) == f"{pack}: refusing to overwrite a rule pack with the report; "
        "choose another -o"
    )
    assert pack.read_text(encoding="utf-8") == pack_text


def test_report_refuses_to_overwrite_another_toml_file_but_writes_a_new_one(
    plan_file, tmp_path, capsys
):
    other = tmp_path / "other-plan.toml"
    other.write_text(PLAN_TOML, encoding="utf-8")
    code, _, err = report(capsys, str(plan_file), "--as-of", AS_OF, "-o", str(other))
    assert code == 2 and "refusing to overwrite a TOML file" in one_line(err)
    assert other.read_text(encoding="utf-8") == PLAN_TOML
    old_report = tmp_path / "r.html"
    old_report.write_text("old", encoding="utf-8")
    assert report(capsys, str(plan_file), "--as-of", AS_OF, "-o", str(old_report))[0] == 0
    assert old_report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- 2. file mode ------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_a_new_report_follows_the_umask(plan_file, tmp_path, capsys, mask):
    old = os.umask(mask)
    try:
        for fmt in ("html", "markdown"):
            out = tmp_path / f"new-{fmt}"
            assert (
                report(capsys, str(plan_file), "--as-of", AS_OF, "--format", fmt, "-o", str(out))[0]
                == 0
            )
            assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    finally:
        os.umask(old)


def test_a_replaced_report_keeps_the_mode_of_the_file_it_replaces(plan_file, tmp_path, capsys):
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert report(capsys, str(plan_file), "--as-of", AS_OF, "-o", str(out))[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- 3. write errors name the path given -------------------------------------------------


def test_write_errors_name_the_path_given_not_a_temporary_file(
    plan_file, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    cases = {
        "nodir/x.html": "nodir/x.html: no such folder 'nodir'",
        "adir": "adir: is a folder; give a file name",
        "adir/": "adir/: is a folder; give a file name",
    }
    for given_path, message in cases.items():
        for fmt in ("html", "markdown"):
            code, out, err = report(
                capsys, str(plan_file), "--as-of", AS_OF, "--format", fmt, "-o", given_path
            )
            assert code == 2 and out == ""
            assert one_line(err) == message
            assert ".tmp" not in err
    assert list((tmp_path / "adir").iterdir()) == []
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


# --- 4. far dates ------------------------------------------------------------------------


def far_plan(tmp_path, old: str, new: str):
    assert old in PLAN_TOML
    path = tmp_path / "far.toml"
    path.write_text(PLAN_TOML.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_target_on_the_last_possible_day_is_stated_not_drawn(tmp_path, capsys, fmt):
    path = far_plan(tmp_path, "target_date = 2027-06-30", "target_date = 9999-12-31")
    out = tmp_path / "r.out"
    code, _, err = report(capsys, str(path), "--as-of", AS_OF, "--format", fmt, "-o", str(out))
    assert code == 0, err
    body = out.read_text(encoding="utf-8")
    assert "9999-12-31" in body or "31/12/9999" in body or "31 December 9999" in body
    assert len(body) < 400_000  # no chart of eight thousand years


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_an_as_of_on_the_last_possible_day_renders(plan_file, tmp_path, capsys, fmt):
    out = tmp_path / "r.out"
    code, _, err = report(
        capsys, str(plan_file), "--as-of", "9999-12-31", "--format", fmt, "-o", str(out)
    )
    assert code == 0, err
    body = out.read_text(encoding="utf-8")
    assert len(body) < 400_000  # no chart of eight thousand years
    months = re.findall(r"^\| \d{4}-\d\d \|", body, re.MULTILINE)
    assert len(months) <= MAX_CHART_DAYS // 28  # the month table stops, not 96,000 rows
    if fmt == "markdown":
        assert months and months[0] == "| 2027-01 |"


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_mission_starting_on_the_last_possible_day_never_tracebacks(tmp_path, fmt):
    path = far_plan(tmp_path, "start = 2027-01-04", "start = 9999-12-31")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "releve.tui.cli",
            "report",
            str(path),
            "--as-of",
            AS_OF,
            "--format",
            fmt,
            "-o",
            str(tmp_path / "r.out"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 2:
        one_line(done.stderr)


def test_a_date_overflow_in_the_planner_is_one_line_and_exit_2(
    plan_file, tmp_path, capsys, monkeypatch
):
    from releve.rules import pipeline

    def overflow(*args, **kwargs):
        return dt.date.max + dt.timedelta(days=1)  # what a planner bug would raise

    monkeypatch.setattr(pipeline, "check_plan", overflow)
    code, out, err = report(
        capsys, str(plan_file), "--as-of", AS_OF, "-o", str(tmp_path / "r.html")
    )
    assert code == 2 and out == ""
    assert one_line(err).startswith(f"{plan_file}: a date is out of range")
    assert not (tmp_path / "r.html").exists()


_DAYS = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date.max)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=_DAYS, as_of=_DAYS, signal=_DAYS, opened=_DAYS, start=_DAYS)
def test_any_dates_render_in_both_formats(target, as_of, signal, opened, start):
    plan = make_plan()
    plan.exit.target_date = target
    plan.mission.start = start
    plan.signal[0].on = signal
    plan.irritant[1].opened = opened
    result = dataclasses.replace(make_result(plan), as_of=as_of)
    rep = Report(result, "en", plan_name="demo.toml")
    for fmt in ("html", "markdown"):
        assert len(render(rep, fmt)) < 1_000_000


# --- 5. numbers --------------------------------------------------------------------------


_ANY_FLOAT = st.one_of(st.floats(), st.sampled_from([1e308, -1e308, 5e-324, 0.0]))


@given(latest=_ANY_FLOAT, baseline=_ANY_FLOAT, target=_ANY_FLOAT)
@settings(max_examples=300)
def test_progress_never_raises_and_is_finite_or_unknown(latest, baseline, target):
    share = progress_share(latest, baseline, target)
    assert share is None or (math.isfinite(share) and math.isfinite(share * 100))
    if (
        share is not None
        and abs(target - baseline) > 1e-6
        and abs(latest) < 1e15
        and abs(baseline) < 1e15
        and abs(target) < 1e15
    ):
        assert math.isclose(
            share, (latest - baseline) / (target - baseline), rel_tol=1e-9, abs_tol=1e-9
        )


def test_progress_of_ordinary_values_is_the_share_of_the_way():
    assert progress_share(7.5, 5.0, 10.0) == 0.5
    assert progress_share(None, 5.0, 10.0) is None
    assert progress_share(7.0, 5.0, 5.0) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(baseline=_ANY_FLOAT, target=_ANY_FLOAT, values=st.lists(_ANY_FLOAT, min_size=1, max_size=4))
def test_any_kpi_numbers_render_in_both_formats(baseline, target, values):
    plan = make_plan()
    kpi = plan.kpi[0]
    # Set past the model's validation (it refuses nan and inf now): the report must not
    # depend on it to stay up.
    kpi.__dict__.update(
        baseline=baseline,
        target=target,
        history=[
            Measure.model_construct(on=dt.date(2027, 1, 10 + i), value=v)
            for i, v in enumerate(values)
        ],
    )
    rep = make_report(plan=plan)
    for fmt in ("html", "markdown"):
        assert "Operating margin" in render(rep, fmt)


def test_huge_kpi_values_show_the_values_and_an_unknown_progress(capsys, tmp_path):
    path = tmp_path / "kpi.toml"
    path.write_text(
        PLAN_TOML.replace("baseline = 6.5", "baseline = -1e308").replace(
            "value = 7.1", "value = 1e308"
        ),
        encoding="utf-8",
    )
    code, out, err = report(capsys, str(path), "--as-of", AS_OF, "--format", "markdown")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("| Operating margin"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2].startswith("-1") and len(cells[2]) > 300  # -1e308, every digit
    assert cells[5] == "200%"  # (1e308 + 1e308) / (9 + 1e308), computed without overflow


def test_sparkline_of_extreme_values_has_one_block_per_finite_value():
    assert sparkline([-1e308, 0.0, 1e308]) == "▁▅█"
    assert sparkline([1.0, math.nan, math.inf, 2.0]) == "▁█"


# --- 6. control characters ---------------------------------------------------------------


def test_escape_sequences_in_the_plan_never_reach_the_terminal(tmp_path, capsys):
    path = tmp_path / "ctl.toml"
    path.write_text(
        PLAN_TOML.replace(
            'name = "Demo Ltd"', 'name = "\\u001b]0;pwned\\u0007Demo\\u009b2J Ltd\\r"'
        ),
        encoding="utf-8",
    )
    code, out, err = report(capsys, str(path), "--as-of", AS_OF, "--format", "markdown")
    assert code == 0, err
    assert not CONTROL.search(out)
    assert out.splitlines()[0] == "# Readiness report — \ufffd\\]0;pwned\ufffdDemo\ufffd2J Ltd"
    html_file = tmp_path / "r.html"
    assert report(capsys, str(path), "--as-of", AS_OF, "-o", str(html_file))[0] == 0
    assert not CONTROL.search(html_file.read_text(encoding="utf-8"))


_ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    company=_ANY_TEXT,
    phase=_ANY_TEXT,
    person=_ANY_TEXT,
    note=_ANY_TEXT,
    reason=_ANY_TEXT,
    kpi=_ANY_TEXT,
    irritant=_ANY_TEXT,
    topic=_ANY_TEXT,
)
def test_any_text_in_the_plan_yields_no_control_character(
    company, phase, person, note, reason, kpi, irritant, topic
):
    plan = make_plan()
    plan.company.name = company
    plan.mission.title = company
    plan.phase[0].name = phase
    plan.person[0].name = person
    plan.signal[0].note = note
    plan.waiver[0].reason = reason
    plan.kpi[0].name = kpi
    plan.kpi[0].unit = kpi
    plan.irritant[1].title = irritant
    plan.transfer[0].topic = topic
    plan.process[0].name = topic
    rep = make_report(plan=plan, schedule=make_schedule())
    for fmt in ("html", "markdown"):
        assert not CONTROL.search(render(rep, fmt)), fmt
