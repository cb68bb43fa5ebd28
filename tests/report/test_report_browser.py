"""The HTML report in a real browser: headless Chromium loads it from a file, draws the charts,
fetches nothing, and prints it to an A4 PDF. Keeps the first page as tests/artifacts/*.png."""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from report_fixtures import make_report
from support import ROOT, need_tool

from releve.tui.report import render

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
PROBE = """<script>
window.addEventListener("load", function () {
  var out = {charts: [], resources: []};
  document.querySelectorAll("svg.chart").forEach(function (s) {
    var b = s.getBBox(), r = s.getBoundingClientRect();
    out.charts.push({cls: s.getAttribute("class"), bw: b.width, bh: b.height,
      x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height,
      marks: s.querySelectorAll(
        ".bar,.pillar-bar,.dot,.spark,.spark-end,.gauge-arc,.cell-on,.seg,.cost,.tile").length});
  });
  performance.getEntriesByType("resource").forEach(function (e) {
    out.resources.push(e.name);
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""
WIDTH, HEIGHT = 794, 1123  # an A4 page at 96 dpi


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    exe = need_tool("chromium")
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "demo-report.html"
    path.write_text(render(make_report("en"), "html"), encoding="utf-8")
    return path


def probed_copy(report: Path, dest: Path) -> Path:
    """The report with the probe script added and its no-load policy taken out, so the
    browser test sees what the markup itself would fetch."""
    html = report.read_text(encoding="utf-8")
    html, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert n == 1
    dest.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    return dest


def probe(tmp_path: Path, report: Path) -> dict:
    copy = probed_copy(report, tmp_path / "probed.html")
    done = chromium(tmp_path, f"--window-size={WIDTH},{HEIGHT}", "--dump-dom", copy.as_uri())
    dom = done.stdout.decode("utf-8")
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, f"the probe did not run: {done.stderr.decode()[-500:]}"
    return json.loads(html.unescape(found.group(1)))


def test_every_chart_is_drawn_and_nothing_is_fetched(tmp_path, report_file):
    seen = probe(tmp_path, report_file)
    assert seen["resources"] == []
    kinds = {c["cls"].split()[-1] for c in seen["charts"]}
    assert {
        "gauge",
        "pillars",
        "lost-points",
        "gantt",
        "status",
        "meter",
        "sparkline",
        "signals",
        "dependence-map",
    } <= kinds
    for chart in seen["charts"]:
        assert chart["bw"] > 0 and chart["bh"] > 0, chart
        assert chart["w"] > 0 and chart["h"] > 0, chart
    for kind in (
        "gauge",
        "pillars",
        "lost-points",
        "gantt",
        "sparkline",
        "signals",
        "dependence-map",
    ):
        assert all(c["marks"] > 0 for c in seen["charts"] if kind in c["cls"].split()), kind
    gantt = next(c for c in seen["charts"] if "gantt" in c["cls"].split())
    assert gantt["w"] >= WIDTH * 0.6  # the Gantt chart spans the page, not a thumbnail


def test_prints_to_a4_pdf_with_a_page_per_major_section(tmp_path, report_file):
    pdf = tmp_path / "report.pdf"
    done = chromium(
        tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report_file.as_uri()
    )
    assert pdf.exists(), done.stderr.decode()[-500:]
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    # the cover, then score, findings, schedule, transfer, indicators and signals each
    # start a page; the fixture's sections are short, so few more
    assert 7 <= pages <= 12, pages
    sizes = {
        m.groups() for m in re.finditer(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    }
    assert sizes and all(
        abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in sizes
    ), sizes  # A4 in points
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.pdf").write_bytes(data)


def test_first_page_screenshot_shows_the_score_ring(tmp_path, report_file):
    seen = probe(tmp_path, report_file)
    gauge = next(c for c in seen["charts"] if "gauge" in c["cls"].split())
    shot = tmp_path / "first-page.png"
    chromium(
        tmp_path,
        f"--window-size={WIDTH},{HEIGHT}",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        report_file.as_uri(),
    )
    width, height, pixels = read_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report-first-page.png").write_bytes(shot.read_bytes())
    assert gauge["y"] + gauge["h"] <= HEIGHT, "the score ring is below the first page"
    x0, y0 = int(gauge["x"]), int(gauge["y"])
    x1, y1 = int(gauge["x"] + gauge["w"]), int(gauge["y"] + gauge["h"])
    inked = sum(1 for y in range(y0, y1) for x in range(x0, x1) if pixels[y][x] != (255, 255, 255))
    assert inked > 0.15 * (x1 - x0) * (y1 - y0)  # the ring and its number are drawn
    # …and in the score colour (amber for 71): the ring's arc is not just grey
    amber = sum(
        1 for y in range(y0, y1) for x in range(x0, x1) if _close(pixels[y][x], (0xB2, 0x6A, 0x00))
    )
    assert amber > 200


def _close(a: tuple[int, int, int], b: tuple[int, int, int], tol: int = 40) -> bool:
    return all(abs(p - q) <= tol for p, q in zip(a, b, strict=True))


def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, int, int]]]]:
    """An 8-bit RGB or RGBA PNG as rows of (r, g, b) — enough to read Chromium's screenshots."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp : x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows
