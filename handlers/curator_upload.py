"""Uploading a list of students: the prompt, the template, the file and its report."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers.curator_reasons  # noqa: F401 - registers the refusal texts
from calendars.clock import Clock
from handlers.curator_report import template_file
from handlers.curator_upload_job import JobContext, send_report, start_after_commit
from handlers.keyboards import curator as kbs
from handlers.progress import Progress
from handlers.states_curator import CuratorFlow
from handlers.ui import show
from services import curator, upload_jobs
from services.curator_upload import count_rows, import_list
from services.errors import Refused
from services.identity import Identity
from services.reference.loader import ReferenceData
from services.tabular import MAX_BYTES, MAX_ROWS, TOO_LARGE
from ui.callbacks.curator import CurAct, CurCb
from ui.templating import render

router = Router(name=__name__)
SCHOOL_KEY = "curator_upload_school"


@router.callback_query(CurCb.filter(F.act == CurAct.UPLOAD))
async def on_upload(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
) -> None:
    school = await curator.open_school(session, ident, callback_data.school)
    await state.set_state(CuratorFlow.upload)
    await state.update_data({SCHOOL_KEY: school.id})
    text = render(
        "curator/upload.html", school=school, max_mb=MAX_BYTES // 1_000_000, max_rows=MAX_ROWS
    )
    await show(cq, text, kbs.upload_kb(school.id))


@router.callback_query(CurCb.filter(F.act == CurAct.TEMPLATE))
async def on_template(
    cq: CallbackQuery, callback_data: CurCb, session: AsyncSession, ident: Identity
) -> None:
    await curator.open_school(session, ident, callback_data.school)
    name, content = template_file()
    if isinstance(cq.message, Message):
        await cq.message.answer_document(BufferedInputFile(content, filename=name))
    await cq.answer()


@router.message(CuratorFlow.upload, F.document)
async def on_file(
    message: Message,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    bot: Bot,
    clock: Clock,
    ref: ReferenceData,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n: I18n,
) -> None:
    school_id = int((await state.get_data()).get(SCHOOL_KEY) or 0)
    document = message.document
    assert document is not None
    await curator.open_school(session, ident, school_id)
    if (document.file_size or 0) > MAX_BYTES:  # refused before downloading a byte
        raise Refused(TOO_LARGE, limit_mb=f"{MAX_BYTES / 1_000_000:g}")
    buffer = await bot.download(document)
    assert buffer is not None
    filename = document.file_name or "list"
    content = buffer.read()
    if count_rows(filename, content) >= upload_jobs.BACKGROUND_ROWS:
        shown = await message.answer(render("curator/upload_progress.html", pct=0))
        where = (message.chat.id, shown.message_id)
        await upload_jobs.queue_upload(
            session, ident, school_id, filename, content, where, clock.now()
        )
        await state.set_state(None)
        ctx = JobContext(bot, sessionmaker, i18n, ref.rules, clock)
        start_after_commit(ctx)  # the update is answered now; the report comes when done
        return
    shown = await message.answer(_("⏳ Checking the list and registering the students…"))
    progress = Progress.of_message(shown, "curator/upload_progress.html")
    result = await import_list(
        session, ident, school_id, filename, content, rules=ref.rules, now=clock.now(),
        progress=progress.update,
    )  # fmt: skip
    await state.set_state(None)
    await progress.update(100)
    await send_report(bot, message.chat.id, result, filename)


@router.message(CuratorFlow.upload, ~F.text.startswith("/"))
async def on_not_a_file(message: Message) -> None:
    raise Refused("upload_no_file")
