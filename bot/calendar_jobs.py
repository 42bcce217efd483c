"""The data calendars' nudges, planned hourly beside the reminder worker (the outbox keeps them:
planning again is a no-op, so any replica may run it)."""

from __future__ import annotations

import datetime as dt
import logging

from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from services.calendar_steps.nudges import plan_nudges
from services.reference.reference_data import ReferenceData

log = logging.getLogger(__name__)


async def plan_calendar_nudges(
    sessionmaker: async_sessionmaker[AsyncSession], ref: ReferenceData, clock: Clock, i18n: I18n
) -> int:
    async with sessionmaker() as session, session.begin():
        with i18n.context():
            queued = await plan_nudges(session, ref.calendars, clock.now())
    if queued:
        log.info("data calendar nudges planned: %d", queued)
    return queued


class CalendarNudgeJob:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        ref: ReferenceData,
        clock: Clock,
        i18n: I18n,
    ) -> None:
        self._args = (sessionmaker, ref, clock, i18n)
        self._scheduler = AsyncIOScheduler()
        self._scheduler.add_job(
            self.run, "interval", hours=1, id="calendar-nudges", max_instances=1, coalesce=True,
            next_run_time=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10),
        )  # fmt: skip
        self._scheduler.start()

    async def run(self) -> None:
        try:
            await plan_calendar_nudges(*self._args)
        except Exception:
            log.exception("planning the data calendars' nudges failed; the next run tries again")

    async def shutdown(self) -> None:
        self._scheduler.shutdown(wait=False)
