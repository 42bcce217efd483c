"""Every request of the replying bot survives Telegram's flood control and its passing 5xx.

Telegram answers 429 with the seconds to wait (`retry_after`), and a proxy in front of it may
answer 502 with an HTML page (aiogram: `ClientDecodeError`). Either way the reply is still
wanted: wait as told, or back off, and send it again, within a bound, so an update is never
held for long (its transaction is open meanwhile). The delivery worker has a bot of its own
without this: it reschedules through the outbox instead of waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import ClientDecodeError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)
# Errors of Telegram's side that a later identical request can get past.
PASSING = (TelegramRetryAfter, TelegramServerError, ClientDecodeError)


class ReplyQueuedError(TelegramRetryAfter):
    """The reply went to the outbox: the rest of the handler is not run (what it did so far is
    committed), and the error handlers treat it as the flood wait it is."""


class PatientRequests(BaseRequestMiddleware):
    def __init__(
        self,
        *,
        max_wait: float = 15.0,
        attempts: int = 5,
        backoff: float = 0.5,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        handoff: Callable[[TelegramMethod[Any], float], Awaitable[bool]] | None = None,
    ) -> None:
        self.max_wait = max_wait
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        # Takes a reply whose wait is past the bound (the outbox sends it later); see
        # bot/reply_handoff.py.
        self.handoff = handoff

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if method.__api_method__ == GetUpdates.__api_method__:  # polling backs off on its own
            return await make_request(bot, method)
        waited, attempt = 0.0, 1
        while True:
            try:
                return await make_request(bot, method)
            except PASSING as exc:
                delay = self._delay(exc, attempt)
                if attempt >= self.attempts or waited + delay > self.max_wait:
                    if self.handoff is not None and await self.handoff(method, delay):
                        raise ReplyQueuedError(
                            method=method,
                            message=f"reply queued in the outbox for {delay:.0f}s",
                            retry_after=int(delay),
                        ) from exc
                    raise
            log.warning(
                "Telegram asked to wait; sending again",
                extra={"method": type(method).__name__, "delay": delay, "attempt": attempt},
            )
            await self.sleep(delay)
            waited, attempt = waited + delay, attempt + 1

    def _delay(self, exc: Exception, attempt: int) -> float:
        if isinstance(exc, TelegramRetryAfter):
            seconds: float = exc.retry_after
            return max(seconds, 0.0) + 0.05  # the moment it names, not before
        return self.backoff * 2.0 ** (attempt - 1)
