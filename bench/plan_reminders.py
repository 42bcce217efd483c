"""Plan reminders for a synthetic region and report time and peak memory.

    .venv/bin/python -m bench.plan_reminders                 # 100 000 students × 24 subjects
    .venv/bin/python -m bench.plan_reminders --quick         # 10 000 students

Builds the region in a fresh SQLite file (or --database-url), plans every event as
`replan_event` does after a change (one transaction per event), then plans everything again to
show that re-planning is a no-op. Peak memory is traced with tracemalloc during the first pass.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import time
import tracemalloc

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.databases import bench_database
from bench.synthetic import Shape, build_region, default_rules
from models.db import create_engine, create_sessionmaker
from models.outbox import Outbox
from reminders.planner import replan_event
from reminders.sync import SyncStats

NOW = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, default=24)
    parser.add_argument("--municipalities", type=int, default=40)
    parser.add_argument("--schools", type=int, default=25, help="schools per municipality")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-trace", action="store_true", help="time without tracemalloc")
    parser.add_argument("--quick", action="store_true", help="10 000 students, 4 municipalities")
    args = parser.parse_args()
    if args.quick:
        args.students, args.municipalities = 10_000, 4
    return args


async def plan_all(
    sessionmaker: async_sessionmaker[AsyncSession], event_ids: list[int]
) -> tuple[SyncStats, float, float]:
    """Plans every event; returns the totals, wall seconds and CPU seconds (all threads)."""
    rules, total = default_rules(), SyncStats()
    started, cpu = time.perf_counter(), time.process_time()
    for event_id in event_ids:
        async with sessionmaker() as session, session.begin():
            total += await replan_event(session, event_id, rules, NOW)
    return total, time.perf_counter() - started, time.process_time() - cpu


async def main(args: argparse.Namespace) -> None:
    async with bench_database(args.database_url, "plan-bench") as url:
        print(f"database: {url.split(':')[0]}")
        await run(args, url)


async def run(args: argparse.Namespace, url: str) -> None:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    shape = Shape(
        students=args.students,
        subjects=args.subjects,
        municipalities=args.municipalities,
        schools_per_municipality=args.schools,
    )
    started = time.perf_counter()
    async with sessionmaker() as session, session.begin():
        region = await build_region(session, shape, NOW)
    if engine.dialect.name == "postgresql":
        # A deployment's tables have statistics (autovacuum gathers them); a region bulk-loaded
        # a moment ago has none, and the planner would guess every table holds a few rows.
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    print(
        f"region: {args.students} students, {len(region.parent_ids)} parents, "
        f"{len(region.school_ids)} schools, {len(region.event_ids)} events "
        f"({args.subjects} subjects × {args.municipalities} municipalities), "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    if not args.no_trace:
        tracemalloc.start()
    first, seconds, cpu = await plan_all(sessionmaker, region.event_ids)
    peak = tracemalloc.get_traced_memory()[1] if not args.no_trace else 0
    tracemalloc.stop()
    again, seconds_again, _ = await plan_all(sessionmaker, region.event_ids)
    async with sessionmaker() as session:
        rows = (await session.execute(select(func.count(Outbox.id)))).scalar_one()
    await engine.dispose()
    report(args, first, (seconds, cpu), peak, again, seconds_again, rows)


def report(
    args: argparse.Namespace,
    first: SyncStats,
    times: tuple[float, float],
    peak: int,
    again: SyncStats,
    seconds_again: float,
    rows: int,
) -> None:
    seconds, cpu = times
    planned = max(rows, 1)  # what is in the database, not what was offered to it
    traced = "" if args.no_trace else ", tracemalloc on"
    print(
        f"plan:   {rows:,} outbox rows in {seconds:.1f} s wall, {cpu:.1f} s CPU{traced} "
        f"({first.inserted:,} offered)"
    )
    print(
        f"        {planned / seconds:,.0f} rows/s, {seconds / planned * 1e6:.0f} µs/row wall, "
        f"{cpu / planned * 1e6:.0f} µs/row CPU"
    )
    print(
        f"        {first.inserted / args.students:.1f} rows per student, "
        f"{seconds / args.students * 1e3:.2f} ms per student"
    )
    if not args.no_trace:
        print(
            f"memory: tracemalloc peak {peak / 2**20:.1f} MiB "
            f"({peak / planned:.1f} B per planned row: one event is planned at a time)"
        )
    print(f"        max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"replan: {again.inserted} new rows, {again.cancelled} cancelled in "
          f"{seconds_again:.1f} s ({seconds_again / seconds:.2f}× the first pass); "
          f"{rows:,} rows in the outbox")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main(parse()))
