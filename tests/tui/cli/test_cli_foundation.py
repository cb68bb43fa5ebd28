"""The `releve` command as a user runs it (subprocess): --version, new, schema, and unreadable plans."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

from releve.planner import store

SAMPLES = sorted((ROOT / "sample_missions").glob("*.toml"))
TEMPLATE = ROOT / "planner" / "template.toml"


def releve(*args: str, cwd: Path | None = None, python_args: tuple[str, ...] = ()):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, *python_args, "-m", "releve.tui.cli", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line_error(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- --version ----------------------------------------------------------------------------


def test_version_prints_the_version():
    from releve.tui import __version__

    result = releve("--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"releve {__version__}")


def test_version_imports_neither_textual_nor_pydantic():
    result = releve("--version", python_args=("-X", "importtime"))
    assert result.returncode == 0
    imported = {
        ".".join(line.rsplit("|", 1)[-1].strip().split(".")[:2])
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "releve.tui" in imported  # the measure works: our own package shows up
    tops = {name.split(".")[0] for name in imported}
    assert not tops & {"textual", "pydantic", "pydantic_core", "tomlkit", "rich"}, imported


# --- releve new ---------------------------------------------------------------------------------


def test_new_writes_the_template_and_prints_next_steps(tmp_path):
    result = releve("new", "durand.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "durand.toml").read_text(encoding="utf-8")
    assert written == TEMPLATE.read_text(encoding="utf-8")
    assert store.load(tmp_path / "durand.toml").plan.mission.id
    assert "releve check durand.toml" in result.stdout
    assert "releve edit durand.toml" in result.stdout


def test_new_refuses_to_overwrite_an_existing_file(tmp_path):
    mine = tmp_path / "plan.toml"
    mine.write_text("# my work\n", encoding="utf-8")
    line = one_line_error(releve("new", "plan.toml", cwd=tmp_path))
    assert line.startswith("plan.toml: already exists")
    assert mine.read_text(encoding="utf-8") == "# my work\n"


def test_new_into_a_missing_folder_is_one_line_exit_2(tmp_path):
    line = one_line_error(releve("new", "nowhere/plan.toml", cwd=tmp_path))
    assert "nowhere/plan.toml" in line
    assert not (tmp_path / "nowhere").exists()


def test_template_is_read_from_the_package():
    from releve.tui.cli.new import template_text

    assert template_text() == TEMPLATE.read_text(encoding="utf-8")


# --- releve schema ------------------------------------------------------------------------------


def _json_ready(value):
    """TOML data as JSON sees it (dates become ISO strings), to validate with the schema."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def schema() -> dict:
    result = releve("schema")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_schema_is_a_valid_draft_2020_12_schema_with_a_title(schema):
    import jsonschema

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "releve" in schema["title"] and "format 1" in schema["title"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_table_and_key_has_a_description(schema):
    missing = [
        f"{name}.{key}"
        for name, definition in schema["$defs"].items()
        if "properties" in definition
        for key, prop in definition["properties"].items()
        if not prop.get("description")
    ]
    missing += [k for k, p in schema["properties"].items() if not p.get("description")]
    assert missing == []
    assert "null" not in json.dumps(schema)  # TOML has no null: optional means left out


def test_the_samples_and_the_template_follow_the_schema(schema):
    import tomllib

    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    assert SAMPLES
    for path in [*SAMPLES, TEMPLATE]:
        data = _json_ready(tomllib.loads(path.read_text(encoding="utf-8")))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["company"].update(nmae="x"),
        lambda d: d["governance"].update(reporting="daily"),
        lambda d: d["mission"].pop("start"),
        lambda d: d["person"][0].update(founder="yes"),
    ],
    ids=["unknown key", "unknown value", "missing start", "wrong type"],
)
def test_the_schema_refuses_what_the_loader_refuses(schema, mutate):
    import tomllib

    import jsonschema

    data = tomllib.loads(SAMPLES[0].read_text(encoding="utf-8"))
    mutate(data)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(_json_ready(data)))


def test_schema_output_file_is_the_printed_schema(tmp_path, schema):
    result = releve("schema", "-o", "plan.schema.json", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads((tmp_path / "plan.schema.json").read_text(encoding="utf-8")) == schema


# --- unreadable plans through the command -----------------------------------------------------------

M = '[mission]\nid = "m"\nstart = 2027-01-04\n'


@pytest.mark.parametrize(
    ("content", "line", "column", "words"),
    [
        (M + "title = \n", 4, 9, "TOML syntax"),
        (M + "[exit]\ntarget_date = 2027-02-30\n", 5, 15, "invalid date"),
        (M + '[company]\nheadcount = "12"\n', 5, 1, "must be an integer"),
        (M + '[governance]\nreporting = "daily"\n', 5, 1, "unknown value 'daily'"),
        (M + '[[person]]\nid = "a"\n[[person]]\nid = "a"\n', 7, 1, "duplicate person id"),
        ("format = 3\n" + M, 1, 1, "written by a newer releve"),
        (b"\xff\xfe\x00garbage", 1, 1, "not a UTF-8 text file"),
        ("", 1, 1, "empty file"),
        (M + "x = " + "[" * 3000 + "]" * 3000 + "\n", 4, 55, "nested more than 50"),
    ],
    ids=["syntax", "date", "type", "enum", "duplicate", "newer", "binary", "empty", "nesting"],
)
def test_an_unreadable_plan_is_one_located_line_and_exit_2(tmp_path, content, line, column, words):
    path = tmp_path / "bad.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = releve("check", "bad.toml", "--as-of", "2027-03-01", cwd=tmp_path)
    message = one_line_error(result)
    assert re.match(rf"^bad\.toml:{line}:{column}: ", message), message
    assert words in message


# --- what each command imports --------------------------------------------------------------

HEADLESS_COMMANDS = {
    "check": ["check", "--as-of", "2027-03-01"],
    "schedule": ["schedule", "--as-of", "2027-03-01"],
    "report": ["report", "--format", "markdown", "-o", "-", "--as-of", "2027-03-01"],
    "rules facts": ["rules", "facts", "--as-of", "2027-03-01"],
}


@pytest.mark.parametrize("command", sorted(HEADLESS_COMMANDS))
def test_headless_commands_never_import_the_terminal_ui(command):
    """check, schedule, report and rules run in CI on many plans: no Textual (nor Rich, nor
    holidays for a plan that names no other country than France) in their imports."""
    result = releve(*HEADLESS_COMMANDS[command], str(SAMPLES[0]), python_args=("-X", "importtime"))
    assert result.returncode in (0, 1), result.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "releve" in imported  # the measure works
    assert not imported & {"textual", "rich", "holidays"}, command
