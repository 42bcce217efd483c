"""The process's one aiohttp server. Each feature adds its routes with a `setup_xxx_routes(
web_app, app)` function; the server starts only when a port is configured (WEB_PORT)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aiohttp import web

from bot.settings import Settings
from bot.web.health import setup_health_routes
from bot.web.listen import serve_web, web_port
from webapp.routes import setup_webapp_routes

if TYPE_CHECKING:
    from bot.app import App


def build_web_app(
    app: App, setups: Sequence[Callable[[web.Application], None]] = ()
) -> web.Application:
    web_app = web.Application()
    setup_webapp_routes(web_app, app)
    setup_health_routes(web_app, app)
    for setup in setups:
        setup(web_app)
    return web_app


async def start_web(
    app: App, settings: Settings, setups: Sequence[Callable[[web.Application], None]] = ()
) -> web.AppRunner | None:
    """Serves the routes on WEB_HOST and `web_port`; None (nothing started) without a port.
    `setups` add the routes that exist before the app does (the webhook's)."""
    port = web_port(settings)
    if port is None:
        return None
    return await serve_web(build_web_app(app, setups), settings.web_host, port)


def local_url(runner: web.AppRunner) -> str:
    """http://host:port of the first address the server listens on (the port may be chosen by
    the system when WEB_PORT is 0)."""
    host, port = runner.addresses[0][:2]
    return f"http://{host}:{port}"
