"""The app in a real terminal (tmux): open a copy of a sample, fix the reporting line, save,
log a day on the first phase (mission log, issue #11), save, quit; only that line changed
and the booking was appended, comments kept, and the finding it fixed is gone."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from app_helpers import ROOT, SAMPLES, need_tool

from releve.planner import store

pytestmark = pytest.mark.tmux


class Tmux:
    """One detached tmux session running a command at 120x40, on a tmux server of its own
    (own socket, no user config: nothing of the user's tmux changes the terminal)."""

    def __init__(self, tmux: str, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.name = f"releve-{uuid.uuid4().hex[:8]}"
        self.tmux = [tmux, "-L", self.name, "-f", "/dev/null"]
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        # COLUMNS/LINES inherited from the test runner would override the terminal's size.
        shell = (
            f"cd {_quote(str(cwd))} && env -u COLUMNS -u LINES {exports} "
            f"{' '.join(map(_quote, command))}"
        )
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", shell],
            check=True,
        )

    def screen(self) -> str:
        out = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name],
            check=False,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def alive(self) -> bool:
        return (
            subprocess.run(
                [*self.tmux, "has-session", "-t", self.name], check=False, capture_output=True
            ).returncode
            == 0
        )

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; screen:\n{self.screen()}")
            time.sleep(0.05)  # polling interval of the condition, not a wait for an outcome

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False, capture_output=True)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _check_json(path: Path) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "releve.tui.cli",
            "check",
            "--format",
            "json",
            "--as-of",
            "2027-03-01",
            "--fail-on",
            "never",
            str(path),
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["plans"][0]


def test_fix_the_reporting_line_in_a_real_terminal(tmp_path: Path) -> None:
    tmux = need_tool("tmux")
    plan = tmp_path / "durand.toml"
    original = (SAMPLES / "atelier-durand.toml").read_text(encoding="utf-8")
    broken = original.replace('reports_to = "marc"', 'reports_to = "nobody"')
    assert broken != original
    plan.write_text(broken, encoding="utf-8")
    before = _check_json(plan)
    assert any(f["path"] == "governance.reports_to" for f in before["findings"])

    env = {
        "RELEVE_STATE_DIR": str(tmp_path / "state"),
        "RELEVE_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    session = Tmux(
        tmux,
        [
            sys.executable,
            "-m",
            "releve.tui.cli",
            "edit",
            str(plan),
            "--as-of",
            "2027-03-01",
            "--lang",
            "en",
        ],
        env,
        tmp_path,
    )
    try:
        session.wait(lambda: "GOV001" in session.screen(), "the first check's GOV001 finding")
        # Sections -> Governance (6th), then into the form: its first field is reports_to.
        session.keys("j", "j", "j", "j", "j")
        session.wait(lambda: "Reports to" in session.screen(), "the governance form")
        session.keys("Tab")
        session.keys("Enter")  # open the list of people
        session.wait(
            lambda: "Marc Durand (marc)" in session.screen() and "Dismiss menu" in session.screen(),
            "the list of people, focused",
        )
        session.keys("M", "a", "r", "c", "Enter")  # type to search, then pick
        session.wait(lambda: "GOV001" not in session.screen(), "GOV001 to go away")
        session.keys("C-s")
        session.wait(lambda: 'reports_to = "marc"' in plan.read_text(encoding="utf-8"), "the save")
        # Back to the sections (shift+tab from the form's first field), Phases is 4 below
        # Governance; into its table (tab): the cursor is on the first phase, the flash
        # audit; l logs a day on the check date.
        session.keys("BTab")
        session.keys("j", "j", "j", "j")
        session.wait(lambda: "Audit flash" in session.screen(), "the Phases table")
        session.keys("Tab")
        session.keys("l")
        session.wait(lambda: "1 of 5 days booked" in session.screen(), "the day logged")
        session.keys("C-s")
        session.wait(lambda: "[[booking]]" in plan.read_text(encoding="utf-8"), "the second save")
        session.keys("C-q")
        session.wait(lambda: not session.alive(), "the app to quit")
    finally:
        session.kill()

    saved = plan.read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(broken.splitlines(), saved.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    booking = ["+", "+[[booking]]", "+on = 2027-03-01", '+phase = "audit"', "+days = 1"]
    assert diff == ['-reports_to = "nobody"', '+reports_to = "marc"', *booking]
    # every comment and blank line kept, the booking at the end (the file had none)
    assert saved == original + '\n[[booking]]\non = 2027-03-01\nphase = "audit"\ndays = 1\n'
    assert [(b.on.isoformat(), b.phase, b.days) for b in store.loads(saved).booking] == [
        ("2027-03-01", "audit", 1)
    ]
    after = _check_json(plan)
    assert not any(f["path"] == "governance.reports_to" for f in after["findings"])
    rules_before = {f["rule"] for f in before["findings"]}
    rules_after = {f["rule"] for f in after["findings"]}
    # GOV001 fixed; and once the plan is tracked, the diagnostic has not ended in the
    # forecast (one day of audit logged by the check date), so its transfer is not overdue
    assert rules_before - rules_after == {"GOV001", "TRF007"}
    # what is new comes from the mission log's own rules (the day logged), nothing else
    assert rules_after - rules_before and all(
        r.startswith("LOG") for r in rules_after - rules_before
    )
