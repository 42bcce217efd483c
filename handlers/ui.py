"""Showing a screen in place of the message a button was on (one message per flow, no flood)."""

from __future__ import annotations

import contextlib
import html
import re

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

TAG = re.compile(r"<[^>]*>")


def _plain(text: str) -> str:
    """What Telegram keeps of an HTML text: no tags, entities decoded, no outer blanks."""
    return html.unescape(TAG.sub("", text)).strip()


def _buttons(markup: InlineKeyboardMarkup | None) -> object:
    return markup.model_dump(mode="json", exclude_none=True) if markup is not None else None


def unchanged(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Would this edit leave the message as it is? Telegram refuses such an edit with
    "message is not modified", so it is never sent."""
    current = (
        message.reply_markup if isinstance(message.reply_markup, InlineKeyboardMarkup) else None
    )
    return (message.text or "").strip() == _plain(text) and _buttons(current) == _buttons(markup)


async def _nothing_changed(cq: CallbackQuery, answered: bool) -> None:
    if not answered:
        with contextlib.suppress(TelegramBadRequest):  # a press answered too late
            await cq.answer(_("Nothing has changed."))


async def show(
    cq: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    answered: bool = False,
) -> None:
    """Edits the button's message; a message too old to edit, or one with a file, gets a fresh
    one instead. A press that would change nothing is answered "nothing has changed" instead of
    an edit.

    `answered`: the handler already answered the press (an alert), so this does not."""
    message = cq.message
    if isinstance(message, Message) and unchanged(message, text, markup):
        await _nothing_changed(cq, answered)
        return
    if isinstance(message, Message) and message.text is None:
        # A button under a file (a notice sent with its document): the file stays, the screen
        # comes as a new message (a caption cannot become a screen's text).
        await message.answer(text, reply_markup=markup)
    elif isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            # The copy of the message a press carries can be older than the message itself
            # (two presses in a row): Telegram then finds nothing to change after all.
            if "message is not modified" in exc.message:
                await _nothing_changed(cq, answered)
                return
            if "message can't be edited" not in exc.message:
                raise
            await message.answer(text, reply_markup=markup)
    elif cq.from_user is not None and cq.bot is not None:
        await cq.bot.send_message(cq.from_user.id, text, reply_markup=markup)
    if not answered:
        with contextlib.suppress(TelegramBadRequest):
            await cq.answer()
