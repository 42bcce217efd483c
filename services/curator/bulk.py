"""Registering several students of a school at once, each through `services.registration`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.people import User
from services.curator.events import EventItem
from services.curator.picking import NO_STUDENTS_CHOSEN, UNKNOWN_STUDENT, picking_context
from services.curator.school import school_students
from services.errors import Refused
from services.people.identity import Identity
from services.registration import register as registration
from services.rules.eligibility import ALREADY_REGISTERED


@dataclass
class BulkResult:
    registered: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[tuple[str, Refused]] = field(default_factory=list)


async def register_many(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    event_id: int,
    student_ids: Iterable[int],
    *,
    rules: Calendar,
    now: dt.datetime,
) -> tuple[EventItem, BulkResult]:
    """Registers each student through `services.registration`; refusals are collected per
    student, while a database failure aborts the whole update (nothing is half-done)."""
    ids = sorted(set(student_ids))
    if not ids:
        raise Refused(NO_STUDENTS_CHOSEN)
    school, event = await picking_context(session, ident, school_id, event_id, rules, now)
    students = (
        await session.scalars(
            select(User)
            .where(User.id.in_(ids), *school_students(school.id))
            .order_by(User.full_name, User.id)
        )
    ).all()
    result = BulkResult()
    registered: list[int] = []
    found = {s.id for s in students}
    for missing in ids:
        if missing not in found:
            result.refused.append((f"#{missing}", Refused(UNKNOWN_STUDENT)))
    for student in students:
        outcome = await register_one(session, ident, student, event.id, rules, now, replan=False)
        if outcome is None:
            result.registered.append(student.full_name)
            registered.append(student.id)
        elif outcome.reason == ALREADY_REGISTERED:
            result.already.append(student.full_name)
        else:
            result.refused.append((student.full_name, outcome))
    if registered:
        # One set-based pass for everyone registered rather than one per student.
        await registration.replan_reminders(session, event.id, registered, now)
    return event, result


async def register_one(
    session: AsyncSession,
    ident: Identity,
    student: User,
    event_id: int,
    rules: Calendar,
    now: dt.datetime,
    *,
    replan: bool = True,
) -> Refused | None:
    """None when registered, else the refusal; a refusal undoes only this student's changes.

    A caller registering many passes `replan=False` and re-plans them together at the end.
    """
    try:
        async with session.begin_nested():
            await registration.register(
                session, ident, student, event_id, now, rules, replan=replan
            )
    except Refused as refusal:
        return refusal
    return None


async def names_of(session: AsyncSession, school_id: int, ids: Iterable[int]) -> list[str]:
    """Names of the ticked students still at the school, for the confirmation screen."""
    rows = await session.scalars(
        select(User.full_name)
        .where(User.id.in_(sorted(set(ids))), *school_students(school_id))
        .order_by(User.full_name, User.id)
    )
    return list(rows)
