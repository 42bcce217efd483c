"""Running a queued class list: import, progress edits, report file and summary.

The handler answers the update at once and starts `run_job`; `resume_jobs` (at start and every
`RESUME_SECONDS`) takes any job a stopped or crashed replica left behind. The job itself lives
in the database (services/upload_jobs.py), not in this process. Its report file and summary are
queued in the outbox in the transaction that imports the list (handlers/queued_files.py), and
the delivery worker sends them.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from calendars.schema import Calendar
from handlers.curator_report import report_file
from handlers.keyboards import curator as kbs
from handlers.progress import Progress
from handlers.queued_files import Deliver, button_rows, deliver_now
from handlers.refusals import reason_text
from models.uploads import UploadStatus
from reminders.outbox import enqueue_document, enqueue_message
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
    # Asks the delivery worker to send what the job queued now (App.deliver_due).
    deliver: Deliver | None = None


async def patiently(send: Callable[[], Awaitable[T]]) -> T:
    """Sends, waiting out Telegram's 429 `retry_after` a bounded number of times."""
    for _try in range(FLOOD_TRIES - 1):
        try:
            return await send()
        except TelegramRetryAfter as flood:
            await asyncio.sleep(flood.retry_after)
    return await send()


def _report(result: UploadResult, filename: str) -> tuple[str, bytes, str, InlineKeyboardMarkup]:
    """The report file and the one-line summary, in the current locale."""
    report_name, content = report_file(result, PurePath(filename).stem[:40] or "list")
    counts = {outcome.value: result.counts.get(outcome, 0) for outcome in Outcome}
    summary = render("curator/uploaded.html", result=result, counts=counts)
    return report_name, content, summary, kbs.to_school_kb(result.school.id)


async def send_report(bot: Bot, chat_id: int, result: UploadResult, filename: str) -> None:
    """The reply to a list imported within its update (a job queues `queue_report` instead)."""
    report_name, content, summary, markup = _report(result, filename)
    document = BufferedInputFile(content, filename=report_name)
    await patiently(lambda: bot.send_document(chat_id, document))
    await patiently(lambda: bot.send_message(chat_id, summary, reply_markup=markup))


async def queue_report(
    session: AsyncSession, job: upload_jobs.ClaimedJob, result: UploadResult, now: dt.datetime
) -> None:
    """The job's report and summary in the outbox, in the caller's transaction."""
    report_name, content, summary, markup = _report(result, job.filename)
    key = f"upload:{job.id}"
    await enqueue_document(session, job.user_id, f"{key}:report", report_name, now,
                           content=content, topic="upload_report", now=now)  # fmt: skip
    await enqueue_message(session, job.user_id, f"{key}:summary", summary, now,
                          buttons=button_rows(markup), topic="upload_report", now=now)  # fmt: skip


async def run_job(ctx: JobContext, job_id: int) -> bool:
    """Claims and runs the job; False when someone else has it or it is not due."""
    async with ctx.sessionmaker() as session, session.begin():
        job = await upload_jobs.claim(session, job_id, ctx.clock.now())
    if job is None:
        return False
    with ctx.i18n.context(), ctx.i18n.use_locale(job.locale or ctx.i18n.default_locale):
        if job.attempts > upload_jobs.MAX_ATTEMPTS:  # it stopped its replica each time
            await _give_up(ctx, job, _("The list could not be imported."))
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
                await queue_report(session, job, result, ctx.clock.now())
                await upload_jobs.finish(session, job_id, UploadStatus.DONE, ctx.clock.now())
        except Refused as refusal:
            await _give_up(ctx, job, reason_text(refusal))
            return True
        except Exception:
            log.exception("class list job %s failed (attempt %s)", job_id, job.attempts)
            if job.attempts >= upload_jobs.MAX_ATTEMPTS:
                await _give_up(ctx, job, _("The list could not be imported."))
            return True  # else the lease expires and the job is tried again
        await progress.update(100)
    await deliver_now(ctx.deliver)
    return True


async def _give_up(ctx: JobContext, job: upload_jobs.ClaimedJob, text: str) -> None:
    now = ctx.clock.now()
    async with ctx.sessionmaker() as session, session.begin():
        await upload_jobs.finish(session, job.id, UploadStatus.FAILED, now)
        await enqueue_message(session, job.user_id, f"upload:{job.id}:failed", text, now,
                              topic="upload_report", now=now)  # fmt: skip
    await deliver_now(ctx.deliver)


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
