"""Read, validate and layer rule packs into one compiled pack set (docs/rules.md).

Packs apply in order — the shipped default pack, the plan's ``[rules].packs``, then
``--pack`` options — and a later pack wins: ``[rules.CODE]`` tables merge into the
inherited rule key by key, ``[select]`` switches rules off (or back on), ``[[rule]]``
adds rules. Every mistake in a pack is a `PackError` naming the pack file, line, column,
rule and key. Packs are data: nothing in a pack is executed.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from releve.planner.errors import LocatedError, clip_quotes
from releve.rules.facts import FACT_KINDS
from releve.rules.grading import DEFAULT_GRADE, Grade, ScoreSettings, merge_score_table
from releve.rules.result import PILLARS, PackRun, RuleChange, Severity, WhatRan

#: The shipped pack: a folder (pack.toml, then one file of rules per pillar).
DEFAULT_PACK = Path(__file__).with_name("default")
#: In a folder pack, the file that holds the [pack] table.
PACK_HEADER_FILE = "pack.toml"
#: The most files a folder pack may hold.
MAX_PACK_FILES = 200
LANGS = ("en", "fr")
TEXT_KEYS = ("title", "message", "fix", "rationale")
OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "missing", "present", "empty")
#: Operators that take no value.
UNARY_OPS = ("missing", "present", "empty")
#: Operators each field type allows.
OPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "str": ("eq", "ne", "in", "not_in", *UNARY_OPS),
    "int": ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", *UNARY_OPS),
    "float": ("eq", "ne", "lt", "le", "gt", "ge", *UNARY_OPS),
    "share": ("eq", "ne", "lt", "le", "gt", "ge", *UNARY_OPS),
    "bool": ("eq", "ne", *UNARY_OPS),
    "date": ("eq", "ne", "in", "not_in", *UNARY_OPS),
    "list": UNARY_OPS,
}
RULE_KEYS = (
    "id",
    "name",
    "title",
    "pillar",
    "severity",
    "weight",
    "fact",
    "when",
    "any",
    "unless",
    "params",
    "message",
    "fix",
    "rationale",
    "path",
    "example",
    "grade",
)
#: Keys a `[rules.CODE]` table may set over an inherited rule.
OVERRIDE_KEYS = tuple(k for k in RULE_KEYS if k not in ("id", "name"))
#: A rule code: one or more capitals, then capitals or digits, then three digits
#: (``F401``, ``X101``, ``GOV005``, ``RELAIS101``), as in ruff.
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,12}[0-9]{3}$")
#: A rule name and a pack id: kebab-case (``manual-process``, ``relais-conseil``).
NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
#: The largest pack file read (a pack is a few kB of TOML; this bounds what a plan can
#: make releve read).
MAX_PACK_BYTES = 2 * 1024 * 1024
#: Folders (os.pathsep-separated) where a plan may also name packs (besides its own
#: folder and git repository), like ``--pack-path``.
PACK_PATH_ENV = "RELEVE_PACK_PATH"
#: The longest piece of input quoted in an error message.
QUOTE_MAX = 80
PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([^{}]*))?\}")


class PackError(LocatedError):
    """A rule pack that cannot be used: ``FILE:LINE:COLUMN: rule RULE, key KEY: message``."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        rule: str | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line, column=column)
        self.rule = rule
        self.key = key

    def __str__(self) -> str:
        where = self.location()
        what = []
        if self.rule:
            what.append(f"rule {self.rule}")
        if self.key:
            what.append(f"key {self.key}")
        body = (", ".join(what) + ": " if what else "") + clip_quotes(self.message)
        return f"{where}: {body}" if where else body


class PackErrors(PackError):
    """Every mistake found in the packs of one load, in file order: like a compiler, the
    loader reports them all in one run. ``str()`` is one line per error; the attributes
    of the first error are the object's own (callers that show one place still can)."""

    def __init__(self, errors: list[PackError]) -> None:
        first = errors[0]
        super().__init__(
            first.message,
            path=first.path,
            line=first.line,
            column=first.column,
            rule=first.rule,
            key=first.key,
        )
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\n".join(PackError.__str__(e) for e in self.errors)


def quote(text: str, limit: int = QUOTE_MAX) -> str:
    """`text` for an error message: at most `limit` characters, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(word: str, choices: Any) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to `word`, else ``""``."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --- the compiled form ------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One test of one field of one fact: ``{ field, op, value }``; ``value`` may be
    ``"$param"`` in the pack, and is resolved (the parameter's value) here."""

    field: str
    op: str
    value: Any = None
    param: str | None = None  # the parameter the value came from, if any
    type: str = "str"  # the field's type (rules.facts.TYPES)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"field": self.field, "op": self.op}
        if self.op not in UNARY_OPS:
            d["value"] = f"${self.param}" if self.param else self.value
        return d


@dataclass(frozen=True)
class Unless:
    """The rule fires only when no fact of kind `fact` matches (durable_rules' none)."""

    fact: str
    when: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Example:
    """A `[[rule.example]]`: a plan fragment (TOML) over the example base plan, and
    whether the rule must fire on it (optionally on `target`)."""

    plan: str
    fires: bool
    target: str | None = None
    as_of: dt.date | None = None
    base: bool = True  # merge over rules/example_base.toml (false: plan is whole)
    line: int | None = None  # where the example is in its pack
    unset: tuple[str, ...] = ()  # dotted keys removed from the base ("governance.sponsor")
    file: str | None = None  # the pack file it is written in (a folder pack has several)


@dataclass(frozen=True)
class Rule:
    """A rule in force, after layering. ``origin`` says which pack set each key
    (``"severity"``, ``"params.max_days"``, ``"message.fr"``, …) for `rules explain`."""

    code: str
    name: str
    title: dict[str, str]
    message: dict[str, str]
    fix: dict[str, str]
    rationale: dict[str, str]
    pillar: str
    severity: Severity
    weight: float
    fact: str
    when: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()
    unless: Unless | None = None
    params: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    examples: tuple[Example, ...] = ()
    origin: dict[str, str] = field(default_factory=dict)
    grade: Grade = DEFAULT_GRADE  # how much of its weight a firing costs (rules.grading)

    @property
    def kind(self) -> str:
        """The kind of fact the rule looks at (same as `fact`)."""
        return self.fact

    @property
    def post(self) -> bool:
        """Looks at waiver facts' `used` field: evaluated after waivers are matched."""
        conds = list(self.when) + list(self.any)
        if self.unless:
            conds += list(self.unless.when) + list(self.unless.any)
        return any(c.field == "used" for c in conds) and (
            self.fact == "waiver" or (self.unless is not None and self.unless.fact == "waiver")
        )

    def text(self, key: str, lang: str) -> str:
        """title/message/fix/rationale in `lang`, else in the language the pack gives
        (a pack written in one language works in both); ``""`` when there is none."""
        texts: dict[str, str] = getattr(self, key)
        if texts.get(lang):
            return texts[lang]
        return next((texts[lg] for lg in LANGS if texts.get(lg)), "")

    def fallbacks(self) -> list[tuple[str, str, str]]:
        """(key, missing language, language shown instead) for each text of the rule
        given in one language only (`releve rules test` lists them)."""
        out = []
        for key in TEXT_KEYS:
            texts: dict[str, str] = getattr(self, key)
            if not texts:
                continue
            for lang in LANGS:
                if not texts.get(lang):
                    other = next(lg for lg in LANGS if texts.get(lg))
                    out.append((key, lang, other))
        return out

    def population_spec(self) -> dict[str, Any] | None:
        """The facts the rule looks at, when its grade narrows them (``grade.among``): a
        compiled rule of its own, coded ``CODE/among``, that both evaluators run."""
        if not self.grade.among:
            return None
        return {
            "code": f"{self.code}/among",
            "fact": self.fact,
            "when": self.grade.among_spec(),
            "any": [],
        }

    def spec(self) -> dict[str, Any]:
        """The evaluator-neutral compiled rule (what both evaluators run)."""
        d: dict[str, Any] = {
            "code": self.code,
            "fact": self.fact,
            "when": [_cond_spec(c) for c in self.when],
            "any": [_cond_spec(c) for c in self.any],
        }
        if self.unless is not None:
            d["unless"] = {
                "fact": self.unless.fact,
                "when": [_cond_spec(c) for c in self.unless.when],
                "any": [_cond_spec(c) for c in self.unless.any],
            }
        return d


def _cond_spec(c: Condition) -> dict[str, Any]:
    return {"field": c.field, "op": c.op, "value": c.value, "type": c.type}


@dataclass(frozen=True)
class PackInfo:
    id: str
    name: str
    version: str
    path: str  # the file, or "default" for the shipped pack
    digest: str = ""  # sha256 of the pack file's bytes (hex)
    source: str = ""  # default | plan (the plan's [rules].packs) | option (--pack) | extends


#: What a pack may do to a rule of the default pack, as `RuleChange.what` says it.
CHANGE_KEYS = ("severity", "weight", "params", "fact", "when", "any", "unless", "pillar")


