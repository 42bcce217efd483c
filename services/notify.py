"""Telling people things: whom to tell, and one message each through the outbox.

Nothing is sent from here: rows are added to the caller's transaction, and the delivery worker
sends them (rate limits, retries, blocked users) after the change commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role
from models.people import ParentLink, RoleGrant, User
from reminders.notices import Button, Context, queue_notices

__all__ = ["Button", "curators_of", "notify", "parents_of"]


async def notify(
    session: AsyncSession,
    user_ids: Iterable[int],
    key: str,
    template: str,
    now: datetime,
    *,
    context: Context = None,
    buttons: Sequence[Button] = (),
) -> int:
    """Queues `templates/<template>` for each person with Telegram; returns how many were queued.

    `key` makes the notification idempotent: the same key for the same person is queued once.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    users = (
        await session.scalars(select(User).where(User.id.in_(ids), User.tg_id.is_not(None)))
    ).all()
    return await queue_notices(
        session, users, key, template, now, context=context, buttons=buttons
    )


async def parents_of(session: AsyncSession, student_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = list(set(student_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(ParentLink.child_id, ParentLink.parent_id).where(ParentLink.child_id.in_(ids))
    )
    found: dict[int, list[int]] = {}
    for child_id, parent_id in rows:
        found.setdefault(child_id, []).append(parent_id)
    return found


async def curators_of(session: AsyncSession, school_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = list(set(school_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(RoleGrant.school_id, RoleGrant.user_id).where(
            RoleGrant.role == Role.CURATOR,
            RoleGrant.revoked_at.is_(None),
            RoleGrant.school_id.in_(ids),
        )
    )
    found: dict[int, list[int]] = {}
    for school_id, user_id in rows:
        if school_id is not None:
            found.setdefault(school_id, []).append(user_id)
    return found
