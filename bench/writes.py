"""200 people press at once: the bot's throughput beside a bare aiogram echo bot's.

    .venv/bin/python -m bench.writes
    .venv/bin/python -m bench.writes --database-url postgresql+asyncpg://postgres@127.0.0.1/postgres

Both bots poll the same strict fake Bot API server in one run (handle_as_tasks, as in
production). For each scenario every user acts at the same moment: presses «Записаться» on an
event card (a registration: a write, re-planned reminders, a notice to the parents), sends
/events (the catalog: reads), or sends /help. A reply counts when the bot's answer reaches the
server (answerCallbackQuery, or the first message to that chat). It prints throughput, p50 and
p99 latency, how many were answered, and the ratio to the echo bot (targets: registration
≥ 0.4×, /events ≥ 0.5×, /help ≥ 0.8×; p99 < 2 s).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import time
from collections import defaultdict, deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from aiogram import Bot, Dispatcher, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.databases import bench_database
from bot.app import App, build_app
from bot.heap import settle_heap
from bot.migrate import stamp_database
from bot.run import serve
from bot.settings import PROJECT_ROOT, Settings
from calendars.clock import FixedClock
from models import plan_requests
from models.db import create_engine, create_sessionmaker
from models.enums import EventStatus, Level, PersonKind
from models.geo import School
from models.olympiad import OlympiadEvent, Registration
from models.outbox import Outbox
from models.people import User
from offline.api_server import FakeBotAPI
from services.reference.demo import load_demo
from services.reference.loader import ReferenceData, load_demo_file
from ui.callbacks.catalog import CatAct, CatCb

NOW = dt.datetime(2026, 10, 5, 23, 0, tzinfo=dt.UTC)  # 10:00 in Sakhalin, mid-autumn
TARGETS = {"register": 0.4, "events": 0.5, "help": 0.8}
SCENARIOS = ("help", "events", "register")
STARTUP_ROUNDS_SECONDS = 15.0
FIRST_TG_ID = 700_000


@dataclass
class Figures:
    answered: int
    total: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def line(self, name: str) -> str:
        p50 = statistics.median(self.latencies) if self.latencies else float("nan")
        p99 = statistics.quantiles(self.latencies, n=100)[-1] if len(self.latencies) > 1 else p50
        return (f"{name:>14}: {self.answered}/{self.total} answered, {self.per_second:6.1f}/s, "
                f"p50 {p50 * 1e3:5.0f} ms, p99 {p99 * 1e3:5.0f} ms")  # fmt: skip


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--paced", type=float, default=0.0, metavar="RATE",
        help="instead of the bursts: known users send /help at RATE updates/s (target: p99 < "
        "50 ms at 100/s)",
    )  # fmt: skip
    parser.add_argument("--seconds", type=float, default=10.0, help="how long --paced sends")
    parser.add_argument(
        "--serve", action="store_true",
        help="run the bot as `python -m bot run` does (bot.run.serve: the inbox, its poller and "
        "runner) instead of polling its dispatcher directly",
    )  # fmt: skip
    return parser.parse_args()


def echo_dispatcher() -> Dispatcher:
    router = Router(name="echo")

    @router.callback_query()
    async def on_press(cq: CallbackQuery) -> None:
        await cq.answer("ok")

    @router.message()
    async def on_text(message: Message) -> None:
        await message.answer(message.text or "…")

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def measure(
    server: FakeBotAPI, users: list[int], act: Callable[[int], str | None], reply: str
) -> Figures:
    """Every user acts at once; waits until all are answered or 30 s pass."""
    since, started = len(server.calls), time.monotonic()
    wanted = {user: act(user) for user in users}  # callback query id, or None for a message
    deadline = started + 30.0
    answers: dict[int, float] = {}
    while len(answers) < len(users) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
        for call in server.calls[since:]:
            answered = _answer_of(call, wanted, reply)
            if answered is not None and answered not in answers:
                answers[answered] = call.timestamp
    latencies = sorted(at - started for at in answers.values())
    span = max(latencies) if latencies else 0.0
    return Figures(len(answers), len(users), span, latencies)


def _answer_of(call: object, wanted: dict[int, str | None], reply: str) -> int | None:
    method = getattr(call, "method", "")
    params = getattr(call, "params", {})
    if reply == "callback" and method == "answerCallbackQuery":
        query = str(params.get("callback_query_id"))
        return next((u for u, q in wanted.items() if q == query), None)
    if reply == "message" and method == "sendMessage":
        chat = int(params.get("chat_id", 0))
        return chat if chat in wanted else None
    return None


async def card_messages(bot: Bot, users: list[int], data: str) -> dict[int, int]:
    """Puts a message with the button in each chat (as an event card would be)."""
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Записаться", callback_data=data)]]
    )
    found = {}
    for user in users:
        sent = await bot.send_message(user, "Карточка олимпиады", reply_markup=markup)
        found[user] = sent.message_id
    return found


async def polling(dp: Dispatcher, bot: Bot) -> asyncio.Task[None]:
    task = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    await asyncio.sleep(0.3)
    return task


async def stop(dp: Dispatcher, task: asyncio.Task[None]) -> None:
    with suppress(RuntimeError):
        await dp.stop_polling()
    with suppress(asyncio.CancelledError, TimeoutError):
        await asyncio.wait_for(task, 10)


async def seed(
    sessionmaker: async_sessionmaker[AsyncSession],
    ref: ReferenceData,
    count: int,
    *,
    first: int = FIRST_TG_ID,
    demo: bool = True,
) -> tuple[list[int], int]:
    """`count` onboarded grade-8 students of one school, and a school event open to them (on
    the demo data, loaded first unless `demo` is False)."""
    async with sessionmaker() as session, session.begin():
        if demo:
            data = load_demo_file(PROJECT_ROOT / "data" / "demo" / "demo.yaml")
            await load_demo(session, data, ref, NOW.date(), NOW)
        event = await session.scalar(
            select(OlympiadEvent)
            .where(OlympiadEvent.level == Level.SCHOOL,
                   OlympiadEvent.status == EventStatus.REGISTRATION,
                   OlympiadEvent.grade_min <= 8, OlympiadEvent.grade_max >= 8,
                   OlympiadEvent.held_on >= NOW.date() + dt.timedelta(days=8))
            .order_by(OlympiadEvent.held_on)
        )  # fmt: skip
        assert event is not None, "the demo has no open school-stage event"
        school = await session.scalar(
            select(School).where(School.municipality_id == event.municipality_id)
        )
        assert school is not None
        users = [first + i for i in range(count)]
        session.add_all([
            User(tg_id=tg, full_name=f"Ученик {tg}", kind=PersonKind.STUDENT, locale="ru",
                 school_id=school.id, grade=8, created_at=NOW, onboarded_at=NOW)
            for tg in users
        ])  # fmt: skip
        return users, event.id


async def main(args: argparse.Namespace) -> None:
    async with (
        bench_database(args.database_url, "writes-bench") as url,
        FakeBotAPI(process_timeout=60.0) as server,
    ):
        print(f"database: {url.split(':')[0]}; {args.users} users act at once")
        settings = Settings(_env_file=None, bot_token=server.token,
                            telegram_api_url=server.base_url, database_url=url,
                            throttle_rate=0, default_timezone="Europe/Moscow")  # fmt: skip
        app = await build_app(settings, clock=FixedClock(NOW), migrate=False)
        users, event_id = await seed(app.sessionmaker, app.ref, args.users)
        for user in users:
            server.add_user(user, "Ученик")
        if args.serve:
            await app.close()
            results = await run_served(server, settings, users, event_id)
            report(results)
            return
        settle_heap()  # as `python -m bot run` does once it is up
        if args.paced:
            await run_paced(server, app, users, args.paced, args.seconds)
            await app.close()
            return
        results = await run_scenarios(server, app, users, event_id)
        await app.close()
    report(results)


async def run_served(
    server: FakeBotAPI, settings: Settings, users: list[int], event_id: int
) -> dict[str, tuple[Figures, Figures]]:
    """The echo bot's three scenarios first, then the bot's, served as in production: updates
    stored in the inbox before they are confirmed, each handled with its done mark."""
    await stamp_database(settings.database_url)
    echo_bot, echo_dp = server.make_bot(), echo_dispatcher()
    cards_bot = server.make_bot()  # posts the cards whose buttons the users press
    data = CatCb(act=CatAct.REGISTER, ev=event_id).pack()
    echo: dict[str, Figures] = {}
    for name in ("help", *SCENARIOS):  # the first round warms the echo bot up, uncounted
        act, reply = await scenario(server, echo_bot, users, name, data)
        task = await polling(echo_dp, echo_bot)
        echo[name] = await measure(server, users, act, reply)
        await stop(echo_dp, task)
    served = settings.model_copy(update={"delivery_interval_seconds": 3600.0, "clock_start": NOW})
    stop_serving = asyncio.Event()
    serving = asyncio.create_task(serve(served, stop=stop_serving, on_ready=settle_heap))
    await _ready(server, serving)
    # Start-up's own rounds (reminder and data-calendar planning, nudges) run in the first
    # seconds; measure the steady process, not them.
    await asyncio.sleep(STARTUP_ROUNDS_SECONDS)
    ours: dict[str, Figures] = {}
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    for name in SCENARIOS:
        act, reply = await scenario(server, cards_bot, users, name, data)
        ours[name] = await measure(server, users, act, reply)
    await planning_settles(sessionmaker, ours["register"])
    stop_serving.set()
    await asyncio.wait_for(serving, 60)
    async with sessionmaker() as session:
        made = await session.scalar(select(func.count()).where(Registration.event_id == event_id))
    await engine.dispose()
    print(f"{'':>14}  {made} of the {len(users)} presses registered in the database")
    for bot in (echo_bot, cards_bot):
        await bot.session.close()
    return {name: (echo[name], ours[name]) for name in SCENARIOS}


async def _ready(server: FakeBotAPI, task: asyncio.Task[int]) -> None:
    """Until the served bot has published its commands (it then handles updates)."""
    since = len(server.calls)
    for _ in range(600):
        if any(c.method == "setMyCommands" for c in server.calls[since:]):
            return
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    msg = "the served bot did not start within 30 s"
    raise TimeoutError(msg)


async def run_paced(
    server: FakeBotAPI, app: App, users: list[int], rate: float, seconds: float
) -> None:
    """Both bots under the same steady load, one after the other; prints p50/p99 and the rate
    the replies kept up with."""
    echo_bot, echo_dp = server.make_bot(), echo_dispatcher()
    for name, dp, bot in (("echo", echo_dp, echo_bot), ("bot", app.dp, app.bot)):
        task = await polling(dp, bot)
        figures = await paced(server, users, rate, seconds)
        await stop(dp, task)
        print(figures.line(f"{name} /help"), f"at {rate:g}/s for {seconds:g} s")
        if name == "bot":
            p99 = statistics.quantiles(figures.latencies, n=100)[-1]
            print(f"{'':>14}  p99 {p99 * 1e3:.0f} ms (target < 50 ms at 100 updates/s)")
    await echo_bot.session.close()


async def paced(server: FakeBotAPI, users: list[int], rate: float, seconds: float) -> Figures:
    """Known users send /help in turn, one every 1/rate s; an update's latency runs from its
    sending to the bot's reply in that chat (each chat has at most a few in flight, answered in
    order)."""
    since, started = len(server.calls), time.monotonic()
    total = int(rate * seconds)
    waiting: dict[int, deque[float]] = defaultdict(deque)
    latencies: list[float] = []
    seen = since

    def collect() -> None:
        nonlocal seen
        calls = server.calls
        for call in calls[seen:]:
            chat = int(call.params.get("chat_id", 0)) if call.method == "sendMessage" else 0
            if waiting.get(chat):
                latencies.append(call.timestamp - waiting[chat].popleft())
        seen = len(calls)

    for n in range(total):
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        user = users[n % len(users)]
        waiting[user].append(time.monotonic())
        server.queue_text(user, "/help")
        collect()
    deadline = time.monotonic() + 30.0
    while len(latencies) < total and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
        collect()
    return Figures(len(latencies), total, time.monotonic() - started, sorted(latencies))


async def run_scenarios(
    server: FakeBotAPI, app: App, users: list[int], event_id: int
) -> dict[str, tuple[Figures, Figures]]:
    echo_bot, echo_dp = server.make_bot(), echo_dispatcher()
    data = CatCb(act=CatAct.REGISTER, ev=event_id).pack()
    results: dict[str, tuple[Figures, Figures]] = {}
    for name in SCENARIOS:
        figures = []
        for dp, bot in ((echo_dp, echo_bot), (app.dp, app.bot)):
            act, reply = await scenario(server, bot, users, name, data)
            task = await polling(dp, bot)
            figures.append(await measure(server, users, act, reply))
            if name == "register" and bot is app.bot:
                await planning_settles(app.sessionmaker, figures[-1])
            await stop(dp, task)
        results[name] = (figures[0], figures[1])
    await echo_bot.session.close()
    return results


async def planning_settles(
    sessionmaker: async_sessionmaker[AsyncSession], answered: Figures
) -> None:
    """The presses are answered once their registrations commit; their reminders are planned
    right after, in batches. Prints when the last of them was planned."""
    started = time.monotonic()
    async with sessionmaker() as session:
        while await plan_requests.waiting(session) and time.monotonic() - started < 60:
            await session.rollback()
            await asyncio.sleep(0.05)
        left = await plan_requests.waiting(session)
        planned = await session.scalar(select(func.count(func.distinct(Outbox.user_id))))
    after = answered.seconds + time.monotonic() - started
    print(f"{'':>14}  reminders of the {len(answered.latencies)} presses planned {after:.1f} s "
          f"after the burst began ({left} waiting; {planned} people have rows)")  # fmt: skip


async def scenario(
    server: FakeBotAPI, bot: Bot, users: list[int], name: str, data: str
) -> tuple[Callable[[int], str | None], str]:
    """What each user does, and which call answers it."""
    if name == "register":
        cards = await card_messages(bot, users, data)
        return (lambda user: server.queue_click(user, cards[user], data)[0]), "callback"
    text = f"/{name}"

    def write(user: int) -> str | None:
        server.queue_text(user, text)
        return None

    return write, "message"


def report(results: dict[str, tuple[Figures, Figures]]) -> None:
    for name, (echo, ours) in results.items():
        print(echo.line(f"echo {name}"))
        print(ours.line(f"bot {name}"))
        ratio = ours.per_second / echo.per_second if echo.per_second else 0.0
        print(f"{'':>14}  ratio {ratio:.2f}× the echo bot (target ≥ {TARGETS[name]}×)")


if __name__ == "__main__":
    asyncio.run(main(parse()))
