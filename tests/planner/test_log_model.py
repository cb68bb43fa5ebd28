"""The mission log in the plan file (tracking.md): bookings, done_on, deliverables as tables,
meetings; located load errors; a save keeps the rest of the file byte for byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from releve.planner import store
from releve.planner.errors import PlanError
from releve.planner.model import Booking, Deliverable, MeetingKind

M = '[mission]\nid = "m"\nstart = 2027-01-04\n'  # lines 1-3
PHASE = (
    '\n[[phase]]\nid = "audit"\nkind = "flash_audit"\neffort_days = 5\n'  # lines 4-8
    "done_on = 2027-01-12\n"  # 9
    'deliverables = ["Rapport", { name = "Carte", delivered_on = 2027-01-11, '
    'accepted_by = "marc" }]\n'  # 10
)
LOG = (
    '\n[[transfer]]\nid = "t"\nstatus = "done"\ndone_on = 2027-03-10\n'
    '\n[[meeting]]\non = 2027-02-02\nkind = "steering"\nattendees = ["marc"]\n'
    'decisions = ["Go"]\n'
    'actions = [{ what = "Envoyer", owner = "sophie", due = 2027-02-16, done_on = 2027-02-15 }]\n'
    '\n[[booking]]\non = 2027-01-05\nphase = "audit"\nnote = "Entretiens"\n'
    '\n[[booking]]\non = 2027-01-06\nphase = "audit"\ndays = 0.5\n'
)


def test_the_log_reads_as_tracking_md_writes_it() -> None:
    plan = store.loads(M + PHASE + LOG)
    audit = plan.phase[0]
    assert audit.done_on == dt.date(2027, 1, 12)
    assert audit.deliverables[0] == "Rapport"
    assert audit.deliverables[1] == Deliverable(
        name="Carte", delivered_on=dt.date(2027, 1, 11), accepted_by="marc"
    )
    assert audit.deliverable_names == ["Rapport", "Carte"]
    assert plan.transfer[0].done_on == dt.date(2027, 3, 10)
    meeting = plan.meeting[0]
    assert meeting.kind is MeetingKind.steering and meeting.decisions == ["Go"]
    assert meeting.actions[0].due == dt.date(2027, 2, 16)
    assert meeting.actions[0].done_on == dt.date(2027, 2, 15)
    assert [(b.on.day, b.phase, b.days) for b in plan.booking] == [
        (5, "audit", 1),
        (6, "audit", 0.5),
    ]
    assert plan.booking[0].note == "Entretiens"


def error_of(text: str) -> PlanError:
    with pytest.raises(PlanError) as info:
        store.loads(text, "plan.toml")
    assert "\n" not in str(info.value)
    return info.value


@pytest.mark.parametrize(
    ("extra", "line", "column", "words"),
    [
        ('\n[[booking]]\non = 2027-01-05\nphase = "audit"\ndays = 2\n', 8, 1, ["days", "0.5"]),
        ('\n[[booking]]\non = 2027-01-05\nphase = "audit"\ndays = 0\n', 8, 1, ["days"]),
        ('\n[[booking]]\non = "2027-01-05"\nphase = "audit"\n', 6, 1, ["on", "date"]),
        ('\n[[booking]]\nphase = "audit"\n', 5, 3, ["booking", "'on'"]),
        ('\n[[booking]]\non = 2027-01-05\nphase = "a"\nhours = 3\n', 8, 1, ["'hours'", "days"]),
        ('\n[[meeting]]\non = 2027-01-05\nkind = "lunch"\n', 7, 1, ["'lunch'", "steering"]),
        (
            '\n[[meeting]]\non = 2027-01-05\nkind = "team"\nactions = [{ what = "x", due = "soon" }]\n',
            8,
            26,
            ["due", "date"],
        ),
        (
            '\n[[meeting]]\non = 2027-01-05\nkind = "team"\nactions = [{ owner = "x" }]\n',
            8,
            12,
            ["'what'"],
        ),
        (
            '\n[[phase]]\nid = "a"\nkind = "project"\ndeliverables = [{ name = "R", '
            'delivered_on = "2027-01-02" }]\n',
            8,
            31,
            ["delivered_on", "date"],
        ),
        (
            '\n[[phase]]\nid = "a"\nkind = "project"\ndeliverables = ["ok", 3]\n',
            8,
            23,
            ["deliverable", "string or a table"],
        ),
        (
            '\n[[phase]]\nid = "a"\nkind = "project"\ndeliverables = [{ name = "R", by = "x" }]\n',
            8,
            31,
            ["'by'"],
        ),
        ('\n[[phase]]\nid = "a"\nkind = "project"\ndone_on = "x"\n', 8, 1, ["done_on", "date"]),
        ('\n[[transfer]]\nid = "t"\ndone_on = 3\n', 7, 1, ["done_on", "date"]),
    ],
)
def test_what_cannot_be_read_is_a_located_error(extra, line, column, words) -> None:
    err = error_of(M + extra)
    assert (err.line, err.column) == (line, column), str(err)
    for word in words:
        assert word in str(err)


def test_unknown_phase_or_non_working_day_is_no_load_error() -> None:
    plan = store.loads(M + '\n[[booking]]\non = 2027-01-09\nphase = "nowhere"\n')  # a Saturday
    assert plan.booking[0].phase == "nowhere"


SAMPLES = sorted((Path(__file__).parents[2] / "sample_missions").glob("*.toml"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_a_booking_appended_changes_no_other_byte(path: Path, tmp_path: Path) -> None:
    target = tmp_path / path.name
    target.write_bytes(path.read_bytes())
    pf = store.load(target)
    plan = pf.plan.model_copy(deep=True)
    phase = plan.phase[-1].id
    plan.booking.append(Booking(on=dt.date(2027, 3, 2), phase=phase, note="Atelier"))
    store.save(plan, target, base=pf)
    before, after = pf.text, target.read_text(encoding="utf-8")
    assert store.loads(after) == plan
    row = f'[[booking]]\non = 2027-03-02\nphase = "{phase}"\ndays = 1\nnote = "Atelier"\n'
    if pf.plan.booking:  # right after the last booking row, nothing else touched
        assert after.count(row) == 1
        assert (
            after.replace("\n" + row, "", 1) == before or after.replace(row + "\n", "", 1) == before
        )
    else:  # at the end of the file
        assert after.startswith(before.rstrip("\n"))
        assert after.endswith("\n" + row)
        assert after[: -len(row)].rstrip("\n") == before.rstrip("\n")


def test_a_booking_lands_after_the_last_booking_even_mid_file() -> None:
    text = (
        M
        + PHASE
        + '\n# the log\n[[booking]]\non = 2027-01-05\nphase = "audit"  # first day\n'
        + '\n[[kpi]]\nid = "k"  # after the bookings\n'
    )
    plan = store.loads(text)
    plan.booking.append(Booking(on=dt.date(2027, 1, 6), phase="audit"))
    out = store.render(plan, text)
    assert out == text.replace(
        "# first day\n", '# first day\n\n[[booking]]\non = 2027-01-06\nphase = "audit"\ndays = 1\n'
    )


def test_the_log_round_trips_through_the_canonical_text() -> None:
    plan = store.loads(M + PHASE + LOG)
    assert store.loads(store.dumps(plan)) == plan
    assert '    "Rapport",\n    { name = "Carte"' in store.dumps(plan)  # a string stays a string


def test_schema_describes_the_log() -> None:
    from releve.tui.cli.schema import plan_schema

    schema = plan_schema()
    assert {"booking", "meeting"} <= set(schema["properties"])
    defs = schema["$defs"]
    for name in ("Booking", "Meeting", "Action", "Deliverable"):
        assert all("description" in p for p in defs[name]["properties"].values()), name
    assert "done_on" in defs["Phase"]["properties"] and "done_on" in defs["Transfer"]["properties"]
