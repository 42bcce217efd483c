"""The delivery worker as a process of its own, for the restart test (which SIGKILLs it).

Reads from the environment: RESTART_DB_URL, RESTART_API_URL, RESTART_TOKEN, RESTART_LEASE_TTL,
RESTART_ROW_LEASE, RESTART_PER_SECOND, RESTART_HOLDER (the instance's name), and optionally
RESTART_GATE_AFTER with RESTART_GATE_FILE: after that many sendMessage requests the next one is
held forever and the gate file is written, so the test can kill the process at a known point
mid-batch.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiogram import Bot  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from aiogram.methods import SendMessage  # noqa: E402

from bench.synthetic import default_rules  # noqa: E402
from bot.i18n import build_i18n  # noqa: E402
from calendars.clock import SystemClock  # noqa: E402
from models.db import create_engine, create_sessionmaker  # noqa: E402
from reminders.worker import WorkerConfig, start_reminder_worker  # noqa: E402


class GatedSession(AiohttpSession):
    def __init__(self, gate_after: int, gate_file: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate_after, self.gate_file, self.sent = gate_after, gate_file, 0

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        if isinstance(method, SendMessage):
            if self.sent >= self.gate_after:
                self.gate_file.write_text(str(self.sent))
                await asyncio.Event().wait()  # held here until the test kills the process
            self.sent += 1
        return await super().make_request(bot, method, timeout)


async def main() -> None:
    env = os.environ
    api = TelegramAPIServer.from_base(env["RESTART_API_URL"])
    if "RESTART_GATE_AFTER" in env:
        session: AiohttpSession = GatedSession(
            int(env["RESTART_GATE_AFTER"]), Path(env["RESTART_GATE_FILE"]), api=api
        )
    else:
        session = AiohttpSession(api=api)
    bot = Bot(env["RESTART_TOKEN"], session=session)
    engine = create_engine(env["RESTART_DB_URL"])
    config = WorkerConfig(
        lease_ttl=dt.timedelta(seconds=float(env["RESTART_LEASE_TTL"])),
        row_lease=dt.timedelta(seconds=float(env["RESTART_ROW_LEASE"])),
        per_second=int(env["RESTART_PER_SECOND"]),
        concurrency=1,
        holder=env.get("RESTART_HOLDER") or f"restart-test-{os.getpid()}",
    )
    await start_reminder_worker(bot, create_sessionmaker(engine), SystemClock(),
                                default_rules(), build_i18n("ru"), interval_seconds=0.2,
                                config=config)  # fmt: skip
    await asyncio.Event().wait()  # runs until killed


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    asyncio.run(main())
