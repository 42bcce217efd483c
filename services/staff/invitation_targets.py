"""Choosing the place an invitation is for: regions, then municipalities, then schools."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role
from models.geo import Municipality, Region, School
from services.authz import (
    INVITE_ACTION,
    MUNICIPAL_ROLES,
    REGIONAL_ROLES,
    SCHOOL_ROLES,
    authorize_entry,
)
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope, municipality_scope, school_scope
from services.staff.places import PAGE_SIZE, Paged, scope_bases

# The places an invitation can be for, browsed region → municipality → school.
TARGET_KIND: dict[Role, str] = {
    Role.REGIONAL: "r",
    Role.MUNICIPAL: "m",
    Role.CURATOR: "s",
    Role.REGIONAL_CENTRE: "r",
    Role.MUNICIPAL_OFFICE: "m",
    Role.DATA_OPERATOR: "s",
}
_DEPTH = {"r": 0, "m": 1, "s": 2}


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class Picker:
    role: Role
    kind: str  # what the items are: "r" regions, "m" municipalities, "s" schools
    parent_id: int  # the region or municipality they lie in (0 for regions)
    items: Paged[Choice]
    final: bool  # picking an item makes the invitation
    up_id: int = 0  # for schools: the region of their municipality

    @property
    def up(self) -> tuple[str, int] | None:
        """The list one level up, or None at the top."""
        return None if self.kind == "r" else ("r" if self.kind == "m" else "m", self.up_id)


async def _places(
    session: AsyncSession, kind: str, parent_id: int, deep: bool, locale: str
) -> tuple[list[tuple[Choice, Scope]], int]:
    """Every place of `kind` under `parent_id`, and the id of the parent's own parent."""
    if kind == "r":
        name = Region.name_en if locale == "en" else Region.name_ru
        query = select(Region.id, name).order_by(name)
        if deep:  # a region without municipalities leads nowhere
            query = query.where(
                select(Municipality.id).where(Municipality.region_id == Region.id).exists()
            )
        return [(Choice(i, n), Scope(i)) for i, n in await session.execute(query)], 0
    if kind == "m":
        rows = await session.execute(
            select(Municipality.id, Municipality.name)
            .where(Municipality.region_id == parent_id)
            .order_by(Municipality.name)
        )
        return [(Choice(i, n), Scope(parent_id, i)) for i, n in rows], 0
    municipality = await session.get(Municipality, parent_id)
    if municipality is None:
        raise Refused("stale_choice")
    rows = await session.execute(
        select(School.id, School.name)
        .where(School.municipality_id == parent_id)
        .order_by(School.name)
    )
    scopes = [(Choice(i, n), Scope(municipality.region_id, parent_id, i)) for i, n in rows]
    return scopes, municipality.region_id


async def picker(
    session: AsyncSession,
    ident: Identity,
    role: Role,
    kind: str,
    parent_id: int,
    page: int,
    locale: str,
) -> Picker:
    """One page of the places of `kind` I may invite `role` for (or that lead to them)."""
    target = TARGET_KIND.get(role)
    if target is None or _DEPTH.get(kind, 9) > _DEPTH[target]:
        raise Refused("stale_choice")
    authorize_entry(ident, INVITE_ACTION[role])
    bases = await scope_bases(session, ident, INVITE_ACTION[role])
    found, up_id = await _places(session, kind, parent_id, kind != target, locale)
    mine = [
        choice
        for choice, scope in found
        if bases is None or any(scope.within(b) or b.within(scope) for b in bases)
    ]
    size = PAGE_SIZE
    page = min(max(page, 0), max(0, (len(mine) - 1) // size))
    items = Paged(tuple(mine[page * size : (page + 1) * size]), page, len(mine), size)
    return Picker(role, kind, parent_id, items, kind == target, up_id)


async def first_picker(session: AsyncSession, ident: Identity, role: Role, locale: str) -> Picker:
    """Starts at the regions and skips every level where there is only one way to go."""
    shown = await picker(session, ident, role, "r", 0, 0, locale)
    while not shown.final and shown.items.total == 1:
        deeper = "m" if shown.kind == "r" else "s"
        shown = await picker(session, ident, role, deeper, shown.items.items[0].id, 0, locale)
    return shown


async def target_scope(session: AsyncSession, role: Role, target_id: int) -> Scope:
    """The whole chain of the place an invitation for `role` is about."""
    try:
        if role in SCHOOL_ROLES:
            return await school_scope(session, target_id)
        if role in MUNICIPAL_ROLES:
            return await municipality_scope(session, target_id)
    except Refused:
        raise Refused("stale_choice") from None
    if role not in REGIONAL_ROLES or await session.get(Region, target_id) is None:
        raise Refused("stale_choice")
    return Scope(region_id=target_id)
