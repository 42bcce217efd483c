"""Keyboards of the catalog, the event card and "my status"."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.keyboards.rows import own_row
from models.enums import Level
from services.catalog.card import EventCard
from services.catalog.listing import PAGE_SIZE as CATALOG_PAGE
from services.catalog.listing import CatalogPage
from services.catalog.my_status import PAGE_SIZE as STATUS_PAGE
from services.catalog.my_status import StatusPage
from services.parents.links import ChildInfo
from ui.callbacks.catalog import (
    CatAct,
    CatCb,
    FilterKind,
    LevelF,
    MyCb,
    Origin,
    StatusF,
)
from ui.templating import local_date

LEVEL_SHORT = {
    Level.SCHOOL: __("school stage"),
    Level.MUNICIPAL: __("municipal stage"),
    Level.REGIONAL: __("regional stage"),
}
LEVEL_LABELS = {
    LevelF.ALL: __("all stages"),
    LevelF.SCHOOL: LEVEL_SHORT[Level.SCHOOL],
    LevelF.MUNICIPAL: LEVEL_SHORT[Level.MUNICIPAL],
    LevelF.REGIONAL: LEVEL_SHORT[Level.REGIONAL],
}
STATUS_LABELS = {
    StatusF.ALL: __("any status"),
    StatusF.REGISTRATION: __("open for sign-up"),
    StatusF.CONDUCTING: __("being held now"),
    StatusF.SUMMARIZING: __("results being summed up"),
    StatusF.FINISHED: __("finished, results final"),
    StatusF.CANCELLED: __("cancelled by the organiser"),
}


def _pager(
    kb: InlineKeyboardBuilder, page: int, pages: int, make: Callable[[int], CallbackData]
) -> None:
    if pages <= 1:
        return
    nav = InlineKeyboardBuilder()
    if page > 0:
        nav.button(text="◀", callback_data=make(page - 1))
    nav.button(text=f"{page + 1}/{pages}", callback_data=make(page))
    if page < pages - 1:
        nav.button(text="▶", callback_data=make(page + 1))
    kb.attach(nav)


def list_kb(
    page: CatalogPage, view: CatCb, subject_label: str, several_children: bool
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    first = page.page * CATALOG_PAGE
    for number, item in enumerate(page.items, start=first + 1):
        mark = "✅ " if item.own_state else ""
        text = f"{number}. {mark}{item.subject} · {LEVEL_SHORT[item.level]} · "
        text += local_date(item.held_on, "d MMM")
        kb.button(
            text=text,
            callback_data=view.model_copy(update={"act": CatAct.CARD, "ev": item.event_id}),
        )
    kb.adjust(1)
    _pager(kb, page.page, page.pages, lambda n: view.model_copy(update={"pg": n}))
    filters = InlineKeyboardBuilder()
    for kind, label in (
        (FilterKind.LEVEL, f"🔎 {LEVEL_LABELS[view.lv]}"),
        (FilterKind.SUBJECT, f"📚 {subject_label}"),
        (FilterKind.STATUS, f"🏷 {STATUS_LABELS[view.st]}"),
    ):
        filters.button(
            text=label, callback_data=view.model_copy(update={"act": CatAct.FILTER, "fk": kind})
        )
    filters.adjust(3)
    kb.attach(filters)
    tail = InlineKeyboardBuilder()
    if view.lv != LevelF.ALL or view.sj or view.st != StatusF.ALL:
        tail.button(
            text=_("✖ Show all olympiads"), callback_data=CatCb(act=CatAct.LIST, ch=view.ch)
        )
    if several_children:
        tail.button(text=_("👤 Another child"), callback_data=CatCb(act=CatAct.CHILDREN))
    tail.adjust(1)
    kb.attach(tail)
    return kb.as_markup()


def filter_kb(view: CatCb, options: list[tuple[str, CatCb, bool]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for label, data, current in options:
        kb.button(text=f"• {label}" if current else label, callback_data=data)
    kb.adjust(2)
    own_row(kb, _("« Back"), view.model_copy(update={"act": CatAct.LIST}))
    return kb.as_markup()


def card_kb(card: EventCard, view: CatCb, child: str | None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if card.level == Level.SCHOOL and card.can_register:
        label = (_("✍️ Sign up %(name)s") % {"name": child}) if child else _("✍️ Sign me up")
        kb.button(text=label, callback_data=view.model_copy(update={"act": CatAct.REGISTER}))
    if card.level == Level.SCHOOL and card.can_unregister:
        kb.button(
            text=_("↩️ Withdraw the registration"),
            callback_data=view.model_copy(update={"act": CatAct.UNREGISTER}),
        )
    if view.o == Origin.STATUS:
        kb.button(text=_("« To my registrations"), callback_data=MyCb(ch=view.ch))
    else:
        kb.button(
            text=_("« To the list"), callback_data=view.model_copy(update={"act": CatAct.LIST})
        )
    kb.adjust(1)
    return kb.as_markup()


def unregister_kb(view: CatCb) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=_("Yes, withdraw"),
        callback_data=view.model_copy(update={"act": CatAct.UNREGISTER_OK}),
    )
    kb.button(
        text=_("No, leave it as it is"),
        callback_data=view.model_copy(update={"act": CatAct.CARD}),
    )
    kb.adjust(1)
    return kb.as_markup()


def children_kb(children: list[ChildInfo], status: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for child in children:
        data = MyCb(ch=child.id) if status else CatCb(act=CatAct.LIST, ch=child.id)
        kb.button(text=f"👤 {child.name}", callback_data=data)
    kb.adjust(1)
    return kb.as_markup()


def status_kb(page: StatusPage, ch: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for number, row in enumerate(page.rows, start=page.page * STATUS_PAGE + 1):
        day = local_date(row.held_on, "d MMM")
        text = f"{number}. {row.subject} · {LEVEL_SHORT[row.level]} · {day}"
        data = CatCb(act=CatAct.CARD, ch=ch, ev=row.event_id, o=Origin.STATUS)
        kb.button(text=text, callback_data=data)
    kb.adjust(1)
    _pager(kb, page.page, page.pages, lambda n: MyCb(ch=ch, pg=n))
    own_row(kb, _("📚 All olympiads"), CatCb(act=CatAct.LIST, ch=ch))
    return kb.as_markup()
