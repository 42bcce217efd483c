"""A deployment for the stage, status, editing and overview tests (imported by them).

The demo deployment (region 65, municipality "ys" with four schools, its school-stage and
municipal events dated from 6 October 2026), plus a second municipality "kor" with one school,
the reference subjects, and staff of every kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import build_i18n
from models.enums import EventStatus, Level, PersonKind, Role
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.outbox import Outbox, OutboxKind
from models.people import ParentLink, RoleGrant, User
from services.people.identity import Identity
from services.reference.demo import load_demo
from tests.support.reference import demo, reference

NOW = dt.datetime(2026, 10, 5, 23, 0, tzinfo=dt.UTC)  # 6 October, 10:00 in Sakhalin
REF = reference()


@dataclass
class StageWorld:
    region_id: int
    ys_id: int
    kor_id: int
    schools: list[int]  # four schools of "ys", then the school of "kor"
    subjects: dict[str, int]
    staff: dict[str, Identity] = field(default_factory=dict)

    async def person(
        self,
        session: AsyncSession,
        name: str,
        *,
        school_id: int | None = None,
        grade: int | None = 9,
        tg_id: int | None = None,
        kind: PersonKind = PersonKind.STUDENT,
        locale: str = "ru",
    ) -> User:
        user = User(
            full_name=name,
            school_id=school_id,
            grade=grade,
            kind=kind,
            tg_id=tg_id,
            created_at=NOW,
            locale=locale,
        )
        session.add(user)
        await session.flush()
        return user

    async def staff_member(
        self, session: AsyncSession, key: str, role: Role, tg_id: int, **scope: int
    ) -> Identity:
        user = await self.person(
            session, f"Staff {key}", grade=None, tg_id=tg_id, kind=PersonKind.STAFF
        )
        grant = RoleGrant(user_id=user.id, role=role, created_at=NOW, **scope)
        session.add(grant)
        await session.flush()
        # Detached, so that a rolled-back transaction in a test does not expire them.
        session.expunge(grant)
        session.expunge(user)
        self.staff[key] = Identity(user=user, grants=(grant,))
        return self.staff[key]

    async def event_id(self, session: AsyncSession, subject: str, level: Level) -> int:
        found = await session.scalar(
            select(OlympiadEvent.id).where(
                OlympiadEvent.subject_id == self.subjects[subject], OlympiadEvent.level == level
            )
        )
        assert found is not None
        return found


async def register(
    session: AsyncSession, event_id: int, student: User, *, score: float | None = None
) -> None:
    session.add(
        Registration(
            event_id=event_id,
            student_id=student.id,
            grade=student.grade or 9,
            created_at=NOW,
            score=score,
        )
    )
    await session.flush()


async def link_parent(session: AsyncSession, parent: User, child: User) -> None:
    session.add(ParentLink(parent_id=parent.id, child_id=child.id, created_at=NOW))
    await session.flush()


async def messages(session: AsyncSession) -> dict[int, list[str]]:
    """Queued notification texts by recipient user id."""
    found: dict[int, list[str]] = {}
    query = select(Outbox).where(Outbox.kind == OutboxKind.MESSAGE).order_by(Outbox.id)
    for row in await session.scalars(query):
        found.setdefault(row.user_id, []).append(row.text or "")
    return found


async def statuses(session: AsyncSession) -> dict[int, EventStatus]:
    rows = await session.execute(select(OlympiadEvent.id, OlympiadEvent.status))
    return {event_id: EventStatus(status) for event_id, status in rows}


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def build_world(session: AsyncSession) -> StageWorld:
    await load_demo(session, demo(), REF, NOW.date(), NOW)
    region = (await session.scalars(select(Region).where(Region.code == "65"))).one()
    ys = (await session.scalars(select(Municipality).where(Municipality.code == "ys"))).one()
    kor = Municipality(region_id=region.id, code="kor", name="Корсаковский городской округ")
    session.add(kor)
    await session.flush()
    session.add(School(municipality_id=kor.id, code="k1", name="СОШ № 1 г. Корсакова"))
    await session.flush()
    schools = list(await session.scalars(select(School.id).order_by(School.id)))
    subjects = {code: sid for code, sid in await session.execute(select(Subject.code, Subject.id))}
    world = StageWorld(region.id, ys.id, kor.id, schools, subjects)
    await world.staff_member(
        session, "municipal", Role.MUNICIPAL, 201, municipality_id=ys.id, region_id=region.id
    )
    await world.staff_member(
        session, "municipal_kor", Role.MUNICIPAL, 202, municipality_id=kor.id, region_id=region.id
    )
    await world.staff_member(session, "regional", Role.REGIONAL, 301, region_id=region.id)
    await world.staff_member(session, "curator", Role.CURATOR, 101, school_id=schools[0])
    return world


@pytest.fixture
async def world(session: AsyncSession) -> StageWorld:
    async with session.begin():
        return await build_world(session)


@pytest.fixture
def i18n_context() -> Iterator[None]:
    """Notifications render in each recipient's language, as inside the running bot."""
    i18n = build_i18n("ru")
    with i18n.context():
        yield
