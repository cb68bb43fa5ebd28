"""Comment-preserving save: where added, duplicated, moved and deleted rows (and new tables) go."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import plans

from releve.planner import store
from releve.planner.model import Plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))
ROWS = [
    "objective",
    "person",
    "process",
    "phase",
    "transfer",
    "kpi",
    "signal",
    "irritant",
    "waiver",
]
ORDER = list(Plan.model_fields)  # the canonical order of the tables
MARK = "zz-new"

#: Rows with their own comments (directly above and below), indented keys, table
#: introductions with and without a blank line under them, rows glued to the next table.
FIXTURE = """\
format = 1

[mission]
id = "m"
start = 2027-01-04

# --- people ---

[[person]]
  id = "a"
  name = "A"

# about b, directly above its header
[[person]]
  id = "b"
  key = true
# b has no backup (directly below b)

[[person]]
  id = "c"

# --- phases, no blank line under this intro ---
[[phase]]
id = "audit"
kind = "flash_audit"
[[phase]]
id = "diag"
kind = "diagnostic"
[[waiver]]
rule = "EXT001"
[rules]
packs = []
"""

TEXTS = [pytest.param(p.read_text(encoding="utf-8"), id=p.name) for p in SAMPLES] + [
    pytest.param((ROOT / "planner" / "template.toml").read_text(encoding="utf-8"), id="template"),
    pytest.param(FIXTURE, id="fixture"),
]

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))

_HEADER = re.compile(r"\s*\[\[?\s*([A-Za-z_]+)\s*\]\]?\s*(#.*)?$")


def _header(line: str) -> str | None:
    m = _HEADER.match(line)
    return m.group(1) if m else None


def _is_comment(line: str) -> bool:
    return line.strip().startswith("#")


def _new_row(key: str) -> Any:
    """A valid new row for ``key``, recognisable by MARK."""
    minimal = {
        "phase": {"id": MARK, "kind": "project"},
        "signal": {"on": "2027-03-01", "kind": "team_involvement", "note": MARK},
        "waiver": {"rule": "EXT001", "reason": MARK},
    }.get(key, {"id": MARK, "name" if key in ("person", "process", "kpi") else "title": "New"})
    if key == "objective":
        minimal = {"id": MARK}
    if key == "transfer":
        minimal = {"id": MARK, "topic": "New"}
    data = {"mission": {"id": "m", "start": "2027-01-04"}, key: [minimal]}
    return getattr(Plan.model_validate(data), key)[0]


def _rows_headers(lines: list[str], key: str) -> list[int]:
    """Line indexes of the ``[[key]]`` headers."""
    return [i for i, ln in enumerate(lines) if ln.strip().startswith("[[") and _header(ln) == key]


def _next_header(lines: list[str], i: int) -> int:
    return next((k for k in range(i + 1, len(lines)) if _header(lines[k])), len(lines))


def _row_end(lines: list[str], header: int) -> int:
    """The end (exclusive) of the row or table at ``header``: its last key line, then the
    comment lines directly below it; the blank lines and comments after a blank line
    belong to what follows."""
    stop = _next_header(lines, header)
    last = max(k for k in range(header, stop) if lines[k].strip() and not _is_comment(lines[k]))
    end = last + 1
    while end < stop and _is_comment(lines[end]):
        end += 1
    if end == stop and stop < len(lines) and not any(not ln.strip() for ln in lines[last:stop]):
        # comments glued to both: those directly above the next header are the next's
        while end > last + 1 and _is_comment(lines[end - 1]):
            end -= 1
    return end


def _new_block(out: list[str], key: str) -> tuple[int, int]:
    """(first, end) lines of the inserted row in ``out``: its header to the line before the
    next blank line or header."""
    mark = next(i for i, ln in enumerate(out) if f'"{MARK}"' in ln)
    first = max(i for i in range(mark + 1) if _header(out[i]) == key)
    end = first + 1
    while end < len(out) and out[end].strip() and not _header(out[end]):
        end += 1
    return first, end


def _expect_inserted(before: list[str], out: list[str], key: str, at: int) -> None:
    """``out`` is ``before`` with the new row's block inserted at line ``at``, one blank line
    before it, and one after it (the blank line already there, or a new one)."""
    first, end = _new_block(out, key)
    block = out[first:end]
    assert out[first - 1] == "", out[first - 3 : end + 2]
    assert out[: first - 1] == before[:at], "the lines before the new row changed"
    rest = before[at:]
    if rest and rest[0].strip():  # glued to what followed: a blank line is added
        assert out[end] == "" and out[end + 1 :] == rest, out[first - 2 : end + 3]
    else:
        assert out[end:] == rest, out[first - 2 : end + 3]
    assert tomllib.loads("\n".join(block))[key][0]  # the block is the row, as TOML


def _lines(text: str) -> list[str]:
    return text.splitlines()


# --- adding and duplicating rows ---------------------------------------------------------------


@pytest.mark.parametrize("text", TEXTS)
@SLOW
@given(data=st.data())
def test_a_new_row_goes_right_after_the_row_before_it_in_the_plan(text, data):
    plan = store.loads(text)
    key = data.draw(st.sampled_from([k for k in ROWS if getattr(plan, k)]), label="table")
    rows = getattr(plan, key)
    j = data.draw(st.integers(0, len(rows)), label="position")
    new = plan.model_copy(deep=True)
    getattr(new, key).insert(j, _new_row(key))
    out = store.render(new, text)
    assert store.loads(out) == new
    before = _lines(text)
    headers = _rows_headers(before, key)
    if j == 0:  # before the first row, after the comments that introduce the table
        first, end = _new_block(_lines(out), key)
        assert _lines(out)[:first] == before[: headers[0]]
        assert _lines(out)[end] == "" and _lines(out)[end + 1 :] == before[headers[0] :]
    else:
        _expect_inserted(before, _lines(out), key, _row_end(before, headers[j - 1]))


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("key", ROWS)
def test_a_row_added_at_the_end_goes_after_the_last_row_before_the_next_tables_comments(text, key):
    plan = store.loads(text)
    new = plan.model_copy(deep=True)
    getattr(new, key).append(_new_row(key))
    out = store.render(new, text)
    assert store.loads(out) == new
    before = _lines(text)
    headers = _rows_headers(before, key)
    if not headers:
        return  # the text has no such table: see the tests of new tables
    _expect_inserted(before, _lines(out), key, _row_end(before, headers[-1]))


@pytest.mark.parametrize("text", TEXTS)
@SLOW
@given(data=st.data())
def test_a_duplicated_row_goes_right_after_the_original(text, data):
    plan = store.loads(text)
    key = data.draw(st.sampled_from([k for k in ROWS if getattr(plan, k)]), label="table")
    rows = getattr(plan, key)
    j = data.draw(st.integers(0, len(rows) - 1), label="row")
    mark = {"signal": "note", "waiver": "reason"}.get(key, "id")
    new = plan.model_copy(deep=True)
    getattr(new, key).insert(j + 1, rows[j].model_copy(update={mark: MARK}))
    out = store.render(new, text)
    assert store.loads(out) == new
    before = _lines(text)
    _expect_inserted(before, _lines(out), key, _row_end(before, _rows_headers(before, key)[j]))


def test_the_reviewers_case_person_and_waiver_are_not_glued_to_the_next_table():
    path = ROOT / "sample_missions" / "atelier-durand.toml"
    text = path.read_text(encoding="utf-8")
    plan = store.loads(text)
    new = plan.model_copy(deep=True)
    new.person.append(_new_row("person"))
    new.waiver.append(_new_row("waiver"))
    out = store.render(new, text)
    assert store.loads(out) == new
    assert (
        'role = "Technicien méthodes (bureau d\'études)"\n\n[[person]]\nid = "zz-new"\n'
        'name = "New"\n\n# --- Processus ----'
    ) in out
    assert (
        'expires = 2027-06-30\n\n[[waiver]]\nrule = "EXT001"\nreason = "zz-new"\n\n[rules]' in out
    )


def test_a_new_row_is_indented_like_the_row_before_it():
    plan = store.loads(FIXTURE)
    new = plan.model_copy(deep=True)
    new.person.append(_new_row("person"))
    out = store.render(new, FIXTURE)
    assert (
        '[[person]]\n  id = "c"\n\n[[person]]\n  id = "zz-new"\n  name = "New"\n\n# --- phases'
        in out
    )


def test_a_row_added_to_a_windows_file_has_crlf_line_ends():
    text = FIXTURE.replace("\n", "\r\n")
    new = store.loads(text)
    new.phase.append(_new_row("phase"))
    out = store.render(new, text)
    assert store.loads(out) == new
    assert out.count("\r\n") == out.count("\n")
    assert 'kind = "diagnostic"\r\n\r\n[[phase]]\r\nid = "zz-new"' in out


@pytest.mark.parametrize("text", TEXTS)
@SLOW
@given(data=st.data(), other=plans(max_rows=3))
def test_any_rows_added_anywhere_keep_every_original_line_in_order(text, data, other):
    plan = store.loads(text)
    new = plan.model_copy(deep=True)
    for key in ROWS:
        mine, theirs = getattr(new, key), getattr(other, key)
        if any(hasattr(r, "id") and r.id in {m.id for m in mine} for r in theirs):
            continue  # ids must stay unique
        for row in theirs:
            mine.insert(data.draw(st.integers(0, len(mine)), label=f"{key} at"), row)
    out = store.render(new, text)
    assert store.loads(out) == new
    it = iter(_lines(out))
    missing = [ln for ln in _lines(text) if not any(ln == o for o in it)]
    assert not missing, "an original line is gone or out of order"


# --- new tables ---------------------------------------------------------------------------------


def _present_before(lines: list[str], key: str) -> str:
    """The last table before ``key`` in canonical order that the text has."""
    present = {_header(ln) for ln in lines} - {None}
    return [k for k in ORDER[: ORDER.index(key)] if k in present][-1]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("key", ROWS)
def test_the_first_row_of_a_missing_table_goes_after_the_table_before_it(text, key):
    plan = store.loads(text)
    without = plan.model_copy(deep=True)
    setattr(without, key, [])
    base = store.render(without, text)
    assert store.loads(base) == without and not _rows_headers(_lines(base), key)
    new = without.model_copy(deep=True)
    getattr(new, key).append(_new_row(key))
    out = store.render(new, base)
    assert store.loads(out) == new
    before = _lines(base)
    prev = _present_before(before, key)
    last = [i for i, ln in enumerate(before) if _header(ln) == prev][-1]
    _expect_inserted(before, _lines(out), key, _row_end(before, last))


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("key", ["company", "exit", "coo", "scope", "governance"])
def test_a_new_table_goes_after_the_table_before_it(text, key):
    plan = store.loads(text)
    if getattr(plan, key) is None:
        return
    without = plan.model_copy(update={key: None}, deep=True)
    base = store.render(without, text)
    assert store.loads(base) == without and f"[{key}]" not in _lines(base)
    out = store.render(plan, base)
    assert store.loads(out) == plan
    before, after = _lines(base), _lines(out)
    prev = _present_before(before, key)
    at = _row_end(before, [i for i, ln in enumerate(before) if _header(ln) == prev][-1])
    first = after.index(f"[{key}]")
    end = first + 1
    while end < len(after) and after[end].strip():
        end += 1
    assert after[first - 1] == "" and after[: first - 1] == before[:at]
    assert after[end:] == before[at:] or (after[end] == "" and after[end + 1 :] == before[at:])


# --- deleting and moving rows -------------------------------------------------------------------


def _own_lines(lines: list[str], header: int) -> set[int]:
    """A row's own lines: its comments directly above (no blank line between), its header
    and keys, its comments directly below."""
    start = header
    while start > 0 and _is_comment(lines[start - 1]):
        start -= 1
    return set(range(start, _row_end(lines, header)))


@pytest.mark.parametrize("text", TEXTS)
@SLOW
@given(data=st.data())
def test_deleting_a_row_removes_its_own_lines_and_one_blank_line_only(text, data):
    plan = store.loads(text)
    key = data.draw(st.sampled_from([k for k in ROWS if getattr(plan, k)]), label="table")
    j = data.draw(st.integers(0, len(getattr(plan, key)) - 1), label="row")
    new = plan.model_copy(deep=True)
    del getattr(new, key)[j]
    out = store.render(new, text)
    assert store.loads(out) == new
    before, after = _lines(text), _lines(out)
    header = _rows_headers(before, key)[j]
    # A row's own lines go; the comments directly above a table's first row introduce
    # the table and stay. Of the blank lines around the row, one goes (or none).
    own = _own_lines(before, header) if j > 0 else set(range(header, _row_end(before, header)))
    blanks = [i for i in (min(own) - 1, max(own) + 1) if 0 <= i < len(before) and not before[i]]
    left = [
        [ln for i, ln in enumerate(before) if i not in own | extra]
        for extra in [set()] + [{b} for b in blanks]
    ]
    assert after in left, "deleted lines that are not the row's, or kept some of the row's"


@pytest.mark.parametrize("text", TEXTS)
@SLOW
@given(data=st.data())
def test_a_moved_row_takes_its_own_comments_and_leaves_the_others(text, data):
    plan = store.loads(text)
    key = data.draw(st.sampled_from([k for k in ROWS if len(getattr(plan, k)) > 1]), label="table")
    rows = getattr(plan, key)
    j = data.draw(st.integers(0, len(rows) - 1), label="from")
    k = data.draw(st.integers(0, len(rows) - 1).filter(lambda k: k != j), label="to")
    new = plan.model_copy(deep=True)
    getattr(new, key).insert(k, getattr(new, key).pop(j))
    out = store.render(new, text)
    assert store.loads(out) == new
    before, after = _lines(text), _lines(out)
    assert sorted(before) == sorted(after), "a move adds or removes no line"
    headers = _rows_headers(before, key)
    for n, h in enumerate(headers):
        own = sorted(_own_lines(before, h) if n > 0 else range(h, _row_end(before, h)))
        chunk = "\n".join(before[i] for i in own)
        assert chunk in out, f"row {n}'s lines are no longer together"
    # everything before the table's first row and after its last row is where it was
    first, last = headers[0], _row_end(before, headers[-1])
    assert after[:first] == before[:first] and after[last:] == before[last:]


def test_deleting_every_row_of_a_table_keeps_the_comment_that_introduces_the_next():
    text = (ROOT / "sample_missions" / "atelier-durand.toml").read_text(encoding="utf-8")
    new = store.loads(text)
    new.person = []
    new.waiver = []
    out = store.render(new, text)
    assert store.loads(out) == new
    assert "# --- Personnes ---" in out and "# --- Processus ---" in out
    assert "# pas de suppléant" not in out  # nathalie's own comment went with her
    assert "\n\n\n" not in out.replace("# --- Personnes", "")


# --- the journal: the same render again is cached, an edited plan is not ----------------------


def test_rendering_a_plan_edited_in_place_since_the_last_render_gives_the_new_text():
    text = FIXTURE
    plan = store.loads(text)
    plan.person[0].name = "First"
    first = store.render(plan, text)
    assert store.render(plan, text) == first
    plan.person[0].name = "Second"  # the same object, changed in place
    second = store.render(plan, text)
    assert 'name = "Second"' in second and store.loads(second) == plan


def test_a_layout_blocks_cannot_follow_is_still_edited_keeping_its_comments():
    # a sub-table away from its table: edited as one document, comments kept all the same
    text = (
        '[mission]\nid = "m"\nstart = 2027-01-04\n\n[company]\nname = "C"\n\n'
        '# the exit\n[exit]\nkind = "sale"\n\n# closures, written apart\n'
        "[[company.closures]]\nfrom = 2027-08-02\nto = 2027-08-20\n"
    )
    assert store.blocks._layout(text) is None
    new = store.loads(text)
    new.person.append(_new_row("person"))
    new.company.name = "D"
    out = store.render(new, text)
    assert store.loads(out) == new
    assert "# the exit" in out and "# closures, written apart" in out


MULTILINE = '''\
[mission]
id = "m"
start = 2027-01-04

[[signal]]
on = 2027-01-26
kind = "team_involvement"
note = """
[[signal]]
# not a comment: a line of the note

"""

[[signal]]
on = 2027-02-15
kind = "clarification_requests"
note = \'\'\'
[rules]
\'\'\'

[[phase]]
id = "p"
kind = "project"
deliverables = [
  # a comment inside an array

  "x",
]
'''


@pytest.mark.parametrize(
    "edit",
    ["add", "delete-first", "delete-last", "move"],
)
def test_header_and_comment_lines_inside_strings_and_arrays_are_not_blocks(edit):
    text = MULTILINE
    plan = store.loads(text)
    new = plan.model_copy(deep=True)
    if edit == "add":
        new.signal.insert(1, _new_row("signal"))
    elif edit == "delete-first":
        del new.signal[0]
    elif edit == "delete-last":
        del new.signal[1]
    else:
        new.signal.reverse()
    out = store.render_onto(new, text)
    assert store.loads(out) == new
    for row in new.signal:
        if row.note != MARK:
            assert row.note in out  # each note still whole, where it was written
