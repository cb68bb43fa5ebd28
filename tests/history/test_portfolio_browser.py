"""The HTML portfolio in headless Chromium: one row per mission in risk order, the trend
sparklines drawn, nothing fetched, no horizontal overflow at A4 width; a strict HTML5 parse."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys

import pytest
from support import ROOT, need_tool

sys.path.insert(0, str(ROOT / "tests" / "report"))
from report_dom import parse

from releve.tui.cli import main

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 1123, 794  # an A4 page across, at 96 dpi
PROBE = """<script>
window.addEventListener("load", function () {
  var out = {rows: [], sparks: [], resources: [], scroll: document.documentElement.scrollWidth,
             view: window.innerWidth};
  document.querySelectorAll("tr.mission").forEach(function (tr) {
    var r = tr.getBoundingClientRect();
    out.rows.push({cls: tr.className, text: tr.cells[1].innerText, h: r.height, y: r.top});
  });
  document.querySelectorAll("svg.sparkline").forEach(function (s) {
    var r = s.getBoundingClientRect();
    out.sparks.push({w: r.width, h: r.height, marks: s.querySelectorAll(".spark,.spark-end").length});
  });
  performance.getEntriesByType("resource").forEach(function (e) { out.resources.push(e.name); });
  var pre = document.createElement("pre"); pre.id = "probe";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


def test_portfolio_page_in_chromium(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))
    exe = need_tool("chromium")
    folder = tmp_path / "missions"
    shutil.copytree(
        ROOT / "sample_missions", folder, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    (folder / "broken.toml").write_text("[mission\n", encoding="utf-8")
    out = tmp_path / "portfolio.html"
    # The trend comes from the repository's own history of the samples.
    samples = [str(ROOT / "sample_missions")]
    assert (
        main(
            [
                "portfolio",
                str(folder),
                *samples,
                "--as-of",
                "2027-03-01",
                "--format",
                "html",
                "-o",
                str(out),
                "--lang",
                "en",
            ]
        )
        == 0
    )
    capsys.readouterr()
    document = out.read_text(encoding="utf-8")
    parse(document)  # strict HTML5: any parse error raises
    assert 'http-equiv="Content-Security-Policy"' in document
    probed = tmp_path / "probed.html"
    probed.write_text(
        re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", document).replace(
            "</body>", PROBE + "</body>"
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={WIDTH},{HEIGHT}",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout.decode("utf-8"), re.DOTALL)
    assert found, done.stderr.decode()[-500:]
    seen = json.loads(html.unescape(found.group(1)))
    assert seen["resources"] == []
    assert seen["scroll"] <= seen["view"]  # no sideways scrolling at A4 width
    assert len(seen["rows"]) == 9  # 4 samples twice, and the broken plan
    assert "unreadable" in seen["rows"][0]["cls"]
    ys = [r["y"] for r in seen["rows"]]
    assert ys == sorted(ys) and all(r["h"] > 0 for r in seen["rows"])
    assert seen["rows"][1]["text"].startswith("Transports Mercier SARL")
    assert seen["sparks"] and all(
        s["w"] > 0 and s["h"] > 0 and s["marks"] >= 1 for s in seen["sparks"]
    )
