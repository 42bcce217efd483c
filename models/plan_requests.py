"""Students whose reminders must be planned again after a registration changed.

A registration (or a withdrawal) records a request here in its own transaction and commits at
once; the planning itself runs afterwards in a transaction of its own (`reminders.plan_queue`),
so a press holds the database's write lock for the insert, not for the planning, and a burst of
presses is planned together. The request is durable: a process that dies before planning leaves
it here for the next drain, on any replica.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# Set on the session that queued a request: whoever commits it may drain at once.
QUEUED_FLAG = "plan_requested"


class PlanRequest(Base):
    __tablename__ = "plan_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    student_id: Mapped[int]
    requested_at: Mapped[dt.datetime]


async def add(
    session: AsyncSession, event_id: int, student_ids: Collection[int], now: dt.datetime
) -> None:
    if not student_ids:
        return
    rows = [{"event_id": event_id, "student_id": s, "requested_at": now} for s in student_ids]
    await session.execute(insert(PlanRequest), rows)
    session.info[QUEUED_FLAG] = True


async def claim(session: AsyncSession, limit: int) -> list[tuple[int, int]]:
    """Takes up to `limit` requests (oldest first) out of the queue, in the caller's transaction:
    they come back if it rolls back. On PostgreSQL a request another drain holds is skipped."""
    oldest = select(PlanRequest.id).order_by(PlanRequest.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
        ids = list((await session.scalars(oldest)).all())
        if not ids:
            return []
        target = PlanRequest.id.in_(ids)
    else:
        target = PlanRequest.id.in_(oldest.scalar_subquery())
    statement = (
        delete(PlanRequest)
        .where(target)
        .returning(PlanRequest.event_id, PlanRequest.student_id)
        .execution_options(synchronize_session=False)
    )
    return [(row.event_id, row.student_id) for row in await session.execute(statement)]


async def waiting(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(PlanRequest)) or 0)