@dataclass(frozen=True)
class PackSet:
    """The rules in force from a list of packs, in code order.

    `default_codes` are the default pack's rules (in force or not), `changes` what the
    other packs did to them: each rule switched off, and each key that decides whether
    and how much a rule costs (severity, weight, parameters, conditions) set to another
    value than the default pack's, with the pack that did it (docs/check.md, what ran)."""

    rules: tuple[Rule, ...]
    packs: tuple[PackInfo, ...]
    excluded: tuple[str, ...] = ()
    default_codes: tuple[str, ...] = ()
    changes: tuple[RuleChange, ...] = ()
    score: ScoreSettings = ScoreSettings()  # the packs' [score] tables, layered

    @property
    def ids(self) -> tuple[str, ...]:
        """Pack ids in layering order (``("default", "relais-conseil")``)."""
        return tuple(p.id for p in self.packs)

    @cached_property
    def digest(self) -> str:
        """Hash of the compiled rules: equal pack sets share one compiled engine ruleset."""
        blob = json.dumps(
            [r.spec() for r in self.rules] + [r.population_spec() for r in self.rules],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @cached_property
    def specs(self) -> tuple[dict[str, Any], ...]:
        """The evaluator-neutral compiled rules, in code order."""
        return tuple(r.spec() for r in self.rules)

    def rule(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    def what_ran(self, view: str = "full") -> WhatRan:
        """What a check with these packs ran, for the page (check and the report)."""
        in_force = {r.code for r in self.rules}
        default = set(self.default_codes)
        return WhatRan(
            view=view,
            packs=tuple(
                PackRun(p.id, p.name, p.version, p.path, p.digest, p.source) for p in self.packs
            ),
            rules_in_force=len(self.rules),
            default_rules=len(default),
            default_in_force=len(default & in_force),
            added=tuple(sorted(in_force - default)),
            changes=self.changes,
        )

    def by_code(self) -> dict[str, Rule]:
        return {r.code: r for r in self.rules}


# --- locating keys in a pack's text ------------------------------------------------------


class _Locator:
    """Finds the line and column of a table or key in a pack file (tomllib keeps none)."""

    HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str, bool]] = []  # (line index, name, is_array)
        quote: str | None = None  # inside a multi-line string opened by this delimiter
        for i, line in enumerate(self.lines):
            if quote is None:
                m = self.HEADER.match(line)
                if m and not line.lstrip().startswith("#"):
                    self.headers.append((i, m.group(2).replace(" ", ""), m.group(1) == "[["))
            for delim in ("'''", '"""'):
                if (quote is None or quote == delim) and line.count(delim) % 2 == 1:
                    quote = None if quote == delim else delim

    def region(self, kind: str, which: str | int) -> tuple[int, int] | None:
        """Lines of `[[rule]]` number `which` (0-based), or of `[rules.CODE]`, `[pack]`,
        `[select]`, including their sub-tables."""
        start: int | None
        if kind == "rule":
            starts = [i for i, name, arr in self.headers if arr and name == "rule"]
            if not isinstance(which, int) or which >= len(starts):
                return None
            start = starts[which]
            prefix = "rule."
        else:
            name = f"rules.{which}" if kind == "rules" else kind
            start = next((i for i, n, _ in self.headers if n == name), None)
            if start is None:
                # Only sub-tables are written (`[rules.GOV005.x]`): the first of them.
                start = next((i for i, n, _ in self.headers if n.startswith(name + ".")), None)
            if start is None and kind == "rules":
                # Written as a key of `[rules]` (`GOV005 = { … }`, `GOV005.severity = …`).
                return self._table("rules")
            if start is None:
                return None
            prefix = name + "."
        end = len(self.lines)
        for i, n, _ in self.headers:
            if i > start and not n.startswith(prefix):
                end = i
                break
        return start, end

    def _table(self, name: str) -> tuple[int, int] | None:
        """Lines of the table `[name]` up to the next header, if it is written."""
        start = next((i for i, n, _ in self.headers if n == name), None)
        if start is None:
            return None
        end = next((i for i, _, _ in self.headers if i > start), len(self.lines))
        return start, end

    def find(self, region: tuple[int, int] | None, *needles: str) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the first needle found in order, each searched
        from where the previous one was found; falls back to the region's header."""
        if region is None:
            return None, None
        start, end = region
        line, col = start, self._first_col(start)
        for needle in needles:
            pat = re.compile(needle)
            for i in range(line, end):
                text = self.lines[i]
                m = pat.search(text, col - 1 if i == line else 0) if i == line else pat.search(text)
                if m and not text.lstrip().startswith("#"):
                    line, col = i, m.start() + 1
                    break
            else:
                break
        return line + 1, col

    def _first_col(self, i: int) -> int:
        text = self.lines[i] if i < len(self.lines) else ""
        return len(text) - len(text.lstrip()) + 1

    def key(self, region: tuple[int, int] | None, *keys: str) -> tuple[int | None, int | None]:
        """Where a dotted key path is written: each key as `key =` or a `.key]` header."""
        pats = [rf"(^|[\s{{,.\[]){re.escape(k)}\s*(=|\]|\.)" for k in keys]
        line, col = self.find(region, *pats)
        if line is not None and col is not None and region is not None:
            # Point at the key itself, not the separator before it.
            text = self.lines[line - 1]
            k = keys[-1] if keys else ""
            idx = text.find(k, col - 1)
            if k and idx >= 0:
                col = idx + 1
        return line, col


# --- reading one pack ---------------------------------------------------------------------


@dataclass
class _RawPack:
    path: str  # shown in errors
    label: str  # origin label: "default" or the file path
    data: dict[str, Any]
    loc: _Locator
    file: Path | None
    digest: str = ""  # sha256 of the text (hex)
    source: str = "option"  # default | plan | option | extends
    roots: tuple[str, ...] | None = None  # folders its `extends` may reach (plan packs)
    default_id: str | None = None  # the pack id when [pack] gives none (a folder's name)


def pack_files(path: Path) -> list[Path]:
    """The files a pack is read from: the file itself, or for a folder its pack.toml then
    its other ``.toml`` files in name order (not sub-folders). PackError when a folder has
    no pack.toml, or more than MAX_PACK_FILES files."""
    if not path.is_dir():
        return [path]
    header = path / PACK_HEADER_FILE
    if not header.is_file():
        raise PackError(
            f"a folder pack needs a {PACK_HEADER_FILE} with its [pack] table (id, name, "
            "version); the folder's other .toml files hold its rules",
            path=str(path),
        )
    rest = sorted(
        (p for p in path.iterdir() if p.suffix == ".toml" and p != header),
        key=lambda p: p.name,
    )
    if len(rest) >= MAX_PACK_FILES:
        raise PackError(f"a folder pack holds at most {MAX_PACK_FILES} files", path=str(path))
    return [header, *rest]


def _read_pack(path: Path, label: str | None = None) -> _RawPack:
    shown = str(path)
    data = read_pack_bytes(path, shown)
    raw = _parse_pack(_decode(data, shown), shown, label or shown, path)
    raw.digest = hashlib.sha256(data).hexdigest()
    return raw


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be a pack file, found before any byte of it is read (a FIFO
    would block, /dev/zero never ends): None when it is a regular file of at most
    MAX_PACK_BYTES."""
    try:
        st = os.stat(path)
    except ValueError:
        return "the pack path holds a NUL character"
    except OSError as err:
        if isinstance(err, FileNotFoundError):
            return "no such pack file"
        return f"cannot read pack: {err.strerror or err}"
    if stat.S_ISDIR(st.st_mode):
        # A folder pack: its pack.toml and its other .toml files must each be fine.
        try:
            files = pack_files(path)
        except PackError as err:
            return err.message
        for f in files:
            problem = file_problem(f)
            if problem:
                return f"{f.name}: {problem}"
        return None
    return _stat_problem(st)


def _stat_problem(st: os.stat_result) -> str | None:
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a pack file"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pack is a TOML text file)"
    if st.st_size > MAX_PACK_BYTES:
        return (
            f"the pack file is {st.st_size // 1024} kB; a pack may be at most "
            f"{MAX_PACK_BYTES // (1024 * 1024)} MB"
        )
    return None


def read_pack_bytes(path: Path, shown: str) -> bytes:
    """A pack file's bytes: a regular file of at most MAX_PACK_BYTES, checked before
    reading and again on the open file (it may have been swapped for a pipe)."""
    problem = file_problem(path)
    if problem:
        raise PackError(problem, path=shown)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise PackError(f"cannot read pack: {err.strerror or err}", path=shown) from None
    try:
        problem = _stat_problem(os.fstat(fd))
        if problem:
            raise PackError(problem, path=shown)
        chunks, size = [], 0
        while size <= MAX_PACK_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise PackError(f"cannot read pack: {err.strerror or err}", path=shown) from None
    finally:
        os.close(fd)
    if size > MAX_PACK_BYTES:
        raise PackError(
            f"the pack file is larger than {MAX_PACK_BYTES // (1024 * 1024)} MB", path=shown
        )
    return b"".join(chunks)


def git_root(folder: str) -> str | None:
    """The root of the git work tree holding `folder` (a `.git` folder or file), if any."""
    here = folder
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        up = os.path.dirname(here)
        if up == here:
            return None
        here = up


def pack_roots(plan_path: str | Path | None, allowed: Sequence[str | Path] = ()) -> tuple[str, ...]:
    """The folders a plan may name packs in: its own folder, its git repository's root,
    the `allowed` folders (``--pack-path``) and those of RELEVE_PACK_PATH."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(plan_path)) if plan_path else ".")
    roots = [folder]
    repo = git_root(folder)
    if repo:
        roots.append(repo)
    env = [d for d in os.environ.get(PACK_PATH_ENV, "").split(os.pathsep) if d]
    for d in (*allowed, *env):
        try:
            roots.append(os.path.realpath(d))
        except (OSError, ValueError):
            continue
    return tuple(dict.fromkeys(roots))


