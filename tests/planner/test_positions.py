"""Where keys are in a plan's text (planner/store/positions.py): the one-match reading of
simple lines finds exactly what the general scanner finds, and lines and columns count
from 1 as an editor shows them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releve.planner.store import positions
from releve.planner.store.positions import TextIndex

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml")) + [ROOT / "planner" / "template.toml"]

#: Matches nothing: with it, every line goes through the general scanner alone (the
#: scanner as it was before simple lines were read in one match).
_NEVER = re.compile(r"(?!)")


def general_only(text: str, monkeypatch: pytest.MonkeyPatch) -> TextIndex:
    with monkeypatch.context() as m:
        m.setattr(positions, "_SIMPLE_LINE", _NEVER)
        return TextIndex(text)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """What an editor shows for a character: its line and column, from 1."""
    before = text[:offset].split("\n")
    return len(before), len(before[-1]) + 1


def assert_same(text: str, monkeypatch: pytest.MonkeyPatch) -> TextIndex:
    fast = TextIndex(text)
    slow = general_only(text, monkeypatch)
    assert list(fast.positions.items()) == list(slow.positions.items())
    assert fast.aot_counts == slow.aot_counts
    for loc, offset in fast.positions.items():
        assert fast.find(loc) == line_col(text, offset)
        assert fast.find((*loc, "not-there")) == line_col(text, offset)
        assert fast.find((*loc, "not-there"), exact=True) is None
    return fast


# --- TOML-like text, right and wrong --------------------------------------------------------

_bare = st.text("abz09_-", min_size=1, max_size=4)
_quoted = st.one_of(
    _bare.map(lambda k: f'"{k}"'),
    _bare.map(lambda k: f"'{k}'"),
    st.just('"a\\u00e9\\"b"'),
    st.just('"a.b"'),
)
_key = st.one_of(
    _bare,
    _bare,
    _quoted,
    st.tuples(
        st.lists(st.one_of(_bare, _quoted), min_size=2, max_size=3),
        st.sampled_from([".", " . ", ". "]),
    ).map(lambda p: p[1].join(p[0])),
)
_scalar = st.sampled_from(
    [
        "1",
        "-3.5",
        "true",
        "false",
        "1e3",
        "0x1F",
        "inf",
        "2027-03-01",
        "2027-03-01T08:30:00Z",
        "2027-03-01 08:30:00+02:00",
        "08:30:00",
        "2027-03-01T08",
    ]
)
_string = st.one_of(
    st.text("ab é\\\"'#,]}=", max_size=6).map(lambda s: f'"{s}"'),
    st.text('ab é"#,]}=', max_size=6).map(lambda s: f"'{s}'"),
    st.sampled_from(['""', "''", '"""a\n"b"\n"""', "'''x\n''y'''", '"a\\"#"', '"""""']),
)
#: Values whose first characters look like another kind of value.
_tricky = st.sampled_from(
    ['""', "''", '"""a\n"b"\n"""', "'''x\n''y'''", "''''''", '"""""', '"a', "'a", "[", "{", ""]
)
_leaf = st.one_of(_scalar, _string)
_nested = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(inner, max_size=3).map(lambda xs: "[\n  " + ",  # c\n  ".join(xs) + ",\n]"),
        st.lists(st.tuples(_bare, inner), max_size=3).map(
            lambda kvs: "{ " + ", ".join(f"{k} = {v}" for k, v in kvs) + " }"
        ),
    ),
    max_leaves=6,
)
_value = st.one_of(_tricky, _nested)
_space = st.sampled_from(["", " ", "  ", "\t"])
_comment = st.sampled_from(["", "  # note", " #[x] a = 1", "#"])
_keyval = st.tuples(_space, _key, _space, _space, _value, _comment).map(
    lambda p: f"{p[0]}{p[1]}{p[2]}={p[3]}{p[4]}{p[5]}"
)
_toml_line = st.one_of(
    _keyval,
    _keyval,
    _keyval,
    st.tuples(_space, _key, _comment).map(lambda p: f"{p[0]}[{p[1]}]{p[2]}"),
    st.tuples(_space, _key, _comment).map(lambda p: f"{p[0]}[[{p[1]}]]{p[2]}"),
    _comment,
)
#: Text that is not TOML, or only nearly: both readers must stop at the same place.
_junk = st.text("ab1=[]{}\"'#. \t,-:", max_size=12)
_line = st.one_of(_toml_line, _toml_line, _toml_line, _junk)


def _joined(line: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.lists(line, min_size=1, max_size=30), st.sampled_from(["\n", "\r\n"])).map(
        lambda p: p[1].join(p[0])
    )


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@PROPERTY
@given(text=_joined(_toml_line))
def test_simple_lines_are_found_where_the_general_scanner_finds_them(text, monkeypatch):
    assert_same(text, monkeypatch)


@PROPERTY
@given(text=_joined(_line))
def test_both_readers_stop_at_the_same_place_on_broken_text(text, monkeypatch):
    assert_same(text, monkeypatch)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_key_of_the_samples_is_where_the_general_scanner_puts_it(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    index = assert_same(text, monkeypatch)
    # and on the line that holds it: the key's own text starts there
    for loc in index.positions:
        name = loc[-1]
        line, col = index.find(loc)
        shown = text.split("\n")[line - 1][col - 1 :]
        if isinstance(name, str) and not shown.startswith(("{", '"', "'")):
            assert shown.startswith(name), (loc, shown)


@PROPERTY
@given(data=st.data())
def test_a_sample_with_a_line_changed_still_matches(data, monkeypatch):
    text = SAMPLES[data.draw(st.integers(0, len(SAMPLES) - 1))].read_text(encoding="utf-8")
    lines = text.split("\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    lines[at] = data.draw(_line)
    assert_same("\n".join(lines), monkeypatch)


def test_a_multi_line_string_is_read_whole():
    text = "a = '''x\n''y'''\nb = \"\"\"\nc = 1\n\"\"\"\nd = 2\n"
    index = TextIndex(text)
    assert index.positions == {("a",): 0, ("b",): 16, ("d",): 34}


def test_a_key_inside_a_comment_is_not_a_key():
    text = '# a = 1\n[[x . y]]\nb = 2\n# c = "3"\n'
    index = TextIndex(text)
    assert ("a",) not in index.positions and ("c",) not in index.positions
    assert index.find(("x", "y", 0, "b")) == (3, 1)
