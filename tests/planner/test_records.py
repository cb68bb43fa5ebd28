"""Records behave as the dataclasses they replace: the same class written both ways gives
the same instances, errors, equality, hashing, copies and dataclasses-protocol answers."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from releve.planner import records
from releve.planner.records import FrozenInstanceError, field, mutable_record, record
from tests.support import AS_OF, ROOT, SAMPLES

# A field: its name, and whether it has a default value, a default factory, or neither.
KINDS = ("required", "default", "factory")
_spec = st.lists(
    st.tuples(st.sampled_from(("a", "b", "c", "d", "e")), st.sampled_from(KINDS)),
    max_size=5,
    unique_by=lambda t: t[0],
).map(lambda fs: sorted(fs, key=lambda t: t[1] != "required"))  # required ones first


def _both(spec: list[tuple[str, str]], frozen: bool) -> tuple[type, type]:
    """The class `spec` describes, as a dataclass and as a record."""
    made = []
    for kind_of_class in ("dataclass", "record"):
        ns: dict[str, Any] = {"__annotations__": {n: "int" for n, _ in spec}}
        for name, kind in spec:
            if kind == "default":
                ns[name] = 7
            elif kind == "factory":
                ns[name] = (
                    dataclasses.field(default_factory=tuple)
                    if kind_of_class == "dataclass"
                    else field(default_factory=tuple)
                )
        cls = type("Point", (), ns)
        if kind_of_class == "dataclass":
            made.append(dataclasses.dataclass(frozen=frozen)(cls))
        else:
            made.append(record(cls) if frozen else mutable_record(cls))
    return made[0], made[1]


def _outcome(make: Any) -> Any:
    try:
        return ("ok", make())
    except TypeError as err:
        return ("TypeError", str(err).split("() ", 1)[-1])


@given(
    spec=_spec,
    frozen=st.booleans(),
    args=st.lists(st.integers(0, 3), max_size=6),
    kwargs=st.dictionaries(st.sampled_from(("a", "b", "c", "d", "e", "z")), st.integers(0, 3)),
)
def test_a_record_builds_compares_and_refuses_as_the_same_dataclass(spec, frozen, args, kwargs):
    dc, rec = _both(spec, frozen)
    want, got = _outcome(lambda: dc(*args, **kwargs)), _outcome(lambda: rec(*args, **kwargs))
    assert got[0] == want[0]
    if want[0] == "TypeError":
        assert got[1] == want[1]  # the same words as dataclasses: "missing required …"
        return
    d, r = want[1], got[1]
    assert repr(r) == repr(d)
    assert vars(r) == vars(d)
    assert r == rec(**vars(d))
    assert (r != rec(**vars(d))) is False
    assert (r == d) is False  # another class is never equal
    if frozen:
        assert hash(r) == hash(rec(**vars(d)))
        for name in vars(d):
            with pytest.raises(FrozenInstanceError):
                setattr(r, name, 1)
            with pytest.raises(AttributeError):
                setattr(d, name, 1)
    else:
        with pytest.raises(TypeError):
            hash(r)
        for name in vars(d):
            setattr(r, name, 9)
            assert getattr(r, name) == 9
    assert copy.deepcopy(r) == r and copy.copy(r) == r
    assert [f.name for f in records.fields(r)] == [f.name for f in dataclasses.fields(d)]


@record
class Cost:
    code: str
    weight: float = 1.0
    tags: tuple[str, ...] = ()


def test_the_dataclasses_module_works_on_records():
    c = Cost("EXT001", 2.0)
    assert pickle.loads(pickle.dumps(c)) == c  # as --jobs workers send results back
    assert dataclasses.is_dataclass(c)
    assert [f.name for f in dataclasses.fields(c)] == ["code", "weight", "tags"]
    assert dataclasses.replace(c, weight=3.0) == Cost("EXT001", 3.0)
    assert dataclasses.asdict(c) == {"code": "EXT001", "weight": 2.0, "tags": ()}
    assert records.replace(c, tags=("a",)) == Cost("EXT001", 2.0, ("a",))
    assert records.is_record(c) and not records.is_record(Cost)


def test_inheritance_field_options_and_post_init():
    @record
    class Base:
        a: int
        b: list[int] = field(default_factory=list, compare=False, repr=False)

    @record
    class Child(Base):
        c: str = "x"

    @mutable_record
    class Counter:
        start: int
        total: int = field(init=False)

        def __post_init__(self) -> None:
            self.total = self.start * 2

    child = Child(1, [5], "y")
    assert repr(child) == "test_inheritance_field_options_and_post_init.<locals>.Child(a=1, c='y')"
    assert child == Child(1, [6], "y")  # b is not compared
    assert child.__match_args__ == ("a", "b", "c")
    assert Counter(4).total == 8
    with pytest.raises(ValueError, match="init=False"):
        records.replace(Counter(1), total=3)
    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Bad:
            items: list[int] = []  # noqa: RUF012 - the mistake under test

    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @record
        class Order:
            a: int = 0
            b: int  # type: ignore[misc]


def test_a_cold_check_never_imports_dataclasses():
    """The point of records: `releve check` defines ~40 value classes without compiling
    their methods (each @dataclass compiles ~6 functions) nor importing the module."""
    code = (
        "import sys\n"
        "from releve.tui.cli import main\n"
        f"code = main(['check', {str(SAMPLES / 'atelier-durand.toml')!r}, '--as-of', "
        f"'{AS_OF}', '--format', 'json'])\n"
        "print('DC', 'dataclasses' in sys.modules, code, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.stderr.strip().splitlines()[-1] in ("DC False 0", "DC False 1"), done.stderr
