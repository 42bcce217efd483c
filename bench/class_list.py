"""How long a curator's class list of N rows takes to import (goal: 20 000 rows in ≤ 20 s).

    .venv/bin/python -m bench.class_list --rows 20000                 # SQLite file
    .venv/bin/python -m bench.class_list --rows 20000 --database-url postgresql+asyncpg://…

Builds one school in a fresh database with its school-stage events, writes a `.csv` class list
of `--rows` students (each with two subjects, grades 5–11; one in ten already in Telegram, the
rest new records), and times
`services.curator_upload.import_list` in one transaction, as the bot runs it, commit included.
Prints rows per second, the outcome counts and the ratio to the 20 s goal.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

import models
from bench.synthetic import Shape, build_region, default_rules
from bench.synthetic.events import subject_rows
from bot.i18n import build_i18n
from models.db import create_engine, create_sessionmaker
from models.people import RoleGrant, User
from services.curator.upload import import_list
from services.people.identity import Identity

NOW = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)  # registration is open
GOAL_SECONDS = 20.0
SETVAL = "SELECT setval(pg_get_serial_sequence('user_account', 'id'), max(id)) FROM user_account"
GOAL_ROWS = 20_000


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=GOAL_ROWS)
    parser.add_argument("--database-url", default=None)
    return parser.parse_args()


def class_list(rows: int, known: list[int]) -> bytes:
    """Rows naming the school's Telegram students first (the synthetic region names them
    "student <id>", grade 5 + i % 7), then new students."""
    first, second = (s["name_ru"] for s in subject_rows()[:2])
    lines = ["Фамилия;Имя;Отчество;Класс;Предметы"]
    lines += [f"student;{uid};;{5 + i % 7};{first}, {second}" for i, uid in enumerate(known)]
    lines += [
        f"Ученик{i};Имя{i};Отчество{i};{5 + i % 7};{first}, {second}"
        for i in range(rows - len(known))
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


async def main(args: argparse.Namespace) -> None:
    workdir = tempfile.TemporaryDirectory(prefix="class-list-bench-")
    url = args.database_url or f"sqlite+aiosqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)
    # One row in ten names a student already in Telegram (one in four of them with a parent,
    # one in five registered already); the rest are new records, as in a school's first list.
    shape = Shape(students=max(args.rows // 10, 1), municipalities=1, schools_per_municipality=1,
                  subjects=2, registered_every=5)  # fmt: skip
    async with sessionmaker() as session, session.begin():
        world = await build_region(session, shape, NOW)
        if engine.dialect.name == "postgresql":  # the region was inserted with explicit ids
            await session.execute(text(SETVAL))
    content, rules = class_list(args.rows, world.student_ids), default_rules()
    with build_i18n("ru").context():
        started = time.perf_counter()
        async with sessionmaker() as session, session.begin():
            staff_id = world.staff_ids["curator"][0]
            user = await session.get(User, staff_id)
            grants = await session.scalars(select(RoleGrant).where(RoleGrant.user_id == staff_id))
            assert user is not None
            result = await import_list(
                session, Identity(user=user, grants=tuple(grants)), world.school_ids[0],
                "list.csv", content, rules=rules, now=NOW,
            )  # fmt: skip
        seconds = time.perf_counter() - started
    await engine.dispose()
    workdir.cleanup()
    report(url.split(":")[0], args.rows, seconds, dict(result.counts))


def report(backend: str, rows: int, seconds: float, counts: dict[str, int]) -> None:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"database: {backend}")
    print(f"{rows:,} rows in {seconds:.1f} s: {rows / seconds:,.0f} rows/s ({outcomes})")
    scaled = seconds * GOAL_ROWS / rows
    print(f"20,000 rows would take {scaled:.1f} s: {scaled / GOAL_SECONDS:.2f} of the 20 s goal")
    print(f"max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main(parse()))
