"""Who is writing: the person's record and the staff roles they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role
from models.people import RoleGrant, User
from services.people.names import tidy_name


@dataclass(frozen=True)
class Identity:
    user: User
    is_admin: bool = False
    grants: tuple[RoleGrant, ...] = field(default=())

    @property
    def roles(self) -> frozenset[Role]:
        found = {g.role for g in self.grants}
        if self.is_admin:
            found.add(Role.ADMIN)
        return frozenset(found)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles)


async def identify(
    session: AsyncSession,
    tg_id: int,
    name: str,
    admin_ids: frozenset[int],
    now: datetime,
) -> Identity:
    """Find or create the person behind a Telegram id; a returning blocked user is reachable."""
    active = and_(RoleGrant.user_id == User.id, RoleGrant.revoked_at.is_(None))
    rows = (
        await session.execute(
            select(User, RoleGrant)
            .outerjoin(RoleGrant, active)
            .where(User.tg_id == tg_id)
            .order_by(RoleGrant.id)
        )
    ).all()  # one query for the person and their roles: it runs for every update
    if not rows:
        user = User(tg_id=tg_id, full_name=tidy_name(name)[:200], created_at=now)
        session.add(user)
        await session.flush()
        return Identity(user=user, is_admin=tg_id in admin_ids)
    user = rows[0][0]
    welcome_back(user)
    grants = tuple(grant for _, grant in rows if grant is not None)
    return Identity(user=user, is_admin=tg_id in admin_ids, grants=grants)


def welcome_back(user: User) -> None:
    """A person who blocked the bot and writes again is reachable again."""
    if user.unreachable_since is not None:
        user.unreachable_since = None
