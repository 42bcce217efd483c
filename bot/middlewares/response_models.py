"""Keeps the response models of the Bot API methods the bot calls alive.

aiogram checks every answer against `Response[T]`, a generic pydantic model built on first use.
pydantic caches these in a weak dictionary, and a model class lives in reference cycles, so the
next garbage collection frees it and the following call builds it again: about 5 ms each time,
dozens of times a minute under load. One strong reference per return type ends that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

if TYPE_CHECKING:
    from aiogram import Bot


class KeepResponseModels(BaseRequestMiddleware):
    def __init__(self) -> None:
        self._kept: dict[Any, type] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
