"""The people holding staff roles in my scope, and taking a role away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, case, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.enums import Role
from models.people import RoleGrant, User
from reminders.outbox import enqueue_menu_button
from services.audit import record as audit
from services.authz import Action, authorize_entry, authorize_revoke, may_revoke
from services.errors import Refused
from services.notify import notify
from services.people.identity import Identity
from services.scopes import Scope
from services.staff.places import PAGE_SIZE, Paged, Places, paged, scope_bases


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
    calendar: str | None = None  # a data-calendar role held in one calendar


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
        calendar=grant.calendar,
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
    still_staff = await session.scalar(
        select(RoleGrant.id)
        .where(RoleGrant.user_id == member.user_id, RoleGrant.revoked_at.is_(None))
        .limit(1)
    )
    if still_staff is None:  # the panel is gone with the last role: the menu button goes too
        await enqueue_menu_button(session, member.user_id, f"role-revoked:{grant_id}", None, now)
    return member
