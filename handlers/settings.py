"""/settings: language and time zone."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import settings as kbs
from handlers.ui import show
from models.people import User
from services.people import onboarding
from services.people.timezones import set_timezone
from services.people.viewer import Viewer, refreshed
from ui.callbacks.foundation import SetAct, SetCb
from ui.templating import render

router = Router(name=__name__)


def zone_names() -> dict[str, str]:
    return {
        "Europe/Kaliningrad": _("Kaliningrad"),
        "Europe/Moscow": _("Moscow"),
        "Europe/Samara": _("Samara"),
        "Asia/Yekaterinburg": _("Yekaterinburg"),
        "Asia/Omsk": _("Omsk"),
        "Asia/Novosibirsk": _("Novosibirsk"),
        "Asia/Tomsk": _("Tomsk"),
        "Asia/Krasnoyarsk": _("Krasnoyarsk"),
        "Asia/Irkutsk": _("Irkutsk"),
        "Asia/Yakutsk": _("Yakutsk"),
        "Asia/Vladivostok": _("Vladivostok"),
        "Asia/Sakhalin": _("Sakhalin"),
        "Asia/Magadan": _("Magadan"),
        "Asia/Kamchatka": _("Kamchatka"),
    }


async def _menu_text(
    session: AsyncSession, me: User, viewer: Viewer, clock: Clock, locale: str
) -> str:
    info = await onboarding.profile(session, me, locale, viewer.zone)
    zone = viewer.zone
    return render(
        "settings/menu.html",
        profile=info,
        zone=zone_names().get(zone, zone),
        offset=kbs.utc_offset(zone, clock),
        own_zone=me.timezone is not None,
        now=clock.now(),
        tz=zone,
    )


@router.message(Command("settings"))
async def cmd_settings(
    message: Message,
    session: AsyncSession,
    me: User,
    viewer: Viewer,
    clock: Clock,
    i18n: I18n,
) -> None:
    text = await _menu_text(session, me, viewer, clock, i18n.current_locale)
    await message.answer(text, reply_markup=kbs.menu_kb())


@router.callback_query(SetCb.filter(F.act == SetAct.MENU))
async def on_menu(
    cq: CallbackQuery,
    session: AsyncSession,
    me: User,
    viewer: Viewer,
    clock: Clock,
    i18n: I18n,
) -> None:
    await show(
        cq, await _menu_text(session, me, viewer, clock, i18n.current_locale), kbs.menu_kb()
    )


@router.callback_query(SetCb.filter(F.act == SetAct.LANGS))
async def on_languages(cq: CallbackQuery) -> None:
    await show(cq, render("settings/language.html"), kbs.languages_kb())


@router.callback_query(SetCb.filter(F.act == SetAct.LANG))
async def on_language(
    cq: CallbackQuery,
    callback_data: SetCb,
    session: AsyncSession,
    me: User,
    viewer: Viewer,
    clock: Clock,
    i18n: I18n,
) -> None:
    onboarding.set_locale(me, callback_data.value, i18n.available_locales)
    with i18n.use_locale(callback_data.value):
        text = await _menu_text(session, me, viewer, clock, callback_data.value)
        await show(cq, text, kbs.menu_kb())


@router.callback_query(SetCb.filter(F.act == SetAct.ZONES))
async def on_zones(cq: CallbackQuery, clock: Clock) -> None:
    await show(cq, render("settings/timezone.html"), kbs.zones_kb(clock, zone_names()))


@router.callback_query(SetCb.filter(F.act.in_({SetAct.ZONE, SetAct.SCHOOL_ZONE})))
async def on_zone(
    cq: CallbackQuery,
    callback_data: SetCb,
    session: AsyncSession,
    me: User,
    viewer: Viewer,
    clock: Clock,
    i18n: I18n,
) -> None:
    set_timezone(me, callback_data.index if callback_data.act == SetAct.ZONE else None)
    viewer = await refreshed(session, viewer)
    text = await _menu_text(session, me, viewer, clock, i18n.current_locale)
    await show(cq, text, kbs.menu_kb())
