"""Who needs a parent's consent by when: each student's first event of the consent rule's track
in the school year, read against the production calendar, and the students a person's consent
reminders concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from calendars.steps import consent_deadline
from calendars.workdays import ProductionCalendar
from models.enums import EventStatus, Level, Role
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration
from models.people import ParentLink, RoleGrant, User


async def first_events(
    session: AsyncSession,
    student_ids: Collection[int] | None,
    school_ids: Collection[int],
    level: Level,
    year: int,
) -> dict[int, tuple[dt.date, int]]:
    """Each student's first event of the level in the school year: (its day, the school id)."""
    events = select(OlympiadEvent.id, OlympiadEvent.grade_dates).where(
        OlympiadEvent.level == level,
        OlympiadEvent.school_year == year,
        OlympiadEvent.status.not_in([EventStatus.CANCELLED, EventStatus.DRAFT]),
    )
    per_grade = [event_id for event_id, dates in await session.execute(events) if dates]
    scope = [
        OlympiadEvent.level == level,
        OlympiadEvent.school_year == year,
        OlympiadEvent.status.not_in([EventStatus.CANCELLED, EventStatus.DRAFT]),
        User.school_id.is_not(None),
        Registration.student_id.in_(list(student_ids))
        if student_ids is not None
        else User.school_id.in_(list(school_ids)),
    ]
    # A school's registrations over a year are thousands: the database keeps each student's
    # earliest day; only events with dates of their own per grade are read row by row.
    earliest = (
        select(Registration.student_id, User.school_id, func.min(OlympiadEvent.held_on))
        .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
        .join(User, User.id == Registration.student_id)
        .where(*scope, *([OlympiadEvent.id.not_in(per_grade)] if per_grade else []))
        .group_by(Registration.student_id, User.school_id)
    )
    found: dict[int, tuple[dt.date, int]] = {}
    candidates: list[tuple[int, int | None, dt.date]] = [
        (student_id, school_id, day)
        for student_id, school_id, day in await session.execute(earliest)
    ]
    if per_grade:
        by_grade = (
            select(Registration.student_id, User.school_id, OlympiadEvent, Registration.grade)
            .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
            .join(User, User.id == Registration.student_id)
            .where(*scope, OlympiadEvent.id.in_(per_grade))
        )
        candidates += [
            (student_id, school_id, event.date_for_grade(grade))
            for student_id, school_id, event, grade in await session.execute(by_grade)
        ]
    for student_id, school_id, day in candidates:
        if school_id is not None and (student_id not in found or day < found[student_id][0]):
            found[student_id] = (day, school_id)
    return found


def _workdays(rules: Calendar) -> ProductionCalendar | None:
    found = rules.workdays
    return found if isinstance(found, ProductionCalendar) else None


async def _school_zones(session: AsyncSession, school_ids: Iterable[int]) -> dict[int, str]:
    rows = await session.execute(
        select(School.id, func.coalesce(School.timezone, Region.timezone))
        .join(Municipality, School.municipality_id == Municipality.id)
        .join(Region, Municipality.region_id == Region.id)
        .where(School.id.in_(list(school_ids)))
    )
    return {school_id: zone for school_id, zone in rows}


async def consent_deadlines(
    session: AsyncSession, student_ids: Collection[int], rules: Calendar, year: int
) -> dict[int, tuple[dt.datetime, int, str]]:
    """Each student's consent deadline for the year: (instant, school id, school zone); students
    without an event of the rule's track that year have none."""
    return await deadlines_in(session, student_ids, (), rules, year)


async def deadlines_in(
    session: AsyncSession,
    student_ids: Collection[int] | None,
    school_ids: Collection[int],
    rules: Calendar,
    year: int,
) -> dict[int, tuple[dt.datetime, int, str]]:
    rule, workdays = rules.consent, _workdays(rules)
    if rule is None:
        return {}
    workdays = workdays or ProductionCalendar.statutory()
    firsts = await first_events(session, student_ids, school_ids, Level(rule.track), year)
    zones = await _school_zones(session, {school for _, school in firsts.values()})
    deadlines: dict[tuple[dt.date, str], dt.datetime] = {}  # a school's students share days
    found: dict[int, tuple[dt.datetime, int, str]] = {}
    for student, (day, school) in firsts.items():
        zone = zones[school]
        deadline = deadlines.get((day, zone))
        if deadline is None:
            deadline = deadlines[day, zone] = consent_deadline(rule, day, zone, workdays)
        found[student] = (deadline, school, zone)
    return found


async def students_of_person(session: AsyncSession, user_id: int, year: int) -> set[int]:
    """The students whose consent reminders concern a person: themselves, their children, and
    the registered students of the schools they curate."""
    children = await session.scalars(
        select(ParentLink.child_id).where(ParentLink.parent_id == user_id)
    )
    found = {user_id, *children}
    schools = list(
        await session.scalars(
            select(RoleGrant.school_id).where(
                RoleGrant.user_id == user_id,
                RoleGrant.role == Role.CURATOR,
                RoleGrant.revoked_at.is_(None),
                RoleGrant.school_id.is_not(None),
            )
        )
    )
    if schools:
        registered = await session.scalars(
            select(Registration.student_id)
            .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
            .join(User, User.id == Registration.student_id)
            .where(User.school_id.in_(schools), OlympiadEvent.school_year == year)
        )
        found.update(registered)
    return found
