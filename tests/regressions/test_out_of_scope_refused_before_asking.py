"""A forged results or winners-list button of another municipality asked for a value
(«Пришлите максимальный балл…») and refused only after it was sent; and on an event not in
«Подведение итогов» the refusal named its status. The scope is now checked first.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import update

from bot.app import App
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent
from offline.api_server import FakeBotAPI
from tests.support.catalog_chat import event_id, press
from tests.support.chat import ChatDriver, Reply
from tests.support.staff_chat import Places, person_as, places
from ui.callbacks.results import AdmAct, AdmCb, ResAct, ResCb

FORBIDDEN = "У вас нет прав на это действие."


async def _elsewhere(app: App, where: Places, status: EventStatus) -> int:
    """The demo's school mathematics, moved to a municipality of another region."""
    math = await event_id(app, "math", Level.SCHOOL)
    async with app.sessionmaker() as session, session.begin():
        await session.execute(
            update(OlympiadEvent)
            .where(OlympiadEvent.id == math)
            .values(
                region_id=where.other_region,
                municipality_id=where.other_municipality,
                status=status,
            )
        )
    return math


async def _state(app: App, fake_api: FakeBotAPI, user_id: int) -> str | None:
    key = StorageKey(bot_id=app.bot.id, chat_id=user_id, user_id=user_id)
    return await app.dp.storage.get_state(key)


def _refused_without_asking(reply: Reply) -> None:
    assert reply.alert == FORBIDDEN
    assert not any("Пришлите" in text for text in reply.texts), reply.texts


@pytest.mark.parametrize("status", [EventStatus.SUMMARIZING, EventStatus.CONDUCTING])
@pytest.mark.parametrize("act", [ResAct.MAX, ResAct.PASSING])
async def test_results_setting_of_another_municipality(
    app: App,
    make_chat: Callable[..., ChatDriver],
    fake_api: FakeBotAPI,
    status: EventStatus,
    act: ResAct,
) -> None:
    where = await places(app)
    coordinator, _me = await person_as(app, make_chat, "municipal", where)
    math = await _elsewhere(app, where, status)
    await coordinator.send("/results")
    reply = await press(fake_api, coordinator.user_id, ResCb(act=act, event_id=math).pack())
    _refused_without_asking(reply)  # and not «Results are entered only while…»: not theirs
    assert await _state(app, fake_api, coordinator.user_id) is None


async def test_last_years_winners_of_another_municipality(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI
) -> None:
    where = await places(app)
    coordinator, _me = await person_as(app, make_chat, "municipal", where)
    await coordinator.send("/admit")
    data = AdmCb(act=AdmAct.AWARDS, level="municipal", scope_id=where.other_municipality)
    reply = await press(fake_api, coordinator.user_id, data.pack())
    assert reply.alert and reply.alert.startswith("Этот список формируете не вы")
    assert not reply.texts
    assert await _state(app, fake_api, coordinator.user_id) is None
