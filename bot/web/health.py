"""GET /healthz (is this replica fit to take traffic) and GET /metrics (Prometheus text).

/healthz answers 200 when the database answers and, where configured, Redis does; 503 otherwise.
It also tells who holds the delivery lease and how late the outbox is, so that a probe or a
person sees at once whether reminders go out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from models import inbox
from reminders.status import DeliveryStatus, delivery_status

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
CHECK_SECONDS = 3.0


def setup_health_routes(web_app: web.Application, app: App) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        report, healthy = await check(app)
        return web.json_response(report, status=200 if healthy else 503)

    async def metrics(_request: web.Request) -> web.Response:
        if app.metrics is None:
            raise web.HTTPNotFound(text="metrics are not collected by this process")
        status = await _delivery(app)
        if status is not None:
            app.metrics.record_delivery(status)
        body = generate_latest(app.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)


async def check(app: App) -> tuple[dict[str, Any], bool]:
    database = await _database_ok(app)
    redis = "absent" if app.redis is None else ("ok" if await _redis_ok(app) else "down")
    status = await _delivery(app) if database else None
    report: dict[str, Any] = {
        "status": "ok" if database and redis != "down" else "fail",
        "database": "ok" if database else "down",
        "redis": redis,
    }
    if status is not None:
        report |= {
            "lease_holder": status.lease_holder,
            "lease_expires_at": status.lease_expires_at.isoformat()
            if status.lease_expires_at
            else None,
            "outbox_due": status.due,
            "outbox_lag_seconds": round(status.lag_seconds, 1),
        }
        waiting = await _inbox(app)
        if waiting is not None:
            count, age = waiting
            report |= {
                "inbox_waiting": count,
                "inbox_lag_seconds": round(age.total_seconds(), 1) if age else 0.0,
            }
    return report, report["status"] == "ok"


async def _database_ok(app: App) -> bool:
    try:
        async with asyncio.timeout(CHECK_SECONDS), app.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
    except Exception:
        log.warning("health: the database does not answer", exc_info=True)
        return False
    return True


async def _redis_ok(app: App) -> bool:
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            return bool(await app.redis.ping())
    except Exception:
        log.warning("health: Redis does not answer", exc_info=True)
        return False


async def _inbox(app: App) -> tuple[int, dt.timedelta | None] | None:
    """Updates taken in and not handled yet, and the oldest one's age."""
    try:
        async with asyncio.timeout(CHECK_SECONDS), app.sessionmaker() as session:
            return await inbox.backlog(session, app.clock.now())
    except Exception:
        log.warning("health: the inbox could not be read", exc_info=True)
        return None


async def _delivery(app: App) -> DeliveryStatus | None:
    try:
        async with asyncio.timeout(CHECK_SECONDS), app.sessionmaker() as session:
            return await delivery_status(session, app.clock.now())
    except Exception:
        log.warning("health: the outbox could not be read", exc_info=True)
        return None
