"""The import direction of docs/internals.md, read from the source (AST), not from what
happens to be imported at run time:

    planner → rules → tui core → render / report / history → cli | app

planner imports nothing of ours above it, rules never imports tui, the tui core (releve.tui,
its top-level modules safe_text and interview, and the catalog package i18n) none of tui's sub-packages, the
output packages (every sub-package of tui but cli and app: render, report, history) never
the command line or the app, and the app never the command line (`releve edit` starts the
app, so cli may import app, never the other way). sample_missions is data: anyone may read
it, it imports nothing of ours.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Folder of the checkout -> the package name it is installed as.
FOLDERS = {
    "planner": "releve.planner",
    "rules": "releve.rules",
    "tui": "releve.tui",
    "sample_missions": "releve.sample_missions",
}

#: Layer -> the layers it may import (its own included). "output" is every sub-package of
#: tui but cli and app (render, report, history, and any new one).
ALLOWED: dict[str, set[str]] = {
    "sample_missions": {"sample_missions"},
    "planner": {"sample_missions", "planner"},
    "rules": {"sample_missions", "planner", "rules"},
    "tui": {"sample_missions", "planner", "rules", "tui"},
    "output": {"sample_missions", "planner", "rules", "tui", "output"},
    "app": {"sample_missions", "planner", "rules", "tui", "output", "app"},
    "cli": {"sample_missions", "planner", "rules", "tui", "output", "app", "cli"},
}


#: Sub-packages of tui that are its core, not outputs: the string catalog (its tables are
#: one module per language).
CORE_PACKAGES = {"i18n"}


def layer(module: str) -> str | None:
    """The layer of one of our modules (None for anything else)."""
    parts = module.split(".")
    if parts[0] != "releve" or len(parts) < 2:
        return None
    if parts[1] == "tui" and len(parts) > 2 and parts[2] in CORE_PACKAGES:
        return "tui"
    if parts[1] == "tui" and len(parts) > 2 and (ROOT / "tui" / parts[2]).is_dir():
        return parts[2] if parts[2] in ("cli", "app") else "output"
    return parts[1] if parts[1] in ALLOWED else None


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [FOLDERS[rel.parts[0]], *rel.parts[1:]]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _is_module(name: str) -> bool:
    """Whether a dotted name of ours is a module or package of the checkout."""
    parts = name.split(".")
    if parts[0] != "releve" or len(parts) < 2:
        return False
    top = next((f for f, pkg in FOLDERS.items() if pkg == ".".join(parts[:2])), None)
    if top is None:
        return False
    base = ROOT / top / Path(*parts[2:]) if len(parts) > 2 else ROOT / top
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(source: str, module: str, *, package: bool = False) -> list[tuple[int, str]]:
    """(line, module) for every import of the source, relative ones resolved, and the
    submodule named when `from package import submodule`; plus module names written as
    strings (`importlib.import_module("releve.tui.cli.check")`)."""
    here = module.split(".") if package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            subs = [f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}")]
            found += [(node.lineno, s) for s in subs] or [(node.lineno, target)]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("releve.")
            and _is_module(node.value)
        ):
            found.append((node.lineno, node.value))
    return found


def violations(path: Path, source: str) -> list[str]:
    module = module_name(path)
    own = layer(module)
    assert own is not None, module
    out = []
    for line, target in imports(source, module, package=is_package(path)):
        other = layer(target)
        if other is not None and other not in ALLOWED[own]:
            rel = path.relative_to(ROOT)
            out.append(f"{rel}:{line}: {own} imports {target} ({other})")
    return out


def sources() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def test_every_import_goes_the_documented_way():
    problems = [v for p in sources() for v in violations(p, p.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_every_source_file_is_in_a_layer():
    assert len(sources()) > 40  # the scan sees the tree
    assert {layer(module_name(p)) for p in sources()} == set(ALLOWED)


@pytest.mark.parametrize(
    ("path", "source", "bad"),
    [
        ("tui/app/app.py", "from releve.tui.cli.check import today\n", "cli"),
        ("tui/app/app.py", "from releve.tui.cli import check\n", "cli"),
        ("tui/app/app.py", "from ..cli import check\n", "cli"),
        ("tui/app/app.py", "importlib.import_module('releve.tui.cli.new')\n", "cli"),
        ("planner/store.py", "from releve.rules.result import Finding\n", "rules"),
        ("planner/store.py", "import releve.tui.i18n\n", "tui"),
        ("rules/facts.py", "from releve.tui import i18n\n", "tui"),
        (
            "rules/facts.py",
            "if TYPE_CHECKING:\n    from releve.tui.render import check\n",
            "output",
        ),
        ("tui/render/check.py", "from releve.tui.app.forms import x\n", "app"),
        ("tui/report/html.py", "from releve.tui.cli.report import run\n", "cli"),
        ("tui/i18n/__init__.py", "from releve.tui.report import strings\n", "output"),
        ("sample_missions/__init__.py", "from releve.planner import store\n", "planner"),
    ],
)
def test_an_import_against_the_direction_is_caught(path, source, bad):
    found = violations(ROOT / path, source)
    assert len(found) == 1 and found[0].endswith(f"({bad})"), found
    assert found[0].startswith(f"{path}:")


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("tui/cli/edit.py", "from releve.tui.app.app import ReleveApp\n"),  # cli starts the app
        ("tui/app/app.py", "from releve.tui.interview import Interview\n"),
        ("tui/report/html.py", "from releve.rules.result import Finding\n"),
        ("tui/history/labels.py", "from releve.tui.report import strings\n"),  # peers
        ("tui/app/app.py", "from releve import sample_missions\n"),
        ("rules/facts.py", "from releve.planner.model import Plan\nimport textual\n"),
    ],
)
def test_imports_the_right_way_pass(path, source):
    assert violations(ROOT / path, source) == []
