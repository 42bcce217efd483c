"""Fixtures of the school curator's conversations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aiogram import Router
from sqlalchemy import func, select

from bot.app import App
from models.audit import AuditEntry
from models.enums import Level, PersonKind, Role
from models.geo import School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from tests.support.app import grant


@pytest.fixture
def extra_routers(monkeypatch: pytest.MonkeyPatch) -> list[Router]:
    """The curator routers, before /start (the claim deep link) as they are to be wired."""
    import bot.app
    from handlers import curator, curator_claim, curator_register, curator_upload, fresh_copy

    wired = bot.app.get_routers
    ours = (curator_claim.router, curator.router, curator_register.router, curator_upload.router)

    def routers() -> list[Router]:
        found = wired()
        names = {r.name for r in found}
        mine = [fresh_copy(r) for r in ours if r.name not in names]
        start = next(i for i, r in enumerate(found) if r.name == "handlers.start")
        return [*found[:start], *mine, *found[start:]]

    monkeypatch.setattr(bot.app, "get_routers", routers)
    return []


@dataclass(frozen=True)
class Schools:
    a: int  # МАОУ СОШ № 1
    b: int  # МАОУ Гимназия № 1
    math: int  # the school-stage mathematics event


async def schools(app: App) -> Schools:
    async with app.sessionmaker() as session:
        codes = {s.code: s.id for s in await session.scalars(select(School))}
        math = await session.scalar(
            select(OlympiadEvent.id)
            .join(Subject, Subject.id == OlympiadEvent.subject_id)
            .where(Subject.code == "math", OlympiadEvent.level == Level.SCHOOL)
        )
    assert math is not None
    return Schools(codes["sosh1"], codes["gym1"], math)


async def curator_of(app: App, tg_id: int, school_id: int) -> User:
    return await grant(app, tg_id, Role.CURATOR, school_id=school_id, name="Ольга Куратор")


async def add_students(
    app: App, school_id: int, grade: int, names: list[str], tg_ids: list[int | None] | None = None
) -> list[int]:
    ids = []
    async with app.sessionmaker() as session, session.begin():
        for name, tg_id in zip(names, tg_ids or [None] * len(names), strict=True):
            student = User(
                tg_id=tg_id,
                full_name=name,
                kind=PersonKind.STUDENT,
                school_id=school_id,
                grade=grade,
                created_at=app.clock.now(),
                onboarded_at=app.clock.now(),
            )
            session.add(student)
            await session.flush()
            ids.append(student.id)
    return ids


async def registered(app: App, event_id: int) -> list[str]:
    async with app.sessionmaker() as session:
        rows = await session.scalars(
            select(User.full_name)
            .join(Registration, Registration.student_id == User.id)
            .where(Registration.event_id == event_id)
            .order_by(User.full_name)
        )
        return list(rows)


async def db_counts(app: App) -> tuple[int, int, int]:
    """Users, registrations, audit entries: what a refused action must leave as it was."""
    async with app.sessionmaker() as session:
        users = await session.scalar(select(func.count()).select_from(User))
        regs = await session.scalar(select(func.count()).select_from(Registration))
        audits = await session.scalar(select(func.count()).select_from(AuditEntry))
    return int(users or 0), int(regs or 0), int(audits or 0)
