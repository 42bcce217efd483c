"""How long the panel's first screen takes for a whole region (goal: ≤ 300 ms server time).

    .venv/bin/python -m bench.webapp                                   # SQLite file
    .venv/bin/python -m bench.webapp --database-url postgresql+asyncpg://postgres@127.0.0.1/postgres

Builds a synthetic region (40 municipalities × 25 schools, a school-stage event per subject and
municipality: 960 events, one student in five registered for all of their municipality's),
serves the panel on a local port as the bot does, and asks for the first screen with a signed
initData: as the regional coordinator (every municipality) and as one municipal coordinator.
Prints the median and worst time of `--runs` requests after one warm-up, the SQL statements per
request, and the ratio to the goal.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiogram import Bot
from aiohttp import web
from sqlalchemy import event

from bench.databases import bench_database
from bench.synthetic import Shape, build_region, default_rules
from bot.i18n import build_i18n
from calendars.clock import FixedClock
from models.db import create_engine, create_sessionmaker
from services.people.viewer import Policy
from webapp.auth import HEADER, sign
from webapp.routes import setup_webapp_routes

NOW = dt.datetime(2026, 10, 10, 1, 0, tzinfo=dt.UTC)  # some control points are overdue
TOKEN = "123456:bench-token"
GOAL_MS = 300.0


@dataclass
class Host:
    """What the panel reads of the running bot, without Telegram."""

    bot: Bot
    settings: Any
    sessionmaker: Any
    clock: FixedClock
    i18n: Any
    ref: Any
    policy: Policy


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    return parser.parse_args()


async def _timed(http: aiohttp.ClientSession, url: str, init_data: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        async with http.get(url, headers={HEADER: init_data}) as response:
            body = await response.text()
            assert response.status == 200, (response.status, body[:200])
        times.append((time.perf_counter() - started) * 1000)
    return times[1:]  # the first one warms the caches up


async def main(args: argparse.Namespace) -> None:
    async with bench_database(args.database_url, "webapp-bench") as url:
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        shape = Shape(students=args.students, municipalities=40, schools_per_municipality=25)
        async with sessionmaker() as session, session.begin():
            world = await build_region(session, shape, NOW)
        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        bot = Bot(TOKEN)
        host = Host(
            bot=bot,
            settings=SimpleNamespace(webapp_auth_max_age_hours=24.0),
            sessionmaker=sessionmaker,
            clock=FixedClock(NOW),
            i18n=build_i18n("ru"),
            ref=SimpleNamespace(rules=default_rules(), calendars={}),
            policy=Policy(frozenset(), 72, shape.zone, "ru"),
        )
        web_app = web.Application()
        setup_webapp_routes(web_app, host)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host_port = runner.addresses[0][:2]
        panel = f"http://{host_port[0]}:{host_port[1]}/app/api/panel"
        print(f"database: {engine.dialect.name}; region: {len(world.municipality_ids)} "
              f"municipalities × {shape.schools_per_municipality} schools, "
              f"{len(world.event_ids)} events, {shape.students} students")  # fmt: skip
        who = {
            "regional coordinator": world.staff_ids["regional"][0],
            "municipal coordinator": world.staff_ids["municipal"][0],
        }
        try:
            async with aiohttp.ClientSession() as http:
                for name, uid in who.items():
                    data = sign(
                        TOKEN, tg_id=shape.tg_base + uid, first_name="Bench", auth_date=NOW
                    )
                    before = statements
                    times = await _timed(http, panel, data, args.runs)
                    per_request = (statements - before) / (args.runs + 1)
                    median = statistics.median(times)
                    print(f"{name}: first screen median {median:.0f} ms, worst {max(times):.0f} ms"
                          f" over {args.runs} runs; {per_request:.0f} SQL statements per request;"
                          f" {median / GOAL_MS:.2f} of the 300 ms goal")  # fmt: skip
        finally:
            await runner.cleanup()
            await bot.session.close()
            await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(parse()))
