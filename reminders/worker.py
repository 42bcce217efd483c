"""The delivery worker: an APScheduler job that drains the outbox while holding the DB lease.

The outbox, not the job store, is durable: a tick that is skipped or cut short loses nothing.
Each tick returns expired row leases to pending, then claims and sends batch after batch until
nothing is due. Before it sends, it plans the registrations still queued for planning (any
process may: `reminders.plan_queue`). A second job plans the coordinators' creation deadlines
every few hours.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from calendars.schema import MOSCOW_TZ, Calendar
from reminders.batch import Locales, prepare
from reminders.compose import Outgoing
from reminders.creation import creation_years
from reminders.lease import LeaseKeeper
from reminders.limiter import RateLimiter
from reminders.outbox import claim_batch, release_expired, release_orphans
from reminders.outcomes import Outcomes
from reminders.plan_queue import PlanDrainer
from reminders.planner import plan_creation
from reminders.sender import DeliveryStats, RetryPolicy, Sender

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    batch_users: int = 30  # recipients per claim: about a second of sending at 30/s
    row_lease: dt.timedelta = dt.timedelta(minutes=5)
    lease_ttl: dt.timedelta = dt.timedelta(seconds=30)  # a dead holder's is taken within it
    per_second: int = 30
    per_chat_interval: float = 1.0
    concurrency: int = 4
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    default_locale: str = "ru"
    default_zone: str = MOSCOW_TZ
    holder: str | None = None
    planning_hours: float = 6.0


class ReminderWorker:
    def __init__(
        self,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        rules: Calendar,
        i18n: I18n,
        config: WorkerConfig,
        planner: PlanDrainer | None = None,
    ) -> None:
        self._sessionmaker, self._clock, self._rules, self._i18n = sessionmaker, clock, rules, i18n
        self.config = config
        self.planner = planner or PlanDrainer(sessionmaker, rules, clock)
        self.lease = LeaseKeeper(sessionmaker, clock, ttl=config.lease_ttl, holder=config.holder)
        self.limiter = RateLimiter(config.per_second, config.per_chat_interval)
        self._outcomes = Outcomes(sessionmaker)
        self._sender = Sender(
            bot,
            self._outcomes,
            clock,
            self.limiter,
            config.retry,
            self.lease.valid,
            concurrency=config.concurrency,
        )
        self._locales = Locales(config.default_locale, config.default_zone)
        self.stopping = False
        # The periodic tick and a job asking for its file to go now (App.deliver_due) take
        # turns: one drain at a time per worker.
        self._draining = asyncio.Lock()

    async def drain(self) -> DeliveryStats:
        """Sends everything due now; does nothing unless this process holds the lease.

        The next batch is claimed and prepared while the current one is being sent, so the
        database round trips overlap Telegram's and the pace stays at the cap."""
        # Registrations whose planning a crash or a failed drain left queued: their reminders
        # may be due already (a deadline only days away).
        await self.planner.kick()
        async with self._draining:
            return await self._drain()

    async def _drain(self) -> DeliveryStats:
        stats = DeliveryStats()
        if not await self.lease.acquire():
            log.debug("delivery lease held elsewhere; not sending")
            return stats
        async with self.lease.heartbeat():
            async with self._sessionmaker() as session, session.begin():
                if self.lease.newly_taken:
                    await release_orphans(session)
                await release_expired(session, self._clock.now())
            batch = await self._next_batch(stats)
            while batch is not None:
                if self.stopping or not self.lease.valid():
                    await self._release(batch)
                    break
                upcoming = asyncio.create_task(self._next_batch(stats))
                try:
                    await self._sender.deliver(batch, stats)
                except BaseException:
                    await self._release(await upcoming)
                    raise
                batch = await upcoming
        return stats

    async def _release(self, batch: list[Outgoing] | None) -> None:
        """Claimed rows that will not be sent now go back to pending at once."""
        if batch:
            await self._outcomes.release([i for message in batch for i in message.row_ids])

    async def _next_batch(self, stats: DeliveryStats) -> list[Outgoing] | None:
        """The next batch claimed and composed; None when nothing is due (or we must stop)."""
        while not self.stopping and self.lease.valid():
            now = self._clock.now()
            async with self._sessionmaker() as session, session.begin():
                ids = await claim_batch(
                    session, now, users=self.config.batch_users, lease=self.config.row_lease
                )
            if not ids:
                return None
            stats.claimed += len(ids)
            try:
                async with self._sessionmaker() as session, session.begin():
                    messages, aside = await prepare(session, ids, now, self._i18n, self._locales)
            except Exception:
                # The rows stay claimed until their lease ends, then come back (and give up
                # after `batch.MAX_CLAIMS` claims); everyone else's rows go on meanwhile.
                log.exception("could not prepare outbox rows %s", ids)
                continue
            stats.dropped += aside
            if messages:
                return messages
        return None

    async def plan(self) -> None:
        if not self.lease.valid():
            return
        now = self._clock.now()
        async with self._sessionmaker() as session, session.begin():
            for year in creation_years(now):
                stats = await plan_creation(session, self._rules, year, now)
                log.info("creation deadlines %s planned: %s", year, stats)


