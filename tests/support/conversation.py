"""Fixtures of the conversation tests: the real dispatcher from bot/app.py, over HTTP, against the
strict fake Bot API server (the conftest files of tests/conversation and tests/regressions
register them).

Each test gets its own SQLite file with the demo data loaded relative to a fixed clock: a copy of
a template loaded once per session for that clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiogram import Router

from bot.app import App, build_app
from calendars.clock import FixedClock
from models.enums import Role
from models.people import User
from offline.api_server import FakeBotAPI
from services.reference.loader import ReferenceData
from tests.support.app import NOW, demo_database, grant, make_settings
from tests.support.chat import ChatDriver
from tests.support.databases import TemplateDatabases
from tests.support.reference import reference as cached_reference


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def reference() -> ReferenceData:
    """The reference data is immutable: parse its YAML once per session."""
    return cached_reference()


@pytest.fixture
def extra_routers() -> list[Router]:
    """Routers a test wants included (before the fallback), e.g. one not wired yet."""
    return []


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(process_timeout=15.0) as server:
        yield server


@pytest.fixture
async def app(  # noqa: PLR0913 - one fixture per ingredient
    fake_api: FakeBotAPI,
    tmp_path: Path,
    clock: FixedClock,
    extra_routers: list[Router],
    templates: TemplateDatabases,
    reference: ReferenceData,
    request: pytest.FixtureRequest,
) -> AsyncIterator[App]:
    url = await demo_database(templates, reference, clock, tmp_path / "bot.sqlite3")
    settings = make_settings(fake_api, tmp_path, database_url=url, **_overrides(request))
    app = await build_app(
        settings, clock=clock, migrate=False, extra_routers=extra_routers, ref=reference
    )
    async with fake_api.run_polling(app.dp, app.bot):
        yield app
    await app.close()


def _overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    """Settings a test module asks for with a `settings_overrides` fixture (e.g. WEBAPP_URL)."""
    try:
        found = request.getfixturevalue("settings_overrides")
    except pytest.FixtureLookupError:
        return {}
    return dict(found)


@pytest.fixture
def make_chat(app: App, fake_api: FakeBotAPI) -> Callable[..., ChatDriver]:
    def make(user_id: int, **kwargs: object) -> ChatDriver:
        return ChatDriver(fake_api, user_id, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def chat(make_chat: Callable[..., ChatDriver]) -> ChatDriver:
    return make_chat(1001, first_name="Аня", last_name="Петрова")


@pytest.fixture
def grant_role(app: App) -> Callable[..., Awaitable[User]]:
    async def give(tg_id: int, role: Role, **scope: int | None) -> User:
        return await grant(app, tg_id, role, **scope)  # type: ignore[arg-type]

    return give
