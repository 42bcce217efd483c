"""The process's one aiohttp server. Each feature adds its routes with a `setup_xxx_routes(
web_app, app)` function; the server starts only when a port is configured (WEB_PORT)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.settings import Settings
from webapp.routes import setup_webapp_routes

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


def build_web_app(app: App) -> web.Application:
    web_app = web.Application()
    setup_webapp_routes(web_app, app)
    return web_app


async def start_web(app: App, settings: Settings) -> web.AppRunner | None:
    """Serves the routes on WEB_HOST:WEB_PORT; None (nothing started) without a port."""
    if settings.web_port is None:
        return None
    runner = web.AppRunner(build_web_app(app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.web_host, settings.web_port)
    await site.start()
    log.info("web server listening", extra={"host": settings.web_host, "port": settings.web_port})
    return runner


def local_url(runner: web.AppRunner) -> str:
    """http://host:port of the first address the server listens on (the port may be chosen by
    the system when WEB_PORT is 0)."""
    host, port = runner.addresses[0][:2]
    return f"http://{host}:{port}"
