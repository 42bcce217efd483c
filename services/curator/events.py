"""The school-stage events a curator registers students for, and who of the school is in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.catalog.scope import open_to, school_place
from services.curator.school import CuratedSchool, school_students
from services.errors import Refused
from services.registration.window import (
    BandDeadline,
    EventDays,
    band_deadlines,
    held_on_for,
    next_deadline,
)
from services.rules.deadlines import registration_deadline

NOT_FOR_SCHOOL = "event_not_for_school"
UNKNOWN_EVENT = "unknown_event"


@dataclass(frozen=True)
class EventItem:
    id: int
    subject_id: int
    subject_ru: str
    subject_en: str
    sort_order: int
    status: EventStatus
    days: tuple[dt.date, ...]  # the day of every grade band, earliest first
    grade_min: int
    grade_max: int
    deadline: dt.datetime | None  # the next band to close; None once all have closed
    deadlines: tuple[BandDeadline, ...]  # every band's, as its students read them
    registered: int  # students of this school
    grade_days: tuple[tuple[int, dt.date], ...] = ()  # each admitted grade and its day

    def subject(self, locale: str) -> str:
        return self.subject_en if locale == "en" else self.subject_ru

    @property
    def open(self) -> bool:
        return self.status == EventStatus.REGISTRATION and self.deadline is not None


def band_days(held_on: dt.date, grade_dates: dict[str, str] | None) -> tuple[dt.date, ...]:
    days = {held_on, *(dt.date.fromisoformat(d) for d in (grade_dates or {}).values())}
    return tuple(sorted(days))


def events_statement(school: CuratedSchool, year: int) -> Select[*tuple[Any, ...]]:
    """School-stage events open to the school this year, with the school's registrations."""
    place = school_place(school.id)
    ours = and_(
        Registration.event_id == OlympiadEvent.id,
        Registration.student_id.in_(select(User.id).where(*school_students(school.id))),
    )
    return (
        select(
            OlympiadEvent.id,
            Subject.id,
            Subject.name_ru,
            Subject.name_en,
            Subject.sort_order,
            OlympiadEvent.status,
            OlympiadEvent.held_on,
            OlympiadEvent.grade_dates,
            OlympiadEvent.grade_min,
            OlympiadEvent.grade_max,
            func.count(Registration.id).label("registered"),
        )
        .join(Subject, Subject.id == OlympiadEvent.subject_id)
        .join(place, true())
        .outerjoin(Registration, ours)
        .where(
            open_to(place),
            OlympiadEvent.level == Level.SCHOOL,
            OlympiadEvent.school_year == year,
        )
        .group_by(OlympiadEvent.id, Subject.id)
        .order_by(OlympiadEvent.held_on, Subject.sort_order)
    )


def event_item(row: Any, school: CuratedSchool, rules: Calendar, now: dt.datetime) -> EventItem:
    days = band_days(row.held_on, row.grade_dates)
    span = EventDays(Level.SCHOOL, row.held_on, row.grade_dates, row.grade_min, row.grade_max)
    deadlines = band_deadlines(span, school.zone, rules)
    return EventItem(
        id=row[0],
        subject_id=row[1],
        subject_ru=row.name_ru,
        subject_en=row.name_en,
        sort_order=row.sort_order,
        status=EventStatus(row.status),
        days=days,
        grade_min=row.grade_min,
        grade_max=row.grade_max,
        deadline=next_deadline(deadlines, now),
        deadlines=deadlines,
        registered=int(row.registered),
        grade_days=tuple(
            (grade, held_on_for(grade, row.held_on, row.grade_dates))
            for grade in range(row.grade_min, row.grade_max + 1)
        ),
    )


def joinable(
    event: EventItem, grades: set[int], zone: str, rules: Calendar, now: dt.datetime
) -> bool:
    """Is registration still open to one of these grades: admitted, and its band's deadline
    (its own day, when grades are held on different days) not passed?"""
    return event.open and any(
        registration_deadline(Level.SCHOOL, day, zone, rules) > now
        for grade, day in event.grade_days
        if grade in grades
    )


async def joinable_events(
    session: AsyncSession, school: CuratedSchool, rules: Calendar, now: dt.datetime
) -> list[EventItem]:
    """The events a curator may register someone for: open, and some student of the school is
    in a grade it admits whose registration has not closed (physics for 9–11 is no offer to
    a school of grades 7–8)."""
    grades = await session.scalars(
        select(User.grade).where(*school_students(school.id), User.grade.is_not(None)).distinct()
    )
    found = {grade for grade in grades if grade is not None}
    events = await school_events(session, school, rules, now)
    return [event for event in events if joinable(event, found, school.zone, rules, now)]


async def school_events(
    session: AsyncSession, school: CuratedSchool, rules: Calendar, now: dt.datetime
) -> list[EventItem]:
    """Every school-stage event of the year for the school (the caller has authorised)."""
    rows = await session.execute(events_statement(school, school.school_year(now)))
    return [event_item(row, school, rules, now) for row in rows]


async def school_event(
    session: AsyncSession,
    school: CuratedSchool,
    event_id: int,
    rules: Calendar,
    now: dt.datetime,
) -> EventItem:
    """One event, refused unless it is a school-stage event held for this school."""
    base = events_statement(school, school.school_year(now))
    row = (await session.execute(base.where(OlympiadEvent.id == event_id))).one_or_none()
    if row is not None:
        return event_item(row, school, rules, now)
    exists = await session.get(OlympiadEvent, event_id)
    raise Refused(NOT_FOR_SCHOOL if exists is not None else UNKNOWN_EVENT)
