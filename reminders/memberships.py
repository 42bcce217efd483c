"""One person's place in the audiences, read in a few queries, for re-planning them alone.

`event_recipients` asks the database per event who is concerned, which suits planning an event
for everyone. For one person across a whole region (a regional coordinator has every event)
that is thousands of queries; here their registrations, children, grants and mutes are read
once and the same audience rules are applied in Python. A test checks that both agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.enums import PersonKind, Role
from models.geo import Municipality, School
from models.olympiad import Registration
from models.outbox import CalendarQuiet, Mute, ReminderPreference
from models.people import ParentLink, RoleGrant, User
from reminders.audience import prefs_of
from reminders.calendar_quiet import OLYMPIAD, quiet_columns
from reminders.roles import Memberships, Place, Pupil

_PLACE = (School.id, School.timezone, School.municipality_id, Municipality.region_id)


def _place(row: Sequence[Any]) -> Place | None:
    school_id, zone, municipality_id, region_id = row
    if school_id is None or municipality_id is None or region_id is None:
        return None
    return Place(school_id, zone, municipality_id, region_id)


async def memberships(session: AsyncSession, user_id: int) -> Memberships | None:
    me = (await session.execute(
        select(User.tg_id, User.timezone, User.kind, User.grade, *_PLACE,
               ReminderPreference.offsets, *quiet_columns(), ReminderPreference.digest_at)
        .outerjoin(School, User.school_id == School.id)
        .outerjoin(Municipality, School.municipality_id == Municipality.id)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .outerjoin(CalendarQuiet, and_(CalendarQuiet.user_id == User.id,
                                       CalendarQuiet.calendar == OLYMPIAD))
        .where(User.id == user_id)
    )).one_or_none()  # fmt: skip
    if me is None:
        return None
    tg_id, zone, kind, grade, *rest = me
    pupil = Pupil(_place(rest[:4]), grade, kind == PersonKind.STUDENT)
    found = Memberships(user_id, tg_id is not None, zone, prefs_of(*rest[4:]), pupil)
    await _family(session, found)
    await _grants(session, found)
    await _mutes(session, found)
    return found


async def _family(session: AsyncSession, found: Memberships) -> None:
    children = await session.execute(
        select(User.id, User.kind, User.grade, *_PLACE)
        .join(ParentLink, ParentLink.child_id == User.id)
        .outerjoin(School, User.school_id == School.id)
        .outerjoin(Municipality, School.municipality_id == Municipality.id)
        .where(ParentLink.parent_id == found.user_id)
    )
    pupils = {found.user_id: found.me}
    for child_id, kind, grade, *place in children:
        pupils[child_id] = Pupil(_place(place), grade, kind == PersonKind.STUDENT)
        found.children.append(pupils[child_id])
    registrations = await session.execute(
        select(Registration.student_id, Registration.event_id, Registration.grade).where(
            Registration.student_id.in_(list(pupils))
        )
    )
    for student_id, event_id, grade in registrations:
        pupils[student_id].registered[event_id] = grade


async def _grants(session: AsyncSession, found: Memberships) -> None:
    granted = aliased(Municipality)
    grants = await session.execute(
        select(
            RoleGrant.role,
            RoleGrant.region_id,
            RoleGrant.municipality_id,
            granted.region_id,
            *_PLACE,
        )
        .outerjoin(granted, RoleGrant.municipality_id == granted.id)
        .outerjoin(School, RoleGrant.school_id == School.id)
        .outerjoin(Municipality, School.municipality_id == Municipality.id)
        .where(RoleGrant.user_id == found.user_id, RoleGrant.revoked_at.is_(None))
    )
    for role, region_id, municipality_id, muni_region, *place in grants:
        if role == Role.CURATOR and (school := _place(place)) is not None:
            found.curator_of.append(school)
        elif role == Role.MUNICIPAL and municipality_id is not None:
            found.municipal[municipality_id] = muni_region
        elif role == Role.REGIONAL and region_id is not None:
            found.regional.add(region_id)


async def _mutes(session: AsyncSession, found: Memberships) -> None:
    for target in await session.scalars(select(Mute.target).where(Mute.user_id == found.user_id)):
        kind, _, rest = target.partition(":")
        if kind == "event":
            found.muted_events.add(int(rest))
        elif kind == "step":
            found.muted_steps.setdefault(None, set()).add(rest)
        elif kind == "done":
            event_id, _, code = rest.partition(":")
            found.muted_steps.setdefault(int(event_id), set()).add(code)
