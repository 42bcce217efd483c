"""Uploading a list of students: the prompt, the template, the file and its report."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import PurePath

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from handlers.curator_report import template_file
from handlers.curator_upload_job import JobContext, send_report, start_after_commit
from handlers.keyboards import curator as kbs
from handlers.progress import Progress
from handlers.queued_files import Deliver
from handlers.states_curator import CuratorFlow
from handlers.ui import show
from services.curator import school as curator
from services.curator import upload_jobs
from services.curator.school import curated_school_ids
from services.curator.upload import count_rows, import_list
from services.errors import Refused
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from services.tabular.table import MAX_BYTES, MAX_ROWS, TOO_LARGE
from ui.callbacks.curator import CurAct, CurCb
from ui.templating import render

router = Router(name=__name__)
SCHOOL_KEY = "curator_upload_school"
PENDING_KEY = "curator_upload_pending"  # a list sent before saying which school it is for
LIST_SUFFIXES = (".xlsx", ".csv")


@router.callback_query(CurCb.filter(F.act == CurAct.UPLOAD))
async def on_upload(  # noqa: PLR0913 - the update's context
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    bot: Bot,
    clock: Clock,
    ref: ReferenceData,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n: I18n,
    deliver: Deliver,
) -> None:
    school = await curator.open_school(session, ident, callback_data.school)
    pending = (await state.get_data()).get(PENDING_KEY)
    if pending and isinstance(cq.message, Message):
        # The list came first; the curator has now said which school it is for.
        await state.update_data({PENDING_KEY: None})
        await cq.answer()
        ctx = JobContext(bot, sessionmaker, i18n, ref.rules, clock, deliver)
        await _import(cq.message, ListFile(**pending), school.id, session, ident, ctx)
        return
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


@dataclass(frozen=True)
class ListFile:
    file_id: str
    name: str
    size: int

    @classmethod
    def of(cls, message: Message) -> ListFile:
        document = message.document
        assert document is not None
        name = document.file_name or "list"
        return cls(document.file_id, name, document.file_size or 0)


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
    deliver: Deliver,
) -> None:
    school_id = int((await state.get_data()).get(SCHOOL_KEY) or 0)
    ctx = JobContext(bot, sessionmaker, i18n, ref.rules, clock, deliver)
    await _import(message, ListFile.of(message), school_id, session, ident, ctx)
    await state.set_state(None)


def _curates(message: Message, ident: Identity) -> bool:
    """A spreadsheet from a curator is a class list, even without «Upload a list» first."""
    name = (message.document.file_name or "") if message.document else ""
    return bool(curated_school_ids(ident)) and PurePath(name.lower()).suffix in LIST_SUFFIXES


@router.message(StateFilter(None), F.document, _curates)
async def on_unprompted_file(
    message: Message,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    bot: Bot,
    clock: Clock,
    ref: ReferenceData,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n: I18n,
    deliver: Deliver,
) -> None:
    file = ListFile.of(message)
    schools = await curator.curated_schools(session, ident)
    if len(schools) == 1:
        ctx = JobContext(bot, sessionmaker, i18n, ref.rules, clock, deliver)
        await _import(message, file, schools[0].id, session, ident, ctx)
        return
    await state.update_data({PENDING_KEY: asdict(file)})
    text = render("curator/upload_which.html", name=file.name)
    await message.answer(text, reply_markup=kbs.upload_schools_kb(schools))


async def _import(
    target: Message,
    file: ListFile,
    school_id: int,
    session: AsyncSession,
    ident: Identity,
    ctx: JobContext,
) -> None:
    """A short list is imported now with its progress shown; a long one becomes a background
    job stored in the database, and its report comes when it is done."""
    await curator.open_school(session, ident, school_id)
    if file.size > MAX_BYTES:  # refused before downloading a byte
        raise Refused(TOO_LARGE, limit_mb=f"{MAX_BYTES / 1_000_000:g}")
    buffer = await ctx.bot.download(file.file_id)
    assert buffer is not None
    content, now = buffer.read(), ctx.clock.now()
    if count_rows(file.name, content) >= upload_jobs.BACKGROUND_ROWS:
        shown = await target.answer(render("curator/upload_progress.html", pct=0))
        where = (target.chat.id, shown.message_id)
        await upload_jobs.queue_upload(session, ident, school_id, file.name, content, where, now)
        start_after_commit(ctx)  # the update is answered now; the report comes when done
        return
    shown = await target.answer(_("⏳ Checking the list and registering the students…"))
    progress = Progress.of_message(shown, "curator/upload_progress.html")
    result = await import_list(
        session, ident, school_id, file.name, content, rules=ctx.rules, now=now,
        progress=progress.update,
    )  # fmt: skip
    await progress.update(100)
    await send_report(ctx.bot, target.chat.id, result, file.name)


@router.message(CuratorFlow.upload, ~F.text.startswith("/"))
async def on_not_a_file(message: Message) -> None:
    raise Refused("upload_no_file")
