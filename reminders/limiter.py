"""Telegram's pace: at most N messages in any one-second window overall, and about one per
second per chat; a 429 pauses everything for the `retry_after` Telegram asks for.

Telegram counts requests when they arrive, which is somewhere between our start and the
answer. So the window is measured from answers: a request may start only a second after the
answer to the request N places before it, and a chat's next message a second after the answer
to its last one. Whatever the network delays, no second on Telegram's side sees more.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

IN_FLIGHT = float("inf")
POLL = 0.005
SAFETY = 0.005


class Slot:
    __slots__ = ("answered",)

    def __init__(self) -> None:
        self.answered = IN_FLIGHT


class RateLimiter:
    def __init__(
        self,
        per_second: int = 30,
        per_chat_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second < 1:
            raise ValueError("per_second must be at least 1")
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self._clock = clock
        self._recent: deque[Slot] = deque(maxlen=per_second)
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def wait_for_chat(self, chat_id: int) -> None:
        """Waits until the chat may get its next message (call before taking a slot)."""
        wait = self._chat_next.get(chat_id, 0.0) - self._clock()
        if wait > 0:
            await asyncio.sleep(wait)

    async def acquire_global(self) -> Slot:
        """Takes a place in the window; pass it to `answered` when Telegram has answered."""
        async with self._lock:  # places are handed out in arrival order
            while (wait := self._global_wait()) > 0:
                await asyncio.sleep(min(wait, POLL) if wait == IN_FLIGHT else wait)
            slot = Slot()
            self._recent.append(slot)
            return slot

    def answered(self, slot: Slot, chat_id: int) -> None:
        now = self._clock()
        slot.answered = now
        self._chat_next[chat_id] = now + self.per_chat_interval + SAFETY
        if len(self._chat_next) > self.per_second * 1000:
            for chat in [c for c, t in self._chat_next.items() if t < now]:
                del self._chat_next[chat]

    def _global_wait(self) -> float:
        now = self._clock()
        wait = self._paused_until - now
        if len(self._recent) == self.per_second:
            oldest = self._recent[0].answered
            if oldest == IN_FLIGHT:
                return IN_FLIGHT
            wait = max(wait, oldest + 1.0 + SAFETY - now)
        return wait
