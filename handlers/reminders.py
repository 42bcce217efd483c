"""/due (what is due for me), /calendar (.ics export) and the buttons of reminder messages.

The settings (/reminders) are in `handlers.reminder_settings`."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import reminders as kbs
from handlers.refusals import reason_text
from handlers.ui import show
from models.people import User
from reminders.ics import export
from reminders.views import due_line
from services.errors import Refused
from services.people.viewer import Viewer
from services.reference.reference_data import ReferenceData
from services.reminder_settings import settings as reminders
from ui.callbacks.reminders import PrefAct, RemAct, ReminderCb, RemPrefCb
from ui.templating import render

router = Router(name=__name__)
DUE_LINES = 25
MAX_TEXT = 4000  # Telegram's limit is 4096; the tags count here, not there


def _ctx(me: User, ref: ReferenceData, clock: Clock) -> reminders.Context:
    return reminders.Context(me.id, ref.rules, clock.now(), ref.calendars)


async def _due_text(
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> str:
    items = await reminders.due(session, _ctx(me, ref, clock))
    zone = viewer.zone
    lines = [due_line(item, i18n.current_locale, zone) for item in items[:DUE_LINES]]
    # The data calendars' step titles are long: fewer lines, so the message stays one message.
    while True:
        shown = len(lines)
        text = render("reminders/due.html", lines=lines, more=max(0, len(items) - shown))
        if len(text) <= MAX_TEXT or shown <= 1:
            return text
        lines = lines[: max(1, shown * 3 // 4)]


@router.message(Command("due"))
async def cmd_due(
    message: Message,
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    text = await _due_text(session, me, ref, clock, viewer, i18n)
    await message.answer(text, reply_markup=kbs.due_kb())


@router.callback_query(ReminderCb.filter(F.act == RemAct.DUE))
async def on_due(
    cq: CallbackQuery,
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    await show(cq, await _due_text(session, me, ref, clock, viewer, i18n), kbs.due_kb())


async def _calendar(
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> BufferedInputFile:
    ctx = _ctx(me, ref, clock)
    items = await reminders.due(session, ctx)
    prefs = reminders.current(await reminders.preference(session, me.id))
    zone = viewer.zone
    data = export(items, prefs, zone, i18n.current_locale, ctx.now)
    return BufferedInputFile(data, filename="olympiad-deadlines.ics")


@router.message(Command("calendar"))
async def cmd_calendar(
    message: Message,
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    document = await _calendar(session, me, ref, clock, viewer, i18n)
    await message.answer_document(document, caption=_calendar_caption())


@router.callback_query(RemPrefCb.filter(F.act == PrefAct.CALENDAR))
async def on_calendar(
    cq: CallbackQuery,
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    document = await _calendar(session, me, ref, clock, viewer, i18n)
    if cq.bot is not None:
        await cq.bot.send_document(
            me.tg_id or cq.from_user.id, document, caption=_calendar_caption()
        )
    await cq.answer()


def _calendar_caption() -> str:
    return _(
        "Your deadlines as a calendar. Import it again after changes: entries are updated, "
        "not duplicated."
    )


@router.callback_query(ReminderCb.filter(F.act.in_({RemAct.OPEN, RemAct.REGISTER})))
async def on_open(
    cq: CallbackQuery,
    callback_data: ReminderCb,
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    items = [
        i
        for i in await reminders.due(session, _ctx(me, ref, clock))
        if i.event_id == callback_data.event_id
    ]
    zone = viewer.zone
    lines = [due_line(item, i18n.current_locale, zone) for item in items]
    title = lines[0].title if lines else _("Olympiad")
    text = render(
        "reminders/event.html",
        title=title,
        lines=lines,
        register=callback_data.act == RemAct.REGISTER,
    )
    await show(cq, text, kbs.event_kb(callback_data.event_id))


@router.callback_query(ReminderCb.filter(F.act.in_({RemAct.DONE, RemAct.MUTE})))
async def on_done_or_mute(
    cq: CallbackQuery,
    callback_data: ReminderCb,
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
) -> None:
    ctx = _ctx(me, ref, clock)
    try:
        if callback_data.act == RemAct.DONE:
            await reminders.mark_done(session, ctx, callback_data.event_id, callback_data.step)
            note = _("Marked as done: no more reminders of this step.")
        else:
            await reminders.mute_event(session, ctx, callback_data.event_id)
            note = _("Muted: no more reminders of this event. /reminders to undo.")
    except Refused as refusal:
        await cq.answer(reason_text(refusal), show_alert=True)
        return
    await cq.answer(note, show_alert=True)
