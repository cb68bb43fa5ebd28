"""Record classes: value classes like ``@dataclass(frozen=True)``, far cheaper to define.

A ``@dataclass`` compiles Python source for each method it adds (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, a frozen one's ``__setattr__`` and ``__delattr__``): about 1 ms a
class on our CI machines, and the ``dataclasses`` module itself imports ``inspect``. ``releve
check`` defines ~40 such classes, which cost a third of a cold run. A record gets the same
methods as closures over its field list, built without compiling anything.

What a record has (the subset of dataclasses this code base uses):

- fields from the class's annotations, in order, a base record's first; a default by
  assignment or ``field(default=..., default_factory=..., init=False, repr=False,
  compare=False)``; a mutable default (list, dict, set) is refused, as dataclasses do;
- ``__init__`` (positional or keyword, then ``__post_init__`` if the class has one),
  ``__repr__``, ``__eq__`` (same class, same compared fields), ``__match_args__``;
- ``@record``: frozen, hashable by its compared fields, assignment raises
  :class:`FrozenInstanceError`; ``@mutable_record``: assignable, not hashable (as a
  dataclass with ``eq=True``);
- the dataclasses protocol, built on first use: ``dataclasses.fields``, ``replace``,
  ``asdict`` and ``is_dataclass`` work on records (the module is imported only then);
  :func:`fields` and :func:`replace` here do the same without importing it.

Instances keep their values in ``__dict__`` (pickle, copy and ``functools.cached_property``
work as on a dataclass).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

__all__ = [
    "FrozenInstanceError",
    "Field",
    "field",
    "fields",
    "is_record",
    "mutable_record",
    "record",
    "replace",
]

_T = TypeVar("_T")
_C = TypeVar("_C", bound=type)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class Field:
    """One field of a record (what :func:`field` returns before the class is built)."""

    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare")

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        init: bool,
        repr: bool,  # the dataclasses keyword
        compare: bool,
    ) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,  # the dataclasses keyword
    compare: bool = True,
) -> Any:
    """A field with options, as ``dataclasses.field``."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, compare)


_RECORD_FIELDS = "__record_fields__"
_RECORD_FROZEN = "__record_frozen__"
_MUTABLE_DEFAULTS = (list, dict, set)


