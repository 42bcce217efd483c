"""Fixtures: a fake Bot API server per test and a real aiogram Bot talking to it over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from offline.api_server import FakeBotAPI

USER_ID = 5001


@pytest.fixture
async def server() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(process_timeout=5.0) as fake:
        fake.add_user(USER_ID, first_name="Аня", username="anya")
        yield fake


@pytest.fixture
def user_id() -> int:
    """A user registered with the server who has started the bot."""
    return USER_ID


@pytest.fixture
async def bot(server: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = server.make_bot(session_timeout=5.0)
    try:
        yield bot
    finally:
        await bot.session.close()
