"""Uploading a list of students: the prompt, the template, the file and its report."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import PurePath

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.curator_report import report_file, template_file
from handlers.keyboards import curator as kbs
from handlers.states_curator import CuratorFlow
from handlers.ui import show
from services.curator import school as curator
from services.curator.school import curated_school_ids
from services.curator.upload import Outcome, import_list
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
) -> None:
    school = await curator.open_school(session, ident, callback_data.school)
    pending = (await state.get_data()).get(PENDING_KEY)
    if pending and isinstance(cq.message, Message):
        # The list came first; the curator has now said which school it is for.
        await state.update_data({PENDING_KEY: None})
        await cq.answer()
        await _import(cq.message, ListFile(**pending), school.id, session, ident, bot, clock, ref)
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
) -> None:
    school_id = int((await state.get_data()).get(SCHOOL_KEY) or 0)
    await _import(message, ListFile.of(message), school_id, session, ident, bot, clock, ref)
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
) -> None:
    file = ListFile.of(message)
    schools = await curator.curated_schools(session, ident)
    if len(schools) == 1:
        await _import(message, file, schools[0].id, session, ident, bot, clock, ref)
        return
    await state.update_data({PENDING_KEY: asdict(file)})
    text = render("curator/upload_which.html", name=file.name)
    await message.answer(text, reply_markup=kbs.upload_schools_kb(schools))


async def _import(  # noqa: PLR0913 - the file, the school and the update's context
    target: Message,
    file: ListFile,
    school_id: int,
    session: AsyncSession,
    ident: Identity,
    bot: Bot,
    clock: Clock,
    ref: ReferenceData,
) -> None:
    await curator.open_school(session, ident, school_id)
    if file.size > MAX_BYTES:  # refused before downloading a byte
        raise Refused(TOO_LARGE, limit_mb=f"{MAX_BYTES / 1_000_000:g}")
    buffer = await bot.download(file.file_id)
    assert buffer is not None
    await target.answer(_("⏳ Checking the list and registering the students…"))
    result = await import_list(
        session, ident, school_id, file.name, buffer.read(), rules=ref.rules, now=clock.now()
    )
    report_name, content = report_file(result, PurePath(file.name).stem[:40] or "list")
    await target.answer_document(BufferedInputFile(content, filename=report_name))
    counts = {outcome.value: result.counts.get(outcome, 0) for outcome in Outcome}
    summary = render("curator/uploaded.html", result=result, counts=counts)
    await target.answer(summary, reply_markup=kbs.to_school_kb(school_id))


@router.message(CuratorFlow.upload, ~F.text.startswith("/"))
async def on_not_a_file(message: Message) -> None:
    raise Refused("upload_no_file")
