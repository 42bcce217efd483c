"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

import models
from bot.migrate import upgrade_database
from models.db import create_engine, create_sessionmaker
from models.people import User


async def test_migrations_match_models(database_url: str) -> None:
    await upgrade_database(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:

            def diff(sync_conn):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                return compare_metadata(context, models.Base.metadata)

            assert await conn.run_sync(diff) == []
    finally:
        await engine.dispose()


async def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    await upgrade_database(database_url)
    await upgrade_database(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
        assert version
    finally:
        await engine.dispose()


async def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as conn:
            assert (await conn.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await conn.scalar(text("PRAGMA foreign_keys"))) == 1
    finally:
        await engine.dispose()


async def test_timestamps_are_stored_and_read_as_utc(engine) -> None:  # type: ignore[no-untyped-def]
    sessionmaker = create_sessionmaker(engine)
    sakhalin = timezone(timedelta(hours=11))
    at = datetime(2026, 2, 28, 23, 30, tzinfo=sakhalin)
    async with sessionmaker() as session, session.begin():
        session.add(User(tg_id=1, full_name="A", created_at=at))
    async with sessionmaker() as session:
        stored = await session.scalar(select(User.created_at))
    assert stored is not None
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == at
    assert stored == datetime(2026, 2, 28, 12, 30, tzinfo=UTC)


async def test_naive_timestamps_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    sessionmaker = create_sessionmaker(engine)
    with pytest.raises(StatementError, match="naive datetime"):
        async with sessionmaker() as session, session.begin():
            session.add(User(tg_id=2, full_name="B", created_at=datetime(2026, 1, 1)))  # noqa: DTZ001


async def test_foreign_keys_are_enforced(engine) -> None:  # type: ignore[no-untyped-def]
    sessionmaker = create_sessionmaker(engine)
    with pytest.raises(IntegrityError):
        async with sessionmaker() as session, session.begin():
            session.add(
                User(tg_id=3, full_name="C", school_id=424242, created_at=datetime.now(UTC))
            )
