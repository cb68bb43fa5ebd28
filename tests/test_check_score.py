"""What `releve check` says of the scores (issues #10, #15): readiness with its band after
the cap and the finding that caps it, framing beside it, the figure without waivers when a
waiver counts, coverage, "not assessed" with its reason, readiness pillars then framing
pillars; JSON costs graded and kept per figure."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from releve.rules.packs import load_pack_set
from releve.rules.result import FRAMING_PILLARS, PILLARS, READINESS_PILLARS, Cap, Score
from releve.tui.cli import main
from releve.tui.render.score_words import headline, pillar_lines

ROOT = Path(__file__).resolve().parent.parent
DURAND = str(ROOT / "sample_missions" / "atelier-durand.toml")
ASOF = ["--as-of", "2027-03-01"]
NNBSP = "\u202f"


def check(capsys, *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    out, _ = capsys.readouterr()
    return code, out


def score_lines(out: str) -> list[str]:
    """The headline and the two pillar lines (just above the summary line)."""
    lines = out.rstrip("\n").splitlines()
    return lines[-4:-1]


def durand_score(capsys) -> dict:
    _, out = check(capsys, DURAND, *ASOF, "--format", "json")
    return json.loads(out)["plans"][0]["score"]


def test_durand_in_french_reads_79_to_secure_capped_by_ext001_framing_apart(capsys) -> None:
    score = durand_score(capsys)
    _, out = check(capsys, DURAND, *ASOF, "--lang", "fr")
    head, readiness, framing = score_lines(out)
    assert head.startswith(
        "Préparation 79/100 (à sécuriser, plafonnée par EXT001 "
        "« L'entreprise dépend trop de son dirigeant »)"
    )
    assert re.search(rf" · couverture \d+{NNBSP}% · Cadrage {score['framing']}/100$", head)
    assert readiness.startswith("  Préparation par pilier\xa0: Dépendance au dirigeant ")
    assert "Gouvernance" not in readiness and "Planification" not in readiness
    p = score["pillars"]
    assert framing == (
        f"  Cadrage par pilier\xa0: Gouvernance {p['governance']} · Planification {p['planning']}"
    )
    # no identifier of a pillar or a band on the score lines
    assert not re.search(r"founder_dependence|to_secure|not_assessed", out)


def test_durand_in_english_names_the_band_and_the_capping_finding(capsys) -> None:
    framing_figure = durand_score(capsys)["framing"]
    _, out = check(capsys, DURAND, *ASOF, "--lang", "en")
    head, readiness, framing = score_lines(out)
    assert head.startswith(
        'Readiness 79/100 (to secure, capped by EXT001 "The company depends too much on its '
        'founder")'
    )
    assert head.endswith(f"Framing {framing_figure}/100")
    assert readiness.startswith("  Readiness by pillar: Founder dependence ")
    assert framing.startswith("  Framing by pillar: Governance ")


def test_durand_markdown_has_the_same_headline_and_two_pillar_tables(capsys) -> None:
    framing_figure = durand_score(capsys)["framing"]
    _, md = check(capsys, DURAND, *ASOF, "--lang", "en", "--format", "markdown")
    assert 'Readiness **79/100** (to secure, capped by EXT001 "The company depends' in md
    assert f"Framing {framing_figure}/100" in md
    assert md.index("**Readiness by pillar**") < md.index("**Framing by pillar**")
    framing_table = md[md.index("**Framing by pillar**") :].split("\n\n")[1]
    assert "| Governance | 100 |" in framing_table and "Documentation" not in framing_table


def test_durand_json_keeps_keys_and_adds_the_grade_of_each_cost_per_figure(capsys) -> None:
    _, out = check(capsys, DURAND, *ASOF, "--format", "json", "--fail-on", "never")
    plan = json.loads(out)["plans"][0]
    score = plan["score"]
    assert score["overall"] == 79 and score["band"] == "to_secure"
    assert 0 <= score["framing"] <= 100
    assert score["uncapped"] > 79 and [c["rule"] for c in score["caps"]] == ["EXT001"]
    costs = score["costs"]
    assert {"rule", "name", "pillar", "weight", "points"} <= set(costs[0])  # kept
    figures = [c["figure"] for c in costs]
    assert figures == sorted(figures, key=lambda f: f != "readiness")  # readiness first
    pack = load_pack_set()
    for c in costs:
        assert c["figure"] == ("framing" if c["pillar"] in FRAMING_PILLARS else "readiness")
        assert 0 < c["grade"] <= 1
        assert c["among"] == 0 or c["fired"] <= c["among"]
    # A cost with findings of its own shows them; one without costs for want of evidence,
    # and the evidence findings say where: Durand's IND001 and IND002 cost 6/7 for the six
    # of its seven KPIs that EVD010 lists as never measured.
    unmeasured = [f for f in plan["findings"] if f["rule"] == "EVD010"]
    assert len(unmeasured) == 6
    silent = {c["rule"]: c for c in costs if c["fired"] == 0}
    assert set(silent) == {"IND001", "IND002"}
    for c in silent.values():
        assert pack.rule(c["rule"]).fact == "kpi" and c["among"] == 7
        assert c["grade"] == round(len(unmeasured) / c["among"], 4)
        assert c["unknown"] == len(unmeasured)
    fired = {f["rule"] for f in plan["findings"] if not f["waived"]}
    assert {c["rule"] for c in costs if c["fired"] >= 1} <= fired
    # each figure's costs are points of that figure: they add up to what it lost
    lost = sum(c["points"] for c in costs if c["figure"] == "readiness")
    assert abs(100 - lost - score["uncapped"]) <= 0.5 + 0.01 * len(costs)
    lost = sum(c["points"] for c in costs if c["figure"] == "framing")
    assert abs(100 - lost - score["framing"]) <= 0.5 + 0.01 * len(costs)
    cov = score["coverage"]
    assert 0.6 <= cov["overall"] <= 1 and set(cov["pillars"]) <= set(READINESS_PILLARS)


def test_an_untouched_template_is_not_assessed_and_keeps_its_pillar_figures(
    capsys, tmp_path
) -> None:
    plan = tmp_path / "plan.toml"
    assert main(["new", str(plan)]) == 0
    capsys.readouterr()
    _, out = check(capsys, str(plan), *ASOF, "--lang", "fr")
    head, readiness, framing = score_lines(out)
    assert re.match(
        rf"Préparation non évaluée \(couverture \d+{NNBSP}% < 60{NNBSP}%\)( · |$)", head
    ), head
    assert "/100" not in head.split(" · ")[0]
    assert re.search(r"Documentation \d+", readiness) and "Gouvernance" in framing
    _, md = check(capsys, str(plan), *ASOF, "--lang", "en", "--format", "markdown")
    assert re.search(r"Readiness not assessed \(coverage \d+% \\< 60%\)", md)
    assert "**Readiness by pillar**" in md
    _, js = check(capsys, str(plan), *ASOF, "--format", "json")
    score = json.loads(js)["plans"][0]["score"]
    assert score["overall"] is None and score["band"] == "not_assessed"
    assert score["coverage"]["overall"] < 0.6 and score["pillars"]


def test_a_firm_changing_a_severity_is_told_in_the_readers_words(capsys, tmp_path) -> None:
    pack = tmp_path / "firm.toml"
    pack.write_text(
        '[pack]\nid = "firm"\nname = "Firm"\nversion = "1"\nextends = ["default"]\n'
        '[rules.EXT002]\nseverity = "error"\n',
        encoding="utf-8",
    )
    _, out = check(capsys, DURAND, *ASOF, "--pack", str(pack), "--lang", "fr")
    assert "EXT002 key-person-without-backup : gravité avertissement → erreur par firm" in out
    assert "warning → error" not in out
    _, out = check(capsys, DURAND, *ASOF, "--pack", str(pack), "--lang", "en")
    assert "severity warning → error by firm" in out


# --- the words, from any score ------------------------------------------------------------

figures = st.integers(min_value=0, max_value=100)


@st.composite
def scores(draw) -> Score:
    pillars = draw(st.dictionaries(st.sampled_from(PILLARS), figures))
    pillars = {p: pillars[p] for p in PILLARS if p in pillars}
    overall = draw(st.none() | figures)
    band = draw(st.sampled_from(("not_ready", "to_secure", "ready")))
    caps = draw(st.lists(st.sampled_from(("EXT001", "TRF008")), max_size=3))
    uncapped = draw(figures)
    return Score(
        overall=overall,
        pillars=pillars,
        framing=draw(st.none() | figures),
        without_waivers=draw(st.none() | figures) if overall is not None else None,
        uncapped=uncapped,
        band=band if overall is not None else "not_assessed",
        caps=tuple(Cap(c, "metrics", "what the cap says") for c in caps),
    )


@given(score=scores(), lang=st.sampled_from(["en", "fr"]))
def test_the_score_in_words_from_any_score(score: Score, lang: str) -> None:
    line = headline(lang, score).text()
    if score.overall is None:
        assert line.startswith(("Readiness not assessed", "Préparation non évaluée"))
    else:
        assert f" {score.overall}/100 (" in line  # the band always follows the figure
    # a cap is named only where it changed the figure, each rule once
    for rule in {c.rule for c in score.caps}:
        assert line.count(rule) == (1 if score.capped else 0)
    shown_ww = score.without_waivers not in (None, score.overall)
    assert (("without waivers" in line) or ("sans dérogations" in line)) == shown_ww
    assert ("Framing" in line or "Cadrage" in line) == (score.framing is not None)
    lines = pillar_lines(lang, score)
    readiness = [p for p in score.pillars if p in READINESS_PILLARS]
    assert len(lines) == bool(readiness) + (len(score.pillars) > len(readiness))
    assert "_" not in " ".join(lines) + line


def test_sarif_and_junit_carry_the_band_framing_and_caps(capsys) -> None:
    import xml.etree.ElementTree as ET

    score = durand_score(capsys)
    _, out = check(capsys, DURAND, *ASOF, "--format", "sarif")
    plan = json.loads(out)["runs"][0]["properties"]["plans"][0]
    assert (plan["score"], plan["band"], plan["caps"]) == (79, "to_secure", ["EXT001"])
    assert plan["framing"] == score["framing"]
    _, out = check(capsys, DURAND, *ASOF, "--format", "junit")
    props = {p.get("name"): p.get("value") for p in ET.fromstring(out).iter("property")}
    assert props["band"] == "to_secure" and props["caps"] == "EXT001"
    assert props["framing"] == str(score["framing"])
