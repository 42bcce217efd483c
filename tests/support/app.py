"""The pieces of a conversation test's bot: settings, the demo database, staff roles.

Kept apart from tests/conversation/conftest.py so that helpers and tests import them from here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App
from bot.settings import Settings
from calendars.clock import FixedClock
from models.db import create_sessionmaker
from models.enums import Role
from models.people import RoleGrant, User
from offline.api_server import FakeBotAPI
from services.reference.demo import load_demo
from services.reference.loader import ReferenceData
from tests.support.databases import TemplateDatabases, create_schema
from tests.support.reference import demo

ADMIN_TG_ID = 900
# Mid-autumn of the 2026/27 school year, 10:00 in Yuzhno-Sakhalinsk.
NOW = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)


def make_settings(fake_api: FakeBotAPI, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": fake_api.token,
        "telegram_api_url": fake_api.base_url,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "admin_ids": frozenset({ADMIN_TG_ID}),
        "throttle_rate": 0,
        "default_timezone": "Europe/Moscow",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def demo_database(
    templates: TemplateDatabases, ref: ReferenceData, clock: FixedClock, target: Path
) -> str:
    """A copy of the schema with the demo data loaded as of the clock's now."""
    now = clock.now()

    async def build(engine: AsyncEngine) -> None:
        await create_schema(engine)
        async with create_sessionmaker(engine)() as session, session.begin():
            await load_demo(session, demo(), ref, now.date(), now)

    return await templates.sqlite_copy(f"demo@{now.isoformat()}", build, target)


async def grant(
    app: App,
    tg_id: int,
    role: Role,
    *,
    region_id: int | None = None,
    municipality_id: int | None = None,
    school_id: int | None = None,
    name: str = "Staff Member",
) -> User:
    """Gives a Telegram user a staff role directly (invitations are tested on their own)."""
    async with app.sessionmaker() as session, session.begin():
        user = await session.scalar(select(User).where(User.tg_id == tg_id))
        if user is None:
            user = User(tg_id=tg_id, full_name=name, created_at=app.clock.now())
            session.add(user)
            await session.flush()
        session.add(
            RoleGrant(
                user_id=user.id,
                role=role,
                region_id=region_id,
                municipality_id=municipality_id,
                school_id=school_id,
                created_at=app.clock.now(),
            )
        )
    return user
