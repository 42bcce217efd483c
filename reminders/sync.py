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
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Result, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.olympiad import OlympiadEvent
from models.outbox import Outbox, OutboxKind, OutboxStatus
from reminders.bulk import OUTBOX, insert_rows
from reminders.expansion import (
    any_mutes,
    event_plan,
    is_wanted,
    outbox_insert,
    wanted_insert,
)
from reminders.plan import RowSpec
from reminders.scope import PLANNED_STATUSES
from reminders.staging import WANTED, WANTED_COLUMNS, fresh_temp

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


async def sync_event(
    session: AsyncSession,
    event_id: int,
    event: OlympiadEvent | None,
    rules: Calendar,
    now: dt.datetime,
) -> SyncStats:
    """`sync_rows` for every planned row of an event, set-based (see `reminders.expansion`):
    the first plan inserts straight into the outbox; a re-plan lists the wanted rows in a
    temporary table and cancels, revives and inserts against it."""
    scope = and_(OUTBOX.c.event_id == event_id, OUTBOX.c.kind.in_(PLANNED_KINDS))
    count = select(func.count()).select_from(OUTBOX).where(scope)
    existing = (await session.execute(count)).scalar_one()
    plan = None
    if event is not None and event.status in PLANNED_STATUSES:
        plan = await event_plan(session, event, rules, now)
    queries = list(plan.rows(await any_mutes(session, event_id))) if plan else []
    if not existing:
        inserted = 0
        for rows in queries:
            inserted += _count(await session.execute(outbox_insert(session, rows, event_id, now)))
        return SyncStats(inserted=inserted)
    await fresh_temp(await session.connection(), WANTED)
    for rows in queries:
        await session.execute(wanted_insert(session, rows))
    pending, cancelled = OUTBOX.c.status == OutboxStatus.PENDING, OutboxStatus.CANCELLED
    cancel = update(OUTBOX).where(scope, pending, ~is_wanted(OUTBOX.c.key))
    cancel = cancel.values(status=cancelled, last_error="no longer planned")
    revive = update(OUTBOX).where(
        scope, OUTBOX.c.status == cancelled, is_wanted(OUTBOX.c.key, now)
    )
    revive = revive.values(status=OutboxStatus.PENDING, last_error=None)
    stats = SyncStats(
        cancelled=_count(await session.execute(cancel)),
        revived=_count(await session.execute(revive)),
    )
    wanted = select(*(WANTED.c[name] for name in WANTED_COLUMNS))
    stats.inserted = _count(await session.execute(outbox_insert(session, wanted, event_id, now)))
    stats.kept = existing - stats.cancelled - stats.revived
    return stats


def _count(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount)
