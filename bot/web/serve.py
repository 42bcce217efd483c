"""A tiny aiohttp server for /healthz and /metrics (HEALTH_PORT), until one web server of the
process serves every route; routes are added by `setup_health_routes` either way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.web.health import setup_health_routes
from bot.web.listen import serve_web

if TYPE_CHECKING:
    from bot.app import App


def health_app(app: App) -> web.Application:
    web_app = web.Application()
    setup_health_routes(web_app, app)
    return web_app


async def start_health_server(app: App, host: str, port: int) -> web.AppRunner:
    return await serve_web(health_app(app), host, port)
