"""Long polling into the inbox: the offset moves past a batch only after its rows commit.

Telegram forgets an update once `getUpdates` is called with a greater offset, so a batch is
written to the inbox first; if the process dies before that, the next `getUpdates` (without an
offset) hands the same updates over again. This talks HTTP directly (aiohttp), not through
aiogram, so that a restarted process is polling again long before the dispatcher has loaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from models import inbox

log = logging.getLogger(__name__)


class BotApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{code}: {description}")
        self.code, self.description, self.retry_after = code, description, retry_after


class InboxPoller:
    def __init__(  # noqa: PLR0913 - the poller's collaborators
        self,
        api_base: str,
        token: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        on_stored: Callable[[], None] = lambda: None,
        timeout: int = 25,
    ) -> None:
        self._url = f"{api_base.rstrip('/')}/bot{token}/"
        self._sessionmaker, self._clock = sessionmaker, clock
        self.on_stored = on_stored
        self.timeout = timeout
        self.allowed_updates: Sequence[str] | None = None
        self.stored = 0
        self.first_poll = asyncio.Event()
        self._stopping = asyncio.Event()
        self._http: aiohttp.ClientSession | None = None

    async def call(self, method: str, params: dict[str, Any], *, timeout: float) -> Any:
        assert self._http is not None
        body = {k: v for k, v in params.items() if v is not None}
        async with self._http.post(
            self._url + method, json=body, timeout=aiohttp.ClientTimeout(total=timeout)
        ) as response:
            answer = await response.json(content_type=None)
        if not isinstance(answer, dict):
            raise BotApiError(response.status, "not a Bot API answer")
        if answer.get("ok"):
            return answer.get("result")
        retry = (answer.get("parameters") or {}).get("retry_after")
        raise BotApiError(
            int(answer.get("error_code") or response.status),
            str(answer.get("description") or ""),
            float(retry) if retry is not None else None,
        )

    async def run(self) -> None:
        async with aiohttp.ClientSession() as http:
            self._http = http
            await self._until_done(
                lambda: self.call("deleteWebhook", {"drop_pending_updates": False}, timeout=10)
            )
            offset: int | None = None
            while not self._stopping.is_set():
                updates = await self._until_done(partial(self._poll, offset))
                if updates is None:
                    break
                if updates:
                    await self._until_done(partial(self._store, updates))
                    offset = int(updates[-1]["update_id"]) + 1
                    self.on_stored()

    async def _poll(self, offset: int | None) -> list[dict[str, Any]]:
        self.first_poll.set()
        params: dict[str, Any] = {"offset": offset, "timeout": self.timeout}
        if self.allowed_updates is not None:
            params["allowed_updates"] = list(self.allowed_updates)
        poll = asyncio.ensure_future(self.call("getUpdates", params, timeout=self.timeout + 10))
        stop = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({poll, stop}, return_when=asyncio.FIRST_COMPLETED)
        if not poll.done():  # stopping: the batch it would bring stays with Telegram
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await poll
            return []
        stop.cancel()
        return list(poll.result() or [])

    async def _store(self, updates: list[dict[str, Any]]) -> None:
        async with self._sessionmaker() as session, session.begin():
            await inbox.store(session, updates, self._clock.now())
        self.stored += len(updates)

    async def _until_done(self, attempt: Callable[[], Any]) -> Any:
        """Retries Telegram's and the database's passing faults; returns None when stopping."""
        pause = 0.5
        while True:
            try:
                return await attempt()
            except BotApiError as exc:
                if exc.code == 401:  # noqa: PLR2004 - a wrong token will not heal by waiting
                    raise
                delay = exc.retry_after if exc.retry_after is not None else pause
                log.warning("Bot API refused a poll: %s; again in %.1fs", exc, delay)
            except Exception as exc:  # noqa: BLE001 - network or database: wait, then again
                delay = pause
                log.warning("polling failed: %r; again in %.1fs", exc, delay)
            pause = min(pause * 2, 30.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
            if self._stopping.is_set():
                return None

    def stop(self) -> None:
        self._stopping.set()
