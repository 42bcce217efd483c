"""A database of the benchmark's own: a SQLite file, or a fresh PostgreSQL database it drops."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

import models
from models.db import create_engine


@contextlib.asynccontextmanager
async def bench_database(server_url: str | None, prefix: str) -> AsyncIterator[str]:
    """Yields the URL of an empty database with the schema; `server_url` None means SQLite.

    A PostgreSQL URL names the server (its database is where CREATE DATABASE is run from);
    the benchmark works in a database of its own, created here and dropped afterwards."""
    if server_url is None or server_url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as folder:
            url = server_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
            await _create_schema(url)
            yield url
        return
    name = f"{prefix.replace('-', '_')}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        await _create_schema(url)
        yield url
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def _create_schema(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    await engine.dispose()
