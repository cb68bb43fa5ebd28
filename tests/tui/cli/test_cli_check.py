"""`releve check` end to end: formats parsed back, exit codes, broken plans, colour, imports."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import AS_OF, ROOT, SAMPLES, plan_naming_packs

from releve.tui.cli import main

# The shapes of the check outputs, shared with the renderer tests (tests/tui/render).
sys.path.insert(0, str(ROOT / "tests" / "tui" / "render"))
from check_formats import CLI_MD_SHAPE, SARIF, md_tables

DURAND = str(SAMPLES / "atelier-durand.toml")
NORTHWIND = str(SAMPLES / "northwind-distribution.toml")
VEGA = str(SAMPLES / "cabinet-vega.toml")
ASOF = ["--as-of", AS_OF.isoformat()]
ANSI = re.compile(r"\x1b\[[0-9;]*m")

BROKEN_TOML = """format = 1

[mission]
id = "broken"
start = 2027-01-04
title "no equals sign"
"""


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def json_plans(capsys, *args: str) -> tuple[int, list[dict], str]:
    code, out, err = check(capsys, "--format", "json", *ASOF, *args)
    data = json.loads(out)
    import jsonschema

    jsonschema.validate(data, CLI_MD_SHAPE)
    return code, data["plans"], err


def rules_of(plan: dict, *, waived: bool | None = None) -> set[str]:
    return {f["rule"] for f in plan["findings"] if waived is None or f["waived"] == waived}


# --- the samples, in every format --------------------------------------------------------


def test_json_of_the_samples_reports_their_deliberate_findings(capsys) -> None:
    code, plans, err = json_plans(capsys, "--fail-on", "never", DURAND, NORTHWIND)
    assert code == 0 and err == ""
    durand, northwind = plans
    assert durand["path"] == DURAND and durand["mission"] == "atelier-durand-2027"
    assert durand["as_of"] == "2027-03-01"
    assert durand["packs"][0] == "default"
    # documented at the top of sample_missions/atelier-durand.toml
    assert {"EXT001", "EXT002", "EXT003", "EXT006"} <= rules_of(durand, waived=False)
    assert "EXT003" in rules_of(durand, waived=True)
    ext001 = next(f for f in durand["findings"] if f["rule"] == "EXT001")
    assert ext001["severity"] == "error" and ext001["waived"] is False
    assert {"PLN004", "RLV001"} <= rules_of(northwind, waived=False)
    assert durand["counts"]["error"] == sum(
        1 for f in durand["findings"] if f["severity"] == "error" and not f["waived"]
    )
    assert 0 <= durand["score"]["overall"] < 100


def test_findings_that_point_into_the_plan_name_a_real_line(capsys) -> None:
    _, plans, _ = json_plans(capsys, "--fail-on", "never", DURAND)
    lines = Path(DURAND).read_text(encoding="utf-8").splitlines()
    located = [f for f in plans[0]["findings"] if f["line"] is not None]
    assert located, "no finding carries a line"
    for f in located:
        assert 1 <= f["line"] <= len(lines)


def test_sarif_of_the_samples_is_valid_sarif_2_1_0(capsys) -> None:
    code, out, _ = check(capsys, "--format", "sarif", *ASOF, DURAND, NORTHWIND, VEGA)
    log = json.loads(out)
    SARIF.validate(log)
    run = log["runs"][0]
    ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= ids
    assert {"GOV001", "EXT001", "PLN003"} <= ids  # the whole default pack is described
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris <= {DURAND, NORTHWIND, VEGA}
    ext001 = next(r for r in run["results"] if r["ruleId"] == "EXT001")
    assert ext001["level"] == "error"
    assert code == 1


def test_junit_of_the_samples_parses_and_matches_the_exit_code(capsys) -> None:
    for fail_on in ("error", "warning", "never"):
        code, out, _ = check(
            capsys, "--format", "junit", "--fail-on", fail_on, *ASOF, DURAND, NORTHWIND
        )
        root = ET.fromstring(out)
        assert [s.get("name") for s in root.findall("testsuite")] == [DURAND, NORTHWIND]
        assert (int(root.get("failures")) > 0) == (code == 1)


def test_markdown_of_the_samples_parses_back(capsys) -> None:
    _, out, _ = check(
        capsys, "--format", "markdown", "--fail-on", "never", "--lang", "en", *ASOF, DURAND
    )
    _, plans, _ = json_plans(capsys, "--fail-on", "never", "--lang", "en", DURAND)
    tables = md_tables(out)
    finding_rows = next(t for t in tables if t[0][:2] == ["severity", "rule"])[1:]
    active = [f for f in plans[0]["findings"] if not f["waived"]]
    assert [r[1] for r in finding_rows] == [f["rule"] for f in active]
    assert [r[3] for r in finding_rows] == [" ".join(f["message"].split()) for f in active]


def test_text_shows_code_message_place_fix_score_and_summary(capsys) -> None:
    code, out, err = check(capsys, *ASOF, "--lang", "en", DURAND)
    assert code == 1 and err == ""
    assert "\x1b[" not in out  # not a terminal: no colour
    assert re.search(
        r"^  EXT001 excessive-founder-dependence  .*atelier-durand\.toml", out, re.MULTILINE
    )
    assert "\nerror (" in out and "\nwarning (" in out
    assert out.index("\nerror (") < out.index("\nwarning (")
    assert re.search(r"^Readiness \d+/100", out, re.MULTILINE)
    assert re.search(
        r"atelier-durand\.toml: \d+ errors?, \d+ warnings?, .* — fails --fail-on "
        r"error$",
        out.rstrip(),
        re.MULTILINE,
    )


def test_lang_switches_the_messages(capsys) -> None:
    _, en, _ = json_plans(capsys, "--lang", "en", "--fail-on", "never", DURAND)
    _, fr, _ = json_plans(capsys, "--lang", "fr", "--fail-on", "never", DURAND)
    assert [f["rule"] for f in en[0]["findings"]] == [f["rule"] for f in fr[0]["findings"]]
    assert [f["message"] for f in en[0]["findings"]] != [f["message"] for f in fr[0]["findings"]]
    _, text, _ = check(capsys, *ASOF, "--lang", "fr", DURAND)
    assert "erreur (" in text and "Préparation" in text


# --- exit codes ---------------------------------------------------------------------------


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_exit_code_follows_fail_on(capsys, fail_on: str) -> None:
    code, plans, _ = json_plans(capsys, "--fail-on", fail_on, DURAND, NORTHWIND, VEGA)
    rank = {"error": 3, "warning": 2, "info": 1, "never": 99}[fail_on]
    sev = {"error": 3, "warning": 2, "info": 1}
    failing = [
        f for p in plans for f in p["findings"] if not f["waived"] and sev[f["severity"]] >= rank
    ]
    assert code == (1 if failing else 0)


def test_a_plan_with_warnings_only_passes_at_error_and_fails_at_warning(capsys) -> None:
    # Northwind is clean but for two deliberate warnings (see the top of the file).
    _, plans, _ = json_plans(capsys, "--fail-on", "never", NORTHWIND)
    assert plans[0]["counts"]["error"] == 0 and plans[0]["counts"]["warning"] >= 1
    assert check(capsys, *ASOF, NORTHWIND)[0] == 0
    assert check(capsys, *ASOF, "--fail-on", "warning", NORTHWIND)[0] == 1
    assert check(capsys, *ASOF, "--fail-on", "info", NORTHWIND)[0] == 1
    assert check(capsys, *ASOF, "--fail-on", "never", NORTHWIND)[0] == 0


def test_a_bare_plan_fails_with_errors(write, capsys) -> None:
    bare = write("bare.toml", 'format = 1\n[mission]\nid = "bare"\nstart = 2027-01-04\n')
    code, plans, _ = json_plans(capsys, str(bare))
    assert code == 1
    assert {"GOV001", "SCO001", "TRF004"} <= rules_of(plans[0])
    assert check(capsys, *ASOF, "--fail-on", "never", str(bare))[0] == 0


# --- several plans, some broken ------------------------------------------------------------


def test_one_unreadable_plan_does_not_stop_the_others(write, capsys, tmp_path: Path) -> None:
    broken = write("broken.toml", BROKEN_TOML)
    missing = tmp_path / "missing.toml"
    code, plans, err = json_plans(
        capsys, "--fail-on", "never", DURAND, str(broken), str(missing), NORTHWIND
    )
    assert code == 2
    assert [p["path"] for p in plans] == [DURAND, str(broken), str(missing), NORTHWIND]
    assert "findings" in plans[0] and "findings" in plans[3]
    bad = plans[1]["error"]
    assert bad["line"] == 6 and isinstance(bad["column"], int) and bad["message"]
    assert plans[2]["error"]["line"] is None
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{broken}:6:")
    assert lines[1].startswith(f"{missing}: ")
    assert "Traceback" not in err


def test_a_pack_named_by_one_plan_fails_that_plan_only(write, capsys, tmp_path: Path) -> None:
    text = Path(NORTHWIND).read_text(encoding="utf-8")
    assert "\npacks = []" in text
    own = write("own.toml", text.replace("\npacks = []", '\npacks = ["firm.toml"]'))
    (tmp_path / "firm.toml").write_text(
        '[pack]\nid = "firm"\n[rules.NOPE999]\nweight = 1\n', encoding="utf-8"
    )
    code, plans, err = json_plans(capsys, "--fail-on", "never", str(own), NORTHWIND)
    assert code == 2
    assert plans[0]["error"]["file"] == str(tmp_path / "firm.toml")
    assert plans[0]["error"]["message"].startswith("rule NOPE999")
    assert "findings" in plans[1]
    assert err.startswith(str(tmp_path / "firm.toml")) and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["text", "sarif", "junit", "markdown"])
def test_a_broken_plan_exits_2_in_every_format(write, capsys, fmt: str) -> None:
    broken = write("broken.toml", BROKEN_TOML)
    code, out, err = check(capsys, "--format", fmt, *ASOF, NORTHWIND, str(broken))
    assert code == 2
    assert err.startswith(f"{broken}:6:")
    assert "northwind" in out
    if fmt == "sarif":
        SARIF.validate(json.loads(out))
    if fmt == "junit":
        assert ET.fromstring(out).get("errors") == "1"


def test_a_folder_is_refused_with_one_line(capsys, tmp_path: Path) -> None:
    code, _, err = check(capsys, *ASOF, str(tmp_path))
    assert (
        code == 2 and err.strip() == f"{tmp_path}: is a folder; name the plan files (folder/*.toml)"
    )


# --- command line -----------------------------------------------------------------------


def test_a_wrong_date_is_one_line_and_exit_2(capsys) -> None:
    code, out, err = check(capsys, "--as-of", "2027-13-01", DURAND)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "2027-13-01" in err


def test_without_as_of_the_check_date_is_today(capsys) -> None:
    before = dt.date.today()
    code, out, _ = check(capsys, "--format", "json", "--fail-on", "never", NORTHWIND)
    assert json.loads(out)["plans"][0]["as_of"] in {before.isoformat(), dt.date.today().isoformat()}
    assert code == 0


def test_a_bad_pack_file_is_one_located_line_and_exit_2(capsys, tmp_path: Path) -> None:
    pack = tmp_path / "firm.toml"
    pack.write_text(
        '[pack]\nid = "firm"\n\n[rules.NOPE999]\nseverity = "error"\n', encoding="utf-8"
    )
    code, out, err = check(capsys, *ASOF, "--pack", str(pack), DURAND)
    assert code == 2 and out == ""
    assert err.startswith(str(pack)) and "NOPE999" in err
    assert len(err.strip().splitlines()) == 1


def test_a_pack_can_switch_a_rule_off_and_change_a_severity(capsys, tmp_path: Path) -> None:
    pack = tmp_path / "firm.toml"
    pack.write_text(
        '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\nextends = ["default"]\n'
        '[select]\nexclude = ["EXT001"]\n[rules.EXT002]\nseverity = "error"\n',
        encoding="utf-8",
    )
    _, plans, _ = json_plans(capsys, "--pack", str(pack), "--fail-on", "never", DURAND)
    assert plans[0]["packs"][-1] == "firm"
    assert "EXT001" not in rules_of(plans[0])
    assert {f["severity"] for f in plans[0]["findings"] if f["rule"] == "EXT002"} == {"error"}


# --- terminal, colour, imports -------------------------------------------------------------


def _run_on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run `releve check` with a pseudo-terminal as stdout; return what it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "releve.tui.cli", "check", *args],
        cwd=ROOT,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    proc.wait(timeout=60)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    env = {k: "" for k in ("NO_COLOR",)}
    env["TERM"] = "xterm-256color"
    coloured = _run_on_a_terminal(*ASOF, DURAND, env=env)
    assert "\x1b[1;31m" in coloured
    plain = _run_on_a_terminal(*ASOF, DURAND, env={**env, "NO_COLOR": "1"})
    assert "EXT001" in plain and "\x1b[" not in plain
    assert ANSI.sub("", coloured) == plain


def test_check_never_imports_textual() -> None:
    code = (
        "import sys; from tui.cli import main; "
        f"rc = main(['check', '--as-of', '{AS_OF}', '--format', 'sarif', {DURAND!r}]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "text", ["20270301", "2027-W09-1", "2027-03-01T00:00", "2027-3-1", "２０２７-０３-０１"]
)
def test_as_of_must_be_written_yyyy_mm_dd(capsys, text: str) -> None:
    code, out, err = check(capsys, "--as-of", text, DURAND)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "YYYY-MM-DD" in err and text in err


def hostile_durand(tmp_path: Path, **replace: str) -> str:
    text = Path(DURAND).read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def test_control_characters_in_the_plan_never_reach_the_terminal(capsys, tmp_path: Path) -> None:
    # Legal TOML: a waiver's reason and owner holding an OSC "set title" and a clear screen.
    path = hostile_durand(
        tmp_path,
        **{
            '"Procédure en cours de rédaction avec l\'expert-comptable"': r'"Procédure\u001b]0;pwned\u0007 \u001b[2J\r\u009b"',
            '"Claire Martin"': r'"Claire\u0008\u007f Martin"',
        },
    )
    code, out, err = check(capsys, *ASOF, "--lang", "en", path)
    assert code == 1 and "Traceback" not in err
    assert not RAW_CONTROL.search(out) and "\x1b" not in out
    assert "Procédure␛]0;pwned␇ ␛[2J␍\ufffd" in out and "Claire␈␡ Martin" in out


def test_a_mission_in_year_9999_is_checked_without_a_traceback(capsys, tmp_path: Path) -> None:
    for start, target in (("9999-12-31", "2027-10-01"), ("2027-01-04", "9999-12-31")):
        path = hostile_durand(
            tmp_path,
            **{
                "start = 2027-01-04": f"start = {start}",
                "target_date = 2027-10-01": f"target_date = {target}",
            },
        )
        for fmt in ("text", "json", "sarif", "junit", "markdown"):
            code, out, err = check(capsys, *ASOF, "--format", fmt, path)
            assert code == 1 and err == "" and out, (start, fmt)


# --- a score a buyer can trust (issue 16) ----------------------------------------------------


def packs_line(plan: Path) -> int:
    return next(
        i for i, line in enumerate(plan.read_text().splitlines(), 1) if line.startswith("packs =")
    )


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`releve ARGS` in a child process, bounded in time: a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "releve.tui.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_a_pack_excluding_every_rule_with_an_empty_prefix_is_refused(capsys, tmp_path) -> None:
    (tmp_path / "evil.toml").write_text('[pack]\nid = "evil"\n[select]\nexclude = [""]\n')
    plan = plan_naming_packs(tmp_path, '["evil.toml"]', "durand.toml")
    code, out, err = check(capsys, str(plan), *ASOF)
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"{tmp_path / 'evil.toml'}:4:") and "would match every rule" in line


@pytest.mark.parametrize(
    "name",
    [
        "/dev/zero",
        "/proc/self/fd/0",
        "../../../../../../../../etc/passwd",
        "/etc/shadow",
        "/proc/self/environ",
        "/etc/no-such-file-at-all",
    ],
)
def test_a_plan_may_not_name_a_pack_outside_its_folder_or_repository(capsys, tmp_path, name):
    plan = plan_naming_packs(tmp_path / "missions", f'["{name}"]', "durand.toml")
    code, out, err = check(capsys, str(plan), *ASOF)
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    # Located at the plan's own line, and the same words whether the file exists or not.
    assert line.startswith(f"{plan}:{packs_line(plan)}:")
    assert line.endswith(
        f"pack '{name}': a plan may only name packs in its own folder or its git repository "
        "(allow another folder with --pack-path DIR or RELEVE_PACK_PATH)"
    )


def test_a_symlink_beside_the_plan_to_a_file_outside_is_refused(capsys, tmp_path) -> None:
    (tmp_path / "missions").mkdir()
    (tmp_path / "missions" / "firm.toml").symlink_to("/etc/passwd")
    plan = plan_naming_packs(tmp_path / "missions", '["firm.toml"]', "durand.toml")
    code, _, err = check(capsys, str(plan), *ASOF)
    assert code == 2 and "a plan may only name packs in its own folder" in err


def test_a_named_pipe_as_a_pack_is_refused_without_hanging(tmp_path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    plan = plan_naming_packs(tmp_path, '["pipe.toml"]', "durand.toml")
    result = run_cli("check", str(plan), *ASOF)  # would block forever on open/read
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().endswith(
        "pack 'pipe.toml': not a regular file (a pack is a TOML text file)"
    )


def test_a_pack_larger_than_the_limit_is_refused_before_it_is_read(capsys, tmp_path) -> None:
    from releve.rules.packs import MAX_PACK_BYTES

    with open(tmp_path / "huge.toml", "wb") as f:
        f.truncate(MAX_PACK_BYTES + 1)  # sparse: nothing is written, nothing need be read
    plan = plan_naming_packs(tmp_path, '["huge.toml"]', "durand.toml")
    code, _, err = check(capsys, str(plan), *ASOF)
    assert code == 2 and "a pack may be at most 2 MB" in err


def test_pack_option_to_a_device_is_refused_at_once(tmp_path) -> None:
    result = run_cli("check", DURAND, *ASOF, "--pack", "/dev/zero")
    assert result.returncode == 2
    assert result.stderr == "/dev/zero: not a regular file (a pack is a TOML text file)\n"


def test_packs_in_the_git_repository_or_an_allowed_folder_are_used(capsys, tmp_path) -> None:
    firm = '[pack]\nid = "firm"\n[select]\nexclude = ["SIG003"]\n'
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "packs").mkdir()
    (tmp_path / "repo" / "packs" / "firm.toml").write_text(firm)
    plan = plan_naming_packs(
        tmp_path / "repo" / "missions", '["../packs/firm.toml"]', "durand.toml"
    )
    code, plans, err = json_plans(capsys, str(plan), "--fail-on", "never")
    assert code == 0 and plans[0]["packs"] == ["default", "firm"], err
    # Outside the repository: only with --pack-path (or RELEVE_PACK_PATH).
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "firm.toml").write_text(firm)
    plan = plan_naming_packs(tmp_path / "alone", '["../shared/firm.toml"]', "durand.toml")
    assert check(capsys, str(plan), *ASOF)[0] == 2
    code, plans, _ = json_plans(capsys, str(plan), "--pack-path", str(tmp_path / "shared"))
    assert plans[0]["packs"] == ["default", "firm"]
    os.environ["RELEVE_PACK_PATH"] = str(tmp_path / "shared")
    try:
        code, plans, _ = json_plans(capsys, str(plan))
    finally:
        del os.environ["RELEVE_PACK_PATH"]
    assert plans[0]["packs"] == ["default", "firm"]


WEAKENING = """[pack]
id = "lenient"
[select]
exclude = ["EXT001", "SIG"]
[rules.EXT003]
severity = "info"
weight = 0.5
params = { min_level = 1 }
"""


def test_what_ran_shows_every_rule_switched_off_or_weakened_in_every_format(
    capsys, tmp_path
) -> None:
    (tmp_path / "lenient.toml").write_text(WEAKENING)
    plan = plan_naming_packs(tmp_path, '["lenient.toml"]', "durand.toml")
    code, plans, _ = json_plans(capsys, str(plan), "--fail-on", "never")
    ran = plans[0]["ran"]
    got = {(c["rule"], c["what"], c["pack"]) for c in ran["changes"]}
    assert got == {
        ("EXT001", "excluded", "lenient"),
        ("SIG001", "excluded", "lenient"),
        ("SIG002", "excluded", "lenient"),
        ("SIG003", "excluded", "lenient"),
        ("SIG004", "excluded", "lenient"),
        ("EXT003", "severity", "lenient"),
        ("EXT003", "weight", "lenient"),
        ("EXT003", "params.min_level", "lenient"),
    }
    assert ran["default_in_force"] == ran["default_rules"] - 5
    assert [len(p["digest"]) for p in ran["packs"]] == [64, 64]
    _, text, _ = check(capsys, str(plan), *ASOF, "--lang", "en", "--fail-on", "never")
    assert "EXT001 excessive-founder-dependence switched off by lenient" in text
    assert "EXT003 undocumented-critical-process: severity warning → info by lenient" in text
    assert "EXT003 undocumented-critical-process: min_level 3 → 1 by lenient" in text
    for fmt in ("markdown", "junit", "sarif"):
        _, out, _ = check(capsys, str(plan), *ASOF, "--lang", "en", "--format", fmt)
        assert "EXT001" in out and "switched off by lenient" in out or fmt == "sarif", fmt
        if fmt == "sarif":
            props = json.loads(out)["runs"][0]["properties"]["plans"][0]["ran"]
            assert {c["rule"] for c in props["changes"]} >= {"EXT001", "EXT003"}


def test_with_no_rule_in_force_there_is_no_score_never_100(capsys, tmp_path) -> None:
    from releve.rules.packs import load_pack_set

    # Each prefix switches a few off; together they switch off every rule.
    codes = sorted({r.code[:3] for r in load_pack_set().rules})
    (tmp_path / "off.toml").write_text(
        f'[pack]\nid = "off"\n[select]\nexclude = {json.dumps(codes)}\n'
    )
    plan = plan_naming_packs(tmp_path, '["off.toml"]', "durand.toml")
    code, plans, _ = json_plans(capsys, str(plan))
    assert plans[0]["score"]["overall"] is None and plans[0]["findings"] == []
    _, text, _ = check(capsys, str(plan), *ASOF, "--lang", "fr")
    assert "Préparation non évaluée" in text and "100/100" not in text
    _, md, _ = check(capsys, str(plan), *ASOF, "--lang", "en", "--format", "markdown")
    assert "Readiness not assessed" in md and "100/100" not in md


def test_the_buyers_view_ignores_the_plans_packs_and_its_waivers(capsys, tmp_path) -> None:
    (tmp_path / "lenient.toml").write_text(WEAKENING)
    plan = plan_naming_packs(tmp_path, '["lenient.toml"]', "durand.toml")
    _, seller, _ = json_plans(capsys, str(plan), "--fail-on", "never")
    _, buyer, _ = json_plans(capsys, str(plan), "--packs-only", "--fail-on", "never")
    assert buyer[0]["packs"] == ["default"] and buyer[0]["ran"]["view"] == "packs-only"
    assert "EXT001" in rules_of(buyer[0]) and "EXT001" not in rules_of(seller[0])
    # Vega waives its only EXT004 finding: in the buyer's view it costs its points again
    # (and is still shown waived).
    _, plain, _ = json_plans(capsys, VEGA, "--fail-on", "never")
    _, bought, _ = json_plans(capsys, VEGA, "--packs-only", "--fail-on", "never")
    assert plain[0]["counts"]["waived"] == bought[0]["counts"]["waived"] == 1
    lost = next(c["points"] for c in bought[0]["score"]["costs"] if c["rule"] == "EXT004")
    assert "EXT004" not in {c["rule"] for c in plain[0]["score"]["costs"]}
    assert bought[0]["score"]["overall"] == round(plain[0]["score"]["overall"] - lost)
    _, text, _ = check(capsys, str(plan), *ASOF, "--packs-only", "--lang", "en")
    assert "view: packs given only" in text


# --- releve verify ------------------------------------------------------------------------


def verify(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["verify", *args, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_verify_an_untouched_report_says_same_score(capsys, tmp_path, fmt) -> None:
    (tmp_path / "lenient.toml").write_text(WEAKENING)
    plan = plan_naming_packs(tmp_path, '["lenient.toml"]', "durand.toml")
    report = tmp_path / f"report.{fmt}"
    assert main(["report", str(plan), *ASOF, "--format", fmt, "-o", str(report)]) == 0
    capsys.readouterr()
    code, out, _ = verify(capsys, str(report), str(plan))
    assert code == 0 and out.startswith("same score: readiness ")
    assert "lenient" in out


def test_verify_names_what_changed(capsys, tmp_path) -> None:
    (tmp_path / "lenient.toml").write_text(WEAKENING)
    plan = plan_naming_packs(tmp_path, '["lenient.toml"]', "durand.toml")
    report = tmp_path / "report.html"
    assert main(["report", str(plan), *ASOF, "-o", str(report)]) == 0
    capsys.readouterr()
    original = report.read_text()
    # The pack is edited: a rule comes back on.
    (tmp_path / "lenient.toml").write_text(WEAKENING.replace('"EXT001", ', ""))
    code, out, _ = verify(capsys, str(report), str(plan))
    assert code == 1
    assert out.splitlines()[0].startswith("pack changed: lenient had digest ")
    assert "figures differ: readiness" in out and "plan changed" not in out
    (tmp_path / "lenient.toml").write_text(WEAKENING)
    # The plan is edited (a comment only: same figures, another plan).
    plan.write_text(plan.read_text() + "\n# edited\n")
    code, out, _ = verify(capsys, str(report), str(plan))
    assert code == 1 and out.startswith("plan changed: its digest was ")
    assert "figures differ" not in out
    plan.write_text(plan.read_text().removesuffix("\n# edited\n"))
    assert verify(capsys, str(report), str(plan))[0] == 0
    # The figures on the page are edited.
    m = re.search(r'data-score="(\d+)"', original)
    assert m
    forged = original.replace(f'data-score="{m.group(1)}"', 'data-score="99"')
    report.write_text(forged)
    code, out, _ = verify(capsys, str(report), str(plan))
    assert code == 1 and 'the page shows \u201c<figure data-score="99">\u201d' in out
    # Another version of releve made it.
    report.write_text(
        original.replace("&quot;releve&quot;: &quot;", "&quot;releve&quot;: &quot;0.0.1-")
    )
    code, out, _ = verify(capsys, str(report), str(plan))
    assert code == 1 and "version changed: the report was made by releve 0.0.1-" in out


def test_verify_of_a_file_that_is_no_report_is_one_line_exit_2(capsys, tmp_path) -> None:
    (tmp_path / "x.html").write_text("<html></html>")
    code, out, err = verify(capsys, str(tmp_path / "x.html"), DURAND)
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "no provenance" in err
    code, _, err = verify(capsys, "/dev/zero", DURAND)
    assert code == 2 and "not a report file" in err


def _default_rules():
    from releve.rules.packs import load_pack_set

    return load_pack_set().rules


@pytest.fixture(scope="module")
def durand_loaded():
    from releve.planner.store import load

    return load(DURAND)


_RULES = _default_rules()
_NUMERIC = [(r.code, p, v) for r in _RULES for p, v in r.params.items() if type(v) is int]


@st.composite
def firm_packs(draw):
    codes = [r.code for r in _RULES]
    excluded = draw(st.sets(st.sampled_from(codes), max_size=6))
    kept = [r for r in _RULES if r.code not in excluded]
    lowered = draw(
        st.sets(st.sampled_from([r.code for r in kept if r.severity.rank > 1]), max_size=4)
    )
    reweighted = draw(st.sets(st.sampled_from([r.code for r in kept]), max_size=4))
    params = draw(
        st.sets(st.sampled_from([x for x in _NUMERIC if x[0] not in excluded]), max_size=3)
    )
    lines = ["[pack]", 'id = "random-firm"']
    if excluded:
        lines += ["[select]", f"exclude = {json.dumps(sorted(excluded))}"]
    tables: dict[str, list[str]] = {}
    by_code = {r.code: r for r in _RULES}
    for c in lowered:
        tables.setdefault(c, []).append('severity = "info"')
    for c in reweighted:
        tables.setdefault(c, []).append(f"weight = {by_code[c].weight + 1:g}")
    for c, p, v in params:
        tables.setdefault(c, []).append(f"params.{p} = {v + 7}")
    for c, body in tables.items():
        lines += [f"[rules.{c}]", *body]
    expected = {(c, "excluded") for c in excluded}
    expected |= {(c, "severity") for c in lowered}
    expected |= {(c, "weight") for c in reweighted}
    expected |= {(c, f"params.{p}") for c, p, _ in params}
    return "\n".join(lines) + "\n", expected


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pack=firm_packs())
def test_every_rule_a_firm_pack_switches_off_or_weakens_is_shown_as_run(
    tmp_path_factory, durand_loaded, pack
) -> None:
    from releve.rules.packs import load_pack_set
    from releve.rules.pipeline import check_plan
    from releve.tui.render.check import outcome_dict, ran_labels, render_text
    from releve.tui.report import Report

    text, expected = pack
    folder = tmp_path_factory.mktemp("firm")
    (folder / "firm.toml").write_text(text)
    ps = load_pack_set(extra=(folder / "firm.toml",))
    result = check_plan(
        durand_loaded.plan,
        as_of=AS_OF,
        path=DURAND,
        text=durand_loaded.text,
        pack_set=ps,
        lang="en",
    )
    shown = {(c["rule"], c["what"]) for c in outcome_dict(result)["ran"]["changes"]}
    assert expected <= shown
    out = render_text([result], lang="en")
    report = "\n".join(Report(result, "en").ran_lines())
    labels = ran_labels("en")
    for code, what in expected:
        change = next(c for c in result.ran.changes if (c.rule, c.what) == (code, what))
        from releve.tui.render.check import change_text

        line = change_text(change, labels)
        assert line in out and line in report, line
