"""Everything the bot holds about a person, gathered for them to read (see personal_data_erase
for deleting it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import Base
from models.enums import Role
from models.geo import Municipality, Region, School
from models.people import RoleGrant, User
from reminders.calendar_quiet import quiet_by_calendar
from reminders.quiet import QuietHours
from services.catalog.my_status import StatusPage, status_page
from services.parents.links import ChildInfo, ParentInfo, children_of, parents_of_child
from services.people.onboarding import Profile, profile

# Shown on their own screens above; the rest are counted per table.
_SHOWN = frozenset(
    {"user_account", "registration", "role_grant", "parent_link", "calendar_quiet_hours"}
)
REGISTRATIONS_SHOWN = 30


@dataclass(frozen=True)
class RoleLine:
    role: Role
    place: str | None
    granted_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class PersonalData:
    profile: Profile
    tg_id: int | None
    locale: str | None
    created_at: dt.datetime
    roles: list[RoleLine]
    parents: list[ParentInfo]
    children: list[ChildInfo]
    registrations: StatusPage
    calendar_quiet: list[tuple[str, QuietHours]]  # (calendar code, own quiet hours), by code
    other: dict[str, int]  # table name → rows there that name the person


async def _roles(session: AsyncSession, user_id: int, locale: str) -> list[RoleLine]:
    region = Region.name_en if locale == "en" else Region.name_ru
    rows = await session.execute(
        select(RoleGrant, School.name, Municipality.name, region)
        .outerjoin(School, School.id == RoleGrant.school_id)
        .outerjoin(Municipality, Municipality.id == RoleGrant.municipality_id)
        .outerjoin(Region, Region.id == RoleGrant.region_id)
        .where(RoleGrant.user_id == user_id)
        .order_by(RoleGrant.created_at)
    )
    return [
        RoleLine(
            Role(grant.role),
            school or municipality or region_name,
            grant.created_at,
            grant.revoked_at,
        )
        for grant, school, municipality, region_name in rows
    ]


def _person_columns() -> list[tuple[Table, list[Any]]]:
    """Every other table with a column that points at a person (found from the metadata, so
    that tables added later are listed too)."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in _SHOWN:
            continue
        columns = [
            column
            for column in table.columns
            if any(fk.column.table.name == "user_account" for fk in column.foreign_keys)
            or (column.name == "user_id" and not column.foreign_keys)
        ]
        if columns:
            found.append((table, columns))
    return found


async def _other_records(session: AsyncSession, user_id: int) -> dict[str, int]:
    tables = _person_columns()
    counts = [
        select(func.count())
        .select_from(table)
        .where(or_(*(column == user_id for column in columns)))
        .scalar_subquery()
        .label(table.name)
        for table, columns in tables
    ]
    row = (await session.execute(select(*counts))).one()
    return {table.name: int(n) for (table, _), n in zip(tables, row, strict=True) if n}


async def collect(
    session: AsyncSession, user: User, now: dt.datetime, locale: str, default_zone: str
) -> PersonalData:
    return PersonalData(
        profile=await profile(session, user, locale, default_zone),
        tg_id=user.tg_id,
        locale=user.locale,
        created_at=user.created_at,
        roles=await _roles(session, user.id, locale),
        parents=await parents_of_child(session, user.id),
        children=await children_of(session, user.id),
        registrations=await status_page(session, user, now, locale, 0, REGISTRATIONS_SHOWN),
        calendar_quiet=sorted((await quiet_by_calendar(session, user.id)).items()),
        other=await _other_records(session, user.id),
    )
