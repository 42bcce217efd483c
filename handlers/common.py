"""/cancel: leaves any multi-step flow."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _

router = Router(name=__name__)


@router.message(Command("cancel"))
async def cmd_cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(_("There is nothing to cancel. /help shows what I can do."))
        return
    await state.clear()
    await message.answer(_("Cancelled. Nothing was changed."), reply_markup=ReplyKeyboardRemove())
