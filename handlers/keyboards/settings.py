"""Keyboards of /settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from calendars.clock import Clock
from handlers.keyboards.onboarding import LANGUAGES
from handlers.keyboards.rows import own_row
from services.people.timezones import RUSSIAN_ZONES
from ui.callbacks.foundation import SetAct, SetCb

# Other features add their own rows to the settings menu (text factory, callback data).
EXTRA_ROWS: list[tuple[object, object]] = []


def menu_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Language"), callback_data=SetCb(act=SetAct.LANGS))
    kb.button(text=_("Time zone"), callback_data=SetCb(act=SetAct.ZONES))
    for label, data in EXTRA_ROWS:
        kb.button(text=str(label), callback_data=data)  # type: ignore[arg-type]
    kb.adjust(2, 1)
    return kb.as_markup()


def languages_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for code, label in LANGUAGES:
        kb.button(text=label, callback_data=SetCb(act=SetAct.LANG, value=code))
    kb.button(text=_("« Back"), callback_data=SetCb(act=SetAct.MENU))
    kb.adjust(2, 1)
    return kb.as_markup()


def utc_offset(zone: str, clock: Clock) -> str:
    offset = clock.now().astimezone(ZoneInfo(zone)).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return f"UTC{hours:+d}"


def zones_kb(clock: Clock, names: dict[str, str]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for index, zone in enumerate(RUSSIAN_ZONES):
        label = f"{names.get(zone, zone)} ({utc_offset(zone, clock)})"
        kb.button(text=label, callback_data=SetCb(act=SetAct.ZONE, index=index))
    kb.adjust(2)
    own_row(kb, _("As my school"), SetCb(act=SetAct.SCHOOL_ZONE))
    own_row(kb, _("« Back"), SetCb(act=SetAct.MENU))
    return kb.as_markup()
