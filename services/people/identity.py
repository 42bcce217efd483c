"""Who is writing: the person's record and the staff roles they hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role
from models.geo import Municipality, Region, School
from models.people import RoleGrant, User
from services.people.names import tidy_name


@dataclass(frozen=True)
class Identity:
    user: User
    is_admin: bool = False
    grants: tuple[RoleGrant, ...] = field(default=())
    # The zone of the person's own choice, school or school's region, read with the person
    # (the first steps of the rule in models/zones.py); None: the rule's later steps decide.
    place_zone: str | None = field(default=None, compare=False)

    @property
    def roles(self) -> frozenset[Role]:
        found = {g.role for g in self.grants}
        if self.is_admin:
            found.add(Role.ADMIN)
        return frozenset(found)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles)


def person_query(tg_id: int) -> Select[User, RoleGrant, str]:
    """The person, their active grants and their place's zone: one query, run for every update."""
    active = and_(RoleGrant.user_id == User.id, RoleGrant.revoked_at.is_(None))
    return (
        select(User, RoleGrant, func.coalesce(User.timezone, School.timezone, Region.timezone))
        .outerjoin(RoleGrant, active)
        .outerjoin(School, User.school_id == School.id)
        .outerjoin(Municipality, School.municipality_id == Municipality.id)
        .outerjoin(Region, Municipality.region_id == Region.id)
        .where(User.tg_id == tg_id)
        .order_by(RoleGrant.id)
    )


async def identify(
    session: AsyncSession,
    tg_id: int,
    name: str,
    admin_ids: frozenset[int],
    now: datetime,
) -> Identity:
    """Find or create the person behind a Telegram id; a returning blocked user is reachable."""
    rows = (await session.execute(person_query(tg_id))).all()
    return await identity_of(session, rows, tg_id, name, admin_ids, now)


async def identity_of(
    session: AsyncSession,
    rows: Sequence[Any],
    tg_id: int,
    name: str,
    admin_ids: frozenset[int],
    now: datetime,
) -> Identity:
    """The identity from the rows of `person_query` (none: a new person, created here)."""
    if not rows:
        user = User(tg_id=tg_id, full_name=tidy_name(name)[:200], created_at=now)
        session.add(user)
        await session.flush()
        return Identity(user=user, is_admin=tg_id in admin_ids)
    user = rows[0][0]
    welcome_back(user)
    grants = tuple(row[1] for row in rows if row[1] is not None)
    return Identity(user=user, is_admin=tg_id in admin_ids, grants=grants, place_zone=rows[0][2])


def welcome_back(user: User) -> None:
    """A person who blocked the bot and writes again is reachable again."""
    if user.unreachable_since is not None:
        user.unreachable_since = None
