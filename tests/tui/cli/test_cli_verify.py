"""`releve verify` compares every figure the report shows (issue 16): the headline, the
gauge, each pillar's heading, bar and table row, the counts, against the report rendered
again from the plan and packs with the embedded provenance."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import ROOT

from releve.tui.cli import main

DURAND = ROOT / "sample_missions" / "atelier-durand.toml"
ASOF = ["--as-of", "2027-03-01"]


def verify(capsys, report: Path, plan: Path) -> tuple[int, str, str]:
    code = main(["verify", str(report), str(plan), "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, object]:
    """Durand's plan, and its HTML and Markdown reports as `releve report` wrote them."""
    folder = tmp_path_factory.mktemp("verify")
    plan = folder / "durand.toml"
    shutil.copy(DURAND, plan)
    out: dict[str, object] = {"plan": plan, "folder": folder}
    for fmt, ext in (("html", "html"), ("markdown", "md")):
        report = folder / f"report.{ext}"
        assert main(["report", str(plan), *ASOF, "--format", fmt, "-o", str(report)]) == 0
        out[fmt] = report.read_text(encoding="utf-8")
    return out


def _score(text: str) -> str:
    m = re.search(r'data-score="(\d+)"', text)
    assert m, "the HTML report shows its score in the gauge"
    return m.group(1)


def _pillar(text: str) -> tuple[str, str]:
    """A pillar heading's figure, as the HTML report shows it: (its name, its score)."""
    m = re.search(r"<h3[^>]*>([^<—]+) — (\d+) / 100</h3>", text)
    assert m, "each pillar has a heading with its score"
    return m.group(1).strip(), m.group(2)


def _other(figure: str) -> str:
    return "12" if figure != "12" else "13"


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_an_untouched_report_is_the_same_score_even_when_the_plan_file_is_renamed(
    capsys, made, fmt
) -> None:
    folder = made["folder"]
    report = folder / f"untouched.{fmt}"
    report.write_text(made[fmt], encoding="utf-8")
    code, out, _ = verify(capsys, report, made["plan"])
    assert code == 0 and out.startswith("same score: readiness ")
    renamed = folder / "copy-of-durand.toml"
    shutil.copy(made["plan"], renamed)
    code, out, _ = verify(capsys, report, renamed)
    assert code == 0 and out.startswith("same score: readiness ")


def _html_edits(text: str) -> list[tuple[str, str, str, str]]:
    """(what is edited, the edited page, the figure the page now shows, the true one)."""
    score = _score(text)
    name, pillar = _pillar(text)
    bar = re.search(r'data-pillar-score="(\d+)"', text)
    count = re.search(r'data-count="warning"><b>(\d+)</b>', text)
    assert bar and count
    edits = [
        ("headline", "<b>{} / 100</b>", score),
        ("gauge text", ">{}</text>", score),
        ("gauge data-score", 'data-score="{}"', score),
        ("pillar heading", name + " — {} / 100</h3>", pillar),
        ("pillar bar", 'data-pillar-score="{}"', bar.group(1)),
        ("warning count", 'data-count="warning"><b>{}</b>', count.group(1)),
    ]
    out = []
    for what, shape, true in edits:
        old, new = shape.format(true), shape.format(_other(true))
        assert old in text, what
        out.append((what, text.replace(old, new, 1), _other(true), true))
    return out


def _markdown_edits(text: str) -> list[tuple[str, str, str, str]]:
    head = re.search(r"\*\*([^*\n]*?) (\d+) / 100\*\*", text)
    row = re.search(r"^\| ([^|\n]+) \| (\d+) \| `([█░]+)` \|$", text, re.M)
    pillar = re.search(r"^### (.+?) — (\d+) / 100$", text, re.M)
    assert head and row and pillar
    bars = row.group(3)
    other_bars = ("░" if bars[0] == "█" else "█") + bars[1:]
    edits = [
        ("headline", head.group(0), head.group(0).replace(f" {head.group(2)} /", " 100 /")),
        ("pillar table", row.group(0), row.group(0).replace(f"| {row.group(2)} |", "| 12 |")),
        ("pillar bar", row.group(0), row.group(0).replace(bars, other_bars)),
        (
            "pillar heading",
            pillar.group(0),
            pillar.group(0).replace(f"— {pillar.group(2)} /", f"— {_other(pillar.group(2))} /"),
        ),
    ]
    out = []
    for what, old, new in edits:
        assert old != new, what
        edited = text.replace(old, new, 1)
        shown, true = (other_bars, bars) if "bar" in what else (None, None)
        if shown is None:
            a = [m for m in re.findall(r"\d+", new)]
            b = [m for m in re.findall(r"\d+", old)]
            shown, true = next((x, y) for x, y in zip(a, b, strict=True) if x != y)
        out.append((what, edited, shown, true))
    return out


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_each_visible_figure_edited_is_named_exit_1(capsys, made, fmt) -> None:
    text = str(made[fmt])
    edits = _html_edits(text) if fmt == "html" else _markdown_edits(text)
    for what, edited, shown, true in edits:
        report = Path(made["folder"]) / f"edited.{fmt}"
        report.write_text(edited, encoding="utf-8")
        code, out, err = verify(capsys, report, made["plan"])
        assert code == 1 and err == "", what
        # The provenance is untouched: only the page's figure is named, page then recomputed.
        lines = out.splitlines()
        assert len(lines) == 1 and lines[0].startswith("figures differ: the page shows"), (
            what,
            out,
        )
        page, again = lines[0].split(", the recomputed report ")
        assert shown in page and true in again, (what, out)
        assert "same score" not in out


