"""Sending composed messages within Telegram's limits and recording each outcome at once.

Outcomes: success → `sent` (committed right after Telegram answers); 429 → the row waits
`retry_after` and all sending pauses as long; 403 → the person is unreachable and what is due
for them is dropped; network errors, timeouts and 5xx → retried with exponential backoff, then
`failed`; any other 4xx → `failed` (sending again would get the same answer).

Crash window: a message Telegram has accepted is recorded as sent in its own commit right after
the answer arrives. If the process dies between the two (kill -9, power loss), the row stays
`sending`; when its lease expires it returns to `pending` and is sent again. The Bot API has no
idempotency key, so this window cannot be closed; it is kept to one local commit per message,
and at most `concurrency` messages can be in it at any moment.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import BufferedInputFile, Message

from calendars.clock import Clock
from models.outbox import DeliveryOutcome, OutboxStatus
from reminders.compose import Outgoing, OutgoingFile
from reminders.limiter import RateLimiter
from reminders.outcomes import Outcomes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    request_timeout: int = 20
    upload_timeout: int = 120  # a document's bytes (a report of a large class list) take longer

    def backoff(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(
            seconds=min(self.cap_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        )


@dataclass
class DeliveryStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    released: int = 0


class Sender:
    def __init__(
        self,
        bot: Bot,
        outcomes: Outcomes,
        clock: Clock,
        limiter: RateLimiter,
        policy: RetryPolicy,
        lease_valid: Callable[[], bool],
        *,
        concurrency: int = 4,
    ) -> None:
        self._bot, self._outcomes, self._clock = bot, outcomes, clock
        self._limiter, self._policy, self._lease_valid = limiter, policy, lease_valid
        self._concurrency = concurrency

    async def deliver(self, messages: list[Outgoing], stats: DeliveryStats) -> None:
        """Each person's messages in order; people in parallel up to `concurrency`."""
        by_user: dict[int, list[Outgoing]] = {}
        for message in messages:
            by_user.setdefault(message.user_id, []).append(message)
        gate = asyncio.Semaphore(self._concurrency)

        async def one_person(queue: list[Outgoing]) -> None:
            for index, message in enumerate(queue):
                # Waiting for the chat's own pace holds no sending slot: others go meanwhile.
                # The slot does cover recording the outcome: a crash can then repeat at most
                # `concurrency` messages that Telegram took but the outbox did not record.
                # (The rate window itself is freed as soon as Telegram answers.)
                await self._limiter.wait_for_chat(message.chat_id)
                async with gate:
                    posted = await self._post(message)
                    proceed = await self._record(message, posted, stats)
                if not proceed:
                    await self._give_up(queue[index + 1 :], stats)
                    return

        await asyncio.gather(*(one_person(queue) for queue in by_user.values()))

    async def _give_up(self, rest: list[Outgoing], stats: DeliveryStats) -> None:
        for message in rest:
            await self._outcomes.finish(
                message.user_id,
                message.chat_id,
                message.row_ids,
                OutboxStatus.DROPPED,
                DeliveryOutcome.UNREACHABLE,
                "unreachable",
                self._clock.now(),
            )
            stats.dropped += len(message.row_ids)

    async def _post(self, message: Outgoing) -> Message | bool | Exception | None:
        """Sends within the global pace; None when the lease is gone and nothing was sent."""
        if not self._lease_valid():
            return None
        slot = await self._limiter.acquire_global()
        try:
            if not self._lease_valid():
                return None
            if message.menu is not None:
                return await self._bot.set_chat_menu_button(
                    chat_id=message.chat_id,
                    menu_button=message.menu,
                    request_timeout=self._policy.request_timeout,
                )
            if message.document is not None:
                return await self._send_document(message, message.document)
            return await self._bot.send_message(
                message.chat_id,
                message.text,
                reply_markup=message.markup,
                parse_mode="HTML",
                request_timeout=self._policy.request_timeout,
            )
        except Exception as exc:  # noqa: BLE001 - every failure is classified and recorded
            return exc
        finally:
            self._limiter.answered(slot, message.chat_id)

    async def _send_document(self, message: Outgoing, file: OutgoingFile) -> Message:
        """The same gate, pace and outcomes as a text: only the request differs."""
        if file.file_id is not None:
            source: str | BufferedInputFile = file.file_id
            timeout = self._policy.request_timeout
        else:
            assert file.content is not None  # enqueue_document stores one or the other
            source = BufferedInputFile(file.content, filename=file.file_name)
            timeout = max(self._policy.request_timeout, self._policy.upload_timeout)
        return await self._bot.send_document(
            message.chat_id,
            source,
            caption=message.text or None,
            parse_mode="HTML" if message.text else None,
            reply_markup=message.markup,
            request_timeout=timeout,
        )

    async def _record(
        self, message: Outgoing, posted: Message | bool | Exception | None, stats: DeliveryStats
    ) -> bool:
        """False when nothing more should go to this person in this batch."""
        if posted is None:
            return await self._leave(message, stats)
        if isinstance(posted, Exception):
            return await self._failed(message, posted, stats)
        sent_id = posted.message_id if isinstance(posted, Message) else None  # a menu button
        file_id = (
            posted.document.file_id
            if isinstance(posted, Message) and posted.document is not None
            else None
        )
        await self._outcomes.sent(
            message.user_id, message.chat_id, message.row_ids, sent_id, self._clock.now(),
            file_id=file_id,
        )  # fmt: skip
        stats.sent += len(message.row_ids)
        return True

    async def _leave(self, message: Outgoing, stats: DeliveryStats) -> bool:
        """The lease is gone: another process may take over now, so the rows go back."""
        await self._outcomes.release(message.row_ids)
        stats.released += len(message.row_ids)
        return True

    async def _failed(self, message: Outgoing, exc: Exception, stats: DeliveryStats) -> bool:
        now, ids = self._clock.now(), message.row_ids
        user_id, chat_id = message.user_id, message.chat_id
        if isinstance(exc, TelegramRetryAfter):
            self._limiter.pause(exc.retry_after)
            at = now + dt.timedelta(seconds=exc.retry_after)
            await self._outcomes.retry(
                user_id,
                chat_id,
                ids,
                at,
                DeliveryOutcome.RATE_LIMITED,
                f"429 retry after {exc.retry_after}s",
                now,
            )
            stats.retried += len(ids)
            return True
        if isinstance(exc, TelegramForbiddenError) or (
            isinstance(exc, TelegramBadRequest) and "chat not found" in exc.message
        ):
            await self._outcomes.unreachable(user_id, chat_id, ids, str(exc), now)
            stats.dropped += len(ids)
            return False
        if isinstance(exc, TelegramBadRequest):
            log.error("Telegram refused a message for user %s: %s", user_id, exc)
            await self._outcomes.finish(
                user_id, chat_id, ids, OutboxStatus.FAILED, DeliveryOutcome.FAILED, str(exc), now
            )
            stats.failed += len(ids)
            return True
        return await self._backoff(message, exc, stats)

    async def _backoff(self, message: Outgoing, exc: Exception, stats: DeliveryStats) -> bool:
        now, ids = self._clock.now(), message.row_ids
        error = f"{type(exc).__name__}: {exc}"
        if message.attempts >= self._policy.max_attempts:
            log.error("giving up on rows %s after %d attempts: %s", ids, message.attempts, error)
            await self._outcomes.finish(
                message.user_id,
                message.chat_id,
                ids,
                OutboxStatus.FAILED,
                DeliveryOutcome.FAILED,
                error,
                now,
            )
            stats.failed += len(ids)
            return True
        at = now + self._policy.backoff(message.attempts)
        await self._outcomes.retry(
            message.user_id, message.chat_id, ids, at, DeliveryOutcome.RETRY, error, now
        )
        stats.retried += len(ids)
        return True
