"""What one registration costs in a small event and in a large one: it must not grow with size.

    .venv/bin/python -m bench.register_cost                      # SQLite file
    .venv/bin/python -m bench.register_cost --database-url postgresql+asyncpg://postgres@127.0.0.1/x

Builds one municipality with two school-stage events, registers 100 students for the first and
10 000 for the second, plans both (as the bot would have), then signs up `--taps` more students
for each through `services.registration.register`, one transaction per tap as a button press
does, followed by the planning the press queued (its own transaction, as the bot runs it after
the press's commit). Prints the mean and p95 per registration, planning included, the press
alone, and the ratio large / small (target ≤ 1.5).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import models
from bench.synthetic import Shape, build_region, default_rules
from bot.i18n import build_i18n
from models.db import create_engine, create_sessionmaker
from models.olympiad import Registration
from models.people import User
from reminders.plan_queue import plan_waiting
from reminders.planner import replan_event
from services.people.identity import Identity
from services.registration.register import register

NOW = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)  # registration closes late September
SMALL, LARGE = 100, 10_000


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--taps", type=int, default=60, help="registrations timed per event")
    return parser.parse_args()


async def _prefill(session: AsyncSession, event_id: int, students: list[int]) -> None:
    rows = [
        {"event_id": event_id, "student_id": s, "grade": 5, "created_at": NOW} for s in students
    ]
    for start in range(0, len(rows), 5000):
        await session.execute(insert(Registration), rows[start : start + 5000])


async def _taps(
    sessionmaker: async_sessionmaker[AsyncSession], event_id: int, students: list[int]
) -> list[tuple[float, float]]:
    rules, seconds = default_rules(), []
    for student_id in students:
        started = time.perf_counter()
        async with sessionmaker() as session, session.begin():
            student = await session.get(User, student_id)
            assert student is not None
            await register(session, Identity(student), student, event_id, NOW, rules)
        pressed = time.perf_counter()
        # The planning the press queued, as the bot runs it right after the press's commit.
        async with sessionmaker() as session, session.begin():
            assert await plan_waiting(session, rules, NOW) == 1
        seconds.append((pressed - started, time.perf_counter() - started))
    return seconds


async def main(args: argparse.Namespace) -> None:
    workdir = tempfile.TemporaryDirectory(prefix="register-bench-")
    url = args.database_url or f"sqlite+aiosqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)
    total = 1 + SMALL + LARGE + 2 * args.taps
    shape = Shape(students=total, municipalities=1, schools_per_municipality=10, subjects=2,
                  parent_every=4, registered_every=total + 1)  # fmt: skip
    async with sessionmaker() as session, session.begin():
        world = await build_region(session, shape, NOW)
        small, large = world.event_ids
        people = world.student_ids[1:]  # the first is registered for both already
        await _prefill(session, small, people[:SMALL])
        await _prefill(session, large, people[SMALL : SMALL + LARGE])
    for event_id in (small, large):
        async with sessionmaker() as session, session.begin():
            await replan_event(session, event_id, default_rules(), NOW)
    free = people[SMALL + LARGE :]
    # Alternate the two events so that a noisy moment of the machine hits both alike.
    tapped: dict[int, list[tuple[float, float]]] = {small: [], large: []}
    i18n = build_i18n("ru")  # a registration tells the parents, in their language
    with i18n.context():
        for i in range(args.taps):
            for event_id, student in ((small, free[2 * i]), (large, free[2 * i + 1])):
                tapped[event_id] += await _taps(sessionmaker, event_id, [student])
    await engine.dispose()
    workdir.cleanup()
    report(url.split(":")[0], tapped[small], tapped[large])


def report(
    backend: str, small: list[tuple[float, float]], large: list[tuple[float, float]]
) -> None:
    def line(name: str, taps: list[tuple[float, float]]) -> float:
        seconds = [total for _press, total in taps]
        mean = statistics.fmean(seconds)
        p95 = statistics.quantiles(seconds, n=20)[-1]
        press = statistics.fmean(press for press, _total in taps)
        print(f"{name}: {len(seconds)} registrations, mean {mean * 1e3:.1f} ms, "
              f"p95 {p95 * 1e3:.1f} ms (the press alone {press * 1e3:.1f} ms)")  # fmt: skip
        return mean

    print(f"database: {backend}")
    base = line(f"event with {SMALL:>6,} registrations", small)
    big = line(f"event with {LARGE:>6,} registrations", large)
    print(f"ratio large / small: {big / base:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    asyncio.run(main(parse()))
