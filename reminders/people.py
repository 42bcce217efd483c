"""What delivery needs to know about recipients: chat, language, zone, reachability."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.geo import Municipality, Region, School
from models.people import RoleGrant, User


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    chat_id: int | None
    locale: str
    zone: str
    unreachable_since: dt.datetime | None


async def people(
    session: AsyncSession, user_ids: Collection[int], *, default_locale: str, default_zone: str
) -> dict[int, Person]:
    """Zone: the person's own, else their school's, else the region of a role they hold."""
    if not user_ids:
        return {}
    school_region = aliased(Region)
    rows = await session.execute(
        select(
            User.id,
            User.tg_id,
            User.locale,
            User.unreachable_since,
            func.coalesce(User.timezone, School.timezone, school_region.timezone),
        )
        .outerjoin(School, User.school_id == School.id)
        .outerjoin(Municipality, School.municipality_id == Municipality.id)
        .outerjoin(school_region, Municipality.region_id == school_region.id)
        .where(User.id.in_(list(user_ids)))
    )
    found: dict[int, tuple[int | None, str, dt.datetime | None, str | None]] = {}
    zoneless: list[int] = []
    for user_id, chat_id, locale, unreachable, zone in rows:
        if zone is None:
            zoneless.append(user_id)
        found[user_id] = (chat_id, locale or default_locale, unreachable, zone)
    grant_zones = await _grant_zones(session, zoneless)
    return {
        user_id: Person(
            user_id, chat_id, locale, zone or grant_zones.get(user_id, default_zone), unreachable
        )
        for user_id, (chat_id, locale, unreachable, zone) in found.items()
    }


async def _grant_zones(session: AsyncSession, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    municipality_id = func.coalesce(RoleGrant.municipality_id, School.municipality_id)
    rows = await session.execute(
        select(RoleGrant.user_id, func.coalesce(School.timezone, Region.timezone))
        .outerjoin(School, RoleGrant.school_id == School.id)
        .outerjoin(Municipality, Municipality.id == municipality_id)
        .outerjoin(Region, Region.id == func.coalesce(RoleGrant.region_id, Municipality.region_id))
        .where(RoleGrant.user_id.in_(user_ids), RoleGrant.revoked_at.is_(None))
        .order_by(RoleGrant.id)
    )
    zones: dict[int, str] = {}
    for user_id, zone in rows:
        if zone is not None:
            zones.setdefault(user_id, zone)
    return zones
