"""The real dispatcher from bot/app.py, over HTTP, against the strict fake Bot API server.

Each test gets its own SQLite file with the demo data loaded relative to a fixed clock: a copy of
a template loaded once per session for that clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Router
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App, build_app
from bot.offline.api_server import FakeBotAPI
from bot.settings import PROJECT_ROOT, Settings
from models.db import create_sessionmaker
from models.enums import Role
from models.people import RoleGrant, User
from services.clock import FixedClock
from services.reference.demo import load_demo
from services.reference.loader import ReferenceData, load_demo_file, load_reference
from tests.conftest import create_schema
from tests.support.chat import ChatDriver
from tests.support.databases import TemplateDatabases

ADMIN_TG_ID = 900
# Mid-autumn of the 2026/27 school year, 10:00 in Yuzhno-Sakhalinsk.
NOW = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def reference() -> ReferenceData:
    """The reference data is immutable: parse its YAML once per session."""
    return load_reference(PROJECT_ROOT / "data" / "reference")


@pytest.fixture
def extra_routers() -> list[Router]:
    """Routers a test wants included (before the fallback), e.g. one not wired yet."""
    return []


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(process_timeout=15.0) as server:
        yield server


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
        demo = load_demo_file(PROJECT_ROOT / "data" / "demo" / "demo.yaml", ref)
        async with create_sessionmaker(engine)() as session, session.begin():
            await load_demo(session, demo, ref, now.date(), now)

    return await templates.sqlite_copy(f"demo@{now.isoformat()}", build, target)


@pytest.fixture
async def app(  # noqa: PLR0913 - one fixture per ingredient
    fake_api: FakeBotAPI,
    tmp_path: Path,
    clock: FixedClock,
    extra_routers: list[Router],
    templates: TemplateDatabases,
    reference: ReferenceData,
) -> AsyncIterator[App]:
    url = await demo_database(templates, reference, clock, tmp_path / "bot.sqlite3")
    settings = make_settings(fake_api, tmp_path, database_url=url)
    app = await build_app(
        settings, clock=clock, migrate=False, extra_routers=extra_routers, ref=reference
    )
    async with fake_api.run_polling(app.dp, app.bot):
        yield app
    await app.close()


@pytest.fixture
def make_chat(app: App, fake_api: FakeBotAPI) -> Callable[..., ChatDriver]:
    def make(user_id: int, **kwargs: object) -> ChatDriver:
        return ChatDriver(fake_api, user_id, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def chat(make_chat: Callable[..., ChatDriver]) -> ChatDriver:
    return make_chat(1001, first_name="Аня", last_name="Петрова")


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
    from sqlalchemy import select

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


@pytest.fixture
def grant_role(app: App) -> Callable[..., Awaitable[User]]:
    async def give(tg_id: int, role: Role, **scope: int | None) -> User:
        return await grant(app, tg_id, role, **scope)  # type: ignore[arg-type]

    return give
