"""Applies Alembic migrations; run on every start and by `python -m bot migrate`.

Alembic is imported only when there is something to apply: a database already at the head of
`migrations/versions` is recognised by reading its `alembic_version` row, and the running bot
then never holds Alembic (about 12 MB) in memory.
"""

from __future__ import annotations

import asyncio
import re
import threading
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.settings import PROJECT_ROOT, SettingsError
from models.db import create_engine

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = PROJECT_ROOT / "migrations" / "versions"
REVISION = re.compile(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.M)
DOWN = re.compile(r"^down_revision\b[^=]*=\s*(.+)$", re.M)


def alembic_config() -> Config:
    from alembic.config import Config

    return Config(str(PROJECT_ROOT / "alembic.ini"))


def head_revisions() -> frozenset[str]:
    """The heads of the migration scripts, read from their text (no Alembic import)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found, down = REVISION.search(source), DOWN.search(source)
        if found:
            revisions.add(found.group(1))
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - parents)


def _is_current(connection: Connection) -> bool:
    try:
        with connection.begin_nested():
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            current = frozenset(str(row[0]) for row in rows)
    except DBAPIError:
        return False  # a new database: no version table yet
    return bool(current) and current == head_revisions()


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
    before = set(threading.enumerate())
    try:
        return await engine.connect()
    except (OSError, DBAPIError) as exc:  # refused, unknown host, no such database, password
        await _driver_threads_stopped(before)
        raise unusable_database(database_url, exc) from None


async def _driver_threads_stopped(before: set[threading.Thread], seconds: float = 5.0) -> None:
    """aiosqlite stops the thread of a connection it failed to open by a message that the thread
    answers on this event loop: were the loop closed first (the command ends at once), the thread
    would print a traceback («Event loop is closed») after the one clear line."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    started = [t for t in threading.enumerate() if t not in before]
    while any(t.is_alive() for t in started) and loop.time() < deadline:
        await asyncio.sleep(0.005)


def unusable_database(database_url: str, exc: Exception) -> SettingsError:
    shown = make_url(database_url).render_as_string(hide_password=True)
    cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reason = cause[0] if cause else type(exc).__name__
    return SettingsError(f"Invalid setting DATABASE_URL: cannot open {shown}: {reason}")


def _upgrade(connection: Connection, revision: str) -> None:
    if revision == "head" and _is_current(connection):
        return
    from alembic import command

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
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.stamp(config, "head")