def test_the_gauge_and_bars_are_named_by_their_chart_and_pillar(capsys, made) -> None:
    text = str(made["html"])
    bar = re.search(r'>([^<>]+)</text>(?:<rect [^>]*/>)?<rect [^>]*data-pillar-score="(\d+)"', text)
    assert bar, "each bar follows its pillar's label"
    report = Path(made["folder"]) / "bar.html"
    report.write_text(
        text.replace(
            f'data-pillar-score="{bar.group(2)}"',
            f'data-pillar-score="{_other(bar.group(2))}"',
        ),
        encoding="utf-8",
    )
    code, out, _ = verify(capsys, report, made["plan"])
    assert code == 1
    assert f'<rect data-pillar-score="{_other(bar.group(2))}">' in out
    assert f"› {bar.group(1)}\u201d)" in out  # under "… › Score par pilier › Documentation"


def test_a_since_section_is_left_out_but_a_figure_moved_into_it_is_missed(capsys, made) -> None:
    """The "Since" section is read from git: verify leaves it out. Hiding the headline in
    it does not hide it: the recomputed report shows the headline, the page does not."""
    text = str(made["markdown"])
    extra = (
        "<!-- releve-since -->\n## Since 2026-01-01\n\nreadiness 41 → 99\n<!-- /releve-since -->\n"
    )
    report = Path(made["folder"]) / "since.md"
    at = text.index("\n## ")
    report.write_text(text[: at + 1] + extra + text[at + 1 :], encoding="utf-8")
    code, out, _ = verify(capsys, report, made["plan"])
    assert code == 0 and out.startswith("same score")
    assert "not verified: the \u201cSince\u201d section" in out
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if " / 100**" in line)  # the headline
    hidden = "".join(
        [*lines[:at], "<!-- releve-since -->\n", lines[at], "<!-- /releve-since -->\n"]
        + lines[at + 1 :]
    )
    report.write_text(hidden, encoding="utf-8")
    code, out, _ = verify(capsys, report, made["plan"])
    assert code == 1 and "which the page does not" in out


def _digit_positions(text: str, fmt: str) -> list[int]:
    """Where the page shows a digit: HTML text after <body> outside style and script; every
    Markdown line but the provenance comment."""
    if fmt == "markdown":
        end = text.index("<!-- releve-provenance")
        return [m.start() for m in re.finditer(r"\d", text[:end])]
    body = text.index("<body")
    out = []
    for m in re.finditer(r">([^<>]+)<", text[body:]):
        before = text[: body + m.start()]
        if before.rfind("<style") > before.rfind("</style") or before.rfind(
            "<script"
        ) > before.rfind("</script"):
            continue
        entities = [e.span() for e in re.finditer(r"&#?\w+;", m.group(1))]  # &#x27; is a '
        out += [
            body + m.start(1) + i
            for i, ch in enumerate(m.group(1))
            if ch.isdigit() and not any(a <= i < z for a, z in entities)
        ]
    return out


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_any_digit_of_the_page_edited_is_a_figure_that_differs(made, fmt) -> None:
    """Property: whichever digit the page shows is changed, the page no longer matches the
    report rendered again, and the line named shows the edited digit."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from releve.tui.cli.verify import page_differences

    text = str(made[fmt])
    positions = _digit_positions(text, fmt)
    assert len(positions) > 100
    assert page_differences(text, text, fmt) == []

    @settings(max_examples=60, deadline=None)
    @given(st.sampled_from(positions), st.integers(1, 9))
    def edit(at: int, by: int) -> None:
        digit = str((int(text[at]) + by) % 10)
        edited = text[:at] + digit + text[at + 1 :]
        found = page_differences(edited, text, fmt)
        assert found, (at, text[at - 40 : at + 40])
        assert all(d.startswith("figures differ: ") for d in found)

    edit()


def test_verify_speaks_the_reports_language_and_names_pillars_in_words(capsys, made) -> None:
    """Durand's report is in French: verify says what it finds in French unless asked
    otherwise, and a pillar is named as the report names it, never by its id."""
    folder, plan = Path(made["folder"]), Path(made["plan"])
    report = folder / "fr.html"
    report.write_text(str(made["html"]), encoding="utf-8")
    code = main(["verify", str(report), str(plan)])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("même score : préparation ") and "vue complète" in out
    score = _score(str(made["html"]))
    report.write_text(
        str(made["html"]).replace(f"<b>{score} / 100</b>", f"<b>{_other(score)} / 100</b>"),
        encoding="utf-8",
    )
    code = main(["verify", str(report), str(plan)])
    out = capsys.readouterr().out
    assert code == 1 and out.startswith("chiffres différents : la page montre « ")
    # The plan changed: each pillar that moved is named in words.
    edited = folder / "edited-plan.toml"
    text = plan.read_text(encoding="utf-8")
    i = text.index('id = "quoting"')
    j = text.index("documentation = 1", i)
    edited.write_text(text[:j] + "documentation = 3" + text[j + 17 :], encoding="utf-8")
    report.write_text(str(made["html"]), encoding="utf-8")
    for lang, word in (("fr", "pilier Documentation "), ("en", "pillar Documentation ")):
        code = main(["verify", str(report), str(edited), "--lang", lang])
        out = capsys.readouterr().out
        assert code == 1 and word in out, out
        assert "pillar documentation" not in out and "pilier documentation" not in out
