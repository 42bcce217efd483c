"""Who is writing: the person's record and the staff roles they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role
from models.people import RoleGrant, User
from services.names import tidy_name


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
    user = await session.scalar(select(User).where(User.tg_id == tg_id))
    if user is None:
        user = User(tg_id=tg_id, full_name=tidy_name(name)[:200], created_at=now)
        session.add(user)
        await session.flush()
    elif user.unreachable_since is not None:
        user.unreachable_since = None
    grants = (
        await session.scalars(
            select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))
        )
    ).all()
    return Identity(user=user, is_admin=tg_id in admin_ids, grants=tuple(grants))
