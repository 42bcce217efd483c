"""A consent reminder checked when it is sent: only the students still without a consent, and
still registered for an event of the year, are named; none left, nothing is sent."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.consent_rule import CONSENT_DUE
from models.consent import consented
from models.enums import EventStatus
from models.olympiad import OlympiadEvent, Registration
from models.outbox import Outbox
from models.people import User
from reminders.checks import Finding


async def consent_finding(session: AsyncSession, row: Outbox) -> Finding | None:
    payload = row.payload or {}
    students = [int(s) for s in payload.get("students", [])]
    year = int(payload.get("year", 0))
    given = await consented(session, students, year)
    waiting = [s for s in students if s not in given]
    if not waiting:
        return None
    rows = await session.execute(
        select(User.id, User.full_name)
        .join(Registration, Registration.student_id == User.id)
        .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
        .where(
            User.id.in_(waiting),
            OlympiadEvent.school_year == year,
            OlympiadEvent.status != EventStatus.CANCELLED,
        )
        .distinct()
        .order_by(User.full_name, User.id)
    )
    names = [name for _, name in rows]
    return Finding(CONSENT_DUE, names=names) if names else None
