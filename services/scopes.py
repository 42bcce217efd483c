"""Where things sit: a school inside a municipality inside a region."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.geo import Municipality, School
from models.people import RoleGrant
from services.errors import Refused


@dataclass(frozen=True)
class Scope:
    """A place in the hierarchy; the narrower ids imply the wider ones."""

    region_id: int | None = None
    municipality_id: int | None = None
    school_id: int | None = None

    def within(self, outer: Scope) -> bool:
        """True when this place lies inside `outer` (a place lies inside itself)."""
        if outer.school_id is not None:
            return self.school_id == outer.school_id
        if outer.municipality_id is not None:
            return self.municipality_id == outer.municipality_id
        if outer.region_id is not None:
            return self.region_id == outer.region_id
        return True  # the whole deployment


DEPLOYMENT = Scope()


def grant_scope(grant: RoleGrant) -> Scope:
    return Scope(grant.region_id, grant.municipality_id, grant.school_id)


async def school_scope(session: AsyncSession, school_id: int) -> Scope:
    row = (
        await session.execute(
            select(School.id, Municipality.id, Municipality.region_id)
            .join(Municipality, School.municipality_id == Municipality.id)
            .where(School.id == school_id)
        )
    ).one_or_none()
    if row is None:
        raise Refused("unknown_school")
    return Scope(region_id=row[2], municipality_id=row[1], school_id=row[0])


async def municipality_scope(session: AsyncSession, municipality_id: int) -> Scope:
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise Refused("unknown_municipality")
    return Scope(region_id=municipality.region_id, municipality_id=municipality.id)
