"""The school curator's view of their school: which schools, which students, by grade.

Every function takes the school id from the caller (a button, possibly forged) and checks it
through `services.authz` before reading anything: a curator sees their own school only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.school_year import school_year_of
from models.enums import Level, PersonKind, Role
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration
from models.people import User
from services.authz import Action, authorize
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope

PAGE_SIZE = 10
NOT_CURATOR = "not_curator"


@dataclass(frozen=True)
class CuratedSchool:
    id: int
    name: str
    scope: Scope
    zone: str

    def school_year(self, now: dt.datetime) -> int:
        return school_year_of(now.astimezone(ZoneInfo(self.zone)).date())


@dataclass(frozen=True)
class GradeCount:
    grade: int
    students: int
    with_telegram: int


@dataclass(frozen=True)
class StudentItem:
    id: int
    full_name: str
    grade: int | None
    has_telegram: bool
    registrations: int  # this school year


@dataclass(frozen=True)
class StudentsPage:
    school: CuratedSchool
    grade: int
    items: list[StudentItem]
    page: int
    pages: int
    total: int


def school_students(school_id: int) -> list[ColumnElement[bool]]:
    """The WHERE clause of "the school's students" (records with and without Telegram)."""
    return [User.school_id == school_id, User.kind == PersonKind.STUDENT]


def curated_school_ids(ident: Identity) -> list[int]:
    return sorted(
        {g.school_id for g in ident.grants if g.role == Role.CURATOR and g.school_id is not None}
    )


async def curated_schools(session: AsyncSession, ident: Identity) -> list[CuratedSchool]:
    ids = curated_school_ids(ident)
    if not ids:
        raise Refused(NOT_CURATOR)
    return [await open_school(session, ident, school_id) for school_id in ids]


async def open_school(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    action: Action = Action.VIEW_SCHOOL,
    level: Level | None = None,
) -> CuratedSchool:
    """The school with its place, once the identity is allowed the action there."""
    row = (
        await session.execute(
            select(
                School.name,
                School.municipality_id,
                Municipality.region_id,
                func.coalesce(School.timezone, Region.timezone),
            )
            .join(Municipality, School.municipality_id == Municipality.id)
            .join(Region, Municipality.region_id == Region.id)
            .where(School.id == school_id)
        )
    ).one_or_none()
    if row is None:
        raise Refused("forbidden")  # an id that names no school says nothing either way
    name, municipality_id, region_id, zone = row
    scope = Scope(region_id=region_id, municipality_id=municipality_id, school_id=school_id)
    authorize(ident, action, scope, level)
    return CuratedSchool(id=school_id, name=name, scope=scope, zone=zone)


async def grade_counts(
    session: AsyncSession, ident: Identity, school_id: int
) -> tuple[CuratedSchool, list[GradeCount]]:
    school = await open_school(session, ident, school_id)
    rows = await session.execute(
        select(User.grade, func.count(User.id), func.count(User.tg_id))
        .where(*school_students(school_id), User.grade.is_not(None))
        .group_by(User.grade)
        .order_by(User.grade)
    )
    return school, [GradeCount(g, n, t) for g, n, t in rows if g is not None]


async def students_page(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    *,
    grade: int,
    page: int,
    now: dt.datetime,
) -> StudentsPage:
    """One grade's students, by name, with this year's registration count (one statement)."""
    school = await open_school(session, ident, school_id)
    year = school.school_year(now)
    current = and_(
        Registration.student_id == User.id,
        Registration.event_id.in_(
            select(OlympiadEvent.id).where(OlympiadEvent.school_year == year)
        ),
    )
    statement = (
        select(
            User.id,
            User.full_name,
            User.tg_id.is_not(None),
            func.count(Registration.id),
            func.count().over(),
        )
        .outerjoin(Registration, current)
        .where(*school_students(school_id), User.grade == grade)
        .group_by(User.id, User.full_name, User.tg_id)
        .order_by(User.full_name, User.id)
        .limit(PAGE_SIZE)
    )
    page = max(page, 0)
    rows = (await session.execute(statement.offset(page * PAGE_SIZE))).all()
    if not rows and page > 0:  # a stale pager button: show the first page
        page = 0
        rows = (await session.execute(statement)).all()
    total = int(rows[0][4]) if rows else 0
    items = [StudentItem(r[0], r[1], grade, bool(r[2]), int(r[3])) for r in rows]
    pages = max(1, -(-total // PAGE_SIZE))
    return StudentsPage(school, grade, items, page, pages, total)
