"""Drops floods: one update per user per `rate` seconds, stricter where a handler asks.

Without Redis the window lives in this process. With Redis every replica checks one window per
person (`SET … PX rate NX`: the first update of a window wins), so a flood spread over replicas
by the load balancer is held back as on one process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, TelegramObject, User
from aiogram.utils.i18n import gettext as _

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)
MAX_TRACKED = 50_000


class FloodWindow(Protocol):
    async def admit(self, key: str, rate: float) -> bool:
        """True when no update with `key` was admitted in the last `rate` seconds."""


class LocalWindow:
    def __init__(self) -> None:
        self._seen: dict[str, float] = {}

    async def admit(self, key: str, rate: float) -> bool:
        now = time.monotonic()
        last = self._seen.get(key)
        if last is not None and now - last < rate:
            return False
        if len(self._seen) > MAX_TRACKED:
            self._seen.clear()
        self._seen[key] = now
        return True


class RedisWindow:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:flood:"

    async def admit(self, key: str, rate: float) -> bool:
        window_ms = max(1, round(rate * 1000))
        try:
            return bool(await self._redis.set(self._prefix + key, b"1", px=window_ms, nx=True))
        except Exception:  # Redis is down: better a flood than silence for everyone
            log.warning("flood window unavailable; letting the update through", exc_info=True)
            return True


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, rate: float, window: FloodWindow | None = None) -> None:
        self._rate = rate
        self._window = window or LocalWindow()

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
        if not await self._window.admit(f"{user.id}:{type(event).__name__}", rate):
            if isinstance(event, CallbackQuery):
                await event.answer(_("Too fast, please wait a moment."))
            return None
        return await handler(event, data)