def outside_roots(path: Path, roots: Sequence[str]) -> bool:
    """Whether `path`, with every symlink resolved, is in none of `roots`. Decided on the
    name alone: it says nothing of whether such a file exists."""
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return True
    return not any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


OUTSIDE = (
    "a plan may only name packs in its own folder or its git repository "
    "(allow another folder with --pack-path DIR or RELEVE_PACK_PATH)"
)


def _decode(data: bytes, shown: str) -> str:
    """A pack file's text (UTF-8, BOM allowed); PackError at the first byte that is not."""
    from releve.planner.store.decoding import decode

    return decode(data, shown, error=PackError, what="a pack is a TOML text file saved as UTF-8")


#: Arrays and inline tables in a pack nest a few levels at most; deeper is an error (and
#: tomllib recurses once per level, so absurd nesting would exhaust the stack).
MAX_NESTING = 50

_BRACKETS = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"{3,5}'  # multi-line basic string
    r"|'''[^']*(?:'(?!'')[^']*)*'{3,5}"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'|#[^\n]*|[\[\]{}]"  # literal string, comment, bracket
)


def _nesting_error(text: str, shown: str) -> PackError:
    """Where arrays or inline tables first nest deeper than MAX_NESTING."""
    depth, line, column = 0, None, None
    for m in _BRACKETS.finditer(text):
        tok = m.group(0)
        if tok in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                break
        elif tok in ("]", "}"):
            depth = max(0, depth - 1)
    return PackError(
        f"arrays or tables nested more than {MAX_NESTING} deep",
        path=shown,
        line=line or 1,
        column=column or 1,
    )


