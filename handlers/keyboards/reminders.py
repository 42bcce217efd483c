"""Keyboards of /due and the reminder settings."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import gettext as ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from models.outbox import Mute
from reminders.prefs import DIGEST_CHOICES, OFFSET_CHOICES, QUIET_CHOICES, Prefs
from reminders.quiet import QuietHours
from reminders.texts import CATEGORIES, step_label
from ui.callbacks.reminders import PrefAct, QuietAct, RemAct, ReminderCb, RemPrefCb, RemQuietCb

MARK = "✓ "


def offset_label(offset: dt.timedelta) -> str:
    hours = int(offset.total_seconds() // 3600)
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("%(num)s day before", "%(num)s days before", days) % {"num": days}
    return ngettext("%(num)s hour before", "%(num)s hours before", hours) % {"num": hours}


def quiet_label(quiet: QuietHours) -> str:
    if quiet.off:
        return _("No quiet hours")
    return f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"


def _back(kb: InlineKeyboardBuilder) -> None:
    kb.button(text=_("« Back"), callback_data=RemPrefCb(act=PrefAct.MENU))


def due_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Export to calendar"), callback_data=RemPrefCb(act=PrefAct.CALENDAR))
    kb.button(text=_("Reminder settings"), callback_data=RemPrefCb(act=PrefAct.MENU))
    kb.adjust(2)
    return kb.as_markup()


def event_kb(event_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=_("Mute this event"), callback_data=ReminderCb(act=RemAct.MUTE, event_id=event_id)
    )
    kb.button(text=_("What's due"), callback_data=ReminderCb(act=RemAct.DUE))
    kb.adjust(2)
    return kb.as_markup()


def menu_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("When to remind"), callback_data=RemPrefCb(act=PrefAct.OFFSETS))
    kb.button(text=_("Quiet hours"), callback_data=RemPrefCb(act=PrefAct.QUIET_MENU))
    kb.button(text=_("Daily digest"), callback_data=RemPrefCb(act=PrefAct.DIGEST_MENU))
    kb.button(text=_("Muted"), callback_data=RemPrefCb(act=PrefAct.MUTES))
    kb.button(text=_("Quiet hours by calendar"), callback_data=RemQuietCb(act=QuietAct.LIST))
    kb.button(text=_("Export to calendar"), callback_data=RemPrefCb(act=PrefAct.CALENDAR))
    kb.adjust(2, 2, 1, 1)
    return kb.as_markup()


def calendar_quiet_list_kb(calendars: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per calendar (code, its line), then back to the settings."""
    kb = InlineKeyboardBuilder()
    for code, line in calendars:
        kb.button(text=line, callback_data=RemQuietCb(act=QuietAct.OPEN, cal=code))
    _back(kb)
    kb.adjust(1)
    return kb.as_markup()


def calendar_quiet_kb(code: str, own: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=("" if own else MARK) + _("As general"),
        callback_data=RemQuietCb(act=QuietAct.GENERAL, cal=code),
    )
    kb.button(
        text=(MARK if own else "") + _("Own hours…"),
        callback_data=RemQuietCb(act=QuietAct.CUSTOM, cal=code),
    )
    kb.button(text=_("« Calendars"), callback_data=RemQuietCb(act=QuietAct.LIST))
    kb.adjust(2, 1)
    return kb.as_markup()


def offsets_kb(prefs: Prefs) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for offset in OFFSET_CHOICES:
        mark = MARK if prefs.offsets is not None and offset in prefs.offsets else ""
        minutes = int(offset.total_seconds() // 60)
        kb.button(
            text=mark + offset_label(offset),
            callback_data=RemPrefCb(act=PrefAct.OFFSET, value=minutes),
        )
    mark = MARK if prefs.offsets is None else ""
    kb.button(
        text=mark + _("As usual for my role"), callback_data=RemPrefCb(act=PrefAct.OFFSETS_RESET)
    )
    _back(kb)
    kb.adjust(2, 2, 1, 1, 1)
    return kb.as_markup()


def quiet_kb(prefs: Prefs) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for index, quiet in enumerate(QUIET_CHOICES):
        mark = MARK if quiet == prefs.quiet else ""
        kb.button(
            text=mark + quiet_label(quiet), callback_data=RemPrefCb(act=PrefAct.QUIET, value=index)
        )
    _back(kb)
    kb.adjust(2)
    return kb.as_markup()


def digest_kb(prefs: Prefs) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for index, at in enumerate(DIGEST_CHOICES):
        mark = MARK if at == prefs.digest_at else ""
        kb.button(
            text=f"{mark}{at:%H:%M}", callback_data=RemPrefCb(act=PrefAct.DIGEST, value=index)
        )
    mark = MARK if prefs.digest_at is None else ""
    kb.button(
        text=mark + _("No digest: each reminder on time"),
        callback_data=RemPrefCb(act=PrefAct.DIGEST, value=-1),
    )
    _back(kb)
    kb.adjust(4, 1, 1)
    return kb.as_markup()


def mutes_kb(mutes: list[Mute], names: dict[int, str]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    muted = {m.target for m in mutes}
    for index, code in enumerate(CATEGORIES):
        mark = "🔕 " if f"step:{code}" in muted else "🔔 "
        kb.button(
            text=mark + step_label(code),
            callback_data=RemPrefCb(act=PrefAct.CATEGORY, value=index),
        )
    for mute in mutes:
        if mute.id in names:
            kb.button(
                text=_("Unmute: %(name)s") % {"name": names[mute.id]},
                callback_data=RemPrefCb(act=PrefAct.UNMUTE, value=mute.id),
            )
    _back(kb)
    kb.adjust(2, 2, *([1] * (len(names) + 1)))
    return kb.as_markup()
