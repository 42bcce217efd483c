"""Appeals: a participant (or their parent) files one from the event card, step by step and
cancellable; /appeals lets the organiser set the window and answer each appeal."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.audit import register_action_labels
from handlers.keyboards.rows import own_row
from handlers.states_olympiad_day import AppealAnswerFlow, AppealFlow
from handlers.ui import show
from models.olympiad_day import AppealState
from models.people import User
from services.appeals import answers, filing
from services.appeals.window import closes_at, is_open
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.reference.loader import ReferenceData
from services.rules.scores import format_score
from ui.callbacks.olympiad_day import ApAct, ApCb
from ui.templating import render

router = Router(name=__name__)
_TEXT = F.text & ~F.text.startswith("/")
register_action_labels(
    {
        "appeal_answered": __("Appeal answered"),
        "appeal_window_set": __("Appeal window set"),
    }
)


def _cancel_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("✖️ Cancel"), callback_data=ApCb(act=ApAct.CANCEL))
    return kb.as_markup()


@router.callback_query(ApCb.filter(F.act == ApAct.FILE))
async def on_file(
    cq: CallbackQuery, callback_data: ApCb, session: AsyncSession, me: User, clock: Clock,
    ref: ReferenceData, state: FSMContext,
) -> None:  # fmt: skip
    event = await filing.check_open(session, me, callback_data.id, ref.day, clock.now())
    await state.set_state(AppealFlow.task)
    await state.set_data({"reg_id": callback_data.id, "subject": event.subject.name_ru})
    await cq.answer()
    if isinstance(cq.message, Message):
        text = render("appeals/ask_task.html", subject=event.subject.name_ru)
        await cq.message.answer(text, reply_markup=_cancel_kb())


@router.message(AppealFlow.task, _TEXT)
async def on_task(message: Message, state: FSMContext) -> None:
    await state.update_data(task=filing.clean_task(message.text or ""))
    await state.set_state(AppealFlow.reason)
    await message.answer(render("appeals/ask_reason.html"), reply_markup=_cancel_kb())


@router.message(AppealFlow.reason, _TEXT)
async def on_reason(message: Message, state: FSMContext) -> None:
    data = await state.update_data(reason=filing.clean_reason(message.text or ""))
    await state.set_state(AppealFlow.confirm)
    kb = InlineKeyboardBuilder()
    kb.button(text=_("📨 Send the appeal"), callback_data=ApCb(act=ApAct.SEND))
    kb.button(text=_("✖️ Cancel"), callback_data=ApCb(act=ApAct.CANCEL))
    kb.adjust(1)
    text = render("appeals/confirm.html", subject=data["subject"], task=data["task"],
                  reason=data["reason"])  # fmt: skip
    await message.answer(text, reply_markup=kb.as_markup())


@router.callback_query(AppealFlow.confirm, ApCb.filter(F.act == ApAct.SEND))
async def on_send(
    cq: CallbackQuery, session: AsyncSession, me: User, clock: Clock, ref: ReferenceData,
    state: FSMContext,
) -> None:  # fmt: skip
    data = await state.get_data()
    await filing.file_appeal(
        session, me, data["reg_id"], data["task"], data["reason"], ref.day, clock.now()
    )
    await state.clear()
    await show(cq, render("appeals/filed.html"))


@router.callback_query(ApCb.filter(F.act.in_({ApAct.CANCEL, ApAct.SEND})))
async def on_cancel(cq: CallbackQuery, state: FSMContext) -> None:
    """Cancel, or a stale «Send» outside the flow: nothing is filed."""
    await state.clear()
    await show(cq, render("appeals/cancelled.html"))


def _events_kb(found: list[answers.AppealEvent]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for number, item in enumerate(found, start=1):
        label = f"{number}. {item.event.subject.name_ru} · {item.event.held_on:%d.%m}"
        kb.button(text=label, callback_data=ApCb(act=ApAct.EVENT, ev=item.event.id))
    kb.adjust(1)
    return kb.as_markup()


async def _event_screen(
    session: AsyncSession, ident: Identity, event_id: int, viewer: Viewer, ref: ReferenceData,
    clock: Clock, saved: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:  # fmt: skip
    event = await answers.organiser_event(session, ident, event_id)
    rows = await answers.event_appeals(session, ident, event_id)
    closes = await closes_at(session, event, ref.day)
    text = render("appeals/event.html", event=event, rows=rows, closes=closes, saved=saved,
                  open=is_open(closes, clock.now()), zone=viewer.zone)  # fmt: skip
    kb = InlineKeyboardBuilder()
    for number, row in enumerate(rows, start=1):
        mark = "⏳" if row.appeal.state == AppealState.FILED else "✔️"
        kb.button(text=f"{mark} {number}. {row.name}"[:60],
                  callback_data=ApCb(act=ApAct.OPEN, id=row.appeal.id, ev=event_id))  # fmt: skip
    kb.button(text=_("🕓 Appeal window"), callback_data=ApCb(act=ApAct.WINDOW, ev=event_id))
    kb.adjust(1)
    own_row(kb, _("◀ Events"), ApCb(act=ApAct.LIST))
    return text, kb.as_markup()


@router.message(Command("appeals"))
async def cmd_appeals(
    message: Message, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await state.clear()
    found = await answers.appeal_events(session, ident)
    await message.answer(
        render("appeals/events.html", events=found), reply_markup=_events_kb(found)
    )


@router.callback_query(ApCb.filter(F.act == ApAct.LIST))
async def on_list(cq: CallbackQuery, session: AsyncSession, ident: Identity) -> None:
    found = await answers.appeal_events(session, ident)
    await show(cq, render("appeals/events.html", events=found), _events_kb(found))


@router.callback_query(ApCb.filter(F.act == ApAct.EVENT))
async def on_event(
    cq: CallbackQuery, callback_data: ApCb, session: AsyncSession, ident: Identity,
    viewer: Viewer, ref: ReferenceData, clock: Clock, state: FSMContext,
) -> None:  # fmt: skip
    await state.clear()
    await show(cq, *await _event_screen(session, ident, callback_data.ev, viewer, ref, clock))


@router.callback_query(ApCb.filter(F.act == ApAct.OPEN))
async def on_open(
    cq: CallbackQuery, callback_data: ApCb, session: AsyncSession, ident: Identity
) -> None:
    row = await answers.one_appeal(session, ident, callback_data.id)
    kb = InlineKeyboardBuilder()
    if row.appeal.state == AppealState.FILED:
        data = {"id": row.appeal.id, "ev": row.appeal.event_id}
        kb.button(text=_("✔️ The score stays"), callback_data=ApCb(act=ApAct.KEEP, **data))
        kb.button(text=_("✏️ Change the score"), callback_data=ApCb(act=ApAct.CHANGE, **data))
    kb.button(text=_("◀ Appeals"), callback_data=ApCb(act=ApAct.EVENT, ev=row.appeal.event_id))
    kb.adjust(1)
    await show(cq, render("appeals/appeal.html", row=row), kb.as_markup())


@router.callback_query(ApCb.filter(F.act == ApAct.KEEP))
async def on_keep(
    cq: CallbackQuery, callback_data: ApCb, session: AsyncSession, ident: Identity,
    viewer: Viewer, ref: ReferenceData, clock: Clock,
) -> None:  # fmt: skip
    appeal = await answers.answer(session, ident, callback_data.id, None, clock.now())
    screen = await _event_screen(session, ident, appeal.event_id, viewer, ref, clock, True)
    await show(cq, *screen)


@router.callback_query(ApCb.filter(F.act.in_({ApAct.CHANGE, ApAct.WINDOW})))
async def on_ask(
    cq: CallbackQuery, callback_data: ApCb, session: AsyncSession, ident: Identity,
    state: FSMContext,
) -> None:  # fmt: skip
    if callback_data.act == ApAct.WINDOW:
        await answers.organiser_event(session, ident, callback_data.ev)
        await state.set_state(AppealAnswerFlow.window)
        await state.set_data({"event_id": callback_data.ev})
        await show(cq, render("appeals/ask_window.html"))
        return
    row = await answers.one_appeal(session, ident, callback_data.id)
    await state.set_state(AppealAnswerFlow.score)
    await state.set_data({"appeal_id": row.appeal.id, "event_id": row.appeal.event_id})
    await show(cq, render("appeals/ask_score.html", max_score=format_score(row.max_score)))


@router.message(AppealAnswerFlow.score, _TEXT)
async def on_score(
    message: Message, session: AsyncSession, ident: Identity, viewer: Viewer,
    ref: ReferenceData, clock: Clock, state: FSMContext,
) -> None:  # fmt: skip
    data = await state.get_data()
    await answers.answer(session, ident, data["appeal_id"], message.text or "", clock.now())
    await state.clear()
    text, markup = await _event_screen(session, ident, data["event_id"], viewer, ref, clock, True)
    await message.answer(text, reply_markup=markup)


@router.message(AppealAnswerFlow.window, _TEXT)
async def on_window(
    message: Message, session: AsyncSession, ident: Identity, viewer: Viewer,
    ref: ReferenceData, clock: Clock, state: FSMContext,
) -> None:  # fmt: skip
    event_id = (await state.get_data())["event_id"]
    await answers.set_window(session, ident, event_id, message.text or "", viewer.zone,
                             clock.now())  # fmt: skip
    await state.clear()
    text, markup = await _event_screen(session, ident, event_id, viewer, ref, clock, True)
    await message.answer(text, reply_markup=markup)
