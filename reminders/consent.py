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
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.consent_rule import CONSENT_DUE
from calendars.schema import Audience, Calendar, StepKind
from calendars.steps import Step
from models.consent import consented_in
from models.enums import Role
from models.outbox import Outbox, OutboxStatus, ReminderPreference
from models.people import ParentLink, RoleGrant, User
from models.zones import zones_of
from reminders.audience import prefs_of
from reminders.calendar_quiet import join_quiet, quiet_columns
from reminders.consent_deadlines import deadlines_in
from reminders.plan import Recipient, RowSpec, rows, slots
from reminders.sync import SyncStats, sync_rows

CONSENT_SUBJECT = "consent/"
CHUNK = 1000  # students whose rows are re-planned at once
PARAMETERS = 5000


def student_subject(student_id: int, year: int) -> str:
    return f"{CONSENT_SUBJECT}{student_id}/{year}"


def school_subject(school_id: int, year: int) -> str:
    return f"{CONSENT_SUBJECT}s{school_id}/{year}"


def deadline_step(deadline: dt.datetime, zone: str, audience: Audience) -> Step:
    return Step(
        CONSENT_DUE, StepKind.DEADLINE, deadline, zone, False, Audience.PARENT, (audience,)
    )


async def _people(session: AsyncSession, where: ColumnElement[bool], *extra: Any) -> list[Any]:
    """People with Telegram matching `where`: id, the `extra` columns, reminder preferences."""
    columns: list[Any] = [
        User.id,
        *extra,
        ReminderPreference.offsets,
        *quiet_columns(),
        ReminderPreference.digest_at,
    ]
    query = select(*columns).outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
    query = join_quiet(query, User.id).where(where, User.tg_id.is_not(None))
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
    missing, schools = await _missing(session, student_ids, rules, year)
    desired = await _student_rows(session, student_ids, missing, year, now, default_zone)
    desired.update(await _curator_rows(session, missing, schools, year, now, default_zone))
    return desired, schools


async def _missing(
    session: AsyncSession, student_ids: Collection[int], rules: Calendar, year: int
) -> tuple[dict[int, tuple[dt.datetime, int, str]], set[int]]:
    """The students still without a consent in the schools of `student_ids` (with a deadline,
    their school and its zone), and those schools."""
    ids, places = list(student_ids), set[int]()
    for start in range(0, len(ids), PARAMETERS):  # PostgreSQL takes at most 32,767 parameters
        part = ids[start : start + PARAMETERS]
        found = await session.scalars(
            select(User.school_id).where(User.id.in_(part), User.school_id.is_not(None)).distinct()
        )
        places.update(school for school in found if school is not None)
    school_wide = await deadlines_in(session, None, places, rules, year)
    # The schools where one of the students has a deadline (the digests to bring in line).
    schools = {school_wide[s][1] for s in ids if s in school_wide}
    given = await consented_in(session, schools, year)
    return {s: v for s, v in school_wide.items() if s not in given}, schools


async def _student_rows(
    session: AsyncSession,
    student_ids: Collection[int],
    missing: dict[int, tuple[dt.datetime, int, str]],
    year: int,
    now: dt.datetime,
    default_zone: str,
) -> dict[str, RowSpec]:
    """The rows of the students themselves and of their parents."""
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
            for r in rows(
                found, recipient, event_id=None, subject=subject, payload=payload, topic=subject
            )
        )
    return desired


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
            topic = school_subject(school, year)
            subject = f"{topic}/{deadline:%Y%m%d}"
            payload = {"students": ids, "year": year, "school": school}
            found = slots([deadline_step(deadline, step_zone, Audience.CURATOR)], recipient, now)
            desired.update(
                (r.key, r)
                for r in rows(
                    found, recipient, event_id=None, subject=subject, payload=payload, topic=topic
                )
            )
    return desired


def _scope(topics: Collection[str]) -> ColumnElement[bool]:
    return and_(
        Outbox.topic.in_(list(topics)), Outbox.step == CONSENT_DUE, Outbox.event_id.is_(None)
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
    in line with the data (registrations, consents); in the caller's transaction.

    The schools' missing students are read once; the students' own rows are then planned in
    parts (a class list of thousands), each part's rows found by their topic in an index."""
    students = sorted(set(student_ids))
    if not students or rules.consent is None:
        return SyncStats()
    missing, schools = await _missing(session, students, rules, year)
    digests = await _curator_rows(session, missing, schools, year, now, default_zone)
    stats = await sync_rows(
        session, digests, _scope({school_subject(s, year) for s in schools}), now
    )
    # A digest's key names the school and the deadline; who is missing changes under it.
    for spec in digests.values():
        await session.execute(
            update(Outbox)
            .where(Outbox.key == spec.key, Outbox.status == OutboxStatus.PENDING)
            .values(payload=spec.payload)
            .execution_options(synchronize_session=False)
        )
    for start in range(0, len(students), CHUNK):
        part = students[start : start + CHUNK]
        desired = await _student_rows(session, part, missing, year, now, default_zone)
        topics = {student_subject(s, year) for s in part}
        stats += await sync_rows(session, desired, _scope(topics), now)
    return stats
