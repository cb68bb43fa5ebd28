"""The journeys users make with `releve`, through the real command (a process, as in a shell or CI).

A partner checks every mission of the firm before a sale; a firm writes its house rules; a COO
starts a mission; an editor validates plans with `releve schema`; anyone asks `--version`
and `--help`. Expectations come from the contracts (cli.md, rule-packs.md) and from the
plans' own data read independently with tomllib, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_missions"
TEMPLATE = ROOT / "planner" / "template.toml"
AS_OF = "2027-03-01"
LOCATED = re.compile(r"^(?P<file>[^:]+)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: (?P<message>.+)$")
RANK = {"info": 0, "warning": 1, "error": 2}
THRESHOLD = {"info": 0, "warning": 1, "error": 2, "never": 99}


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.toml"))


def fails(plans: list[dict], fail_on: str) -> bool:
    """cli.md: exit 1 when an unwaived finding is at or above --fail-on."""
    return any(
        RANK[f["severity"]] >= THRESHOLD[fail_on] and not f["waived"]
        for p in plans
        for f in p.get("findings", [])
    )


# --- a partner checks every mission before a sale -------------------------------------------


@pytest.fixture
def missions(tmp_path: Path) -> Path:
    """The firm's repository: missions/*.toml, the samples plus one plan broken in a merge."""
    folder = tmp_path / "missions"
    folder.mkdir()
    for p in sample_files():
        shutil.copy(p, folder / p.name)
    durand = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
    broken = durand.replace('delegation = "co_pilot"', "<<<<<<< HEAD\ndelegation = ", 1)
    assert broken != durand
    (folder / "broken-merge.toml").write_text(broken, encoding="utf-8")
    return tmp_path


def test_partner_checks_every_mission_and_still_sees_the_broken_one(releve, missions):
    plans = sorted(f"missions/{p.name}" for p in (missions / "missions").glob("*.toml"))
    result = releve(["check", *plans, "--format", "json", "--as-of", AS_OF], cwd=missions)
    assert result.code == 2, result.err  # an unreadable plan wins over findings
    entries = json.loads(result.out)["plans"]
    assert [e["path"] for e in entries] == plans  # one entry per plan, in the order given
    broken = next(e for e in entries if e["path"] == "missions/broken-merge.toml")
    text = (missions / "missions" / "broken-merge.toml").read_text(encoding="utf-8")
    conflict_line = text.split("\n").index("<<<<<<< HEAD") + 1
    assert broken["error"]["line"] in (conflict_line, conflict_line + 1)
    (line,) = [ln for ln in result.err.splitlines() if ln.strip()]
    assert line.startswith(f"missions/broken-merge.toml:{broken['error']['line']}:")
    for e in entries:
        if e is broken:
            continue
        assert e["as_of"] == AS_OF and e["mission"] and isinstance(e["score"]["overall"], int)
        assert "default" in e["packs"]
        source_text = (missions / e["path"]).read_text(encoding="utf-8")
        source = tomllib.loads(source_text)
        assert e["mission"] == source["mission"]["id"]
        for f in e["findings"]:
            if f["line"] is not None:  # a place in the plan the partner can open
                assert 1 <= f["line"] <= len(source_text.split("\n")), f
        waived_rules = {w["rule"] for w in source.get("waiver", [])}
        assert {f["rule"] for f in e["findings"] if f["waived"]} <= waived_rules


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_partner_exit_code_follows_fail_on(releve, fail_on):
    plans = [str(p.relative_to(ROOT)) for p in sample_files()]
    result = releve(["check", *plans, "--format", "json", "--as-of", AS_OF, "--fail-on", fail_on])
    entries = json.loads(result.out)["plans"]
    assert len(entries) == len(plans) and result.err == ""
    assert result.code == (1 if fails(entries, fail_on) else 0)
    if fail_on == "never":
        assert result.code == 0
    # The counts agree with the findings they count.
    for e in entries:
        unwaived = [f for f in e["findings"] if not f["waived"]]
        assert e["counts"]["waived"] == len(e["findings"]) - len(unwaived)
        for sev in RANK:
            assert e["counts"][sev] == sum(f["severity"] == sev for f in unwaived)


def test_partner_text_summary_totals_every_plan(releve):
    plans = [str(p.relative_to(ROOT)) for p in sample_files()]
    result = releve(["check", *plans, "--as-of", AS_OF, "--fail-on", "never"])
    assert result.code == 0
    for p in plans:
        assert p in result.out
    assert "\x1b[" not in result.out  # not a terminal: no colour codes in a CI log


