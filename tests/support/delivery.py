"""Delivery on a real database through the fake Bot API server: people, a queue, draining."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.synthetic import default_rules
from bot.i18n import build_i18n
from calendars.clock import Clock
from models.enums import PersonKind
from models.outbox import DeliveryLog, Outbox, OutboxStatus
from models.people import User
from offline.api_server import FakeBotAPI
from reminders.outbox import enqueue_message
from reminders.sender import RetryPolicy
from reminders.worker import ReminderWorker, WorkerConfig

RULES = default_rules()
FAST = RetryPolicy(max_attempts=3, base_seconds=0.05, cap_seconds=0.2, request_timeout=1)


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return build_i18n("ru")


@pytest.fixture
async def server() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = server.make_bot(session_timeout=5)
    yield bot
    await bot.session.close()


async def users(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, count: int
) -> list[User]:
    now = dt.datetime.now(dt.UTC)
    async with sessionmaker() as session, session.begin():
        people = [User(tg_id=7000 + i, kind=PersonKind.STUDENT, created_at=now)
                  for i in range(count)]  # fmt: skip
        session.add_all(people)
    for person in people:
        server.add_user(person.tg_id or 0, f"User {person.id}")
    return people


async def queue(
    sessionmaker: async_sessionmaker[AsyncSession],
    people: list[User],
    per_person: int = 1,
    due: dt.datetime | None = None,
) -> None:
    due = due or dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    async with sessionmaker() as session, session.begin():
        for person in people:
            for n in range(per_person):
                await enqueue_message(session, person.id, f"t{person.id}-{n}",
                                      f"Message {n} for <b>{person.id}</b>", due)  # fmt: skip


async def drain_until_done(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    i18n: I18n,
    config: WorkerConfig,
    *,
    seconds: float = 20,
) -> None:
    worker = ReminderWorker(bot, sessionmaker, clock, RULES, i18n, config)
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        await worker.drain()
        async with sessionmaker() as session:
            left = await session.scalar(
                select(Outbox.id)
                .where(Outbox.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)))
                .limit(1)
            )
        if left is None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox did not drain in time")


def delivered(server: FakeBotAPI, people: list[User]) -> dict[int, int]:
    return {p.id: len(server.bot_messages(p.tg_id or 0)) for p in people}


async def outcomes(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(DeliveryLog.outcome).order_by(DeliveryLog.id)))
