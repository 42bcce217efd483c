"""Loads the person behind the update (creating them on first contact) as `me` and `ident`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.middlewares.i18n import preferred_locale
from bot.settings import Settings
from calendars.clock import Clock
from services.identity import identify


class UserMiddleware(BaseMiddleware):
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._admin_ids = settings.admin_ids
        self._clock = clock

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: User | None = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return await handler(event, data)
        ident = await identify(
            data["session"], tg_user.id, tg_user.full_name, self._admin_ids, self._clock.now()
        )
        data["ident"] = ident
        data["me"] = ident.user
        data["locale"] = preferred_locale(ident.user, tg_user)
        return await handler(event, data)
