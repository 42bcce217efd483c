"""Keyboards of the catalog, the event card and "my status"."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
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


def _pager_row(
    page: int, pages: int, make: Callable[[int], CallbackData]
) -> list[InlineKeyboardButton]:
    if pages <= 1:
        return []
    row = [_button("◀", make(page - 1))] if page > 0 else []
    row.append(_button(f"{page + 1}/{pages}", make(page)))
    if page < pages - 1:
        row.append(_button("▶", make(page + 1)))
    return row


def _pager(
    kb: InlineKeyboardBuilder, page: int, pages: int, make: Callable[[int], CallbackData]
) -> None:
    if row := _pager_row(page, pages, make):
        kb.row(*row)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def list_kb(
    page: CatalogPage, view: CatCb, subject_label: str, several_children: bool
) -> InlineKeyboardMarkup:
    # Rows, not a builder: the catalog is the busiest screen, and the builder copies all its
    # buttons each time one is added.
    rows: list[list[InlineKeyboardButton]] = []
    first = page.page * CATALOG_PAGE
    for number, item in enumerate(page.items, start=first + 1):
        mark = "✅ " if item.own_state else ""
        text = f"{number}. {mark}{item.subject} · {LEVEL_SHORT[item.level]} · "
        text += local_date(item.held_on, "d MMM")
        card = view.model_copy(update={"act": CatAct.CARD, "ev": item.event_id})
        rows.append([_button(text, card)])
    if nav := _pager_row(page.page, page.pages, lambda n: view.model_copy(update={"pg": n})):
        rows.append(nav)
    rows.append(
        [
            _button(label, view.model_copy(update={"act": CatAct.FILTER, "fk": kind}))
            for kind, label in (
                (FilterKind.LEVEL, f"🔎 {LEVEL_LABELS[view.lv]}"),
                (FilterKind.SUBJECT, f"📚 {subject_label}"),
                (FilterKind.STATUS, f"🏷 {STATUS_LABELS[view.st]}"),
            )
        ]
    )
    if view.lv != LevelF.ALL or view.sj or view.st != StatusF.ALL:
        rows.append([_button(_("✖ Show all olympiads"), CatCb(act=CatAct.LIST, ch=view.ch))])
    if several_children:
        rows.append([_button(_("👤 Another child"), CatCb(act=CatAct.CHILDREN))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


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
