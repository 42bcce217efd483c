"""Keyboards of the onboarding steps."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from services.people.onboarding import GRADES, Page
from ui.callbacks.foundation import OnbCb, OnbStep

LANGUAGES = (("ru", "Русский"), ("en", "English"))


def languages_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for code, label in LANGUAGES:
        kb.button(text=label, callback_data=OnbCb(step=OnbStep.LANG, value=code))
    return kb.as_markup()


def kinds_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("I am a student"), callback_data=OnbCb(step=OnbStep.KIND, value="student"))
    kb.button(text=_("I am a parent"), callback_data=OnbCb(step=OnbStep.KIND, value="parent"))
    kb.adjust(1)
    return kb.as_markup()


def _choices_kb(page: Page, step: OnbStep, pager_step: OnbStep) -> InlineKeyboardBuilder:
    kb = InlineKeyboardBuilder()
    for item in page.items:
        kb.button(text=item.name[:60], callback_data=OnbCb(step=step, id=item.id))
    kb.adjust(1)
    if page.pages > 1:
        row = []
        if page.page > 0:
            row.append(("◀", page.page - 1))
        if page.page < page.pages - 1:
            row.append(("▶", page.page + 1))
        nav = InlineKeyboardBuilder()
        for label, target in row:
            nav.button(
                text=label,
                callback_data=OnbCb(step=pager_step, id=page.parent_id, page=target),
            )
        kb.attach(nav)
    return kb


def regions_kb(page: Page) -> InlineKeyboardMarkup:
    return _choices_kb(page, OnbStep.REGION, OnbStep.REGIONS).as_markup()


def municipalities_kb(page: Page) -> InlineKeyboardMarkup:
    kb = _choices_kb(page, OnbStep.MUNI, OnbStep.REGION)
    kb.row(
        InlineKeyboardButton(text=_("« Back"), callback_data=OnbCb(step=OnbStep.REGIONS).pack())
    )
    return kb.as_markup()


def schools_kb(page: Page, region_id: int) -> InlineKeyboardMarkup:
    kb = _choices_kb(page, OnbStep.SCHOOL, OnbStep.MUNI)
    back = OnbCb(step=OnbStep.REGION, id=region_id).pack()
    kb.row(InlineKeyboardButton(text=_("« Back"), callback_data=back))
    return kb.as_markup()


def grades_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for grade in GRADES:
        kb.button(text=str(grade), callback_data=OnbCb(step=OnbStep.GRADE, id=grade))
    kb.adjust(4)
    return kb.as_markup()
