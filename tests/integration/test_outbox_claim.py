"""Queueing, claiming and leases on a real database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import FixedClock
from models.enums import PersonKind
from models.outbox import Outbox, OutboxStatus
from models.people import User
from reminders.lease import LeaseKeeper
from reminders.outbox import claim_batch, enqueue_message, release_expired

NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=5)


async def people(sessionmaker: async_sessionmaker[AsyncSession], count: int) -> list[int]:
    async with sessionmaker() as session, session.begin():
        users = [User(tg_id=5000 + i, kind=PersonKind.STUDENT, created_at=NOW)
                 for i in range(count)]  # fmt: skip
        session.add_all(users)
        await session.flush()
        return [u.id for u in users]


async def statuses(session: AsyncSession) -> dict[int, str]:
    result = await session.execute(select(Outbox.id, Outbox.status))
    return {row_id: status for row_id, status in result}


async def test_enqueue_is_idempotent_and_checked(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    [user] = await people(sessionmaker, 1)
    button = [[{"text": "Open", "callback_data": "ev:o:1"}]]
    async with sessionmaker() as session, session.begin():
        assert await enqueue_message(session, user, "status:1:open", "<b>Hi</b>", NOW,
                                     buttons=button)  # fmt: skip
        assert not await enqueue_message(session, user, "status:1:open", "again", NOW)
        with pytest.raises(ValueError, match="64 bytes"):
            await enqueue_message(
                session, user, "k2", "x", NOW, buttons=[[{"text": "a", "callback_data": "x" * 65}]]
            )
        with pytest.raises(ValueError, match="aware"):
            await enqueue_message(session, user, "k3", "x", NOW.replace(tzinfo=None))
        row = (await session.scalars(select(Outbox))).one()
    assert (row.key, row.text, row.buttons, row.status) == (
        "msg:status:1:open",
        "<b>Hi</b>",
        button,
        OutboxStatus.PENDING,
    )


async def test_claim_takes_all_due_rows_of_each_recipient(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    users = await people(sessionmaker, 3)
    async with sessionmaker() as session, session.begin():
        for index, user in enumerate(users):
            for n in range(4):  # all due, the first user's rows the longest overdue
                due = NOW - dt.timedelta(hours=3 - index, minutes=n)
                await enqueue_message(session, user, f"m{user}-{n}", "x", due)
            await enqueue_message(session, user, f"later{user}", "x", NOW + dt.timedelta(hours=1))
    async with sessionmaker() as session, session.begin():
        claimed = await claim_batch(session, NOW, users=2, lease=LEASE)
        owners = set((await session.scalars(
            select(Outbox.user_id).where(Outbox.id.in_(claimed))
        )).all())  # fmt: skip
        state = await statuses(session)
    assert len(claimed) == 8 and owners == set(users[:2])
    assert sum(s == "sending" for s in state.values()) == 8
    assert sum(s == "pending" for s in state.values()) == 7


async def test_two_claimers_never_get_one_row(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    users = await people(sessionmaker, 40)
    async with sessionmaker() as session, session.begin():
        for user in users:
            for n in range(3):
                await enqueue_message(session, user, f"m{user}-{n}", "x", NOW)

    async def claimer() -> list[int]:
        got: list[int] = []
        while True:
            async with sessionmaker() as session, session.begin():
                batch = await claim_batch(session, NOW, users=3, lease=LEASE)
            if not batch:
                return got
            got += batch
            await asyncio.sleep(0)

    first, second = await asyncio.gather(claimer(), claimer())
    assert not set(first) & set(second)
    assert len(first) + len(second) == 120


async def test_expired_leases_return_to_pending(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    [user] = await people(sessionmaker, 1)
    async with sessionmaker() as session, session.begin():
        await enqueue_message(session, user, "a", "x", NOW)
        [row_id] = await claim_batch(session, NOW, users=5, lease=LEASE)
    async with sessionmaker() as session, session.begin():
        assert await release_expired(session, NOW + LEASE - dt.timedelta(seconds=1)) == 0
        assert await release_expired(session, NOW + LEASE + dt.timedelta(seconds=1)) == 1
        row = await session.get(Outbox, row_id)
    assert row is not None and (row.status, row.attempts) == (OutboxStatus.PENDING, 1)


async def test_only_one_holder_of_the_delivery_lease(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FixedClock(NOW)
    ttl = dt.timedelta(seconds=60)
    first = LeaseKeeper(sessionmaker, clock, ttl=ttl, holder="first")
    second = LeaseKeeper(sessionmaker, clock, ttl=ttl, holder="second")
    assert await first.acquire() and first.valid()
    assert not await second.acquire() and not second.valid()
    assert await first.acquire()  # renewing
    clock.advance(dt.timedelta(seconds=61))  # the first holder died and stopped renewing
    assert await second.acquire()
    assert not await first.acquire()
    await second.release()
    assert await first.acquire()
