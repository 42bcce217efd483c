"""Tests share one built schema per session, yet each still gets a database of its own.

Building the schema and the demo data for every test made the suite take 23 minutes; now the
first test builds a template and the others get copies, and nothing one test writes is seen by
another.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_bot
from bot.settings import Settings
from models.db import create_engine
from offline.http_session import LoopbackSession
from tests.support.databases import TemplateDatabases, postgres_reachable, postgres_url


class CountingBuild:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, engine: AsyncEngine) -> None:
        self.calls += 1
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE note (body VARCHAR(20))"))
            await conn.execute(text("INSERT INTO note VALUES ('seed')"))


async def notes(url: str, add: str | None = None) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if add is not None:
                await conn.execute(text("INSERT INTO note VALUES (:b)"), {"b": add})
            return list((await conn.scalars(text("SELECT body FROM note ORDER BY body"))).all())
    finally:
        await engine.dispose()


async def test_sqlite_copies_are_built_once_and_kept_apart(tmp_path: Path) -> None:
    templates, build = TemplateDatabases(tmp_path / "templates"), CountingBuild()
    (tmp_path / "templates").mkdir()
    first = await templates.sqlite_copy("k", build, tmp_path / "a" / "db.sqlite3")
    second = await templates.sqlite_copy("k", build, tmp_path / "b" / "db.sqlite3")
    assert await notes(first, add="only in a") == ["only in a", "seed"]
    assert await notes(second) == ["seed"]
    assert build.calls == 1


async def test_postgres_copies_are_built_once_and_kept_apart(tmp_path: Path) -> None:
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable")
    templates, build = TemplateDatabases(tmp_path), CountingBuild()
    try:
        first = await templates.postgres_copy("k", build)
        second = await templates.postgres_copy("k", build)
        assert first != second
        assert await notes(postgres_url(first), add="only in a") == ["only in a", "seed"]
        assert await notes(postgres_url(second)) == ["seed"]
        assert build.calls == 1
        templates.release(first)
        templates.release(second)
    finally:
        templates.drop_all()


async def test_schema_fixture_gives_a_ready_database(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM region"))
    assert count == 0


def test_a_plain_http_api_skips_the_tls_pause_on_close() -> None:
    url = "http://127.0.0.1:8081"
    settings = Settings(_env_file=None, telegram_api_url=url)  # type: ignore[call-arg]
    assert isinstance(build_bot(settings).session, LoopbackSession)
