"""The webhook endpoint: an update is answered 200 only after its inbox row has committed.

Telegram retries an update until it gets a 2xx; answering after the commit means a crash can
lose nothing, and a retry of something already stored is ignored by the inbox.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from models import inbox

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram/webhook"


def setup_webhook_route(
    web_app: web.Application,
    *,
    secret: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    on_stored: Callable[[], None],
    path: str = WEBHOOK_PATH,
) -> None:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="wrong or missing secret token")
        try:
            payload: Any = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        try:
            async with sessionmaker() as session, session.begin():
                await inbox.store(session, [payload], clock.now())
        except Exception:  # Telegram will send it again
            log.exception("could not record update %s", payload["update_id"])
            return web.Response(status=503, text="try again")
        on_stored()
        return web.Response(status=200)

    web_app.router.add_post(path, receive)


def webhook_path(url: str) -> str:
    """The path part of the public URL: the reverse proxy passes it on unchanged."""
    return urlsplit(url).path or WEBHOOK_PATH
