"""Assembles the bot: settings → database → dispatcher with middlewares and routers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.utils.i18n import I18n
from aiohttp.web import AppRunner
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.calendar_jobs import CalendarNudgeJob, plan_calendar_nudges
from bot.clocks import clock_for
from bot.i18n import build_i18n
from bot.middlewares.commit_first import CommitBeforeSend
from bot.middlewares.db import DbSessionMiddleware
from bot.middlewares.i18n import PersonI18nMiddleware
from bot.middlewares.response_models import KeepResponseModels
from bot.middlewares.telegram_retry import PatientRequests
from bot.middlewares.throttle import ThrottlingMiddleware
from bot.middlewares.user import UserMiddleware
from bot.migrate import upgrade_database
from bot.people_cache import PeopleCache
from bot.reply_handoff import ReplyHandoff
from bot.settings import Settings
from bot.shared_state import connect_redis, flood_window, fsm_storage, people_cache, state_key
from calendars.clock import Clock
from handlers import get_routers
from handlers.collections_jobs import CalendarWork, plan_calendars, resume_reports
from handlers.curator_upload_job import JobContext, JobResumer
from models.db import create_engine, create_sessionmaker
from offline.http_session import LoopbackSession
from reminders.plan_queue import PlanDrainer
from reminders.worker import WorkerConfig, WorkerHandle, drain_once, start_reminder_worker
from services.people.viewer import Policy
from services.reference.loader import ReferenceData, load_reference

if TYPE_CHECKING:
    from bot.web.metrics import Metrics

log = logging.getLogger(__name__)
OFFLINE_TOKEN = "1000000:offline-console-token"


@dataclass
class App:
    settings: Settings
    bot: Bot
    dp: Dispatcher
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    i18n: I18n
    ref: ReferenceData
    # Plans queued registrations after their commit; one per process (reminders.plan_queue).
    planner: PlanDrainer
    background: list[Any] = field(default_factory=list)
    reminders: WorkerHandle | None = None
    # The delivery worker's own bot: it answers a 429 by rescheduling through the outbox,
    # where replies (`bot`) wait and send again.
    courier: Bot | None = None
    web: AppRunner | None = None  # the web server (bot.web.server.start_web), when it runs
    # Shared by the replicas when REDIS_URL is set (bot/shared_state.py); None: all embedded.
    redis: Any = None
    people: PeopleCache | None = None
    # Collected only where they are served (Settings.serves_metrics): prometheus-client and
    # its exposition stay out of a bot that nobody scrapes.
    metrics: Metrics | None = None
    # One drain at a time in this process: two fresh workers would each take the lease back
    # "newly" and return the other's rows in flight to pending (a double send).
    _delivering: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    def delivery_bot(self) -> Bot:
        if self.courier is None:
            self.courier = build_bot(self.settings, patient=False)
            if self.metrics is not None:
                self.metrics.instrument_bot(self.courier, "delivery")
        return self.courier

    @property
    def policy(self) -> Policy:
        return Policy(
            admin_ids=frozenset(self.settings.admin_ids),
            invitation_ttl_hours=self.settings.invitation_ttl_hours,
            default_zone=self.settings.default_timezone,
            default_locale=self.settings.default_locale,
            panel_url=self.settings.webapp_url,
        )

    def worker_config(self) -> WorkerConfig:
        return WorkerConfig(
            default_locale=self.settings.default_locale,
            default_zone=self.settings.default_timezone,
            # A restarted process takes its lease (and its claimed rows) back at once.
            holder=f"reminders@{self.settings.instance_name}",
        )

    async def start_background(self) -> None:
        """Starts the periodic work (reminder planning and delivery) that runs beside polling."""
        self.reminders = await start_reminder_worker(
            self.delivery_bot(),
            self.sessionmaker,
            self.clock,
            self.ref.rules,
            self.i18n,
            interval_seconds=self.settings.delivery_interval_seconds,
            config=self.worker_config(),
            planner=self.planner,
        )
        self.background.append(self.reminders)
        jobs = JobContext(self.bot, self.sessionmaker, self.i18n, self.ref.rules, self.clock,
                          self.deliver_due)  # fmt: skip
        self.background.append(JobResumer(jobs))
        self.background.append(
            CalendarWork(self.bot, self.sessionmaker, self.i18n, self.clock, self.ref.calendars,
                         self.settings.default_timezone, self.deliver_due)
        )  # fmt: skip
        self.background.append(
            CalendarNudgeJob(self.sessionmaker, self.ref, self.clock, self.i18n)
        )

    async def deliver_due(self) -> int:
        """Sends what is due in the outbox now (the console's :tick, and a background job that
        has just queued its file, so it need not wait for the next tick); returns how many.
        Nothing is sent by a replica that does not hold the delivery lease: its holder sends
        on its next tick."""
        async with self._delivering:
            if self.reminders is not None:
                stats = await self.reminders.worker.drain()
            else:
                stats = await drain_once(
                    self.delivery_bot(),
                    self.sessionmaker,
                    self.clock,
                    self.ref.rules,
                    self.i18n,
                    config=self.worker_config(),
                    planner=self.planner,
                )
        return stats.sent

    async def catch_up(self) -> int:
        """After the clock jumped: deliver what is due, plan what the jump brought into range
        (creation deadlines), and deliver that too; returns how many messages were sent."""
        sent = await self.deliver_due()
        if await self.plan_data_calendars():
            sent += await self.deliver_due()
        if self.reminders is not None:
            await self.reminders.worker.plan()
        await self.plan_calendar_nudges()
        return sent + await self.deliver_due()

    async def plan_calendar_nudges(self) -> int:
        """Plans the data calendars' nudges now (the hourly job's work); how many are new."""
        return await plan_calendar_nudges(self.sessionmaker, self.ref, self.clock, self.i18n)

    async def plan_data_calendars(self) -> int:
        """Plans the data calendars' reminders (the school-year switch) and runs left-behind
        collection reports, as the background round does; returns the reminders queued."""
        await resume_reports(self.bot, self.sessionmaker, self.i18n, self.clock, self.deliver_due)
        with self.i18n.context():
            return await plan_calendars(
                self.sessionmaker, self.ref.calendars, self.clock, self.settings.default_timezone
            )

    async def close(self) -> None:
        if self.web is not None:
            await self.web.cleanup()
        for handle in self.background:
            await handle.shutdown()
        self.background.clear()
        await self.bot.session.close()
        if self.courier is not None:
            await self.courier.session.close()
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()


def build_bot(
    settings: Settings, *, patient: bool = True, handoff: ReplyHandoff | None = None
) -> Bot:
    """`patient`: every request waits out Telegram's 429 and passing 5xx, and sends again."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN
    base = str(settings.telegram_api_url).rstrip("/")
    api = TelegramAPIServer.from_base(base)
    # Plain HTTP (a local Bot API server, the offline console) has no TLS to wait for on close.
    session = LoopbackSession(api=api) if base.startswith("http://") else AiohttpSession(api=api)
    session.middleware(KeepResponseModels())
    if patient:
        session.middleware(CommitBeforeSend())
        session.middleware(PatientRequests(handoff=handoff))
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def build_dispatcher(app: App, extra_routers: Sequence[Router] = ()) -> Dispatcher:
    storage = fsm_storage(app.settings, app.redis, app.sessionmaker, app.clock)
    dp = Dispatcher(storage=storage)
    # The update's session opens before aiogram's FSM middleware reads the state, so the state
    # is read and written in that session: one session and one transaction per update.
    dp.update.outer_middleware.unregister(dp.fsm)
    if app.metrics is not None:
        from bot.web.metrics import UpdateMetrics

        dp.update.outer_middleware(UpdateMetrics(app.metrics))
    dp.update.outer_middleware(DbSessionMiddleware(app.sessionmaker, app.clock, app.planner))
    # The person comes first: with the state in the database, its record is read in the same
    # query as the person, and aiogram's FSM middleware then finds it without a query.
    dp.update.outer_middleware(UserMiddleware(app.policy, app.clock, app.people, state_key(dp)))
    dp.update.outer_middleware(dp.fsm)
    PersonI18nMiddleware(app.i18n).setup(dp)
    throttle = ThrottlingMiddleware(
        app.settings.throttle_rate, flood_window(app.settings, app.redis)
    )
    dp.message.outer_middleware(throttle)
    dp.callback_query.outer_middleware(throttle)
    routers = get_routers()
    # Extra routers (plugins, tests) go before the fallback, which must answer last.
    dp.include_routers(*routers[:-1], *extra_routers, routers[-1])
    dp.workflow_data.update(
        settings=app.settings,
        policy=app.policy,
        clock=app.clock,
        ref=app.ref,
        i18n=app.i18n,
        sessionmaker=app.sessionmaker,
        app=app,
        deliver=app.deliver_due,  # a background job's queued file goes out at once
    )
    return dp


async def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    extra_routers: Sequence[Router] = (),
    ref: ReferenceData | None = None,
    engine: AsyncEngine | None = None,
) -> App:
    if ref is None:
        ref = load_reference(settings.reference_dir)
    if migrate:
        await upgrade_database(settings.database_url)
    if engine is None:
        engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    clock = clock or clock_for(settings)
    redis = connect_redis(settings)
    app = App(
        settings=settings,
        bot=build_bot(settings, handoff=ReplyHandoff(sessionmaker, clock)),
        dp=Dispatcher(),
        engine=engine,
        sessionmaker=sessionmaker,
        clock=clock,
        i18n=build_i18n(settings.default_locale),
        ref=ref,
        planner=PlanDrainer(sessionmaker, ref.rules, clock),
        redis=redis,
        people=people_cache(settings, redis, sessionmaker),
    )
    if settings.serves_metrics:
        from bot.web.metrics import Metrics

        app.metrics = Metrics()
        app.metrics.instrument_bot(app.bot, "replies")
    app.dp = build_dispatcher(app, extra_routers)
    return app
