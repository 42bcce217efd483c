"""Shared pieces of the results, admission and export conversation tests.

- `extra_routers`: the results, admission and export routers, unless already wired;
- `add_student` / `register`: people and registrations written straight into the demo database;
- `event_id`: a demo event by subject code and level.
"""

from __future__ import annotations

import pytest
from aiogram import Router
from sqlalchemy import select

from bot.app import App
from models.enums import Level, PersonKind
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import ParentLink, User


@pytest.fixture
def extra_routers() -> list[Router]:
    from handlers import admission, exports, fresh_copy, get_routers, results

    wired = {router.name for router in get_routers()}
    ours = (results.router, admission.router, exports.router)
    return [fresh_copy(r) for r in ours if r.name not in wired]


async def event_id(app: App, subject: str, level: Level) -> int:
    async with app.sessionmaker() as session:
        found = await session.scalar(
            select(OlympiadEvent.id)
            .join(Subject, OlympiadEvent.subject_id == Subject.id)
            .where(Subject.code == subject, OlympiadEvent.level == level)
        )
        assert found is not None
        return found


async def add_student(
    app: App, name: str, school_id: int, grade: int, tg_id: int | None = None
) -> int:
    async with app.sessionmaker() as session, session.begin():
        user = User(
            full_name=name, school_id=school_id, grade=grade, kind=PersonKind.STUDENT,
            tg_id=tg_id, created_at=app.clock.now(), onboarded_at=app.clock.now(),
        )  # fmt: skip
        session.add(user)
        await session.flush()
        return user.id


async def add_parent(app: App, child_id: int, tg_id: int) -> int:
    async with app.sessionmaker() as session, session.begin():
        parent = User(full_name="Родитель", kind=PersonKind.PARENT, tg_id=tg_id,
                      created_at=app.clock.now())  # fmt: skip
        session.add(parent)
        await session.flush()
        session.add(ParentLink(parent_id=parent.id, child_id=child_id, created_at=app.clock.now()))
        return parent.id


async def register(
    app: App, event: int, student_id: int, grade: int, score: float | None = None
) -> int:
    async with app.sessionmaker() as session, session.begin():
        reg = Registration(event_id=event, student_id=student_id, grade=grade, score=score,
                           created_at=app.clock.now())  # fmt: skip
        session.add(reg)
        await session.flush()
        return reg.id


async def score_of(app: App, reg_id: int) -> float | None:
    async with app.sessionmaker() as session:
        return await session.scalar(select(Registration.score).where(Registration.id == reg_id))


async def set_score(app: App, reg_id: int, score: float) -> None:
    async with app.sessionmaker() as session, session.begin():
        registration = await session.get(Registration, reg_id)
        assert registration is not None
        registration.score = score
