"""Control-point checks: who has not done a step, computed when the report is due.

- registration control: schools of the scope with nobody registered for the event;
- results control: no results entered (at the school stage: per school with participants);
- close control: the event is not closed (`finished`);
- creation deadline and control: subjects without an event for the level and scope.
A check that finds nothing sends nothing. Lagging schools' curators get a nudge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.steps import CREATION_CONTROL, CREATION_DUE
from models.enums import EventStatus, Level
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.outbox import Outbox
from models.people import User
from reminders.audience import scope_schools

REGISTRATION_CONTROL = "registration_control"
RESULTS_CONTROL = "results_control"
CLOSE_CONTROL = "close_control"


@dataclass
class Finding:
    step: str
    names: list[str] = field(default_factory=list)  # lagging schools, subjects or municipalities
    lagging_schools: list[int] = field(default_factory=list)  # their curators get a nudge


async def evaluate(
    session: AsyncSession, row: Outbox, event: OlympiadEvent | None, locale: str
) -> Finding | None:
    if row.step in (CREATION_DUE, CREATION_CONTROL):
        return await _creation(session, row, locale)
    if event is None:
        return None
    if row.step == REGISTRATION_CONTROL:
        return await _no_registrations(session, event)
    if row.step == RESULTS_CONTROL:
        return await _no_results(session, event)
    if row.step == CLOSE_CONTROL:
        return None if event.status == EventStatus.FINISHED else Finding(row.step)
    return Finding(row.step)  # a control point the engine has no check for: remind of it


async def _schools(session: AsyncSession, step: str, query: Select[int, str]) -> Finding | None:
    rows = (await session.execute(query)).all()
    if not rows:
        return None
    return Finding(step, names=[name for _, name in rows], lagging_schools=[i for i, _ in rows])


async def _no_registrations(session: AsyncSession, event: OlympiadEvent) -> Finding | None:
    registered = (
        select(User.school_id)
        .join(Registration, Registration.student_id == User.id)
        .where(Registration.event_id == event.id, User.school_id.is_not(None))
    )
    query = (
        select(School.id, School.name)
        .where(School.id.in_(scope_schools(event)), School.id.not_in(registered))
        .order_by(School.name)
    )
    return await _schools(session, REGISTRATION_CONTROL, query)


async def _no_results(session: AsyncSession, event: OlympiadEvent) -> Finding | None:
    if event.results_published_at is not None:
        return None
    query = (
        select(School.id, School.name)
        .join(User, User.school_id == School.id)
        .join(Registration, Registration.student_id == User.id)
        .where(Registration.event_id == event.id)
        .group_by(School.id, School.name)
        .having(func.count(Registration.score) == 0)
        .order_by(School.name)
    )
    found = await _schools(session, RESULTS_CONTROL, query)
    if found is not None and event.level != Level.SCHOOL:
        found.lagging_schools = []  # results of later stages are the organiser's to enter
    return found


async def _creation(session: AsyncSession, row: Outbox, locale: str) -> Finding | None:
    payload = row.payload or {}
    level, scope, year = Level(payload["level"]), str(payload["scope"]), int(payload["year"])
    name = Subject.name_en if locale == "en" else Subject.name_ru
    if scope.startswith("r") and level != Level.REGIONAL:
        return await _creation_by_municipality(session, row.step, level, int(scope[1:]), year)
    created = select(OlympiadEvent.subject_id).where(
        OlympiadEvent.level == level,
        OlympiadEvent.school_year == year,
        OlympiadEvent.scope_key == scope,
        OlympiadEvent.status != EventStatus.CANCELLED,
    )
    missing = await session.scalars(
        select(name).where(Subject.id.not_in(created)).order_by(Subject.sort_order, name)
    )
    names = list(missing)
    return Finding(row.step, names=names) if names else None


async def _creation_by_municipality(
    session: AsyncSession, step: str, level: Level, region_id: int, year: int
) -> Finding | None:
    subjects = (await session.execute(select(func.count(Subject.id)))).scalar_one()
    created = (
        select(func.count(func.distinct(OlympiadEvent.subject_id)))
        .where(
            OlympiadEvent.municipality_id == Municipality.id,
            OlympiadEvent.level == level,
            OlympiadEvent.school_year == year,
            OlympiadEvent.status != EventStatus.CANCELLED,
        )
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Municipality.name, created)
        .where(Municipality.region_id == region_id)
        .order_by(Municipality.name)
    )
    names = [f"{muni}: {count}/{subjects}" for muni, count in rows if count < subjects]
    return Finding(step, names=names) if names else None
