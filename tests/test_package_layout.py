"""The installed name is `releve` alone: no module of ours imports the folders by their bare
names (`planner`, `rules`, `tui`, `sample_missions`), which would load a second copy of
every class from the checkout and clash with other packages (Django's `rules`)."""

import ast
import subprocess
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
