"""The installed product: a wheel built from the tree, installed in a fresh venv, runs without the checkout."""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from support import IN_CI

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "artifacts",
}

pytestmark = pytest.mark.slow


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=600, check=False, **kwargs)


def _can_build_offline() -> bool:
    """setuptools can write a wheel without downloading anything (bdist_wheel available)."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        import setuptools

        major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    except (ImportError, ValueError):
        return False
    return (major, minor) >= (70, 1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel of the work tree, built from a copy (builds write build/ and egg-info)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=lambda d, names: [n for n in names if n in SKIP_DIRS or n.endswith(".egg-info")],
    )
    out = tmp / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)]
    if _can_build_offline():
        cmd.insert(4, "--no-build-isolation")
    result = _run(cmd)
    if result.returncode != 0:
        message = f"could not build the wheel:\n{result.stderr[-2000:]}"
        if IN_CI or _can_build_offline():
            pytest.fail(message)
        pytest.skip(message + "\n(no wheel package and no index to fetch the build backend)")
    (found,) = out.glob("releve-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed and nothing of the checkout on its path.

    The dependencies come from the environment running the tests (a .pth line adds its
    site-packages, whose own .pth files, like an editable install's finder, do not run),
    so nothing is downloaded."""
    folder = tmp_path_factory.mktemp("venv") / "v"
    result = _run(
        [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(folder)]
    )
    assert result.returncode == 0, result.stderr
    python = folder / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    target = Path(purelib.stdout.strip())
    deps = [
        p for p in {*site.getsitepackages(), sysconfig.get_paths()["purelib"]} if Path(p).is_dir()
    ]
    (target / "zz_test_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    result = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ]
    )
    assert result.returncode == 0, result.stderr
    return folder


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return {**env, "NO_COLOR": "1"}


def test_the_wheel_holds_the_template_the_samples_and_the_default_pack(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "releve/planner/template.toml" in names
    samples = sorted(p.name for p in (ROOT / "sample_missions").glob("*.toml"))
    assert samples and {f"releve/sample_missions/{s}" for s in samples} <= names
    packs = sorted(
        p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.toml")
    )
    assert packs and {f"releve/rules/{p}" for p in packs} <= names
    assert "releve/tui/app/app.tcss" in names
    assert not any(n.startswith("tests/") for n in names)


def test_the_wheel_installs_one_top_level_package_named_releve(wheel):
    """site-packages gets `releve` alone (plus its .dist-info), never generic names such as
    `rules` that clash with other packages."""
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"releve"}


def test_every_source_package_is_listed_in_the_wheel(wheel):
    """A new folder with an __init__.py must be added to pyproject's package list, or the
    installed command fails to import it."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in ROOT.glob("*/**/__init__.py"):
        top = init.relative_to(ROOT).parts[0]
        if top not in ("planner", "rules", "tui", "sample_missions"):
            continue
        assert f"releve/{init.relative_to(ROOT).as_posix()}" in names, init


def test_the_installed_command_runs_from_the_wheel_not_the_checkout(venv, tmp_path):
    releve = venv / "bin" / "releve"
    result = _run([str(releve), "--version"], cwd=tmp_path, env=_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("releve ")
    where = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import releve.planner, releve.tui; print(releve.planner.__file__); print(releve.tui.__file__)",
        ],
        cwd=tmp_path,
        env=_env(),
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert Path(line).is_relative_to(venv), line  # not /work/main: the wheel's copy


def test_releve_new_from_the_wheel_writes_a_plan_that_loads(venv, tmp_path):
    releve = venv / "bin" / "releve"
    result = _run([str(releve), "new", "x.toml"], cwd=tmp_path, env=_env())
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.toml").read_text(encoding="utf-8") == (
        ROOT / "planner" / "template.toml"
    ).read_text(encoding="utf-8")
    check = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from releve.planner.store import load; print(load('x.toml').plan.mission.id)",
        ],
        cwd=tmp_path,
        env=_env(),
    )
    assert check.returncode == 0 and check.stdout.strip(), check.stderr


def test_the_bundled_sample_is_readable_from_the_installed_package(venv, tmp_path):
    code = (
        "from importlib.resources import files\n"
        "from releve.planner.store import loads\n"
        "names = sorted(p.name for p in files('releve.sample_missions').iterdir() "
        "if p.name.endswith('.toml'))\n"
        "for n in names:\n"
        "    loads(files('releve.sample_missions').joinpath(n).read_text(encoding='utf-8'), n)\n"
        "print(' '.join(names))\n"
    )
    result = _run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(
        p.name for p in (ROOT / "sample_missions").glob("*.toml")
    )
