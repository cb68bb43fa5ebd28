"""Benchmarks of `releve report`: the whole command in a fresh process, and the renderers alone.

Targets (issue 6): a report of a sample plan in under 300 ms, whole process; of a plan ten
times larger, under 1 s. The larger plan is the Atelier Durand sample with every row table
copied ten times (phases chained copy after copy, so the schedule is ten times longer).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from run import ROOT, Case

SAMPLE = ROOT / "sample_missions" / "atelier-durand.toml"
AS_OF = "2027-03-01"
# Removed when the benchmark process ends.
_TMPDIR = tempfile.TemporaryDirectory(prefix="releve-bench-report-")
_TMP = Path(_TMPDIR.name)

#: Row tables copied in the larger plan, and the keys in each that name another copied row.
_COPIED = {
    "objective": ("id", "kpi"),
    "process": ("id",),
    "phase": ("id", "after"),
    "transfer": ("id", "process", "phase"),
    "kpi": ("id",),
    "signal": (),
    "irritant": ("id",),
}


def scaled_plan(data: dict[str, Any], times: int) -> dict[str, Any]:
    """The plan with each row table ``times`` as long; copy k's ids end in ``-k`` and its
    first phases wait for the previous copy's last phase."""
    out = dict(data)
    phases = data.get("phase", [])
    last = [p["id"] for p in phases if not any(p["id"] in q.get("after", []) for q in phases)]
    firsts = [p["id"] for p in phases if not p.get("after")]
    for table, keys in _COPIED.items():
        rows = []
        for k in range(times):
            for row in data.get(table, []):
                copy = dict(row)
                if k:
                    for key in keys:
                        value = copy.get(key)
                        if isinstance(value, list):
                            copy[key] = [f"{v}-{k}" for v in value]
                        elif value:
                            copy[key] = f"{value}-{k}"
                    if table == "phase" and row["id"] in firsts:
                        prev = "" if k == 1 else f"-{k - 1}"
                        copy["after"] = [*copy.get("after", []), *(f"{p}{prev}" for p in last)]
                    if table == "signal":
                        copy["on"] = row["on"] + dt.timedelta(days=7 * k)
                rows.append(copy)
        out[table] = rows
    waivers = []
    for k in range(times):
        for w in data.get("waiver", []):
            target = w.get("target")
            waivers.append({**w, **({"target": f"{target}-{k}"} if target and k else {})})
    out["waiver"] = waivers
    return out


def _write_plans() -> dict[str, Path]:
    import tomli_w

    with SAMPLE.open("rb") as fh:
        data = tomllib.load(fh)
    big = _TMP / "atelier-durand-x10.toml"
    big.write_text(tomli_w.dumps(scaled_plan(data, 10)), encoding="utf-8")
    return {"sample": SAMPLE, "x10": big}


def _command(plan: Path, fmt: str) -> list[str]:
    out = _TMP / f"{plan.stem}.{'html' if fmt == 'html' else 'md'}"
    return [
        sys.executable,
        "-m",
        "releve.tui.cli",
        "report",
        str(plan),
        "--as-of",
        AS_OF,
        "--format",
        fmt,
        "-o",
        str(out),
    ]


def _process(cmd: list[str]) -> Any:
    def run() -> None:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr)

    return run


def _render_only(plan: Path, fmt: str) -> Any:
    """Time the renderer alone on a report gathered once (untimed)."""
    state: dict[str, Any] = {}

    def setup() -> None:
        from releve.tui.report import build_report

        state["report"] = build_report(plan, as_of=dt.date.fromisoformat(AS_OF))

    def run() -> str:
        from releve.tui.report import render

        return render(state["report"], fmt)

    return setup, run


def cases() -> list[Case]:
    plans = _write_plans()
    out = [
        Case(
            "report html, sample plan (whole process)",
            _process(_command(plans["sample"], "html")),
            target_ms=300,
            repeat=10,
        ),
        Case(
            "report markdown, sample plan (whole process)",
            _process(_command(plans["sample"], "markdown")),
            target_ms=300,
            repeat=10,
        ),
        Case(
            "report html, plan 10x larger (whole process)",
            _process(_command(plans["x10"], "html")),
            target_ms=1000,
            repeat=5,
        ),
        Case(
            "report markdown, plan 10x larger (whole process)",
            _process(_command(plans["x10"], "markdown")),
            target_ms=1000,
            repeat=5,
        ),
    ]
    for name, plan in (("sample plan", plans["sample"]), ("plan 10x larger", plans["x10"])):
        for fmt in ("html", "markdown"):
            setup, run = _render_only(plan, fmt)
            out.append(Case(f"report {fmt} render only, {name}", run, setup=setup, repeat=20))
    return out
