"""The people holding staff roles in my scope, and taking a role away."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import CursorResult, Row, Select, case, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.enums import Role
from models.geo import Municipality, Region, School
from models.people import RoleGrant, User
from services import audit
from services.authz import ALLOWED, Action, authorize_entry, authorize_revoke, is_admin, may_revoke
from services.errors import Refused
from services.identity import Identity
from services.notify import notify
from services.scopes import Scope, grant_scope, municipality_scope, school_scope
from services.timezones import effective_timezone, school_timezone

PAGE_SIZE = 8
T = TypeVar("T")


@dataclass(frozen=True)
class Paged(Generic[T]):
    items: tuple[T, ...]
    page: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


async def paged(
    session: AsyncSession, stmt: Select[Any], page: int, size: int
) -> tuple[list[Row[Any]], int, int]:
    """One page of rows, the total and the page actually shown; one query unless out of range."""
    counted = stmt.add_columns(func.count().over())
    page = max(page, 0)
    rows = list(await session.execute(counted.limit(size).offset(page * size)))
    if not rows and page > 0:
        # The list shrank under the reader (a role was revoked): show the last page instead.
        total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        page = max(0, -(-total // size) - 1)
        rows = list(await session.execute(counted.limit(size).offset(page * size)))
    total = int(rows[0][-1]) if rows else 0
    return [r[:-1] for r in rows], total, page  # type: ignore[misc]


class Places:
    """Names the place of rows whose scope ids may be partial (a curator grant with its school
    only): outer joins derive the municipality and region, so filters see the whole chain."""

    def __init__(self, region_id: Any, municipality_id: Any, school_id: Any) -> None:
        self.school, self.muni, self.region = (
            aliased(School),
            aliased(Municipality),
            aliased(Region),
        )
        self._ids = (region_id, municipality_id, school_id)

    def join(self, stmt: Select[Any]) -> Select[Any]:
        region_id, municipality_id, school_id = self._ids
        muni_id = func.coalesce(municipality_id, self.school.municipality_id)
        return (
            stmt.outerjoin(self.school, self.school.id == school_id)
            .outerjoin(self.muni, self.muni.id == muni_id)
            .outerjoin(
                self.region, self.region.id == func.coalesce(region_id, self.muni.region_id)
            )
        )

    def _region_name(self, locale: str) -> Any:
        return self.region.name_en if locale == "en" else self.region.name_ru

    def columns(self, locale: str) -> tuple[Any, ...]:
        return (
            self.region.id,
            self.muni.id,
            self.school.id,
            self._region_name(locale),
            self.muni.name,
            self.school.name,
        )

    def order(self, locale: str) -> tuple[Any, ...]:
        return (self._region_name(locale), self.muni.name, self.school.name)

    @staticmethod
    def read(values: Sequence[Any]) -> tuple[Scope, str]:
        region_id, muni_id, school_id, region, muni, school = values[:6]
        return Scope(region_id, muni_id, school_id), school or muni or region or ""

    def limit_to(self, stmt: Select[Any], bases: list[Scope] | None) -> Select[Any]:
        """Rows inside any of `bases` (None: everywhere)."""
        if bases is None:
            return stmt
        conditions = [
            self.school.id == b.school_id
            if b.school_id is not None
            else self.muni.id == b.municipality_id
            if b.municipality_id is not None
            else self.region.id == b.region_id
            for b in bases
        ]
        return stmt.where(or_(false(), *conditions))


async def full_scope(session: AsyncSession, grant: RoleGrant) -> Scope:
    if grant.school_id is not None:
        return await school_scope(session, grant.school_id)
    if grant.municipality_id is not None:
        return await municipality_scope(session, grant.municipality_id)
    return grant_scope(grant)


async def scope_bases(
    session: AsyncSession, ident: Identity, action: Action
) -> list[Scope] | None:
    """The places where my roles allow `action`, whole chains; None for an admin (everywhere)."""
    if is_admin(ident):
        return None
    return [
        await full_scope(session, g) for g in ident.grants if action in ALLOWED.get(g.role, ())
    ]


async def staff_timezone(session: AsyncSession, ident: Identity, default: str) -> str:
    """Staff often have no school: after their own choice, the zone of the region they serve."""
    zone = await effective_timezone(session, ident.user, "")
    if zone:
        return zone
    for grant in ident.grants:
        scope = await full_scope(session, grant)
        if scope.school_id is not None:
            return await school_timezone(session, scope.school_id) or default
        if scope.region_id is not None:
            region = await session.get(Region, scope.region_id)
            return region.timezone if region else default
    return default


@dataclass(frozen=True)
class StaffMember:
    grant_id: int
    user_id: int
    name: str
    role: Role
    scope: Scope
    place: str
    granted_by: str | None
    granted_by_id: int | None
    since: datetime
    can_revoke: bool


def _staff_query(locale: str) -> tuple[Select[Any], Places]:
    holder, granter = aliased(User), aliased(User)
    places = Places(RoleGrant.region_id, RoleGrant.municipality_id, RoleGrant.school_id)
    rank = case(
        {Role.ADMIN: 0, Role.REGIONAL: 1, Role.MUNICIPAL: 2}, value=RoleGrant.role, else_=3
    )
    stmt = places.join(
        select(RoleGrant, holder.full_name, granter.full_name, *places.columns(locale))
        .join(holder, holder.id == RoleGrant.user_id)
        .outerjoin(granter, granter.id == RoleGrant.granted_by_id)
    )
    stmt = stmt.where(RoleGrant.revoked_at.is_(None)).order_by(
        rank, *places.order(locale), holder.full_name, RoleGrant.id
    )
    return stmt, places


def _member(ident: Identity, row: Any, places: Places) -> StaffMember:
    grant: RoleGrant = row[0]
    scope, label = places.read(row[3:])
    role = Role(grant.role)
    return StaffMember(
        grant_id=grant.id,
        user_id=grant.user_id,
        name=row[1] or "—",
        role=role,
        scope=scope,
        place=label,
        granted_by=row[2],
        granted_by_id=grant.granted_by_id,
        since=grant.created_at,
        can_revoke=grant.user_id != ident.user.id
        and may_revoke(ident, role, scope, grant.granted_by_id),
    )


async def staff_page(
    session: AsyncSession, ident: Identity, page: int, locale: str, page_size: int = PAGE_SIZE
) -> Paged[StaffMember]:
    """People with an active role inside my scope (me included), highest role first."""
    authorize_entry(ident, Action.LIST_STAFF)
    stmt, places = _staff_query(locale)
    bases = await scope_bases(session, ident, Action.LIST_STAFF)
    rows, total, page = await paged(session, places.limit_to(stmt, bases), page, page_size)
    return Paged(tuple(_member(ident, r, places) for r in rows), page, total, page_size)


async def staff_member(
    session: AsyncSession, ident: Identity, grant_id: int, locale: str
) -> StaffMember:
    """One active role I may revoke (what the confirmation shows); refuses anything else."""
    authorize_entry(ident, Action.REVOKE_ROLE)
    stmt, places = _staff_query(locale)
    row = (await session.execute(stmt.where(RoleGrant.id == grant_id))).one_or_none()
    if row is None:
        raise Refused("role_not_active")
    member = _member(ident, row, places)
    if member.user_id == ident.user.id:
        raise Refused("role_is_yours")
    authorize_revoke(ident, member.role, member.scope, member.granted_by_id)
    return member


async def revoke_role(
    session: AsyncSession, ident: Identity, grant_id: int, now: datetime, locale: str
) -> StaffMember:
    """Takes the role away (the row stays for the record), audits it and tells the person."""
    member = await staff_member(session, ident, grant_id, locale)
    # Two coordinators pressing "revoke" at once: only one update finds the role still active.
    result = await session.execute(
        update(RoleGrant)
        .where(RoleGrant.id == grant_id, RoleGrant.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise Refused("role_not_active")
    await audit.record(
        session,
        ident,
        "role_revoke",
        member.scope,
        f"{member.name} · {member.place}",
        now,
        before={"role": str(member.role), "holder": member.name},
        after={"role": None},
    )
    await notify(
        session,
        [member.user_id],
        f"role-revoked:{grant_id}",
        "staff/revoked_notice.html",
        now,
        context={"role": str(member.role), "place": member.place},
    )
    return member
