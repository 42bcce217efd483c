"""The zone a person reads times in: the one rule, asked by screens and delivery alike.

Their own choice; else their school's zone (or its region's); else, for a parent, the zone of a
linked child's school; else the region of a role they hold; else the deployment's default.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.geo import Municipality, Region, School
from models.people import ParentLink, RoleGrant, User


async def zones_of(
    session: AsyncSession, user_ids: Collection[int], default_zone: str
) -> dict[int, str]:
    """The zone of each person asked about (people unknown to the database are left out)."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(User.id, func.coalesce(User.timezone, School.timezone, Region.timezone))
        .outerjoin(School, User.school_id == School.id)
        .outerjoin(Municipality, School.municipality_id == Municipality.id)
        .outerjoin(Region, Municipality.region_id == Region.id)
        .where(User.id.in_(list(user_ids)))
    )
    found: dict[int, str | None] = {user_id: zone for user_id, zone in rows}
    zoneless = [user_id for user_id, zone in found.items() if zone is None]
    for fallback in (_children_zones, _grant_zones):
        if not zoneless:
            break
        more = await fallback(session, zoneless)
        found.update(more)
        zoneless = [user_id for user_id in zoneless if user_id not in more]
    return {user_id: zone or default_zone for user_id, zone in found.items()}


async def _children_zones(session: AsyncSession, user_ids: list[int]) -> dict[int, str]:
    child = aliased(User)
    rows = await session.execute(
        select(ParentLink.parent_id, func.coalesce(School.timezone, Region.timezone))
        .join(child, ParentLink.child_id == child.id)
        .join(School, child.school_id == School.id)
        .join(Municipality, School.municipality_id == Municipality.id)
        .join(Region, Municipality.region_id == Region.id)
        .where(ParentLink.parent_id.in_(user_ids))
        .order_by(ParentLink.id)
    )
    return _first_per_person((user_id, zone) for user_id, zone in rows)


async def _grant_zones(session: AsyncSession, user_ids: list[int]) -> dict[int, str]:
    municipality_id = func.coalesce(RoleGrant.municipality_id, School.municipality_id)
    rows = await session.execute(
        select(RoleGrant.user_id, func.coalesce(School.timezone, Region.timezone))
        .outerjoin(School, RoleGrant.school_id == School.id)
        .outerjoin(Municipality, Municipality.id == municipality_id)
        .outerjoin(Region, Region.id == func.coalesce(RoleGrant.region_id, Municipality.region_id))
        .where(RoleGrant.user_id.in_(user_ids), RoleGrant.revoked_at.is_(None))
        .order_by(RoleGrant.id)
    )
    return _first_per_person((user_id, zone) for user_id, zone in rows)


def _first_per_person(rows: Iterable[tuple[int, str | None]]) -> dict[int, str]:
    """Each person's first zone in the rows' order (a person may have several places)."""
    zones: dict[int, str] = {}
    for user_id, zone in rows:
        if zone is not None:
            zones.setdefault(user_id, zone)
    return zones
