"""Every way a plan can be unreadable gives one PlanError with file, line, column and a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from releve.planner import store
from releve.planner.errors import PlanError

M = '[mission]\nid = "m"\nstart = 2027-01-04\n'  # lines 1-3


@pytest.fixture(params=["tomli", "tomllib"])
def parser(request, monkeypatch):
    """The store parses with tomli when installed (compiled, faster), else tomllib: both
    must give the same errors."""
    module = pytest.importorskip(request.param)
    monkeypatch.setattr(store.loading, "tomllib", module)
    return module


def error_of(text: str) -> PlanError:
    with pytest.raises(PlanError) as info:
        store.loads(text, "plan.toml")
    err = info.value
    assert err.path == "plan.toml"
    assert "\n" not in str(err), "one line per problem"
    return err


# (name, text, line, column, words the message must contain)
CASES = [
    ("toml syntax", M + "title = \n", 4, 9, ["TOML syntax", "invalid value"]),
    ("unclosed array at end", M + "x = [1,\n", 4, 8, ["TOML syntax", "end of file"]),
    (
        "invalid date",
        M + "[exit]\ntarget_date = 2027-02-30\n",
        5,
        15,
        ["invalid date '2027-02-30'"],
    ),
    (
        "wrong type: string for integer",
        M + '[company]\nname = "x"\nheadcount = "12"\n',
        6,
        1,
        ["headcount", "must be an integer", "string", "'12'"],
    ),
    (
        "wrong type: integer for boolean in a row",
        M + '[[person]]\nid = "a"\n\n[[person]]\nid = "b"\nfounder = 1\n',
        9,
        1,
        ["founder", "true or false", "integer"],
    ),
    (
        "wrong type: date-time for date",
        M + "[exit]\ntarget_date = 2027-02-03T10:00:00\n",
        5,
        1,
        ["target_date", "date", "date-time"],
    ),
    (
        "wrong type: string in a closure, multi-line array of inline tables",
        M + "[company]\nclosures = [\n  { from = 2027-01-05, to = 2027-01-09 },\n"
        '  {to = 2027-01-20,   from = "x" },\n]\n',
        7,
        23,
        ["from", "must be a date", "'x'"],
    ),
    (
        "unknown key in a table",
        M + '[company]\nname = "x"\nnmae = "y"\n',
        6,
        1,
        ["unknown key 'nmae'", "[company]", "did you mean 'name'", "sector"],
    ),
    (
        "unknown table",
        M + '\n[compagny]\nname = "x"\n',
        5,
        2,
        ["unknown key 'compagny'", "did you mean 'company'"],
    ),
    (
        "unknown key in an inline table",
        M + "[coo]\nleave = [{ from = 2027-04-12, to = 2027-04-16, why = 'ski' }]\n",
        5,
        48,
        ["unknown key 'why'", "reason"],
    ),
    (
        "the attribute name instead of the file key",
        M + '[[transfer]]\nid = "t"\nfrom_ = "coo"\n',
        6,
        1,
        ["unknown key 'from_'", "did you mean 'from'"],
    ),
    (
        "unknown enumeration value",
        M + '[governance]\nsponsor = "marc"\nreporting = "daily"\n',
        6,
        1,
        ["unknown value 'daily'", "reporting", "weekly, biweekly, monthly, quarterly"],
    ),
    (
        "unknown enumeration value in an inline array",
        M + '[coo]\nworkdays = ["mon", "mardi"]\n',
        5,
        20,
        ["unknown value 'mardi'", "mon, tue, wed, thu, fri, sat, sun"],
    ),
    (
        "unknown enumeration value in a dotted key",
        'coo . "workdays" = ["mon", "lundi"]\n' + M,
        1,
        28,
        ["unknown value 'lundi'", "workdays"],
    ),
    (
        "duplicate id points at the second row's id line",
        M + '[[person]]\nid = "a"\n\n[[person]]\nname = "B"\n  id = "a"\n',
        9,
        3,
        ["duplicate person id 'a'", "row 1"],
    ),
    (
        "missing [mission]",
        '# a plan\n[company]\nname = "x"\n',
        1,
        1,
        ["no [mission] table"],
    ),
    (
        "missing required key points at its table",
        '[company]\nname = "x"\n\n[mission]\nid = "m"\n',
        4,
        2,
        ["[mission] is missing the required key 'start'"],
    ),
    (
        "missing kind in a phase row",
        M + '[[phase]]\nid = "audit"\n',
        4,
        3,
        ["[[phase]] row 1 (id 'audit')", "missing the required key 'kind'"],
    ),
    (
        "empty file",
        "",
        1,
        1,
        ["empty file", "releve new"],
    ),
    (
        "blank file",
        "\n   \n\t\n",
        1,
        1,
        ["empty file"],
    ),
    (
        "format from a newer releve",
        "# future\nformat = 2\n" + M + "[new_table]\nx = 1\n",
        2,
        1,
        ["written by a newer releve", "format 2"],
    ),
    (
        "control character",
        M + 'title = "a\x00b"\n',
        4,
        11,
        ["TOML syntax", "illegal character"],
    ),
    (
        "absurd nesting",
        M + "x = " + "[" * 5000 + "]" * 5000 + "\n",
        4,
        55,
        ["nested more than 50 deep"],
    ),
    (
        "absurd nesting of inline tables",
        M + "x = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n",
        4,
        155,
        ["nested more than 50 deep"],
    ),
    (
        "value out of range",
        M + "[company]\ntop_customer_share = 1.5\n",
        5,
        1,
        ["top_customer_share", "less than or equal to 1", "1.5"],
    ),
    (
        "an id that is not a slug",
        M + '[[person]]\nid = "Marc D"\n',
        5,
        1,
        ["'Marc D' is not a valid id"],
    ),
    (
        "a period that ends before it starts",
        M + "[coo]\nleave = [{ from = 2027-01-05, to = 2027-01-01 }]\n",
        5,
        10,
        ["[coo] leave row 1", "ends (2027-01-01) before it starts (2027-01-05)"],
    ),
    (
        "quoted keys and a multi-line string before the error",
        M + '[company]\n"name" = """A\n[not a table]\nB"""\n\'sector\' = 3\n',
        8,
        1,
        ["sector must be a string", "integer"],
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_load_error_points_at_line_and_column(text, line, column, words, parser):
    err = error_of(text)
    assert (err.line, err.column) == (line, column), str(err)
    for word in words:
        assert word in err.message, (word, err.message)
    assert str(err).startswith(f"plan.toml:{line}:{column}: ")


def test_invalid_utf8_points_at_the_first_bad_byte(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(M.encode() + 'title = "Défi \xff"\n'.encode("latin-1"))
    with pytest.raises(PlanError) as info:
        store.load(path)
    err = info.value
    # "Défi" is read as latin-1 bytes: 'é' (0xe9) is the first byte that is not UTF-8.
    assert (err.line, err.column) == (4, 11)
    assert "not a UTF-8 text file" in err.message and err.path == str(path)


def test_binary_garbage_is_a_located_error_not_a_crash(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(PlanError) as info:
        store.load(path)
    assert (info.value.line, info.value.column) == (1, 1)


def test_binary_garbage_that_is_valid_utf8_is_a_syntax_error():
    err = error_of("\x00\x01\x02 garbage")
    assert (err.line, err.column) == (1, 1) and "TOML syntax" in err.message


def test_deep_nesting_never_raises_recursion_error():
    for opener, closer in (("[", "]"), ("{a=", "}"), ("[{a=", "}]")):
        text = "x = " + opener * 100_000 + "1" + closer * 100_000
        err = error_of(text)
        assert err.line == 1 and "nested" in err.message


def test_deep_nesting_is_located_past_strings_and_comments_with_brackets():
    text = M + 'title = "]]]]"  # ]]]]\nx = [\n  """]]]\n""", \'\'\'"]\'\'\',\n' + "[" * 3000
    err = error_of(text)
    assert (err.line, err.column) == (8, 50) and "nested more than 50" in err.message


def test_moderate_nesting_reads_and_fails_on_the_key():
    err = error_of(M + "title = " + "[" * 60 + "]" * 60 + "\n")
    assert (err.line, err.column) == (4, 1) and "title must be a string" in err.message


def test_deep_tables_in_headers_are_not_nesting():
    # 60 brackets in a row, but each table header closes before the next opens.
    text = M + "".join(f"[t{i}]\n" for i in range(60))
    err = error_of(text)
    assert "unknown key 't0'" in err.message and err.line == 4


def test_several_problems_report_the_first_in_file_order_and_keep_all():
    text = (
        M
        + '[company]\nheadcount = "many"\n\n[governance]\nreporting = "daily"\n'
        + ('[[person]]\nid = "a"\nfounder = "yes"\n')
    )
    # Put the last problem first in the text: pydantic's order is not file order.
    text = "[zzz]\nq = 1\n" + text
    err = error_of(text)
    assert (err.line, err.column) == (1, 2) and "unknown key 'zzz'" in err.message
    lines = [e.line for e in err.errors]
    assert lines == sorted(lines) and len(lines) == 4
    assert [e.line for e in err.errors] == [1, 7, 10, 13]


def test_the_samples_and_the_template_load(samples):
    assert samples, "sample_missions/*.toml are missing"
    for path in [*samples, Path(store.__file__).parents[1] / "template.toml"]:
        assert store.load(path).plan.mission.id


_LOCATE_LINES = [
    "governance = { reports_to = 'marc', sponsor = \"marc\" }",  # 1
    "[mission]",  # 2
    'id = "m"',  # 3
    "  start = 2027-01-04  # indented",  # 4
    "[company]",  # 5
    '"name" = "A # not a comment"',  # 6
    "closures = [  # comment",  # 7
    '  { from = 2027-01-01, to = 2027-01-02, reason = "x" },',  # 8
    "  { from = 2027-02-01, to = 2027-02-02 },",  # 9
    "]",  # 10
    "[[phase]]",  # 11
    'id = "a"',  # 12
    "effort_days = 3",  # 13
    "",  # 14
    "# second phase",  # 15
    "[[ phase ]]",  # 16
    'id = "b"',  # 17
    "after = [",  # 18
    '         "a"]',  # 19
    'name = """x',  # 20
    '[[phase]] in a string"""',  # 21
    "deliverables = ['one',",  # 22
    "  'two']",  # 23
    "[[kpi]]",  # 24
    "id = 'k'",  # 25
    "history = [{ on = 2027-01-01, value = 1 }]",  # 26
    "[coo]",  # 27
    "leave.0 = 1",  # 28 (not a valid plan; the scanner still follows dotted keys)
    "",
]
LOCATE_TEXT = "\n".join(_LOCATE_LINES)


