"""SVG snapshot of the Readiness view with the plan's history in git (issue 13): Durand in
three commits (as signed, quoting handed to Sophie, quoting written down), the view of the
last one: readiness and framing apart, then the history sparklines and the last moves.

Update after an intended change with ``pytest tests/tui/test_readiness_history_snapshot.py
--snapshot-update`` and look at the report before committing the new SVG."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from releve.planner import store
from releve.rules.pipeline import check_plan
from releve.rules.result import CheckResult
from releve.tui.app.widgets.readiness import Readiness

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "history"))
from gitrepo import GitRepo, need_git  # noqa: E402

SIZE = (100, 60)


class Host(App[None]):
    def __init__(self, result: CheckResult, path: Path) -> None:
        super().__init__()
        self._result = result
        self._path = path

    def compose(self) -> ComposeResult:
        view = Readiness()
        view.plan_path = self._path
        yield view

    def on_mount(self) -> None:
        self.query_one(Readiness).update(self._result)


def durand_in_git(root: Path) -> Path:
    need_git()
    r = GitRepo(root)
    r.write("durand.toml", (ROOT / "sample_missions" / "atelier-durand.toml").read_text("utf-8"))
    r.commit("Plan as signed", "2027-01-10")
    r.edit(
        "durand.toml",
        'owner = "marc"\nbackup = ""                 # les coefficients',
        'owner = "sophie"\nbackup = "marc"\nbackup_trained = true # les coefficients',
    )
    r.commit("Sophie takes quoting over", "2027-02-01")
    r.edit(
        "durand.toml",
        "backup_trained = true # les coefficients de prix sont dans la tête de Marc\n"
        "documentation = 1",
        "backup_trained = true\ndocumentation = 3",
    )
    r.commit("Quoting procedure written", "2027-02-15")
    return r.root / "durand.toml"


def test_readiness_view_with_history_snapshot(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELEVE_CACHE_DIR", str(tmp_path / "cache"))
    path = durand_in_git(tmp_path / "repo")
    plan = store.loads(path.read_text(encoding="utf-8"), str(path))
    result = check_plan(plan, as_of=dt.date(2027, 3, 1), path=str(path))

    async def history_read(pilot: Any) -> None:
        view = pilot.app.query_one(Readiness)
        while view.history_state != "ready":
            await pilot.pause(0.02)
        await pilot.pause()

    assert snap_compare(Host(result, path), terminal_size=SIZE, run_before=history_read)
