"""Among replicas, one polls: Telegram answers a second `getUpdates` with 409 Conflict.

The poller runs while this process holds the "poller" lease (renewed every third of its time to
live); another replica takes over when the holder stops renewing, and a restarted process under
the same INSTANCE_NAME takes its lease back at once. Every replica handles updates from the
shared inbox whichever of them polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.inbox_poller import InboxPoller
from calendars.clock import Clock
from reminders.lease import LeaseKeeper

log = logging.getLogger(__name__)
POLLER_LEASE = "poller"


class PollLeader:
    def __init__(  # noqa: PLR0913 - the poller's settings and the lease's
        self,
        make_poller: Callable[[], InboxPoller],
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        instance: str,
        *,
        ttl: dt.timedelta = dt.timedelta(seconds=15),
    ) -> None:
        self._make_poller = make_poller
        self.lease = LeaseKeeper(
            sessionmaker, clock, ttl=ttl, holder=f"poller@{instance}", name=POLLER_LEASE
        )
        self._ttl = ttl
        self.poller: InboxPoller | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.allowed_updates: Sequence[str] | None = None
        self.first_poll = asyncio.Event()

    def set_allowed_updates(self, allowed: Sequence[str]) -> None:
        self.allowed_updates = allowed
        if self.poller is not None:
            self.poller.allowed_updates = allowed

    async def run(self) -> None:
        try:
            while not self._stopping.is_set():
                held = await self._try_lease()
                if held and self._task is None:
                    self._start_poller()
                elif not held and self._task is not None:
                    log.warning("the poller lease went elsewhere; this replica stops polling")
                    await self._stop_poller()
                if self._task is not None and self._task.done():
                    self._task.result()  # a wrong token ends the bot with its error
                waits = {asyncio.ensure_future(self._stopping.wait())}
                if self._task is not None:
                    waits.add(self._task)  # type: ignore[arg-type]
                await asyncio.wait(
                    waits, timeout=self._ttl.total_seconds() / 3,
                    return_when=asyncio.FIRST_COMPLETED,
                )  # fmt: skip
        finally:
            await self._stop_poller()
            if self.lease.valid():
                with contextlib.suppress(Exception):
                    await self.lease.release()

    async def _try_lease(self) -> bool:
        try:
            return await self.lease.acquire()
        except Exception:  # the database is away: keep polling only while the lease holds
            log.exception("could not renew the poller lease")
            return self.lease.valid()

    def _start_poller(self) -> None:
        self.poller = self._make_poller()
        self.poller.allowed_updates = self.allowed_updates
        self.poller.first_poll = self.first_poll
        self._task = asyncio.create_task(self.poller.run(), name="inbox-poller")

    async def _stop_poller(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self._task is not None:
            task, self._task = self._task, None
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.poller = None

    def stop(self) -> None:
        self._stopping.set()
