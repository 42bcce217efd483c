"""The counts of registrations per event: as aggregated, and as kept by the database."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import RegistrationState
from models.olympiad import Registration
from models.registration_counts import RegistrationCount


async def counted(session: AsyncSession) -> dict[int, tuple[int, int, int]]:
    """What the aggregate over registrations says, per event that has any."""
    absent = Registration.state == RegistrationState.ABSENT
    rows = await session.execute(
        select(
            Registration.event_id,
            func.count(Registration.id),
            func.count(Registration.score),
            func.sum(case((absent, 0), else_=1)),
        ).group_by(Registration.event_id)
    )
    return {e: (int(r), int(s), int(x)) for e, r, s, x in rows}


async def kept(session: AsyncSession) -> dict[int, tuple[int, int, int]]:
    """What the kept counts say, leaving out events whose registrations are all gone."""
    rows = await session.execute(
        select(
            RegistrationCount.event_id,
            RegistrationCount.registered,
            RegistrationCount.results,
            RegistrationCount.expected,
        )
    )
    return {e: (r, s, x) for e, r, s, x in rows if (r, s, x) != (0, 0, 0)}
