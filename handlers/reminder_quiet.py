"""/reminders → quiet hours by calendar: "as general" or the calendar's own "HH–HH"."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import reminders as kbs
from handlers.refusals import reason_text
from handlers.states import CalendarQuietFlow
from handlers.ui import show
from models.people import User
from reminders.texts import calendar_label
from services.errors import Refused
from services.people.viewer import Policy
from services.reference.reference_data import ReferenceData
from services.reminder_settings import calendar_quiet as quiet
from services.reminder_settings import settings as reminders
from ui.callbacks.reminders import QuietAct, RemQuietCb
from ui.templating import render

router = Router(name=__name__)


def _context(me: User, ref: ReferenceData, clock: Clock, policy: Policy) -> reminders.Context:
    return reminders.Context(me.id, ref.rules, clock.now(), ref.calendars, policy.default_zone)


async def _general(session: AsyncSession, me: User) -> str:
    return kbs.quiet_label(reminders.current(await reminders.preference(session, me.id)).quiet)


async def _list(
    session: AsyncSession, me: User, ref: ReferenceData
) -> tuple[str, InlineKeyboardMarkup]:
    general = await _general(session, me)
    own = await quiet.own_quiet(session, me.id)
    rows = []
    for code in await quiet.quiet_calendars(session, me.id, ref.calendars):
        hours = own.get(code)
        setting = (
            _("own %(quiet)s") % {"quiet": kbs.quiet_label(hours)}
            if hours is not None
            else _("as general")
        )
        rows.append((code, f"{calendar_label(code)}: {setting}"))
    lines = [line for _code, line in rows]
    text = render("reminders/calendar_quiet_list.html", general=general, rows=lines)
    return text, kbs.calendar_quiet_list_kb(rows)


async def _calendar(
    session: AsyncSession, me: User, ref: ReferenceData, clock: Clock, code: str
) -> tuple[str, InlineKeyboardMarkup]:
    if code not in await quiet.quiet_calendars(session, me.id, ref.calendars):
        raise Refused("reminder_bad_choice")
    hours = (await quiet.own_quiet(session, me.id)).get(code)
    text = render(
        "reminders/calendar_quiet.html",
        calendar=calendar_label(code),
        own=kbs.quiet_label(hours) if hours is not None else "",
        general=await _general(session, me),
    )
    return text, kbs.calendar_quiet_kb(code, hours is not None)


@router.callback_query(RemQuietCb.filter())
async def on_calendar_quiet(
    cq: CallbackQuery, callback_data: RemQuietCb, session: AsyncSession, me: User,
    ref: ReferenceData, clock: Clock, state: FSMContext, policy: Policy,
) -> None:  # fmt: skip
    act, code = callback_data.act, callback_data.cal
    try:
        if act == QuietAct.LIST:
            await show(cq, *await _list(session, me, ref))
            return
        if act == QuietAct.GENERAL:
            await quiet.set_calendar_quiet(session, _context(me, ref, clock, policy), code, None)
        text, markup = await _calendar(session, me, ref, clock, code)
    except Refused as refusal:
        await cq.answer(reason_text(refusal), show_alert=True)
        return
    if act == QuietAct.CUSTOM:
        await state.set_state(CalendarQuietFlow.waiting_hours)
        await state.update_data(quiet_cal=code)
        await show(cq, render("reminders/ask_quiet.html", calendar=calendar_label(code)))
        return
    await show(cq, text, markup)


@router.message(CalendarQuietFlow.waiting_hours, F.text, ~F.text.startswith("/"))
async def on_hours(
    message: Message, session: AsyncSession, me: User, ref: ReferenceData, clock: Clock,
    state: FSMContext, policy: Policy,
) -> None:  # fmt: skip
    code = str((await state.get_data()).get("quiet_cal", ""))
    try:
        hours = quiet.parse_hours(message.text or "")
        await quiet.set_calendar_quiet(session, _context(me, ref, clock, policy), code, hours)
        text, markup = await _calendar(session, me, ref, clock, code)
    except Refused as refusal:
        if refusal.reason == "reminder_bad_choice":  # the calendar is gone: nothing to ask for
            await state.clear()
        await message.answer(reason_text(refusal))
        return
    await state.clear()
    await message.answer(_("Saved.") + "\n\n" + text, reply_markup=markup)
