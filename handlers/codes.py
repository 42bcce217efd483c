"""/codes: the organiser uploads an event's participant codes and sets their release time; a
curator sees their school's codes (from the release instant) and reissues one."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.audit import register_action_labels
from handlers.keyboards.results import level_label
from handlers.keyboards.rows import own_row
from handlers.refusals import reason_text
from handlers.states_olympiad_day import CodesFlow
from handlers.ui import show
from services.codes import reissue as codes_reissue
from services.codes import screens
from services.codes.upload import codes_event as organiser_event
from services.codes.upload import upload_codes
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.reference.loader import ReferenceData
from services.tabular.table import MAX_BYTES, TOO_LARGE
from services.tabular.xlsx_export import Sheet, build_workbook
from ui.callbacks.olympiad_day import CodeAct, CodeCb
from ui.templating import render

router = Router(name=__name__)
PROBLEM_LIMIT = 20
register_action_labels(
    {
        "codes_uploaded": __("Participant codes uploaded"),
        "codes_release_time": __("Code release time set"),
        "code_shown": __("Participant code shown (by its row number)"),
        "codes_list_shown": __("School's participant codes shown (by row numbers)"),
        "code_reissued": __("Participant code reissued"),
    }
)


def _events_kb(found: list[screens.CodesEvent]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for item in found:
        event = item.event
        label = f"{event.subject.name_ru} · {level_label(event.level)} · {event.held_on:%d.%m}"
        kb.button(text=label, callback_data=CodeCb(act=CodeAct.EVENT, ev=event.id))
    kb.adjust(1)
    return kb.as_markup()


def _event_kb(access: screens.CodesEvent, rows: list[screens.SchoolRow]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    ev = access.event.id
    if access.organiser:
        kb.button(text=_("🕗 Release time"), callback_data=CodeCb(act=CodeAct.TIME, ev=ev))
        kb.button(text=_("📄 Blank file"), callback_data=CodeCb(act=CodeAct.TEMPLATE, ev=ev))
    for row in rows:
        label = (_("🔁 Reissue: %(name)s") % {"name": row.name})[:60]
        kb.button(text=label, callback_data=CodeCb(act=CodeAct.ASK, ev=ev, id=row.code_id))
    kb.adjust(1)
    own_row(kb, _("◀ Events"), CodeCb(act=CodeAct.LIST))
    return kb.as_markup()


async def _event_screen(
    session: AsyncSession, ident: Identity, event_id: int, clock: Clock, viewer: Viewer,
    ref: ReferenceData, **note: object,
) -> tuple[str, InlineKeyboardMarkup]:  # fmt: skip
    access = await screens.codes_event(session, ident, event_id)
    event, now = access.event, clock.now()
    totals = await screens.totals(session, event, now) if access.organiser else None
    rows = await screens.school_rows(session, event, access.schools, now)
    await screens.record_shown(session, ident, event, rows, now)
    text = render(
        "codes/event.html", subject=event.subject.name_ru, level=event.level,
        held_on=event.held_on, totals=totals, rows=rows if access.schools else None,
        zone=viewer.zone, default_time=ref.day.release_time.strftime("%H:%M"),
        saved=note.get("saved", False),
    )  # fmt: skip
    return text, _event_kb(access, rows)


@router.message(Command("codes"))
async def cmd_codes(
    message: Message, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await state.clear()
    found = await screens.codes_events(session, ident)
    await message.answer(render("codes/events.html", events=found), reply_markup=_events_kb(found))


@router.callback_query(CodeCb.filter(F.act == CodeAct.LIST))
async def on_list(cq: CallbackQuery, session: AsyncSession, ident: Identity) -> None:
    found = await screens.codes_events(session, ident)
    await show(cq, render("codes/events.html", events=found), _events_kb(found))


@router.callback_query(CodeCb.filter(F.act == CodeAct.EVENT))
async def on_event(
    cq: CallbackQuery, callback_data: CodeCb, session: AsyncSession, ident: Identity,
    clock: Clock, viewer: Viewer, ref: ReferenceData, state: FSMContext,
) -> None:  # fmt: skip
    screen = await _event_screen(session, ident, callback_data.ev, clock, viewer, ref)
    await state.set_state(CodesFlow.upload)
    await state.set_data({"event_id": callback_data.ev})
    await show(cq, *screen)


@router.message(CodesFlow.upload, F.document)
async def on_file(
    message: Message, bot: Bot, session: AsyncSession, ident: Identity, clock: Clock,
    ref: ReferenceData, state: FSMContext,
) -> None:  # fmt: skip
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_BYTES:
        raise Refused(TOO_LARGE, limit_mb=f"{MAX_BYTES / 1_000_000:g}")
    event_id = (await state.get_data())["event_id"]
    await organiser_event(session, ident, event_id)  # refused before a byte is read
    buffer = await bot.download(document)
    assert buffer is not None
    file = (document.file_name or "codes.xlsx", buffer.read())
    done = await upload_codes(session, ident, event_id, file, ref.day.release_time, clock.now())
    if isinstance(done, list):
        problems = [(p.row, reason_text(Refused(p.reason))) for p in done]
        text = render("codes/uploaded.html", problems=problems, done=None, limit=PROBLEM_LIMIT)
    else:
        text = render("codes/uploaded.html", problems=[], done=done, limit=PROBLEM_LIMIT)
    await message.answer(text)


@router.callback_query(CodeCb.filter(F.act == CodeAct.TIME))
async def on_ask_time(
    cq: CallbackQuery, callback_data: CodeCb, session: AsyncSession, ident: Identity,
    state: FSMContext,
) -> None:  # fmt: skip
    access = await screens.codes_event(session, ident, callback_data.ev)
    if not access.organiser:
        raise Refused("forbidden")
    await state.set_state(CodesFlow.time)
    await state.set_data({"event_id": callback_data.ev})
    await show(cq, render("codes/ask_time.html"))


@router.message(CodesFlow.time, F.text & ~F.text.startswith("/"))
async def on_time(
    message: Message, session: AsyncSession, ident: Identity, clock: Clock, viewer: Viewer,
    ref: ReferenceData, state: FSMContext,
) -> None:  # fmt: skip
    event_id = (await state.get_data())["event_id"]
    await screens.set_release_time(session, ident, event_id, message.text or "", clock.now())
    await state.set_state(CodesFlow.upload)
    text, markup = await _event_screen(session, ident, event_id, clock, viewer, ref, saved=True)
    await message.answer(text, reply_markup=markup)


@router.callback_query(CodeCb.filter(F.act == CodeAct.ASK))
async def on_ask_reissue(
    cq: CallbackQuery, callback_data: CodeCb, session: AsyncSession, ident: Identity,
    clock: Clock,
) -> None:  # fmt: skip
    access = await screens.codes_event(session, ident, callback_data.ev)
    rows = await screens.school_rows(session, access.event, access.schools, clock.now())
    row = next((r for r in rows if r.code_id == callback_data.id), None)
    if row is None:
        raise Refused("codes_not_assigned")
    kb = InlineKeyboardBuilder()
    kb.button(text=_("🔁 Reissue"), callback_data=callback_data.model_copy(
        update={"act": CodeAct.REISSUE}))  # fmt: skip
    kb.button(text=_("◀ Back"), callback_data=CodeCb(act=CodeAct.EVENT, ev=callback_data.ev))
    kb.adjust(1)
    await show(cq, render("codes/confirm.html", name=row.name), kb.as_markup())


@router.callback_query(CodeCb.filter(F.act == CodeAct.REISSUE))
async def on_reissue(
    cq: CallbackQuery, callback_data: CodeCb, session: AsyncSession, ident: Identity,
    clock: Clock,
) -> None:  # fmt: skip
    await codes_reissue.reissue(session, ident, callback_data.id, clock.now())
    kb = InlineKeyboardBuilder()
    kb.button(text=_("◀ Back"), callback_data=CodeCb(act=CodeAct.EVENT, ev=callback_data.ev))
    await show(cq, render("codes/reissued.html"), kb.as_markup())


@router.callback_query(CodeCb.filter(F.act == CodeAct.TEMPLATE))
async def on_template(cq: CallbackQuery) -> None:
    await cq.answer()
    if isinstance(cq.message, Message):
        sheet = Sheet(title="Коды", headers=["Код", "Резерв"], rows=[])
        await cq.message.answer_document(BufferedInputFile(build_workbook([sheet]), "codes.xlsx"))
