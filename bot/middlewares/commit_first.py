"""Commits the update's work before the bot says anything to Telegram.

Registered on the replying bot's session: a reply, an edit or a callback answer reaches the
user only after what it reports is committed, and no transaction stays open across the call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

from bot.update_unit import current_unit

if TYPE_CHECKING:
    from aiogram import Bot


class CommitBeforeSend(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        unit = current_unit.get()
        if unit is not None and unit.owns_current_task() and unit.session.in_transaction():
            await unit.commit()
        return await make_request(bot, method)