# --- a firm writes its house rules ----------------------------------------------------------

HOUSE_RULES = """\
[pack]
id = "relais"
name = "Relais Conseil — house rules"
version = "1.0.0"
extends = ["default"]

[select]
exclude = ["EXT006"]          # we do not track the full KPI set

[rules.EXT002]
severity = "error"            # a key person without a backup is a deal-breaker for us

[rules.GOV005]
params = { max_days = 10 }    # steering at least every ten days

[[rule]]
id = "RC101"
name = "manual-critical-process"
title = { en = "A critical process is still run by hand", fr = "Un processus critique reste manuel" }
pillar = "documentation"
severity = "warning"
weight = 2
fact = "process"
when = [
  { field = "critical", op = "eq", value = true },
  { field = "automation", op = "lt", value = "$min_level" },
]
params = { min_level = 2 }
message = { en = "{name} is critical and its automation level is {automation} (< {min_level})", fr = "{name} est critique et son niveau d'automatisation est {automation} (< {min_level})" }
fix = { en = "Plan a project that automates {name}", fr = "Prévoir un projet d'automatisation pour {name}" }
path = "process.automation"

[[rule.example]]
fires = true
plan = '''
[[process]]
id = "billing"
name = "Billing"
critical = true
owner = "sam"
backup = "fay"
documentation = 4
automation = 0
'''

[[rule.example]]
fires = false
plan = '''
[[process]]
id = "billing"
name = "Billing"
critical = true
owner = "sam"
backup = "fay"
documentation = 4
automation = 3
'''
"""


@pytest.fixture
def firm(tmp_path: Path) -> Path:
    (tmp_path / "relais.toml").write_text(HOUSE_RULES, encoding="utf-8")
    shutil.copy(SAMPLES / "atelier-durand.toml", tmp_path / "durand.toml")
    return tmp_path


def findings_of(result) -> list[dict]:
    (entry,) = json.loads(result.out)["plans"]
    return entry["findings"]