def _too_deep(value: Any) -> bool:
    """Whether parsed TOML nests arrays or tables more than MAX_NESTING deep (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        if isinstance(v, dict):
            stack.extend((x, depth + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)
    return False


def _parse_pack(text: str, shown: str, label: str, file: Path | None) -> _RawPack:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) or "invalid TOML"
        raise PackError(f"invalid TOML: {msg}", path=shown, line=line, column=col) from None
    except RecursionError:
        # tomllib recurses once per nesting level: absurd nesting exhausts the stack.
        raise _nesting_error(text, shown) from None
    if _too_deep(data):
        # Parsed, but deep enough to exhaust the stack later (copies, comparisons).
        raise _nesting_error(text, shown)
    if not data:
        raise PackError(
            "empty pack: a pack needs at least a [pack] table (id, name, version)",
            path=shown,
            line=1,
            column=1,
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _RawPack(shown, label, data, _Locator(text), file, digest)


class _Ctx:
    """Raises PackErrors located in one pack."""

    def __init__(self, raw: _RawPack) -> None:
        self.raw = raw

    def fail(
        self,
        message: str,
        *,
        region: tuple[str, str | int] | None = None,
        keys: tuple[str, ...] = (),
        needles: tuple[str, ...] = (),
        rule: str | None = None,
        key: str | None = None,
    ) -> PackError:
        reg = self.raw.loc.region(*region) if region else None
        if reg is None and self.raw.loc.lines:
            # No header for it (`pack = { … }`, a dotted key): search the whole file, from
            # the table's own name when it has one.
            reg = (0, len(self.raw.loc.lines))
            if region and region[0] in ("pack", "select") and keys and not needles:
                keys = (region[0], *keys)
            elif region and region[0] == "rules" and not needles:
                keys = ("rules", str(region[1]), *keys)
        if needles:
            line, col = self.raw.loc.find(reg, *needles)
        else:
            line, col = self.raw.loc.key(reg, *keys) if keys else self.raw.loc.find(reg)
        return PackError(message, path=self.raw.path, line=line, column=col, rule=rule, key=key)


def _type_name(v: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date-time",
        dt.time: "a time",
    }.get(type(v), type(v).__name__)


def _check_text(
    ctx: _Ctx,
    where: tuple[str, str | int],
    code: str,
    key: str,
    value: Any,
    *,
    partial: bool = False,
) -> dict[str, str]:
    if isinstance(value, str) and key == "rationale":
        value = {"en": value, "fr": value}
    if not isinstance(value, dict):
        raise ctx.fail(
            f'{key} must be a table {{ en = "…", fr = "…" }}, not {_type_name(value)}',
            region=where,
            keys=(key,),
            rule=code,
            key=key,
        )
    for lang, text in value.items():
        if lang not in LANGS:
            raise ctx.fail(
                f"unknown language '{quote(lang)}' (expected en or fr)",
                region=where,
                keys=(key, lang),
                rule=code,
                key=f"{key}.{lang}",
            )
        if not isinstance(text, str) or not text.strip():
            raise ctx.fail(
                f"{key}.{lang} must be a non-empty string",
                region=where,
                keys=(key, lang),
                rule=code,
                key=f"{key}.{lang}",
            )
    if not partial and not value:
        raise ctx.fail(
            f"{key} needs a text in English or French ({key}.en or {key}.fr)",
            region=where,
            keys=(key,),
            rule=code,
            key=key,
        )
    return dict(value)


# --- layering ------------------------------------------------------------------------------


@contextmanager
def _collect(errors: list[PackError]) -> Iterator[None]:
    """Run a check, keeping its PackError(s) in `errors` instead of stopping there."""
    try:
        yield
    except PackErrors as err:
        errors.extend(err.errors)
    except PackError as err:
        errors.append(err)


@dataclass
class _Draft:
    """A rule while packs are layered: raw values and where each came from."""

    code: str
    values: dict[str, Any]
    origin: dict[str, str]
    # Where each key was last set, to locate errors found after merging.
    where: dict[str, tuple[_RawPack, tuple[str, str | int]]]
    home: tuple[_RawPack, tuple[str, str | int]]


#: Keys a [[rule]] must have (`fix` is optional: nothing is shown where there is none).
REQUIRED_KEYS = ("name", "title", "message", "pillar", "severity", "fact")


def _layer_rule(lay: _Layering, ctx: _Ctx, index: int, raw_rule: Any) -> None:  # noqa: C901
    drafts, errors = lay.drafts, lay.errors
    where: tuple[str, str | int] = ("rule", index)
    if not isinstance(raw_rule, dict):
        raise ctx.fail("[[rule]] must be a table", region=where)
    code = raw_rule.get("id")
    if not isinstance(code, str) or not code:
        raise ctx.fail("a [[rule]] needs an id (its code, e.g. RC101)", region=where, key="id")
    if not CODE_RE.match(code):
        lay.broken.add(code)
        raise ctx.fail(
            f"rule code '{quote(code)}' must be one or more capitals, then capitals or "
            "digits, then three digits (F401, RC101, GOV005)",
            region=where,
            keys=("id",),
            rule=quote(code),
            key="id",
        )
    if code in drafts or code in lay.broken:
        first = drafts[code].home[0].label if code in drafts else "an earlier rule"
        raise ctx.fail(
            f"duplicate rule code {code} (already defined by {first}); "
            f"codes are never reused: use [rules.{code}] to change it",
            region=where,
            keys=("id",),
            rule=code,
            key="id",
        )
    before = len(errors)
    for key in raw_rule:
        if key not in RULE_KEYS:
            errors.append(
                ctx.fail(
                    f"unknown key '{quote(key)}'{_suggest(key, RULE_KEYS)}",
                    region=where,
                    keys=(key,),
                    rule=code,
                    key=quote(key),
                )
            )
    for req in REQUIRED_KEYS:
        if req not in raw_rule:
            errors.append(
                ctx.fail(
                    f"missing required key '{req}'", region=where, keys=("id",), rule=code, key=req
                )
            )
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    place: dict[str, tuple[_RawPack, tuple[str, str | int]]] = {}
    for key, value in raw_rule.items():
        if key == "id" or key not in RULE_KEYS:
            continue
        if key in TEXT_KEYS:
            with _collect(errors):
                value = _check_text(ctx, where, code, key, value)
                for lang in value:
                    origin[f"{key}.{lang}"] = ctx.raw.label
            if not isinstance(value, dict):
                continue
        elif key == "params":
            if not isinstance(value, dict):
                errors.append(
                    ctx.fail(
                        "params must be a table",
                        region=where,
                        keys=("params",),
                        rule=code,
                        key="params",
                    )
                )
                continue
            for p in value:
                origin[f"params.{p}"] = ctx.raw.label
                place[f"params.{p}"] = (ctx.raw, where)
        values[key] = copy.deepcopy(value)
        origin.setdefault(key, ctx.raw.label)
        place[key] = (ctx.raw, where)
    if len(errors) > before:
        lay.broken.add(code)  # later packs' [rules.CODE] for it would only repeat the error
        return
    values.setdefault("params", {})
    drafts[code] = _Draft(code, values, origin, place, (ctx.raw, where))


def _layer_override(lay: _Layering, ctx: _Ctx, code: str, table: Any) -> None:
    where: tuple[str, str | int] = ("rules", code)
    if code in lay.broken:
        return
    draft = lay.drafts.get(code)
    if draft is None:
        raise ctx.fail(
            f"no pack in force defines rule {quote(code)}{_suggest(code, lay.drafts)}",
            region=where,
            rule=quote(code),
            key=f"rules.{quote(code)}",
        )
    if not isinstance(table, dict):
        raise ctx.fail(f"[rules.{code}] must be a table", region=where, rule=code)
    for key, value in table.items():
        with _collect(lay.errors):
            _override_key(ctx, where, draft, code, key, value)


def _override_key(
    ctx: _Ctx, where: tuple[str, str | int], draft: _Draft, code: str, key: str, value: Any
) -> None:
    if key not in OVERRIDE_KEYS:
        hint = (
            " (a rule's id and name never change)"
            if key in ("id", "name")
            else _suggest(key, OVERRIDE_KEYS) or f" (expected one of: {', '.join(OVERRIDE_KEYS)})"
        )
        raise ctx.fail(
            f"unknown key '{quote(key)}'{hint}", region=where, keys=(key,), rule=code, key=key
        )
    if key in TEXT_KEYS:
        value = _check_text(ctx, where, code, key, value, partial=True)
        merged = dict(draft.values.get(key, {}))
        merged.update(value)
        draft.values[key] = merged
        for lang in value:
            draft.origin[f"{key}.{lang}"] = ctx.raw.label
        draft.origin[key] = ctx.raw.label
    elif key == "params":
        if not isinstance(value, dict):
            raise ctx.fail(
                "params must be a table",
                region=where,
                keys=("params",),
                rule=code,
                key="params",
            )
        params = draft.values.setdefault("params", {})
        errors: list[PackError] = []
        for p, v in value.items():
            if p not in params:
                known = ", ".join(sorted(params)) or "none"
                errors.append(
                    ctx.fail(
                        f"unknown parameter '{quote(p)}'{_suggest(p, params)} "
                        f"(rule {code} has: {known})",
                        region=where,
                        keys=("params", p),
                        rule=code,
                        key=f"params.{quote(p)}",
                    )
                )
                continue
            old = params[p]
            if _param_kind(old) != _param_kind(v):
                errors.append(
                    ctx.fail(
                        f"parameter '{p}' must be {_type_name(old)}, not {_type_name(v)}",
                        region=where,
                        keys=("params", p),
                        rule=code,
                        key=f"params.{p}",
                    )
                )
                continue
            params[p] = copy.deepcopy(v)
            draft.origin[f"params.{p}"] = ctx.raw.label
            draft.where[f"params.{p}"] = (ctx.raw, where)
        if errors:
            raise errors[0] if len(errors) == 1 else PackErrors(errors)
    else:
        draft.values[key] = copy.deepcopy(value)
        draft.origin[key] = ctx.raw.label
        draft.where[key] = (ctx.raw, where)


def _param_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    return type(v).__name__


def _select(lay: _Layering, ctx: _Ctx, table: Any) -> None:
    if not isinstance(table, dict):
        raise ctx.fail("[select] must be a table", region=("select", "select"))
    for key, value in table.items():
        if key not in ("exclude", "include"):
            lay.errors.append(
                ctx.fail(
                    f"unknown key '{quote(key)}' in [select]"
                    f"{_suggest(key, ('exclude', 'include')) or ' (expected exclude, include)'}",
                    region=("select", "select"),
                    keys=(key,),
                    key=f"select.{quote(key)}",
                )
            )
            continue
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            lay.errors.append(
                ctx.fail(
                    f"select.{key} must be an array of rule codes or prefixes",
                    region=("select", "select"),
                    keys=(key,),
                    key=f"select.{key}",
                )
            )
            continue
        for item in value:
            with _collect(lay.errors):
                _select_item(lay, ctx, key, item)


def _select_item(lay: _Layering, ctx: _Ctx, key: str, item: str) -> None:
    drafts = lay.drafts
    here = {
        "region": ("select", "select"),
        "needles": (rf"\b{key}\b", re.escape(f'"{item}"')),
        "rule": quote(item) or None,
        "key": f"select.{key}",
    }
    if not item.strip():
        raise ctx.fail(
            "an empty code or prefix would match every rule; name rules by code (SIG003) "
            "or by a prefix of a few (SIG)",
            **here,  # type: ignore[arg-type]
        )
    hits = {c for c in drafts if c == item or (not CODE_RE.match(item) and c.startswith(item))}
    if item in lay.broken:
        return
    if not hits:
        raise ctx.fail(
            f"'{quote(item)}' names no rule of the packs in force"
            f"{_suggest(item, drafts) if CODE_RE.match(item) else ''}",
            **here,  # type: ignore[arg-type]
        )
    if key == "exclude" and not CODE_RE.match(item) and len(drafts) > 1 and hits == set(drafts):
        raise ctx.fail(
            f"the prefix '{quote(item)}' matches every rule of the packs in force; "
            "switch rules off by code or by a narrower prefix",
            **here,  # type: ignore[arg-type]
        )
    if key == "exclude":
        lay.excluded |= hits
        for c in hits:
            lay.excluded_by[c] = ctx.raw.label
    else:
        lay.excluded -= hits
        for c in hits:
            lay.excluded_by.pop(c, None)


def _pack_info(ctx: _Ctx, default_id: str) -> tuple[PackInfo, list[str]]:
    if "pack" not in ctx.raw.data:
        raise PackError(
            "no [pack] table: a pack starts with [pack] (id, name, version)",
            path=ctx.raw.path,
            line=1,
            column=1,
        )
    table = ctx.raw.data["pack"]
    if not isinstance(table, dict):
        raise ctx.fail(
            f"pack must be a table ([pack]), not {_type_name(table)}", keys=("pack",), key="pack"
        )
    errors: list[PackError] = []
    pack_keys = ("id", "name", "version", "extends", "description")
    for key in table:
        if key not in pack_keys:
            errors.append(
                ctx.fail(
                    f"unknown key '{quote(key)}' in [pack]{_suggest(key, pack_keys)}",
                    region=("pack", "pack"),
                    keys=(key,),
                    key=f"pack.{quote(key)}",
                )
            )
    pid = table.get("id", default_id)
    extends = table.get("extends", [])
    if not isinstance(pid, str) or not pid:
        errors.append(
            ctx.fail(
                f"must be a non-empty string, not {_shown_value(pid)}",
                region=("pack", "pack"),
                keys=("id",),
                key="pack.id",
            )
        )
        pid = "?"
    elif not NAME_RE.match(pid) and not (ctx.raw.label == "default" and pid == "default"):
        what = f"'{quote(pid)}'" if "id" in table else f"the file name '{quote(pid)}'"
        errors.append(
            ctx.fail(
                f"pack id {what} must be kebab-case like a rule name (relais-conseil): "
                "small letters, digits and dashes, starting with a letter",
                region=("pack", "pack"),
                keys=("id",) if "id" in table else (),
                key="pack.id",
            )
        )
        pid = "?"
    for key in ("name", "version", "description"):
        if key in table and not isinstance(table[key], str):
            errors.append(
                ctx.fail(
                    f"must be a string, not {_type_name(table[key])}",
                    region=("pack", "pack"),
                    keys=(key,),
                    key=f"pack.{key}",
                )
            )
    if not isinstance(extends, list) or not all(isinstance(x, str) for x in extends):
        errors.append(
            ctx.fail(
                'must be an array of pack names or paths ("default", "base.toml")',
                region=("pack", "pack"),
                keys=("extends",),
                key="pack.extends",
            )
        )
        extends = []
    if errors:
        raise errors[0] if len(errors) == 1 else PackErrors(errors)
    name = table.get("name", pid)
    info = PackInfo(
        pid,
        name if isinstance(name, str) else pid,
        table.get("version", "") if isinstance(table.get("version", ""), str) else "",
        ctx.raw.label,
        ctx.raw.digest,
        ctx.raw.source,
    )
    return info, extends


def _shown_value(value: Any) -> str:
    return "an empty string" if value == "" else _type_name(value)


class _Layering:
    def __init__(self) -> None:
        self.drafts: dict[str, _Draft] = {}
        self.excluded: set[str] = set()
        self.excluded_by: dict[str, str] = {}  # code -> label of the pack that excluded it
        self.packs: list[PackInfo] = []
        self.score: dict[str, Any] = {}  # [score] keys set so far, a later pack winning
        self.score_from: str | None = None  # the last pack that set one
        self.seen: set[str] = set()
        self.stack: list[str] = []
        self.errors: list[PackError] = []
        self.broken: set[str] = set()  # codes of rules whose definition failed
        self.fatal = False  # a pack could not be read at all: later ones are not applied
        self.read: list[tuple[str, str]] = []  # (file, sha256) of every file read

    def apply_file(
        self,
        path: Path,
        *,
        label: str | None = None,
        source: str = "option",
        roots: tuple[str, ...] | None = None,
    ) -> None:
        if self.fatal:
            return
        key = "default" if label == "default" else str(path.resolve())
        if key in self.seen:
            return
        if key in self.stack:
            self.errors.append(
                PackError(f"pack extends itself through {' → '.join(self.stack)}", path=str(path))
            )
            return
        try:
            files = pack_files(path)
            if roots is not None and any(outside_roots(f, roots) for f in files):
                # A folder pack's file may be a symlink to outside what the plan may name.
                raise PackError(OUTSIDE, path=str(path))
            shown_label = label or str(path)
            raw = _read_pack(files[0], shown_label)
            parts = [_read_pack(f, shown_label) for f in files[1:]]
        except PackError as err:
            self.errors.append(err)
            self.fatal = True
            return
        self.read += [
            (os.path.realpath(f), r.digest) for f, r in zip(files, (raw, *parts), strict=True)
        ]
        if path.is_dir():
            # The pack's id defaults to the folder's name, not pack.toml's; its digest
            # covers every file, by name.
            raw.default_id = path.name
            h = hashlib.sha256()
            for f, r in zip(files, (raw, *parts), strict=True):
                h.update(f"{f.name}\0{r.digest}\n".encode())
            raw.digest = h.hexdigest()
        raw.source, raw.roots = source, roots
        for part in parts:
            part.source, part.roots = source, roots
        self.stack.append(key)
        try:
            self.apply(raw, parts)
        finally:
            self.stack.pop()
        self.seen.add(key)

    def apply(self, raw: _RawPack, parts: Sequence[_RawPack] = ()) -> None:
        """Layer one pack: `raw` holds its [pack] table, `parts` (a folder pack's other
        files, in order) more of its rules."""
        ctx = _Ctx(raw)
        data = raw.data
        tables = ("pack", "select", "rules", "rule", "score")
        for key in data:
            if key not in tables:
                self.errors.append(
                    ctx.fail(
                        f"unknown table '{quote(key)}'"
                        f"{_suggest(key, tables) or ' (expected pack, select, rules, rule, score)'}",
                        keys=(key,),
                        key=quote(key),
                    )
                )
        for part in parts:
            for key in part.data:
                if key == "pack":
                    self.errors.append(
                        _Ctx(part).fail(
                            f"[pack] belongs in the folder's {PACK_HEADER_FILE}, not in "
                            "a file of rules",
                            keys=(key,),
                            key=key,
                        )
                    )
                elif key not in ("select", "rules", "rule", "score"):
                    self.errors.append(
                        _Ctx(part).fail(
                            f"unknown table '{quote(key)}'"
                            f"{_suggest(key, tables) or ' (expected select, rules, rule, score)'}",
                            keys=(key,),
                            key=quote(key),
                        )
                    )
        default_id = raw.default_id or (
            Path(raw.path).stem if raw.label != "default" else "default"
        )
        info, extends = PackInfo("?", "?", "", raw.label, raw.digest, raw.source), []
        with _collect(self.errors):
            info, extends = _pack_info(ctx, default_id)
        for ext in extends:
            with _collect(self.errors):
                self._extend(ctx, raw, ext)
        for one in (raw, *parts):
            self._apply_rules(one)
        self.packs.append(info)

    def _apply_rules(self, raw: _RawPack) -> None:
        """The [[rule]], [rules.CODE] and [select] tables of one pack file."""
        ctx = _Ctx(raw)
        data = raw.data
        rules = data.get("rule", [])
        if not isinstance(rules, list):
            self.errors.append(
                ctx.fail("rule must be an array of tables ([[rule]])", keys=("rule",), key="rule")
            )
            rules = []
        for i, r in enumerate(rules):
            with _collect(self.errors):
                _layer_rule(self, ctx, i, r)
        overrides = data.get("rules", {})
        if not isinstance(overrides, dict):
            self.errors.append(
                ctx.fail(
                    "rules must be a table of [rules.CODE] tables", keys=("rules",), key="rules"
                )
            )
            overrides = {}
        for code, table in overrides.items():
            with _collect(self.errors):
                _layer_override(self, ctx, code, table)
        if "select" in data:
            with _collect(self.errors):
                _select(self, ctx, data["select"])
        if "score" in data:
            with _collect(self.errors):
                merge_score_table(ctx, data["score"], self.score)
            self.score_from = raw.path

    def _extend(self, ctx: _Ctx, raw: _RawPack, ext: str) -> None:
        if ext == "default":
            self.apply_file(DEFAULT_PACK, label="default", source="default")
            return
        base = raw.file.parent if raw.file else Path.cwd()
        target = base / ext
        here = {
            "region": ("pack", "pack"),
            "needles": (r"\bextends\b", re.escape(f'"{ext}"')),
            "key": "pack.extends",
        }
        if raw.roots is not None and outside_roots(target, raw.roots):
            # A pack the plan names extends only packs it could name itself.
            raise ctx.fail(f"'{quote(ext)}': {OUTSIDE}", **here)  # type: ignore[arg-type]
        problem = file_problem(target)
        if problem == "no such pack file":
            raise ctx.fail(
                f"no pack file '{quote(ext)}' (looked in {base}{os.sep})",
                **here,  # type: ignore[arg-type]
            )
        if problem:
            raise ctx.fail(f"'{quote(ext)}': {problem}", **here)  # type: ignore[arg-type]
        self.apply_file(target, source="extends", roots=raw.roots)

    def raise_errors(self) -> None:
        """Raise every error found so far (one PackError, or PackErrors), in file order."""
        if not self.errors:
            return
        order: dict[str | None, int] = {}
        for e in self.errors:
            order.setdefault(e.path, len(order))
        unique: list[PackError] = []
        seen: set[str] = set()
        for e in sorted(self.errors, key=lambda e: (order[e.path], e.line or 0, e.column or 0)):
            if str(e) not in seen:
                seen.add(str(e))
                unique.append(e)
        raise unique[0] if len(unique) == 1 else PackErrors(unique)


# --- validation of the merged rules ----------------------------------------------------------


def _fail_at(
    draft: _Draft,
    key: str,
    message: str,
    *subkeys: str,
    needles: tuple[str, ...] = (),
    report_key: str | None = None,
) -> PackError:
    raw, where = draft.where.get(key, draft.home)
    ctx = _Ctx(raw)
    if needles:
        return ctx.fail(
            message,
            region=where,
            needles=(rf"\b{key}\b", *needles),
            rule=draft.code,
            key=report_key or key,
        )
    return ctx.fail(
        message,
        region=where,
        keys=(*key.split("."), *subkeys),
        rule=draft.code,
        key=report_key or key,
    )


_CONDITION_KEYS = {"field": "a field of the fact", "op": "an operator: " + " ".join(OPS)}


def _conditions(  # noqa: C901
    draft: _Draft,
    key: str,
    kind: str,
    raw: Any,
    params: dict[str, Any],
    used: set[str],
    *,
    outer: str | None = None,
    errors: list[PackError] | None = None,
) -> tuple[Condition, ...]:
    label = f"{outer}.{key}" if outer else key
    top = outer or key
    if not isinstance(raw, list):
        raise _fail_at(draft, top, f"{label} must be an array of conditions", report_key=label)
    out = []
    fields = FACT_KINDS[kind]
    for i, c in enumerate(raw):
        try:
            ck = f"{label}[{i}]"
            if not isinstance(c, dict):
                raise _fail_at(
                    draft, top, f"{ck} must be a table {{ field, op, value }}", report_key=ck
                )
            for k in c:
                if k not in ("field", "op", "value"):
                    raise _fail_at(
                        draft,
                        top,
                        f"unknown key '{quote(k)}' in a condition"
                        f"{_suggest(k, ('field', 'op', 'value'))}",
                        needles=(rf"\b{re.escape(k)}\s*=",),
                        report_key=f"{ck}.{k}",
                    )
            fname, op = c.get("field"), c.get("op")
            for k, v in (("field", fname), ("op", op)):
                if not isinstance(v, str):
                    got = "it is missing" if v is None else f"not {_type_name(v)}"
                    raise _fail_at(
                        draft,
                        top,
                        f"{ck}.{k} must be a string ({_CONDITION_KEYS[k]}), {got}",
                        needles=(rf"\b{k}\s*=",) if v is not None else (),
                        report_key=f"{ck}.{k}",
                    )
            if fname not in fields:
                known = ", ".join(fields)
                raise _fail_at(
                    draft,
                    top,
                    f"unknown field '{quote(str(fname))}' of fact kind '{kind}'"
                    f"{_suggest(str(fname), fields)} (fields: {known})",
                    needles=(rf"\bfield\s*=\s*\"{re.escape(str(fname))}\"",),
                    report_key=f"{ck}.field",
                )
            ftype = fields[fname].type
            if op not in OPS:
                raise _fail_at(
                    draft,
                    top,
                    f"unknown operator '{quote(str(op))}'{_suggest(str(op), OPS)} "
                    f"(expected one of: {' '.join(OPS)})",
                    needles=(rf"\bop\s*=\s*\"{re.escape(str(op))}\"",),
                    report_key=f"{ck}.op",
                )
            if op not in OPS_BY_TYPE[ftype]:
                raise _fail_at(
                    draft,
                    top,
                    f"operator '{op}' does not apply to {kind}.{fname}, a field of type {ftype} "
                    f"(it allows: {' '.join(OPS_BY_TYPE[ftype])})",
                    needles=(rf"\bop\s*=\s*\"{re.escape(str(op))}\"",),
                    report_key=f"{ck}.op",
                )
            param = None
            if op in UNARY_OPS:
                if "value" in c:
                    raise _fail_at(
                        draft,
                        top,
                        f"operator '{op}' takes no value",
                        needles=(rf"\bop\s*=\s*\"{op}\"", r"\bvalue\s*="),
                        report_key=f"{ck}.value",
                    )
                value = None
            else:
                if "value" not in c:
                    raise _fail_at(
                        draft,
                        top,
                        f"operator '{op}' needs a value",
                        needles=(rf"\bop\s*=\s*\"{op}\"",),
                        report_key=f"{ck}.value",
                    )
                value = c["value"]
                if isinstance(value, str) and value.startswith("$"):
                    param = value[1:]
                    if param not in params:
                        known = ", ".join(sorted(params)) or "none"
                        raise _fail_at(
                            draft,
                            top,
                            f"unknown parameter '${param}' (params: {known})",
                            needles=(re.escape(f'"{value}"'),),
                            report_key=f"{ck}.value",
                        )
                    used.add(param)
                    value = params[param]
                problem = _value_problem(ftype, op, value)
                if problem and param:
                    # Point at where the parameter was last set (maybe another pack).
                    raise _fail_at(
                        draft,
                        f"params.{param}",
                        f"parameter '{param}' for {kind}.{fname} {problem}",
                    )
                if problem:
                    raise _fail_at(
                        draft,
                        top,
                        f"value for {kind}.{fname} {problem}",
                        needles=(rf"\bfield\s*=\s*\"{fname}\"",),
                        report_key=f"{ck}.value",
                    )
                value = _normal_const(ftype, value)
            out.append(Condition(fname, op, value, param, ftype))
        except PackError as err:
            if errors is None:
                raise
            errors.append(err)
    return tuple(out)


def _value_problem(ftype: str, op: str, value: Any) -> str | None:
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return f"must be a non-empty array for '{op}'"
        for v in value:
            p = _value_problem(ftype, "eq", v)
            if p:
                return p
        return None
    ok: Callable[[Any], bool] = {
        "str": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "share": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "date": lambda v: (
            isinstance(v, dt.date)
            or (isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", v) is not None)
        ),
        "list": lambda v: False,
    }[ftype]
    if not ok(value):
        want = {
            "str": "a string",
            "int": "an integer",
            "float": "a number",
            "share": "a number between 0 and 1",
            "bool": "true or false",
            "date": "a date",
            "list": "nothing",
        }[ftype]
        return f"must be {want}, not {_type_name(value)}"
    if ftype == "share" and not 0 <= value <= 1:
        return f"must be a share between 0 and 1, not {value}"
    return None


def _normal_const(ftype: str, value: Any) -> Any:
    """A constant in the form facts take in the engine (rules.compile.normal_value)."""
    from releve.rules.compile import normal_value

    if isinstance(value, list):
        return tuple(_normal_const(ftype, v) for v in value)
    return normal_value(ftype, value)


def _examples(draft: _Draft, raw: Any) -> tuple[Example, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail_at(draft, "example", "example must be an array of tables ([[rule.example]])")
    out = []
    pack, where = draft.where.get("example", draft.home)
    reg = pack.loc.region(*where)
    ex_lines = []
    if reg is not None:
        ex_lines = [
            i + 1
            for i, n, arr in pack.loc.headers
            if arr and n == "rule.example" and reg[0] <= i < reg[1]
        ]
    for i, e in enumerate(raw):
        key = f"example[{i}]"
        if not isinstance(e, dict):
            raise _fail_at(draft, "example", f"{key} must be a table", report_key=key)
        for k in e:
            if k not in ("plan", "fires", "target", "as_of", "base", "unset"):
                raise _fail_at(
                    draft,
                    "example",
                    f"unknown key '{quote(k)}' in an example"
                    f"{_suggest(k, ('plan', 'fires', 'target', 'as_of', 'base', 'unset'))}",
                    needles=(rf"\b{re.escape(k)}\s*=",),
                    report_key=f"{key}.{k}",
                )
        plan, fires, unset = e.get("plan", ""), e.get("fires"), e.get("unset", [])
        if not isinstance(plan, str) or not isinstance(fires, bool):
            raise _fail_at(
                draft,
                "example",
                f"{key} needs fires (true/false) and plan, a TOML fragment string",
                report_key=key,
            )
        if not isinstance(unset, list) or not all(isinstance(u, str) for u in unset):
            raise _fail_at(
                draft,
                "example",
                f"{key}.unset must be an array of dotted keys",
                report_key=f"{key}.unset",
            )
        target, base = e.get("target"), e.get("base", True)
        if target is not None and not isinstance(target, str):
            raise _fail_at(
                draft,
                "example",
                f"{key}.target must be a string like "
                f'"process:purchasing", not {_type_name(target)}',
                needles=(r"\btarget\s*=",),
                report_key=f"{key}.target",
            )
        if not isinstance(base, bool):
            raise _fail_at(
                draft,
                "example",
                f"{key}.base must be true or false, not {_type_name(base)}",
                needles=(r"\bbase\s*=",),
                report_key=f"{key}.base",
            )
        as_of = e.get("as_of")
        if as_of is not None and not isinstance(as_of, dt.date):
            raise _fail_at(
                draft, "example", f"{key}.as_of must be a date", report_key=f"{key}.as_of"
            )
        out.append(
            Example(
                plan,
                fires,
                target,
                as_of,
                base,
                ex_lines[i] if i < len(ex_lines) else None,
                tuple(unset),
                pack.path,
            )
        )
    return tuple(out)


def _shown(value: Any) -> str:
    """A value as the pack writes it, or its type when it is an array or a table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return _type_name(value)
    return repr(value) if isinstance(value, str) else str(value)


