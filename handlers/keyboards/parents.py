"""Keyboards of /children (the parent's side) and /parentcode (the child's side)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.keyboards.rows import own_row
from services.parents.links import ChildInfo, ParentInfo
from services.people.onboarding import GRADES, Page
from ui.callbacks.catalog import CatAct, CatCb, MyCb, ParAct, ParCb
from ui.callbacks.consent import ConAct, ConsentCb


def children_kb(children: list[ChildInfo]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for child in children:
        kb.button(text=f"👤 {child.name}", callback_data=ParCb(act=ParAct.CHILD, id=child.id))
    kb.button(text=_("🔑 Enter my child's code"), callback_data=ParCb(act=ParAct.LINK))
    kb.button(text=_("➕ Add a child under 14"), callback_data=ParCb(act=ParAct.CREATE))
    kb.adjust(1)
    return kb.as_markup()


def child_kb(child: ChildInfo) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("📚 Olympiads"), callback_data=CatCb(act=CatAct.LIST, ch=child.id))
    kb.button(text=_("📋 Registrations and results"), callback_data=MyCb(ch=child.id))
    kb.button(text=_("📝 Consent"), callback_data=ConsentCb(act=ConAct.OPEN, id=child.id))
    remove = _("🗑 Delete the profile") if child.managed else _("✖ Remove the link")
    kb.button(text=remove, callback_data=ParCb(act=ParAct.UNLINK, id=child.id))
    kb.button(text=_("« My children"), callback_data=ParCb(act=ParAct.LIST))
    kb.adjust(1)
    return kb.as_markup()


def confirm_kb(yes: ParCb, no: ParCb) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("✔ Yes, remove"), callback_data=yes)
    kb.button(text=_("No, leave it as it is"), callback_data=no)
    kb.adjust(1)
    return kb.as_markup()


def cancel_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("« My children"), callback_data=ParCb(act=ParAct.LIST))
    return kb.as_markup()


def schools_kb(page: Page, own_school: tuple[int, str] | None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if own_school is not None and page.page == 0:
        kb.button(
            text=_("🏫 Same as mine: %(school)s") % {"school": own_school[1][:40]},
            callback_data=ParCb(act=ParAct.SCHOOL, id=own_school[0]),
        )
    for item in page.items:
        if own_school is None or item.id != own_school[0]:
            kb.button(text=item.name[:60], callback_data=ParCb(act=ParAct.SCHOOL, id=item.id))
    kb.adjust(1)
    nav = InlineKeyboardBuilder()
    if page.page > 0:
        nav.button(text="◀", callback_data=ParCb(act=ParAct.SCHOOLS, pg=page.page - 1))
    if page.page < page.pages - 1:
        nav.button(text="▶", callback_data=ParCb(act=ParAct.SCHOOLS, pg=page.page + 1))
    kb.attach(nav)
    own_row(kb, _("« My children"), ParCb(act=ParAct.LIST))
    return kb.as_markup()


def grades_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for grade in GRADES:
        kb.button(text=str(grade), callback_data=ParCb(act=ParAct.GRADE, id=grade))
    kb.adjust(4)
    own_row(kb, _("« My children"), ParCb(act=ParAct.LIST))
    return kb.as_markup()


def code_kb(parents: list[ParentInfo]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for parent in parents:
        kb.button(
            text=_("✖ Unlink %(name)s") % {"name": parent.name[:40]},
            callback_data=ParCb(act=ParAct.DROP_PARENT, id=parent.id),
        )
    kb.button(text=_("🔄 New code"), callback_data=ParCb(act=ParAct.NEW_CODE))
    kb.adjust(1)
    return kb.as_markup()
