"""Backup and restore as deploy/README.md tells it: `pg_dump` of a working database, restored into
a new one, and the bot on the restored copy carries on where it was: the student's registration
is there, the reminders it planned are still pending, and they go out when due.

Runs on PostgreSQL (127.0.0.1:5432 unless TEST_PG_HOST/PORT/USER) with `pg_dump` and
`pg_restore` on the PATH; skipped with the reason otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.migrate import upgrade_database
from calendars.clock import FixedClock
from models.db import create_engine, create_sessionmaker
from models.olympiad import Registration
from models.outbox import Outbox, OutboxStatus
from offline.api_server import FakeBotAPI
from services.reference.demo import load_demo
from services.reference.loader import ReferenceData
from tests.support.app import NOW, make_settings
from tests.support.catalog_chat import enrol
from tests.support.chat import ChatDriver
from tests.support.conversation import fake_api
from tests.support.databases import (
    PG_HOST,
    PG_PORT,
    PG_USER,
    create_pg_database,
    drop_pg_database,
    postgres_reachable,
    postgres_url,
)
from tests.support.reference import demo
from tests.support.reference import reference as cached_reference

__all__ = ["fake_api"]  # fixture used here
STUDENT = 3001


@pytest.fixture
async def databases() -> AsyncIterator[list[str]]:
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} (set TEST_PG_HOST/PORT)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    names: list[str] = []
    yield names
    for name in names:
        await drop_pg_database(name)


def pg(tool: str, *args: str) -> None:
    connection = ["-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER]
    subprocess.run([tool, *connection, *args], check=True, capture_output=True, timeout=300)


async def pending_for(app: App, user_id: int) -> list[Outbox]:
    async with app.sessionmaker() as session:
        rows = await session.scalars(
            select(Outbox)
            .where(Outbox.user_id == user_id, Outbox.status == OutboxStatus.PENDING)
            .order_by(Outbox.next_attempt_at)
        )
        return list(rows)


async def demo_deployment(url: str, ref: ReferenceData) -> None:
    await upgrade_database(url)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await load_demo(session, demo(), ref, NOW.date(), NOW)
    finally:
        await engine.dispose()


async def test_dump_restore_and_carry_on(
    databases: list[str], fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    ref, clock = cached_reference(), FixedClock(NOW)
    databases.append(await create_pg_database())
    await demo_deployment(postgres_url(databases[0]), ref)
    chat = ChatDriver(fake_api, STUDENT, first_name="Аня")

    live = await build_app(
        make_settings(fake_api, tmp_path, database_url=postgres_url(databases[0])),
        clock=clock, migrate=False, ref=ref,
    )  # fmt: skip
    try:
        student = await enrol(live, STUDENT)
        async with fake_api.run_polling(live.dp, live.bot):
            await chat.send("/events")
            await chat.click("Математика · школьный")
            assert (await chat.click("✍️ Записаться")).text.startswith("✅ Вы записаны.")
        planned = [(row.key, row.next_attempt_at) for row in await pending_for(live, student.id)]
        assert planned
    finally:
        await live.close()

    dump = tmp_path / "olymp.pgdump"
    pg("pg_dump", "--format=custom", f"--file={dump}", databases[0])
    databases.append(await create_pg_database())
    pg("pg_restore", "--no-owner", f"--dbname={databases[1]}", str(dump))

    restored = await build_app(
        make_settings(fake_api, tmp_path, database_url=postgres_url(databases[1])),
        clock=clock, migrate=True, ref=ref,
    )  # fmt: skip
    try:
        async with restored.sessionmaker() as session:
            count = select(func.count()).where(Registration.student_id == student.id)
            assert await session.scalar(count.select_from(Registration)) == 1
        rows = await pending_for(restored, student.id)
        assert [(row.key, row.next_attempt_at) for row in rows] == planned
        async with fake_api.run_polling(restored.dp, restored.bot):
            assert "Математика" in (await chat.send("/my")).text
        sent_before = len([c for c in fake_api.calls if c.method == "sendMessage" and c.ok])
        clock.set(planned[0][1])
        assert await restored.deliver_due() >= 1
        delivered = [c for c in fake_api.calls if c.method == "sendMessage" and c.ok]
        assert len(delivered) > sent_before
        assert delivered[-1].params["chat_id"] in (STUDENT, str(STUDENT))
        assert planned[0][0] not in [row.key for row in await pending_for(restored, student.id)]
    finally:
        await restored.close()
