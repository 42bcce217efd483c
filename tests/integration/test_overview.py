"""The stage overview: progress and overdue checks in one query; the registrations chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from models.enums import Level
from services.errors import Refused
from services.stage.charts import ChartKind, bar_chart_png, chart_data
from services.stage.overview import overview_page
from tests.support.stage_world import NOW, REF, StageWorld, register, world

__all__ = ["world"]
LATER = NOW + dt.timedelta(days=10)  # 16 October: history's results were due on the 10th


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _registrations(session: AsyncSession, world: StageWorld) -> None:
    async with session.begin():
        pupils = [
            await world.person(session, f"Ученик {i}", school_id=world.schools[i % 2], grade=9)
            for i in range(4)
        ]
        history = await world.event_id(session, "history", Level.SCHOOL)
        math = await world.event_id(session, "math", Level.SCHOOL)
        await register(session, history, pupils[0], score=40)
        await register(session, history, pupils[1])
        for pupil in pupils:
            await register(session, math, pupil)


async def test_overdue_events_come_first_in_one_query(
    session: AsyncSession, world: StageWorld, engine: AsyncEngine
) -> None:
    await _registrations(session, world)
    with statements(engine) as seen:
        view = await overview_page(
            session,
            world.staff["municipal"],
            level=None,
            page=0,
            rules=REF.rules,
            now=LATER,
            size=20,
        )
    assert len(seen) == 1
    assert view.total == 8 and view.school_year == 2026
    rows = {(r.event.subject_code, r.event.level): r for r in view.rows}
    history = rows[("history", Level.SCHOOL)]
    assert (history.progress.registered, history.progress.results) == (2, 1)
    assert {s.code for s in history.standing.overdue} == {"results_control", "close_control"}
    russian = rows[("russian", Level.SCHOOL)]  # held on the 12th, nobody registered
    assert [s.code for s in russian.standing.overdue] == ["registration_control"]
    math = rows[("math", Level.SCHOOL)]
    assert math.standing.overdue == ()
    assert math.standing.next_step is not None and math.standing.next_step.code == "stage_day"
    overdue = [bool(r.standing.overdue) for r in view.rows]
    assert overdue == sorted(overdue, reverse=True)
    assert view.overdue == sum(overdue)


async def test_filters_pages_and_scopes(session: AsyncSession, world: StageWorld) -> None:
    municipal = await overview_page(
        session,
        world.staff["municipal"],
        level=Level.MUNICIPAL,
        page=0,
        rules=REF.rules,
        now=NOW,
    )
    assert [(r.event.subject_code, r.event.level) for r in municipal.rows] == [
        ("math", Level.MUNICIPAL)
    ]
    paged = await overview_page(
        session, world.staff["regional"], level=None, page=5, rules=REF.rules, now=NOW, size=3
    )
    assert (paged.page, paged.pages, paged.total, len(paged.rows)) == (2, 3, 8, 2)
    other = await overview_page(
        session, world.staff["municipal_kor"], level=None, page=0, rules=REF.rules, now=NOW
    )
    assert other.total == 0
    with pytest.raises(Refused) as refused:
        await overview_page(
            session, world.staff["curator"], level=None, page=0, rules=REF.rules, now=NOW
        )
    assert refused.value.reason == "forbidden"


async def test_chart_of_registrations(session: AsyncSession, world: StageWorld) -> None:
    await _registrations(session, world)
    ident = world.staff["municipal"]
    by_subject = await chart_data(
        session, ident, ChartKind.SUBJECT, level=Level.SCHOOL, locale="ru", now=NOW
    )
    counts = dict(zip(by_subject.labels, by_subject.values, strict=True))
    assert counts["Математика"] == 4 and counts["История"] == 2 and counts["Биология"] == 0
    by_school = await chart_data(
        session, ident, ChartKind.SCHOOL, level=None, locale="en", now=NOW
    )
    assert sorted(by_school.values) == [3, 3]
    png = bar_chart_png(by_subject, "Registrations per subject", "Others")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
