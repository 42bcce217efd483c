"""Telling the family when someone else changes a registration (via the outbox, never directly).

The person who pressed the button sees the result on screen; the others concerned get a message:
the student when a parent or curator acted, and the student's parents in every case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.people import User
from reminders.notices import queue_notices
from services.notify import parents_of, reachable_users
from services.people.identity import Identity
from services.registration.facts import Facts


async def tell_family(
    session: AsyncSession,
    actor: Identity,
    student: User,
    facts: Facts,
    registration_id: int,
    now: dt.datetime,
    registered: bool,
) -> int:
    parents = (await parents_of(session, [student.id])).get(student.id, [])
    recipients = {*parents, student.id} - {actor.user.id}
    if not recipients:
        return 0
    users = await reachable_users(session, recipients)
    return await tell_users(
        session, actor, student, facts, registration_id, now, registered, users
    )


async def tell_users(
    session: AsyncSession,
    actor: Identity,
    student: User,
    facts: Facts,
    registration_id: int,
    now: dt.datetime,
    registered: bool,
    users: Sequence[User],
) -> int:
    """`tell_family` for a caller that already loaded the recipients (a list of many)."""

    def context(recipient: User) -> dict[str, Any]:
        english = recipient.locale == "en"
        return {
            "student_name": student.full_name,
            "is_student": recipient.id == student.id,
            "actor_name": actor.user.full_name,
            "subject": facts.subject_en if english else facts.subject_ru,
            "level": facts.event.level,
            "held_on": facts.event.held_on,
            "registered": registered,
        }

    key = f"registration:{registration_id}:{'in' if registered else 'out'}"
    return await queue_notices(
        session, users, key, "catalog/notify_registration.html", now, context=context
    )
