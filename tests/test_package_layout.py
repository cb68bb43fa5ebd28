"""The installed name is `releve` alone: no module of ours imports the folders by their bare
names (`planner`, `rules`, `tui`, `sample_missions`), which would load a second copy of
every class from the checkout and clash with other packages (Django's `rules`)."""

import ast
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = {"planner", "rules", "tui", "sample_missions"}


def _python_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / p for p in out]


def test_no_module_imports_a_folder_by_its_bare_name():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in BARE:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert not offenders, "\n".join(offenders)


def test_releve_modules_load_from_the_folders_of_the_checkout():
    import releve.planner.model
    import releve.tui.cli

    assert Path(releve.planner.model.__file__).resolve() == ROOT / "planner" / "model.py"
    assert Path(releve.tui.cli.__file__).resolve() == ROOT / "tui" / "cli" / "__init__.py"


# --- the tests mirror the source tree -------------------------------------------------------

TESTS = ROOT / "tests"
#: Test folders that cut across the packages: journeys end to end, and history (a plan's git
#: log read by the CLI, the app and the report alike).
CROSS_CUTTING_FOLDERS = {"e2e", "history"}
#: Top-level test modules that cut across the packages.
CROSS_CUTTING_FILES = {
    "test_check_score.py",
    "test_i18n.py",
    "test_layers.py",
    "test_package_layout.py",
    "test_readme.py",
    "test_samples.py",
    "test_wheel.py",
}
#: Test folders named after a package but not (yet) at its path: tests/report holds the tests
#: of tui/report/ (a move to tests/tui/report/ is still to be made).
ALIASES = {"report": "tui/report"}


def _source_packages() -> set[str]:
    """The folders of the checkout that the wheel installs as packages, as paths from the root
    (`tui/cli` for `releve.tui.cli`), read from pyproject.toml's package-dir mapping."""
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    folders = set()
    for package in setup["packages"]:
        for name, folder in setup["package-dir"].items():
            if package == name or package.startswith(name + "."):
                folders.add(folder + package[len(name) :].replace(".", "/"))
    return folders


def test_the_source_packages_are_read_from_pyproject():
    packages = _source_packages()
    assert {"planner", "rules/packs", "tui/cli", "tui/render", "tui/app"} <= packages
    assert all((ROOT / p / "__init__.py").is_file() for p in packages), packages
    assert all(target in packages for target in ALIASES.values())


def test_every_test_module_sits_in_a_folder_mirroring_a_source_package():
    packages = _source_packages()
    misplaced = []
    for path in sorted(TESTS.rglob("test_*.py")):
        rel = path.relative_to(TESTS)
        folder = rel.parent.as_posix()
        if "__snapshots__" in rel.parts or rel.parts[0] in CROSS_CUTTING_FOLDERS:
            continue
        if folder == ".":
            if rel.name not in CROSS_CUTTING_FILES:
                misplaced.append(f"tests/{rel}: a top-level test module that is not cross-cutting")
        elif ALIASES.get(folder, folder) not in packages:
            misplaced.append(f"tests/{rel}: tests/{folder} mirrors no package of the source")
    assert not misplaced, "\n".join(misplaced)


def test_every_snapshot_folder_belongs_to_a_test_module_beside_it():
    """pytest-textual-snapshot names a snapshot folder after its test module: a module moved
    without its folder leaves the folder behind and the test writes new snapshots."""
    orphans = [
        f"{folder.relative_to(ROOT)} (no {folder.parent.parent.relative_to(ROOT)}/{folder.name}.py)"
        for snapshots in TESTS.rglob("__snapshots__")
        for folder in snapshots.iterdir()
        if folder.is_dir() and not (snapshots.parent / f"{folder.name}.py").is_file()
    ]
    assert not orphans, "\n".join(orphans)


#: What a newcomer reads in one sitting (issue 12): no class over ~400 lines, no module over
#: ~700. Generated files (their first line says so) are data, not reading.
CLASS_LINES, MODULE_LINES = 400, 700


def test_no_room_outgrows_a_reading() -> None:
    too_big = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] not in ("planner", "rules", "tui", "sample_missions"):
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith('"""GENERATED'):
            continue
        if (n := text.count("\n")) > MODULE_LINES:
            too_big.append(f"{rel}: module of {n} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > CLASS_LINES:
                    too_big.append(f"{rel}:{node.lineno}: class {node.name} of {lines} lines")
    assert not too_big, too_big
