"""Onboarding choices: language, who the person is, region → municipality → school → grade."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import PersonKind
from models.geo import Municipality, Region, School
from models.people import User
from services.errors import Refused

PAGE_SIZE = 8
SUPPORTED_KINDS = (PersonKind.STUDENT, PersonKind.PARENT)
GRADES = tuple(range(1, 12))


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class Page:
    items: tuple[Choice, ...]
    page: int
    pages: int
    parent_id: int = 0


def _paginate(items: list[Choice], page: int, parent_id: int = 0) -> Page:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE_SIZE
    return Page(tuple(items[start : start + PAGE_SIZE]), page, pages, parent_id)


def set_locale(user: User, locale: str, supported: tuple[str, ...]) -> None:
    if locale not in supported:
        raise Refused("unknown_locale")
    user.locale = locale


def set_kind(user: User, kind: str) -> None:
    if kind not in {k.value for k in SUPPORTED_KINDS}:
        raise Refused("unknown_kind")
    user.kind = PersonKind(kind)


async def regions_page(session: AsyncSession, page: int, locale: str) -> Page:
    """Regions where the deployment has schools: the others lead nowhere."""
    name = Region.name_en if locale == "en" else Region.name_ru
    rows = await session.execute(
        select(Region.id, name)
        .join(Municipality, Municipality.region_id == Region.id)
        .join(School, School.municipality_id == Municipality.id)
        .group_by(Region.id, name)
        .order_by(name)
    )
    return _paginate([Choice(rid, rname) for rid, rname in rows], page)


async def municipalities_page(session: AsyncSession, region_id: int, page: int) -> Page:
    if await session.get(Region, region_id) is None:
        raise Refused("stale_choice")
    rows = await session.execute(
        select(Municipality.id, Municipality.name)
        .join(School, School.municipality_id == Municipality.id)
        .where(Municipality.region_id == region_id)
        .group_by(Municipality.id, Municipality.name)
        .order_by(Municipality.name)
    )
    return _paginate([Choice(mid, mname) for mid, mname in rows], page, region_id)


async def schools_page(session: AsyncSession, municipality_id: int, page: int) -> Page:
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise Refused("stale_choice")
    rows = await session.execute(
        select(School.id, School.name)
        .where(School.municipality_id == municipality_id)
        .order_by(School.name)
    )
    return _paginate([Choice(sid, sname) for sid, sname in rows], page, municipality_id)


async def set_school(session: AsyncSession, user: User, school_id: int) -> School:
    school = await session.get(School, school_id)
    if school is None:
        raise Refused("stale_choice")
    user.school_id = school.id
    return school


async def set_grade(user: User, grade: int, now: datetime) -> None:
    if grade not in GRADES:
        raise Refused("bad_grade")
    if user.school_id is None:
        raise Refused("no_school")
    user.grade = grade
    user.onboarded_at = user.onboarded_at or now


@dataclass(frozen=True)
class Profile:
    name: str
    kind: PersonKind | None
    school: str | None
    municipality: str | None
    region: str | None
    grade: int | None
    timezone: str


async def profile(session: AsyncSession, user: User, locale: str, zone: str) -> Profile:
    """What the bot holds about the person; `zone` is the one they read times in (the Viewer's)."""
    row = None
    if user.school_id is not None:
        region_name = Region.name_en if locale == "en" else Region.name_ru
        row = (
            await session.execute(
                select(School.name, Municipality.name, region_name)
                .join(Municipality, School.municipality_id == Municipality.id)
                .join(Region, Municipality.region_id == Region.id)
                .where(School.id == user.school_id)
            )
        ).one_or_none()
    return Profile(
        name=user.full_name,
        kind=user.kind,
        school=row[0] if row else None,
        municipality=row[1] if row else None,
        region=row[2] if row else None,
        grade=user.grade,
        timezone=zone,
    )


async def municipality(session: AsyncSession, municipality_id: int) -> Municipality:
    found = await session.get(Municipality, municipality_id)
    if found is None:
        raise Refused("stale_choice")
    return found
