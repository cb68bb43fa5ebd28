"""The plan file layer: canonical writing, comment-preserving edits, atomic saves, conflicts."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import plans

from releve.planner import store
from releve.planner.errors import ConflictError
from releve.planner.model import Gate, Person, Phase, PhaseKind, Plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))
TEMPLATE = ROOT / "planner" / "template.toml"

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

#: A hand-written plan with every layout a person uses: comments everywhere, blank
#: lines, dotted keys, quoted keys, inline tables, a multi-line array with comments,
#: keys out of model order, rows out of id order.
COMMENTED = """\
# Plan written by hand.   Trailing spaces and odd spacing are kept.

format = 1

[mission]
title   =   "Mission test"   # the title
id = "test-2027"
start = 2027-01-04

[company]
"name" = 'Société "Test"'
headcount = 12 # people
closures = [
  # summer
  { from = 2027-08-02, to = 2027-08-20 },
  { from = 2027-12-24, to = 2027-12-31, reason = "Noël" },  # winter
]

[coo]
workdays = [ "mon", "thu" ]
leave = [{ from = 2027-04-12, to = 2027-04-16 }]

[scope]
responsibilities = [
    "Achats",      # first
    "Production",
]

[governance]
sponsor = "marc"
reports_to = "marc"     # the founder

# --- people ---------------------------------------------------------------

[[person]]
id = "marc"
name = "Marc"
founder = true

[[person]]
  id = "sophie"   # indented keys
  name = "Sophie"
  key = true

# --- phases ---------------------------------------------------------------

[[phase]]
id = "audit"
kind = "flash_audit"
effort_days = 5   # days

[[phase]]
id = "diag"
kind = "diagnostic"
after = ["audit"]
effort_days = 8

[[kpi]]
id = "margin"
history = [{ on = 2027-02-28, value = 6.7 }]
"""

#: The same plan facts spelled the other ways TOML allows.
ODD_SPELLINGS = """\
# odd spellings
mission = { id = "odd", start = 2027-01-04, title = "Odd" }
company.name = "Odd"   # dotted
company.closures = [ { from = 2027-08-02, to = 2027-08-20 } ]
governance = { sponsor = "a", reports_to = "a" }
person = [ { id = "a", founder = true }, { id = "b", name = 'B' } ]

[coo]
workdays = ["mon"]

