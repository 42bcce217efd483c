"""Two replicas behind a load balancer on one PostgreSQL database share the updates; when one
is killed mid-burst, the other handles what it had taken in (issue 16, item 5)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.writes import card_messages, seed
from models.db import create_engine, create_sessionmaker
from models.inbox import InboxUpdate
from models.olympiad import Registration
from offline.api_server import FakeBotAPI
from tests.support.databases import PG_HOST, PG_PORT, postgres_reachable
from tests.support.reference import reference
from tests.support.serve import BotProcess, bot_environment, free_port, migrated_demo
from ui.callbacks.catalog import CatAct, CatCb

# Real bot processes timed against each other: under pytest-xdist these share one worker, so
# they never compete with one another for the cores (scripts/test runs with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("real_processes")
BURST = 40
SECRET = "replica_secret"
PUBLIC = "https://bot.example.org/tg/hook"
CLAIM = 5  # seconds a dead replica's updates stay claimed (30 in production)


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(process_timeout=30.0) as server:
        yield server


@pytest.fixture
def backend() -> str:
    # Replicas share a server database; SQLite serves one process.
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}")
    return "postgresql"


async def handlers_of_updates(url: str) -> dict[str | None, int]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            rows = await session.execute(
                select(InboxUpdate.claimed_by, func.count()).group_by(InboxUpdate.claimed_by)
            )
            return {holder: int(n) for holder, n in rows}
    finally:
        await engine.dispose()


async def registrations(url: str) -> int:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            return int(await session.scalar(select(func.count(Registration.id))) or 0)
    finally:
        await engine.dispose()


async def wait_registered(url: str, expected: int, timeout: float) -> float:
    started = time.monotonic()
    while await registrations(url) < expected:
        assert time.monotonic() - started < timeout, f"{await registrations(url)}/{expected}"
        await asyncio.sleep(0.3)
    return time.monotonic() - started


async def test_two_replicas_share_updates_and_survive_a_kill(
    fake_api: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    await migrated_demo(database_url)
    engine = create_engine(database_url)
    try:
        users, event_id = await seed(
            create_sessionmaker(engine), reference(), 2 * BURST, demo=False
        )
    finally:
        await engine.dispose()
    for user in users:
        fake_api.add_user(user, "Ученик")
    data = CatCb(act=CatAct.REGISTER, ev=event_id).pack()
    bot = fake_api.make_bot()
    cards = await card_messages(bot, users, data)
    await bot.session.close()

    ports = {"a": free_port(), "b": free_port()}
    replicas = {
        name: BotProcess(
            fake_api,
            tmp_path,
            bot_environment(
                fake_api,
                database_url,
                INSTANCE_NAME=f"replica-{name}",
                WEB_PORT=str(port),
                WEBHOOK_URL=PUBLIC,
                WEBHOOK_SECRET=SECRET,
            ),
            name=name,
        )  # fmt: skip
        for name, port in ports.items()
    }
    targets = [f"http://127.0.0.1:{port}/tg/hook" for port in ports.values()]
    try:
        for replica in replicas.values():
            before = len(fake_api.calls_to("setWebhook"))
            await replica.start(ready=lambda n=before: len(fake_api.calls_to("setWebhook")) > n)
        # A burst shared by both replicas.
        for user in users[:BURST]:
            fake_api.queue_click(user, cards[user], data)
        assert await fake_api.deliver_webhook(*targets) == BURST
        await wait_registered(database_url, BURST, timeout=120)
        handled_by = await handlers_of_updates(database_url)
        assert set(handled_by) == {"replica-a", "replica-b"}, handled_by
        # Another burst; replica a is killed while it has updates in hand.
        for user in users[BURST:]:
            fake_api.queue_click(user, cards[user], data)
        delivering = asyncio.create_task(fake_api.deliver_webhook(*targets))
        await asyncio.sleep(0.2)
        await replicas["a"].stop(signal.SIGKILL)
        await delivering
        await fake_api.deliver_webhook(*targets)  # what a refused while dying goes to b
        took = await wait_registered(database_url, 2 * BURST, timeout=120)
        assert took < CLAIM + 60, took
        print(f"after the kill, b finished the burst in {took:.1f}s")  # noqa: T201
        assert await replicas["b"].stop(signal.SIGTERM) == 0
    finally:
        for replica in replicas.values():
            replica.kill_quietly()
    answers = Counter(
        str(c.params.get("callback_query_id"))
        for c in fake_api.calls
        if c.method == "answerCallbackQuery" and c.ok
    )
    assert not [q for q, n in answers.items() if n > 1], "a press was handled twice"
    assert await registrations(database_url) == 2 * BURST
