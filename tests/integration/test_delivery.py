"""Delivery against the fake Bot API server: digests, 429, 5xx, timeouts, 403, limits, lease."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.synthetic import Shape, build_region
from calendars.clock import FixedClock, SystemClock
from models.olympiad import OlympiadEvent
from models.outbox import Outbox, OutboxStatus
from models.people import User
from offline.api_server import FakeBotAPI
from reminders.planner import replan_event
from reminders.worker import WorkerConfig, drain_once
from tests.support.delivery import (
    FAST,
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
    # per subject, since their deadlines are still ahead; the digest of the school's missing
    # parents' consents (issue 17) goes in the same message.
    consent = [r for r in sent if r.step == "consent_due"]
    assert len(messages) == 1 and len(sent) - len(consent) == 48 and consent
    assert messages[0].text.startswith("25 напоминаний")
    assert messages[0].text.count("Срок согласия родителя") == 1
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
