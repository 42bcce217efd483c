"""Anything no other router took: never silence, always a way forward. Must be last."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

router = Router(name=__name__)


@router.message(F.text.startswith("/"))
async def on_unknown_command(message: Message) -> None:
    await message.answer(_("I don't know this command. /help lists the ones I do."))


@router.message(F.document)
async def on_stray_document(message: Message) -> None:
    await message.answer(_("I wasn't expecting a file here. /help shows what I can do."))


@router.message()
async def on_stray_message(message: Message) -> None:
    await message.answer(_("I didn't understand that. Use the buttons or /help."))


@router.callback_query()
async def on_stale_button(cq: CallbackQuery) -> None:
    await cq.answer(_("This button is out of date. Send /help to start again."), show_alert=True)
