"""The per-event counts the database keeps (registration_count) equal the registrations they
count after every kind of write: one insert, a bulk insert, a score, an absence, a move to
another event, a delete and an event deleted with its registrations; on SQLite and PostgreSQL,
and after the migration fills them in from registrations already there."""

from __future__ import annotations

from sqlalchemy import delete, insert, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level, RegistrationState
from models.olympiad import OlympiadEvent, Registration
from models.registration_counts import BACKFILL, RegistrationCount
from tests.support.registration_counts import counted, kept
from tests.support.stage_world import NOW, StageWorld, register, world

__all__ = ["world"]


async def test_counts_follow_every_write(session: AsyncSession, world: StageWorld) -> None:
    math = await world.event_id(session, "math", Level.SCHOOL)
    physics = await world.event_id(session, "history", Level.SCHOOL)
    students = [
        await world.person(session, f"Ученик {i}", school_id=world.schools[0]) for i in range(6)
    ]
    await register(session, math, students[0])
    await register(session, math, students[1], score=12.5)
    await session.execute(  # a bulk insert, as the curator's batch does
        insert(Registration),
        [
            {"event_id": physics, "student_id": s.id, "grade": 9, "created_at": NOW}
            for s in students[2:]
        ],
    )
    await session.commit()
    assert await kept(session) == await counted(session) == {math: (2, 1, 2), physics: (4, 0, 4)}

    await session.execute(
        update(Registration)
        .where(Registration.student_id == students[2].id)
        .values(score=30.0, state=RegistrationState.PARTICIPATED)
    )
    await session.execute(
        update(Registration)
        .where(Registration.student_id == students[3].id)
        .values(state=RegistrationState.ABSENT)
    )
    await session.execute(
        update(Registration).where(Registration.student_id == students[4].id).values(event_id=math)
    )
    await session.execute(delete(Registration).where(Registration.student_id == students[0].id))
    await session.commit()
    assert await kept(session) == await counted(session) == {math: (2, 1, 2), physics: (3, 1, 2)}

    await session.execute(delete(OlympiadEvent).where(OlympiadEvent.id == physics))
    await session.commit()
    assert await kept(session) == await counted(session) == {math: (2, 1, 2)}
    assert await session.get(RegistrationCount, physics) is None


async def test_the_backfill_counts_what_is_there(session: AsyncSession, world: StageWorld) -> None:
    math = await world.event_id(session, "math", Level.SCHOOL)
    for i in range(3):
        student = await world.person(session, f"Ученик {i}", school_id=world.schools[0])
        await register(session, math, student, score=float(i) if i else None)
    await session.execute(delete(RegistrationCount))  # as before the migration
    await session.commit()
    assert await kept(session) == {}
    await session.execute(text(BACKFILL))
    await session.commit()
    assert await kept(session) == await counted(session) == {math: (3, 2, 3)}
