"""The check renderers: every format parsed back (SARIF against the official 2.1.0 schema)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from check_formats import CLI_MD_SHAPE, DATA, SARIF, md_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releve.planner.model import MissionInfo, Plan
from releve.planner.schedule import Schedule
from releve.rules.result import CheckResult, Finding, RuleCost, Score, Severity
from releve.tui.render.check import (
    FAIL_ON,
    PlanFailure,
    RuleMeta,
    exit_code,
    md_escape,
    render_json,
    render_junit,
    render_markdown,
    render_sarif,
    render_text,
)
from releve.tui.safe_text import show_format, visible

AS_OF = dt.date(2027, 3, 1)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def finding(
    rule: str,
    severity: str,
    *,
    line: int | None = 10,
    waived: bool = False,
    target: str = "governance",
    message: str | None = None,
    fix: str | None = None,
    pillar: str = "governance",
) -> Finding:
    return Finding(
        rule=rule,
        name=f"name-of-{rule.lower()}",
        severity=Severity(severity),
        pillar=pillar,
        title=f"Title of {rule}",
        message=message if message is not None else f"Message of {rule} about {target}",
        fix=fix if fix is not None else f"Fix {rule} now",
        target=target,
        path="governance.reports_to",
        line=line,
        waived=waived,
        waiver_reason="accepted by the buyer" if waived else None,
        waiver_owner="Claire Martin" if waived else None,
        waiver_expires=dt.date(2027, 6, 30) if waived else None,
    )


def result(
    findings: list[Finding],
    *,
    path: str | None = "missions/durand.toml",
    mission: str = "durand-2027",
    overall: int = 72,
) -> CheckResult:
    sev = {"error": 0, "warning": 1, "info": 2}
    ordered = tuple(sorted(findings, key=lambda f: (sev[f.severity.value], f.rule, f.target)))
    plan = Plan(mission=MissionInfo(id=mission, start=dt.date(2027, 1, 4)))
    return CheckResult(
        plan=plan,
        path=path,
        as_of=AS_OF,
        lang="en",
        packs=("default", "relais-conseil"),
        schedule=Schedule(start=dt.date(2027, 1, 4), phases={}),
        findings=ordered,
        score=Score(
            overall=overall,
            pillars={"governance": 90, "transfer": 50},
            costs=(RuleCost("GOV001", "undefined-reporting-line", "governance", 3, 8.5),),
        ),
    )


MIXED = result(
    [
        finding("GOV001", "error", line=42),
        finding("GOV005", "warning", line=None, target="governance"),
        finding("EXT003", "warning", line=88, waived=True, target="process:purchasing"),
        finding("EXT006", "info", line=None, target="metrics"),
    ]
)
BROKEN = PlanFailure(
    path="missions/broken.toml", message="expected '=' after a key", line=3, column=7
)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
FINDINGS = st.lists(
    st.builds(
        finding,
        rule=st.sampled_from(["GOV001", "PLN003", "EXT004", "RC101"]),
        severity=st.sampled_from(["error", "warning", "info"]),
        line=st.none() | st.integers(1, 5000),
        waived=st.booleans(),
        target=TEXT,
        message=TEXT,
        fix=TEXT,
    ),
    max_size=8,
)
PATHS = st.sampled_from(["m.toml", "dir with space/plan é.toml", "a/b#c.toml", "/abs/p.toml"])


# --- exit codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("error", 1), ("warning", 1), ("info", 1), ("never", 0)],
)
def test_exit_code_with_an_error_finding(fail_on: str, expected: int) -> None:
    assert exit_code([MIXED], fail_on) == expected


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("error", 0), ("warning", 0), ("info", 1), ("never", 0)],
)
def test_exit_code_with_info_and_a_waived_error(fail_on: str, expected: int) -> None:
    r = result([finding("EXT006", "info"), finding("GOV001", "error", waived=True)])
    assert exit_code([r], fail_on) == expected


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("error", 0), ("warning", 1), ("info", 1), ("never", 0)],
)
def test_exit_code_with_a_warning_only(fail_on: str, expected: int) -> None:
    assert exit_code([result([finding("GOV005", "warning")])], fail_on) == expected


@pytest.mark.parametrize("fail_on", FAIL_ON)
def test_an_unreadable_plan_exits_2_whatever_fail_on(fail_on: str) -> None:
    assert exit_code([result([]), BROKEN], fail_on) == 2
    assert exit_code([result([])], fail_on) == 0


# --- text ---------------------------------------------------------------------------------


def test_text_groups_findings_by_severity_with_code_message_place_and_fix() -> None:
    out = render_text([MIXED])
    assert "\x1b[" not in out
    heads = [out.index(h) for h in ("\nerror (1)", "\nwarning (1)", "\ninfo (1)", "\nwaived (1)")]
    assert heads == sorted(heads)
    assert "GOV001 name-of-gov001  missions/durand.toml:42" in out
    assert "Message of GOV001 about governance" in out
    assert "fix: Fix GOV001 now" in out
    # no line known: the file alone, no ":None"
    assert "GOV005 name-of-gov005  missions/durand.toml  [governance]" in out
    assert ":None" not in out
    assert "waived until 2027-06-30 by Claire Martin: accepted by the buyer" in out
    lines = out.rstrip("\n").splitlines()
    # readiness first, then its pillars, then the framing pillars (the plan) apart
    assert lines[-4] == "Readiness 72/100"
    assert lines[-3] == "  Readiness by pillar: Knowledge transfer 50"
    assert lines[-2] == "  Framing by pillar: Governance 90"
    assert lines[-1] == (
        "missions/durand.toml: 1 error, 1 warning, 1 info, 1 waived — fails --fail-on error"
    )


def test_text_colour_only_when_asked_and_same_words() -> None:
    plain = render_text([MIXED])
    coloured = render_text([MIXED], color=True)
    assert "\x1b[1;31m" in coloured  # errors in red
    assert ANSI.sub("", coloured) == plain


def test_text_in_french() -> None:
    out = render_text([MIXED], lang="fr")
    assert "erreur (1)" in out and "avertissement (1)" in out
    assert "correction\u00a0: Fix GOV001 now" in out
    assert "0 erreur," in render_text([result([])], lang="fr")  # French: singular for 0
    assert "échoue avec --fail-on error" in out


def test_text_total_line_for_several_plans_counts_the_unreadable() -> None:
    clean = result([], path="missions/vega.toml", mission="vega")
    out = render_text([MIXED, BROKEN, clean], fail_on="never")
    assert "missions/vega.toml: 0 errors, 0 warnings, 0 info, 0 waived — passes" in out
    assert out.rstrip().splitlines()[-1] == (
        "3 plans: 1 error, 1 warning, 1 info, 1 waived; 1 could not be read"
    )
    assert "broken.toml" not in out  # its error line goes to stderr, not in the report


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(findings=FINDINGS, lang=st.sampled_from(["en", "fr"]))
def test_text_colour_adds_only_escapes_and_every_finding_is_shown(findings, lang) -> None:
    r = result(findings)
    plain = render_text([r], lang=lang)
    assert ANSI.sub("", render_text([r], color=True, lang=lang)) == plain
    for f in r.findings:
        assert f"  {f.rule} {f.name}  " in plain
        # As typed, except control characters, shown as symbols (see the test below).
        assert "    " + visible(f.message, keep="\n").replace("\n", "\n    ") in plain


# Control characters a plan (TOML allows "\u001b") or a file name may hold: ESC sequences
# that retitle the terminal or clear the screen, BEL, CR, backspace, DEL, C1 (CSI U+009B).
CONTROLS = st.sampled_from(
    [
        "\x1b]0;pwned\x07",
        "\x1b[2J",
        "\r",
        "\x08",
        "\x00",
        "\x7f",
        "\x9b31m",
        "\x85",
        "\t",
        "\x0b",
        "\x0c",
        "\x1b",
    ]
)
HOSTILE = st.lists(CONTROLS | TEXT, max_size=5).map("".join)
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def hostile_finding(text: str, severity: str, waived: bool) -> Finding:
    f = finding("GOV001", severity, waived=waived, target=text, message=text, fix=text)
    return dataclasses.replace(
        f, name="n" + text, waiver_reason=text, waiver_owner=text, rule="R" + text
    )


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=HOSTILE,
    severity=st.sampled_from(["error", "warning", "info"]),
    waived=st.booleans(),
    lang=st.sampled_from(["en", "fr"]),
    color=st.booleans(),
)
def test_text_never_sends_a_control_character_from_the_plan(
    text, severity, waived, lang, color
) -> None:
    r = dataclasses.replace(
        result([hostile_finding(text, severity, waived)], path="p" + text + ".toml"),
        packs=("default", text),
        score=Score(overall=50, pillars={"g" + text: 50}, costs=()),
    )
    out = render_text([r, PlanFailure(path=text, message=text)], lang=lang, color=color)
    # Only the renderer's own colour codes (when asked) and line breaks are control chars.
    assert not RAW_CONTROL.search(ANSI.sub("", out) if color else out)
    assert "\x1b" not in ANSI.sub("", out)
    if "\x1b]0;pwned\x07" in text:
        assert "␛]0;pwned␇" in out  # shown, not obeyed


@given(text=HOSTILE)
def test_an_unreadable_plan_line_never_holds_a_control_character(text) -> None:
    for failure in (
        PlanFailure(path="p.toml", message=text, line=1, column=2),
        PlanFailure(path=text, message="m", text=text),
    ):
        line = failure.one_line()
        assert not RAW_CONTROL.search(line) and "\n" not in line


# --- JSON ---------------------------------------------------------------------------------


def test_json_has_the_shape_of_cli_md_and_says_what_the_result_says() -> None:
    data = json.loads(render_json([MIXED, BROKEN]))
    jsonschema.validate(data, CLI_MD_SHAPE)
    plan, broken = data["plans"]
    assert plan["path"] == "missions/durand.toml"
    assert plan["mission"] == "durand-2027"
    assert plan["as_of"] == "2027-03-01"
    assert plan["packs"] == ["default", "relais-conseil"]
    assert plan["score"]["overall"] == 72
    assert plan["score"]["pillars"] == {"governance": 90, "transfer": 50}
    assert [f["rule"] for f in plan["findings"]] == [f.rule for f in MIXED.findings]
    gov = plan["findings"][0]
    assert (gov["severity"], gov["line"], gov["waived"]) == ("error", 42, False)
    waived = next(f for f in plan["findings"] if f["waived"])
    assert waived["waiver"] == {
        "reason": "accepted by the buyer",
        "owner": "Claire Martin",
        "expires": "2027-06-30",
    }
    assert plan["counts"] == {"error": 1, "warning": 1, "info": 1, "waived": 1}
    assert broken == {
        "path": "missions/broken.toml",
        "error": {"message": "expected '=' after a key", "line": 3, "column": 7},
    }


# --- SARIF --------------------------------------------------------------------------------


def test_the_vendored_schema_is_the_official_sarif_2_1_0_one() -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    assert len(schema["definitions"]) > 40
    # the schema does reject a malformed log (so validating against it means something)
    assert list(SARIF.iter_errors({"version": "2.1.0", "runs": [{"tool": {}}]}))
    assert list(SARIF.iter_errors({"version": "2.1.0", "runs": [], "bogus": 1}))


def test_sarif_is_valid_and_carries_rules_levels_and_lines() -> None:
    meta = RuleMeta(
        code="GOV001",
        name="undefined-reporting-line",
        title="The COO's reporting line is undefined",
        severity="error",
        pillar="governance",
        weight=3,
        rationale="A COO without a boss is a ghost.",
        fix="Set governance.reports_to for {name} ({share:%})",
    )
    log = json.loads(render_sarif([MIXED, BROKEN], rules=[meta], version="0.1.0"))
    SARIF.validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule for f in MIXED.findings})
    gov = next(r for r in rules if r["id"] == "GOV001")
    assert gov["fullDescription"]["text"] == "A COO without a boss is a ghost."
    assert gov["defaultConfiguration"]["level"] == "error"
    assert gov["help"]["text"] == "Set governance.reports_to for <name> (<share>)"
    results = run["results"]
    assert len(results) == len(MIXED.findings)
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"GOV001": "error", "GOV005": "warning", "EXT003": "warning", "EXT006": "note"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "missions/durand.toml"
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["GOV001"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 42
    assert by_rule["GOV005"]["properties"]["lineKnown"] is False
    assert by_rule["EXT003"]["suppressions"][0]["status"] == "accepted"
    assert "suppressions" not in by_rule["GOV001"]
    assert "Fix GOV001 now" in by_rule["GOV001"]["message"]["text"]
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    note = inv["toolExecutionNotifications"][0]
    assert note["message"]["text"] == "expected '=' after a key"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 7}


def test_sarif_fingerprints_ignore_the_line_but_not_the_target() -> None:
    a = json.loads(render_sarif([result([finding("GOV001", "error", line=5)])]))
    b = json.loads(render_sarif([result([finding("GOV001", "error", line=50)])]))
    c = json.loads(render_sarif([result([finding("GOV001", "error", target="x")])]))
    fp = [log["runs"][0]["results"][0]["partialFingerprints"] for log in (a, b, c)]
    assert fp[0] == fp[1] != fp[2]


def test_sarif_of_a_clean_run_is_valid() -> None:
    log = json.loads(render_sarif([result([])]))
    SARIF.validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(findings=FINDINGS, path=PATHS)
def test_sarif_is_valid_for_any_findings_and_has_one_result_each(findings, path) -> None:
    log = json.loads(render_sarif([result(findings, path=path)]))
    SARIF.validate(log)
    assert len(log["runs"][0]["results"]) == len(findings)


# --- JUnit ----------------------------------------------------------------------------------


def test_junit_parses_and_fails_exactly_the_findings_at_or_above_fail_on() -> None:
    for fail_on, failing in [
        ("error", {"GOV001"}),
        ("warning", {"GOV001", "GOV005"}),
        ("info", {"GOV001", "GOV005", "EXT006"}),
        ("never", set()),
    ]:
        root = ET.fromstring(render_junit([MIXED, BROKEN], fail_on=fail_on))
        assert root.tag == "testsuites"
        plan, broken = root.findall("testsuite")
        assert plan.get("name") == "missions/durand.toml"
        cases = plan.findall("testcase")
        assert len(cases) == len(MIXED.findings) == int(plan.get("tests"))
        failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}
        assert failed == failing
        assert int(plan.get("failures")) == len(failing)
        skipped = [c for c in cases if c.find("skipped") is not None]
        assert [c.get("name").split()[0] for c in skipped] == ["EXT003"]
        assert "accepted by the buyer" in skipped[0].find("skipped").get("message")
        assert broken.get("errors") == "1"
        assert (
            broken.find("testcase/error").text
            == "missions/broken.toml:3:7: expected '=' after a key"
        )
        assert int(root.get("failures")) == len(failing)
        assert int(root.get("tests")) == len(MIXED.findings) + 1
        gov = next(c for c in cases if c.get("name").startswith("GOV001"))
        assert gov.get("line") == "42" and gov.get("file") == "missions/durand.toml"


def test_junit_a_clean_plan_is_one_passing_case() -> None:
    root = ET.fromstring(render_junit([result([])]))
    suite = root.find("testsuite")
    assert suite.get("tests") == "1" and suite.get("failures") == "0"
    assert suite.find("testcase").find("failure") is None


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(findings=FINDINGS, path=PATHS)
def test_junit_parses_for_any_text_and_keeps_the_printable_message(findings, path) -> None:
    root = ET.fromstring(render_junit([result(findings, path=path)], fail_on="info"))
    failures = root.findall("testsuite/testcase/failure")
    active = [f for f in result(findings).findings if not f.waived]
    assert len(failures) == len(active)
    printable = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    for fail, f in zip(failures, active, strict=True):
        assert fail.get("message") == printable.sub("", f.message)


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_parses_back_to_the_findings() -> None:
    text = render_markdown([MIXED, BROKEN])
    tables = md_tables(text)
    readiness, framing, findings, waived = tables
    # readiness pillars (the company), then framing pillars (the plan), each its own table
    assert readiness[1:] == [["Knowledge transfer", "50"]]
    assert framing[1:] == [["Governance", "90"]]
    assert text.index("**Readiness by pillar**") < text.index("**Framing by pillar**")
    assert findings[0] == ["severity", "rule", "name", "message", "location", "fix"]
    assert [r[1] for r in findings[1:]] == ["GOV001", "GOV005", "EXT006"]
    assert findings[1] == [
        "error",
        "GOV001",
        "name-of-gov001",
        "Message of GOV001 about governance",
        "missions/durand.toml:42",
        "Fix GOV001 now",
    ]
    assert waived[1] == [
        "EXT003",
        "Message of EXT003 about process:purchasing",
        "accepted by the buyer",
        "Claire Martin",
        "2027-06-30",
    ]
    assert "Readiness **72/100**" in text
    assert "Could not be read:** missions/broken.toml:3:7: expected '=' after a key" in text
    french = md_tables(render_markdown([MIXED], lang="fr"))
    assert french[2][0] == ["gravité", "règle", "nom", "message", "emplacement", "correction"]
    # the same rows; the severity in the reader's language
    assert [r[1:] for r in french[2][1:]] == [r[1:] for r in findings[1:]]
    assert [r[0] for r in french[2][1:]] == ["erreur", "avertissement", "info"]


@settings(max_examples=100)
@given(s=TEXT)
def test_markdown_escaping_shows_any_text_as_typed(s: str) -> None:
    tables = md_tables(_md_row_doc(md_escape(s)))
    control = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1 (U+009B is a CSI)
    # format characters (bidi, zero-width) are shown as ⟨U+XXXX⟩ (tests/tui/test_safe_text.py)
    assert tables[0][1][0] == " ".join(show_format(control.sub(" ", s)).split())


def _md_row_doc(cell: str) -> str:
    return f"| a | b |\n|---|---|\n| {cell} | x |\n"


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(plans=st.lists(FINDINGS, min_size=1, max_size=3), fail_on=st.sampled_from(FAIL_ON))
def test_junit_is_red_exactly_when_the_exit_code_is_1(plans, fail_on) -> None:
    results = [result(f, path=f"m{i}.toml") for i, f in enumerate(plans)]
    root = ET.fromstring(render_junit(results, fail_on=fail_on))
    rank = {"error": 3, "warning": 2, "info": 1, "never": 99}[fail_on]
    expected = sum(
        1 for f in (x for p in plans for x in p) if not f.waived and f.severity.rank >= rank
    )
    assert int(root.get("failures")) == len(root.findall("testsuite/testcase/failure")) == expected
    assert exit_code(results, fail_on) == (1 if expected else 0)
    json_counts = [p["counts"] for p in json.loads(render_json(results))["plans"]]
    assert sum(c["waived"] for c in json_counts) == sum(f.waived for p in plans for f in p)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE)
def test_json_and_sarif_carry_any_text_exactly_and_nothing_raw(text) -> None:
    r = result([hostile_finding(text, "error", False)], path="p" + text + ".toml")
    out = render_json([r])
    # json.dumps escapes C0 controls; DEL and C1 (U+009B is a CSI) are escaped as well.
    assert not RAW_CONTROL.search(out)
    (plan,) = json.loads(out)["plans"]
    assert plan["findings"][0]["message"] == text and plan["path"] == "p" + text + ".toml"
    sarif = render_sarif([r])
    assert not RAW_CONTROL.search(sarif)
    assert json.loads(sarif)["runs"][0]["results"][0]["message"]["text"].startswith(text)


@given(text=HOSTILE)
def test_markdown_never_holds_a_control_character(text) -> None:
    out = render_markdown(
        [result([hostile_finding(text, "warning", False)], path="p" + text + ".toml")]
    )
    assert not RAW_CONTROL.search(out)
