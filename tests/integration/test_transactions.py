"""A savepoint inside the update's transaction must not commit on its own (SQLite's trap)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.people import User

NOW = datetime(2026, 10, 1, tzinfo=UTC)


async def test_rollback_undoes_a_released_savepoint(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(RuntimeError):
        async with sessionmaker() as session, session.begin():
            async with session.begin_nested():
                session.add(User(tg_id=1, full_name="A", created_at=NOW))
            raise RuntimeError("the update failed after the savepoint")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(User.id))) == 0


async def test_failed_savepoint_keeps_the_outer_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        session.add(User(tg_id=2, full_name="B", created_at=NOW))
        await session.flush()
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                session.add(User(tg_id=3, full_name="C", created_at=NOW))
                await session.flush()
                raise RuntimeError("one row refused")
    async with sessionmaker() as session:
        assert (await session.scalars(select(User.tg_id))).all() == [2]
