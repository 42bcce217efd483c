"""Keyboards of /steps: calendars, a school's steps, a step, the lagging schools."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from ui.callbacks.calendar_steps import CoAct, CoCb, CsAct, CsCb

LABEL_CHARS = 48


def short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pager(kb: InlineKeyboardBuilder, cb: CsCb | CoCb, page: int, pages: int) -> None:
    if pages < 2:  # noqa: PLR2004 - one page needs no arrows
        return
    nav = InlineKeyboardBuilder()
    if page > 0:
        nav.button(text="◀", callback_data=cb.model_copy(update={"page": page - 1}))
    nav.button(text=f"{page + 1}/{pages}", callback_data=cb.model_copy(update={"page": page}))
    if page < pages - 1:
        nav.button(text="▶", callback_data=cb.model_copy(update={"page": page + 1}))
    kb.attach(nav)


def menu_kb(entries: list[tuple[str, CsCb | CoCb]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for label, cb in entries:
        kb.button(text=short(label, 60), callback_data=cb)
    kb.adjust(1)
    return kb.as_markup()


def board_kb(
    buttons: list[tuple[str, CsCb]], cb: CsCb, page: int, pages: int, muted: bool
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for label, target in buttons:
        kb.button(text=short(label), callback_data=target)
    kb.adjust(1)
    pager(kb, cb, page, pages)
    back = InlineKeyboardBuilder()
    mute = _("🔔 Remind me again") if muted else _("🔕 No reminders of this calendar")
    back.button(text=mute, callback_data=CsCb(act=CsAct.MUTE, cal=cb.cal, school=cb.school))
    back.button(text=_("« Calendars"), callback_data=CsCb(act=CsAct.CALENDARS))
    back.adjust(1)
    kb.attach(back)
    return kb.as_markup()


def step_kb(cb: CsCb, can_mark: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if can_mark:
        kb.button(text=_("✅ Mark done"), callback_data=cb.model_copy(update={"act": CsAct.DONE}))
    kb.button(
        text=_("« Steps"),
        callback_data=CsCb(act=CsAct.BOARD, cal=cb.cal, school=cb.school),
    )
    kb.adjust(1)
    return kb.as_markup()


def lag_kb(cb: CsCb, page: int, pages: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    pager(kb, cb, page, pages)
    back = InlineKeyboardBuilder()
    back.button(text=_("« Calendars"), callback_data=CsCb(act=CsAct.CALENDARS))
    kb.attach(back)
    return kb.as_markup()


def office_board_kb(
    buttons: list[tuple[str, CoCb]], cb: CoCb, page: int, pages: int
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for label, target in buttons:
        kb.button(text=short(label), callback_data=target)
    kb.adjust(1)
    pager(kb, cb, page, pages)
    back = InlineKeyboardBuilder()
    back.button(text=_("« Calendars"), callback_data=CsCb(act=CsAct.CALENDARS))
    kb.attach(back)
    return kb.as_markup()


def office_step_kb(cb: CoCb, can_mark: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if can_mark:
        kb.button(text=_("✅ Mark done"), callback_data=cb.model_copy(update={"act": CoAct.DONE}))
    board = CoCb(act=CoAct.BOARD, cal=cb.cal, org=cb.org, id=cb.id)
    kb.button(text=_("« Steps"), callback_data=board)
    kb.adjust(1)
    return kb.as_markup()
