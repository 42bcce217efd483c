"""A small deployment for the results, admission and export tests (imported by them).

Region 65 with two municipalities: "ys" (schools 1 and 2) and "kor" (school 3); subjects math,
history and physics; school-stage events of "ys" being summed up, a municipal math event of
"ys" open for registration; staff of every kind.
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
from models.olympiad import OlympiadEvent, Registration, Subject, scope_key_for
from models.outbox import Outbox
from models.people import ParentLink, RoleGrant, User
from services.people.identity import Identity

NOW = dt.datetime(2026, 10, 20, 3, 0, tzinfo=dt.UTC)
YEAR = 2026


@dataclass
class World:
    region: Region
    ys: Municipality
    kor: Municipality
    school1: School
    school2: School
    school3: School
    subjects: dict[str, Subject]
    staff: dict[str, Identity] = field(default_factory=dict)
    events: dict[str, OlympiadEvent] = field(default_factory=dict)

    async def person(
        self,
        session: AsyncSession,
        name: str,
        school: School | None,
        grade: int | None = 9,
        *,
        tg_id: int | None = None,
        kind: PersonKind = PersonKind.STUDENT,
    ) -> User:
        user = User(
            full_name=name,
            school_id=school.id if school else None,
            grade=grade,
            kind=kind,
            tg_id=tg_id,
            created_at=NOW,
            locale="ru",
        )
        session.add(user)
        await session.flush()
        return user

    async def staff_member(
        self, session: AsyncSession, key: str, role: Role, tg_id: int, **scope: int
    ) -> Identity:
        user = await self.person(
            session, f"Staff {key}", None, None, tg_id=tg_id, kind=PersonKind.STAFF
        )
        grant = RoleGrant(user_id=user.id, role=role, created_at=NOW, **scope)
        session.add(grant)
        await session.flush()
        # Detached, so that a rolled-back transaction in a test does not expire them.
        session.expunge(grant)
        session.expunge(user)
        self.staff[key] = Identity(user=user, grants=(grant,))
        return self.staff[key]

    async def event(
        self,
        session: AsyncSession,
        key: str,
        subject: str,
        level: Level,
        *,
        status: EventStatus = EventStatus.SUMMARIZING,
        max_score: float | None = 50,
        municipality: Municipality | None = None,
        year: int = YEAR,
        grades: tuple[int, int] = (5, 11),
    ) -> OlympiadEvent:
        muni_id = municipality.id if municipality else None
        event = OlympiadEvent(
            subject_id=self.subjects[subject].id,
            level=level,
            region_id=self.region.id,
            municipality_id=muni_id,
            scope_key=scope_key_for(self.region.id, muni_id),
            school_year=year,
            held_on=dt.date(year, 10, 1),
            grade_min=grades[0],
            grade_max=grades[1],
            status=status,
            max_score=max_score,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(event)
        await session.flush()
        self.events[key] = event
        return event


async def register(
    session: AsyncSession,
    event: OlympiadEvent,
    student: User,
    score: float | None = None,
    grade: int | None = None,
) -> Registration:
    registration = Registration(
        event_id=event.id,
        student_id=student.id,
        grade=grade or student.grade or 9,
        created_at=NOW,
        score=score,
    )
    session.add(registration)
    await session.flush()
    return registration


async def link_parent(session: AsyncSession, parent: User, child: User) -> None:
    session.add(ParentLink(parent_id=parent.id, child_id=child.id, created_at=NOW))
    await session.flush()


async def outbox_texts(session: AsyncSession) -> dict[int, list[str]]:
    """Queued notification texts by recipient user id."""
    found: dict[int, list[str]] = {}
    for row in await session.scalars(select(Outbox).order_by(Outbox.id)):
        found.setdefault(row.user_id, []).append(row.text or "")
    return found


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def build_world(session: AsyncSession) -> World:
    region = Region(
        code="65", name_ru="Сахалинская область", name_en="Sakhalin", timezone="Asia/Sakhalin"
    )
    session.add(region)
    await session.flush()
    ys = Municipality(region_id=region.id, code="ys", name="Южно-Сахалинск")
    kor = Municipality(region_id=region.id, code="kor", name="Корсаков")
    session.add_all([ys, kor])
    await session.flush()
    schools = [
        School(municipality_id=m.id, code=c, name=n)
        for m, c, n in (
            (ys, "s1", "СОШ № 1"),
            (ys, "s2", "Гимназия № 2"),
            (kor, "s3", "СОШ № 3 Корсаков"),
        )
    ]
    session.add_all(schools)
    subjects = {
        code: Subject(code=code, name_ru=ru, name_en=en, sort_order=i)
        for i, (code, ru, en) in enumerate(
            (
                ("math", "Математика", "Mathematics"),
                ("history", "История", "History"),
                ("physics", "Физика", "Physics"),
            )
        )
    }
    session.add_all(subjects.values())
    await session.flush()
    world = World(region, ys, kor, *schools, subjects=subjects)
    await world.staff_member(
        session,
        "curator1",
        Role.CURATOR,
        101,
        school_id=schools[0].id,
        municipality_id=ys.id,
        region_id=region.id,
    )
    await world.staff_member(session, "curator3", Role.CURATOR, 103, school_id=schools[2].id)
    await world.staff_member(
        session, "municipal", Role.MUNICIPAL, 201, municipality_id=ys.id, region_id=region.id
    )
    await world.staff_member(
        session, "municipal_kor", Role.MUNICIPAL, 202, municipality_id=kor.id, region_id=region.id
    )
    await world.staff_member(session, "regional", Role.REGIONAL, 301, region_id=region.id)
    return world


@pytest.fixture
async def world(session: AsyncSession) -> World:
    async with session.begin():
        built = await build_world(session)
    # Detached, so that a test's rollback does not expire the places and people it reuses.
    session.expunge_all()
    return built


@pytest.fixture
def i18n_context() -> Iterator[None]:
    """Notifications render in each recipient's language, as inside the running bot."""
    i18n = build_i18n("ru")
    with i18n.context():
        yield