def _string(draft: _Draft, key: str, value: Any, what: str) -> str:
    """`value` of `key`, which must be a string (`what` says which)."""
    if not isinstance(value, str):
        raise _fail_at(draft, key, f"{key} must be a string ({what}), not {_type_name(value)}")
    return value


def _finish(draft: _Draft, errors: list[PackError]) -> Rule | None:  # noqa: C901
    """The rule a draft makes once every pack is layered; None when it has errors (each
    one added to `errors`: every key is checked, not only up to the first mistake)."""
    v = draft.values
    code = draft.code
    before = len(errors)
    name = pillar = sev = kind = ""
    weight: Any = 1
    with _collect(errors):
        name = _string(draft, "name", v["name"], "a kebab-case name like manual-process")
        if not NAME_RE.match(name):
            raise _fail_at(
                draft, "name", f"name '{quote(name)}' must be kebab-case (e.g. manual-process)"
            )
    with _collect(errors):
        pillar = _string(draft, "pillar", v["pillar"], "one of " + ", ".join(PILLARS))
        if pillar not in PILLARS:
            raise _fail_at(
                draft,
                "pillar",
                f"unknown pillar '{quote(pillar)}'{_suggest(pillar, PILLARS)} "
                f"(expected one of: {', '.join(PILLARS)})",
            )
    with _collect(errors):
        sev = _string(draft, "severity", v["severity"], "error, warning or info")
        if sev not in Severity.__members__:
            raise _fail_at(
                draft,
                "severity",
                f"unknown severity '{quote(sev)}'{_suggest(sev, Severity.__members__)} "
                "(expected error, warning or info)",
            )
    with _collect(errors):
        weight = v.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise _fail_at(draft, "weight", f"weight must be a number ≥ 0, not {_shown(weight)}")
    with _collect(errors):
        kind = _string(draft, "fact", v["fact"], "a fact kind such as process")
        if kind not in FACT_KINDS:
            raise _fail_at(
                draft,
                "fact",
                f"unknown fact kind '{quote(kind)}'{_suggest(kind, FACT_KINDS)} "
                f"(expected one of: {', '.join(FACT_KINDS)})",
            )
    params = v.get("params", {})
    for p, pv in params.items():
        if not isinstance(pv, (bool, int, float, str, list, dt.date)):
            errors.append(
                _fail_at(
                    draft,
                    "params",
                    f"parameter '{quote(p)}' must be a plain value",
                    p,
                    report_key=f"params.{quote(p)}",
                )
            )
    used: set[str] = set()
    when: tuple[Condition, ...] = ()
    anyc: tuple[Condition, ...] = ()
    unless = None
    if kind in FACT_KINDS:
        with _collect(errors):
            when = _conditions(draft, "when", kind, v.get("when", []), params, used, errors=errors)
        with _collect(errors):
            anyc = _conditions(draft, "any", kind, v.get("any", []), params, used, errors=errors)
        if "unless" in v:
            with _collect(errors):
                unless = _unless(draft, v["unless"], kind, params, used, errors)
    texts = {k: dict(v.get(k) or {}) for k in TEXT_KEYS}
    fields = FACT_KINDS.get(kind, {})
    for k in TEXT_KEYS:
        for lang, text in texts[k].items():
            for m in PLACEHOLDER_RE.finditer(text):
                ph, spec = m.group(1), m.group(2)
                if kind in FACT_KINDS and (
                    ph not in fields and ph not in params and ph not in ("fact_id", "code")
                ):
                    errors.append(
                        _fail_at(
                            draft,
                            k,
                            f"placeholder {{{ph}}} is neither a field of '{kind}' nor a "
                            f"parameter{_suggest(ph, [*fields, *params])}",
                            lang,
                            report_key=f"{k}.{lang}",
                        )
                    )
                if spec not in (None, "", "%", "d", "n"):
                    errors.append(
                        _fail_at(
                            draft,
                            k,
                            f"unknown format '{quote(spec)}' in {{{ph}:{quote(spec)}}} "
                            "(use % for a share)",
                            lang,
                            report_key=f"{k}.{lang}",
                        )
                    )
    from releve.rules.grading import parse_grade

    grade = DEFAULT_GRADE
    with _collect(errors):
        grade = parse_grade(draft, kind, v.get("grade"), params, used)
    path = v.get("path", kind)
    if not isinstance(path, str):
        errors.append(_fail_at(draft, "path", 'path must be a string like "process.automation"'))
    examples: tuple[Example, ...] = ()
    with _collect(errors):
        examples = _examples(draft, v.get("example"))
    if len(errors) > before:
        return None
    return Rule(
        code=code,
        name=name,
        title=texts["title"],
        message=texts["message"],
        fix=texts["fix"],
        rationale=texts["rationale"],
        pillar=pillar,
        severity=Severity(sev),
        weight=float(weight),
        fact=kind,
        when=when,
        any=anyc,
        unless=unless,
        params=dict(params),
        path=path,
        examples=examples,
        origin=dict(draft.origin),
        grade=grade,
    )


