"""Keyboard rows that builders get wrong by default."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder


def own_row(kb: InlineKeyboardBuilder, text: str, callback_data: CallbackData) -> None:
    """One button on a row of its own (a «Back», a footer action).

    `kb.row()` with no buttons adds no row, so a `kb.button()` after it fills up the last row
    instead: «Back» would sit beside the last item of the list."""
    kb.row(InlineKeyboardButton(text=text, callback_data=callback_data.pack()))
