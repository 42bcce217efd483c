"""A class list of 20,000 rows failed on SQLite: re-planning the consent reminders of thousands
of students at once built one `LIKE` per student into a single `OR`, deeper than SQLite's limit
of 1000 ("Expression tree is too large"). They are re-planned in parts now."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from reminders.consent import replan_consent
from tests.support.reference import reference

NOW = dt.datetime(2026, 10, 5, 23, 0, tzinfo=dt.UTC)


async def test_thousands_of_students_at_once(session: AsyncSession) -> None:
    students = list(range(1, 1_501))
    assert len(students) > 1000  # past SQLite's expression depth in one statement
    stats = await replan_consent(session, students, reference().rules, 2026, NOW)
    assert stats.inserted == 0  # nobody of these exists: nothing to remind, and no error
