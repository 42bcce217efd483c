"""Starting an aiohttp server on a port, and which port: light enough for the start-up path
that takes updates in before the dispatcher is loaded (bot/run.py)."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.settings import Settings

log = logging.getLogger(__name__)
WEBHOOK_PORT = 8080  # the port in webhook mode when WEB_PORT is not set


def web_port(settings: Settings) -> int | None:
    """Where the server listens; None (no server) without WEB_PORT, unless in webhook mode."""
    if settings.web_port is not None:
        return settings.web_port
    return WEBHOOK_PORT if settings.webhook else None


async def serve_web(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("web server listening", extra={"host": host, "port": port})
    return runner
