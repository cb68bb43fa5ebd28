"""Writing a plan onto the user's text (``render``): comments, blank lines and key order
kept, only the edited values changed; the canonical text when that cannot be done safely."""

from __future__ import annotations

import functools

from releve.planner.errors import PlanError
from releve.planner.model import Plan
from releve.planner.store.blocks import _layout, _render_blocks
from releve.planner.store.canonical import dumps
from releve.planner.store.edits import _apply
from releve.planner.store.loading import loads
from releve.planner.store.tomlkit_shim import parse_document


def render(plan: Plan, original_text: str) -> str:
    """The plan written onto the user's text: comments, blank lines and key order kept.

    Only the values that differ between the plan read from ``original_text`` and ``plan``
    change; new keys are appended to their table, new rows go after the row they follow
    in the plan (a first row, or a new table, after the table before it in model order),
    removed ones are deleted, moved rows moved with their own comments. If the original
    cannot be read, or the edited text would not read back as ``plan`` (a safety net: a
    save must never write a different plan), the canonical text is returned.
    """
    global _LAST_RENDER
    snapshot = plan.model_dump_json()  # plans are mutable: remember what was rendered
    last = _LAST_RENDER
    if last is not None and last[1] == snapshot and last[0] == original_text:
        return last[2]  # an app renders the same plan again (journal, dirty check)
    text: str | None = None
    for whole in (False, True):  # by blocks; if that fails, as one document (slow)
        try:
            edited = render_onto(plan, original_text, whole=whole)
        except Exception:  # noqa: BLE001, S112 - any failure: the next way, or the canonical text
            continue
        if edited is original_text:  # the plan read from it (render_onto compared them)
            text = edited
            break
        try:
            same = loads(edited) == plan
        except PlanError:
            same = False
        if same:
            text = edited
            break
    if text is None:
        text = dumps(plan)
    _LAST_RENDER = (original_text, snapshot, text)
    return text


#: The last render: (original text, the plan as JSON, the text rendered).
_LAST_RENDER: tuple[str, str, str] | None = None


def render_onto(plan: Plan, original_text: str, *, whole: bool = False) -> str:
    """``render`` without its safety net (raises PlanError when the original is unreadable).

    The text is edited block by block (a table, a row), or with ``whole`` (or when its
    layout is not one blocks can be edited in) as one tomlkit document."""
    old = _base_plan(original_text)
    if old == plan:
        return original_text  # nothing to apply
    layout = None if whole else _layout(original_text)
    if layout is None:
        return _render_document(plan, original_text, old)
    text = _render_blocks(plan, old, layout)
    if not original_text.endswith("\n") and text.endswith("\n"):
        text = text[:-1]
    if "\r\n" in original_text:  # new lines are written with \n: keep the file's CRLF
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def _render_document(plan: Plan, original_text: str, old: Plan) -> str:
    """Edit the whole text as one tomlkit document (slow on large plans; any layout)."""
    import tomlkit

    doc = parse_document(original_text)
    _apply(doc, old, plan)
    text = tomlkit.dumps(doc)
    if "\r\n" in original_text:  # tomlkit ends the lines it adds with \n: keep the file's CRLF
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


@functools.lru_cache(maxsize=8)
def _base_plan(text: str) -> Plan:
    """The plan of an original text (an app renders onto the same text at every save).
    Only compared with, never handed out: callers may change the plans they get."""
    return loads(text)
