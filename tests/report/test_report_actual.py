"""The report's plan against actual (issue 11): for a plan with a mission log, the HTML and
Markdown reports show each phase's baseline and forecast (as planner.tracking computes
them), the days consumed against the contract month by month, deliverables delivered and
accepted, transfers done, the last steering committee's decisions and the open actions; a
plan with no log shows no such section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from report_dom import by_id, parse, text
from support import DURAND_DAYS

from releve.planner import store
from releve.planner.tracking import track
from releve.tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_missions" / "atelier-durand.toml"
AS_OF = "2027-02-20"

LOG = (
    DURAND_DAYS
    + """
[[meeting]]
on = 2027-01-19
kind = "steering"
attendees = ["marc", "sophie"]
decisions = ["Le chantier achats démarre en février"]
actions = [
  { what = "Envoyer la procédure devis", owner = "sophie", due = 2027-02-16 },
  { what = "Signer la délégation achats", owner = "marc", due = 2027-02-01, done_on = 2027-01-29 },
]
"""
)


@pytest.fixture
def tracked(tmp_path: Path) -> Path:
    text_ = SAMPLE.read_text(encoding="utf-8")
    text_ = text_.replace('id = "audit"\n', 'id = "audit"\ndone_on = 2027-01-12\n', 1)
    text_ = text_.replace(
        'deliverables = ["Rapport d\'audit flash", "Carte des irritants"]',
        'deliverables = [{ name = "Rapport d\'audit flash", delivered_on = 2027-01-12, '
        'accepted_by = "marc" }, "Carte des irritants"]',
        1,
    )
    path = tmp_path / "tracked.toml"
    path.write_text(text_ + LOG, encoding="utf-8")
    return path


def report(capsys, path: Path, fmt: str, lang: str = "en") -> str:
    out = path.with_suffix(".md" if fmt == "markdown" else ".html")
    args = ["report", str(path), "--as-of", AS_OF, "--lang", lang, "-o", str(out)]
    code = main([*args, "--format", fmt] if fmt == "markdown" else args)
    capsys.readouterr()
    assert code == 0
    return out.read_text(encoding="utf-8")


def section(md: str, title: str) -> str:
    start = md.index(f"## {title}")
    end = md.find("\n## ", start + 3)
    return md[start : end if end != -1 else len(md)]


def test_markdown_plan_against_actual(capsys, tracked) -> None:
    plan = store.load(tracked).plan
    t = track(plan, dt.date.fromisoformat(AS_OF))
    md = report(capsys, tracked, "markdown")
    # between the schedule and the transfer plan
    assert md.index("## Schedule") < md.index("## Plan against actual")
    s = section(md, "Plan against actual")
    phases_table = s[: s.index("### ")]
    rows = {
        line.split(" | ")[0][2:]: line.split(" | ")
        for line in phases_table.splitlines()
        if "| 20" in line
    }
    for p in plan.phase:
        pt = t.phases[p.id]
        row = rows[p.name.replace("&", "\\&")]
        assert row[2] == pt.baseline.end.isoformat() and row[3] == pt.forecast.end.isoformat()
    assert rows["Audit flash"][1] == "done" and rows["Diagnostic opérationnel"][1] == "started"
    assert f"forecast to end on {t.forecast.end}" in s
    assert t.booked_days == 5  # four days in January, one in February
    assert "5 days booked" in s and "60 in the contract" in s
    months = [
        line for line in s.splitlines() if line.startswith("| Jan") or line.startswith("| Feb")
    ]
    assert [m.split(" | ")[1:] for m in months] == [["4", "4", "7 % |"], ["1", "5", "8 % |"]]
    # deliverables: one delivered and accepted (by name), one due and missing, later ones
    assert "| Audit flash | Rapport d'audit flash | 2027-01-12 · accepted by Marc Durand |" in s
    assert "| Audit flash | Carte des irritants | not delivered (due) |" in s
    assert "Diagnostic et feuille de route | not delivered (due) |" in s  # planned end passed
    assert "Procédure d'achat écrite | not yet due |" in s
    # the steering committee's decision, the open action (overdue), not the done one
    assert "Le chantier achats démarre en février" in s
    assert "| Envoyer la procédure devis | Sophie Leroy | 2027-02-16 | overdue |" in s
    assert "Signer la délégation achats" not in s
    assert "sophie" not in s and "| audit |" not in s and "| diag |" not in s  # names, not ids


def test_french_markdown(capsys, tracked) -> None:
    md = report(capsys, tracked, "markdown", lang="fr")
    s = section(md, "Prévu et réalisé")
    assert "| Audit flash | terminée |" in s and "accepté par Marc Durand" in s
    assert "Comité de pilotage" in s and "en retard" in s


def test_html_plan_against_actual(capsys, tracked) -> None:
    plan = store.load(tracked).plan
    t = track(plan, dt.date.fromisoformat(AS_OF))
    doc = parse(report(capsys, tracked, "html"))  # strict HTML5
    sec = by_id(doc, "actual")
    ids = [el.get("id") for el in doc.iter() if el.get("id") in ("schedule", "actual", "transfer")]
    assert ids == ["schedule", "actual", "transfer"]
    body = text(sec)
    assert "Plan against actual" in body
    gantt = [
        el for el in sec.iter() if el.tag.endswith("svg") and "gantt" in (el.get("class") or "")
    ]
    assert gantt, "a Gantt of baseline and forecast"
    labels = text(gantt[0])
    for p in plan.phase:  # each phase as worked and forecast, then as planned
        assert p.name[:20] in labels
    assert labels.count("· as planned") == len(plan.phase)
    assert t.forecast.end.isoformat() in body or "forecast to end on" in body
    assert "accepted by Marc Durand" in body and "Envoyer la procédure devis" in body


def test_no_log_no_section(capsys, tmp_path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(SAMPLE.read_bytes())
    assert "Plan against actual" not in report(capsys, path, "markdown")
    doc = parse(report(capsys, path, "html"))
    assert all(el.get("id") != "actual" for el in doc.iter())
