"""Shared fixtures: a database per test (SQLite file, and PostgreSQL when one is reachable).

Each test still gets a database of its own; those with the schema are copies of a template
built once per session (see tests/support/databases.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models.db import create_engine, create_sessionmaker
from tests.support.databases import (
    PG_HOST,
    PG_PORT,
    TemplateDatabases,
    create_pg_database,
    create_schema,
    drop_pg_database,
    postgres_reachable,
    postgres_url,
)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabases]:
    databases = TemplateDatabases(tmp_path_factory.mktemp("templates"))
    yield databases
    databases.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} (set TEST_PG_HOST/PORT)")
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the test's own: a SQLite file, then a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
        return
    name = await create_pg_database()
    try:
        yield postgres_url(name)
    finally:
        await drop_pg_database(name)


@pytest.fixture
async def schema_url(
    backend: str, tmp_path: Path, templates: TemplateDatabases
) -> AsyncIterator[str]:
    """A database of the test's own with the schema created (a copy of the session's template)."""
    if backend == "sqlite":
        yield await templates.sqlite_copy("schema", create_schema, tmp_path / "test.sqlite3")
        return
    name = await templates.postgres_copy("schema", create_schema)
    try:
        yield postgres_url(name)
    finally:
        templates.release(name)


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
async def engine(schema_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(schema_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
async def session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session
