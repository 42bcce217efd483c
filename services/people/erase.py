"""Erasing everything the bot holds about a person, on their request.

What goes: the person's record and, through the database's cascades, their roles, parent links,
codes, reminder settings, queued messages and registrations; their delivery log and
conversation state; the managed profiles of their children (which exist only through them).

What stays, anonymised: registrations for events that are finished (status `finished`), for the
statistics of past olympiads. They move to a placeholder record with no Telegram id, no name, no
school and no kind; their grade, score and placement stay, the link to the person does not.
Staff acts in the audit log keep their entries with the actor set to nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import EventStatus
from models.fsm import FsmRecord
from models.olympiad import OlympiadEvent, Registration
from models.outbox import DeliveryLog
from models.people import ParentLink, User
from reminders.planner import replan_event

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erased:
    kept_anonymised: int  # registrations of finished events moved to a placeholder
    deleted_registrations: int
    children_erased: int  # managed child profiles erased with the parent


async def _managed_children(session: AsyncSession, parent_id: int) -> list[User]:
    return list(
        (
            await session.scalars(
                select(User)
                .join(ParentLink, ParentLink.child_id == User.id)
                .where(
                    ParentLink.parent_id == parent_id,
                    ParentLink.managed.is_(True),
                    User.tg_id.is_(None),
                )
            )
        ).all()
    )


async def _anonymise_finished(session: AsyncSession, user: User, now: dt.datetime) -> int:
    finished = (
        select(Registration.id)
        .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
        .where(Registration.student_id == user.id, OlympiadEvent.status == EventStatus.FINISHED)
    )
    ids = list((await session.scalars(finished)).all())
    if not ids:
        return 0
    placeholder = User(full_name="", created_at=now)
    session.add(placeholder)
    await session.flush()
    await session.execute(
        update(Registration)
        .where(Registration.id.in_(ids))
        .values(student_id=placeholder.id, registered_by_id=None)
    )
    return len(ids)


async def _open_events(session: AsyncSession, user_id: int) -> list[int]:
    rows = await session.scalars(
        select(Registration.event_id).where(Registration.student_id == user_id)
    )
    return list(rows.all())


async def erase_person(
    session: AsyncSession, user: User, now: dt.datetime, rules: Calendar | None = None
) -> Erased:
    """Deletes the person in the caller's transaction; `rules` re-plans the events they left."""
    children = 0
    for child in await _managed_children(session, user.id):
        await erase_person(session, child, now, rules)
        children += 1
    kept = await _anonymise_finished(session, user, now)
    events = await _open_events(session, user.id)
    await session.execute(delete(DeliveryLog).where(DeliveryLog.user_id == user.id))
    if user.tg_id is not None:
        await session.execute(delete(FsmRecord).where(FsmRecord.key.like(f"%:{user.tg_id}:%")))
    user_id = user.id
    await session.delete(user)
    await session.flush()
    if rules is not None:
        for event_id in events:
            await replan_event(session, event_id, rules, now)
    log.info("erased a person", extra={"user_id": user_id, "kept": kept})
    return Erased(kept, len(events), children)
