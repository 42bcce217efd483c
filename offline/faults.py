"""Forced failures and flood control for the fake Bot API server."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from offline.state import ApiError, Fault, FaultKind, RateLimits
from offline.updates import CONFLICT

_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def fault_error(fault: Fault) -> ApiError:
    """The answer for an HTTP-status fault, worded as Telegram words it."""
    code = int(fault.error)
    if code == 429:  # noqa: PLR2004 - HTTP status
        return ApiError(
            429,
            fault.description or f"Too Many Requests: retry after {fault.retry_after}",
            retry_after=fault.retry_after,
        )
    return ApiError(code, fault.description or _DESCRIPTIONS.get(code, f"Error {code}"))


class FaultQueue:
    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def push(  # noqa: PLR0913 - mirrors the fault's fields
        self,
        method: str | None,
        error: FaultKind,
        *,
        times: int,
        retry_after: int,
        description: str | None,
        delay: float,
        chat_id: int | None,
    ) -> Fault:
        if isinstance(error, str) and error not in ("timeout", "drop", "gateway"):
            msg = f"unknown fault {error!r}: use an HTTP status, 'timeout', 'drop' or 'gateway'"
            raise ValueError(msg)
        fault = Fault(
            method=method,
            error=error,
            remaining=times,
            retry_after=retry_after,
            description=description,
            delay=delay,
            chat_id=chat_id,
        )
        self.faults.append(fault)
        return fault

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
                return fault
        return None


class RateLimiter:
    """Sliding one-second window overall, token bucket per chat."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._window: deque[float] = deque()
        self._buckets: dict[int, tuple[float, float]] = {}

    def check(self, method: str, chat_id: int | None) -> None:
        limits = self.limits
        if not limits.enabled or method not in limits.methods:
            return
        now = self.clock()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= limits.global_per_second:
            raise _too_many(1.0 - (now - self._window[0]))
        rate = limits.per_chat_per_second
        if rate and chat_id is not None:
            tokens, last = self._buckets.get(chat_id, (float(limits.per_chat_burst), now))
            tokens = min(float(limits.per_chat_burst), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[chat_id] = (tokens, now)
                raise _too_many((1.0 - tokens) / rate)
            self._buckets[chat_id] = (tokens - 1.0, now)
        self._window.append(now)


def _too_many(wait: float) -> ApiError:
    seconds = max(1, math.ceil(wait))
    return ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
