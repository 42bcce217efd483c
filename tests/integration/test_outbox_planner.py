"""Planning into the outbox on a real database: idempotent, follows changes, never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.synthetic import Shape, SyntheticRegion, build_region, default_rules
from models.enums import EventStatus, PersonKind
from models.olympiad import OlympiadEvent, Registration
from models.outbox import Mute, Outbox, OutboxStatus
from models.people import User
from reminders.planner import plan_creation, replan_event, replan_user

RULES = default_rules()
NOW = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)  # D of the first subject is 1 October
TINY = Shape(students=8, municipalities=1, schools_per_municipality=2, subjects=2,
             parent_every=4, registered_every=2)  # fmt: skip


async def region(sessionmaker: async_sessionmaker[AsyncSession]) -> SyntheticRegion:
    async with sessionmaker() as session, session.begin():
        return await build_region(session, TINY, NOW)


async def rows(session: AsyncSession, **where: object) -> list[Outbox]:
    query = select(Outbox).order_by(Outbox.id)
    for name, value in where.items():
        query = query.where(getattr(Outbox, name) == value)
    return list((await session.scalars(query.execution_options(populate_existing=True))).all())


async def test_replanning_is_a_no_op(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    world = await region(sessionmaker)
    event_id = world.event_ids[0]
    async with sessionmaker() as session, session.begin():
        first = await replan_event(session, event_id, RULES, NOW)
        again = await replan_event(session, event_id, RULES, NOW)
        planned = await rows(session, event_id=event_id)
    assert first.inserted == len(planned) > 0
    assert (again.inserted, again.cancelled, again.revived) == (0, 0, 0)
    assert len({r.key for r in planned}) == len(planned)
    audiences = {r.audience for r in planned}
    assert audiences == {"student", "parent", "curator", "organiser", "supervisor"}


async def test_the_planner_leaves_the_commit_to_the_caller(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await region(sessionmaker)
    async with sessionmaker() as session:
        await replan_event(session, world.event_ids[0], RULES, NOW)
        await session.rollback()
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count(Outbox.id)))).scalar_one() == 0


async def test_moving_the_date_replaces_pending_rows(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await region(sessionmaker)
    event_id = world.event_ids[0]
    async with sessionmaker() as session, session.begin():
        await replan_event(session, event_id, RULES, NOW)
        before = {r.key for r in await rows(session, event_id=event_id)}
        event = await session.get(OlympiadEvent, event_id)
        assert event is not None
        event.held_on += dt.timedelta(days=7)
        stats = await replan_event(session, event_id, RULES, NOW)
        after = await rows(session, event_id=event_id)
    live = {r.key for r in after if r.status == OutboxStatus.PENDING}
    assert stats.cancelled == len(before) and stats.inserted == len(live)
    assert not live & before
    assert all(r.status == OutboxStatus.CANCELLED for r in after if r.key in before)


async def test_cancelling_an_event_stops_all_its_reminders_and_undo_revives(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await region(sessionmaker)
    event_id = world.event_ids[0]
    async with sessionmaker() as session, session.begin():
        await replan_event(session, event_id, RULES, NOW)
        event = await session.get(OlympiadEvent, event_id)
        assert event is not None
        event.status = EventStatus.CANCELLED
        await replan_event(session, event_id, RULES, NOW)
        assert {r.status for r in await rows(session, event_id=event_id)} == {"cancelled"}
        event.status = EventStatus.REGISTRATION
        stats = await replan_event(session, event_id, RULES, NOW)
        assert {r.status for r in await rows(session, event_id=event_id)} == {"pending"}
    assert stats.revived > 0 and stats.inserted == 0


async def test_a_late_registration_gets_only_the_reminders_ahead(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await region(sessionmaker)
    event_id = world.event_ids[0]
    student = world.student_ids[1]  # not registered: eligible, gets the registration reminder
    late = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.UTC)  # 21:00 in Sakhalin, D − 1
    async with sessionmaker() as session, session.begin():
        await replan_event(session, event_id, RULES, NOW)
        mine = await rows(session, event_id=event_id, user_id=student)
        assert [r.step for r in mine] == ["registration_closes"]
        session.add(Registration(event_id=event_id, student_id=student, grade=6, created_at=late))
        await replan_event(session, event_id, RULES, late)
        mine = await rows(session, event_id=event_id, user_id=student)
    pending = [r for r in mine if r.status == OutboxStatus.PENDING]
    # The evening-before reminder (19:00) has passed; only the morning one is still ahead.
    assert [(r.step, r.due_at) for r in pending] == [
        ("stage_day", dt.datetime(2026, 9, 30, 21, 0, tzinfo=dt.UTC))
    ]
    assert {r.step for r in mine if r.status == OutboxStatus.CANCELLED} == {"registration_closes"}


async def test_people_without_telegram_get_nothing_but_their_parents_do(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await region(sessionmaker)
    child = world.student_ids[0]  # registered, with a parent
    async with sessionmaker() as session, session.begin():
        user = await session.get(User, child)
        assert user is not None and user.kind == PersonKind.STUDENT
        user.tg_id = None
        await replan_event(session, world.event_ids[0], RULES, NOW)
        assert await rows(session, user_id=child) == []
        parent_rows = await rows(session, user_id=world.parent_ids[0])
    # The parent also hears of the consent the registration needs (issue 17).
    assert {r.step for r in parent_rows} == {"stage_day", "consent_due"}


async def test_muting_and_replanning_one_person(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await region(sessionmaker)
    curator = world.staff_ids["curator"][0]
    async with sessionmaker() as session, session.begin():
        for event_id in world.event_ids:
            await replan_event(session, event_id, RULES, NOW)
        before = [r for r in await rows(session, user_id=curator)]
        session.add(Mute(user_id=curator, target="step:results_due", created_at=NOW))
        stats = await replan_user(session, curator, RULES, NOW)
        after = await rows(session, user_id=curator)
        again = await replan_user(session, curator, RULES, NOW)
    assert stats.cancelled == sum(r.step == "results_due" for r in before) > 0
    # The digest of the school's missing consents (issue 17) is not muted with results_due.
    pending = {r.step for r in after if r.status == OutboxStatus.PENDING}
    assert pending == {"registration_closes", "consent_due"}
    assert (again.inserted, again.cancelled) == (0, 0)


async def test_creation_deadlines_for_coordinators(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await region(sessionmaker)
    early = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    async with sessionmaker() as session, session.begin():
        first = await plan_creation(session, RULES, 2026, early)
        again = await plan_creation(session, RULES, 2026, early)
        planned = await rows(session, event_id=None)
    municipal = world.staff_ids["municipal"][0]
    regional = world.staff_ids["regional"][0]
    assert first.inserted == len(planned) and again.inserted == 0
    steps = {(r.user_id, r.step, (r.payload or {})["level"]) for r in planned}
    assert (municipal, "creation_due", "school") in steps
    assert (municipal, "creation_control", "municipal") in steps
    assert (regional, "creation_due", "regional") in steps
    assert (regional, "creation_control", "school") in steps  # supervises the municipalities
    assert (regional, "creation_due", "school") not in steps
