"""Deliver queued messages to a rate-limited fake Bot API server and report the pace.

    .venv/bin/python -m bench.deliver                   # 10 000 messages, about 6 minutes
    .venv/bin/python -m bench.deliver --messages 600    # a short run
    .venv/bin/python -m bench.deliver --minutes 10 --latency 0.05 \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/postgres

The fake server enforces Telegram's flood limits (30 messages in any second, one per second per
chat) and answers 429 to anything faster, so a run with no 429 proves the pace held; `--latency`
holds each answer that long, as Telegram's network does. The figure that matters is messages per
second as a share of the 30/s cap. `--minutes` queues as many messages as that many minutes at
the cap take; `--database-url` runs on PostgreSQL, in a database of its own (created, dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time

from sqlalchemy import func, select

from bench.databases import bench_database
from bench.synthetic import default_rules
from bot.i18n import build_i18n
from calendars.clock import SystemClock
from models.db import create_engine, create_sessionmaker
from models.enums import PersonKind
from models.outbox import Outbox
from models.people import User
from offline.api_server import FakeBotAPI
from offline.state import RateLimits
from reminders.outbox import enqueue_message
from reminders.worker import ReminderWorker, WorkerConfig

CAP = 30


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--per-person", type=int, default=1, help="messages per recipient")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--minutes", type=float, default=None, help="size the run in minutes")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server to run on")
    args = parser.parse_args()
    if args.minutes is not None:
        args.messages = int(args.minutes * 60 * CAP)
    return args


async def seed(url: str, server: FakeBotAPI, messages: int, per_person: int) -> None:
    engine = create_engine(url)
    now = dt.datetime.now(dt.UTC)
    people = -(-messages // per_person)
    async with create_sessionmaker(engine)() as session, session.begin():
        users = [User(id=i + 1, tg_id=10_000_000 + i, kind=PersonKind.STUDENT, created_at=now)
                 for i in range(people)]  # fmt: skip
        session.add_all(users)
        await session.flush()
        for n in range(messages):
            user = users[n % people]
            await enqueue_message(session, user.id, f"bench-{n}",
                                  f"<b>Напоминание</b> № {n}", now)  # fmt: skip
    for user in users:
        server.add_user(user.tg_id or 0, "Ученик")
    await engine.dispose()


async def main(args: argparse.Namespace) -> None:
    limits = RateLimits(enabled=True, global_per_second=CAP, per_chat_per_second=1.0,
                        per_chat_burst=1)  # fmt: skip
    async with (
        bench_database(args.database_url, "deliver-bench") as url,
        FakeBotAPI(rate_limits=limits) as server,
    ):
        server.answer_delay = args.latency
        print(f"database: {url.split(':')[0]}; answers after {args.latency * 1e3:.0f} ms")
        await seed(url, server, args.messages, args.per_person)
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        bot = server.make_bot()
        config = WorkerConfig(per_second=CAP, concurrency=args.concurrency)
        worker = ReminderWorker(bot, sessionmaker, SystemClock(), default_rules(),
                                build_i18n("ru"), config)  # fmt: skip
        started = time.perf_counter()
        stats = await worker.drain()
        wall = time.perf_counter() - started
        async with sessionmaker() as session:
            sent = await session.scalar(select(func.count()).where(Outbox.status == "sent"))
        await bot.session.close()
        await engine.dispose()
        report(server, stats.sent, sent or 0, wall, args.messages)


def report(server: FakeBotAPI, reported: int, sent: int, wall: float, messages: int) -> None:
    calls = server.calls_to("sendMessage")
    ok = sorted(c.timestamp for c in calls if c.ok)
    limited = sum(1 for c in calls if c.status == 429)
    # The cap allows 30 in any one second, so N messages need at least N/30 s after the first:
    # the run's own second-long windows are [first, last + 1 s).
    span = ok[-1] - ok[0] + 1.0 if ok else 1.0
    rate = len(ok) / span
    busiest = 0
    start = 0
    for end, moment in enumerate(ok):
        while moment - ok[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    print(
        f"delivered {len(ok)} of {messages} messages ({sent} rows sent, worker said "
        f"{reported}) in {wall:.1f} s"
    )
    print(
        f"pace:     {rate:.2f} msg/s from the first send to a second after the last = "
        f"{rate / CAP:.1%} of the {CAP}/s cap"
    )
    print(
        f"overall:  {len(ok) / wall:.2f} msg/s including start-up = "
        f"{len(ok) / wall / CAP:.1%} of the cap"
    )
    print(f"limits:   busiest second {busiest}/{CAP}; 429 answers from the fake: {limited}")


if __name__ == "__main__":
    asyncio.run(main(parse()))
