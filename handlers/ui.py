"""Showing a screen in place of the message a button was on (one message per flow, no flood)."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def show(cq: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edits the button's message; a message too old to edit gets a fresh one instead."""
    message = cq.message
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            if "message is not modified" not in exc.message:
                if "message can't be edited" not in exc.message:
                    raise
                await message.answer(text, reply_markup=markup)
    elif cq.from_user is not None and cq.bot is not None:
        await cq.bot.send_message(cq.from_user.id, text, reply_markup=markup)
    with contextlib.suppress(TelegramBadRequest):
        await cq.answer()
