"""/reminders: when to remind, quiet hours, the daily digest and what is muted."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import reminders as kbs
from handlers.keyboards.settings import EXTRA_ROWS
from handlers.refusals import reason_text
from handlers.settings import zone_names
from handlers.ui import show
from models.people import User
from services.errors import Refused
from services.people.viewer import Viewer
from services.reference.reference_data import ReferenceData
from services.reminder_settings import settings as reminders
from ui.callbacks.reminders import PrefAct, RemPrefCb
from ui.templating import render

router = Router(name=__name__)
EXTRA_ROWS.append((__("Reminders"), RemPrefCb(act=PrefAct.MENU)))  # a row in /settings

_ACTIONS = {
    PrefAct.OFFSET: (reminders.toggle_offset, PrefAct.OFFSETS),
    PrefAct.OFFSETS_RESET: (lambda s, c, _v: reminders.reset_offsets(s, c), PrefAct.OFFSETS),
    PrefAct.QUIET: (reminders.set_quiet, PrefAct.MENU),
    PrefAct.DIGEST: (reminders.set_digest, PrefAct.MENU),
    PrefAct.CATEGORY: (reminders.toggle_category, PrefAct.MUTES),
    PrefAct.UNMUTE: (reminders.unmute, PrefAct.MUTES),
}


async def _screen(
    screen: PrefAct, session: AsyncSession, me: User, viewer: Viewer, i18n: I18n
) -> tuple[str, InlineKeyboardMarkup]:
    prefs = reminders.current(await reminders.preference(session, me.id))
    if screen == PrefAct.OFFSETS:
        return render("reminders/offsets.html"), kbs.offsets_kb(prefs)
    if screen == PrefAct.QUIET_MENU:
        return render("reminders/quiet.html"), kbs.quiet_kb(prefs)
    if screen == PrefAct.DIGEST_MENU:
        return render("reminders/digest_choice.html"), kbs.digest_kb(prefs)
    if screen == PrefAct.MUTES:
        found = await reminders.mutes(session, me.id)
        names = await reminders.mute_names(session, found, i18n.current_locale)
        return render("reminders/mutes.html"), kbs.mutes_kb(found, names)
    offsets = (
        ", ".join(kbs.offset_label(o) for o in prefs.offsets)
        if prefs.offsets is not None
        else _("as usual for my role")
    )
    digest = f"{prefs.digest_at:%H:%M}" if prefs.digest_at is not None else _("off")
    zone = viewer.zone
    zone = zone_names().get(zone, zone)
    text = render(
        "reminders/settings.html",
        offsets=offsets,
        quiet=kbs.quiet_label(prefs.quiet),
        digest=digest,
        zone=zone,
    )
    return text, kbs.menu_kb()


@router.message(Command("reminders"))
async def cmd_reminders(
    message: Message, session: AsyncSession, me: User, viewer: Viewer, i18n: I18n
) -> None:
    text, markup = await _screen(PrefAct.MENU, session, me, viewer, i18n)
    await message.answer(text, reply_markup=markup)


@router.callback_query(RemPrefCb.filter(F.act != PrefAct.CALENDAR))
async def on_preference(
    cq: CallbackQuery,
    callback_data: RemPrefCb,
    session: AsyncSession,
    me: User,
    ref: ReferenceData,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    screen = callback_data.act
    if screen in _ACTIONS:
        action, screen = _ACTIONS[screen]
        try:
            await action(
                session, reminders.Context(me.id, ref.rules, clock.now()), callback_data.value
            )
        except Refused as refusal:
            await cq.answer(reason_text(refusal), show_alert=True)
            return
    text, markup = await _screen(screen, session, me, viewer, i18n)
    await show(cq, text, markup)