def _unless(
    draft: _Draft,
    u: Any,
    kind: str,
    params: dict[str, Any],
    used: set[str],
    errors: list[PackError],
) -> Unless:
    if not isinstance(u, dict) or "fact" not in u:
        raise _fail_at(draft, "unless", 'unless must be a table { fact = "…", when = […] }')
    for k in u:
        if k not in ("fact", "when", "any"):
            raise _fail_at(
                draft,
                "unless",
                f"unknown key '{quote(k)}' in unless{_suggest(k, ('fact', 'when', 'any'))}",
                needles=(rf"\b{re.escape(k)}\s*=",),
                report_key=f"unless.{quote(k)}",
            )
    if not isinstance(u["fact"], str):
        raise _fail_at(
            draft,
            "unless",
            f"unless.fact must be a string (a fact kind), not {_type_name(u['fact'])}",
            needles=(r"\bfact\s*=",),
            report_key="unless.fact",
        )
    if u["fact"] not in FACT_KINDS:
        raise _fail_at(
            draft,
            "unless",
            f"unknown fact kind '{quote(u['fact'])}' in unless{_suggest(u['fact'], FACT_KINDS)}",
            needles=(re.escape(f'"{u["fact"]}"'),),
            report_key="unless.fact",
        )
    if u["fact"] == kind:
        # durable_rules' none never sees the fact the rule matched, so "unless a fact
        # of the same kind" would mean "unless another one": not what it reads as.
        raise _fail_at(
            draft,
            "unless",
            f"unless must look at another kind of fact than the rule ('{kind}')",
            needles=(re.escape(f'"{u["fact"]}"'),),
            report_key="unless.fact",
        )
    return Unless(
        u["fact"],
        _conditions(
            draft, "when", u["fact"], u.get("when", []), params, used, outer="unless", errors=errors
        ),
        _conditions(
            draft, "any", u["fact"], u.get("any", []), params, used, outer="unless", errors=errors
        ),
    )


