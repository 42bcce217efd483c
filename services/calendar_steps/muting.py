"""Muting one calendar's nudges for one person (the olympiad's mutes are in reminder_settings)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import Mute, Outbox, OutboxStatus
from reminders.mutes import calendar_target
from reminders.outbox import MESSAGE_KEY_PREFIX


async def is_muted(session: AsyncSession, user_id: int, calendar: str) -> bool:
    target = calendar_target(calendar)
    found = await session.scalar(
        select(Mute.id).where(Mute.user_id == user_id, Mute.target == target)
    )
    return found is not None


async def toggle_mute(
    session: AsyncSession, user_id: int, calendar: str, now: dt.datetime
) -> bool:
    """Mutes or unmutes the calendar; True when it is now muted (its pending nudges dropped)."""
    target = calendar_target(calendar)
    removed = await session.execute(
        delete(Mute).where(Mute.user_id == user_id, Mute.target == target)
    )
    if removed.rowcount:  # type: ignore[attr-defined]
        return False
    session.add(Mute(user_id=user_id, target=target, created_at=now))
    await session.execute(
        update(Outbox)
        .where(
            Outbox.user_id == user_id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.key.startswith(f"{MESSAGE_KEY_PREFIX}cs:{calendar}:"),
        )
        .values(status=OutboxStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return True