[[phase]]
id = "p"
kind = "project"
deliverables = [
  "one",  # first
  "two",
]
"""

COMMENTED_FILES = [pytest.param(p.read_text(encoding="utf-8"), id=p.name) for p in SAMPLES] + [
    pytest.param(TEMPLATE.read_text(encoding="utf-8"), id="template"),
    pytest.param(COMMENTED, id="commented-fixture"),
    pytest.param(ODD_SPELLINGS, id="odd-spellings"),
]


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def changed_lines(before: str, after: str) -> list[tuple[str, int, str]]:
    """(op, line number in before (1-based), text) of every line that differs."""
    a, b = before.splitlines(), after.splitlines()
    out: list[tuple[str, int, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        out += [("-", i + 1, a[i]) for i in range(i1, i2)]
        out += [("+", i1 + 1, b[j]) for j in range(j1, j2)]
    return out


# --- canonical text --------------------------------------------------------------------------


@SLOW
@given(plans())
def test_loading_the_dumped_text_gives_the_same_plan(plan):
    assert store.loads(store.dumps(plan)) == plan


@SLOW
@given(plans(coherent=False))
def test_dumps_is_stable_byte_for_byte(plan):
    text = store.dumps(plan)
    assert store.dumps(plan) == text
    assert store.dumps(store.loads(text)) == text


@SLOW
@given(plans())
def test_render_of_an_unchanged_plan_on_its_canonical_text_changes_nothing(plan):
    text = store.dumps(plan)
    assert store.render_onto(plan, text) == text
    assert store.render(plan, text) == text


def test_dumps_layout():
    plan = store.loads(COMMENTED)
    text = store.dumps(plan)
    lines = text.splitlines()
    assert lines[0] == "format = 1"
    headers = [ln for ln in lines if ln.startswith("[")]
    assert headers == [
        "[mission]",
        "[company]",
        "[coo]",
        "[scope]",
        "[governance]",
        "[[person]]",
        "[[person]]",
        "[[phase]]",
        "[[phase]]",
        "[[kpi]]",
    ]
    assert "founder = true" in lines and "founder = false" not in text  # noise left out
    assert "key = true" in lines and "manager" not in text
    assert "start = 2027-01-04" in lines  # a TOML date, not a string
    assert "{ from = 2027-08-02, to = 2027-08-20 }," in text  # the `from` alias
    assert "from_" not in text and "None" not in text
    assert 'language = "fr"' in lines  # a meaningful default is written


# --- render: comments kept, only edited lines change ----------------------------------------


def _leaves(value: Any, loc: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*loc, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*loc, i))]
    return [loc]


def _get(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


def _candidates(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value - 1]
    if isinstance(value, float):
        return [value + 0.5, value / 2, value - 0.01]
    if isinstance(value, dt.date):
        return [value + dt.timedelta(days=1), value - dt.timedelta(days=1)]
    if isinstance(value, str):
        return [
            value + " (modifié)",
            "sun",
            "wed",
            "monthly",
            "weekly",
            "sponsor",
            "growth",
            "up",
            "down",
            "running",
            "project",
            "en",
            "done",
            "training",
            "other",
            "persistent_irritant",
            "EXT099",
            "z" + value,
        ]
    return []


def _edited(plan: Plan, loc: tuple) -> Plan | None:
    data = plan.model_dump(by_alias=True, exclude_none=True, mode="python")
    old = _get(data, loc)
    for candidate in _candidates(old):
        _get(data, loc[:-1])[loc[-1]] = candidate
        try:
            new = Plan.model_validate(data)
        except ValueError:
            continue
        if new != plan:
            return new
    return None


@pytest.mark.parametrize("text", COMMENTED_FILES)
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_editing_one_value_changes_only_that_values_line(text, data):
    plan = store.loads(text)
    dump = plan.model_dump(by_alias=True, exclude_none=True, mode="python")
    index = store.TextIndex(text)
    leaves = [loc for loc in _leaves(dump) if loc in index.positions]
    loc = data.draw(st.sampled_from(leaves), label="loc")
    new = _edited(plan, loc)
    if new is None:
        return  # no other valid value for this key (e.g. the only weekday left)
    out = store.render_onto(new, text)
    assert store.loads(out) == new
    line = store.locate(text, loc, exact=True)[0]
    changes = changed_lines(text, out)
    assert {(op, n) for op, n, _ in changes} == {("-", line), ("+", line)}, changes


@pytest.mark.parametrize("text", COMMENTED_FILES)
@SLOW
@given(new=plans(max_rows=3))
def test_render_writes_any_plan_onto_a_commented_file(text, new):
    out = store.render_onto(new, text)
    assert store.loads(out) == new


@SLOW
@given(old=plans(max_rows=3), new=plans(max_rows=3))
def test_render_turns_any_plan_into_any_other(old, new):
    assert store.loads(store.render_onto(new, store.dumps(old))) == new


def _comments(text: str) -> list[str]:
    return sorted(ln.strip() for ln in text.splitlines() if ln.strip().startswith("#"))


def test_removing_a_key_deletes_only_its_line():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.company.headcount = None
    out = store.render_onto(new, COMMENTED)
    assert changed_lines(COMMENTED, out) == [
        ("-", line_of(COMMENTED, "headcount = 12 # people"), "headcount = 12 # people")
    ]


def test_adding_a_key_appends_one_line_to_its_table():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.governance.reporting = "monthly"
    new.person[1].manager = True
    out = store.render_onto(new, COMMENTED)
    assert store.loads(out) == new
    added = [(op, t) for op, _, t in changed_lines(COMMENTED, out)]
    assert added == [("+", 'reporting = "monthly"'), ("+", "  manager = true")]
    lines = out.splitlines()
    assert lines[lines.index('reporting = "monthly"') - 1].startswith("reports_to")
    assert lines[lines.index("  manager = true") - 1] == "  key = true"


def test_unsetting_a_flag_that_is_written_keeps_its_line_as_false():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.person[0].founder = False
    out = store.render_onto(new, COMMENTED)
    n = line_of(COMMENTED, "founder = true")
    assert changed_lines(COMMENTED, out) == [
        ("-", n, "founder = true"),
        ("+", n, "founder = false"),
    ]


def test_adding_deleting_and_moving_rows_keeps_every_other_comment():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.phase.reverse()  # moved
    new.phase.append(Phase(id="handover", kind=PhaseKind.handover, gate=Gate.sponsor))
    new.person.insert(1, Person(id="karim", name="Karim"))
    new.kpi = []
    out = store.render_onto(new, COMMENTED)
    assert store.loads(out) == new
    assert _comments(out) == _comments(COMMENTED)
    assert "effort_days = 5   # days" in out and '  id = "sophie"   # indented keys' in out
    # the moved rows keep their own lines, in the new order
    assert out.index('id = "diag"') < out.index('id = "audit"') < out.index('id = "handover"')
    assert "[[kpi]]" not in out


def test_renaming_an_id_edits_the_row_in_place():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.person[1].id = "sophie-l"
    out = store.render_onto(new, COMMENTED)
    assert [(op, t) for op, _, t in changed_lines(COMMENTED, out)] == [
        ("-", '  id = "sophie"   # indented keys'),
        ("+", '  id = "sophie-l"   # indented keys'),
    ]


def test_editing_inline_rows_keeps_the_others():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.company.closures[1].reason = "Fin d'année"
    new.company.closures.pop(0)
    out = store.render_onto(new, COMMENTED)
    assert store.loads(out) == new
    assert "# summer" in out and "# winter" in out


def test_a_new_table_is_added_and_a_removed_table_deleted():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.exit = store.loads('[mission]\nid="m"\nstart=2027-01-01\n[exit]\nkind="sale"\n').exit
    new.coo = None
    out = store.render_onto(new, COMMENTED)
    assert store.loads(out) == new
    assert "[coo]" not in out and '[exit]\nkind = "sale"' in out
    assert _comments(out) == _comments(COMMENTED)


def test_render_falls_back_to_the_canonical_text_when_the_original_is_unreadable():
    plan = store.loads(COMMENTED)
    assert store.render(plan, "this is [not toml") == store.dumps(plan)


# --- save ----------------------------------------------------------------------------------------


def test_save_then_load_gives_the_plan_and_the_fingerprint_of_the_disk(tmp_path):
    plan = store.loads(COMMENTED)
    path = tmp_path / "plan.toml"
    saved = store.save(plan, path)
    assert path.read_text(encoding="utf-8") == store.dumps(plan) == saved.text
    loaded = store.load(path)
    assert loaded.plan == plan and loaded.fingerprint == saved.fingerprint
    assert [p.name for p in tmp_path.iterdir()] == ["plan.toml"]  # no temp file left


def test_save_with_base_keeps_the_users_comments_and_can_save_again(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    base = store.load(path)
    new = base.plan.model_copy(deep=True)
    new.phase[0].effort_days = 6
    second = store.save(new, path, base=base)
    text = path.read_text(encoding="utf-8")
    n = line_of(COMMENTED, "effort_days = 5   # days")
    assert changed_lines(COMMENTED, text) == [
        ("-", n, "effort_days = 5   # days"),
        ("+", n, "effort_days = 6   # days"),
    ]
    new2 = new.model_copy(deep=True)
    new2.phase[1].effort_days = 9
    store.save(new2, path, base=second)  # the returned PlanFile is the new base
    assert store.load(path).plan == new2


def test_save_keeps_the_file_mode_and_new_files_follow_the_umask(tmp_path):
    plan = store.loads(COMMENTED)
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    path.chmod(0o640)
    store.save(plan, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    fresh = tmp_path / "new.toml"
    old = os.umask(0o027)
    try:
        store.save(plan, fresh)
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_save_through_a_symlink_writes_the_target(tmp_path):
    plan = store.loads(COMMENTED)
    real = tmp_path / "real.toml"
    real.write_text(COMMENTED, encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    store.save(plan, link, base=store.load(link))
    assert link.is_symlink() and store.load(real).plan == plan


def test_a_file_changed_on_disk_since_loading_is_a_conflict(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    base = store.load(path)
    theirs = COMMENTED.replace('name = "Marc"', 'name = "Marc Durand"')
    path.write_text(theirs, encoding="utf-8")
    mine = base.plan.model_copy(deep=True)
    mine.phase[0].effort_days = 7
    with pytest.raises(ConflictError) as info:
        store.save(mine, path, base=base)
    assert info.value.path == str(path)
    assert "changed on disk since it was loaded" in str(info.value)
    assert path.read_text(encoding="utf-8") == theirs  # their work is untouched
    store.save(mine, path, base=base, force=True)
    assert store.load(path).plan == mine


def test_touching_a_file_without_changing_it_is_not_a_conflict(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    base = store.load(path)
    os.utime(path, ns=(1, 1))
    store.save(base.plan, path, base=base)  # no ConflictError


def test_saving_elsewhere_with_a_base_is_not_a_conflict_with_the_base(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    base = store.load(path)
    other = tmp_path / "copy.toml"
    other.write_text("whatever", encoding="utf-8")
    store.save(base.plan, other, base=base)
    assert other.read_text(encoding="utf-8") == COMMENTED  # comments carried over


# --- crash during save: the file is the old one or the new one, never a mix ---------------------


class Boom(OSError):
    pass


def _fail_write(real):
    def write(fd, data):
        real(fd, bytes(data[: len(data) // 2]))  # half the bytes reach the disk
        raise Boom(28, "No space left on device")

    return write


@pytest.mark.parametrize("step", ["write", "fsync", "close", "chmod", "replace"])
def test_a_failure_at_any_step_of_save_leaves_the_old_file_whole(tmp_path, monkeypatch, step):
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    base = store.load(path)
    new = base.plan.model_copy(deep=True)
    new.person.append(Person(id="x" * 60, name="y" * 5000))

    def boom(*args, **kwargs):
        raise Boom(5, f"injected failure in {step}")

    real = getattr(os, step)
    if step == "write":
        monkeypatch.setattr(os, "write", _fail_write(real))
    elif step == "close":

        def close(fd):
            real(fd)
            raise Boom(5, "injected failure in close")

        monkeypatch.setattr(os, "close", close)
    else:
        monkeypatch.setattr(os, step, boom)
    with pytest.raises(Boom):
        store.save(new, path, base=base)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_a_failure_to_sync_the_folder_after_the_rename_keeps_the_new_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.phase[0].effort_days = 1
    real_fsync = os.fsync

    def fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise Boom(22, "folder fsync not supported")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    store.save(new, path)
    assert store.load(path).plan == new


def test_array_items_are_deleted_and_inserted_keeping_the_other_items_comments():
    plan = store.loads(COMMENTED)
    new = plan.model_copy(deep=True)
    new.scope.responsibilities = ["Qualité", "Production"]
    out = store.render_onto(new, COMMENTED)
    assert store.loads(out) == new
    assert [(op, t) for op, _, t in changed_lines(COMMENTED, out)] == [
        ("-", '    "Achats",      # first'),
        ("+", '    "Qualité",      # first'),  # replaced in place, like any value
    ]
    new.scope.responsibilities = ["Production"]
    out = store.render_onto(new, COMMENTED)
    assert [(op, t) for op, _, t in changed_lines(COMMENTED, out)] == [
        ("-", '    "Achats",      # first')
    ]


def test_a_windows_file_keeps_its_crlf_line_ends():
    text = COMMENTED.replace("\n", "\r\n")
    plan = store.loads(text)
    new = plan.model_copy(deep=True)
    new.person[1].manager = True
    new.person.append(Person(id="karim"))
    out = store.render_onto(new, text)
    assert store.loads(out) == new
    assert "\n" not in out.replace("\r\n", "")
    assert out.startswith(text[: text.index("[[person]]")])  # lines before: untouched


def test_a_read_only_file_is_not_replaced(tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    path.chmod(0o444)
    if os.access(path, os.W_OK):  # root may write anything: ask as a normal user would
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, m: m != os.W_OK and real(p, m))
    with pytest.raises(PermissionError):
        store.save(store.loads(COMMENTED), path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]
