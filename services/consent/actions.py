"""Giving, withdrawing and marking consent: who may, the record, the audit, the reminders.

A linked parent gives or withdraws it in the bot; a curator marks a signed paper form received
for a student of their own school who has no parent in the bot (and can take the mark back).
Every act is audited; nothing about it is written to the log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.consent import ConsentMethod, consent_of, give, withdraw
from models.people import ParentLink, User
from reminders.consent import replan_consent
from services.audit.record import record
from services.authz import Action
from services.curator.card import UNKNOWN_STUDENT
from services.curator.school import open_school, school_students
from services.errors import Refused
from services.parents.links import child_of
from services.people.identity import Identity
from services.scopes import Scope, school_scope

GIVEN = "consent_given"
WITHDRAWN = "consent_withdrawn"
MARKED = "consent_paper_marked"
UNMARKED = "consent_paper_unmarked"


async def _scope(session: AsyncSession, student: User) -> Scope:
    if student.school_id is None:
        return Scope()
    return await school_scope(session, student.school_id)


async def _replan(
    session: AsyncSession,
    student: User,
    year: int,
    now: dt.datetime,
    rules: Calendar,
    default_zone: str,
) -> None:
    await replan_consent(session, [student.id], rules, year, now, default_zone)


async def parent_gives(
    session: AsyncSession,
    ident: Identity,
    child_id: int,
    year: int,
    now: dt.datetime,
    rules: Calendar,
    default_zone: str,
) -> User:
    child = await child_of(session, ident.user, child_id)
    row = await consent_of(session, child.id, year)
    if row is not None and row.active:
        raise Refused("consent_already_given")
    await give(session, child.id, year, ConsentMethod.BOT, ident.user.id, now)
    scope = await _scope(session, child)
    await record(
        session, ident, GIVEN, scope, f"user:{child.id}", now, after={"school_year": year}
    )
    await _replan(session, child, year, now, rules, default_zone)
    return child


async def parent_withdraws(
    session: AsyncSession,
    ident: Identity,
    child_id: int,
    year: int,
    now: dt.datetime,
    rules: Calendar,
    default_zone: str,
) -> User:
    child = await child_of(session, ident.user, child_id)
    row = await consent_of(session, child.id, year)
    if row is None or not row.active:
        raise Refused("consent_not_given")
    await withdraw(session, row, ident.user.id, now)
    scope = await _scope(session, child)
    await record(
        session, ident, WITHDRAWN, scope, f"user:{child.id}", now, after={"school_year": year}
    )
    await _replan(session, child, year, now, rules, default_zone)
    return child


async def _school_student(
    session: AsyncSession, ident: Identity, school_id: int, student_id: int
) -> tuple[User, Scope]:
    school = await open_school(session, ident, school_id, Action.MARK_CONSENT)
    student = await session.scalar(
        select(User).where(User.id == student_id, *school_students(school.id))
    )
    if student is None:
        raise Refused(UNKNOWN_STUDENT)
    return student, school.scope


async def curator_marks(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    student_id: int,
    year: int,
    now: dt.datetime,
    rules: Calendar,
    default_zone: str,
) -> User:
    student, scope = await _school_student(session, ident, school_id, student_id)
    linked = await session.scalar(select(exists().where(ParentLink.child_id == student.id)))
    if linked:
        raise Refused("consent_parent_in_bot")
    row = await consent_of(session, student.id, year)
    if row is not None and row.active:
        raise Refused("consent_already_given")
    await give(session, student.id, year, ConsentMethod.PAPER, ident.user.id, now)
    await record(
        session, ident, MARKED, scope, f"user:{student.id}", now, after={"school_year": year}
    )
    await _replan(session, student, year, now, rules, default_zone)
    return student


async def curator_unmarks(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    student_id: int,
    year: int,
    now: dt.datetime,
    rules: Calendar,
    default_zone: str,
) -> User:
    student, scope = await _school_student(session, ident, school_id, student_id)
    row = await consent_of(session, student.id, year)
    if row is None or not row.active or row.method != ConsentMethod.PAPER:
        raise Refused("consent_not_paper")
    await withdraw(session, row, ident.user.id, now)
    await record(
        session, ident, UNMARKED, scope, f"user:{student.id}", now, after={"school_year": year}
    )
    await _replan(session, student, year, now, rules, default_zone)
    return student
