"""Delivery against the fake Bot API server: digests, 429, 5xx, timeouts, 403, limits, lease."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.synthetic import Shape, build_region, default_rules
from bot.i18n import build_i18n
from calendars.clock import Clock, FixedClock, SystemClock
from models.enums import PersonKind
from models.olympiad import OlympiadEvent
from models.outbox import DeliveryLog, Outbox, OutboxStatus
from models.people import User
from offline.api_server import FakeBotAPI
from reminders.outbox import enqueue_message
from reminders.planner import replan_event
from reminders.sender import RetryPolicy
from reminders.worker import ReminderWorker, WorkerConfig, drain_once

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


async def test_curator_gets_one_digest_for_24_subjects_on_one_day(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    now = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    shape = Shape(students=2, municipalities=1, schools_per_municipality=1, registered_every=1)
    async with sessionmaker() as session, session.begin():
        world = await build_region(session, shape, now)
        await session.execute(update(OlympiadEvent).values(held_on=dt.date(2026, 10, 1)))
        for event_id in world.event_ids:
            await replan_event(session, event_id, RULES, now)
        tg_ids = (await session.scalars(select(User.tg_id))).all()
    for tg_id in tg_ids:
        server.add_user(tg_id or 0, "Someone")
    # 08:00 in Sakhalin on 26 September: a day before registration closes at midnight.
    clock = FixedClock(dt.datetime(2026, 9, 25, 21, 0, tzinfo=dt.UTC))
    stats = await drain_once(bot, sessionmaker, clock, RULES, i18n,
                             config=WorkerConfig(per_chat_interval=0))  # fmt: skip
    curator = world.staff_ids["curator"][0]
    async with sessionmaker() as session:
        curator_tg = (await session.get(User, curator)).tg_id  # type: ignore[union-attr]
        sent = (
            await session.scalars(
                select(Outbox).where(Outbox.user_id == curator, Outbox.status == "sent")
            )
        ).all()
    messages = server.bot_messages(curator_tg or 0)
    # The week-before reminders were never sent (the clock jumped): they ride along, one line
    # per subject, since their deadlines are still ahead.
    assert len(messages) == 1 and len(sent) == 48
    assert messages[0].text.startswith("24 напоминания")
    assert messages[0].text.count("Закрытие регистрации") == 24
    assert "27 сентября 2026, 23:59" not in messages[0].text  # the curator's deadline is the 26th
    assert messages[0].text.count("26 сентября 2026, 23:59") == 24
    assert stats.failed == 0


async def test_retry_after_is_honoured(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    people = await users(sessionmaker, server, 3)
    await queue(sessionmaker, people)
    server.inject("sendMessage", 429, retry_after=2)
    config = WorkerConfig(per_chat_interval=0, retry=FAST, concurrency=1)
    await drain_until_done(bot, sessionmaker, SystemClock(), i18n, config)
    calls = server.calls_to("sendMessage")
    limited = next(c for c in calls if c.status == 429)
    after = [c.timestamp for c in calls if c.ok and c.timestamp > limited.timestamp]
    assert after and min(after) - limited.timestamp >= 2.0  # everyone waited, not only the row
    assert delivered(server, people) == {p.id: 1 for p in people}
    async with sessionmaker() as session:
        assert (await outcomes(session)).count("rate_limited") == 1
        attempts = set((await session.scalars(select(Outbox.attempts))).all())
    assert attempts == {1}  # the 429 gave its attempt back


async def test_server_errors_and_timeouts_back_off_then_deliver_once(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    people = await users(sessionmaker, server, 2)
    await queue(sessionmaker, people)
    server.inject("sendMessage", 500, chat_id=people[0].tg_id)
    server.inject("sendMessage", "timeout", delay=3, chat_id=people[0].tg_id)
    server.inject("sendMessage", 502, chat_id=people[1].tg_id)
    await drain_until_done(bot, sessionmaker, SystemClock(), i18n,
                           WorkerConfig(per_chat_interval=0, retry=FAST))  # fmt: skip
    assert delivered(server, people) == {p.id: 1 for p in people}
    async with sessionmaker() as session:
        rows = {r.user_id: r for r in (await session.scalars(select(Outbox))).all()}
        log = await outcomes(session)
    assert (rows[people[0].id].attempts, rows[people[1].id].attempts) == (3, 2)
    assert sorted(log) == ["retry", "retry", "retry", "sent", "sent"]


async def test_gives_up_after_the_last_attempt(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    people = await users(sessionmaker, server, 1)
    await queue(sessionmaker, people)
    server.inject("sendMessage", 503, times=10)
    await drain_until_done(bot, sessionmaker, SystemClock(), i18n,
                           WorkerConfig(per_chat_interval=0, retry=FAST))  # fmt: skip
    async with sessionmaker() as session:
        row = (await session.scalars(select(Outbox))).one()
        log = await outcomes(session)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    assert log == ["retry", "retry", "failed"]
    assert delivered(server, people) == {people[0].id: 0}
