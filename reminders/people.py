"""What delivery needs to know about recipients: chat, language, zone, reachability."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.people import User
from models.zones import zones_of


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    chat_id: int | None
    locale: str
    zone: str
    unreachable_since: dt.datetime | None


async def people(
    session: AsyncSession, user_ids: Collection[int], *, default_locale: str, default_zone: str
) -> dict[int, Person]:
    """Chat, language and zone (`models.zones`: the rule every screen uses too) of each person."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(User.id, User.tg_id, User.locale, User.unreachable_since).where(
            User.id.in_(list(user_ids))
        )
    )
    zones = await zones_of(session, user_ids, default_zone)
    return {
        user_id: Person(user_id, chat_id, locale or default_locale, zones[user_id], unreachable)
        for user_id, chat_id, locale, unreachable in rows
    }
