"""Removing a parent–child link, by either side.

A managed profile exists only through its parent, so when that parent lets go of it the profile
is erased like any person's data (finished results kept anonymised, see personal_data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.people import ParentLink, User
from reminders.planner import replan_user
from services.errors import Refused
from services.notify import notify
from services.people.erase import erase_person


@dataclass(frozen=True)
class Unlinked:
    parent_id: int
    child_id: int
    child_name: str
    profile_erased: bool  # a managed profile was erased with the link


async def _link(session: AsyncSession, parent_id: int, child_id: int) -> tuple[ParentLink, User]:
    row = (
        await session.execute(
            select(ParentLink, User)
            .join(User, User.id == ParentLink.child_id)
            .where(ParentLink.parent_id == parent_id, ParentLink.child_id == child_id)
        )
    ).one_or_none()
    if row is None:
        raise Refused("par_link_gone")
    return row[0], row[1]


async def unlink(
    session: AsyncSession,
    actor: User,
    parent_id: int,
    child_id: int,
    now: dt.datetime,
    rules: Calendar,
) -> Unlinked:
    if actor.id not in (parent_id, child_id):
        raise Refused("par_link_gone")
    link, child = await _link(session, parent_id, child_id)
    parent = actor if actor.id == parent_id else await session.get(User, parent_id)
    other = child_id if actor.id == parent_id else parent_id
    child_name = child.full_name
    erased = link.managed and child.tg_id is None
    await session.execute(delete(ParentLink).where(ParentLink.id == link.id))
    if erased:
        await erase_person(session, child, now, rules)
    else:
        await notify(
            session,
            [other],
            f"parent-unlinked:{parent_id}:{child_id}:{now:%Y%m%d%H%M%S}",
            "parents/notify_unlinked.html",
            now,
            context={
                "by_parent": actor.id == parent_id,
                "name": actor.full_name,
            },
        )
    if parent is not None:
        await replan_user(session, parent.id, rules, now)
    return Unlinked(parent_id, child_id, child_name, erased)
