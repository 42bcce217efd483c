"""GET /healthz and GET /metrics of a running bot, served the way the process serves them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.web.serve import health_app
from calendars.clock import FixedClock
from models.db import create_sessionmaker
from models.enums import Role
from models.outbox import Outbox, OutboxKind
from offline.api_server import FakeBotAPI
from reminders.lease import LeaseKeeper
from services.reference.loader import ReferenceData
from tests.support.app import demo_database, grant, make_settings
from tests.support.chat import ChatDriver
from tests.support.databases import TemplateDatabases


@pytest.fixture
async def app(  # noqa: PLR0913 - the conversation fixture, with metrics collected
    fake_api: FakeBotAPI,
    tmp_path: Path,
    clock: FixedClock,
    templates: TemplateDatabases,
    reference: ReferenceData,
) -> AsyncIterator[App]:
    url = await demo_database(templates, reference, clock, tmp_path / "bot.sqlite3")
    settings = make_settings(fake_api, tmp_path, database_url=url, health_port=8080)
    app = await build_app(settings, clock=clock, migrate=False, ref=reference)
    async with fake_api.run_polling(app.dp, app.bot):
        yield app
    await app.close()


@pytest.fixture
async def web(app: App) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    client: TestClient = TestClient(TestServer(health_app(app)))  # type: ignore[type-arg]
    await client.start_server()
    yield client
    await client.close()


def sample(body: str, name: str, **labels: str) -> float | None:
    """The value of one sample of the Prometheus text, or None when it is not there."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = rf"^{re.escape(name)}(\{{{re.escape(wanted)}\}})? (\S+)$" if wanted else None
    for line in body.splitlines():
        if pattern is None and line.startswith(f"{name} "):
            return float(line.split()[1])
        if pattern and (found := re.match(pattern, line)) and found.group(1):
            return float(found.group(2))
    return None


async def test_healthz_reports_database_lease_and_lag(app: App, web: TestClient) -> None:  # type: ignore[type-arg]
    response = await web.get("/healthz")
    report = await response.json()
    assert response.status == 200
    assert (report["status"], report["database"], report["redis"]) == ("ok", "ok", "absent")
    assert report["lease_holder"] is None
    assert report["outbox_lag_seconds"] == 0

    await LeaseKeeper(
        app.sessionmaker, app.clock, ttl=dt.timedelta(minutes=1), holder="a:1"
    ).acquire()
    person = await grant(app, 7001, Role.ADMIN)
    now = app.clock.now()
    late = now - dt.timedelta(minutes=2)
    async with app.sessionmaker() as session, session.begin():
        session.add(
            Outbox(
                key="health-test", user_id=person.id, kind=OutboxKind.MESSAGE,
                due_at=late, next_attempt_at=late,
                created_at=now, text="late",
            )
        )  # fmt: skip
    report = await (await web.get("/healthz")).json()
    assert report["lease_holder"] == "a:1"
    assert report["outbox_due"] == 1
    assert report["outbox_lag_seconds"] == 120.0


async def test_healthz_fails_without_its_database_or_redis(app: App, web: TestClient) -> None:  # type: ignore[type-arg]
    working = app.sessionmaker
    broken = create_async_engine("sqlite+aiosqlite:////nonexistent-folder/none.sqlite3")
    app.sessionmaker = create_sessionmaker(broken)
    response = await web.get("/healthz")
    assert response.status == 503
    assert (await response.json())["database"] == "down"
    app.sessionmaker = working
    await broken.dispose()

    app.redis = Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        response = await web.get("/healthz")
        assert response.status == 503
        assert (await response.json())["redis"] == "down"
    finally:
        await app.redis.aclose()
        app.redis = None


async def test_metrics_count_updates_latency_429s_and_the_lease(
    app: App,
    chat: ChatDriver,
    fake_api: FakeBotAPI,
    web: TestClient,  # type: ignore[type-arg]
) -> None:
    await chat.send("/help")
    fake_api.inject("sendMessage", 429, retry_after=1, chat_id=chat.user_id)
    await chat.send("/help")
    await LeaseKeeper(
        app.sessionmaker, app.clock, ttl=dt.timedelta(minutes=1), holder="b:2"
    ).acquire()
    response = await web.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    body = await response.text()
    assert sample(body, "bot_updates_total", type="message", outcome="handled") == 2
    assert sample(body, "bot_update_seconds_count", type="message") == 2
    assert sample(body, "bot_telegram_429_total", bot="replies") == 1
    assert sample(body, "bot_telegram_retry_after_seconds_total", bot="replies") == 1
    assert sample(body, "bot_delivery_lease_holder", holder="b:2") == 1
    assert sample(body, "bot_outbox_due") == 0


async def test_each_app_has_its_own_registry(app: App) -> None:
    assert app.metrics is not None
    other = type(app.metrics)()
    other.updates.labels("message", "handled").inc()
    assert app.metrics.registry is not other.registry
    assert app.metrics.updates.labels("message", "handled")._value.get() == 0


async def test_without_a_port_no_metrics_are_collected(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    bare = await build_app(make_settings(fake_api, tmp_path), migrate=False)
    try:
        assert bare.metrics is None
        async with TestClient(TestServer(health_app(bare))) as client:
            assert (await client.get("/metrics")).status == 404
    finally:
        await bare.close()