def _is_classvar(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar", "t.ClassVar"))


def _collect(cls: type) -> dict[str, Field]:
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get(_RECORD_FIELDS, ()):
            found[f.name] = f
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(value, MISSING, True, True, True)
        f.name = name
        if isinstance(f.default, _MUTABLE_DEFAULTS):
            raise ValueError(
                f"mutable default {type(f.default)} for field {name} is not allowed: "
                "use default_factory"
            )
        if isinstance(value, Field):  # as dataclasses: the class keeps a plain default
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        found[name] = f
    return found


def _missing(names: list[str]) -> str:
    """Python's own words for missing arguments."""
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        listed = quoted[0]
    elif len(quoted) == 2:
        listed = f"{quoted[0]} and {quoted[1]}"
    else:
        listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    plural = "s" if len(names) > 1 else ""
    return f"missing {len(names)} required positional argument{plural}: {listed}"


def _check_order(params: tuple[Field, ...]) -> None:
    seen_default = False
    for f in params:
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")


class _Signature:
    """What an ``__init__`` needs to bind its arguments (and word its errors)."""

    __slots__ = ("count", "label", "names", "plan", "position", "takes")

    def __init__(self, cls: type, params: tuple[Field, ...]) -> None:
        self.names = tuple(f.name for f in params)
        self.plan = tuple(
            (f.name, 0 if f.default is MISSING and f.default_factory is MISSING else 1, f)
            for f in params
        )
        self.count = count = len(self.names)
        self.position = {name: i for i, name in enumerate(self.names)}
        required = sum(1 for _name, kind, _f in self.plan if not kind)
        self.takes = (
            f"from {required + 1} to {count + 1} positional arguments"
            if required < count
            else f"{count + 1} positional argument{'s' if count else ''}"
        )
        self.label = f"{cls.__qualname__}.__init__()"


def _bind(
    sig: _Signature, values: dict[str, Any], args: tuple[Any, ...], kw: dict[str, Any]
) -> None:
    """Any call: positional then keyword arguments, defaults, Python's errors."""
    given = len(args)
    for name in kw:  # checked first, as Python does for a function's arguments
        at = sig.position.get(name)
        if at is None:
            raise TypeError(f"{sig.label} got an unexpected keyword argument {name!r}")
        if at < given:
            raise TypeError(f"{sig.label} got multiple values for argument {name!r}")
    if given > sig.count:
        raise TypeError(f"{sig.label} takes {sig.takes} but {given + 1} were given")
    for name, value in zip(sig.names, args, strict=False):
        values[name] = value
    missing: list[str] = []
    for name, kind, f in sig.plan[given:]:
        if name in kw:
            values[name] = kw[name]
        elif kind:
            values[name] = f.default_factory() if f.default_factory is not MISSING else f.default
        else:
            missing.append(name)
    if missing:
        raise TypeError(f"{sig.label} {_missing(missing)}")


def _make_init(cls: type, all_fields: tuple[Field, ...]) -> Callable[..., None]:
    params = tuple(f for f in all_fields if f.init)
    _check_order(params)
    sig = _Signature(cls, params)
    names, count, name_set = sig.names, sig.count, sig.position.keys()
    required = frozenset(
        f.name for f in params if f.default is MISSING and f.default_factory is MISSING
    )
    defaults = {f.name: f.default for f in params if f.default is not MISSING}
    factories = tuple(
        (f.name, f.default_factory) for f in params if f.default_factory is not MISSING
    )
    later = tuple(
        f
        for f in all_fields
        if not f.init and (f.default is not MISSING or f.default_factory is not MISSING)
    )
    post_init = getattr(cls, "__post_init__", None) is not None

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        # The two common calls first: every field by keyword, or every field by position.
        if not args and kwargs.keys() == name_set:
            self.__dict__.update(kwargs)  # (in the call's order; fields() gives theirs)
        elif not args and required <= kwargs.keys() <= name_set:
            values = self.__dict__  # some fields left to their defaults
            values.update(defaults)
            for name, factory in factories:
                if name not in kwargs:
                    values[name] = factory()
            values.update(kwargs)
        elif not kwargs and len(args) == count:
            self.__dict__.update(zip(names, args, strict=True))
        else:
            _bind(sig, self.__dict__, args, kwargs)
        if later:
            values = self.__dict__
            for f in later:
                values[f.name] = (
                    f.default_factory() if f.default_factory is not MISSING else f.default
                )
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _obj: ()
    get = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (get(obj),)
    return get  # attrgetter of several names gives a tuple


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


class _DataclassProtocol:
    """``__dataclass_fields__`` and ``__dataclass_params__``, built on first use (the
    ``dataclasses`` module imported then, from a twin dataclass of the same fields), so the
    dataclasses module's functions accept records and a dataclass may extend a record."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, obj: Any, owner: type) -> Any:
        twin = owner.__dict__.get("__record_twin__")
        if twin is None:
            import dataclasses

            specs = []
            for f in owner.__dict__[_RECORD_FIELDS]:
                options: dict[str, Any] = {"init": f.init, "repr": f.repr, "compare": f.compare}
                if f.default is not MISSING:
                    options["default"] = f.default
                if f.default_factory is not MISSING:
                    options["default_factory"] = f.default_factory
                specs.append((f.name, Any, dataclasses.field(**options)))
            frozen = owner.__dict__[_RECORD_FROZEN]
            twin = dataclasses.make_dataclass(owner.__name__, specs, frozen=frozen)
            type.__setattr__(owner, "__record_twin__", twin)
        return twin.__dict__[self.attribute]


def _build(cls: _C, frozen: bool) -> _C:
    found = _collect(cls)
    all_fields = tuple(found.values())
    setattr(cls, _RECORD_FIELDS, all_fields)
    cls.__init__ = _make_init(cls, all_fields)  # type: ignore[misc]
    repr_names = tuple(f.name for f in all_fields if f.repr)
    key = _getter(tuple(f.name for f in all_fields if f.compare))
    shown = _getter(repr_names)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(repr_names, shown(self), strict=True))
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(key(self) == key(other))
        return NotImplemented

    cls.__repr__ = __repr__  # type: ignore[assignment]
    cls.__eq__ = __eq__  # type: ignore[assignment]
    if frozen:

        def __hash__(self: Any) -> int:
            return hash(key(self))

        cls.__hash__ = __hash__  # type: ignore[assignment]
        cls.__setattr__ = _frozen_setattr  # type: ignore[assignment]
        cls.__delattr__ = _frozen_delattr  # type: ignore[assignment]
    elif "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
        cls.__hash__ = None  # type: ignore[assignment]
    cls.__match_args__ = tuple(f.name for f in all_fields if f.init)  # type: ignore[attr-defined,misc]
    setattr(cls, _RECORD_FROZEN, frozen)
    for attribute in ("__dataclass_fields__", "__dataclass_params__"):
        setattr(cls, attribute, _DataclassProtocol(attribute))
    return cls


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: _C) -> _C:
    """A frozen record class (as ``@dataclass(frozen=True)``)."""
    return _build(cls, frozen=True)


@dataclass_transform(field_specifiers=(field,))
def mutable_record(cls: _C) -> _C:
    """A record whose fields may be assigned (as ``@dataclass``)."""
    return _build(cls, frozen=False)


def is_record(obj: Any) -> bool:
    """True for a record instance (not the class)."""
    return not isinstance(obj, type) and _RECORD_FIELDS in type(obj).__dict__


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record or record class, in order (as ``dataclasses.fields``)."""
    cls = obj if isinstance(obj, type) else type(obj)
    found: tuple[Field, ...] | None = cls.__dict__.get(_RECORD_FIELDS)
    if found is None:
        raise TypeError(f"{cls.__name__} is not a record")
    return found


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record `obj` with `changes` (as ``dataclasses.replace``)."""
    for f in fields(obj):
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False")
            continue
        if f.name not in changes:
            changes[f.name] = obj.__dict__[f.name]
    return type(obj)(**changes)
