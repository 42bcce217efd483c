"""Prometheus metrics of one process, in a registry of its own (tests build many apps).

Updates by type and outcome and the handler latency come from an outer middleware; Telegram's
429s and the `retry_after` seconds it asked for from a request middleware on both bots (replies
and reminder delivery); the outbox and the lease are read from the database at each scrape.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject, Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from reminders.status import DeliveryStatus

if TYPE_CHECKING:
    from aiogram import Bot

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(
            "bot_updates", "Updates handled, by type and outcome", ["type", "outcome"], registry=r
        )
        self.latency = Histogram(
            "bot_update_seconds", "Time to handle one update", ["type"],
            buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.throttled = Counter(
            "bot_telegram_429", "Telegram flood-control answers (429)", ["bot"], registry=r
        )
        self.retry_after = Counter(
            "bot_telegram_retry_after_seconds",
            "Seconds Telegram asked to wait (retry_after) before sending again",
            ["bot"],
            registry=r,
        )
        self.outbox = Gauge("bot_outbox_rows", "Outbox rows by status", ["status"], registry=r)
        self.outbox_due = Gauge("bot_outbox_due", "Pending outbox rows already due", registry=r)
        self.outbox_lag = Gauge(
            "bot_outbox_lag_seconds", "Age of the oldest due unsent outbox row", registry=r
        )
        self.lease = Gauge(
            "bot_delivery_lease_holder", "1 for the process holding the delivery lease",
            ["holder"], registry=r,
        )  # fmt: skip

    def record_delivery(self, status: DeliveryStatus) -> None:
        for name, count in status.by_status.items():
            self.outbox.labels(name).set(count)
        self.outbox_due.set(status.due)
        self.outbox_lag.set(status.lag_seconds)
        self.lease.clear()
        if status.lease_holder is not None:
            self.lease.labels(status.lease_holder).set(1)

    def instrument_bot(self, bot: Bot, name: str) -> None:
        bot.session.middleware(CountRetryAfter(self, name))


class UpdateMetrics(BaseMiddleware):
    """Outer middleware of `dp.update`: each update counted by type and outcome, and timed."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        started, outcome = time.perf_counter(), "error"
        try:
            result = await handler(event, data)
            outcome = "unhandled" if result is UNHANDLED else "handled"
            return result
        finally:
            self._metrics.latency.labels(kind).observe(time.perf_counter() - started)
            self._metrics.updates.labels(kind, outcome).inc()


class CountRetryAfter(BaseRequestMiddleware):
    def __init__(self, metrics: Metrics, bot_name: str) -> None:
        self._metrics = metrics
        self._name = bot_name

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as exc:
            self._metrics.throttled.labels(self._name).inc()
            self._metrics.retry_after.labels(self._name).inc(max(exc.retry_after, 0))
            raise
