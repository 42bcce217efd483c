"""A small world for the staff, invitation and audit tests.

Region «Север» (Asia/Sakhalin) holds municipalities «Город» (schools №1, №2) and «Село» (one
school); region «Юг» (Asia/Tomsk) holds «Порт» with one school: out of everyone's scope but
the admin's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import build_i18n
from models.audit import AuditEntry
from models.enums import PersonKind, Role
from models.geo import Municipality, Region, School
from models.invitations import Invitation
from models.outbox import Outbox, OutboxKind
from models.people import RoleGrant, User
from services.people.identity import Identity
from services.scopes import Scope

NOW = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)  # 10:00 on 6 Oct in Yuzhno-Sakhalinsk
ADMIN_TG = 900


@pytest.fixture
def i18n_context() -> Iterator[None]:
    """Notifications render in each recipient's language, as inside the bot."""
    with build_i18n("ru").context():
        yield


@dataclass(frozen=True)
class World:
    north: int
    south: int
    city: int  # in the north
    village: int  # in the north
    port: int  # in the south
    school1: int  # city
    school2: int  # city
    village_school: int
    port_school: int

    def school(self, school_id: int) -> Scope:
        muni = {self.school1: self.city, self.school2: self.city}.get(
            school_id, self.village if school_id == self.village_school else self.port
        )
        return Scope(self.region_of(muni), muni, school_id)

    def muni(self, municipality_id: int) -> Scope:
        return Scope(self.region_of(municipality_id), municipality_id)

    def region_of(self, municipality_id: int) -> int:
        return self.south if municipality_id == self.port else self.north


async def build_world(session: AsyncSession) -> World:
    north = Region(code="n", name_ru="Север", name_en="North", timezone="Asia/Sakhalin")
    south = Region(code="s", name_ru="Юг", name_en="South", timezone="Asia/Tomsk")
    session.add_all([north, south])
    await session.flush()
    city = Municipality(region_id=north.id, code="city", name="Город")
    village = Municipality(region_id=north.id, code="vil", name="Село")
    port = Municipality(region_id=south.id, code="port", name="Порт")
    session.add_all([city, village, port])
    await session.flush()
    schools = [
        School(municipality_id=city.id, code="s1", name="Школа № 1"),
        School(municipality_id=city.id, code="s2", name="Школа № 2"),
        School(municipality_id=village.id, code="v1", name="Сельская школа"),
        School(municipality_id=port.id, code="p1", name="Портовая школа"),
    ]
    session.add_all(schools)
    await session.flush()
    await session.commit()
    return World(north.id, south.id, city.id, village.id, port.id, *(s.id for s in schools))


async def person(
    session: AsyncSession, tg_id: int, name: str, kind: PersonKind | None = None
) -> User:
    user = User(tg_id=tg_id, full_name=name, kind=kind, created_at=NOW)
    session.add(user)
    await session.flush()
    return user


async def staff(
    session: AsyncSession,
    tg_id: int,
    name: str,
    role: Role,
    scope: Scope,
    granted_by: int | None = None,
) -> Identity:
    """A person holding `role`; the grant keeps only the narrowest id, as often stored."""
    user = await person(session, tg_id, name, PersonKind.STAFF)
    narrow = {
        Role.CURATOR: Scope(school_id=scope.school_id),
        Role.MUNICIPAL: Scope(municipality_id=scope.municipality_id),
    }.get(role, scope)
    grant = RoleGrant(
        user_id=user.id,
        role=role,
        region_id=narrow.region_id,
        municipality_id=narrow.municipality_id,
        school_id=narrow.school_id,
        granted_by_id=granted_by,
        created_at=NOW,
    )
    session.add(grant)
    await session.flush()
    return Identity(user, grants=(grant,))


async def admin(session: AsyncSession) -> Identity:
    return Identity(await person(session, ADMIN_TG, "Админ", PersonKind.STAFF), is_admin=True)


async def count(session: AsyncSession, table: type[object]) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def snapshot(session: AsyncSession) -> tuple[int, ...]:
    """Rows a refused action must not add: grants, invitations, audit entries, outbox."""
    return (
        await count(session, RoleGrant),
        await count(session, Invitation),
        await count(session, AuditEntry),
        await count(session, Outbox),
    )


async def outbox_texts(session: AsyncSession, user_id: int) -> list[str]:
    """The messages queued for a user (not the menu-button changes queued beside them)."""
    rows = await session.scalars(
        select(Outbox.text).where(Outbox.user_id == user_id, Outbox.kind == OutboxKind.MESSAGE)
    )
    return [text or "" for text in rows]
