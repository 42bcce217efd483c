"""The school's overview: registrations per subject and grade for this year's school stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.olympiad import Registration
from services.consent.school import missing_consents
from services.curator.events import EventItem, event_item, events_statement
from services.curator.school import CuratedSchool, open_school
from services.people.identity import Identity


@dataclass(frozen=True)
class SubjectLine:
    event: EventItem
    by_grade: tuple[tuple[int, int], ...]  # (grade, registered students), by grade
    results: int = 0  # registrations of the school with a score entered

    @property
    def total(self) -> int:
        return sum(n for _, n in self.by_grade)

    @property
    def needs_attention(self) -> bool:
        """Nobody from the school yet, while registration is still open."""
        return self.total == 0 and self.event.open


@dataclass(frozen=True)
class Overview:
    school: CuratedSchool
    lines: list[SubjectLine]
    consents: dict[int, bool]  # registered students → a parent's consent given this year

    @property
    def without_consent(self) -> int:
        return sum(not given for given in self.consents.values())

    @property
    def missing(self) -> list[SubjectLine]:
        return [line for line in self.lines if line.needs_attention]


async def school_overview(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    *,
    rules: Calendar,
    now: dt.datetime,
) -> Overview:
    """One statement: each event once per registered grade (or once with no grade)."""
    school = await open_school(session, ident, school_id)
    statement = (
        events_statement(school, school.school_year(now))
        .add_columns(
            Registration.grade.label("reg_grade"), func.count(Registration.score).label("scored")
        )
        .group_by(Registration.grade)
        .order_by(Registration.grade)
    )
    events: dict[int, EventItem] = {}
    grades: dict[int, list[tuple[int, int]]] = {}
    scored: dict[int, int] = {}
    for row in await session.execute(statement):
        item = event_item(row, school, rules, now)
        events.setdefault(item.id, item)
        scored[item.id] = scored.get(item.id, 0) + int(row.scored)
        if row.reg_grade is not None and item.registered:
            grades.setdefault(item.id, []).append((int(row.reg_grade), item.registered))
    lines = [
        SubjectLine(
            replace(event, registered=sum(n for _, n in grades.get(event.id, []))),
            tuple(grades.get(event.id, [])),
            scored.get(event.id, 0),
        )
        for event in events.values()
    ]
    consents = await missing_consents(session, school.id, school.school_year(now), rules)
    return Overview(school, lines, consents)
