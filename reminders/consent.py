"""Reminders of a missing parents' consent: to the student, their parents, and the curators of
the school (one digest of the school's missing students per deadline).

The deadline is the consent rule of the olympiad calendar read against the production calendar:
a few working days before the student's first event of the rule's track (the school stage) in the
school year. Rows are planned, like every reminder, at each person's offsets in their own zone
outside their quiet hours, and checked again when they are sent (`reminders.consent_check`):
once the consent is given nothing more goes out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.consent_rule import CONSENT_DUE
from calendars.schema import Audience, Calendar, StepKind
from calendars.steps import Step, consent_deadline
from calendars.workdays import ProductionCalendar
from models.consent import consented
from models.enums import EventStatus, Level, Role
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration
from models.outbox import Outbox, OutboxStatus, ReminderPreference
from models.people import ParentLink, RoleGrant, User
from models.zones import zones_of
from reminders.audience import prefs_of
from reminders.plan import Recipient, RowSpec, rows, slots
from reminders.sync import SyncStats, sync_rows

CONSENT_SUBJECT = "consent/"


def student_subject(student_id: int, year: int) -> str:
    return f"{CONSENT_SUBJECT}{student_id}/{year}"


def school_subject(school_id: int, year: int) -> str:
    return f"{CONSENT_SUBJECT}s{school_id}/{year}"


async def first_events(
    session: AsyncSession,
    student_ids: Collection[int] | None,
    school_ids: Collection[int],
    level: Level,
    year: int,
) -> dict[int, tuple[dt.date, int]]:
    """Each student's first event of the level in the school year: (its day, the school id)."""
    query = (
        select(Registration.student_id, Registration.grade, OlympiadEvent, User.school_id)
        .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
        .join(User, User.id == Registration.student_id)
        .where(
            OlympiadEvent.level == level,
            OlympiadEvent.school_year == year,
            OlympiadEvent.status.not_in([EventStatus.CANCELLED, EventStatus.DRAFT]),
            User.school_id.is_not(None),
        )
    )
    if student_ids is not None:
        query = query.where(Registration.student_id.in_(list(student_ids)))
    else:
        query = query.where(User.school_id.in_(list(school_ids)))
    found: dict[int, tuple[dt.date, int]] = {}
    for student_id, grade, event, school_id in await session.execute(query):
        day = event.date_for_grade(grade)
        if school_id is not None and (student_id not in found or day < found[student_id][0]):
            found[student_id] = (day, school_id)
    return found


def _workdays(rules: Calendar) -> ProductionCalendar | None:
    found = rules.workdays
    return found if isinstance(found, ProductionCalendar) else None


def deadline_step(deadline: dt.datetime, zone: str, audience: Audience) -> Step:
    return Step(
        CONSENT_DUE, StepKind.DEADLINE, deadline, zone, False, Audience.PARENT, (audience,)
    )


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
    return await _deadlines(session, student_ids, (), rules, year)


