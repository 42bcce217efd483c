"""How delivery stands, for health checks and metrics: the outbox by status, how late the
oldest due row is, and who holds the delivery lease."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import Outbox, OutboxStatus, WorkerLease
from reminders.lease import LEASE_NAME


@dataclass(frozen=True)
class DeliveryStatus:
    by_status: dict[str, int]
    due: int  # pending rows whose time has come
    lag_seconds: float  # age of the oldest due unsent row; 0 when nothing is due
    lease_holder: str | None  # None when nobody holds a live lease
    lease_expires_at: dt.datetime | None


async def delivery_status(session: AsyncSession, now: dt.datetime) -> DeliveryStatus:
    counts = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
    by_status = {str(status): int(n) for status, n in counts.all()}
    due_filter = (Outbox.status == OutboxStatus.PENDING, Outbox.next_attempt_at <= now)
    due, oldest = (
        await session.execute(
            select(func.count(), func.min(Outbox.next_attempt_at)).where(*due_filter)
        )
    ).one()
    lease = await session.get(WorkerLease, LEASE_NAME)
    live = lease is not None and lease.expires_at > now
    return DeliveryStatus(
        by_status=by_status,
        due=int(due),
        lag_seconds=max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0,
        lease_holder=lease.holder if live and lease else None,
        lease_expires_at=lease.expires_at if live and lease else None,
    )
