"""The background check: schedule, facts, rules and score off the screen's thread.

``PlanChecker`` is an invisible widget on the main screen. ``request(plan)`` asks for the
plan to be checked soon (edits within ``CHECK_DELAY`` share one run; edits arriving while a
check runs are checked together right after it); each finished run posts ``Done`` with
the result or the one-line reason it failed. The pack set is loaded once per
``[rules].packs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from textual.message import Message
from textual.widget import Widget

from releve.planner.errors import LocatedError
from releve.planner.model import Plan
from releve.rules.result import CheckResult
from releve.tui.i18n import norm_lang, t

#: Delay between an edit and the check it starts; edits within it share one check.
CHECK_DELAY = 0.01

CheckFn = Callable[..., CheckResult]


class PlanChecker(Widget):
    """Runs the check of the latest plan requested and posts ``Done`` for each run."""

    DEFAULT_CSS = "PlanChecker { display: none; }"

    class Done(Message):
        """A check finished: ``result`` (None when it failed: ``error`` says why) of
        ``plan``, the ``gen``-th request."""

        def __init__(
            self, plan: Plan, result: CheckResult | None, error: str | None, gen: int
        ) -> None:
            super().__init__()
            self.plan = plan
            self.result = result
            self.error = error
            self.gen = gen

    def __init__(
        self,
        *,
        as_of: dt.date,
        lang: str,
        findings_lang: str | None = None,
        check: CheckFn | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.as_of = as_of
        self.lang = lang  # of the interface: the reason a check failed
        self.findings_lang = findings_lang  # --lang; None: each plan's own language
        self._check_fn = check
        self._pack_cache: tuple[Any, Any] | None = None
        self._plan: Plan | None = None
        self._pack_path: Path | None = None
        self.requested = 0  # requests so far
        self.checked = -1  # the request the last finished run answered
        self._busy = False
        self._timer: Any = None

    def request(self, plan: Plan, pack_path: Path | None) -> None:
        """Check ``plan`` soon (its packs are looked for next to ``pack_path``)."""
        self._plan, self._pack_path = plan, pack_path
        self.requested += 1
        if self._busy or self._timer is not None:
            return
        self._timer = self.set_timer(CHECK_DELAY, self._start)

    @property
    def settled(self) -> bool:
        """No check pending or running: the last Done answered the latest request."""
        return not self._busy and self._timer is None and self.checked == self.requested

    def _start(self) -> None:
        self._timer = None
        if self._plan is None:
            return
        self._busy = True
        self._run(self._plan, self._pack_path, self.requested)

    def _checker(self) -> CheckFn:
        if self._check_fn is None:
            from releve.rules.pipeline import check_plan

            self._check_fn = partial(self._check_with_cached_packs, check_plan)
        return self._check_fn

    def _check_with_cached_packs(self, check_plan: CheckFn, plan: Plan, **kwargs: Any) -> Any:
        """check_plan with the pack set reused while the plan's [rules].packs are unchanged."""
        from releve.rules.packs import load_pack_set

        packs = tuple(plan.rules.packs) if plan.rules else ()
        key = (kwargs.get("path"), packs)
        if self._pack_cache is None or self._pack_cache[0] != key:
            self._pack_cache = (key, load_pack_set(kwargs.get("path"), plan))
        return check_plan(plan, pack_set=self._pack_cache[1], **kwargs)

    def _lang_of(self, plan: Plan) -> str:
        """The findings' language: --lang when given, else the plan's Mission › Language
        (so changing it in the form switches the findings; the interface keeps its own)."""
        return self.findings_lang or norm_lang(plan.mission.language.value)

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _run(self, plan: Plan, pack_path: Path | None, gen: int) -> None:
        result: CheckResult | None = None
        error: str | None = None
        try:
            path = str(pack_path) if pack_path else None
            result = self._checker()(plan, as_of=self.as_of, path=path, lang=self._lang_of(plan))
        except LocatedError as err:
            error = str(err)
        except Exception as err:  # noqa: BLE001 - a bug in a rule must not take the editor down
            error = t(self.lang, "pipeline.failed", error=f"{type(err).__name__}: {err}")
        self.app.call_from_thread(self._finished, plan, gen, result, error)

    def _finished(
        self, plan: Plan, gen: int, result: CheckResult | None, error: str | None
    ) -> None:
        self._busy = False
        self.checked = gen
        self.post_message(self.Done(plan, result, error, gen))
        if gen != self.requested and self._plan is not None:
            self._timer = self.set_timer(CHECK_DELAY, self._start)
