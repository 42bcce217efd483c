"""Pace under the fake server's flood limits, the lease, late reminders, blocked bots."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import SystemClock
from models.outbox import Outbox, OutboxStatus
from models.people import User
from offline.api_server import FakeBotAPI
from reminders.outbox import enqueue_message
from reminders.worker import ReminderWorker, WorkerConfig, drain_once
from tests.support.delivery import (
    RULES,
    bot,
    delivered,
    drain_until_done,
    i18n,
    outcomes,
    queue,
    server,
    users,
)

__all__ = ["bot", "i18n", "server"]  # fixtures used here


async def test_pace_stays_within_telegrams_limits(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    server.rate_limits.enabled = True  # the fake answers 429 to anything faster than Telegram
    server.rate_limits.per_chat_per_second, server.rate_limits.per_chat_burst = 1.0, 1
    people = await users(sessionmaker, server, 50)
    await queue(sessionmaker, people, per_person=2)
    await drain_until_done(bot, sessionmaker, SystemClock(), i18n, WorkerConfig(concurrency=8))
    calls = server.calls_to("sendMessage")
    assert [(c.status, c.description) for c in calls if not c.ok] == []
    assert len(calls) == 100
    times = sorted(c.timestamp for c in calls)
    busiest = max(sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times))
    assert busiest <= 30
    per_chat: dict[int, list[float]] = {}
    for call in calls:
        per_chat.setdefault(call.chat_id or 0, []).append(call.timestamp)
    gaps = [b - a for ts in per_chat.values() for a, b in zip(ts, ts[1:], strict=False)]
    assert min(gaps) >= 1.0
    # How much of the 30/s budget is used is measured by bench/deliver.py, not here: on a shared
    # machine a slow run says nothing about the code, while a too-fast one always would.


async def test_a_second_process_does_not_deliver_while_the_lease_is_held(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    people = await users(sessionmaker, server, 2)
    await queue(sessionmaker, people)
    clock = SystemClock()
    holder = ReminderWorker(bot, sessionmaker, clock, RULES, i18n, WorkerConfig(holder="one"))
    assert await holder.lease.acquire()
    other = await drain_once(bot, sessionmaker, clock, RULES, i18n,
                             config=WorkerConfig(holder="two"))  # fmt: skip
    assert other.claimed == 0 and server.calls_to("sendMessage") == []
    mine = await holder.drain()
    assert mine.sent == 2


async def test_missed_reminders_send_if_still_ahead_else_drop(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    people = await users(sessionmaker, server, 2)
    now = dt.datetime.now(dt.UTC)
    week_ago = now - dt.timedelta(days=7)
    async with sessionmaker() as session, session.begin():
        await enqueue_message(session, people[0].id, "ahead", "Deadline tomorrow", week_ago,
                              expires_at=now + dt.timedelta(days=1))  # fmt: skip
        await enqueue_message(session, people[1].id, "passed", "Deadline yesterday", week_ago,
                              expires_at=now - dt.timedelta(days=1))  # fmt: skip
    stats = await drain_once(bot, sessionmaker, SystemClock(), RULES, i18n)
    assert (stats.sent, stats.dropped) == (1, 1)
    assert delivered(server, people) == {people[0].id: 1, people[1].id: 0}


async def test_blocked_bot_marks_the_person_unreachable(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    people = await users(sessionmaker, server, 2)
    now = dt.datetime.now(dt.UTC)
    await queue(sessionmaker, people, per_person=1)
    async with sessionmaker() as session, session.begin():
        await enqueue_message(session, people[0].id, "later", "Later", now + dt.timedelta(days=1))
    server.block(people[0].tg_id or 0)
    await drain_once(bot, sessionmaker, SystemClock(), RULES, i18n,
                     config=WorkerConfig(per_chat_interval=0))  # fmt: skip
    async with sessionmaker() as session:
        blocked = await session.get(User, people[0].id)
        rows = {r.key: r.status for r in (await session.scalars(select(Outbox))).all()}
        log = await outcomes(session)
    assert blocked is not None and blocked.unreachable_since is not None
    assert rows[f"msg:t{people[0].id}-0"] == OutboxStatus.DROPPED
    assert rows["msg:later"] == OutboxStatus.PENDING  # waits: they may come back before it
    assert rows[f"msg:t{people[1].id}-0"] == OutboxStatus.SENT
    assert sorted(log) == ["sent", "unreachable"]


async def test_a_row_that_never_gets_an_outcome_fails_in_the_end(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    people = await users(sessionmaker, server, 1)
    await queue(sessionmaker, people)
    async with sessionmaker() as session, session.begin():
        row = (await session.scalars(select(Outbox))).one()
        row.attempts = 10  # claimed ten times, each claim died before Telegram answered
    stats = await drain_once(bot, sessionmaker, SystemClock(), RULES, i18n)
    async with sessionmaker() as session:
        row = (await session.scalars(select(Outbox))).one()
        log = await outcomes(session)
    assert (row.status, stats.sent, log) == (OutboxStatus.FAILED, 0, ["failed"])
    assert delivered(server, people) == {people[0].id: 0}
