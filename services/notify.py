"""Telling people things: one rendered message per recipient, in their language, via the outbox.

Nothing is sent from here: rows are added to the caller's transaction, and the delivery worker
sends them (rate limits, retries, blocked users) after the change commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram.utils.i18n import get_i18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Role
from models.people import ParentLink, RoleGrant, User


@dataclass(frozen=True)
class Button:
    """An inline button of a notification; `label` is an English msgid, translated per person."""

    label: str
    callback_data: str


async def notify(
    session: AsyncSession,
    user_ids: Iterable[int],
    key: str,
    template: str,
    now: datetime,
    *,
    context: Mapping[str, Any] | Callable[[User], Mapping[str, Any]] | None = None,
    buttons: Sequence[Button] = (),
) -> int:
    """Queues `templates/<template>` for each person with Telegram; returns how many were queued.

    `key` makes the notification idempotent: the same key for the same person is queued once.
    """
    from bot.templating import render
    from reminders.outbox import enqueue_message

    ids = sorted(set(user_ids))
    if not ids:
        return 0
    users = (
        await session.scalars(select(User).where(User.id.in_(ids), User.tg_id.is_not(None)))
    ).all()
    i18n = get_i18n()
    queued = 0
    for user in users:
        values = context(user) if callable(context) else (context or {})
        with i18n.use_locale(user.locale or i18n.default_locale):
            text = render(template, recipient=user, **values)
            rows = [
                [{"text": i18n.gettext(b.label), "callback_data": b.callback_data}]
                for b in buttons
            ]
        if await enqueue_message(session, user.id, f"{key}:{user.id}", text, now, buttons=rows):
            queued += 1
    return queued


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
