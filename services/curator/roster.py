"""The school's students, loaded once per list, to find each row's student or create one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import PersonKind
from models.people import User
from services.curator.rows import ParsedRow, name_keys
from services.curator.school import CuratedSchool, school_students
from services.errors import Refused

AMBIGUOUS = "row_ambiguous_student"
GRADE_DIFFERS = "row_grade_differs"
CHUNK = 2000  # rows per INSERT: well under the bound-parameter limits


class Roster:
    """Name → students of the school; new records are added as rows create them."""

    def __init__(self, session: AsyncSession, school: CuratedSchool, students: list[User]):
        self.session = session
        self.school = school
        self.created = 0
        self._new: list[User] = []  # created by this list, not inserted yet
        self._full: dict[str, list[User]] = defaultdict(list)
        self._short: dict[str, list[User]] = defaultdict(list)
        for student in students:
            self._index(student)

    def _index(self, student: User) -> None:
        full, short = name_keys(student.full_name)
        self._full[full].append(student)
        if short != full:
            self._short[short].append(student)

    def _candidates(self, row: ParsedRow) -> list[User]:
        full, short = name_keys(row.full_name)
        found = self._full.get(full) or []
        if not found and row.patronymic:
            # The list has a patronymic the Telegram name lacks ("Пётр Иванов").
            found = [s for s in self._full.get(short, []) if s.tg_id is not None]
        if not found and not row.patronymic:
            found = self._short.get(full, [])
        return found

    async def resolve(self, row: ParsedRow, now: dt.datetime) -> User:
        """The row's student: found by name (and grade when names repeat), else created."""
        assert row.grade is not None
        found = self._candidates(row)
        same_grade = [s for s in found if s.grade == row.grade]
        if len(same_grade) > 1:
            raise Refused(AMBIGUOUS, count=len(same_grade))
        if same_grade:
            return same_grade[0]
        offline = [s for s in found if s.tg_id is None]
        if len(offline) == 1 and len(found) == 1:
            offline[0].grade = row.grade  # the curator keeps records without Telegram current
            return offline[0]
        if len(found) == 1:
            raise Refused(GRADE_DIFFERS, grade=found[0].grade or "—")
        if found:
            raise Refused(AMBIGUOUS, count=len(found))
        return await self._create(row, now)

    async def _create(self, row: ParsedRow, now: dt.datetime) -> User:
        student = User(
            tg_id=None,
            full_name=row.full_name,
            kind=PersonKind.STUDENT,
            school_id=self.school.id,
            grade=row.grade,
            created_at=now,
        )
        self._new.append(student)
        self.created += 1
        self._index(student)
        return student

    async def save(self) -> None:
        """Inserts the records created so far in one statement per chunk, not one per row; the
        records stay outside the session (nothing else changes them) and get their ids."""
        columns = ("tg_id", "full_name", "kind", "school_id", "grade", "created_at")
        # Names of the records a list creates are distinct (a second row of a name finds the
        # first's record), so the returned rows are matched by name: asking for them in
        # parameter order would make the insert go one row at a time.
        statement = insert(User).returning(User.id, User.full_name)
        for start in range(0, len(self._new), CHUNK):
            chunk = {s.full_name: s for s in self._new[start : start + CHUNK]}
            assert len(chunk) == len(self._new[start : start + CHUNK])
            rows = [{c: getattr(s, c) for c in columns} for s in chunk.values()]
            for new_id, full_name in await self.session.execute(statement, rows):
                chunk[full_name].id = new_id
        self._new.clear()


async def load_roster(session: AsyncSession, school: CuratedSchool) -> Roster:
    students = (await session.scalars(select(User).where(*school_students(school.id)))).all()
    return Roster(session, school, list(students))
