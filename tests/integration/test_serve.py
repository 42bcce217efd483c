"""The bot as deployed: updates through the inbox by long polling or by webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from offline.api_server import FakeBotAPI
from tests.support.serve import (
    free_port,
    inbox_states,
    migrated_demo,
    reply_to,
    serve_settings,
    serving,
)

SECRET = "s3cret_token-1"


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(process_timeout=30.0) as server:
        yield server


@pytest.fixture
async def demo_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    await migrated_demo(url)
    return url


async def test_polling_records_then_handles_each_update_once(
    fake_api: FakeBotAPI, tmp_path: Path, demo_url: str
) -> None:
    fake_api.add_user(4101, "Аня")
    fake_api.add_user(4102, "Боря")
    async with serving(serve_settings(fake_api, tmp_path, database_url=demo_url)):
        since = len(fake_api.calls)
        fake_api.queue_text(4101, "/start")
        fake_api.queue_text(4102, "/help")
        first = await reply_to(fake_api, 4101, since)
        await reply_to(fake_api, 4102, since)
        assert "Здравствуйте" in str(first.params.get("text"))
        await asyncio.sleep(0.3)
    assert await inbox_states(demo_url) == {"done": 2}
    deletes = [c for c in fake_api.calls if c.method == "deleteWebhook"]
    assert deletes and deletes[0].params.get("drop_pending_updates") in (False, "false")
    polls = [c for c in fake_api.calls if c.method == "getUpdates"]
    allowed = [c.params.get("allowed_updates") for c in polls if "allowed_updates" in c.params]
    assert allowed and "callback_query" in str(allowed[-1])


async def test_webhook_answers_after_recording_and_refuses_a_wrong_secret(
    fake_api: FakeBotAPI, tmp_path: Path, demo_url: str
) -> None:
    port = free_port()
    settings = serve_settings(
        fake_api, tmp_path, database_url=demo_url, web_port=port,
        webhook_url="https://bot.example.org/tg/hook", webhook_secret=SECRET,
    )  # fmt: skip
    target = f"http://127.0.0.1:{port}/tg/hook"
    fake_api.add_user(4201, "Вера")
    async with serving(settings):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while not fake_api.webhook.active and loop.time() < deadline:
            await asyncio.sleep(0.05)
        [registered] = [c for c in fake_api.calls if c.method == "setWebhook"]
        assert registered.params["url"] == "https://bot.example.org/tg/hook"
        assert registered.params["secret_token"] == SECRET
        assert "callback_query" in str(registered.params["allowed_updates"])
        update = {"update_id": 999, "message": {"message_id": 1, "date": 0,
                  "chat": {"id": 4201, "type": "private"}, "text": "/help"}}  # fmt: skip
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(target, json=update, headers=headers) as answer:
                    assert answer.status == 401  # noqa: PLR2004
            good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(target, data=b"{not json", headers=good) as answer:
                assert answer.status == 400  # noqa: PLR2004
        since = len(fake_api.calls)
        fake_api.queue_text(4201, "/start")
        assert await fake_api.deliver_webhook(target) == 1
        await reply_to(fake_api, 4201, since)
        await asyncio.sleep(0.3)
    assert await inbox_states(demo_url) == {"done": 1}  # the refused posts left nothing
    assert not [c for c in fake_api.calls if c.method == "getUpdates"]