def test_firm_house_rules_from_test_to_explain_to_check(releve, firm):
    # 1. The firm tests its pack's examples.
    tested = releve(["rules", "test", "relais.toml"], cwd=firm)
    assert tested.code == 0, tested.out + tested.err
    assert "pass  RC101 example 1 (fires)" in tested.out
    assert "pass  RC101 example 2 (does not fire)" in tested.out
    assert re.search(r"^\d+ passed, 0 failed$", tested.out, re.MULTILINE)

    # 2. `rules list` shows the rules in force: its own rule in, the excluded one out.
    listed = json.loads(
        releve(["rules", "list", "--pack", "relais.toml", "--format", "json"], cwd=firm).out
    )
    rows = listed if isinstance(listed, list) else listed["rules"]
    codes = {r["code"] for r in rows}
    assert "RC101" in codes and "EXT006" not in codes and "GOV005" in codes

    # 3. `rules explain` says which pack set each value.
    text = releve(["rules", "explain", "GOV005", "--pack", "relais.toml"], cwd=firm)
    assert text.code == 0
    assert re.search(r"max_days = 10\s+\(set by relais", text.out), text.out
    explained = json.loads(
        releve(
            ["rules", "explain", "GOV005", "--pack", "relais.toml", "--format", "json"], cwd=firm
        ).out
    )
    assert explained["params"] == {"max_days": 10}
    assert explained["origin"]["params.max_days"] == "relais"
    assert explained["origin"]["severity"] == "default"
    ext002 = json.loads(
        releve(
            ["rules", "explain", "EXT002", "--pack", "relais.toml", "--format", "json"], cwd=firm
        ).out
    )
    assert (ext002["severity"], ext002["origin"]["severity"]) == ("error", "relais")
    own = json.loads(
        releve(
            ["rules", "explain", "RC101", "--pack", "relais.toml", "--format", "json"], cwd=firm
        ).out
    )
    assert own["pack"] == "relais"

    # 4. `check --pack` reflects all of it, against what the plan itself says.
    plan = tomllib.loads((firm / "durand.toml").read_text(encoding="utf-8"))
    before = releve(
        ["check", "durand.toml", "--format", "json", "--as-of", AS_OF, "--fail-on", "never"],
        cwd=firm,
    )
    after = releve(
        [
            "check",
            "durand.toml",
            "--pack",
            "relais.toml",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "--fail-on",
            "never",
        ],
        cwd=firm,
    )
    assert before.code == after.code == 0, after.err
    old, new = findings_of(before), findings_of(after)
    assert json.loads(after.out)["plans"][0]["packs"][-1] == "relais"

    assert any(f["rule"] == "EXT006" for f in old)  # the sample has an EXT006 finding…
    assert not any(f["rule"] == "EXT006" for f in new)  # …switched off
    assert {f["severity"] for f in old if f["rule"] == "EXT002"} == {"warning"}
    assert {f["severity"] for f in new if f["rule"] == "EXT002"} == {"error"}

    steering = plan["governance"]["steering_every_days"]
    assert 10 < steering <= 30  # fires only under the firm's threshold
    assert not any(f["rule"] == "GOV005" for f in old)
    (gov005,) = [f for f in new if f["rule"] == "GOV005"]
    assert str(steering) in gov005["message"] and "10" in gov005["message"]

    manual = {
        f"process:{p['id']}"
        for p in plan["process"]
        if p.get("critical") and p.get("automation", 0) < 2
    }
    assert manual  # the sample has manual critical processes
    assert {f["target"] for f in new if f["rule"] == "RC101"} == manual
    assert all(f["severity"] == "warning" for f in new if f["rule"] == "RC101")

    # 5. Named by the plan's [rules].packs, the pack gives the same findings.
    (firm / "durand.toml").write_text(
        re.sub(
            r"(?m)^packs = \[\]",
            'packs = ["relais.toml"]',
            (firm / "durand.toml").read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    named = releve(
        ["check", "durand.toml", "--format", "json", "--as-of", AS_OF, "--fail-on", "never"],
        cwd=firm,
    )

    def key(f: dict) -> tuple:
        return (f["rule"], f["target"], f["severity"], f["waived"])

    assert sorted(map(key, findings_of(named))) == sorted(map(key, new))

    # 6. Raising a severity changes the gate: EXT002 now fails --fail-on error.
    gate = releve(["check", "durand.toml", "--format", "json", "--as-of", AS_OF], cwd=firm)
    assert gate.code == 1


def test_a_plan_finds_its_packs_from_any_folder(releve, tmp_path):
    """`[rules].packs` is relative to the plan, wherever the command runs from (CI or a shell)."""
    (tmp_path / ".git").mkdir()  # one repository: missions/ and packs/ beside each other
    (tmp_path / "packs").mkdir()
    (tmp_path / "missions").mkdir()
    (tmp_path / "packs" / "relais.toml").write_text(HOUSE_RULES, encoding="utf-8")
    text = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
    (tmp_path / "missions" / "durand.toml").write_text(
        re.sub(r"(?m)^packs = \[\]", 'packs = ["../packs/relais.toml"]', text), encoding="utf-8"
    )
    seen = []
    for cwd, plan in [
        (tmp_path, "missions/durand.toml"),
        (tmp_path / "missions", "durand.toml"),
        (ROOT, str(tmp_path / "missions" / "durand.toml")),
    ]:
        result = releve(
            ["check", plan, "--format", "json", "--as-of", AS_OF, "--fail-on", "never"], cwd=cwd
        )
        assert result.code == 0, (cwd, result.err)
        (entry,) = json.loads(result.out)["plans"]
        assert entry["packs"] == ["default", "relais"]
        seen.append(sorted((f["rule"], f["target"]) for f in entry["findings"]))
    assert seen[0] == seen[1] == seen[2]


def test_firm_pack_with_a_failing_example_fails_rules_test(releve, firm):
    (firm / "relais.toml").write_text(
        HOUSE_RULES.replace("fires = false", "fires = true"), encoding="utf-8"
    )
    result = releve(["rules", "test", "relais.toml"], cwd=firm)
    assert result.code == 1
    assert "FAIL  RC101 example 2" in result.out


def test_partner_reports_say_what_the_check_says(releve, firm):
    """Before the sale, the report of each mission gives the check's score and counts."""
    plans = [str(p) for p in sample_files()]
    checked = releve(
        [
            "check",
            *plans,
            "--pack",
            "relais.toml",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "--fail-on",
            "never",
        ],
        cwd=firm,
    )
    assert checked.code == 0, checked.err
    for entry in json.loads(checked.out)["plans"]:
        report = releve(
            [
                "report",
                entry["path"],
                "--pack",
                "relais.toml",
                "--format",
                "markdown",
                "--lang",
                "en",
                "--as-of",
                AS_OF,
            ],
            cwd=firm,
        )
        assert report.code == 0, report.err
        m = re.search(
            r"Readiness score: (\d+) / 100\*\*[^\n]*? · (\d+) errors? · (\d+) warnings? · "
            r"(\d+) info · (\d+) waived",
            report.out,
        )
        assert m, report.out[:800]
        c = entry["counts"]
        assert [int(g) for g in m.groups()] == [
            entry["score"]["overall"],
            c["error"],
            c["warning"],
            c["info"],
            c["waived"],
        ]
        assert "relais" in report.out  # the firm's pack is named among the packs in force


# --- a COO starts a mission -----------------------------------------------------------------


def test_coo_starts_a_mission(releve, tmp_path):
    import html5lib
    import icalendar

    made = releve(["new", "x.toml"], cwd=tmp_path)
    assert made.code == 0, made.err
    assert "releve check x.toml" in made.out
    plan_text = (tmp_path / "x.toml").read_text(encoding="utf-8")
    plan = tomllib.loads(plan_text)

    checked = releve(["check", "x.toml", "--format", "json", "--as-of", AS_OF], cwd=tmp_path)
    assert checked.code in (0, 1) and checked.err == "", checked.err
    (entry,) = json.loads(checked.out)["plans"]
    assert entry["mission"] == plan["mission"]["id"]
    assert not any(f["rule"] == "PLN007" for f in entry["findings"])  # it schedules

    sched = json.loads(releve(["schedule", "x.toml", "--format", "json"], cwd=tmp_path).out)
    ics = releve(["schedule", "x.toml", "--format", "ics", "--as-of", AS_OF], cwd=tmp_path)
    assert ics.code == 0, ics.err
    cal = icalendar.Calendar.from_ical(ics.out)
    events = cal.walk("VEVENT")
    assert len(plan["phase"]) == len(sched["phases"])
    # one event per phase, plus the exit's target date as a marker
    assert len(events) == len(plan["phase"]) + ("target_date" in plan.get("exit", {}))
    for phase in sched["phases"]:
        (event,) = [e for e in events if str(e["SUMMARY"]) == phase["name"]]
        assert event.decoded("DTSTART") == dt.date.fromisoformat(phase["start"])
        # All-day events end the day after the last booked day (RFC 5545: DTEND exclusive).
        assert event.decoded("DTEND") == dt.date.fromisoformat(phase["end"]) + dt.timedelta(1)

    report = releve(
        ["report", "x.toml", "--format", "html", "-o", "r.html", "--as-of", AS_OF], cwd=tmp_path
    )
    assert report.code == 0, report.err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(page)
    assert parser.errors == [], parser.errors[:3]
    assert plan["company"]["name"] in page

    # Starting again does not overwrite the work.
    again = releve(["new", "x.toml"], cwd=tmp_path)
    assert again.code == 2 and len(again.err.strip().splitlines()) == 1
    assert (tmp_path / "x.toml").read_text(encoding="utf-8") == plan_text


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


def test_reading_commands_leave_the_folder_as_it_was(releve, firm):
    """Checking, scheduling, explaining and reporting to stdout write nothing beside the plan;
    a report that cannot be written leaves no temporary file behind."""
    (firm / "reports").mkdir()
    before = snapshot(firm)
    for argv in (
        ["check", "durand.toml", "--pack", "relais.toml", "--format", "sarif", "--as-of", AS_OF],
        ["schedule", "durand.toml", "--format", "ics", "--as-of", AS_OF],
        ["rules", "facts", "durand.toml", "--as-of", AS_OF],
        ["rules", "test", "relais.toml"],
        ["rules", "explain", "RC101", "--plan", "durand.toml", "--pack", "relais.toml"],
        ["report", "durand.toml", "--format", "markdown", "--as-of", AS_OF],
        ["report", "durand.toml", "-o", "missing-folder/r.html", "--as-of", AS_OF],
        ["report", "durand.toml", "-o", "reports", "--as-of", AS_OF],
    ):
        result = releve(argv, cwd=firm)
        assert "Traceback" not in result.err, argv
        assert snapshot(firm) == before, argv
    written = releve(
        ["report", "durand.toml", "-o", "reports/durand.html", "--as-of", AS_OF], cwd=firm
    )
    assert written.code == 0
    assert set(snapshot(firm)) - set(before) == {"reports/durand.html"}


# --- releve schema --------------------------------------------------------------------------


def json_ready(value):
    """TOML data as a JSON-reading editor sees it: dates, datetimes and times as ISO strings."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def schema_validator(releve):
    """A validator for the schema `releve schema` prints, asserting formats."""
    import jsonschema

    result = releve(["schema"])
    assert result.code == 0, result.err
    schema = json.loads(result.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    # Dates are checked as dates: "format": "date" is asserted, not only annotated.
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_schema_validates_every_sample_and_the_template(schema_validator):
    validator = schema_validator
    for path in [*sample_files(), TEMPLATE]:
        data = json_ready(tomllib.loads(path.read_text(encoding="utf-8")))
        assert [e.message for e in validator.iter_errors(data)] == [], path
    # and does check dates: a date that is no date is refused
    data = json_ready(tomllib.loads(TEMPLATE.read_text(encoding="utf-8")))
    data["mission"]["start"] = "2027-02-30"
    assert list(validator.iter_errors(data))


VALUE = re.compile(
    r"^(?P<head>[ \t]*(?!format\b)[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*)(?P<value>[^#\n]*?)"
    r"[ \t]*(?:#[^\n]*)?$",
    re.MULTILINE,
)
# No date-like strings: once dates are strings for JSON, "2027-01-04" and 2027-01-04 look alike.
REPLACEMENTS = [
    "3",
    "-7",
    "0",
    "1.5",
    '"text"',
    '""',
    '"bogus"',
    "true",
    "[]",
    '[1, "a"]',
    "{ a = 1 }",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_schema_and_loader_agree_on_values(schema_validator, cli, tmp_path_factory, data):
    """An editor using the schema flags exactly the values `releve` refuses."""
    validator = schema_validator
    path = data.draw(st.sampled_from(sample_files()))
    text = path.read_text(encoding="utf-8")
    matches = list(VALUE.finditer(text))
    m = matches[data.draw(st.integers(0, len(matches) - 1))]
    new = (
        text[: m.start("value")] + data.draw(st.sampled_from(REPLACEMENTS)) + text[m.end("value") :]
    )
    try:
        parsed = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return  # not TOML at all: nothing for a schema to say
    plan = tmp_path_factory.mktemp("agree") / path.name
    plan.write_text(new, encoding="utf-8")
    loaded = cli(["rules", "facts", "--as-of", AS_OF, str(plan)])
    schema_errors = [e.message for e in validator.iter_errors(json_ready(parsed))]
    assert (loaded.code == 2) == bool(schema_errors), (m.group(0), loaded.err, schema_errors)


# --- --version and --help -------------------------------------------------------------------


def test_version_names_the_rule_engine(releve):
    result = releve(["--version"])
    assert result.code == 0 and result.err == ""
    m = re.fullmatch(
        r"releve (\d+\.\d+\.\d+\S*) \(rule engine: (durable_rules|python evaluator)\)\n", result.out
    )
    assert m, result.out
    from releve.rules.pipeline import engine_name

    expected = "durable_rules" if engine_name() == "durable_rules" else "python evaluator"
    assert m[2] == expected  # the engine `releve check` really uses here


def test_help_lists_every_command_on_one_line(releve):
    from releve.tui.cli import COMMANDS

    result = releve(["--help"])
    assert result.code == 0 and result.err == ""
    for name in COMMANDS:
        mod = __import__(f"releve.tui.cli.{name}", fromlist=["HELP"])
        assert mod.HELP and "\n" not in mod.HELP, name
        lines = [ln for ln in result.out.splitlines() if re.match(rf"^\s+{name}\s{{2,}}\S", ln)]
        assert len(lines) == 1, (name, result.out)
        assert mod.HELP.split()[0] in lines[0]


def subcommand_lines() -> list[list[str]]:
    from releve.tui.cli import COMMANDS

    lines = [[name] for name in COMMANDS]
    lines += [["rules", action] for action in ("list", "explain", "facts", "test")]
    return lines


@pytest.mark.parametrize("argv", subcommand_lines(), ids=" ".join)
def test_every_subcommand_has_help_that_exits_0(cli, argv):
    result = cli([*argv, "--help"])
    assert result.code == 0 and result.err == ""
    assert result.out.startswith(f"usage: releve {' '.join(argv)}")
    assert "options:" in result.out
