"""Every mistake of a pack in one run, each at its FILE:LINE:COLUMN, and never a huge or
broken line (issues 14 and 16): what a firm writing its first pack sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import GOV005_21_DAYS, RC101, RC101_MESSAGE, plan_naming_packs

from releve.rules.packs import PackError, PackErrors, load_pack_set
from releve.rules.packs.errors import BODY_MAX

MESSY = """[pack]
id = "Cabinet_X"
name = "Cabinet X"

[[rule]]
id = "X101"
name = "manual-thing"
title = { fr = "Un processus manuel" }
message = { fr = "{nmae} reste manuel" }
pillar = "transfr"
severty = "error"
severity = "error"
fact = "process"
when = [{ field = "automaton", op = "eq", value = 0 }]

[[rule]]
id = "x102"
name = "Bad-Name"
title = { fr = "T" }
message = { fr = "M" }
pillar = "team"
severity = "fatal"
fact = "person"

[[rule]]
id = "GOV005"
name = "again"
title = { de = "Nochmal" }
message = { fr = "M {zz}" }
pillar = "governance"
severity = "info"
fact = "governance"

[[rule]]
id = "X103"
title = { fr = "Sans tout" }
fact = "nonsense"
grade = { among = [{ field = "critical", op = "eq", value = true }] }
"""


def _lines(err: PackError) -> list[str]:
    return str(err).splitlines()


def test_a_messy_pack_reports_every_mistake_each_at_its_place(write):
    pack = write("cabinet.toml", MESSY)
    with pytest.raises(PackErrors) as err:
        load_pack_set(extra=(pack,))
    got = []
    for line in _lines(err.value):
        m = re.match(rf"^{re.escape(str(pack))}:(\d+):(\d+): (.*)$", line)
        assert m, f"not FILE:LINE:COLUMN: {line!r}"
        got.append((int(m[1]), m[3]))
    expected = [
        # the [pack] error does not hide the rules' errors
        (2, "key pack.id: pack id 'Cabinet_X' must be kebab-case"),
        # an unknown key in a rule does not hide its placeholder, pillar and field errors
        (9, "rule X101, key message.fr: placeholder {nmae} is neither a field"),
        (10, "rule X101, key pillar: unknown pillar 'transfr' (did you mean 'transfer'?)"),
        (11, "rule X101, key severty: unknown key 'severty' (did you mean 'severity'?)"),
        (14, "rule X101, key when[0].field: unknown field 'automaton'"),
        # a code that cannot be used does not hide the rule's other mistakes
        (17, "rule x102, key id: rule code 'x102' must be one or more capitals"),
        (18, "rule x102, key name: name 'Bad-Name' must be kebab-case"),
        (22, "rule x102, key severity: unknown severity 'fatal'"),
        (26, "rule GOV005, key id: duplicate rule code GOV005"),
        (28, "rule GOV005, key title.de: unknown language 'de'"),
        (29, "rule GOV005, key message.fr: placeholder {zz} is neither"),
        # missing keys are each named, and an unknown fact kind with a grade is no crash
        (35, "rule X103, key name: missing required key 'name'"),
        (35, "rule X103, key message: missing required key 'message'"),
        (35, "rule X103, key pillar: missing required key 'pillar'"),
        (35, "rule X103, key severity: missing required key 'severity'"),
        (37, "rule X103, key fact: unknown fact kind 'nonsense'"),
    ]
    assert [n for n, _ in got] == [n for n, _ in expected], got
    for (_, text), (_, words) in zip(got, expected, strict=True):
        assert text.startswith(words), (text, words)


def test_a_pack_without_a_pack_table_is_an_error_that_hides_nothing(write):
    pack = write("no-head.toml", '[rules.GOV005]\nseverty = "info"\n')
    with pytest.raises(PackErrors) as err:
        load_pack_set(extra=(pack,))
    assert _lines(err.value) == [
        f"{pack}:1:1: no [pack] table: a pack starts with [pack] (id, name, version)",
        f"{pack}:2:1: rule GOV005, key severty: unknown key 'severty' (did you mean 'severity'?)",
    ]


def test_a_huge_key_gives_a_short_error(write):
    # 2 MB of key under [rules.GOV005]: the error quotes ~80 characters of it, not 2 MB.
    key = "k" * 2_000_000
    pack = write("huge.toml", f'[pack]\nid = "huge"\n[rules.GOV005]\n{key} = 1\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    (line,) = _lines(err.value)
    assert line.startswith(f"{pack}:4:1: rule GOV005, key kkkk")
    assert len(line) <= len(str(pack)) + len(":4:1: ") + BODY_MAX
    assert "unknown key 'kkkk" in line and "…" in line


def test_a_huge_rule_code_gives_a_short_error(write):
    code = "G" * 500_000 + "005"
    pack = write("huge.toml", f'[pack]\nid = "huge"\n[rules.{code}]\nseverity = "info"\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    (line,) = _lines(err.value)
    assert line.startswith(f"{pack}:3:1: rule GGGG") and "no pack in force defines" in line
    assert len(line) <= len(str(pack)) + len(":3:1: ") + BODY_MAX


def test_a_line_break_in_a_key_stays_on_the_error_line(write):
    pack = write("nl.toml", '[pack]\nid = "nl"\n[rules.GOV005]\n"sever\\nity" = "info"\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    (line,) = _lines(err.value)
    assert "sever\u240aity" in line and line.startswith(f"{pack}:")


# --- packs a plan names (issue 16) ------------------------------------------------------------


def _plan_naming(folder: Path, packs: str) -> tuple[Path, int]:
    """The Durand sample in `folder`, its `[rules] packs` set to `packs` (TOML); and the
    line of that entry."""
    from releve.planner.store import loads

    plan = plan_naming_packs(folder, packs)
    new = plan.read_text(encoding="utf-8")
    line = new[: new.index(f"packs = {packs}")].count("\n") + 1
    assert loads(new, str(plan)).rules is not None
    return plan, line


def _load_for(plan: Path) -> PackError:
    from releve.planner.store import load

    with pytest.raises(PackError) as err:
        load_pack_set(plan_path=plan, plan=load(plan).plan)
    return err.value


def test_an_empty_pack_name_is_its_own_error_not_the_plans_folder(tmp_path):
    plan, line = _plan_naming(tmp_path, '[""]')
    err = _load_for(plan)
    assert str(err) == (
        f"{plan}:{line}:10: an empty pack name: name a pack file or folder relative to the "
        'plan (packs = ["firm.toml"])'
    )


def test_a_nul_in_a_pack_name_says_so(tmp_path):
    plan, line = _plan_naming(tmp_path, '["x\\u0000y.toml"]')
    err = _load_for(plan)
    assert str(err) == f"{plan}:{line}:10: pack 'x\0y.toml': the pack path holds a NUL character"
    assert "may only name packs" not in str(err)


@pytest.mark.parametrize(
    ("entry", "words"),
    [('""', "'': an empty pack name"), ('"a\\u0000b"', "the pack path holds a NUL character")],
)
def test_extends_with_an_empty_or_nul_name_is_located(write, entry, words):
    pack = write("firm.toml", f'[pack]\nid = "firm"\nextends = [{entry}]\n')
    with pytest.raises(PackError) as err:
        load_pack_set(extra=(pack,))
    (line,) = _lines(err.value)
    assert line.startswith(f"{pack}:3:") and "key pack.extends" in line and words in line


def test_a_long_pack_name_is_quoted_and_the_advice_is_whole(tmp_path):
    # The name is cut at ~80 characters; the words after it (how to allow a folder) are not.
    name = "/etc/" + "a" * 300 + ".toml"
    plan, line = _plan_naming(tmp_path, f'["{name}"]')
    err = str(_load_for(plan))
    assert err.startswith(f"{plan}:{line}:10: pack '/etc/aaaa")
    assert "a" * 81 not in err and "…'" in err
    assert err.endswith("(allow another folder with --pack-path DIR or RELEVE_PACK_PATH)")


# --- any mutation of a firm pack: located lines, never a crash ---------------------------------

FIRM = (
    '[pack]\nid = "firm"\nextends = ["default"]\n\n[select]\nexclude = ["SIG003"]\n\n'
    + GOV005_21_DAYS
    + "\n"
    + RC101
    + RC101_MESSAGE
    + 'grade = { among = [{ field = "critical", op = "eq", value = true }] }\n'
)
VALUE = re.compile(r'(?m)^(?P<head>[ \t]*[A-Za-z_]+ = )(?P<value>.+)$|(?<== )"[^"\n]*"')
OTHERS = [
    "3",
    "-1",
    "1.5",
    "true",
    '""',
    "[]",
    "[1, 2]",
    "{}",
    "{ x = 1 }",
    "2027-03-01",
    '"x\\u0000y"',
    '"\\u202e"',
    '"' + "z" * 5000 + '"',
    "[[[[[[1]]]]]]",
]
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): \S")


@st.composite
def mutated_firm(draw) -> str:
    text = FIRM
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["value", "delete", "duplicate", "key"]))
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        if how == "delete":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "key":
            key = draw(st.sampled_from(["severty", "whenn", "k" * 3000, '"a b"', "pillar"]))
            lines.insert(i, f"{key} = {draw(st.sampled_from(OTHERS))}")
        else:
            matches = list(VALUE.finditer(text))
            m = matches[draw(st.integers(0, len(matches) - 1))]
            start, end = (m.start("value"), m.end("value")) if m["value"] else m.span()
            text = text[:start] + draw(st.sampled_from(OTHERS)) + text[end:]
            continue
        text = "\n".join(lines)
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_firm())
def test_a_mutated_pack_loads_or_gives_located_short_lines(tmp_path_factory, text):
    pack = tmp_path_factory.mktemp("firm") / "firm.toml"
    pack.write_text(text, encoding="utf-8")
    try:
        load_pack_set(extra=(pack,))
    except PackError as err:
        lines = str(err).split("\n")
        if isinstance(err, PackErrors):
            assert len(lines) == len(err.errors)
        n_lines = text.count("\n") + 1
        for line in lines:
            m = LOCATED.match(line)
            assert m and m["file"] == str(pack), line[:300]
            assert 1 <= int(m["line"]) <= n_lines, line[:300]
            assert len(line) <= len(str(pack)) + 16 + BODY_MAX, line[:300]
