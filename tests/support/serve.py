"""The bot as it runs for real (bot/run.py: the inbox, its poller or webhook, the runner),
started in this process against the fake Bot API server, on a migrated demo database."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import func, select

from bot.migrate import upgrade_database
from bot.run import serve
from bot.settings import Settings
from models.db import create_engine, create_sessionmaker
from models.inbox import InboxState, InboxUpdate
from offline.api_server import FakeBotAPI
from offline.state import RecordedCall
from services.reference.demo import load_demo
from tests.support.app import NOW, make_settings
from tests.support.reference import demo, reference


async def migrated_demo(url: str) -> None:
    """The schema by the migrations (as a deployment has it), with the demo data as of NOW."""
    await upgrade_database(url)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await load_demo(session, demo(), reference(), NOW.date(), NOW)
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_settings(fake_api: FakeBotAPI, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"clock_start": NOW, "instance_name": "test-replica"}
    values.update(overrides)
    return make_settings(fake_api, tmp_path, **values)


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[asyncio.Task[int]]:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop=stop))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def reply_to(
    fake_api: FakeBotAPI, chat_id: int, since: int, timeout: float = 30.0
) -> RecordedCall:
    """The first message the bot sent to `chat_id` after call number `since`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for call in fake_api.calls[since:]:
            if call.method == "sendMessage" and call.chat_id == chat_id and call.ok:
                return call
        await asyncio.sleep(0.05)
    msg = f"no reply to chat {chat_id} within {timeout:.0f}s"
    raise TimeoutError(msg)


async def inbox_states(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            rows = await session.execute(
                select(InboxUpdate.state, func.count()).group_by(InboxUpdate.state)
            )
            return {str(state): int(count) for state, count in rows}
    finally:
        await engine.dispose()


__all__ = ["InboxState"]
