"""Bringing the outbox in line with the rows a plan wants, inside the caller's transaction.

Rows are matched by their idempotency key: new keys are inserted (`ON CONFLICT DO NOTHING`, so
a concurrent planner cannot make a duplicate), pending rows the plan no longer wants are
cancelled, and cancelled rows it wants again come back. Rows already due when planning happens
are not created: a late change gets only the reminders still ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import Outbox, OutboxKind, OutboxStatus
from reminders.bulk import insert_rows
from reminders.plan import RowSpec

PLANNED_KINDS = (OutboxKind.REMINDER, OutboxKind.CHECK)
_CHUNK = 500


@dataclass
class SyncStats:
    inserted: int = 0
    cancelled: int = 0
    revived: int = 0
    kept: int = 0

    def __iadd__(self, other: SyncStats) -> SyncStats:
        self.inserted += other.inserted
        self.cancelled += other.cancelled
        self.revived += other.revived
        self.kept += other.kept
        return self


async def set_status(
    session: AsyncSession, ids: Sequence[int], status: OutboxStatus, **values: Any
) -> None:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        await session.execute(
            update(Outbox)
            .where(Outbox.id.in_(chunk))
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )


async def sync_rows(
    session: AsyncSession,
    desired: dict[str, RowSpec],
    scope: ColumnElement[bool],
    now: dt.datetime,
) -> SyncStats:
    """Makes the planned rows within `scope` match `desired`; never commits."""
    existing = await session.execute(
        select(Outbox.id, Outbox.key, Outbox.status).where(scope, Outbox.kind.in_(PLANNED_KINDS))
    )
    cancel: list[int] = []
    revive: list[int] = []
    seen: set[str] = set()
    for row_id, key, status in existing:
        seen.add(key)
        spec = desired.get(key)
        if spec is None:
            if status == OutboxStatus.PENDING:
                cancel.append(row_id)
        elif status == OutboxStatus.CANCELLED and spec.due_at >= now:
            revive.append(row_id)
    await set_status(session, cancel, OutboxStatus.CANCELLED, last_error="no longer planned")
    await set_status(session, revive, OutboxStatus.PENDING, last_error=None)
    fresh = (s for k, s in desired.items() if k not in seen and s.due_at >= now)
    inserted = await insert_rows(session, fresh, now)
    kept = len(seen) - len(cancel) - len(revive)
    return SyncStats(inserted=inserted, cancelled=len(cancel), revived=len(revive), kept=kept)
