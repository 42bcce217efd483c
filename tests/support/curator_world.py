"""The demo school world for the curator and claim tests.

Two schools of the demo municipality (А = СОШ № 1, Б = Гимназия № 1) and a school of another
municipality, the demo events, and helpers to add students and curators.
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
from models.enums import Level, PersonKind, Role
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import RoleGrant, User
from services.people.identity import Identity
from services.reference.demo import load_demo
from services.reference.loader import ReferenceData
from tests.support.reference import demo, reference

NOW = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)  # 10:00 on 6 Oct in Yuzhno-Sakhalinsk


@pytest.fixture
def i18n_context() -> Iterator[None]:
    """Notifications render in each recipient's language, as inside the bot."""
    with build_i18n("ru").context():
        yield


@dataclass(frozen=True)
class World:
    ref: ReferenceData
    school_a: int
    school_b: int
    school_far: int  # in another municipality
    events: dict[tuple[str, Level], int]


async def build_world(session: AsyncSession) -> World:
    ref = reference()
    await load_demo(session, demo(), ref, NOW.date(), NOW)
    schools = {s.code: s for s in (await session.scalars(select(School))).all()}
    home = await session.get(Municipality, schools["sosh1"].municipality_id)
    assert home is not None
    far = Municipality(region_id=home.region_id, code="far", name="Дальний район")
    session.add(far)
    await session.flush()
    far_school = School(municipality_id=far.id, code="far1", name="СОШ села Дальнее")
    session.add(far_school)
    await session.flush()
    rows = await session.execute(
        select(Subject.code, OlympiadEvent.level, OlympiadEvent.id).join(
            Subject, Subject.id == OlympiadEvent.subject_id
        )
    )
    events = {(code, Level(level)): event_id for code, level, event_id in rows}
    await session.commit()
    return World(ref, schools["sosh1"].id, schools["gym1"].id, far_school.id, events)


async def add_student(
    session: AsyncSession,
    school_id: int,
    grade: int,
    name: str,
    *,
    tg_id: int | None = None,
) -> User:
    student = User(
        tg_id=tg_id,
        full_name=name,
        kind=PersonKind.STUDENT,
        school_id=school_id,
        grade=grade,
        created_at=NOW,
        onboarded_at=NOW if tg_id is not None else None,
    )
    session.add(student)
    await session.flush()
    return student


async def add_curator(session: AsyncSession, school_id: int, tg_id: int = 500) -> Identity:
    user = User(tg_id=tg_id, full_name="Куратор", kind=PersonKind.STAFF, created_at=NOW)
    session.add(user)
    await session.flush()
    grant = RoleGrant(user_id=user.id, role=Role.CURATOR, school_id=school_id, created_at=NOW)
    session.add(grant)
    await session.flush()
    return Identity(user=user, grants=(grant,))


async def counts(session: AsyncSession) -> tuple[int, int, int]:
    """Users, registrations and audit entries: what a refused or failed action must not change."""
    users = await session.scalar(select(func.count()).select_from(User))
    regs = await session.scalar(select(func.count()).select_from(Registration))
    audits = await session.scalar(select(func.count()).select_from(AuditEntry))
    return int(users or 0), int(regs or 0), int(audits or 0)


async def registered_names(session: AsyncSession, event_id: int) -> list[str]:
    rows = await session.scalars(
        select(User.full_name)
        .join(Registration, Registration.student_id == User.id)
        .where(Registration.event_id == event_id)
        .order_by(User.full_name)
    )
    return list(rows)
