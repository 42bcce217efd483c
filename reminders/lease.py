"""The delivery lease: only the process holding it sends, so two instances never double-send.

A row in `worker_lease` names the holder and an expiry. The holder renews it (a heartbeat runs
while it delivers); anyone may take it once it has expired. Besides the database expiry, the
holder keeps a local deadline on the monotonic clock and stops sending when it passes without
a renewal, a little before anyone else may take the lease over.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator
from typing import cast

from sqlalchemy import Table, or_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from models.outbox import WorkerLease
from models.sql import insert_ignore

log = logging.getLogger(__name__)
LEASE_NAME = "reminders"


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseKeeper:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        ttl: dt.timedelta,
        holder: str | None = None,
        name: str = LEASE_NAME,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._ttl = ttl
        self.holder = holder or holder_id()
        self._name = name
        self._valid_until = 0.0
        # True after an acquire that took the lease rather than renewed it: whatever rows are
        # still `sending` then were claimed by a holder that is gone (this one before a restart,
        # or one whose lease ran out), and can go back to pending at once.
        self.newly_taken = False

    def valid(self) -> bool:
        return time.monotonic() < self._valid_until

    async def acquire(self) -> bool:
        """Takes or renews the lease; False while another live holder has it."""
        started = time.monotonic()
        now = self._clock.now()
        table = cast(Table, WorkerLease.__table__)
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                insert_ignore(session, table, "name").values(
                    name=self._name,
                    holder=self.holder,
                    expires_at=now + self._ttl,
                    acquired_at=now,
                )
            )
            taken = await session.scalars(
                update(WorkerLease)
                .where(
                    WorkerLease.name == self._name,
                    or_(WorkerLease.holder == self.holder, WorkerLease.expires_at <= now),
                )
                .values(holder=self.holder, expires_at=now + self._ttl)
                .returning(WorkerLease.name)
                .execution_options(synchronize_session=False)
            )
            held = taken.one_or_none() is not None
        self.newly_taken = held and not self.valid()
        # Stop a little early: the database clock decides when others may take over.
        self._valid_until = started + self._ttl.total_seconds() * 0.8 if held else 0.0
        return held

    async def release(self) -> None:
        self._valid_until = 0.0
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(WorkerLease)
                .where(WorkerLease.name == self._name, WorkerLease.holder == self.holder)
                .values(expires_at=self._clock.now())
                .execution_options(synchronize_session=False)
            )

    @contextlib.asynccontextmanager
    async def heartbeat(self) -> AsyncIterator[None]:
        """Renews the lease every third of its time to live while the block runs."""
        task = asyncio.create_task(self._beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._ttl.total_seconds() / 3)
            try:
                if not await self.acquire():
                    log.error("delivery lease lost to another holder; stopping delivery")
                    return
            except Exception:
                log.exception("could not renew the delivery lease")
