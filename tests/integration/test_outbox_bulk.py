"""Bulk inserts of planned rows: COPY on PostgreSQL for large batches, executemany otherwise."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience
from models.enums import PersonKind
from models.outbox import Outbox, OutboxKind, OutboxStatus
from models.people import User
from reminders.bulk import insert_rows
from reminders.plan import RowSpec

NOW = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)


def spec(user_id: int, n: int) -> RowSpec:
    due = NOW + dt.timedelta(hours=n)
    return RowSpec(
        key=f"reminder:{user_id}:bulk:step{n}:{due:%Y%m%dT%H%M}",
        user_id=user_id,
        event_id=None,
        kind=OutboxKind.REMINDER,
        step=f"step{n}",
        audience=Audience.STUDENT,
        due_at=due,
        step_at=due + dt.timedelta(days=1),
        step_zone="Asia/Sakhalin",
        expires_at=due + dt.timedelta(days=1),
        payload={"n": n} if n % 2 else None,
    )


async def test_large_and_small_batches_store_every_row_once(session: AsyncSession) -> None:
    user = User(tg_id=1, full_name="Аня", kind=PersonKind.STUDENT, created_at=NOW)
    session.add(user)
    await session.flush()
    rows = [spec(user.id, n) for n in range(6200)]  # two batches of the COPY path, then a tail
    offered = await insert_rows(session, rows + rows[:300], NOW)  # the repeats conflict
    again = await insert_rows(session, rows[:50], NOW)  # a small batch: executemany
    count = await session.scalar(select(func.count(Outbox.id)))
    assert (offered, again, count) == (6500, 50, 6200)
    stored = await session.scalar(select(Outbox).where(Outbox.key == rows[7].key))
    assert stored is not None
    assert (stored.due_at, stored.status, stored.payload) == (
        rows[7].due_at,
        OutboxStatus.PENDING,
        {"n": 7},
    )
    assert stored.next_attempt_at == rows[7].due_at


async def test_instants_are_stored_as_the_orm_stores_them(session: AsyncSession) -> None:
    """On SQLite the text of an instant is what decides comparisons and order: the bulk path
    must write the same text as every other write (not the driver's default adapter)."""
    user = User(tg_id=1, full_name="Аня", kind=PersonKind.STUDENT, created_at=NOW)
    session.add(user)
    await session.flush()
    row = spec(user.id, 3)
    await insert_rows(session, [row], NOW)
    session.add(Outbox(key="orm", user_id=user.id, kind=OutboxKind.MESSAGE, due_at=row.due_at,
                       next_attempt_at=row.due_at, created_at=NOW))  # fmt: skip
    await session.flush()
    raw = (await session.execute(
        text("SELECT key, due_at FROM outbox ORDER BY key")
    )).all()  # fmt: skip
    assert raw[0][1] == raw[1][1], raw
