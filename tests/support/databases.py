"""Databases for tests: each test gets its own, copied from a template built once per session.

Creating the schema (and loading the demo data) costs far more than copying the result, so the
first test that asks for a kind of database builds a template of it, and every test after that
gets a copy: a file copy for SQLite, `CREATE DATABASE … TEMPLATE …` for PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

import models
from models.db import create_engine

PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("TEST_PG_USER", "postgres")

T = TypeVar("T")
Build = Callable[[AsyncEngine], Awaitable[None]]


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=0.5):
            return True
    except OSError:
        return False


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def postgres_url(name: str) -> str:
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def create_pg_database(template: str | None = None) -> str:
    name = f"olymp_test_{uuid.uuid4().hex[:12]}"
    # WAL_LOG copies a small template without the checkpoint that FILE_COPY forces.
    source = f' TEMPLATE "{template}" STRATEGY WAL_LOG' if template else ""
    await _admin(f'CREATE DATABASE "{name}"{source}')
    return name


async def drop_pg_database(name: str) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def create_schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)


async def _build(url: str, build: Build) -> None:
    engine = create_engine(url)
    try:
        await build(engine)
    finally:
        # Disposing closes the last connection: SQLite folds its WAL into the file, and
        # PostgreSQL can copy a template only while nobody is connected to it.
        await engine.dispose()


class _Background:
    """An event loop on a thread of its own, for PostgreSQL work that can overlap the tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


class TemplateDatabases:
    """Templates built on first use, keyed by what they hold; dropped when the session ends.

    Creating and dropping a PostgreSQL database waits on the disk more than on the CPU, so the
    next copy is made, and the last one dropped, in the background while a test runs.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sqlite: dict[str, Path] = {}
        self._postgres: dict[str, str] = {}
        self._background: _Background | None = None
        self._next: dict[str, Future[str]] = {}
        self._drops: list[Future[None]] = []

    async def sqlite_copy(self, key: str, build: Build, target: Path) -> str:
        template = self._sqlite.get(key)
        if template is None:
            template = self.root / f"{len(self._sqlite)}.sqlite3"
            await _build(sqlite_url(template), build)
            self._sqlite[key] = template
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
        return sqlite_url(target)

    async def postgres_copy(self, key: str, build: Build) -> str:
        """A new database copied from the template for `key`; give it back with `release`."""
        if self._background is None:
            self._background = _Background()
        ready = self._next.pop(key, None) or self._background.submit(self._copy(key, build))
        name = await asyncio.wrap_future(ready)
        self._next[key] = self._background.submit(self._copy(key, build))
        return name

    def release(self, name: str) -> None:
        assert self._background is not None
        self._drops.append(self._background.submit(drop_pg_database(name)))

    async def _copy(self, key: str, build: Build) -> str:
        # Runs on the background loop; the first copy of a key is awaited before a second one
        # is started, so a template is built once.
        template = self._postgres.get(key)
        if template is None:
            template = await create_pg_database()
            try:
                await _build(postgres_url(template), build)
            except BaseException:
                await drop_pg_database(template)
                raise
            self._postgres[key] = template
        return await create_pg_database(template)

    def drop_all(self) -> None:
        if self._background is None:
            return
        names = [name for name in map(_outcome, self._next.values()) if name is not None]
        for future in self._drops:
            _outcome(future)
        names.extend(self._postgres.values())
        self._background.submit(_drop_each(names)).result()
        self._background.close()
        self._background = None
        self._next.clear()
        self._postgres.clear()


def _outcome(future: Future[T]) -> T | None:
    """Waits for background work; its failure was already reported to the test that needed it."""
    try:
        return future.result()
    except Exception:
        return None


async def _drop_each(names: list[str]) -> None:
    for name in names:
        await drop_pg_database(name)
