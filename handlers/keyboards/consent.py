"""Keyboards of the consent screens: a parent's children, one child, a curator's school list."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.keyboards.rows import own_row
from models.consent import ConsentMethod
from services.consent.school import SchoolConsents
from services.consent.state import ConsentState
from services.curator.school import CuratedSchool
from ui.callbacks.consent import ConAct, ConsentCb

NAME_WIDTH = 40


def mark(state: ConsentState) -> str:
    if state.given:
        return "✅"
    return "⏳" if state.deadline is not None else "·"


def children_kb(states: list[ConsentState]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for state in states:
        kb.button(
            text=f"{mark(state)} {state.name[:NAME_WIDTH]}",
            callback_data=ConsentCb(act=ConAct.OPEN, id=state.student_id),
        )
    kb.adjust(1)
    return kb.as_markup()


def child_kb(state: ConsentState, several: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if state.given:
        kb.button(
            text=_("✖ Withdraw the consent"),
            callback_data=ConsentCb(act=ConAct.WITHDRAW, id=state.student_id),
        )
    else:
        kb.button(
            text=_("✔ I consent"), callback_data=ConsentCb(act=ConAct.GIVE, id=state.student_id)
        )
    kb.adjust(1)
    if several:
        own_row(kb, _("« All children"), ConsentCb(act=ConAct.LIST))
    return kb.as_markup()


def withdraw_kb(student_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=_("✔ Yes, withdraw"), callback_data=ConsentCb(act=ConAct.WITHDRAW_OK, id=student_id)
    )
    kb.button(text=_("No, keep it"), callback_data=ConsentCb(act=ConAct.OPEN, id=student_id))
    kb.adjust(1)
    return kb.as_markup()


def schools_kb(schools: list[CuratedSchool]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for school in schools:
        kb.button(text=school.name[:60], callback_data=ConsentCb(act=ConAct.SCHOOL, id=school.id))
    kb.adjust(1)
    return kb.as_markup()


def school_kb(found: SchoolConsents) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    school = found.school.id
    for state in found.items:
        name = state.name[:NAME_WIDTH]
        if state.missing and not state.has_parent:
            kb.button(
                text=_("📄 Paper form received: %(name)s") % {"name": name},
                callback_data=ConsentCb(act=ConAct.MARK, id=state.student_id, sc=school),
            )
        elif state.given and state.method == ConsentMethod.PAPER:
            kb.button(
                text=_("↩ Take back the paper mark: %(name)s") % {"name": name},
                callback_data=ConsentCb(act=ConAct.UNMARK, id=state.student_id, sc=school),
            )
    kb.adjust(1)
    if found.pages > 1:
        nav = InlineKeyboardBuilder()
        if found.page > 0:
            nav.button(
                text="◀", callback_data=ConsentCb(act=ConAct.SCHOOL, id=school, pg=found.page - 1)
            )
        if found.page < found.pages - 1:
            nav.button(
                text="▶", callback_data=ConsentCb(act=ConAct.SCHOOL, id=school, pg=found.page + 1)
            )
        kb.attach(nav)
    return kb.as_markup()
