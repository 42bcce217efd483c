"""The panel's search for a student of my scope by name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import PersonKind
from models.geo import Municipality, School
from models.olympiad import Registration
from models.people import User
from services.dashboard.filters import school_filters, text_matches
from services.people.identity import Identity
from services.scopes import Scope

FOUND_STUDENTS = 20
MIN_SEARCH = 2  # one letter matches half the region


@dataclass(frozen=True)
class FoundStudent:
    id: int
    name: str
    grade: int | None
    school: str
    registrations: int


async def find_students(
    session: AsyncSession, ident: Identity, place: Scope, search: str
) -> list[FoundStudent]:
    """Students of my scope whose name contains the search, with their registrations."""
    if len(search) < MIN_SEARCH:
        return []
    query = (
        select(User.id, User.full_name, User.grade, School.name, func.count(Registration.id))
        .join(School, User.school_id == School.id)
        .join(Municipality, School.municipality_id == Municipality.id)
        .outerjoin(Registration, Registration.student_id == User.id)
        .where(*school_filters(ident, place, ""), User.kind == PersonKind.STUDENT)
        .where(text_matches(User.full_name, search))
        .group_by(User.id, User.full_name, User.grade, School.name)
        .order_by(User.full_name)
        .limit(FOUND_STUDENTS)
    )
    return [
        FoundStudent(int(i), str(n), g, str(s), int(c))
        for i, n, g, s, c in await session.execute(query)
    ]
