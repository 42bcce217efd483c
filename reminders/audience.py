"""Who an event's steps concern, read from the database as planner recipients.

Students: the registered ones for every step, and at levels where students sign up themselves
the eligible unregistered ones for the registration deadline. Parents follow their children.
Curators: of every school in the event's scope. Organiser: the coordinator of the event's
scope; supervisor: the regional coordinator above a municipal organiser. People without a
Telegram account never get messages, so they are not recipients (their parents are).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, and_, exists, null, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from calendars.schema import REGISTRATION_CLOSES, Audience
from models.enums import EventStatus, Level, PersonKind, Role
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration
from models.outbox import ReminderPreference
from models.people import ParentLink, RoleGrant, User
from reminders.calendar_quiet import join_quiet, quiet_columns
from reminders.mutes import ALL, muted_steps
from reminders.plan import Recipient
from reminders.prefs import DEFAULT_PREFS, Prefs, prefs_from_columns

SELF_REGISTRATION_LEVELS = frozenset({Level.SCHOOL})
REGISTRATION_ONLY = frozenset({REGISTRATION_CLOSES})
FOLLOWERS = frozenset({Audience.STUDENT, Audience.PARENT})
Query: TypeAlias = "Select[*tuple[Any, ...]]"
# The olympiad's own quiet hours, where the person set them, stand in for the general ones.
_PREFS = (ReminderPreference.offsets, *quiet_columns(), ReminderPreference.digest_at)
_prefs_cache: dict[tuple[Any, ...], Prefs] = {}


def prefs_of(
    offsets: list[int] | None, start: int | None, end: int | None, digest: int | None
) -> Prefs:
    if start is None or end is None:
        return DEFAULT_PREFS
    key = (tuple(offsets) if offsets is not None else None, start, end, digest)
    found = _prefs_cache.get(key)
    if found is None:
        found = _prefs_cache.setdefault(key, prefs_from_columns(offsets, start, end, digest))
    return found


def scope_schools(event: OlympiadEvent) -> Select[int]:
    query = select(School.id).join(Municipality, School.municipality_id == Municipality.id)
    if event.level != Level.REGIONAL and event.municipality_id is not None:
        return query.where(School.municipality_id == event.municipality_id)
    return query.where(Municipality.region_id == event.region_id)


def _students(
    event: OlympiadEvent, *, registered: bool, parents: bool, only: Collection[int] | None
) -> Query:
    person = aliased(User) if parents else User
    grade = Registration.grade if registered else User.grade
    query = select(person.id, person.timezone, School.timezone, grade, *_PREFS).select_from(User)
    query = query.outerjoin(School, User.school_id == School.id)
    if registered:
        query = query.join(
            Registration,
            and_(Registration.student_id == User.id, Registration.event_id == event.id),
        )
    else:
        registered_already = exists().where(
            Registration.event_id == event.id, Registration.student_id == User.id
        )
        query = query.where(
            User.kind == PersonKind.STUDENT,
            User.school_id.in_(scope_schools(event)),
            User.grade.between(event.grade_min, event.grade_max),
            ~registered_already,
        )
    if parents:
        query = query.join(ParentLink, ParentLink.child_id == User.id).join(
            person, person.id == ParentLink.parent_id
        )
    if only is not None:
        query = query.where(person.id.in_(list(only)))
        if parents:
            # Also named from the children's side: without it SQLite walked the whole event's
            # registrations and probed every named parent for each (20 s for a class list).
            children = select(ParentLink.child_id).where(ParentLink.parent_id.in_(list(only)))
            query = query.where(User.id.in_(children))
    query = query.outerjoin(ReminderPreference, ReminderPreference.user_id == person.id)
    joined: Query = join_quiet(query, person.id)
    return joined.where(person.tg_id.is_not(None))


def _staff(role: Role, scope: ColumnElement[bool]) -> Query:
    query = (
        select(User.id, User.timezone, School.timezone, null(), *_PREFS)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .outerjoin(School, RoleGrant.school_id == School.id)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
    )
    joined: Query = join_quiet(query, User.id)
    return joined.where(RoleGrant.role == role, RoleGrant.revoked_at.is_(None), scope).where(
        User.tg_id.is_not(None)
    )


def organiser_scope(level: Level, region_id: int, municipality_id: int | None) -> Query:
    if level == Level.REGIONAL or municipality_id is None:
        return _staff(Role.REGIONAL, RoleGrant.region_id == region_id)
    return _staff(Role.MUNICIPAL, RoleGrant.municipality_id == municipality_id)


def supervisor_scope(level: Level, region_id: int, municipality_id: int | None) -> Query | None:
    if level == Level.REGIONAL or municipality_id is None:
        return None  # the bot covers no level above the region
    return _staff(Role.REGIONAL, RoleGrant.region_id == region_id)


def audience_queries(
    event: OlympiadEvent, only: Collection[int] | None
) -> list[tuple[Audience, Query, frozenset[str] | None]]:
    scope = (event.level, event.region_id, event.municipality_id)
    queries: list[tuple[Audience, Query, frozenset[str] | None]] = [
        (Audience.STUDENT, _students(event, registered=True, parents=False, only=only), None),
        (Audience.PARENT, _students(event, registered=True, parents=True, only=only), None),
    ]
    staff: list[tuple[Audience, Query | None]] = [
        (Audience.CURATOR, _staff(Role.CURATOR, RoleGrant.school_id.in_(scope_schools(event)))),
        (Audience.ORGANISER, organiser_scope(*scope)),
        (Audience.SUPERVISOR, supervisor_scope(*scope)),
    ]
    for audience, staff_query in staff:
        if staff_query is not None:
            mine = staff_query if only is None else staff_query.where(User.id.in_(list(only)))
            queries.append((audience, mine, None))
    if event.level in SELF_REGISTRATION_LEVELS and event.status == EventStatus.REGISTRATION:
        for audience, parents in ((Audience.STUDENT, False), (Audience.PARENT, True)):
            query = _students(event, registered=False, parents=parents, only=only)
            queries.append((audience, query, REGISTRATION_ONLY))
    return queries


async def event_recipients(
    session: AsyncSession, event: OlympiadEvent, only: Collection[int] | None = None
) -> list[Recipient]:
    """Everyone the event's steps may concern, or only the people `only` names among them (a
    registration changes what one student and their parents get, and nobody else)."""
    region_zone = (
        await session.execute(select(Region.timezone).where(Region.id == event.region_id))
    ).scalar_one()
    mutes = await muted_steps(session, event.id, only)
    found: list[Recipient] = []
    for audience, query, only_steps in audience_queries(event, only):
        result = await session.execute(query)
        for row in result:
            muted = mutes.get(row[0], frozenset())
            if muted is ALL:
                continue
            if only_steps is None and audience in FOLLOWERS:
                muted = muted | REGISTRATION_ONLY  # already registered: nothing to sign up for
            found.append(_recipient(row, audience, event, region_zone, only_steps, muted))
    return found


def _recipient(
    row: Sequence[Any],
    audience: Audience,
    event: OlympiadEvent,
    region_zone: str,
    only_steps: frozenset[str] | None,
    muted: frozenset[str],
) -> Recipient:
    user_id, own_zone, school_zone, grade, *prefs = row
    step_zone = school_zone or region_zone
    return Recipient(
        user_id=user_id,
        audience=audience,
        step_zone=step_zone,
        zone=own_zone or step_zone,
        held_on=event.date_for_grade(grade),
        prefs=prefs_of(*prefs),
        only_steps=only_steps,
        muted_steps=muted,
    )
