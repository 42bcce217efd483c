"""The catalog: the events open to one student, filtered and paged, in one statement per screen.

Open to the student means: the current school year, an organiser scope that contains the
student's school, grades that include the student's grade, and published (not a draft).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from calendars.schema import Calendar
from calendars.school_year import school_year_of
from models.enums import EventStatus, Level, RegistrationState
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.catalog.scope import open_to, school_place, subject_name
from services.errors import Refused
from services.registration.window import EventDays, deadline_for_grade, held_on_for

PAGE_SIZE = 8


@dataclass(frozen=True)
class CatalogFilter:
    level: Level | None = None
    subject_id: int | None = None
    status: EventStatus | None = None


@dataclass(frozen=True)
class CatalogItem:
    event_id: int
    subject: str
    level: Level
    held_on: dt.date
    status: EventStatus
    own_state: RegistrationState | None
    # Still "registration" on the event, but closed for this student's grade: nobody can sign
    # up any more, so screens say so instead of the event's status.
    registration_closed: bool = False


@dataclass(frozen=True)
class CatalogPage:
    items: tuple[CatalogItem, ...]
    page: int
    pages: int
    total: int


def require_profile(student: User) -> None:
    if student.school_id is None:
        raise Refused("cat_no_school")
    if student.grade is None:
        raise Refused("cat_no_grade")


def _visible(student: User, year: int, flt: CatalogFilter) -> list[Any]:
    conditions: list[Any] = [
        OlympiadEvent.school_year == year,
        OlympiadEvent.status != EventStatus.DRAFT,
        OlympiadEvent.grade_min <= student.grade,
        OlympiadEvent.grade_max >= student.grade,
    ]
    if flt.level is not None:
        conditions.append(OlympiadEvent.level == flt.level)
    if flt.subject_id is not None:
        conditions.append(OlympiadEvent.subject_id == flt.subject_id)
    if flt.status is not None:
        conditions.append(OlympiadEvent.status == flt.status)
    return conditions


def _page_statement(
    student: User, flt: CatalogFilter, year: int, locale: str, page: int, size: int
) -> Select[Any]:
    place = school_place(student.school_id)
    own = aliased(Registration)
    return (
        select(
            OlympiadEvent.id,
            OlympiadEvent.level,
            OlympiadEvent.held_on,
            OlympiadEvent.grade_dates,
            OlympiadEvent.status,
            subject_name(locale),
            own.state,
            func.count().over().label("total"),
            OlympiadEvent.grade_min,
            OlympiadEvent.grade_max,
            place.c.zone,
        )
        .join(Subject, Subject.id == OlympiadEvent.subject_id)
        .join(place, open_to(place))
        .outerjoin(own, and_(own.event_id == OlympiadEvent.id, own.student_id == student.id))
        .where(*_visible(student, year, flt))
        .order_by(OlympiadEvent.held_on, Subject.sort_order, OlympiadEvent.level, OlympiadEvent.id)
        .limit(size)
        .offset(page * size)
    )


async def catalog_page(
    session: AsyncSession,
    student: User,
    flt: CatalogFilter,
    page: int,
    today: dt.date,
    locale: str,
    size: int = PAGE_SIZE,
    *,
    window: RegistrationWindow | None = None,
) -> CatalogPage:
    """One page of the student's catalog; a page past the end (a stale button) shows the first."""
    require_profile(student)
    year = school_year_of(today)
    page = max(page, 0)
    rows = (await session.execute(_page_statement(student, flt, year, locale, page, size))).all()
    if not rows and page > 0:
        page = 0
        rows = (await session.execute(_page_statement(student, flt, year, locale, 0, size))).all()
    total = int(rows[0].total) if rows else 0
    items = tuple(_item(row, student.grade, window) for row in rows)
    return CatalogPage(items, page, max(1, -(-total // size)), total)


@dataclass(frozen=True)
class RegistrationWindow:
    """What the list needs to tell a registration still open from one closed for the grade."""

    now: dt.datetime
    rules: Calendar
    default_zone: str


def _item(row: Any, grade: int | None, window: RegistrationWindow | None) -> CatalogItem:
    status = EventStatus(row.status)
    level = Level(row.level)
    closed = False
    if window is not None and status == EventStatus.REGISTRATION:
        days = EventDays(level, row.held_on, row.grade_dates, row.grade_min, row.grade_max)
        zone = row.zone or window.default_zone
        closed = deadline_for_grade(days, grade, zone, window.rules) <= window.now
    return CatalogItem(
        event_id=row.id,
        level=level,
        held_on=held_on_for(grade, row.held_on, row.grade_dates),
        status=status,
        subject=row[5],
        own_state=RegistrationState(row.state) if row.state is not None else None,
        registration_closed=closed,
    )


async def subjects_open(
    session: AsyncSession, student: User, today: dt.date, locale: str
) -> list[tuple[int, str]]:
    """The subjects that have events open to the student (for the subject filter)."""
    require_profile(student)
    place = school_place(student.school_id)
    name = subject_name(locale)
    rows = await session.execute(
        select(Subject.id, name)
        .join(OlympiadEvent, OlympiadEvent.subject_id == Subject.id)
        .join(place, open_to(place))
        .where(*_visible(student, school_year_of(today), CatalogFilter()))
        .group_by(Subject.id, name, Subject.sort_order)
        .order_by(Subject.sort_order, name)
    )
    return [(int(sid), str(sname)) for sid, sname in rows]
