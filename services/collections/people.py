"""Who answers for an organisation's data, and who coordinates a scope: the one rule the data
collections, card completeness and the school-year switch ask.

A school's data operator answers for it, the municipal office and the regional data centre
coordinate (the calendar roles); the olympiad's curator and coordinators keep doing so too, as
they did before those roles existed, so that a deployment that has not invited data staff yet
still works.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role
from models.geo import Municipality
from models.people import RoleGrant, User
from services.people.identity import Identity
from services.scopes import Scope

SCHOOL_ROLES = frozenset({Role.CURATOR.value, Role.DATA_OPERATOR.value})
MUNICIPAL_ROLES = frozenset({Role.MUNICIPAL.value, Role.MUNICIPAL_OFFICE.value})
REGIONAL_ROLES = frozenset({Role.REGIONAL.value, Role.REGIONAL_CENTRE.value})


def responsible_school_ids(ident: Identity) -> list[int]:
    """The organisations this person answers for, in the order they were granted."""
    ids = [g.school_id for g in ident.grants if str(g.role) in SCHOOL_ROLES and g.school_id]
    return list(dict.fromkeys(ids))


def coordinated_scopes(ident: Identity) -> list[Scope]:
    """The regions and municipalities this person coordinates, regions first."""
    regions = [
        Scope(region_id=g.region_id)
        for g in ident.grants
        if str(g.role) in REGIONAL_ROLES and g.region_id is not None
    ]
    municipalities = [
        g.municipality_id
        for g in ident.grants
        if str(g.role) in MUNICIPAL_ROLES and g.municipality_id is not None
    ]
    return regions + [Scope(municipality_id=m) for m in dict.fromkeys(municipalities)]


async def full_scopes(session: AsyncSession, ident: Identity) -> list[Scope]:
    """`coordinated_scopes` with each municipality's region filled in."""
    scopes = coordinated_scopes(ident)
    ids = [s.municipality_id for s in scopes if s.municipality_id is not None]
    regions: dict[int, int] = {}
    if ids:
        rows = await session.execute(
            select(Municipality.id, Municipality.region_id).where(Municipality.id.in_(ids))
        )
        regions = {m: r for m, r in rows}
    return [
        Scope(region_id=regions.get(s.municipality_id), municipality_id=s.municipality_id)
        if s.municipality_id is not None
        else s
        for s in scopes
    ]


async def responsible_people(
    session: AsyncSession, school_ids: Collection[int]
) -> dict[int, list[User]]:
    """Each organisation's responsible people who can be written to, by school id."""
    if not school_ids:
        return {}
    rows = await session.execute(
        select(RoleGrant.school_id, User)
        .join(User, RoleGrant.user_id == User.id)
        .where(
            RoleGrant.school_id.in_(list(school_ids)),
            RoleGrant.role.in_(sorted(SCHOOL_ROLES)),
            RoleGrant.revoked_at.is_(None),
            User.tg_id.is_not(None),
        )
        .order_by(RoleGrant.id)
    )
    found: dict[int, list[User]] = defaultdict(list)
    for school_id, user in rows:
        assert school_id is not None  # the query asks for school grants
        if all(u.id != user.id for u in found[school_id]):
            found[school_id].append(user)
    return dict(found)


async def holders(session: AsyncSession, roles: Collection[str]) -> list[User]:
    """Everyone reachable who holds one of these roles, anywhere."""
    rows = await session.scalars(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(
            RoleGrant.role.in_(sorted(roles)),
            RoleGrant.revoked_at.is_(None),
            User.tg_id.is_not(None),
        )
        .order_by(User.id)
        .distinct()
    )
    return list(rows)
