"""Where things are in a pack's text (tomllib keeps no positions): `_Locator`, and
`_Ctx`/`_fail_at` that make a PackError located at a table or key; `_Draft` is a rule
while packs are layered, `_collect` keeps errors and goes on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from releve.planner.records import mutable_record
from releve.rules.packs.errors import (
    PackError,
    PackErrors,
)

if TYPE_CHECKING:
    from releve.rules.packs.files import _RawPack


#: A search pattern longer than this is made of huge input and is not compiled.
MAX_NEEDLE = 1000
#: A key longer than this is found by its first characters.
KEY_PREFIX = 200


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
            if len(needle) > MAX_NEEDLE:
                # Made of huge input (a 2 MB key): compiling it would take seconds; the
                # place found so far stands.
                continue
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
        pats = [
            rf"(^|[\s{{,.\[]){re.escape(k)}\s*(=|\]|\.)"
            if len(k) <= KEY_PREFIX
            else rf"(^|[\s{{,.\[\"']){re.escape(k[:KEY_PREFIX])}"  # a huge key: its start
            for k in keys
        ]
        line, col = self.find(region, *pats)
        if line is not None and col is not None and region is not None:
            # Point at the key itself, not the separator before it.
            text = self.lines[line - 1]
            k = keys[-1] if keys else ""
            idx = text.find(k, col - 1)
            if k and idx >= 0:
                col = idx + 1
        return line, col


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


@contextmanager
def _collect(errors: list[PackError]) -> Iterator[None]:
    """Run a check, keeping its PackError(s) in `errors` instead of stopping there."""
    try:
        yield
    except PackErrors as err:
        errors.extend(err.errors)
    except PackError as err:
        errors.append(err)


@mutable_record
class _Draft:
    """A rule while packs are layered: raw values and where each came from."""

    code: str
    values: dict[str, Any]
    origin: dict[str, str]
    # Where each key was last set, to locate errors found after merging.
    where: dict[str, tuple[_RawPack, tuple[str, str | int]]]
    home: tuple[_RawPack, tuple[str, str | int]]
    # Its definition has errors already reported: checked further, never in force.
    broken: bool = False


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
