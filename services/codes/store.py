"""Reading and writing code rows; the one place that knows how a code is picked and voided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration
from models.olympiad_day import CodeState, EventDaySetting, ParticipantCode
from models.outbox import Outbox, OutboxStatus
from models.people import User
from reminders.outbox import MESSAGE_KEY_PREFIX


@dataclass(frozen=True)
class Holder:
    """A registered student as the codes need them: where they sit and in which zone."""

    student_id: int
    name: str
    grade: int
    school_id: int | None
    zone: str


async def setting_of(session: AsyncSession, event_id: int, now: dt.datetime) -> EventDaySetting:
    found = await session.get(EventDaySetting, event_id)
    if found is None:
        found = EventDaySetting(event_id=event_id, updated_at=now)
        session.add(found)
        await session.flush()
    return found


async def holders(
    session: AsyncSession, event: OlympiadEvent, student_ids: list[int] | None = None
) -> list[Holder]:
    """The registered students (or those of `student_ids`), in the order they registered."""
    zone = func.coalesce(School.timezone, Region.timezone, "Europe/Moscow")
    query = (
        select(Registration.student_id, User.full_name, Registration.grade, User.school_id, zone)
        .join(User, Registration.student_id == User.id)
        .outerjoin(School, User.school_id == School.id)
        .outerjoin(Municipality, School.municipality_id == Municipality.id)
        .outerjoin(Region, Municipality.region_id == Region.id)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    )
    if student_ids is not None:
        query = query.where(Registration.student_id.in_(student_ids))
    return [Holder(*row) for row in (await session.execute(query)).all()]


async def current_code(
    session: AsyncSession, event_id: int, student_id: int
) -> ParticipantCode | None:
    return await session.scalar(
        select(ParticipantCode).where(
            ParticipantCode.event_id == event_id,
            ParticipantCode.student_id == student_id,
            ParticipantCode.state == CodeState.ASSIGNED,
        )
    )


async def holding(session: AsyncSession, event_id: int) -> set[int]:
    rows = await session.scalars(
        select(ParticipantCode.student_id).where(
            ParticipantCode.event_id == event_id, ParticipantCode.state == CodeState.ASSIGNED
        )
    )
    return {student_id for student_id in rows if student_id is not None}


async def free_codes(session: AsyncSession, event_id: int, reserve: bool) -> list[ParticipantCode]:
    rows = await session.scalars(
        select(ParticipantCode)
        .where(
            ParticipantCode.event_id == event_id,
            ParticipantCode.state == CodeState.FREE,
            ParticipantCode.reserve == reserve,
        )
        .order_by(ParticipantCode.id)
    )
    return list(rows)


async def take_reserve(session: AsyncSession, event_id: int) -> ParticipantCode | None:
    """A free reserve code; when the reserve has run out, a free main code."""
    for reserve in (True, False):
        found = await free_codes(session, event_id, reserve)
        if found:
            return found[0]
    return None


async def void(session: AsyncSession, code: ParticipantCode, now: dt.datetime) -> None:
    """Marks the code void and withdraws its deliveries that have not gone out yet."""
    code.state = CodeState.VOID
    code.voided_at = now
    await session.execute(
        update(Outbox)
        .where(
            Outbox.key.like(f"{MESSAGE_KEY_PREFIX}code:{code.id}:%"),
            Outbox.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.CANCELLED)
    )
