"""Run mypy on the installed package name `releve`.

The folders planner/, rules/, tui/ and sample_missions/ are installed as `releve.*` by a
setuptools package-dir mapping, which mypy cannot follow through an editable install. This
script builds a link tree (`<tmp>/releve/planner -> planner/`, ...) and runs mypy on it with
the configuration in pyproject.toml. Usage: `python tools/typecheck.py [mypy args...]`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("planner", "rules", "tui", "sample_missions")


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="releve-typecheck-") as tmp:
        pkg = Path(tmp) / "releve"
        pkg.mkdir()
        for name in FOLDERS:
            (pkg / name).symlink_to(ROOT / name, target_is_directory=True)
        env = {**os.environ, "MYPYPATH": tmp}
        cmd = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "-p",
            "releve",
            *argv,
        ]
        result = subprocess.run(cmd, env=env, cwd=tmp, check=False, capture_output=True, text=True)
        # Paths through the link tree (`releve/tui/app/app.py`) read as the checkout's own.
        for stream, text in ((sys.stdout, result.stdout), (sys.stderr, result.stderr)):
            for name in FOLDERS:
                text = text.replace(f"releve{os.sep}{name}{os.sep}", f"{name}{os.sep}")
            stream.write(text.replace(str(pkg) + os.sep, ""))
        return result.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
