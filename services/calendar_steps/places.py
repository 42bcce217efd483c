"""The schools a scope holds, and the zone each reads times in (its own, else its region's)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.geo import Municipality, Region, School
from services.scopes import Scope


@dataclass(frozen=True)
class Place:
    school_id: int
    name: str
    municipality_id: int
    region_id: int
    zone: str

    @property
    def scope(self) -> Scope:
        return Scope(self.region_id, self.municipality_id, self.school_id)


async def schools_in(session: AsyncSession, scope: Scope) -> list[Place]:
    """Every school inside the scope (a school scope: that school alone), by name."""
    query = (
        select(
            School.id,
            School.name,
            Municipality.id,
            Region.id,
            func.coalesce(School.timezone, Region.timezone),
        )
        .join(Municipality, School.municipality_id == Municipality.id)
        .join(Region, Municipality.region_id == Region.id)
        .order_by(School.name, School.id)
    )
    if scope.school_id is not None:
        query = query.where(School.id == scope.school_id)
    elif scope.municipality_id is not None:
        query = query.where(Municipality.id == scope.municipality_id)
    elif scope.region_id is not None:
        query = query.where(Region.id == scope.region_id)
    return [Place(*row) for row in await session.execute(query)]
