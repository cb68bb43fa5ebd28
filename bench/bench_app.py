"""Benchmarks of the terminal app: first frame in a real terminal, keystroke to updated
findings, and scrolling a table of 1,000 rows.

Targets (issue 5): first frame under 1 s (cold process, under tmux); keystroke to updated
findings under 150 ms on the samples and under 500 ms on a plan ten times larger; a table
of 1,000 rows scrolls without lag (one DataTable, no widget per row; target set at 50 ms a
key, three frames).
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import uuid
from pathlib import Path
from typing import Any

import tomli_w
from run import ROOT, Case

SAMPLE = ROOT / "sample_missions" / "atelier-durand.toml"
AS_OF = dt.date(2027, 3, 1)

#: Reference fields of each array table, remapped when a plan is copied N times.
_REFS = {
    "objective": ("kpi",),
    "person": ("backup",),
    "process": ("owner", "backup"),
    "phase": ("after",),
    "transfer": ("process", "from", "to", "phase"),
    "kpi": ("owner",),
    "irritant": ("owner",),
}


def larger_plan(times: int) -> str:
    """The sample with every array table repeated ``times`` times (ids and references
    renamed per copy, so the copies are independent, coherent missions in one plan)."""
    data = tomllib.loads(SAMPLE.read_text(encoding="utf-8"))
    for table, refs in _REFS.items():
        rows = data.get(table, [])
        out = []
        for n in range(times):
            suffix = "" if n == 0 else f"-{n}"
            for row in rows:
                row = dict(row)
                row["id"] = row["id"] + suffix
                for ref in refs:
                    if isinstance(row.get(ref), str) and row[ref] not in ("", "coo"):
                        row[ref] = row[ref] + suffix
                    elif isinstance(row.get(ref), list):
                        row[ref] = [r + suffix for r in row[ref]]
                out.append(row)
        data[table] = out
    for key in ("signal", "waiver"):
        data[key] = data.get(key, []) * times
    return tomli_w.dumps(data)


def many_people(count: int) -> str:
    data = tomllib.loads(SAMPLE.read_text(encoding="utf-8"))
    data["person"] = data["person"] + [
        {"id": f"p{i:04d}", "name": f"Person {i}", "role": "Opérateur"} for i in range(count)
    ]
    return tomli_w.dumps(data)


class Driver:
    """One app running headless in a thread of its own, driven key by key."""

    def __init__(self, path: Path, section: str, focus: str) -> None:
        os.environ.setdefault("RELEVE_STATE_DIR", tempfile.mkdtemp(prefix="releve-bench-st-"))
        self.path, self.section, self.focus = path, section, focus
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.closed = threading.Event()
        self.stop: asyncio.Event | None = None
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(self._main(), self.loop)
        deadline = time.monotonic() + 60
        while not self.ready.wait(0.05):
            if started.done():  # the app ended (or raised) before it was ready: say why
                error = started.exception()
                raise RuntimeError(f"the app did not start: {error!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not start within 60 s")
        self.flip = False
        self.done = asyncio.run_coroutine_threadsafe(self._finished(), self.loop)
        atexit.register(self.close)

    async def _finished(self) -> None:
        while self.stop is None or not self.stop.is_set():
            await asyncio.sleep(0.05)

    def close(self) -> None:
        """Let the app end its run_test before the interpreter goes away."""
        if self.stop is not None and not self.stop.is_set():
            self.loop.call_soon_threadsafe(self.stop.set)
            self.done.result(10)
            self.closed.wait(10)
            self.loop.call_soon_threadsafe(self.loop.stop)

    async def _main(self) -> None:
        from releve.tui.app.app import ReleveApp

        self.stop = asyncio.Event()
        self.app = ReleveApp(self.path, as_of=AS_OF)
        async with self.app.run_test(size=(120, 40)) as pilot:
            self.pilot = pilot
            await self._settle()
            await self.app.show_section(self.section)
            await pilot.pause()
            self.app.screen.query_one(self.focus).focus()
            await pilot.pause()
            self.ready.set()
            await self.stop.wait()
        self.closed.set()

    async def _settle(self) -> None:
        while not self.app.settled:
            await asyncio.sleep(0.001)

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def _edit(self) -> None:
        # Type one digit or erase it: each keystroke is an edit, checked again.
        gen = self.app.edit_gen
        await self.pilot.press("backspace" if self.flip else "1")
        self.flip = not self.flip
        while self.app.edit_gen == gen or not self.app.settled:
            await asyncio.sleep(0.001)

    def keystroke_to_findings(self) -> None:
        self.call(self._edit())

    async def _scroll(self, keys: list[str]) -> None:
        await self.pilot.press(*keys)

    def scroll(self, keys: list[str]) -> None:
        self.call(self._scroll(keys))


def _first_frame(tmux: str, plan: Path) -> None:
    """Cold `releve edit` under tmux until the first frame (the sections panel) shows."""
    name = f"releve-bench-{uuid.uuid4().hex[:8]}"
    base = [tmux, "-L", name, "-f", "/dev/null"]
    # A state folder of its own: no journal left by another run offers a recovery instead.
    state = tempfile.mkdtemp(prefix="releve-bench-st-")
    env = f"env -u COLUMNS -u LINES RELEVE_STATE_DIR={state}"
    command = f"{env} {sys.executable} -m releve.tui.cli edit {plan} --as-of 2027-03-01"
    subprocess.run(
        [*base, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command], check=True
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            out = subprocess.run(
                [*base, "capture-pane", "-p", "-t", name],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if "Sections" in out and "Mission" in out:
                return
            time.sleep(0.005)
        raise RuntimeError("no first frame within 20 s")
    finally:
        subprocess.run([*base, "kill-server"], check=False, capture_output=True)


def cases() -> list[Case]:
    folder = Path(tempfile.mkdtemp(prefix="releve-bench-app-"))

    def copy_of_sample(name: str) -> Path:
        # One file per app: two apps on one file would share its journal (the second one
        # would open on the recovery offer of the first one's unsaved edits).
        path = folder / f"atelier-durand-{name}.toml"
        path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        return path

    sample, typed, scrolled = (copy_of_sample(n) for n in ("frame", "typed", "scrolled"))
    big = folder / "atelier-durand-x10.toml"
    big.write_text(larger_plan(10), encoding="utf-8")
    crowd = folder / "people-1000.toml"
    crowd.write_text(many_people(1000), encoding="utf-8")
    out: list[Case] = []
    tmux = shutil.which("tmux")
    if tmux:
        out.append(
            Case(
                "app: first frame, cold process under tmux",
                lambda: _first_frame(tmux, sample),
                target_ms=1000,
                repeat=5,
            )
        )
    drivers: dict[str, Driver] = {}

    def driver(key: str, path: Path, section: str, focus: str) -> Driver:
        if key not in drivers:
            drivers[key] = Driver(path, section, focus)
        return drivers[key]

    out.append(
        Case(
            "app: keystroke to updated findings (atelier-durand)",
            lambda: driver("s", typed, "company", "#f-headcount").keystroke_to_findings(),
            target_ms=150,
            repeat=30,
            setup=lambda: driver("s", typed, "company", "#f-headcount"),
        )
    )
    out.append(
        Case(
            "app: keystroke to updated findings (plan x10: 90 people, 70 phases)",
            lambda: driver("b", big, "company", "#f-headcount").keystroke_to_findings(),
            target_ms=500,
            repeat=15,
            setup=lambda: driver("b", big, "company", "#f-headcount"),
        )
    )
    keys = ["down"] * 20 + ["pagedown"] * 5 + ["G", "g"]
    out.append(
        Case(
            "app: table of 9 rows, one key of scrolling (baseline: the same keys)",
            lambda: driver("t9", scrolled, "person", "#rows-person").scroll(keys),
            repeat=10,
            per=len(keys),
            setup=lambda: driver("t9", scrolled, "person", "#rows-person"),
        )
    )
    out.append(
        Case(
            "app: table of 1,009 rows, one key of scrolling (down, pagedown, G, g)",
            lambda: driver("t", crowd, "person", "#rows-person").scroll(keys),
            target_ms=50,
            repeat=10,
            per=len(keys),
            setup=lambda: driver("t", crowd, "person", "#rows-person"),
        )
    )
    return out
