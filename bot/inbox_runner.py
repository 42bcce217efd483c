"""Handles the updates in the inbox: claims a batch, feeds each to the dispatcher, and leaves
nothing behind on a graceful stop.

An update is marked done in the commit of its handler's effects (bot/update_unit.py); one whose
handler returned without reaching that commit (an error already reported to the user) is marked
done afterwards; one whose handler raised goes back to the inbox, and after `MAX_FAILURES`
(or very many unfinished claims) it is set aside and logged. Several processes may run this on
one database: each claims its own rows (PostgreSQL skips rows another claimer holds; SQLite has
one writer at a time).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.update_unit import Receipt
from calendars.clock import Clock
from models import inbox

log = logging.getLogger(__name__)


@dataclass
class RunnerConfig:
    concurrency: int = 24  # updates in flight in this process (below the connection pool)
    batch: int = 100
    lease: dt.timedelta = dt.timedelta(seconds=30)
    idle_poll: float = 1.0  # seconds between looks for updates another replica stored
    retry_pause: dt.timedelta = dt.timedelta(seconds=2)


class InboxRunner:
    def __init__(  # noqa: PLR0913 - the runner's collaborators
        self,
        dp: Dispatcher,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        holder: str,
        config: RunnerConfig | None = None,
    ) -> None:
        self._dp, self._bot = dp, bot
        self._sessionmaker, self._clock = sessionmaker, clock
        self.holder = holder
        self.config = config or RunnerConfig()
        self._wake = asyncio.Event()
        self._stopping = False
        self._slots = asyncio.Semaphore(self.config.concurrency)
        self._running: dict[int, asyncio.Task[None]] = {}
        self._loop_task: asyncio.Task[None] | None = None
        self.handled = 0
        self._reclaim_own = True  # after a restart, this holder's rows are its own to finish

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._loop(), name="inbox-runner")

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                claimed = await self._claim()
            except Exception:  # the database is away: try again shortly, nothing is lost
                log.exception("could not claim updates from the inbox")
                claimed = 0
            if claimed:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.idle_poll)

    async def _claim(self) -> int:
        free = self.config.concurrency - len(self._running)
        if free <= 0:
            await self._slots.acquire()  # wait for one to finish before claiming more
            self._slots.release()
            return 1
        async with self._sessionmaker() as session, session.begin():
            rows = await inbox.claim(
                session,
                self.holder,
                self._clock.now(),
                limit=min(free, self.config.batch),
                lease=self.config.lease,
                reclaim_own=self._reclaim_own,
            )
            self._reclaim_own = False
            worn = [row.update_id for row in rows if inbox.worn_out(row)]
            if worn:
                await inbox.set_aside(session, worn, self._clock.now())
        for row in rows:
            if inbox.worn_out(row):
                log.error(
                    "update %s set aside: %s failures in %s claims",
                    row.update_id, row.failures, row.attempts,
                )  # fmt: skip
                continue
            if row.update_id in self._running:
                continue
            await self._slots.acquire()
            task = asyncio.create_task(self._handle(row.update_id, row.payload))
            self._running[row.update_id] = task
        return len(rows)

    async def _handle(self, update_id: int, payload: dict[str, object]) -> None:
        receipt = Receipt(update_id)
        try:
            update = Update.model_validate(payload, context={"bot": self._bot})
            await self._dp.feed_update(self._bot, update, inbox_receipt=receipt)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("update %s failed; it stays in the inbox for another try", update_id)
            await self._retry_later(update_id)
        else:
            if not receipt.done:
                await self._finish(update_id)
            self.handled += 1
        finally:
            self._running.pop(update_id, None)
            self._slots.release()

    async def _finish(self, update_id: int) -> None:
        try:
            async with self._sessionmaker() as session, session.begin():
                await inbox.mark_done(session, update_id, self._clock.now())
        except Exception:  # left claimed: taken again when the claim runs out
            log.exception("could not mark update %s done", update_id)

    async def _retry_later(self, update_id: int) -> None:
        with contextlib.suppress(Exception):
            async with self._sessionmaker() as session, session.begin():
                await inbox.postpone(
                    session, update_id, self._clock.now() + self.config.retry_pause
                )

    async def stop(self, grace: float = 20.0) -> None:
        """Stops claiming, lets what runs finish (within `grace` seconds), and gives back the
        claims of what did not: they stay in the inbox for the next process."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._loop_task
        running = list(self._running.values())
        if running:
            _, pending = await asyncio.wait(running, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        left = list(self._running)
        if left:
            with contextlib.suppress(Exception):
                async with self._sessionmaker() as session, session.begin():
                    await inbox.release(session, self.holder, left)
