"""kill -9 in the middle of a batch, then a restart: nothing lost, nothing sent twice.

The worker runs as a real process (`restart_worker.py`) against a SQLite file and the fake Bot
API server of this test. The first test stops it at a known point: after some messages were
accepted and recorded, with the rest of the batch claimed and one request in flight. The
second kills it at an arbitrary moment; there the one unavoidable window (Telegram accepted,
our commit not yet made) may cost at most one duplicate with one message in flight.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

import models
from models.db import create_engine, create_sessionmaker
from models.enums import PersonKind
from models.outbox import Outbox
from models.people import User
from offline.api_server import FakeBotAPI
from reminders.outbox import enqueue_message

# Real bot processes timed against each other: under pytest-xdist these share one worker, so
# they never compete with one another for the cores (scripts/test runs with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("real_processes")
SCRIPT = Path(__file__).with_name("restart_worker.py")
PEOPLE = 12


async def prepare(url: str, server: FakeBotAPI) -> list[int]:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    now = dt.datetime.now(dt.UTC)
    async with create_sessionmaker(engine)() as session, session.begin():
        people = [User(tg_id=9000 + i, kind=PersonKind.STUDENT, created_at=now)
                  for i in range(PEOPLE)]  # fmt: skip
        session.add_all(people)
        await session.flush()
        for person in people:
            await enqueue_message(session, person.id, f"r{person.id}", "Напоминание", now)
            server.add_user(person.tg_id or 0, "Ученик")
    await engine.dispose()
    return [p.tg_id or 0 for p in people]


async def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        rows = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
        found = {status: count for status, count in rows}
    await engine.dispose()
    return found


async def spawn(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(SCRIPT), env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def wait_for(check: object, seconds: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if await check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
async def server() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as fake:
        yield fake


def environment(server: FakeBotAPI, url: str, per_second: int) -> dict[str, str]:
    return {
        "RESTART_DB_URL": url,
        "RESTART_API_URL": server.base_url,
        "RESTART_TOKEN": server.token,
        "RESTART_LEASE_TTL": "1.5",
        "RESTART_ROW_LEASE": "2",
        "RESTART_PER_SECOND": str(per_second),
    }


def received(server: FakeBotAPI, chats: list[int]) -> list[int]:
    return [len(server.bot_messages(chat)) for chat in chats]


async def test_kill_mid_batch_then_restart_sends_each_exactly_once(
    tmp_path: Path, server: FakeBotAPI
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    chats = await prepare(url, server)
    gate = tmp_path / "gate"
    env = environment(server, url, per_second=30)
    first = await spawn({**env, "RESTART_GATE_AFTER": "5", "RESTART_GATE_FILE": str(gate)})
    await wait_for(lambda: asyncio.sleep(0, gate.exists()))
    state = await counts(url)
    assert state == {"sent": 5, "sending": PEOPLE - 5}  # mid-batch: claimed, not yet sent
    first.kill()  # SIGKILL: no cleanup, the lease and the claimed rows stay behind
    await first.wait()
    assert sum(received(server, chats)) == 5

    second = await spawn(env)
    try:
        await wait_for(lambda: counts_are(url, {"sent": PEOPLE}))
    finally:
        second.kill()
        await second.wait()
    assert received(server, chats) == [1] * PEOPLE


async def counts_are(url: str, expected: dict[str, int]) -> bool:
    return await counts(url) == expected


async def test_kill_at_any_moment_loses_nothing(tmp_path: Path, server: FakeBotAPI) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    chats = await prepare(url, server)
    env = environment(server, url, per_second=8)
    first = await spawn(env)
    await wait_for(lambda: asyncio.sleep(0, len(server.calls_to("sendMessage")) >= 4))
    await asyncio.sleep(0.07)  # somewhere between two messages, or in the middle of one
    first.kill()
    await first.wait()
    second = await spawn(env)
    try:
        await wait_for(lambda: counts_are(url, {"sent": PEOPLE}))
    finally:
        second.kill()
        await second.wait()
    got = received(server, chats)
    assert min(got) == 1  # nothing lost
    assert sum(got) - PEOPLE <= 1  # at most the one message that was in flight


async def test_a_restart_under_the_same_name_sends_at_once(
    database_url: str, server: FakeBotAPI, tmp_path: Path
) -> None:
    """The production row lease (5 minutes) is not waited out: the restarted process takes its
    lease and the rows its previous life left `sending` back as soon as it starts."""
    chats = await prepare(database_url, server)
    gate = tmp_path / "restart-gate"
    env = {**environment(server, database_url, per_second=30), "RESTART_HOLDER": "replica-a",
           "RESTART_LEASE_TTL": "30", "RESTART_ROW_LEASE": "300"}  # fmt: skip
    first = await spawn({**env, "RESTART_GATE_AFTER": "5", "RESTART_GATE_FILE": str(gate)})
    try:
        await wait_for(lambda: asyncio.sleep(0, gate.exists()), seconds=90)
    finally:
        first.kill()
        await first.wait()
    loop = asyncio.get_running_loop()
    started = loop.time()
    second = await spawn(env)
    try:
        await wait_for(lambda: counts_are(database_url, {"sent": PEOPLE}), seconds=20)
    finally:
        second.kill()
        await second.wait()
    assert loop.time() - started < 20  # noqa: PLR2004 - far below the 300 s row lease
    got = received(server, chats)
    assert min(got) == 1 and sum(got) - PEOPLE <= 1  # at most the one send in flight


async def test_another_replica_takes_over_when_the_holder_is_killed(
    database_url: str, server: FakeBotAPI, tmp_path: Path
) -> None:
    """Two replicas run; the one delivering is killed mid-batch. The other takes the lease when
    it runs out and sends the rest, including the rows the dead one had claimed."""
    chats = await prepare(database_url, server)
    gate = tmp_path / "takeover-gate"
    env = {**environment(server, database_url, per_second=30),
           "RESTART_LEASE_TTL": "3", "RESTART_ROW_LEASE": "300"}  # fmt: skip
    holder = await spawn({**env, "RESTART_HOLDER": "replica-a",
                          "RESTART_GATE_AFTER": "5", "RESTART_GATE_FILE": str(gate)})  # fmt: skip
    try:
        await wait_for(lambda: asyncio.sleep(0, gate.exists()), seconds=90)
    except AssertionError:
        holder.kill()
        raise
    other = await spawn({**env, "RESTART_HOLDER": "replica-b"})
    loop = asyncio.get_running_loop()
    try:
        await asyncio.sleep(0.5)
        assert sum(received(server, chats)) == 5  # noqa: PLR2004 - b waits: a holds the lease
        holder.kill()
        await holder.wait()
        killed = loop.time()
        await wait_for(lambda: counts_are(database_url, {"sent": PEOPLE}), seconds=30)
        took = loop.time() - killed
    finally:
        for proc in (holder, other):
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    got = received(server, chats)
    assert min(got) == 1, got  # every recipient got the message
    assert sum(got) - PEOPLE <= 1, got  # duplicates: at most the sends in flight (one here)
    assert took < 3 * 3 + 5, took  # noqa: PLR2004 - within the lease's time to live and a tick