async def drain_once(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    rules: Calendar,
    i18n: I18n,
    *,
    config: WorkerConfig | None = None,
    planner: PlanDrainer | None = None,
) -> DeliveryStats:
    """One drain with a fresh worker (tests, the console, a cron-style run)."""
    worker = ReminderWorker(
        bot, sessionmaker, clock, rules, i18n, config or WorkerConfig(), planner
    )
    return await worker.drain()


class WorkerHandle:
    def __init__(self, worker: ReminderWorker, scheduler: AsyncIOScheduler) -> None:
        self.worker = worker
        self._scheduler = scheduler
        self._running: set[asyncio.Task[object]] = set()

    async def tick(self) -> None:
        task: asyncio.Task[object] = asyncio.current_task()  # type: ignore[assignment]
        self._running.add(task)
        try:
            stats = await self.worker.drain()
            if stats.claimed:
                log.info("delivery tick: %s", stats)
        except Exception:
            log.exception("delivery tick failed; the outbox keeps the rows for the next one")
        finally:
            self._running.discard(task)

    async def plan(self) -> None:
        task: asyncio.Task[object] = asyncio.current_task()  # type: ignore[assignment]
        self._running.add(task)
        try:
            await self.worker.plan()
        except Exception:
            log.exception("planning failed; the next run plans again")
        finally:
            self._running.discard(task)

    async def shutdown(self) -> None:
        """Stops the jobs, lets a running batch finish, and gives the lease up."""
        self.worker.stopping = True
        # Shutting the scheduler down cancels the runs it started (mid-query: a traceback), so
        # stop new runs, let the started ones (one loop step to register) end, then shut down.
        self._scheduler.pause()
        await asyncio.sleep(0)
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
        self._scheduler.shutdown(wait=False)
        if self.worker.lease.valid():
            await self.worker.lease.release()


async def start_reminder_worker(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    rules: Calendar,
    i18n: I18n,
    *,
    interval_seconds: float = 60.0,
    config: WorkerConfig | None = None,
    planner: PlanDrainer | None = None,
) -> WorkerHandle:
    worker = ReminderWorker(
        bot, sessionmaker, clock, rules, i18n, config or WorkerConfig(), planner
    )
    scheduler = AsyncIOScheduler()
    handle = WorkerHandle(worker, scheduler)
    start = dt.datetime.now(dt.UTC)
    scheduler.add_job(
        handle.tick,
        "interval",
        seconds=interval_seconds,
        id="reminders-deliver",
        max_instances=1,
        coalesce=True,
        next_run_time=start,
    )
    scheduler.add_job(
        handle.plan,
        "interval",
        hours=worker.config.planning_hours,
        id="reminders-plan",
        max_instances=1,
        coalesce=True,
        next_run_time=start + dt.timedelta(seconds=5),
    )
    scheduler.start()
    return handle
