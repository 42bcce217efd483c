"""The inbox: every update Telegram hands over is written here before it is acknowledged.

Polling advances the offset, and a webhook answers 200, only after the batch's rows commit; a
row is handled once and marked done in the same commit as the handler's effects. A process that
dies mid-update leaves its rows claimed until the claim runs out (or until it starts again under
the same instance name), and any replica then takes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import JSON, BigInteger, Index, String, Table, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.sql import insert_ignore


class InboxState(StrEnum):
    NEW = "new"
    DONE = "done"
    FAILED = "failed"  # handled over and over without finishing: set aside, logged


class InboxUpdate(Base):
    __tablename__ = "inbox_update"
    __table_args__ = (Index("ix_inbox_update_state_claimed", "state", "claimed_until"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[InboxState] = mapped_column(String(8), default=InboxState.NEW)
    attempts: Mapped[int] = mapped_column(default=0)  # claims, whether they ended or not
    failures: Mapped[int] = mapped_column(default=0)  # handlers that raised
    claimed_by: Mapped[str | None] = mapped_column(String(120), default=None)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    received_at: Mapped[dt.datetime]
    done_at: Mapped[dt.datetime | None] = mapped_column(default=None)


INBOX = cast(Table, InboxUpdate.__table__)
# A handler that raises is tried again a few times; an update claimed very often without ever
# finishing (it kills the process each time) is set aside too, but only after many claims:
# restarts and kills in the middle of a burst also leave claims unfinished.
MAX_FAILURES = 5
MAX_CLAIMS = 100


async def store(
    session: AsyncSession, payloads: Iterable[dict[str, Any]], now: dt.datetime
) -> int:
    """Records updates (Telegram may hand one over twice: the second copy is ignored)."""
    rows = [
        {
            "update_id": int(p["update_id"]),
            "payload": p,
            "state": InboxState.NEW,
            "attempts": 0,
            "received_at": now,
        }
        for p in payloads
    ]
    if not rows:
        return 0
    await session.execute(insert_ignore(session, INBOX, "update_id"), rows)
    return len(rows)


async def claim(
    session: AsyncSession,
    holder: str,
    now: dt.datetime,
    *,
    limit: int,
    lease: dt.timedelta,
    reclaim_own: bool = False,
) -> list[InboxUpdate]:
    """Claims up to `limit` waiting updates, oldest first: new ones, ones whose claim ran out,
    and the holder's own (a restarted process under the same name takes its rows back at once).
    The caller commits."""
    free = [InboxUpdate.claimed_until.is_(None), InboxUpdate.claimed_until <= now]
    if reclaim_own:
        free.append(InboxUpdate.claimed_by == holder)
    waiting = (
        select(InboxUpdate.update_id)
        .where(InboxUpdate.state == InboxState.NEW, or_(*free))
        .order_by(InboxUpdate.update_id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        waiting = waiting.with_for_update(skip_locked=True)
    ids = list(await session.scalars(waiting))
    if not ids:
        return []
    claimed = await session.scalars(
        update(InboxUpdate)
        .where(InboxUpdate.update_id.in_(ids))
        .values(
            claimed_by=holder,
            claimed_until=now + lease,
            attempts=InboxUpdate.attempts + 1,
        )
        .returning(InboxUpdate)
        .execution_options(synchronize_session=False)
    )
    return sorted(claimed, key=lambda row: row.update_id)


async def mark_done(session: AsyncSession, update_id: int, now: dt.datetime) -> bool:
    """Marks an update handled, in the caller's transaction (with the handler's effects). False
    when it was already done: someone else handled it, and the caller must roll back."""
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id, InboxUpdate.state == InboxState.NEW)
        .values(state=InboxState.DONE, done_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def worn_out(row: InboxUpdate) -> bool:
    return row.failures >= MAX_FAILURES or row.attempts > MAX_CLAIMS


async def set_aside(session: AsyncSession, update_ids: Sequence[int], now: dt.datetime) -> None:
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id.in_(update_ids), InboxUpdate.state == InboxState.NEW)
        .values(state=InboxState.FAILED, done_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )


async def release(session: AsyncSession, holder: str, update_ids: Sequence[int]) -> None:
    """Gives unfinished claims back at once (a graceful stop)."""
    if update_ids:
        await session.execute(
            update(InboxUpdate)
            .where(
                InboxUpdate.update_id.in_(update_ids),
                InboxUpdate.claimed_by == holder,
                InboxUpdate.state == InboxState.NEW,
            )
            .values(claimed_until=None, claimed_by=None)
            .execution_options(synchronize_session=False)
        )


async def backlog(session: AsyncSession, now: dt.datetime) -> tuple[int, dt.timedelta | None]:
    """Updates not handled yet, and the age of the oldest (for health and metrics)."""
    count, oldest = (
        await session.execute(
            select(func.count(), func.min(InboxUpdate.received_at)).where(
                InboxUpdate.state == InboxState.NEW
            )
        )
    ).one()
    return int(count), (now - oldest if oldest is not None else None)


async def prune(session: AsyncSession, before: dt.datetime) -> None:
    """Forgets handled updates older than `before` (kept a while to recognise re-deliveries)."""
    await session.execute(
        InboxUpdate.__table__.delete().where(  # type: ignore[attr-defined]
            InboxUpdate.state != InboxState.NEW, InboxUpdate.done_at < before
        )
    )


async def postpone(session: AsyncSession, update_id: int, until: dt.datetime) -> None:
    """A handler raised: the update waits until `until`, then any claimer may take it."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id, InboxUpdate.state == InboxState.NEW)
        .values(claimed_by=None, claimed_until=until, failures=InboxUpdate.failures + 1)
        .execution_options(synchronize_session=False)
    )