@pytest.mark.parametrize(
    ("loc", "where"),
    [
        (("governance", "reports_to"), (1, 16)),
        (("governance", "sponsor"), (1, 37)),
        (("mission",), (2, 2)),
        (("mission", "start"), (4, 3)),
        (("company", "name"), (6, 1)),
        (("company", "closures"), (7, 1)),
        (("company", "closures", 1), (9, 3)),
        (("company", "closures", 1, "from"), (9, 5)),
        (("company", "closures", 0, "reason"), (8, 41)),
        (("phase", 0), (11, 3)),
        (("phase", 0, "effort_days"), (13, 1)),
        (("phase", 1), (16, 4)),
        (("phase", 1, "after", 0), (19, 10)),
        (("phase", 1, "deliverables", 1), (23, 3)),
        (("phase", 2), None),
        (("kpi", 0, "history", 0, "on"), (26, 14)),
        (("coo", "leave", "0"), (28, 7)),
    ],
)
def test_locate_finds_keys_in_every_toml_form(loc, where):
    assert store.locate(LOCATE_TEXT, loc, exact=True) == where


def test_locate_falls_back_to_the_enclosing_table_when_the_key_is_absent():
    assert store.locate(LOCATE_TEXT, ("phase", 1, "effort_days")) == (16, 4)
    assert store.locate(LOCATE_TEXT, ("phase", 1, "effort_days"), exact=True) is None
    assert store.locate(LOCATE_TEXT, ("exit", "kind")) is None
