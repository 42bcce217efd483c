"""Registering a student for an event and withdrawing, by the student, a parent or a curator.

`register` and `unregister` check, in this order: the event exists, the actor may act for the
student (self, a linked parent, or a staff member allowed `REGISTER_STUDENTS` over the student's
school), then the eligibility rules. A unique constraint, not the check, stops duplicates: two
taps or two devices at once end with one row and an "already registered" answer.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models import plan_requests
from models.enums import Level
from models.olympiad import Registration
from models.people import User
from services.audit import record as audit
from services.codes import assign as codes
from services.errors import Refused
from services.people.identity import Identity
from services.registration.facts import ActorMode, Facts, acting_mode, load_facts
from services.registration.notify import tell_family
from services.rules.eligibility import (
    ALREADY_REGISTERED,
    Ineligible,
    registration_check,
    unregistration_check,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistrationOutcome:
    registration_id: int
    event_id: int
    student_id: int
    level: Level
    held_on: dt.date  # the day the student's grade sits the stage
    deadline: dt.datetime  # registration closes (and withdrawing ends) at this instant
    zone: str  # the school's zone, which the deadline is read in
    mode: ActorMode


def _refuse(verdict: Ineligible) -> Refused:
    return Refused(verdict.reason, **verdict.details)


def _outcome(
    registration_id: int, student: User, facts: Facts, deadline: dt.datetime, mode: ActorMode
) -> RegistrationOutcome:
    return RegistrationOutcome(
        registration_id=registration_id,
        event_id=facts.event_id,
        student_id=student.id,
        level=facts.event.level,
        held_on=facts.event.held_on,
        deadline=deadline,
        zone=facts.student.zone,
        mode=mode,
    )


async def _insert(
    session: AsyncSession, actor: Identity, student: User, event_id: int, now: dt.datetime
) -> int:
    assert student.grade is not None  # the rules refuse a student without a grade
    registration = Registration(
        event_id=event_id,
        student_id=student.id,
        grade=student.grade,
        registered_by_id=actor.user.id,
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(registration)
            await session.flush()
    except IntegrityError:
        # Another tap or device won the race; the savepoint undid only our insert.
        raise Refused(ALREADY_REGISTERED) from None
    return registration.id


async def register(
    session: AsyncSession,
    actor: Identity,
    student: User,
    event_id: int,
    now: dt.datetime,
    rules: Calendar,
    *,
    replan: bool = True,
) -> RegistrationOutcome:
    """Signs the student up. A bulk caller may pass `replan=False` and call `replan_reminders`
    once for all its students at the end."""
    facts = await load_facts(session, student, event_id)
    mode = await acting_mode(session, actor, student, facts)
    if facts.own_id is not None:
        raise Refused(ALREADY_REGISTERED)
    verdict = registration_check(
        facts.event, facts.student, rules, now, self_service=mode != ActorMode.STAFF
    )
    if isinstance(verdict, Ineligible):
        raise _refuse(verdict)
    registration_id = await _insert(session, actor, student, event_id, now)
    outcome = _outcome(registration_id, student, facts, verdict.deadline, mode)
    await _after_change(session, actor, student, facts, outcome, now, True, replan)
    return outcome


async def unregister(
    session: AsyncSession,
    actor: Identity,
    student: User,
    event_id: int,
    now: dt.datetime,
    rules: Calendar,
    *,
    replan: bool = True,
) -> RegistrationOutcome:
    facts = await load_facts(session, student, event_id)
    mode = await acting_mode(session, actor, student, facts)
    verdict = unregistration_check(
        facts.event,
        facts.student,
        facts.own_state,
        rules,
        now,
        self_service=mode != ActorMode.STAFF,
    )
    if isinstance(verdict, Ineligible):
        raise _refuse(verdict)
    assert facts.own_id is not None
    await session.execute(delete(Registration).where(Registration.id == facts.own_id))
    outcome = _outcome(facts.own_id, student, facts, verdict.deadline, mode)
    await _after_change(session, actor, student, facts, outcome, now, False, replan)
    return outcome


async def _after_change(
    session: AsyncSession,
    actor: Identity,
    student: User,
    facts: Facts,
    outcome: RegistrationOutcome,
    now: dt.datetime,
    registered: bool,
    replan: bool,
) -> None:
    if outcome.mode == ActorMode.STAFF:
        await audit.record(
            session,
            actor,
            "register_student" if registered else "unregister_student",
            facts.scope,
            f"event:{outcome.event_id} student:{student.id}",
            now,
        )
    if replan:
        await replan_reminders(session, outcome.event_id, [student.id], now)
    if registered:
        await codes.on_registered(session, outcome.event_id, student.id, now)
    else:
        await codes.on_unregistered(session, outcome.event_id, student.id, now)
    await tell_family(session, actor, student, facts, outcome.registration_id, now, registered)


async def replan_reminders(
    session: AsyncSession, event_id: int, student_ids: Collection[int], now: dt.datetime
) -> None:
    """The single place where a registration change re-plans reminders: the students' own rows
    and their parents', never the whole event's audience. The planning runs once the caller's
    transaction commits (`reminders.plan_queue`), so the press does not hold the write lock
    while it plans."""
    await plan_requests.add(session, event_id, student_ids, now)
