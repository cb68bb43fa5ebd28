"""The `releve` dispatcher: version and engine, the app's options, closed streams, the schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support import ROOT, SAMPLES


def releve(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "releve.tui.cli", *args],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kw,
    )


def test_version_names_the_engine_check_will_use():
    forced = releve("--version", env={"RELEVE_ENGINE": "python"})
    assert forced.returncode == 0 and "python evaluator" in forced.stdout
    from releve.rules.pipeline import engine_name

    default = releve("--version", env={"RELEVE_ENGINE": ""})
    expected = "durable_rules" if engine_name() == "durable_rules" else "python evaluator"
    assert expected in default.stdout


def test_bare_releve_without_a_terminal_says_so_instead_of_drawing_into_a_pipe():
    out = releve(stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "needs a terminal" in out.stderr
    out = releve("--lang", "en", stdin=subprocess.DEVNULL)
    assert out.returncode == 2 and "needs a terminal" in out.stderr


def test_closed_stdout_is_one_line_not_a_traceback():
    plan = str(SAMPLES / "atelier-durand.toml")
    proc = subprocess.run(
        [sys.executable, "-m", "releve.tui.cli", "check", plan, "--as-of", "2027-03-01"],
        check=False,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "standard output is closed" in proc.stderr


def test_a_reader_that_goes_away_is_not_an_error():
    # SARIF of every sample is larger than a pipe's buffer, so the writer meets EPIPE.
    plans = [str(p) for p in sorted(SAMPLES.glob("*.toml"))]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "releve.tui.cli",
            "check",
            *plans,
            "--as-of",
            "2027-03-01",
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert err == ""


def test_schema_pins_the_format_and_never_overwrites_a_plan(tmp_path):
    schema = json.loads(releve("schema").stdout)
    assert schema["properties"]["format"]["const"] == 1
    plan = tmp_path / "plan.toml"
    plan.write_text("format = 1\n", encoding="utf-8")
    out = releve("schema", "-o", str(plan))
    assert out.returncode == 2 and plan.read_text(encoding="utf-8") == "format = 1\n"
    assert out.stderr.startswith(f"{plan}: refusing")
    target = tmp_path / "plan.schema.json"
    assert releve("schema", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))["properties"]["format"]["const"] == 1