# --- the public entry point --------------------------------------------------------------------


_CACHE: dict[tuple[Any, ...], PackSet] = {}


def _stamp(p: Path) -> tuple[Any, ...]:
    """What the cache compares for one pack: path, mtime and size of each of its files."""
    try:
        files = pack_files(p) if p.is_dir() else [p]
    except (PackError, OSError, ValueError):
        files = [p]
    out: list[Any] = []
    for f in files:
        try:
            st = f.stat()
            out += [str(f.resolve()), st.st_mtime, st.st_size]
        except (OSError, ValueError):
            out += [str(f), 0.0, -1]
    return tuple(out)


def plan_pack_paths(plan_path: str | Path | None, plan: Any) -> list[Path]:
    """The plan's ``[rules].packs``, resolved relative to the plan file."""
    if plan is None or getattr(plan, "rules", None) is None:
        return []
    base = Path(plan_path).parent if plan_path else Path.cwd()
    return [base / p for p in plan.rules.packs]


def load_pack_set(
    plan_path: str | Path | None = None,
    plan: Any = None,
    extra: Sequence[str | Path] = (),
    *,
    pack_path: Sequence[str | Path] = (),
    plan_packs: bool = True,
) -> PackSet:
    """The rules in force for a plan: the default pack, then the plan's ``[rules].packs``
    (relative to `plan_path`; left out when `plan_packs` is false: the buyer's view),
    then `extra` (``--pack`` options), a later pack winning.

    A pack the plan names must be a regular file of at most MAX_PACK_BYTES in the plan's
    folder, its git repository, a `pack_path` folder or one of RELEVE_PACK_PATH; anything
    else is a PackError at the plan's line, raised before any byte of it is read. ``--pack``
    files are the user's own choice: they need only be regular files of that size.

    Raises `PackError` (file, line, column, rule, key) for a mistake in a pack, or
    `PackErrors` for several: every mistake is reported, not only the first. Results are
    cached by the files' paths, sizes and modification times.
    """
    named = plan_pack_paths(plan_path, plan) if plan_packs else []
    paths = [DEFAULT_PACK, *named, *(Path(p) for p in extra)]
    env = os.environ.get(PACK_PATH_ENV, "")
    key = (tuple(_stamp(p) for p in paths), tuple(str(d) for d in pack_path), env, plan_path)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    roots = pack_roots(plan_path, pack_path) if named else ()
    for i, p in enumerate(named):
        # Every pack the plan names is checked before any byte of any pack is read.
        name = plan.rules.packs[i]
        if outside_roots(p, roots):
            raise _plan_pack_error(plan_path, i, f"pack '{quote(name)}': {OUTSIDE}", p)
        problem = file_problem(p)
        if problem == "no such pack file":
            problem = f"no such pack file '{quote(name)}' (looked in {p.parent}{os.sep})"
        elif problem:
            problem = f"pack '{quote(name)}': {problem}"
        if problem:
            raise _plan_pack_error(plan_path, i, problem, p)
    disk_key = _disk_key(named, roots, extra)
    if disk_key is not None:
        from releve.rules import packcache

        ps = packcache.get(disk_key, content_digest)
        if ps is not None:
            _CACHE[key] = ps
            return ps
    lay = _Layering()
    lay.apply_file(DEFAULT_PACK, label="default", source="default")
    for p in named:
        lay.apply_file(p, source="plan", roots=roots)
    for p in extra:
        lay.apply_file(Path(p), source="option")
    ps = _build(lay)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = ps
    if disk_key is not None:
        packcache.put(disk_key, ps, lay.read)
    return ps


def content_digest(path: Path) -> str | None:
    """sha256 of a pack's bytes (a folder pack: of its files, by name); None when it
    cannot be read as a pack."""
    try:
        files = pack_files(path)
        if len(files) == 1 and not path.is_dir():
            return hashlib.sha256(read_pack_bytes(path, str(path))).hexdigest()
        h = hashlib.sha256()
        for f in files:
            h.update(
                f"{f.name}\0{hashlib.sha256(read_pack_bytes(f, str(f))).hexdigest()}\n".encode()
            )
        return h.hexdigest()
    except (PackError, OSError, ValueError):
        return None


def _disk_key(
    named: Sequence[Path], roots: tuple[str, ...], extra: Sequence[str | Path]
) -> str | None:
    """The on-disk cache key of a load (rules.packcache), or None when a pack cannot be
    hashed (the load then says why) or the cache is off."""
    from releve.rules import packcache

    if packcache.cache_dir() is None:
        return None
    parts: list[Any] = []
    for source, p in (
        ("default", DEFAULT_PACK),
        *(("plan", n) for n in named),
        *(("option", Path(x)) for x in extra),
    ):
        digest = content_digest(Path(p))
        if digest is None:
            return None
        parts.append([source, str(p), os.path.realpath(p), digest])
    return packcache.key([parts, list(roots)])


def _plan_pack_error(
    plan_path: str | Path | None, index: int, message: str, resolved: Path
) -> PackError:
    """A pack the plan names in ``[rules].packs`` that cannot be used, at the plan's line."""
    if plan_path is None:
        return PackError(message, path=quote(str(resolved)))
    line = column = None
    try:
        text = Path(plan_path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError):
        text = None
    if text is not None:
        from releve.planner.store import locate

        place = locate(text, ("rules", "packs", index))
        if place is not None:
            line, column = place
    return PackError(message, path=str(plan_path), line=line, column=column)


def load_pack_text(text: str, path: str = "<pack>", *, over_default: bool = True) -> PackSet:
    """A pack set from one pack's text (over the default pack unless told otherwise);
    for tests and `rules test` on unsaved text. Raises PackError or PackErrors."""
    lay = _Layering()
    if over_default:
        lay.apply_file(DEFAULT_PACK, label="default", source="default")
    try:
        raw = _parse_pack(text, path, path, Path(path) if path != "<pack>" else None)
    except PackError as err:
        lay.errors.append(err)
        lay.raise_errors()
        raise
    lay.apply(raw)
    return _build(lay)


def _default_rules() -> dict[str, Rule]:
    """The default pack's own rules, by code (every one, before any pack's changes)."""
    return {r.code: r for r in load_pack_set().rules}


