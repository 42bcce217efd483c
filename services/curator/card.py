"""One student as the curator sees them: grade, Telegram or not, this year's events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level, RegistrationState
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.curator.school import CuratedSchool, open_school, school_students
from services.errors import Refused
from services.people.identity import Identity

UNKNOWN_STUDENT = "unknown_student"


@dataclass(frozen=True)
class CardEvent:
    subject_ru: str
    subject_en: str
    level: Level
    held_on: dt.date
    state: RegistrationState

    def subject(self, locale: str) -> str:
        return self.subject_en if locale == "en" else self.subject_ru


@dataclass(frozen=True)
class StudentCard:
    school: CuratedSchool
    id: int
    full_name: str
    grade: int | None
    has_telegram: bool
    events: list[CardEvent]


async def student_card(
    session: AsyncSession, ident: Identity, school_id: int, student_id: int, now: dt.datetime
) -> StudentCard:
    school = await open_school(session, ident, school_id)
    year = school.school_year(now)
    this_year = and_(Registration.event_id == OlympiadEvent.id, OlympiadEvent.school_year == year)
    rows = (
        await session.execute(
            select(
                User.full_name,
                User.grade,
                User.tg_id.is_not(None),
                Subject.name_ru,
                Subject.name_en,
                OlympiadEvent,
                Registration.state,
                Registration.grade,
            )
            .outerjoin(Registration, Registration.student_id == User.id)
            .outerjoin(OlympiadEvent, this_year)
            .outerjoin(Subject, Subject.id == OlympiadEvent.subject_id)
            .where(User.id == student_id, *school_students(school.id))
            .order_by(OlympiadEvent.held_on, Subject.sort_order)
        )
    ).all()
    if not rows:
        raise Refused(UNKNOWN_STUDENT)
    name, grade, has_telegram = rows[0][0], rows[0][1], bool(rows[0][2])
    # A subject held on different days per grade band: the date of the registration's grade.
    events = [
        CardEvent(
            r[3], r[4], Level(r[5].level), r[5].date_for_grade(r[7]), RegistrationState(r[6])
        )
        for r in rows
        if r[3] is not None and r[5] is not None
    ]
    events.sort(key=lambda e: e.held_on)  # stable: subjects stay in order within one day
    return StudentCard(school, student_id, name, grade, has_telegram, events)
