"""Applies Alembic migrations; run on every start and by `python -m bot migrate`."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from bot.settings import PROJECT_ROOT
from models.db import create_engine


def alembic_config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


async def upgrade_database(database_url: str, revision: str = "head") -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, revision)
    finally:
        await engine.dispose()


def _upgrade(connection: object, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
