"""A strict in-process stand-in for api.telegram.org, driven by tests and the offline console.

The bot under test talks to it over real HTTP through aiogram's ``AiohttpSession`` (see
:meth:`FakeBotAPI.make_bot`), so every request goes through aiogram's own serialisation and
error mapping.  Simulated users queue updates; ``user_*`` coroutines return once the bot has
confirmed the update, which with ``handle_as_tasks=False`` means it has fully handled it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from types import TracebackType
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from offline.faults import FaultQueue, RateLimiter
from offline.http_endpoint import EXTRA_METHODS, HttpEndpoint
from offline.http_session import LoopbackSession
from offline.inspection import CallInspection
from offline.methods import BotApiCore
from offline.simulate import UserSimulation
from offline.state import (
    PendingUpdate,
    RateLimits,
    RecordedCall,
    UpdateResult,
)
from offline.updates import UpdateQueue
from offline.webhook import WebhookState

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:AAOfflineTestTokenOfTheOlympiadBot00"


class UpdateNotProcessedError(TimeoutError):
    """The bot did not confirm an update in time (is it polling with handle_as_tasks=False?)."""


class FakeBotAPI(UserSimulation, CallInspection, HttpEndpoint):
    """The fake server. Use as ``async with FakeBotAPI() as server:`` inside the test's loop.

    Typical use::

        async with FakeBotAPI() as server:
            server.add_user(1, "Аня")
            bot = server.make_bot()
            async with server.run_polling(dispatcher, bot):
                result = await server.user_sends_text(1, "/start")
    """

    def __init__(  # noqa: PLR0913 - one optional knob per behaviour
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "olymp_offline_bot",
        bot_first_name: str = "Olympiad Bot",
        strict_ampersand: bool = True,
        rate_limits: RateLimits | None = None,
        process_timeout: float = 10.0,
    ) -> None:
        self.token = token
        self.core = BotApiCore(
            token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            strict_ampersand=strict_ampersand,
        )
        self.calls: list[RecordedCall] = []
        self.faults = FaultQueue()
        self.rate_limits = rate_limits or RateLimits()
        self._limiter = RateLimiter(self.rate_limits)
        self.updates = UpdateQueue()
        self.webhook = WebhookState()
        self.process_timeout = process_timeout
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = asyncio.Event()
        self._methods = {name.lower(): name for name in (*self.core.handlers, *EXTRA_METHODS)}

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeBotAPI:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        logger.debug("fake Bot API listening on %s", self.base_url)
        return self

    async def stop(self) -> None:
        self._closing.set()
        self.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            msg = "the fake Bot API server is not started"
            raise RuntimeError(msg)
        return f"http://127.0.0.1:{self._port}"

    def make_bot(
        self, *, session_timeout: float = 60.0, default: DefaultBotProperties | None = None
    ) -> Bot:
        """An aiogram ``Bot`` whose default ``AiohttpSession`` points at this server."""
        session = LoopbackSession(
            api=TelegramAPIServer.from_base(self.base_url), timeout=session_timeout
        )
        return Bot(self.token, session=session, default=default)

    @asynccontextmanager
    async def run_polling(
        self, dp: Dispatcher, bot: Bot, *, polling_timeout: int = 10, **kwargs: Any
    ) -> AsyncIterator[asyncio.Task[None]]:
        """Poll in the background the way the ``user_*`` helpers need, until the block ends."""
        polls_before = self.updates.poll_count
        task = asyncio.create_task(
            dp.start_polling(
                bot,
                polling_timeout=polling_timeout,
                handle_as_tasks=False,
                handle_signals=False,
                close_bot_session=False,
                **kwargs,
            )
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.process_timeout
        while self.updates.poll_count == polls_before:
            if task.done():
                task.result()
                msg = "polling ended before the first getUpdates"
                raise RuntimeError(msg)
            if loop.time() > deadline:
                task.cancel()
                msg = "the dispatcher did not start polling in time"
                raise UpdateNotProcessedError(msg)
            await self.updates.wait_changed(0.05)
        crashed: BaseException | None = None
        try:
            yield task
        finally:
            if not task.done():
                with suppress(RuntimeError):
                    await dp.stop_polling()
            try:
                await asyncio.wait_for(task, 5.0)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
            except Exception as exc:  # noqa: BLE001 - re-raised below unless the body failed
                crashed = exc
        if crashed is not None:
            msg = "polling stopped with an error while the block was running"
            raise RuntimeError(msg) from crashed

    # ------------------------------------------------------------------ updates

    async def deliver_webhook(self, *targets: str, parallel: int = 1) -> int:
        """Posts the queued updates to the bot's webhook at `targets` (local addresses standing
        for the https URL it registered, taken in turn as a load balancer would); returns how
        many were accepted."""
        return await self.webhook.deliver(self.updates, targets, parallel=parallel)

    def queue_update(self, kind: str, body: dict[str, Any]) -> PendingUpdate:
        return self.updates.put(kind, body, call_index=len(self.calls))

    async def wait_processed(
        self, pending: PendingUpdate, *, timeout: float | None = None
    ) -> UpdateResult:
        limit = self.process_timeout if timeout is None else timeout
        try:
            delivered = await asyncio.wait_for(asyncio.shield(pending.done), limit)
        except TimeoutError:
            state = "delivered but not confirmed" if pending.delivered else "never fetched"
            calls = "\n".join(_describe(call) for call in self.calls[pending.call_index :])
            msg = (
                f"update {pending.update_id} ({pending.kind}) was {state} after {limit:.1f}s; "
                "the dispatcher must poll with handle_as_tasks=False. "
                f"Calls since it was queued:\n{calls or '(none)'}"
            )
            raise UpdateNotProcessedError(msg) from None
        made = [c for c in self.calls[pending.call_index :] if c.method != "getUpdates"]
        return UpdateResult(update=pending.payload, calls=made, delivered=delivered)


def _describe(call: RecordedCall) -> str:
    outcome = "ok" if call.ok else f"{call.status} {call.description}"
    return f"  {call.method} {call.params} -> {outcome}"
