"""The inbox on a real database (SQLite and PostgreSQL): recording, claiming, handling once."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import inbox
from models.inbox import InboxState, InboxUpdate

NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=30)


def updates(*ids: int) -> list[dict[str, object]]:
    return [{"update_id": i, "message": {"message_id": i, "text": f"/u{i}"}} for i in ids]


async def states(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with sessionmaker() as session:
        rows = await session.execute(select(InboxUpdate.update_id, InboxUpdate.state))
        return {update_id: state for update_id, state in rows}


async def test_an_update_handed_over_twice_is_recorded_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(1, 2), NOW)
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(2, 3), NOW)  # Telegram re-delivers 2
    assert await states(sessionmaker) == {1: "new", 2: "new", 3: "new"}
    async with sessionmaker() as session:
        row = await session.get(InboxUpdate, 2)
        assert row is not None and row.payload["message"]["text"] == "/u2"


async def test_claims_do_not_overlap_and_expire(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(*range(1, 11)), NOW)
    async with sessionmaker() as session, session.begin():
        first = await inbox.claim(session, "a", NOW, limit=6, lease=LEASE)
    async with sessionmaker() as session, session.begin():
        second = await inbox.claim(session, "b", NOW, limit=6, lease=LEASE)
    assert [r.update_id for r in first] == [1, 2, 3, 4, 5, 6]
    assert [r.update_id for r in second] == [7, 8, 9, 10]
    async with sessionmaker() as session, session.begin():
        assert await inbox.claim(session, "c", NOW, limit=6, lease=LEASE) == []
    later = NOW + LEASE + dt.timedelta(seconds=1)
    async with sessionmaker() as session, session.begin():
        taken = await inbox.claim(session, "c", later, limit=20, lease=LEASE)
    assert len(taken) == 10 and all(r.attempts == 2 for r in taken)  # noqa: PLR2004


async def test_a_restarted_holder_takes_its_own_rows_back_at_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(1, 2), NOW)
        await inbox.claim(session, "replica-1", NOW, limit=10, lease=LEASE)
    async with sessionmaker() as session, session.begin():
        assert await inbox.claim(session, "replica-2", NOW, limit=10, lease=LEASE) == []
        assert await inbox.claim(session, "replica-1", NOW, limit=10, lease=LEASE) == []
        again = await inbox.claim(
            session, "replica-1", NOW, limit=10, lease=LEASE, reclaim_own=True
        )
    assert [r.update_id for r in again] == [1, 2]


async def test_done_is_marked_once(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(1), NOW)
    async with sessionmaker() as session, session.begin():
        assert await inbox.mark_done(session, 1, NOW) is True
    async with sessionmaker() as session, session.begin():
        assert await inbox.mark_done(session, 1, NOW) is False
    async with sessionmaker() as session, session.begin():
        assert await inbox.claim(session, "a", NOW, limit=10, lease=LEASE) == []
    assert await states(sessionmaker) == {1: InboxState.DONE}


async def test_two_handlers_racing_for_one_update_commit_one(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The second "done" mark fails, so its handler's effects roll back."""
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(1), NOW)

    async def handle() -> bool:
        async with sessionmaker() as session:
            try:
                ok = await inbox.mark_done(session, 1, NOW)
                await asyncio.sleep(0.05)
                await session.commit()
            except Exception:  # noqa: BLE001 - SQLite refuses the second writer: also a loss
                await session.rollback()
                return False
            return ok

    results = await asyncio.gather(handle(), handle())
    assert sorted(results) == [False, True]


async def test_release_postpone_backlog_and_prune(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(1, 2, 3), NOW)
        await inbox.claim(session, "a", NOW, limit=10, lease=LEASE)
        await inbox.release(session, "a", [1])
        await inbox.postpone(session, 2, NOW + dt.timedelta(seconds=5))
        await inbox.mark_done(session, 3, NOW)
    async with sessionmaker() as session, session.begin():
        taken = await inbox.claim(session, "b", NOW, limit=10, lease=LEASE)
        assert [r.update_id for r in taken] == [1]
        count, oldest = await inbox.backlog(session, NOW + dt.timedelta(seconds=7))
        assert count == 2 and oldest == dt.timedelta(seconds=7)  # noqa: PLR2004
        await inbox.set_aside(session, [2], NOW)
        await inbox.prune(session, NOW + dt.timedelta(days=2))
    assert await states(sessionmaker) == {1: "new"}


async def test_a_failing_update_is_set_aside_but_kills_are_not_failures(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        await inbox.store(session, updates(1, 2), NOW)
    for attempt in range(inbox.MAX_FAILURES):
        at = NOW + dt.timedelta(minutes=attempt)
        async with sessionmaker() as session, session.begin():
            rows = await inbox.claim(session, "a", at, limit=10, lease=LEASE, reclaim_own=True)
            assert not any(inbox.worn_out(r) for r in rows)
            await inbox.postpone(session, 1, at)  # 1 raised; 2 was cut short by a kill
    async with sessionmaker() as session, session.begin():
        rows = await inbox.claim(session, "a", NOW + dt.timedelta(hours=1), limit=10, lease=LEASE)
    assert [(r.update_id, inbox.worn_out(r)) for r in rows] == [(1, True), (2, False)]
