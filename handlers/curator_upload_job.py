"""Running a queued class list: import, progress edits, report file and summary.

The handler answers the update at once and starts `run_job`; `resume_jobs` (at start and every
`RESUME_SECONDS`) takes any job a stopped or crashed replica left behind. The job itself lives
in the database (services/upload_jobs.py), not in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from calendars.schema import Calendar
from handlers.curator_report import report_file
from handlers.keyboards import curator as kbs
from handlers.progress import Progress
from handlers.refusals import reason_text
from models.uploads import UploadStatus
from services.curator import upload_jobs
from services.curator.upload import Outcome, UploadResult, import_list
from services.errors import Refused
from ui.templating import render

log = logging.getLogger(__name__)
T = TypeVar("T")
RESUME_SECONDS = 60
TEMPLATE = "curator/upload_progress.html"
COMMIT_WAITS, COMMIT_PAUSE = 50, 0.1  # how long a new job may wait for its update to commit
FLOOD_TRIES = 3  # a 429 is waited out this many times before the send is given up


@dataclass(frozen=True)
class JobContext:
    bot: Bot
    sessionmaker: async_sessionmaker[AsyncSession]
    i18n: I18n
    rules: Calendar
    clock: Clock


async def patiently(send: Callable[[], Awaitable[T]]) -> T:
    """Sends, waiting out Telegram's 429 `retry_after` a bounded number of times."""
    for _try in range(FLOOD_TRIES - 1):
        try:
            return await send()
        except TelegramRetryAfter as flood:
            await asyncio.sleep(flood.retry_after)
    return await send()


async def send_report(bot: Bot, chat_id: int, result: UploadResult, filename: str) -> None:
    """The report file and the one-line summary, in the current locale."""
    report_name, content = report_file(result, PurePath(filename).stem[:40] or "list")
    document = BufferedInputFile(content, filename=report_name)
    await patiently(lambda: bot.send_document(chat_id, document))
    counts = {outcome.value: result.counts.get(outcome, 0) for outcome in Outcome}
    summary = render("curator/uploaded.html", result=result, counts=counts)
    markup = kbs.to_school_kb(result.school.id)
    await patiently(lambda: bot.send_message(chat_id, summary, reply_markup=markup))


async def run_job(ctx: JobContext, job_id: int) -> bool:
    """Claims and runs the job; False when someone else has it or it is not due."""
    async with ctx.sessionmaker() as session, session.begin():
        job = await upload_jobs.claim(session, job_id, ctx.clock.now())
    if job is None:
        return False
    with ctx.i18n.context(), ctx.i18n.use_locale(job.locale or ctx.i18n.default_locale):
        if job.attempts > upload_jobs.MAX_ATTEMPTS:  # it stopped its replica each time
            await _give_up(ctx, job_id, job.chat_id, _("The list could not be imported."))
            return True
        # The message was sent at 0 %; a job taken again after a crash starts from there too.
        shown = -1 if job.attempts > 1 else 0
        progress = Progress.of(ctx.bot, job.chat_id, job.message_id, TEMPLATE, shown=shown)
        try:
            async with ctx.sessionmaker() as session, session.begin():
                ident = await upload_jobs.curator_of(session, job.user_id)
                result = await import_list(
                    session, ident, job.school_id, job.filename, job.content, rules=ctx.rules,
                    now=ctx.clock.now(), progress=progress.update,
                )  # fmt: skip
                await upload_jobs.finish(session, job_id, UploadStatus.DONE, ctx.clock.now())
        except Refused as refusal:
            await _give_up(ctx, job_id, job.chat_id, reason_text(refusal))
            return True
        except Exception:
            log.exception("class list job %s failed (attempt %s)", job_id, job.attempts)
            if job.attempts >= upload_jobs.MAX_ATTEMPTS:
                await _give_up(ctx, job_id, job.chat_id, _("The list could not be imported."))
            return True  # else the lease expires and the job is tried again
        await progress.update(100)
        await send_report(ctx.bot, job.chat_id, result, job.filename)
    return True


async def _give_up(ctx: JobContext, job_id: int, chat_id: int, text: str) -> None:
    async with ctx.sessionmaker() as session, session.begin():
        await upload_jobs.finish(session, job_id, UploadStatus.FAILED, ctx.clock.now())
    await patiently(lambda: ctx.bot.send_message(chat_id, text))


async def resume_jobs(ctx: JobContext) -> int:
    """Runs every job that is pending or whose lease expired; returns how many ran."""
    async with ctx.sessionmaker() as session:
        ids = await upload_jobs.claimable_ids(session, ctx.clock.now())
    ran = 0
    for job_id in ids:
        ran += await run_job(ctx, job_id)
    return ran


_running: set[asyncio.Task[None]] = set()  # only so that the loop does not drop the tasks


def start_after_commit(ctx: JobContext) -> None:
    """Starts the queued jobs once the update's transaction has committed them."""
    task = asyncio.create_task(_soon(ctx))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _soon(ctx: JobContext) -> None:
    for _wait in range(COMMIT_WAITS):
        await asyncio.sleep(COMMIT_PAUSE)
        try:
            if await resume_jobs(ctx):
                return
        except Exception:  # a failure here is logged; the periodic resume tries again
            log.exception("class list jobs could not be started")
            return


class JobResumer:
    """Runs left-behind jobs at start and every `RESUME_SECONDS` (a replica that stopped
    mid-import leaves its job for the next one to take when the lease expires)."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            try:
                await resume_jobs(self.ctx)
            except Exception:  # the next round tries again; a job is never dropped silently
                log.exception("resuming class list jobs failed")
            await asyncio.sleep(RESUME_SECONDS)

    async def shutdown(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