def _build(lay: _Layering) -> PackSet:
    if lay.fatal:
        lay.raise_errors()
    finished: dict[str, Rule] = {}
    for code in sorted(lay.drafts):
        rule = _finish(lay.drafts[code], lay.errors)
        if rule is not None:
            finished[code] = rule
    lay.raise_errors()
    rules = tuple(r for c, r in finished.items() if c not in lay.excluded)
    settings = ScoreSettings(**lay.score)
    if settings.to_secure >= settings.ready:
        raise PackError(
            f"score.to_secure ({settings.to_secure}) must be below score.ready ({settings.ready})",
            path=lay.score_from,
            key="score.to_secure",
        )
    only_default = all(p.source == "default" for p in lay.packs)
    has_default = any(p.source == "default" for p in lay.packs)
    if only_default:
        return PackSet(
            rules,
            tuple(lay.packs),
            tuple(sorted(lay.excluded)),
            default_codes=tuple(finished) if has_default else (),
            changes=tuple(_excluded_changes(lay, finished, finished)) if has_default else (),
            score=settings,
        )
    if not has_default:
        return PackSet(rules, tuple(lay.packs), tuple(sorted(lay.excluded)), score=settings)
    base = _default_rules()
    return PackSet(
        rules,
        tuple(lay.packs),
        tuple(sorted(lay.excluded)),
        default_codes=tuple(sorted(base)),
        changes=tuple(_changes(lay, base, finished)),
        score=settings,
    )


def _pack_id(lay: _Layering, label: str) -> str:
    return next((p.id for p in lay.packs if p.path == label), label)


def _excluded_changes(
    lay: _Layering, base: dict[str, Rule], finished: dict[str, Rule]
) -> list[RuleChange]:
    return [
        RuleChange(code, base[code].name, "excluded", True, False, _pack_id(lay, by), True)
        for code, by in sorted(lay.excluded_by.items())
        if code in base and code in lay.excluded
    ]


def _changes(lay: _Layering, base: dict[str, Rule], finished: dict[str, Rule]) -> list[RuleChange]:
    """What the packs over the default one did to its rules, rule by rule."""
    out = _excluded_changes(lay, base, finished)
    for code, was in sorted(base.items()):
        now = finished.get(code)
        if now is not None and code not in lay.excluded:
            out += [
                RuleChange(code, was.name, what, before, after, _pack_id(lay, label), weakens)
                for what, before, after, weakens, label in _rule_changes(was, now)
            ]
    return out


def _rule_changes(was: Rule, now: Rule) -> list[tuple[str, Any, Any, bool, str]]:
    """(key, before, after, weakens, origin label) for each key `now` differs in."""
    out: list[tuple[str, Any, Any, bool, str]] = []

    def by(key: str) -> str:
        return now.origin.get(key) or now.origin.get(key.split(".")[0], "")

    if now.severity != was.severity:
        weaker = now.severity.rank < was.severity.rank
        out.append(("severity", was.severity.value, now.severity.value, weaker, by("severity")))
    if now.weight != was.weight:
        out.append(("weight", was.weight, now.weight, now.weight < was.weight, by("weight")))
    for p, old in was.params.items():
        new = now.params.get(p, old)
        if new != old:
            out.append((f"params.{p}", old, new, False, by(f"params.{p}")))
    if now.pillar != was.pillar:
        out.append(("pillar", was.pillar, now.pillar, False, by("pillar")))
    # Conditions as written ("$max_days"): a changed parameter is reported once, above.
    for key in ("fact", "when", "any", "unless"):
        if _written(now, key) != _written(was, key):
            out.append((key, None, None, False, by(key)))
    return out


def _written(rule: Rule, key: str) -> Any:
    if key == "fact":
        return rule.fact
    if key == "unless":
        u = rule.unless
        if u is None:
            return None
        return (u.fact, [c.as_dict() for c in u.when], [c.as_dict() for c in u.any])
    return [c.as_dict() for c in getattr(rule, key)]


# --- lint (`releve rules test PACK` runs it before the examples) -----------------------------


@dataclass(frozen=True)
class LintNote:
    """Something in a pack that loads but is probably a mistake."""

    rule: str
    key: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        err = PackError(
            self.message,
            path=self.path,
            line=self.line,
            column=self.column,
            rule=self.rule,
            key=self.key,
        )
        return str(err)


def rules_of_pack(ps: PackSet, label: str) -> list[Rule]:
    """The rules in force that the pack labelled `label` defines or changes."""
    return [r for r in ps.rules if label in r.origin.values()]


def lint(ps: PackSet, label: str) -> list[LintNote]:
    """Unused parameters, conditions that can never hold together, and texts given in
    one language only (they fall back), for the rules `label` defines or changes."""
    text = _pack_text(label)
    notes: list[LintNote] = []
    for rule in rules_of_pack(ps, label):
        where = _rule_line(text, rule.code)
        used = {c.param for c in (*rule.when, *rule.any) if c.param}
        used |= {c.param for c in rule.grade.among if c.param}
        used |= {x for x in (rule.grade.start_param, rule.grade.full_param) if x}
        if rule.unless:
            used |= {c.param for c in (*rule.unless.when, *rule.unless.any) if c.param}
        for key in TEXT_KEYS:
            for t in getattr(rule, key).values():
                used |= {m.group(1) for m in PLACEHOLDER_RE.finditer(t)}
        for p in rule.params:
            if p not in used and rule.origin.get(f"params.{p}") == label:
                line, col = _key_line(text, where, p)
                notes.append(
                    LintNote(
                        rule.code,
                        f"params.{p}",
                        f"parameter '{p}' is never used (no condition or text refers to ${p})",
                        label,
                        line,
                        col,
                    )
                )
        contradiction = _contradiction(rule.when)
        if contradiction:
            line, col = _key_line(text, where, "when")
            notes.append(
                LintNote(
                    rule.code,
                    "when",
                    f"the rule can never fire: {contradiction}",
                    label,
                    line,
                    col,
                )
            )
        for key, missing, other in rule.fallbacks():
            if rule.origin.get(f"{key}.{other}") != label:
                continue
            line, col = _key_line(text, where, key)
            notes.append(
                LintNote(
                    rule.code,
                    f"{key}.{missing}",
                    f"no {_LANG_NAMES[missing]} {key}: shown in {_LANG_NAMES[other]} when "
                    f"the output is {_LANG_NAMES[missing]}",
                    label,
                    line,
                    col,
                )
            )
    return notes


_LANG_NAMES = {"en": "English", "fr": "French"}


def _pack_text(label: str) -> list[str]:
    try:
        path = Path(label)
        files = pack_files(path)
        return read_pack_bytes(files[0], label).decode("utf-8-sig").splitlines()
    except (PackError, OSError, UnicodeDecodeError, ValueError):
        return []


def _rule_line(lines: list[str], code: str) -> int | None:
    """0-based index of the line defining or changing `code` in a pack's text."""
    pats = (
        re.compile(rf'^\s*id\s*=\s*["\']{re.escape(code)}["\']'),
        re.compile(rf"^\s*\[rules\.{re.escape(code)}(\.|\])"),
    )
    return next((i for i, t in enumerate(lines) if any(p.match(t) for p in pats)), None)


def _key_line(lines: list[str], start: int | None, key: str) -> tuple[int | None, int | None]:
    if start is None:
        return None, None
    pat = re.compile(rf"(^|[\s{{,.]){re.escape(key)}\s*[=.]")
    for i in range(start, min(len(lines), start + 200)):
        m = pat.search(lines[i])
        if m and not lines[i].lstrip().startswith("#"):
            return i + 1, m.start() + (1 if m.group(1) else 0) + 1
        if i > start and lines[i].lstrip().startswith("[") and "rule.example" not in lines[i]:
            break
    return start + 1, 1


def _contradiction(conds: tuple[Condition, ...]) -> str | None:  # noqa: C901
    """Why conditions that must all hold never can, or None. Numbers by bounds, equality
    against other constraints, and `missing` with any test of a value."""
    by_field: dict[str, list[Condition]] = {}
    for c in conds:
        by_field.setdefault(c.field, []).append(c)
    for fname, cs in by_field.items():
        ops = {c.op for c in cs}
        if "missing" in ops and ops - {"missing", "empty"}:
            return f"'{fname}' must be missing and have a value"
        if "present" in ops and ops & {"missing", "empty"}:
            return f"'{fname}' must be present and empty"
        eqs = {repr(c.value) for c in cs if c.op == "eq"}
        if len(eqs) > 1:
            return f"'{fname}' must equal {' and '.join(sorted(eqs))}"
        for c in cs:
            if c.op == "eq":
                for d in cs:
                    if d.op == "ne" and d.value == c.value:
                        return f"'{fname}' must equal and differ from {c.value!r}"
                    if d.op == "in" and c.value not in d.value:
                        return f"'{fname}' = {c.value!r} is not one of {list(d.value)!r}"
                    if d.op == "not_in" and c.value in d.value:
                        return f"'{fname}' = {c.value!r} is excluded by not_in"
        lo, lo_strict, hi, hi_strict = None, False, None, False
        for c in cs:
            v = c.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            if c.op in ("gt", "ge", "eq") and (lo is None or v > lo or (v == lo and c.op == "gt")):
                lo, lo_strict = v, c.op == "gt"
            if c.op in ("lt", "le", "eq") and (hi is None or v < hi or (v == hi and c.op == "lt")):
                hi, hi_strict = v, c.op == "lt"
        if (
            lo is not None
            and hi is not None
            and (lo > hi or (lo == hi and (lo_strict or hi_strict)))
        ):
            return f"no value of '{fname}' is {'>' if lo_strict else '≥'} {lo} and {'<' if hi_strict else '≤'} {hi}"
    return None
