"""The HTTP side of the fake server: routing, injected faults, and the envelope Telegram sends.

Kept apart from :class:`~offline.api_server.FakeBotAPI` so that the test-facing helpers
and the wire protocol can be read separately.
"""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import suppress
from typing import Any

from aiohttp import web

from offline.faults import FaultQueue, RateLimiter, fault_error
from offline.methods import BotApiCore
from offline.params import Params, read_params
from offline.state import ApiError, Fault, FaultKind, RecordedCall
from offline.updates import UpdateQueue
from offline.webhook import WEBHOOK_CONFLICT, WebhookState

# Served here rather than by BotApiCore: they act on the update queue, not on chat state.
EXTRA_METHODS = ("getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo")


class HttpEndpoint:
    token: str
    core: BotApiCore
    calls: list[RecordedCall]
    faults: FaultQueue
    updates: UpdateQueue
    webhook: WebhookState
    _limiter: RateLimiter
    _methods: dict[str, str]
    _closing: asyncio.Event
    # Seconds between a call's arrival and its answer, as Telegram's network adds (benchmarks).
    answer_delay: float = 0.0

    # ------------------------------------------------------------------ faults

    def inject(  # noqa: PLR0913 - mirrors the fault's fields
        self,
        method: str | None = None,
        error: FaultKind = 500,
        *,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
        delay: float = 3600.0,
        chat_id: int | None = None,
    ) -> Fault:
        """Make the next ``times`` matching calls fail.

        ``error`` is an HTTP status (429 carries ``retry_after``), ``"timeout"`` (the answer
        is held for ``delay`` seconds, longer than any sane client timeout), ``"drop"``
        (the connection is closed without an answer) or ``"gateway"`` (a proxy in front of
        the Bot API answers 502 with its own HTML page, which is not JSON).  ``method=None``
        matches every method except ``getUpdates``.
        """
        return self.faults.push(
            method,
            error,
            times=times,
            retry_after=retry_after,
            description=description,
            delay=delay,
            chat_id=chat_id,
        )

    # ------------------------------------------------------------------ HTTP

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic()
        if request.match_info["token"] != self.token:
            return _reply(ApiError(401, "Unauthorized").envelope(), 401)
        name = request.match_info["method"]
        method = self._methods.get(name.lower())
        try:
            params = await read_params(request)
        except ApiError as exc:
            params = Params()
            error: ApiError | None = exc
        else:
            error = None
        call = RecordedCall(method=method or name, params=params.decoded(), timestamp=arrived)
        call.chat_id = _chat_id(params)
        self.calls.append(call)
        fault = self.faults.take(call.method, call.chat_id) if error is None else None
        if fault is not None:
            call.injected = True
            if fault.error == "drop":
                return _drop(request, call)
            if fault.error == "gateway":
                return _bad_gateway_page(call)
            if fault.error == "timeout":
                await self._hold(fault.delay)
                error = ApiError(504, "Gateway Timeout")
            else:
                error = fault_error(fault)
        if error is None:
            try:
                result = await self._dispatch(method, params, call)
            except ApiError as exc:
                error = exc
            else:
                call.ok, call.status, call.result = True, 200, result
                if self.answer_delay and method != "getUpdates":
                    await asyncio.sleep(self.answer_delay)
                return _reply({"ok": True, "result": result}, 200)
        call.status, call.description = error.code, error.description
        call.message = None
        return _reply(error.envelope(), error.code)

    async def _dispatch(self, method: str | None, params: Params, call: RecordedCall) -> Any:
        if method is None:
            raise ApiError(404, "Not Found")
        self._limiter.check(method, call.chat_id)
        if method == "getUpdates":
            if self.webhook.active:
                raise ApiError(409, WEBHOOK_CONFLICT)
            allowed = params.json_value("allowed_updates", "allowed updates")
            if allowed is not None and not isinstance(allowed, list):
                raise ApiError(400, "Bad Request: can't parse allowed updates JSON object")
            return await self.updates.get_updates(
                offset=params.integer("offset", 0) or 0,
                limit=params.integer("limit", 100) or 100,
                timeout=params.integer("timeout", 0) or 0,
                allowed=allowed,
            )
        if method == "setWebhook":
            return self.webhook.set(params, self.updates)
        if method == "deleteWebhook":
            if params.flag("drop_pending_updates"):
                self.updates.drop_pending()
            self.webhook.delete()
            return True
        if method == "getWebhookInfo":
            return {
                "url": self.webhook.url,
                "has_custom_certificate": False,
                "pending_update_count": len(self.updates.pending),
            }
        return self.core.handlers[method](params, call)

    async def _hold(self, delay: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), delay)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _reply(ApiError(401, "Unauthorized").envelope(), 401)
        path = request.match_info["path"]
        for stored in self.core.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return _reply(ApiError(404, "Not Found").envelope(), 404)


def _reply(body: dict[str, Any], status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


def _bad_gateway_page(call: RecordedCall) -> web.Response:
    call.status, call.description = 502, "Bad Gateway (HTML page of a proxy)"
    return web.Response(text=_NGINX_502, status=502, content_type="text/html")


_NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def _drop(request: web.Request, call: RecordedCall) -> web.Response:
    call.status, call.description = 0, "connection dropped"
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=500)


def _chat_id(params: Params) -> int | None:
    raw = params.text("chat_id")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None
