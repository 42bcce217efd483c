"""Two replicas (two dispatchers on one database) sharing one Redis: one FSM state per person,
one flood window, and a people cache that a change made on either replica invalidates."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.app import App, build_app
from calendars.clock import FixedClock
from models.enums import Role
from models.fsm import FsmRecord
from offline.api_server import FakeBotAPI
from services.reference.loader import ReferenceData
from tests.support.app import demo_database, grant, make_settings
from tests.support.chat import ChatDriver, Reply
from tests.support.databases import TemplateDatabases
from tests.support.redis import REDIS_URL, redis, redis_prefix

__all__ = ["redis", "redis_prefix"]
Replicas = Callable[..., Any]


@pytest.fixture
async def replicas(
    fake_api: FakeBotAPI,
    tmp_path: Path,
    clock: FixedClock,
    templates: TemplateDatabases,
    reference: ReferenceData,
    redis_prefix: str,
) -> AsyncIterator[Callable[..., Any]]:
    url = await demo_database(templates, reference, clock, tmp_path / "bot.sqlite3")
    built: list[App] = []

    async def make(**overrides: object) -> tuple[App, App]:
        settings = make_settings(
            fake_api,
            tmp_path,
            database_url=url,
            redis_url=REDIS_URL,
            redis_prefix=redis_prefix,
            **overrides,
        )
        for _ in range(2):
            built.append(await build_app(settings, clock=clock, migrate=False, ref=reference))
        return built[-2], built[-1]

    yield make
    for app in built:
        await app.close()


async def on(app: App, fake_api: FakeBotAPI, step: Callable[[], Any]) -> Reply:
    """One update handled by this replica (the load balancer sent it there)."""
    async with fake_api.run_polling(app.dp, app.bot):
        reply: Reply = await step()
    if app.people is not None:
        await app.people.settle()
    return reply


async def test_one_fsm_state_across_replicas(
    replicas: Replicas, fake_api: FakeBotAPI, redis: Redis, redis_prefix: str
) -> None:
    first, second = await replicas()
    chat = ChatDriver(fake_api, 5001, first_name="Вера")
    await on(first, fake_api, lambda: chat.send("/start"))
    state_keys = [k async for k in redis.scan_iter(match=f"{redis_prefix}:fsm:*:state")]
    assert len(state_keys) == 1
    reply = await on(second, fake_api, lambda: chat.send("/cancel"))
    assert reply.text == "Отменено. Ничего не изменилось."
    assert await redis.get(state_keys[0]) is None
    async with first.sessionmaker() as session:  # the SQL storage was not used
        assert await session.scalar(select(func.count()).select_from(FsmRecord)) == 0


async def test_one_flood_window_across_replicas(replicas: Replicas, fake_api: FakeBotAPI) -> None:
    first, second = await replicas(throttle_rate=30.0)
    flooder, other = ChatDriver(fake_api, 5002), ChatDriver(fake_api, 5003)
    assert (await on(first, fake_api, lambda: flooder.send("/help"))).messages
    assert not (await on(second, fake_api, lambda: flooder.send("/help"))).messages
    assert (await on(second, fake_api, lambda: other.send("/help"))).messages


async def test_a_new_role_is_seen_by_the_other_replica(
    replicas: Replicas, fake_api: FakeBotAPI, redis: Redis, redis_prefix: str
) -> None:
    first, second = await replicas()
    chat = ChatDriver(fake_api, 5004, first_name="Ольга")
    for app in (first, second, first):  # the second update and on come from the cache
        before = await on(app, fake_api, lambda: chat.send("/help"))
        assert "/invite" not in before.text
    assert await redis.exists(f"{redis_prefix}:people:e:5004")
    await grant(first, 5004, Role.REGIONAL, region_id=1)
    await first.people.settle()  # type: ignore[union-attr]
    after = await on(second, fake_api, lambda: chat.send("/help"))
    assert "/invite" in after.text
