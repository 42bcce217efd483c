"""The people cache in Redis: a person read once from the database is then served from the cache;
a change committed meanwhile, on any replica, is never hidden behind a stale entry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import bot.people_cache
from bot.people_cache import PeopleCache
from bot.people_changes import Changes
from models.db import create_engine, create_sessionmaker
from models.enums import Role
from models.people import RoleGrant, User
from services.people.identity import Identity
from tests.support.redis import redis, redis_prefix

__all__ = ["redis", "redis_prefix"]
NOW = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)
TG = 8101


@pytest.fixture
async def engine(schema_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(schema_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def selects(engine: AsyncEngine) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "user_account" in statement:
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return seen


@pytest.fixture
def cache_and_maker(
    engine: AsyncEngine, redis: Redis, redis_prefix: str
) -> tuple[PeopleCache, async_sessionmaker[AsyncSession]]:
    cache = PeopleCache(redis, redis_prefix, ttl_seconds=60)
    maker = create_sessionmaker(engine)
    cache.attach(maker)
    return cache, maker


async def who(cache: PeopleCache, maker: async_sessionmaker[AsyncSession]) -> Identity:
    async with maker() as session, session.begin():
        ident = await cache.identify(session, TG, "Анна", frozenset(), NOW)
    await cache.settle()
    return ident


async def test_served_from_the_cache_until_a_change(
    cache_and_maker: tuple[PeopleCache, async_sessionmaker[AsyncSession]], selects: list[str]
) -> None:
    cache, maker = cache_and_maker
    first = await who(cache, maker)  # created, and mapped
    await who(cache, maker)  # read from the database, and cached
    before = len(selects)
    cached = await who(cache, maker)
    assert len(selects) == before  # no query for the person
    assert (cached.user.id, cached.user.full_name, cached.roles) == (first.user.id, "Анна", set())

    async with maker() as session, session.begin():
        session.add(RoleGrant(user_id=first.user.id, role=Role.CURATOR, created_at=NOW))
        await session.execute(update(User).where(User.id == first.user.id).values(grade=9))
    await cache.settle()
    changed = await who(cache, maker)
    assert len(selects) == before + 1
    assert (changed.roles, changed.user.grade) == ({Role.CURATOR}, 9)


async def test_a_cached_person_can_be_changed_in_the_update(
    cache_and_maker: tuple[PeopleCache, async_sessionmaker[AsyncSession]],
) -> None:
    cache, maker = cache_and_maker
    for _ in range(3):
        ident = await who(cache, maker)
    async with maker() as session, session.begin():
        ident = await cache.identify(session, TG, "Анна", frozenset(), NOW)
        ident.user.locale = "en"  # as onboarding does, on the object the cache gave
    await cache.settle()
    assert (await who(cache, maker)).user.locale == "en"


async def test_a_change_during_the_read_keeps_the_entry_out(
    cache_and_maker: tuple[PeopleCache, async_sessionmaker[AsyncSession]],
    redis: Redis,
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache, maker = cache_and_maker
    person = await who(cache, maker)  # mapped, not cached yet
    real = bot.people_cache.identify

    async def another_replica_commits_meanwhile(*args: Any) -> Identity:
        found = await real(*args)
        await cache.invalidate(Changes(ids={person.user.id}))
        return found

    monkeypatch.setattr(bot.people_cache, "identify", another_replica_commits_meanwhile)
    await who(cache, maker)
    assert not await redis.exists(f"{redis_prefix}:people:e:{TG}")
