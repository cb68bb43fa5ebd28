"""Key bindings of the app, each with an id, and the user's keymap file that remaps them.

The user file is ``keys.toml`` in the config folder: ``$RELEVE_CONFIG_DIR`` when set (tests),
else ``$XDG_CONFIG_HOME/releve``, else ``~/.config/releve``. It holds one table::

    [keys]
    save = "ctrl+w"          # binding id = key(s), comma-separated for several
    "row.add" = "n,insert"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    id: str
    key: str
    action: str
    show: bool = True
    priority: bool = False
    key_display: str | None = None


#: Every binding of the app, by the place it lives in. ids are what keys.toml remaps.
APP_KEYS = (
    Key("save", "ctrl+s", "save", priority=True),
    Key("save_as", "ctrl+shift+s", "save_as", show=False, priority=True),
    Key("undo", "ctrl+z", "undo", priority=True),
    Key("redo", "ctrl+y", "redo", priority=True),
    Key("palette", "ctrl+p", "command_palette", show=False, priority=True),
    Key("help", "f1", "help", priority=True),
    Key("interview", "f2", "interview", priority=True),  # a new plan only (app.check_action)
    Key("next_panel", "tab", "next_panel", show=True, priority=True),
    Key("prev_panel", "shift+tab", "prev_panel", show=False, priority=True),
    Key("quit", "ctrl+q", "quit", priority=True),
    Key("focus.sections", "alt+1", "focus_panel('sections')", show=False),
    Key("focus.editor", "alt+2", "focus_panel('editor')", show=False),
    Key("focus.findings", "alt+3", "focus_panel('findings')", show=False),
)

VIM_KEYS = (
    Key("vim.down", "j", "cursor_down", show=False),
    Key("vim.up", "k", "cursor_up", show=False),
    Key("vim.top", "g", "first", show=False),
    Key("vim.bottom", "G", "last", show=False),
)

#: The mission log's keys on the phase selected (Phases table and Timeline; tracking.md).
PHASE_KEYS = (
    Key("phase.log_day", "l", "log_day"),
    Key("phase.close", "d", "close_phase"),
    Key("phase.deliver", "v", "deliver"),
)

TABLE_KEYS = (
    Key("row.add", "a", "add_row"),
    Key("row.edit", "e", "edit_row"),
    Key("row.duplicate", "c", "duplicate_row"),
    Key("row.delete", "delete", "delete_row", key_display="del"),
    Key("row.up", "shift+up", "move_row(-1)", key_display="⇧↑"),
    Key("row.down", "shift+down", "move_row(1)", key_display="⇧↓"),
    *PHASE_KEYS,  # shown on the Phases table only (RowTable.check_action)
)

FINDING_KEYS = (
    Key("finding.goto", "enter", "goto_finding"),
    Key("finding.explain", "e", "explain_finding"),
    Key("finding.waive", "w", "waive_finding"),
)

#: The Readiness view's: the diff of the plan in memory against its last commit.
READINESS_KEYS = (Key("readiness.diff", "d", "diff"),)

#: Bindings other widgets declare (the Timeline's what-if), remappable the same way.
OTHER_IDS = ("timeline.more_days", "timeline.fewer_days", "timeline.accept", "timeline.reset")

BROKEN_KEYS = (Key("broken.retry", "ctrl+r", "retry", priority=True),)

ALL_KEYS = APP_KEYS + VIM_KEYS + TABLE_KEYS + FINDING_KEYS + READINESS_KEYS + BROKEN_KEYS
KNOWN_IDS = frozenset(k.id for k in ALL_KEYS) | frozenset(OTHER_IDS)


def bindings(keys: tuple[Key, ...], lang: str = "en") -> list[BindingType]:
    """Textual bindings with ids and descriptions in ``lang``."""
    from releve.tui.i18n import binding_label

    return [
        Binding(
            k.key,
            k.action,
            binding_label(lang, k.id),
            show=k.show,
            priority=k.priority,
            id=k.id,
            key_display=k.key_display,
        )
        for k in keys
    ]


def config_dir() -> Path:
    """Folder of the user's releve configuration."""
    if os.environ.get("RELEVE_CONFIG_DIR"):
        return Path(os.environ["RELEVE_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "releve"


def keymap_path() -> Path:
    return config_dir() / "keys.toml"


class KeymapError(ValueError):
    """The user's keys.toml cannot be used (the app still starts with the default keys)."""


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """The user's remapped keys, ``{binding id: keys}``; empty when there is no file.

    Raises KeymapError naming the problem (bad TOML, unknown id, a value not a string).
    """
    path = path or keymap_path()
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as err:
        raise KeymapError(str(err)) from err
    table = data.get("keys", {})
    if not isinstance(table, dict):
        raise KeymapError('[keys] must be a table of binding id = "key"')
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if binding_id not in KNOWN_IDS:
            known = ", ".join(sorted(KNOWN_IDS))
            raise KeymapError(f"unknown binding id '{binding_id}' (known: {known})")
        if not isinstance(keys, str) or not keys.strip():
            raise KeymapError(f"'{binding_id}' must be a key string such as \"ctrl+s\"")
        keymap[binding_id] = keys.strip()
    return keymap


def localize(node: object, lang: str) -> None:
    """Give the bindings of one widget or screen their descriptions in ``lang``.

    Binding descriptions are class-level in Textual; each instance holds its own copy of
    the bindings map, which is what is rewritten here (the Footer and F1 read it).
    """
    import dataclasses

    from releve.tui.i18n import binding_label

    bindings_map = getattr(node, "_bindings", None)
    if bindings_map is None:
        return
    for key, key_bindings in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [
            dataclasses.replace(b, description=binding_label(lang, b.id))
            if b.id in KNOWN_IDS
            else b
            for b in key_bindings
        ]
