"""Stopping the bot while the reminder worker is busy logs no traceback: the worker ends first,
then the bot session and the database engine close."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

import models
from bot.app import build_app
from bot.settings import Settings
from calendars.clock import FixedClock
from offline.api_server import FakeBotAPI


@pytest.mark.parametrize("steps", [1, 2, 3, 5, 8])
async def test_close_while_a_delivery_tick_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, steps: int
) -> None:
    async with FakeBotAPI() as server:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            bot_token=server.token,
            telegram_api_url=server.base_url,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        )
        app = await build_app(
            settings, clock=FixedClock(datetime(2026, 10, 5, tzinfo=UTC)), migrate=False
        )
        async with app.engine.begin() as conn:
            await conn.run_sync(models.Base.metadata.create_all)
        await app.start_background()
        for _ in range(steps):  # the first tick is submitted at start; stop somewhere inside it
            await asyncio.sleep(0)
        with caplog.at_level(logging.INFO):
            await app.close()
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert problems == []
