"""Invitations to a staff role: created by someone above, accepted once through a deep link.

The link carries a random token; only its sha256 is stored. Accepting claims the invitation
with a conditional UPDATE in the same transaction that creates the role, so of two people racing
for one link exactly one gets the role.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import PersonKind, Role
from models.invitations import Invitation
from models.people import RoleGrant, User
from services.audit import record as audit
from services.authz import (
    CALENDAR_ROLES,
    INVITE_ACTION,
    allowed,
    authorize_invitation_revoke,
    authorize_invite,
    authorize_inviter,
)
from services.calendar_steps.items import CALENDARS
from services.errors import Refused
from services.notify import notify
from services.people.identity import Identity
from services.scopes import Scope
from services.staff.places import PAGE_SIZE, Paged, Places, paged

CODE_PREFIX = "inv_"
DEFAULT_TTL_HOURS = 72
TOKEN_BYTES = 16  # 128 bits; urlsafe base64 makes 22 characters, far below the 64 allowed
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,60}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={CODE_PREFIX}{token}"


@dataclass(frozen=True)
class InvitationView:
    id: int
    role: Role
    scope: Scope
    place: str
    created_at: datetime
    expires_at: datetime
    calendar: str | None = None  # a data-calendar role limited to one calendar


@dataclass(frozen=True)
class Created:
    invitation: InvitationView
    token: str


@dataclass(frozen=True)
class Accepted:
    grant: RoleGrant
    role: Role
    place: str
    inviter_id: int
    calendar: str | None = None


def _query(locale: str = "ru") -> tuple[Any, Places]:
    places = Places(Invitation.region_id, Invitation.municipality_id, Invitation.school_id)
    stmt = places.join(select(Invitation, *places.columns(locale)))
    return stmt, places


def _view(row: Any, places: Places) -> InvitationView:
    inv: Invitation = row[0]
    scope, place = places.read(row[1:])
    return InvitationView(
        inv.id, Role(inv.role), scope, place, inv.created_at, inv.expires_at, inv.calendar
    )


async def _one(
    session: AsyncSession, *where: Any, locale: str = "ru"
) -> tuple[Invitation, InvitationView] | None:
    stmt, places = _query(locale)
    row = (await session.execute(stmt.where(*where))).one_or_none()
    return None if row is None else (row[0], _view(row, places))


async def _claim(session: AsyncSession, stmt: Any) -> bool:
    result = await session.execute(stmt)
    return cast(CursorResult[Any], result).rowcount == 1


async def create_invitation(
    session: AsyncSession,
    ident: Identity,
    role: Role,
    scope: Scope,
    now: datetime,
    *,
    ttl_hours: int = DEFAULT_TTL_HOURS,
    locale: str = "ru",
    calendar: str | None = None,
) -> Created:
    """A new invitation for `role` over `scope` (a whole chain, see `target_scope`); a
    data-calendar role may be limited to one `calendar` (None: every calendar)."""
    authorize_invite(ident, role, scope)
    if calendar is not None and (role not in CALENDAR_ROLES or calendar not in CALENDARS):
        raise Refused("stale_choice")
    token = new_token()
    invitation = Invitation(
        token_hash=token_hash(token),
        role=role,
        region_id=scope.region_id,
        municipality_id=scope.municipality_id,
        school_id=scope.school_id,
        created_by_id=ident.user.id,
        created_at=now,
        expires_at=now + timedelta(hours=ttl_hours),
        calendar=calendar,
    )
    session.add(invitation)
    await session.flush()
    found = await _one(session, Invitation.id == invitation.id, locale=locale)
    assert found is not None
    view = found[1]
    await audit.record(
        session,
        ident,
        "invitation_create",
        scope,
        f"#{invitation.id} · {view.place}",
        now,
        after={"role": str(role), "expires_at": invitation.expires_at.isoformat()},
    )
    return Created(view, token)


async def pending_invitations(
    session: AsyncSession, ident: Identity, now: datetime, page: int, locale: str = "ru"
) -> Paged[InvitationView]:
    """My invitations nobody has used yet, newest first."""
    authorize_inviter(ident)
    stmt, places = _query(locale)
    stmt = stmt.where(
        Invitation.created_by_id == ident.user.id,
        Invitation.used_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > now,
    ).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    rows, total, page = await paged(session, stmt, page, PAGE_SIZE)
    return Paged(tuple(_view(r, places) for r in rows), page, total)


async def revoke_invitation(
    session: AsyncSession, ident: Identity, invitation_id: int, now: datetime
) -> InvitationView:
    found = await _one(session, Invitation.id == invitation_id)
    if found is None:
        raise Refused("invitation_invalid")
    invitation, view = found
    authorize_invitation_revoke(ident, invitation.created_by_id, view.scope)
    pending = (Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
    claim = update(Invitation).where(Invitation.id == invitation_id, *pending)
    if not await _claim(session, claim.values(revoked_at=now)):
        raise Refused("invitation_not_pending")
    await audit.record(
        session,
        ident,
        "invitation_revoke",
        view.scope,
        f"#{invitation_id} · {view.place}",
        now,
        before={"role": str(view.role)},
        after={"revoked": True},
    )
    return view


async def _inviter_may(
    session: AsyncSession, invitation: Invitation, scope: Scope, admin_ids: frozenset[int]
) -> bool:
    """The inviter still holds a role that allows this invitation (roles can be taken away)."""
    inviter = await session.get(User, invitation.created_by_id)
    if inviter is None:
        return False
    grants = await session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == inviter.id, RoleGrant.revoked_at.is_(None))
    )
    ident = Identity(inviter, inviter.tg_id in admin_ids, tuple(grants))
    return allowed(ident, INVITE_ACTION[Role(invitation.role)], scope)


async def _check(
    session: AsyncSession, ident: Identity, code: str, now: datetime, admin_ids: frozenset[int]
) -> tuple[Invitation, InvitationView]:
    token = code.removeprefix(CODE_PREFIX)
    found = None
    if _TOKEN.fullmatch(token):
        found = await _one(session, Invitation.token_hash == token_hash(token))
    if found is None:
        raise Refused("invitation_invalid")
    invitation, view = found
    me = ident.user.id
    if invitation.used_at is not None:
        raise Refused("invitation_yours" if invitation.used_by_id == me else "invitation_used")
    if invitation.revoked_at is not None:
        raise Refused("invitation_revoked")
    if invitation.expires_at <= now:
        raise Refused("invitation_expired")
    if invitation.created_by_id == me:
        raise Refused("invitation_own")
    if not await _inviter_may(session, invitation, view.scope, admin_ids):
        raise Refused("invitation_revoked")
    # Grants may keep only their narrowest id, so compare at the role's own level.
    level = _ROLE_LEVEL[Role(invitation.role)]
    if any(
        g.role == invitation.role
        and getattr(g, level) == getattr(invitation, level)
        and g.calendar == invitation.calendar
        for g in ident.grants
    ):
        raise Refused("role_already_held")
    return invitation, view


_SCOPE_FIELDS = ("region_id", "municipality_id", "school_id")
_ROLE_LEVEL = {
    Role.REGIONAL: "region_id",
    Role.MUNICIPAL: "municipality_id",
    Role.CURATOR: "school_id",
    Role.REGIONAL_CENTRE: "region_id",
    Role.MUNICIPAL_OFFICE: "municipality_id",
    Role.DATA_OPERATOR: "school_id",
}


async def accept_invitation(
    session: AsyncSession, ident: Identity, code: str, now: datetime, admin_ids: frozenset[int]
) -> Accepted:
    """Gives me the invited role, or refuses with why the link does not work."""
    invitation, view = await _check(session, ident, code, now, admin_ids)
    claim = update(Invitation).where(
        Invitation.id == invitation.id,
        Invitation.used_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > now,
    )
    if not await _claim(session, claim.values(used_at=now, used_by_id=ident.user.id)):
        raise Refused("invitation_used")
    grant = RoleGrant(
        user_id=ident.user.id,
        role=view.role,
        granted_by_id=invitation.created_by_id,
        created_at=now,
        calendar=invitation.calendar,
        **{f: getattr(invitation, f) for f in _SCOPE_FIELDS},
    )
    session.add(grant)
    if ident.user.kind is None:
        ident.user.kind = PersonKind.STAFF
    await session.flush()
    await audit.record(
        session,
        ident,
        "invitation_accept",
        view.scope,
        f"#{invitation.id} · {view.place}",
        now,
        after={"role": str(view.role), "holder": ident.user.full_name},
    )
    await notify(
        session, [invitation.created_by_id], f"invitation-accepted:{invitation.id}",
        "invitations/accepted_notice.html", now,
        context={"role": str(view.role), "place": view.place, "holder": ident.user.full_name,
                 "calendar": invitation.calendar, "calendar_role": view.role in CALENDAR_ROLES},
    )  # fmt: skip
    return Accepted(grant, view.role, view.place, invitation.created_by_id, invitation.calendar)
