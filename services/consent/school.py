"""A curator's list of the school's registered students and their consent, missing ones first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent, Registration
from models.people import User
from services.consent.state import ConsentState, consent_states
from services.curator.school import CuratedSchool, open_school, school_students
from services.people.identity import Identity

PAGE_SIZE = 15


@dataclass(frozen=True)
class SchoolConsents:
    school: CuratedSchool
    year: int
    items: list[ConsentState]  # this page
    missing: int  # in the whole school
    total: int
    page: int
    pages: int


async def registered_students(
    session: AsyncSession, school_id: int, year: int, level: Level
) -> list[tuple[int, str]]:
    """The school's students registered for an event of the level in the year, by name."""
    rows = await session.execute(
        select(User.id, User.full_name)
        .join(Registration, Registration.student_id == User.id)
        .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
        .where(
            *school_students(school_id),
            OlympiadEvent.school_year == year,
            OlympiadEvent.level == level,
            OlympiadEvent.status.not_in([EventStatus.CANCELLED, EventStatus.DRAFT]),
        )
        .distinct()
        .order_by(User.full_name, User.id)
    )
    return [(student_id, name) for student_id, name in rows]


async def school_consents(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    now: dt.datetime,
    rules: Calendar,
    page: int = 0,
) -> SchoolConsents:
    school = await open_school(session, ident, school_id)
    year = school.school_year(now)
    level = Level(rules.consent.track) if rules.consent is not None else Level.SCHOOL
    students = await registered_students(session, school.id, year, level)
    states = await consent_states(session, students, year, rules)
    states.sort(key=lambda s: (not s.missing, s.name, s.student_id))
    pages = max(1, -(-len(states) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    items = states[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    missing = sum(s.missing for s in states)
    return SchoolConsents(school, year, items, missing, len(states), page, pages)


async def missing_consents(
    session: AsyncSession, school_id: int, year: int, rules: Calendar
) -> dict[int, bool]:
    """For exports and overviews: each registered student of the school → consent given."""
    level = Level(rules.consent.track) if rules.consent is not None else Level.SCHOOL
    students = await registered_students(session, school_id, year, level)
    states = await consent_states(session, students, year, rules)
    return {s.student_id: s.given for s in states}
