"""Hypothesis strategies for valid mission plans, shared by every layer's property tests.

Usage::

    from strategies import plans
    @given(plans())
    def test_something(plan): ...

``plans()`` draws a ``Plan`` that the model accepts: any subset of the tables, 0 to
``max_rows`` rows per array, unique slug ids, every enumeration, dates, optional keys
left out or set, strings with accents, quotes, backslashes and newlines. With
``coherent=True`` (the default) references point at ids that exist (people, phases,
processes, KPIs) and ``phase.after`` only names earlier phases (no cycle), so the plan
can be scheduled; with ``coherent=False`` references are arbitrary slugs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from releve.planner.model import (
    Company,
    Coo,
    Delegation,
    Direction,
    Exit,
    ExitKind,
    Gate,
    Governance,
    Irritant,
    Kpi,
    KpiCategory,
    Language,
    Measure,
    MissionInfo,
    MissionStatus,
    Objective,
    Period,
    Person,
    Phase,
    PhaseKind,
    Plan,
    Process,
    Reporting,
    Rules,
    Scope,
    Signal,
    SignalKind,
    Stake,
    Transfer,
    TransferMethod,
    TransferStatus,
    Waiver,
    Weekday,
)

MIN_DATE = dt.date(2024, 1, 1)
MAX_DATE = dt.date(2032, 12, 31)

slugs = st.from_regex(r"[a-z0-9_-]{1,12}", fullmatch=True)
dates = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)
#: Text a person may type: accents, quotes, backslash, tab and newline included.
texts = st.text(
    alphabet=st.one_of(
        st.sampled_from("abcdeéèàçôœ ÉÀ-'\"\\#=[]{},.\t\n€%"),
        st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
    ),
    max_size=24,
)
shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(dates)
    length = draw(st.integers(min_value=0, max_value=30))
    return Period(
        **{"from": start},
        to=start + dt.timedelta(days=length),
        reason=draw(_opt(texts)),
    )


def missions() -> st.SearchStrategy[MissionInfo]:
    return st.builds(
        MissionInfo,
        id=slugs,
        title=texts,
        start=dates,
        language=st.sampled_from(Language),
        status=st.sampled_from(MissionStatus),
    )


def companies() -> st.SearchStrategy[Company]:
    return st.builds(
        Company,
        name=_opt(texts),
        sector=_opt(texts),
        headcount=_opt(st.integers(min_value=0, max_value=100_000)),
        revenue_keur=_opt(st.floats(min_value=0, max_value=1e7, allow_nan=False)),
        country=st.sampled_from(["FR", "BE", "CH", "DE", "LU"]),
        top_customer_share=_opt(shares),
        recurring_revenue_share=_opt(shares),
        closures=st.lists(periods(), max_size=3),
    )


def coos() -> st.SearchStrategy[Coo]:
    return st.builds(
        Coo,
        name=_opt(texts),
        firm=_opt(texts),
        workdays=st.lists(st.sampled_from(Weekday), min_size=1, max_size=7, unique=True),
        contracted_days=_opt(st.integers(min_value=0, max_value=400)),
        leave=st.lists(periods(), max_size=3),
    )


def _ref(ids: list[str], coherent: bool) -> st.SearchStrategy[str | None]:
    if coherent and ids:
        return _opt(st.sampled_from(ids))
    return _opt(slugs)


@st.composite
def plans(draw: st.DrawFn, *, max_rows: int = 4, coherent: bool = True) -> Plan:
    """A valid Plan (see the module docstring)."""
    rows = st.integers(min_value=0, max_value=max_rows)

    def ids(n: int) -> list[str]:
        return draw(st.lists(slugs, min_size=n, max_size=n, unique=True))

    person_ids = ids(draw(rows))
    phase_ids = ids(draw(rows))
    process_ids = ids(draw(rows))
    kpi_ids = ids(draw(rows))
    people = person_ids + (["coo"] if coherent else [])

    persons = [
        Person(
            id=pid,
            name=draw(_opt(texts)),
            role=draw(_opt(texts)),
            founder=draw(st.booleans()),
            manager=draw(st.booleans()),
            key=draw(st.booleans()),
            backup=draw(_ref(person_ids, coherent)),
        )
        for pid in person_ids
    ]
    phases = [
        Phase(
            id=pid,
            kind=draw(st.sampled_from(PhaseKind)),
            name=draw(_opt(texts)),
            after=draw(st.lists(st.sampled_from(phase_ids[:i]), unique=True, max_size=2))
            if (coherent and i)
            else ([] if coherent else draw(st.lists(slugs, max_size=2, unique=True))),
            not_before=draw(_opt(dates)),
            effort_days=draw(st.integers(min_value=0, max_value=40)),
            deliverables=draw(st.lists(texts, max_size=2)),
            gate=draw(_opt(st.sampled_from(Gate))),
            priority=draw(_opt(st.integers(min_value=0, max_value=1000))),
        )
        for i, pid in enumerate(phase_ids)
    ]
    processes = [
        Process(
            id=pid,
            name=draw(_opt(texts)),
            critical=draw(st.booleans()),
            owner=draw(_ref(person_ids, coherent)),
            backup=draw(_ref(person_ids, coherent)),
            documentation=draw(_opt(st.integers(min_value=0, max_value=4))),
            automation=draw(_opt(st.integers(min_value=0, max_value=4))),
        )
        for pid in process_ids
    ]
    kpis = [
        Kpi(
            id=kid,
            category=draw(_opt(st.sampled_from(KpiCategory))),
            name=draw(_opt(texts)),
            unit=draw(_opt(st.sampled_from(["%", "j", "k€", "h"]))),
            baseline=draw(_opt(numbers)),
            target=draw(_opt(numbers)),
            direction=draw(_opt(st.sampled_from(Direction))),
            source=draw(_opt(texts)),
            owner=draw(_ref(person_ids, coherent)),
            history=draw(st.lists(st.builds(Measure, on=dates, value=numbers), max_size=3)),
        )
        for kid in kpi_ids
    ]
    objectives = [
        Objective(
            id=oid,
            stake=draw(_opt(st.sampled_from(Stake))),
            statement=draw(_opt(texts)),
            kpi=draw(_ref(kpi_ids, coherent)),
        )
        for oid in ids(draw(rows))
    ]
    transfers = [
        Transfer(
            id=tid,
            topic=draw(_opt(texts)),
            process=draw(_ref(process_ids, coherent)),
            to=draw(_ref(person_ids, coherent)),
            phase=draw(_ref(phase_ids, coherent)),
            method=draw(_opt(st.sampled_from(TransferMethod))),
            status=draw(st.sampled_from(TransferStatus)),
            **{"from": draw(_ref(people, coherent))},
        )
        for tid in ids(draw(rows))
    ]
    signals = draw(
        st.lists(
            st.builds(
                Signal,
                on=dates,
                kind=st.sampled_from(SignalKind),
                level=st.integers(min_value=1, max_value=3),
                note=_opt(texts),
            ),
            max_size=max_rows,
        )
    )
    irritants = [
        Irritant(
            id=iid,
            title=draw(_opt(texts)),
            opened=draw(_opt(dates)),
            owner=draw(_ref(person_ids, coherent)),
            closed=draw(_opt(dates)),
        )
        for iid in ids(draw(rows))
    ]
    waivers = draw(
        st.lists(
            st.builds(
                Waiver,
                rule=st.from_regex(r"[A-Z]{3}[0-9]{3}", fullmatch=True),
                target=_opt(st.builds(lambda p: f"process:{p}", slugs)),
                reason=_opt(texts),
                owner=_opt(texts),
                expires=_opt(dates),
            ),
            max_size=max_rows,
        )
    )
    person_ref = _ref(person_ids, coherent)
    return Plan(
        mission=draw(missions()),
        company=draw(_opt(companies())),
        exit=draw(
            _opt(
                st.builds(
                    Exit,
                    kind=_opt(st.sampled_from(ExitKind)),
                    target_date=_opt(dates),
                    founder=person_ref,
                )
            )
        ),
        coo=draw(_opt(coos())),
        scope=draw(
            _opt(
                st.builds(
                    Scope,
                    role=_opt(texts),
                    delegation=_opt(st.sampled_from(Delegation)),
                    responsibilities=st.lists(texts, max_size=3),
                    internal_counterpart=person_ref,
                    successor=person_ref,
                )
            )
        ),
        governance=draw(
            _opt(
                st.builds(
                    Governance,
                    reports_to=person_ref,
                    sponsor=person_ref,
                    codir_seat=_opt(st.booleans()),
                    steering_every_days=_opt(st.integers(min_value=1, max_value=90)),
                    reporting=_opt(st.sampled_from(Reporting)),
                    announced_on=_opt(dates),
                )
            )
        ),
        objective=objectives,
        person=persons,
        process=processes,
        phase=phases,
        transfer=transfers,
        kpi=kpis,
        signal=signals,
        irritant=irritants,
        waiver=waivers,
        rules=draw(_opt(st.builds(Rules, packs=st.lists(st.just("firm.toml"), max_size=1)))),
    )
