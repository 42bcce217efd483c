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

__all__ = ["Button", "curators_of", "notify", "parents_of", "reachable_users"]
CHUNK = 2000  # ids per IN list: well under the bound-parameter limits


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
    users = await reachable_users(session, user_ids)
    if not users:
        return 0
    return await queue_notices(
        session, users, key, template, now, context=context, buttons=buttons
    )


async def reachable_users(session: AsyncSession, ids: Iterable[int]) -> list[User]:
    """The people among `ids` with Telegram (the others cannot be told)."""
    wanted, found = sorted(set(ids)), list[User]()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(User).where(User.id.in_(chunk), User.tg_id.is_not(None))
        found.extend(await session.scalars(query))
    return found


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
