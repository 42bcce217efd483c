"""A flood of updates from one person is cut down; other people are not affected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import models
from bot.app import App, build_app
from calendars.clock import FixedClock
from offline.api_server import FakeBotAPI
from tests.support.app import make_settings
from tests.support.chat import ChatDriver


@pytest.fixture
async def slow_app(fake_api: FakeBotAPI, tmp_path: Path, clock: FixedClock) -> AsyncIterator[App]:
    app = await build_app(
        make_settings(fake_api, tmp_path, throttle_rate=30.0), clock=clock, migrate=False
    )
    async with app.engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    async with fake_api.run_polling(app.dp, app.bot):
        yield app
    await app.close()


async def test_flood_is_dropped_per_person(slow_app: App, fake_api: FakeBotAPI) -> None:
    flooder = ChatDriver(fake_api, 4001)
    other = ChatDriver(fake_api, 4002)
    first = await flooder.send("/help")
    second = await flooder.send("/help")
    assert first.messages and not second.messages
    assert (await other.send("/help")).messages


async def test_flooded_button_gets_a_toast(slow_app: App, fake_api: FakeBotAPI) -> None:
    chat = ChatDriver(fake_api, 4003)
    await chat.send("/start")  # a message: the callback window is separate
    await chat.click("Русский")
    reply = await chat.click("Я ученик")
    assert reply.alert == "Слишком быстро, подождите секунду."
