"""Drops floods: one update per user per `rate` seconds, stricter where a handler asks.

The window lives in this process: a replica that misses a flood lets a few extra updates through,
which is harmless, so it needs no shared store.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, TelegramObject, User
from aiogram.utils.i18n import gettext as _

MAX_TRACKED = 50_000


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, rate: float) -> None:
        self._rate = rate
        self._seen: dict[tuple[int, str], float] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        rate = get_flag(data, "throttle", default=self._rate)
        if user is None or not rate:
            return await handler(event, data)
        key = (user.id, type(event).__name__)
        now = time.monotonic()
        last = self._seen.get(key)
        if last is not None and now - last < rate:
            if isinstance(event, CallbackQuery):
                await event.answer(_("Too fast, please wait a moment."))
            return None
        if len(self._seen) > MAX_TRACKED:
            self._seen.clear()
        self._seen[key] = now
        return await handler(event, data)
