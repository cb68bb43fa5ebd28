"""A raw text's save (``save_text``), the digest check against what was opened, then one
atomic write: the half of the save path that needs neither pydantic nor tomlkit
(``releve log`` appends a booking as text through it). Re-exported by :mod:`.saving`."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from releve.planner.errors import BadBytesError, ConflictError, PlanError
from releve.planner.store.atomic import target_of, write_atomic
from releve.planner.store.files import Fingerprint, TextFile


def save_text(
    text: str,
    path: str | os.PathLike[str],
    *,
    base: TextFile | None = None,
    force: bool = False,
    replace_bad_bytes: bool = False,
    exclusive: bool = False,
) -> TextFile:
    """Write ``text`` as it is (a plan's TOML, readable or not) to ``path``; returns what is
    on disk now. The same checks as :func:`save`:

    - with ``base`` (the file as opened by :func:`open_text`): ConflictError if ``path`` is
      base's file and its bytes changed since it was opened (unless ``force``);
    - an untouched text (``text == base.text``, the file as it was opened) is not written
      at all: ``base`` itself is returned, and the file keeps every byte and its mtime;
    - a base that was not UTF-8 (``base.bad``): BadBytesError (located at the first such
      byte, listing them) unless ``replace_bad_bytes``: saving would write each of those
      bytes as U+FFFD, so the caller asks the user first;
    - ``exclusive``: the file must not exist (``releve new``): FileExistsError otherwise.

    The write is atomic, through symbolic links, the file's mode kept (:mod:`.atomic`).
    """
    p = Path(path)
    target = target_of(p)
    same = base is not None and target == target_of(base.path)
    if base is not None and same and not force:
        current = _check_unchanged(target, base.fingerprint, str(base.path))
        if current is not None and text == base.text:
            return base  # untouched: nothing to write, not a byte changes
    if base is not None and base.bad and not replace_bad_bytes:
        first = base.bad[0]
        listed = "; ".join(str(b) for b in base.bad[:5]) + ("; …" if len(base.bad) > 5 else "")
        raise BadBytesError(
            f"{sum(len(b.data) for b in base.bad)} bytes of this file are not UTF-8 and "
            f"would be saved as U+FFFD ({listed})",
            path=str(base.path),
            line=first.line,
            column=first.column,
            bad=base.bad,
        )
    data = _encode(text, str(p))
    st = write_atomic(p, data, exclusive=exclusive)
    return TextFile(p, text, (), Fingerprint.of_bytes(data, st))


def _encode(text: str, shown: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate: no UTF-8 for it
        line = text.count("\n", 0, err.start) + 1
        column = err.start - (text.rfind("\n", 0, err.start) + 1) + 1
        raise PlanError(
            f"the text holds U+{ord(text[err.start]):04X}, which UTF-8 cannot store",
            path=shown,
            line=line,
            column=column,
        ) from None


def _check_unchanged(target: Path, opened: Fingerprint, shown: str) -> bytes | None:
    """The file's bytes now (None when it was deleted since: writing it again overwrites
    nobody's work); ConflictError when they are not the bytes it was opened with."""
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(data).hexdigest() != opened.sha256:
        raise ConflictError(
            "the file changed on disk since it was loaded (another program or person saved "
            "it); reload it to see their changes, or save with force to overwrite them",
            path=shown,
        )
    return data
