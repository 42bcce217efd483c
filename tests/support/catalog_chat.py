"""Catalog helpers for conversations: enrol a student, link a parent, find an event, press."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from aiogram import Router
from sqlalchemy import select

from bot.app import App
from handlers import (
    catalog,
    catalog_card,
    fresh_copy,
    get_routers,
    my_status,
    parents,
    parents_create,
    parents_link,
    personal_data,
)
from models.enums import Level, PersonKind
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Subject
from models.people import ParentLink, User
from offline.api_server import FakeBotAPI
from offline.methods import CallbackQueryInfo
from tests.support.chat import Reply

_queries = itertools.count(7_100_000_000_000_000_001)


@pytest.fixture
def extra_routers() -> list[Router]:
    """The routers of this feature until they are wired into handlers/__init__.py."""
    routers = [
        catalog.router,
        catalog_card.router,
        my_status.router,
        parents.router,
        parents_link.router,
        parents_create.router,
        personal_data.router,
    ]
    wired = {router.name for router in get_routers()}
    return [fresh_copy(router) for router in routers if router.name not in wired]


async def enrol(
    app: App,
    tg_id: int | None,
    *,
    name: str = "Аня Петрова",
    kind: PersonKind = PersonKind.STUDENT,
    grade: int | None = 7,
    school: str = "sosh1",
    locale: str | None = None,
) -> User:
    """A person who has been through /start (onboarding has its own tests)."""
    async with app.sessionmaker() as session, session.begin():
        school_id = await session.scalar(select(School.id).where(School.code == school))
        user = User(
            tg_id=tg_id,
            full_name=name,
            kind=kind,
            school_id=school_id,
            grade=grade,
            locale=locale,
            created_at=app.clock.now(),
            onboarded_at=app.clock.now(),
        )
        session.add(user)
    return user


async def link(app: App, parent: User, child: User, managed: bool = False) -> None:
    async with app.sessionmaker() as session, session.begin():
        session.add(
            ParentLink(
                parent_id=parent.id, child_id=child.id, managed=managed, created_at=app.clock.now()
            )
        )


async def event_id(app: App, subject: str, level: Level = Level.SCHOOL) -> int:
    async with app.sessionmaker() as session:
        found = await session.scalar(
            select(OlympiadEvent.id)
            .join(Subject)
            .where(Subject.code == subject, OlympiadEvent.level == level)
        )
    assert found is not None
    return found


async def press(fake_api: FakeBotAPI, user_id: int, data: str) -> Reply:
    """A button press with any callback data, as a modified client or an old message sends."""
    message = fake_api.latest_keyboard_message(user_id)
    query_id = str(next(_queries))
    fake_api.core.callback_queries[query_id] = CallbackQueryInfo(
        user_id=user_id, message_id=message.message_id, data=data
    )
    body = {
        "id": query_id,
        "from": fake_api.user(user_id).as_user(),
        "message": fake_api.core.message_api(message),
        "chat_instance": "1",
        "data": data,
    }
    result = await fake_api.wait_processed(fake_api.queue_update("callback_query", body))
    messages = [c.message for c in result.calls if c.ok and c.message and c.chat_id == user_id]
    return Reply(result=result, messages=messages)


async def more_events(app: App, count: int) -> None:
    """School events in more subjects of the demo municipality, held in late October."""
    async with app.sessionmaker() as session, session.begin():
        town = (await session.scalars(select(Municipality))).first()
        assert town is not None
        taken = select(OlympiadEvent.subject_id).where(OlympiadEvent.level == Level.SCHOOL)
        free = (
            await session.scalars(
                select(Subject).where(Subject.id.not_in(taken)).order_by(Subject.sort_order)
            )
        ).all()
        now = app.clock.now()
        for n, subject in enumerate(free[:count]):
            session.add(
                OlympiadEvent(
                    subject_id=subject.id,
                    level=Level.SCHOOL,
                    region_id=town.region_id,
                    municipality_id=town.id,
                    scope_key=f"m{town.id}",
                    school_year=2026,
                    held_on=dt.date(2026, 10, 22) + dt.timedelta(days=n),
                    grade_min=5,
                    grade_max=11,
                    created_at=now,
                    updated_at=now,
                )
            )
