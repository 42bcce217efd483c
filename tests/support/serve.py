"""The bot as it runs for real (bot/run.py: the inbox, its poller or webhook, the runner),
started in this process against the fake Bot API server, on a migrated demo database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from sqlalchemy import func, select

from bot.migrate import upgrade_database
from bot.run import serve
from bot.settings import PROJECT_ROOT, Settings
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


def bot_environment(fake_api: FakeBotAPI, url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot process on the demo world's clock, against the fake server."""
    return {
        **os.environ,
        "BOT_TOKEN": fake_api.token,
        "TELEGRAM_API_URL": fake_api.base_url,
        "DATABASE_URL": url,
        "CLOCK_START": NOW.isoformat(),
        "INSTANCE_NAME": "replica-1",
        "THROTTLE_RATE": "0",
        "LOG_LEVEL": "WARNING",
        "DELIVERY_INTERVAL_SECONDS": "3600",
        "PYTHONPATH": str(PROJECT_ROOT),
        **extra,
    }


class BotProcess:
    """`python -m bot run` as a real process; `start` waits until it is ready (its first
    getUpdates, or with `ready` given, until that holds)."""

    def __init__(
        self, fake_api: FakeBotAPI, folder: Path, env: dict[str, str], name: str = "bot"
    ) -> None:
        self.fake_api, self.folder, self.env, self.name = fake_api, folder, env, name
        self.proc: subprocess.Popen[bytes] | None = None
        self.first_polls: list[float] = []
        self.starts = 0

    def log_path(self) -> Path:
        return self.folder / f"{self.name}-{self.starts}.log"

    async def start(self, ready: Callable[[], bool] | None = None) -> None:
        self.starts += 1
        polls_before = self.fake_api.updates.poll_count
        if ready is None:
            ready = lambda: self.fake_api.updates.poll_count != polls_before  # noqa: E731
        log = self.log_path().open("wb")
        started = time.monotonic()
        self.proc = subprocess.Popen(  # noqa: S603 - our own entry point
            [sys.executable, "-m", "bot", "run"],
            cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        while not ready():
            assert self.proc.poll() is None, self.log_path().read_text()
            assert time.monotonic() - started < 60, "the bot never polled"  # noqa: PLR2004
            await asyncio.sleep(0.01)
        self.first_polls.append(time.monotonic() - started)

    async def stop(self, sig: signal.Signals) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        while self.proc.poll() is None:
            await asyncio.sleep(0.02)
        return self.proc.returncode

    def kill_quietly(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


__all__ = ["InboxState"]
