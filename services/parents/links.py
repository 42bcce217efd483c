"""Parents and their children: linking by a child's code, managed child profiles, unlinking.

A parent acts for a linked child (catalog, registration, status); a managed profile is a child
under 14 without a Telegram account, created and looked after by the parent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import PersonKind
from models.geo import School
from models.people import ParentLink, User
from reminders.planner import replan_user
from services.errors import Refused
from services.notify import notify
from services.parents.codes import take_code
from services.people.names import tidy_name

MAX_CHILDREN = 10
MIN_NAME, MAX_NAME = 2, 100
GRADES = range(1, 12)


@dataclass(frozen=True)
class ChildInfo:
    id: int
    name: str
    school: str | None
    grade: int | None
    managed: bool


@dataclass(frozen=True)
class ParentInfo:
    id: int
    name: str
    managed: bool


async def children_of(session: AsyncSession, parent_id: int) -> list[ChildInfo]:
    rows = await session.execute(
        select(User.id, User.full_name, School.name, User.grade, ParentLink.managed)
        .join(ParentLink, ParentLink.child_id == User.id)
        .outerjoin(School, School.id == User.school_id)
        .where(ParentLink.parent_id == parent_id)
        .order_by(User.full_name, User.id)
    )
    return [ChildInfo(*row) for row in rows]


async def parents_of_child(session: AsyncSession, child_id: int) -> list[ParentInfo]:
    rows = await session.execute(
        select(User.id, User.full_name, ParentLink.managed)
        .join(ParentLink, ParentLink.parent_id == User.id)
        .where(ParentLink.child_id == child_id)
        .order_by(User.full_name, User.id)
    )
    return [ParentInfo(*row) for row in rows]


async def child_of(session: AsyncSession, parent: User, child_id: int) -> User:
    """The linked child, or a refusal: a forged or stale child id is never acted on."""
    child = await session.scalar(
        select(User)
        .join(ParentLink, ParentLink.child_id == User.id)
        .where(ParentLink.parent_id == parent.id, ParentLink.child_id == child_id)
    )
    if child is None:
        raise Refused("par_not_your_child")
    return child


async def _check_room(session: AsyncSession, parent: User) -> None:
    count = await session.scalar(
        select(func.count()).select_from(ParentLink).where(ParentLink.parent_id == parent.id)
    )
    if (count or 0) >= MAX_CHILDREN:
        raise Refused("par_too_many_children", limit=MAX_CHILDREN)


async def _add_link(
    session: AsyncSession, parent: User, child_id: int, *, managed: bool, now: dt.datetime
) -> None:
    await _check_room(session, parent)
    try:
        async with session.begin_nested():
            session.add(
                ParentLink(parent_id=parent.id, child_id=child_id, managed=managed, created_at=now)
            )
            await session.flush()
    except IntegrityError:
        raise Refused("par_already_linked") from None


async def link_by_code(
    session: AsyncSession, parent: User, code: str, now: dt.datetime, rules: Calendar
) -> User:
    child_id = await take_code(session, code, now)
    if child_id == parent.id:
        raise Refused("par_own_code")
    child = await session.get(User, child_id)
    if child is None:
        raise Refused("par_code_invalid")
    await _add_link(session, parent, child.id, managed=False, now=now)
    await notify(
        session,
        [child.id],
        f"parent-linked:{parent.id}:{child.id}:{now:%Y%m%d%H%M%S}",
        "parents/notify_linked.html",
        now,
        context={"parent_name": parent.full_name},
    )
    await replan_user(session, parent.id, rules, now)
    return child


def clean_name(raw: str) -> str:
    name = tidy_name(raw)
    letters = sum(ch.isalpha() for ch in name)
    if not MIN_NAME <= len(name) <= MAX_NAME or letters < MIN_NAME or not name.isprintable():
        raise Refused("par_bad_name")
    return name


async def create_child(
    session: AsyncSession,
    parent: User,
    name: str,
    school_id: int,
    grade: int,
    now: dt.datetime,
    rules: Calendar,
) -> User:
    """A managed profile: no Telegram account; the parent registers and follows for the child."""
    name = clean_name(name)
    if grade not in GRADES:
        raise Refused("bad_grade")
    if await session.get(School, school_id) is None:
        raise Refused("stale_choice")
    await _check_room(session, parent)
    child = User(
        full_name=name,
        kind=PersonKind.STUDENT,
        school_id=school_id,
        grade=grade,
        locale=parent.locale,
        created_at=now,
        onboarded_at=now,
    )
    session.add(child)
    await session.flush()
    await _add_link(session, parent, child.id, managed=True, now=now)
    await replan_user(session, parent.id, rules, now)
    return child


async def acting_for(session: AsyncSession, me: User, child_id: int) -> User:
    """Whom a screen is about: me (0), or one of my linked children."""
    if child_id in (0, me.id):
        return me
    return await child_of(session, me, child_id)