async def _deadlines(
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
    return {
        student: (consent_deadline(rule, day, zones[school], workdays), school, zones[school])
        for student, (day, school) in firsts.items()
    }


async def _people(session: AsyncSession, where: ColumnElement[bool], *extra: Any) -> list[Any]:
    """People with Telegram matching `where`: id, the `extra` columns, reminder preferences."""
    columns: list[Any] = [
        User.id,
        *extra,
        ReminderPreference.offsets,
        ReminderPreference.quiet_start,
        ReminderPreference.quiet_end,
        ReminderPreference.digest_at,
    ]
    query = (
        select(*columns)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .where(where, User.tg_id.is_not(None))
    )
    return list(await session.execute(query))


def _recipient(
    user_id: int, audience: Audience, step_zone: str, zone: str, prefs: Any, day: dt.date
) -> Recipient:
    return Recipient(
        user_id=user_id,
        audience=audience,
        step_zone=step_zone,
        zone=zone,
        held_on=day,
        prefs=prefs_of(*prefs),
    )


async def consent_rows(
    session: AsyncSession,
    student_ids: Collection[int],
    rules: Calendar,
    year: int,
    now: dt.datetime,
    default_zone: str,
) -> tuple[dict[str, RowSpec], set[int]]:
    """The rows the students, their parents and their schools' curators should have, and the
    schools concerned (the curators' digests cover every missing student of those schools)."""
    mine = await consent_deadlines(session, student_ids, rules, year)
    schools = {school for _, school, _ in mine.values()}
    school_wide = await _deadlines(session, None, schools, rules, year)
    given = await consented(session, set(school_wide) | set(student_ids), year)
    missing = {s: v for s, v in school_wide.items() if s not in given}
    desired: dict[str, RowSpec] = {}
    followers = await _followers(session, [s for s in student_ids if s in missing])
    zones = await zones_of(session, {uid for uid, *_ in followers}, default_zone)
    for user_id, student_id, audience, *prefs in followers:
        deadline, _, step_zone = missing[student_id]
        recipient = _recipient(
            user_id,
            audience,
            step_zone,
            zones.get(user_id, step_zone),
            tuple(prefs),
            deadline.date(),
        )
        payload = {"students": [student_id], "year": year}
        found = slots([deadline_step(deadline, step_zone, audience)], recipient, now)
        subject = student_subject(student_id, year)
        desired.update(
            (r.key, r)
            for r in rows(found, recipient, event_id=None, subject=subject, payload=payload)
        )
    desired.update(await _curator_rows(session, missing, schools, year, now, default_zone))
    return desired, schools


async def _followers(session: AsyncSession, student_ids: list[int]) -> list[Any]:
    if not student_ids:
        return []
    own = await _people(session, User.id.in_(student_ids), User.id)
    parent_rows = await session.execute(
        select(ParentLink.parent_id, ParentLink.child_id).where(
            ParentLink.child_id.in_(student_ids)
        )
    )
    children: dict[int, list[int]] = defaultdict(list)
    for parent_id, child_id in parent_rows:
        children[parent_id].append(child_id)
    parents = await _people(session, User.id.in_(list(children)))
    found: list[Any] = [(row[0], row[1], Audience.STUDENT, *row[2:]) for row in own]
    for parent_id, *prefs in parents:
        for child_id in children[parent_id]:
            found.append((parent_id, child_id, Audience.PARENT, *prefs))
    return found


async def _curator_rows(
    session: AsyncSession,
    missing: dict[int, tuple[dt.datetime, int, str]],
    schools: set[int],
    year: int,
    now: dt.datetime,
    default_zone: str,
) -> dict[str, RowSpec]:
    curators = await _people(
        session,
        and_(
            User.id == RoleGrant.user_id,
            RoleGrant.role == Role.CURATOR,
            RoleGrant.revoked_at.is_(None),
            RoleGrant.school_id.in_(list(schools)),
        ),
        RoleGrant.school_id,
    )
    zones = await zones_of(session, {row[0] for row in curators}, default_zone)
    by_deadline: dict[tuple[int, dt.datetime], list[int]] = defaultdict(list)
    step_zones: dict[int, str] = {}
    for student_id, (deadline, school, zone) in missing.items():
        by_deadline[(school, deadline)].append(student_id)
        step_zones[school] = zone
    desired: dict[str, RowSpec] = {}
    for user_id, school_id, *prefs in curators:
        for (school, deadline), students in sorted(by_deadline.items()):
            if school != school_id:
                continue
            step_zone = step_zones[school]
            recipient = _recipient(
                user_id,
                Audience.CURATOR,
                step_zone,
                zones.get(user_id, step_zone),
                tuple(prefs),
                deadline.date(),
            )
            ids = sorted(students)
            subject = f"{school_subject(school, year)}/{deadline:%Y%m%d}"
            payload = {"students": ids, "year": year, "school": school}
            found = slots([deadline_step(deadline, step_zone, Audience.CURATOR)], recipient, now)
            desired.update(
                (r.key, r)
                for r in rows(found, recipient, event_id=None, subject=subject, payload=payload)
            )
    return desired


def _scope(
    student_ids: Collection[int], schools: Collection[int], year: int
) -> ColumnElement[bool]:
    patterns = [f"%:{student_subject(s, year)}:%" for s in student_ids]
    patterns += [f"%:{school_subject(s, year)}/%" for s in schools]
    return and_(
        Outbox.step == CONSENT_DUE,
        Outbox.event_id.is_(None),
        or_(*(Outbox.key.like(p) for p in patterns)),
    )


async def replan_consent(
    session: AsyncSession,
    student_ids: Collection[int],
    rules: Calendar,
    year: int,
    now: dt.datetime,
    default_zone: str = "Europe/Moscow",
) -> SyncStats:
    """Brings the consent reminders of the students, their parents and their schools' curators
    in line with the data (registrations, consents); in the caller's transaction."""
    students = list(student_ids)
    if not students or rules.consent is None:
        return SyncStats()
    desired, schools = await consent_rows(session, students, rules, year, now, default_zone)
    stats = await sync_rows(session, desired, _scope(students, schools, year), now)
    # A digest's key names the school and the deadline; who is missing changes under it.
    for spec in desired.values():
        if spec.audience == Audience.CURATOR:
            await session.execute(
                update(Outbox)
                .where(Outbox.key == spec.key, Outbox.status == OutboxStatus.PENDING)
                .values(payload=spec.payload)
                .execution_options(synchronize_session=False)
            )
    return stats


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
