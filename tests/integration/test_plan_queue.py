"""Planning after a registration's own commit: queued durably, drained in batches, never lost.

A press commits the registration and a plan request only; `PlanDrainer` plans the waiting
requests afterwards, per event and set-based. The rows it gives are the ones planning inside
the press gave (`replan_students`); a failed drain or a process that died leaves the requests
for the next drain, and two drains at once (two replicas) plan each request once.
"""

from __future__ import annotations

import asyncio

import pytest
from aiogram.utils.i18n import I18n
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import FixedClock
from models.enums import PersonKind
from models.outbox import Outbox
from models.people import ParentLink, User
from models.plan_requests import PlanRequest
from reminders import plan_queue
from reminders.plan_queue import PlanDrainer
from reminders.planner import replan_students
from services.people.identity import Identity
from services.registration.register import register, unregister
from tests.support.catalog_world import NOW, RULES, World, build_world, i18n

__all__ = ["i18n"]  # fixture used here


async def _committed_world(
    sessionmaker: async_sessionmaker[AsyncSession], students: int
) -> tuple[dict[str, int], list[int]]:
    """`students` of s1 (the first with a parent), then one of a school in Kholmsk."""
    async with sessionmaker() as session, session.begin():
        world = await build_world(session)
        people = [
            await world.person(f"Ученик {n}", "s1", 7, tg_id=500 + n) for n in range(students)
        ]
        people.append(await world.person("Ученик в Холмске", "s3", 7, tg_id=498))
        mum = await world.person("Мама", "s1", None, PersonKind.PARENT, tg_id=499)
        await _link(world, mum.id, people[0].id)
        return {name: e.id for name, e in world.events.items()}, [p.id for p in people]


async def _link(world: World, parent_id: int, child_id: int) -> None:
    world.session.add(ParentLink(parent_id=parent_id, child_id=child_id, created_at=NOW))
    await world.session.flush()


async def _press(
    sessionmaker: async_sessionmaker[AsyncSession],
    student_id: int,
    event_id: int,
    *,
    undo: bool = False,
) -> None:
    """One press, committed as the bot commits it: the registration and its request only."""
    async with sessionmaker() as session, session.begin():
        student = await session.get(User, student_id)
        assert student is not None
        act = unregister if undo else register
        await act(session, Identity(student), student, event_id, NOW, RULES)


async def _rows(session: AsyncSession) -> set[tuple[int, str]]:
    found = await session.execute(select(Outbox.user_id, Outbox.key))
    return {(user, key) for user, key in found}


async def _waiting(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(PlanRequest)) or 0)


async def test_a_burst_is_planned_after_its_commits_as_planning_inside_would(
    sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n
) -> None:
    events, everyone = await _committed_world(sessionmaker, 6)
    students, other = everyone[:-1], everyone[-1]
    with i18n.context():
        for student in students:
            await _press(sessionmaker, student, events["math"])
        await _press(sessionmaker, other, events["math_kholmsk"])
        async with sessionmaker() as session:
            before = await _rows(session)
        assert await _waiting(sessionmaker) == 7
        drainer = PlanDrainer(sessionmaker, RULES, FixedClock(NOW))
        assert await drainer.kick() == 7
        assert await _waiting(sessionmaker) == 0
        assert await drainer.kick() == 0
        async with sessionmaker() as session:
            planned = await _rows(session) - before
        assert planned, "the drain planned nothing"
        mum_rows = {key for user, key in planned if user not in everyone}
        assert mum_rows, "the first student's parent gets her rows too"
        # The same rows as planning inside each press, computed again from scratch.
        async with sessionmaker() as session, session.begin():
            await session.execute(Outbox.__table__.delete().where(Outbox.key.not_like("msg:%")))
            await replan_students(session, events["math"], students, RULES, NOW)
            await replan_students(session, events["math_kholmsk"], [other], RULES, NOW)
        async with sessionmaker() as session:
            again = {r for r in await _rows(session) if not r[1].startswith("msg:")}
        assert {r for r in planned if not r[1].startswith("msg:")} == again


async def test_a_withdrawal_queued_after_the_registration_leaves_no_rows(
    sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n
) -> None:
    events, everyone = await _committed_world(sessionmaker, 1)
    students = everyone[:-1]
    with i18n.context():
        await _press(sessionmaker, students[0], events["math"])
        await _press(sessionmaker, students[0], events["math"], undo=True)
        assert await PlanDrainer(sessionmaker, RULES, FixedClock(NOW)).kick() == 2
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(Outbox.key).where(
                Outbox.user_id == students[0],
                Outbox.event_id == events["math"],
                Outbox.key.not_like("msg:%"),
            )
        )
        # Eligible again: reminded that registration closes, but of the stage day no more.
        assert [key.split(":")[3] for key in rows] == ["registration_closes"]


async def test_a_failed_drain_leaves_the_requests_for_the_next(
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n: I18n,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events, everyone = await _committed_world(sessionmaker, 3)
    students = everyone[:-1]
    with i18n.context():
        for student in students:
            await _press(sessionmaker, student, events["math"])
        real = plan_queue.replan_students

        async def broken(*_args: object, **_kwargs: object) -> None:
            raise ConnectionError("the database went away mid-drain")

        monkeypatch.setattr(plan_queue, "replan_students", broken)
        drainer = PlanDrainer(sessionmaker, RULES, FixedClock(NOW))
        assert await drainer.kick() == 0
        assert "planning queued registrations failed" in caplog.text
        assert await _waiting(sessionmaker) == 3, "the claims rolled back with the failure"
        monkeypatch.setattr(plan_queue, "replan_students", real)
        assert await drainer.kick() == 3
    assert await _waiting(sessionmaker) == 0


async def test_two_drains_at_once_plan_each_request_once(
    sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two replicas drain at the same moment: their claims never overlap."""
    events, everyone = await _committed_world(sessionmaker, 8)
    students = everyone[:-1]
    planned: list[int] = []
    real = plan_queue.replan_students

    async def counting(
        session: AsyncSession, event_id: int, ids: list[int], *rest: object
    ) -> object:
        planned.extend(ids)
        await asyncio.sleep(0.05)  # hold the claim while the other drain tries
        return await real(session, event_id, ids, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_queue, "replan_students", counting)
    monkeypatch.setattr(plan_queue, "BATCH", 3)
    with i18n.context():
        for student in students:
            await _press(sessionmaker, student, events["math"])
        one = PlanDrainer(sessionmaker, RULES, FixedClock(NOW))
        two = PlanDrainer(sessionmaker, RULES, FixedClock(NOW))
        counts = await asyncio.gather(one.drain(), two.drain())
    assert sum(counts) == 8
    assert sorted(planned) == sorted(students)
    assert await _waiting(sessionmaker) == 0
