"""Creating the schema on a database that has it (as `bench.register_cost` does after
`bench.databases`) failed on PostgreSQL: the counting function and trigger already existed. It is
a no-op now, and the counts are still kept once per registration."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import models
from models.enums import Level
from tests.support.registration_counts import counted, kept
from tests.support.stage_world import StageWorld, register, world

__all__ = ["world"]


async def test_the_schema_created_twice_counts_once(
    engine: AsyncEngine, session: AsyncSession, world: StageWorld
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    math = await world.event_id(session, "math", Level.SCHOOL)
    student = await world.person(session, "Ученик", school_id=world.schools[0])
    await register(session, math, student)
    await session.commit()
    assert await kept(session) == await counted(session) == {math: (1, 0, 1)}
