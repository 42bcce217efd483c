"""Where a student's consent stands for a school year: given (how, when, by whom) or missing,
and by when it is due (the olympiad calendar's rule against the production calendar)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from calendars.school_year import school_year_of
from models.consent import Consent, ConsentMethod
from models.geo import Municipality, Region, School
from models.people import ParentLink, User
from reminders.consent_deadlines import consent_deadlines


@dataclass(frozen=True)
class ConsentState:
    student_id: int
    name: str
    school_year: int
    given: bool
    method: ConsentMethod | None  # how it was given (also after a withdrawal)
    given_at: dt.datetime | None
    given_by: str | None  # the parent's or curator's name
    withdrawn_at: dt.datetime | None
    deadline: dt.datetime | None  # None: no event of the year needs it yet
    has_parent: bool  # a parent is linked in the bot

    @property
    def missing(self) -> bool:
        return not self.given and self.deadline is not None


async def school_zone(session: AsyncSession, school_id: int | None, default_zone: str) -> str:
    if school_id is None:
        return default_zone
    zone = await session.scalar(
        select(func.coalesce(School.timezone, Region.timezone))
        .join(Municipality, School.municipality_id == Municipality.id)
        .join(Region, Municipality.region_id == Region.id)
        .where(School.id == school_id)
    )
    return zone or default_zone


async def year_for(
    session: AsyncSession, student: User, now: dt.datetime, default_zone: str
) -> int:
    """The school year now is in, at the student's school."""
    zone = await school_zone(session, student.school_id, default_zone)
    return school_year_of(now.astimezone(ZoneInfo(zone)).date())


async def consent_states(
    session: AsyncSession, students: list[tuple[int, str]], year: int, rules: Calendar
) -> list[ConsentState]:
    """The state of each (id, name) student, in the order given."""
    ids = [student_id for student_id, _ in students]
    if not ids:
        return []
    deadlines = await consent_deadlines(session, ids, rules, year)
    rows = {
        row.student_id: row
        for row in await session.scalars(
            select(Consent).where(Consent.student_id.in_(ids), Consent.school_year == year)
        )
    }
    giver_ids = {r.given_by_id for r in rows.values() if r.given_by_id is not None}
    givers = dict(
        (
            await session.execute(select(User.id, User.full_name).where(User.id.in_(giver_ids)))
        ).all()
    )
    linked = set(
        await session.scalars(select(ParentLink.child_id).where(ParentLink.child_id.in_(ids)))
    )
    found = []
    for student_id, name in students:
        row = rows.get(student_id)
        deadline = deadlines.get(student_id)
        found.append(
            ConsentState(
                student_id=student_id,
                name=name,
                school_year=year,
                given=row is not None and row.active,
                method=ConsentMethod(row.method) if row is not None else None,
                given_at=row.given_at if row is not None else None,
                given_by=givers.get(row.given_by_id) if row and row.given_by_id else None,
                withdrawn_at=row.withdrawn_at if row is not None else None,
                deadline=deadline[0] if deadline is not None else None,
                has_parent=student_id in linked,
            )
        )
    return found


async def consent_state(
    session: AsyncSession, student: User, rules: Calendar, now: dt.datetime, default_zone: str
) -> ConsentState:
    year = await year_for(session, student, now, default_zone)
    [state] = await consent_states(session, [(student.id, student.full_name)], year, rules)
    return state
