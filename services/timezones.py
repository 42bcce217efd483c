"""Time zones people can pick, and the zone a person's times are shown in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.geo import Municipality, Region, School
from models.people import User
from services.errors import Refused

# Russia's zones west to east; one city each so that people recognise their own.
RUSSIAN_ZONES: tuple[str, ...] = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Tomsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Sakhalin",
    "Asia/Magadan",
    "Asia/Kamchatka",
)


async def school_timezone(session: AsyncSession, school_id: int) -> str | None:
    row = (
        await session.execute(
            select(School.timezone, Region.timezone)
            .join(Municipality, School.municipality_id == Municipality.id)
            .join(Region, Municipality.region_id == Region.id)
            .where(School.id == school_id)
        )
    ).one_or_none()
    return (row[0] or row[1]) if row else None


def set_timezone(user: User, index: int | None) -> None:
    """`None` returns the person to their school's zone."""
    if index is None:
        user.timezone = None
        return
    if not 0 <= index < len(RUSSIAN_ZONES):
        raise Refused("unknown_timezone")
    user.timezone = RUSSIAN_ZONES[index]
