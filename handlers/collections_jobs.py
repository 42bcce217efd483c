"""Background work of the data calendars: collection reports and the school-year switch plan.

A report is a durable job (services/collections/report_jobs.py): the handler queues it and
starts `run_report` once its update has committed; `CalendarWork` (at start and every
`EVERY_SECONDS`) takes any job a stopped replica left behind and plans the switch reminders.
The workbook is built in a worker thread and queued in the outbox as a document, in the
transaction that records the job done (handlers/queued_files.py): the delivery worker sends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re

from aiogram import Bot
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from calendars.schema import Calendar
from handlers.keyboards.collections import state_names
from handlers.queued_files import Deliver, deliver_now
from models.uploads import UploadStatus as JobStatus
from reminders.outbox import enqueue_document, enqueue_message
from services.collections import report_jobs
from services.collections.report import build_report
from services.completeness.switch import CALENDAR, plan_switch
from services.errors import Refused
from ui.templating import render

log = logging.getLogger(__name__)
EVERY_SECONDS = 300
STOP_WAIT = 30
COMMIT_WAITS, COMMIT_PAUSE = 50, 0.1
_UNSAFE_NAME = re.compile(r"[^\w\- ]+")


def report_headers() -> list[str]:
    return [
        _("Code"), _("Organisation"), _("Municipality"), _("State"),
        _("Started (Moscow time)"), _("Submitted (Moscow time)"),
    ]  # fmt: skip


async def run_report(  # noqa: PLR0913 - what a job needs
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n, clock: Clock,
    job_id: int, deliver: Deliver | None = None,
) -> bool:  # fmt: skip
    """Claims and builds one report and queues it in the outbox; False when someone else has it.

    `bot` is not used to send: the outbox's delivery worker sends the file (and `deliver` asks
    it to do so at once)."""
    async with sessionmaker() as session, session.begin():
        job = await report_jobs.claim(session, job_id, clock.now())
    if job is None:
        return False
    with i18n.context(), i18n.use_locale(job.locale or i18n.default_locale):
        status, name, content = JobStatus.FAILED, "", b""
        text = _("The report could not be built.")
        try:
            async with sessionmaker() as session:
                data = await report_jobs.report_data(session, job)
            content = await asyncio.to_thread(
                build_report, data.title, data.lines, report_headers(), state_names()
            )
            name = (_UNSAFE_NAME.sub(" ", data.title).strip()[:60] or "report") + ".xlsx"
            text = render("collections/report_ready.html", title=data.title, rows=len(data.lines))
            status = JobStatus.DONE
        except Refused:
            pass
        except Exception:
            log.exception("collection report %s failed (attempt %s)", job_id, job.attempts)
            if job.attempts < report_jobs.MAX_ATTEMPTS:
                return True  # the lease expires and the job is tried again
        now = clock.now()
        async with sessionmaker() as session, session.begin():
            key, topic = f"colrep:{job_id}", "collection_report"
            if status == JobStatus.DONE:
                await enqueue_document(session, job.user_id, key, name, now, content=content,
                                       caption=text, topic=topic, now=now)  # fmt: skip
            else:
                await enqueue_message(session, job.user_id, f"{key}:failed", text, now,
                                      topic=topic, now=now)  # fmt: skip
            await report_jobs.finish(session, job_id, status, now)
    await deliver_now(deliver)
    return True


async def resume_reports(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n, clock: Clock,
    deliver: Deliver | None = None,
) -> int:  # fmt: skip
    async with sessionmaker() as session:
        ids = await report_jobs.claimable_ids(session, clock.now())
    ran = 0
    for job_id in ids:
        ran += await run_report(bot, sessionmaker, i18n, clock, job_id, deliver)
    return ran


_running: set[asyncio.Task[None]] = set()  # only so that the loop does not drop the tasks


def start_reports(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n, clock: Clock,
    deliver: Deliver | None = None,
) -> None:  # fmt: skip
    """Runs the queued reports once the update's transaction has committed them."""

    async def soon() -> None:
        for _wait in range(COMMIT_WAITS):
            await asyncio.sleep(COMMIT_PAUSE)
            try:
                if await resume_reports(bot, sessionmaker, i18n, clock, deliver):
                    return
            except Exception:  # logged; the periodic round tries again
                log.exception("collection reports could not be started")
                return

    task = asyncio.create_task(soon())
    _running.add(task)
    task.add_done_callback(_running.discard)


async def plan_calendars(
    sessionmaker: async_sessionmaker[AsyncSession],
    calendars: dict[str, Calendar],
    clock: Clock,
    default_zone: str,
) -> int:
    """Plans the school-year switch reminders of the coming days (a no-op when planned)."""
    calendar = calendars.get(CALENDAR)
    if calendar is None:
        return 0
    async with sessionmaker() as session, session.begin():
        return await plan_switch(session, calendar, clock.now(), default_zone)


class CalendarWork:
    """Left-behind reports and the switch plan, at start and every `EVERY_SECONDS`.

    Stopping waits for a round under way to end (up to `STOP_WAIT`) rather than cancelling it
    inside a database call, which would leave the connection to be reset in the pool."""

    def __init__(  # noqa: PLR0913 - what the rounds need
        self, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n,
        clock: Clock, calendars: dict[str, Calendar], default_zone: str,
        deliver: Deliver | None = None,
    ) -> None:  # fmt: skip
        self.args = (bot, sessionmaker, i18n, clock)
        self.deliver = deliver
        self.calendars, self.default_zone = calendars, default_zone
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self._loop())

    async def round(self) -> None:
        bot, sessionmaker, i18n, clock = self.args
        await resume_reports(bot, sessionmaker, i18n, clock, self.deliver)
        with i18n.context():
            await plan_calendars(sessionmaker, self.calendars, clock, self.default_zone)

    async def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                await self.round()
            except Exception:  # the next round tries again
                log.exception("data calendar round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), EVERY_SECONDS)

    async def shutdown(self) -> None:
        self.stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(self.task), STOP_WAIT)
        except TimeoutError:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
