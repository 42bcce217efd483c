"""Ticking students of a school for one event, and registering the ticked ones together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import Level
from models.olympiad import Registration
from models.people import User
from services.authz import Action
from services.curator.events import EventItem, school_event
from services.curator.school import PAGE_SIZE, CuratedSchool, open_school, school_students
from services.people.identity import Identity

NO_STUDENTS_CHOSEN = "no_students_chosen"
UNKNOWN_STUDENT = "unknown_student"


@dataclass(frozen=True)
class Candidate:
    id: int
    full_name: str
    registered: bool


@dataclass(frozen=True)
class GradeChoice:
    grade: int
    students: int
    registered: int


@dataclass(frozen=True)
class CandidatesPage:
    school: CuratedSchool
    event: EventItem
    grade: int
    items: list[Candidate]
    page: int
    pages: int


async def picking_context(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    event_id: int,
    rules: Calendar,
    now: dt.datetime,
) -> tuple[CuratedSchool, EventItem]:
    school = await open_school(session, ident, school_id, Action.REGISTER_STUDENTS, Level.SCHOOL)
    return school, await school_event(session, school, event_id, rules, now)


def _registered(event_id: int) -> ColumnElement[bool]:
    return and_(Registration.event_id == event_id, Registration.student_id == User.id)


async def grade_choices(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    event_id: int,
    rules: Calendar,
    now: dt.datetime,
) -> tuple[CuratedSchool, EventItem, list[GradeChoice]]:
    """The admitted grades that have students, with how many of them are registered."""
    school, event = await picking_context(session, ident, school_id, event_id, rules, now)
    rows = await session.execute(
        select(User.grade, func.count(User.id), func.count(Registration.id))
        .outerjoin(Registration, _registered(event.id))
        .where(*school_students(school.id), User.grade.between(event.grade_min, event.grade_max))
        .group_by(User.grade)
        .order_by(User.grade)
    )
    return school, event, [GradeChoice(g, n, r) for g, n, r in rows if g is not None]


async def candidates_page(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    event_id: int,
    *,
    grade: int,
    page: int,
    rules: Calendar,
    now: dt.datetime,
) -> CandidatesPage:
    school, event = await picking_context(session, ident, school_id, event_id, rules, now)
    statement = (
        select(User.id, User.full_name, Registration.id.is_not(None), func.count().over())
        .outerjoin(Registration, _registered(event.id))
        .where(*school_students(school.id), User.grade == grade)
        .order_by(User.full_name, User.id)
        .limit(PAGE_SIZE)
    )
    page = max(page, 0)
    rows = (await session.execute(statement.offset(page * PAGE_SIZE))).all()
    if not rows and page > 0:
        page, rows = 0, (await session.execute(statement)).all()
    total = int(rows[0][3]) if rows else 0
    items = [Candidate(r[0], r[1], bool(r[2])) for r in rows]
    return CandidatesPage(school, event, grade, items, page, max(1, -(-total // PAGE_SIZE)))


async def grade_student_ids(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    event_id: int,
    *,
    grade: int,
    rules: Calendar,
    now: dt.datetime,
) -> list[int]:
    """The grade's students not yet registered: what "tick the whole grade" ticks."""
    school, event = await picking_context(session, ident, school_id, event_id, rules, now)
    rows = await session.scalars(
        select(User.id)
        .outerjoin(Registration, _registered(event.id))
        .where(*school_students(school.id), User.grade == grade, Registration.id.is_(None))
    )
    return list(rows)
