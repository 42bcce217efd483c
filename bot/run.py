"""Running the bot for real: updates come in through the inbox, by polling or by webhook.

The order is chosen for restarts: the database is migrated and the intake (the poller, or the
webhook endpoint) runs within about a second of the start, before the dispatcher and its
handlers (aiogram's types take seconds to import) are loaded beside it; what came in meanwhile
waits in the inbox. SIGTERM (a deploy, `systemctl stop`) stops the intake, lets the running
updates finish within STOP_GRACE_SECONDS and leaves the rest in the inbox for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.clocks import clock_for
from bot.inbox_poller import InboxPoller
from bot.migrate import upgrade_database
from bot.poll_leader import PollLeader
from bot.settings import Settings
from bot.web.listen import serve_web, web_port
from bot.web.webhook import setup_webhook_route, webhook_path
from models import inbox
from models.db import create_engine, create_sessionmaker

if TYPE_CHECKING:
    from bot.app import App
    from bot.inbox_runner import InboxRunner

log = logging.getLogger(__name__)


@dataclass
class Intake:
    """What receives updates while the rest is loading; `wake` reaches the runner once it runs."""

    runner: InboxRunner | None = None
    leader: PollLeader | None = None
    leader_task: asyncio.Task[None] | None = None
    health: web.AppRunner | None = None
    web: web.AppRunner | None = None

    def wake(self) -> None:
        if self.runner is not None:
            self.runner.wake()


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    on_ready: Callable[[], None] | None = None,
) -> int:
    stop = stop or _stop_on_signals()
    await upgrade_database(settings.database_url)
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    clock = clock_for(settings)
    intake = Intake()
    async with sessionmaker() as session:  # connect now, and load the inbox's SQL paths
        waiting, _ = await inbox.backlog(session, clock.now())
    if waiting:
        log.info("%s updates wait in the inbox from before", waiting)
    webhook_routes = _webhook_routes(settings, sessionmaker, clock, intake)
    if webhook_routes is not None:
        # Updates are taken in at once; the full server (the panel, health) replaces this one
        # when the app has loaded.
        early = web.Application()
        webhook_routes(early)
        port = web_port(settings)
        assert port is not None  # webhook mode always listens
        intake.web = await serve_web(early, settings.web_host, port)
    else:
        assert settings.bot_token is not None
        token = settings.bot_token.get_secret_value()
        intake.leader = PollLeader(
            lambda: InboxPoller(
                str(settings.telegram_api_url), token, sessionmaker, clock, on_stored=intake.wake
            ),
            sessionmaker,
            clock,
            settings.instance_name,
        )
        intake.leader_task = asyncio.create_task(intake.leader.run(), name="poll-leader")
    app: App | None = None
    try:
        app = await _load_app(settings, engine, clock)
        await _start_web(app, settings, intake, webhook_routes)
        await _start_handling(app, settings, intake)
        if on_ready is not None:
            on_ready()
        log.info("the bot is running (%s)", "webhook" if settings.webhook else "polling")
        await _until(stop, intake)
    finally:
        await _shut_down(app, settings, intake, engine)
    return 0


async def _load_app(settings: Settings, engine: Any, clock: Any) -> App:
    # In a thread, so that the intake's loop keeps polling while aiogram's types load.
    module = await asyncio.to_thread(importlib.import_module, "bot.app")
    app: App = await module.build_app(settings, clock=clock, migrate=False, engine=engine)
    return app


async def _start_handling(app: App, settings: Settings, intake: Intake) -> None:
    from bot.inbox_runner import (  # loaded with the dispatcher, after the intake
        InboxRunner,
        RunnerConfig,
    )
    from handlers.command_menu import publish_commands

    allowed = app.dp.resolve_used_update_types()
    config = RunnerConfig(lease=dt.timedelta(seconds=settings.inbox_claim_seconds))
    intake.runner = InboxRunner(
        app.dp, app.bot, app.sessionmaker, app.clock, settings.instance_name, config
    )
    intake.runner.start()
    if intake.leader is not None:
        intake.leader.set_allowed_updates(allowed)
    await publish_commands(app.bot, app.i18n)
    if settings.webhook:
        assert settings.webhook_secret is not None
        await app.bot.set_webhook(
            url=str(settings.webhook_url),
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=allowed,
            drop_pending_updates=False,
        )
    await app.start_background()


async def _until(stop: asyncio.Event, intake: Intake) -> None:
    waits: set[asyncio.Future[Any]] = {asyncio.ensure_future(stop.wait())}
    if intake.leader_task is not None:
        waits.add(intake.leader_task)
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    if intake.leader_task is not None and intake.leader_task.done():
        intake.leader_task.result()  # a wrong token: stop with its error


async def _shut_down(app: App | None, settings: Settings, intake: Intake, engine: Any) -> None:
    if intake.leader is not None:
        intake.leader.stop()
    if intake.leader_task is not None:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await intake.leader_task
    if intake.web is not None:
        await intake.web.cleanup()
    if intake.health is not None:
        await intake.health.cleanup()
    if app is not None and app.web is not None:  # no more updates taken in, then finish
        await app.web.cleanup()
        app.web = None
    if intake.runner is not None:
        await intake.runner.stop(settings.stop_grace_seconds)
    if app is not None:
        await app.close()
    else:
        await engine.dispose()


def _webhook_routes(
    settings: Settings, sessionmaker: Any, clock: Any, intake: Intake
) -> Callable[[web.Application], None] | None:
    if not settings.webhook:
        return None
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    return partial(
        setup_webhook_route,
        secret=settings.webhook_secret.get_secret_value(),
        sessionmaker=sessionmaker,
        clock=clock,
        on_stored=intake.wake,
        path=webhook_path(str(settings.webhook_url)),
    )


async def _start_web(
    app: App,
    settings: Settings,
    intake: Intake,
    webhook_routes: Callable[[web.Application], None] | None,
) -> None:
    """The process's one web server (the webhook, the panel, health), once the app is loaded."""
    from bot.web.server import start_web  # it serves the panel: loaded with the dispatcher

    if intake.web is not None:  # the early webhook-only server gives its port to the full one
        await intake.web.cleanup()
        intake.web = None
    app.web = await start_web(app, settings, [webhook_routes] if webhook_routes else [])
    if settings.health_port is not None:  # health and metrics on a port of their own
        from bot.web.serve import start_health_server

        intake.health = await start_health_server(app, "0.0.0.0", settings.health_port)  # noqa: S104


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
