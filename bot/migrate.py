"""Applies Alembic migrations; run on every start and by `python -m bot migrate`."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.settings import PROJECT_ROOT, SettingsError
from models.db import create_engine


def alembic_config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


async def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Every command starts here, so a database that cannot be opened is reported here once,
    as a setting the operator has to fix (SettingsError), not as a driver's traceback."""
    try:
        engine = create_engine(database_url)
    except OSError as exc:  # the SQLite file's folder cannot be made
        raise unusable_database(database_url, exc) from None
    try:
        connection = await _connect(engine, database_url)
        try:
            async with connection.begin():
                await connection.run_sync(_upgrade, revision)
        finally:
            await connection.close()
    finally:
        await engine.dispose()


async def _connect(engine: AsyncEngine, database_url: str) -> AsyncConnection:
    try:
        return await engine.connect()
    except (OSError, DBAPIError) as exc:  # refused, unknown host, no such database, password
        raise unusable_database(database_url, exc) from None


def unusable_database(database_url: str, exc: Exception) -> SettingsError:
    shown = make_url(database_url).render_as_string(hide_password=True)
    cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reason = cause[0] if cause else type(exc).__name__
    return SettingsError(f"Invalid setting DATABASE_URL: cannot open {shown}: {reason}")


def _upgrade(connection: object, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def stamp_database(database_url: str) -> None:
    """Marks a schema made from the models (benchmarks, tests) as up to date, so that a bot
    process started on it does not try to create it again."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_stamp)
    finally:
        await engine.dispose()


def _stamp(connection: object) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.stamp(config, "head")
