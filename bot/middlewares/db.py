"""One database session per update: the update is the unit of work (see bot/update_unit.py)."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.update_unit import AlreadyHandledError, UpdateUnit, current_unit
from calendars.clock import Clock
from reminders.plan_queue import PlanDrainer, queued

log = logging.getLogger(__name__)
RETRIES = 5
SHOWN_KEY = "update_committed"  # once part of it committed (and was shown), never run it again
CONFLICTS = ("database is locked", "deadlock detected", "could not serialize")


def _conflict(exc: OperationalError) -> bool:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return any(marker in text for marker in CONFLICTS)


class DbSessionMiddleware(BaseMiddleware):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        planner: PlanDrainer | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._planner = planner

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        for attempt in range(1, RETRIES + 1):
            try:
                result, plan = await self._once(handler, event, data)
            except OperationalError as exc:
                # A write conflict detected before the update showed anything (SQLite's busy
                # snapshot, PostgreSQL's deadlock): nothing of it is committed, run it again.
                if attempt == RETRIES or not _conflict(exc) or data.get(SHOWN_KEY):
                    raise
                log.warning("write conflict, running the update again (attempt %s)", attempt)
                await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311
                continue
            if plan and self._planner is not None:
                # After the reply and the commit, with the session closed: the registrations
                # this update queued are planned now (with any others waiting).
                await self._planner.kick()
            return result
        raise AssertionError  # pragma: no cover - the loop returns or raises

    async def _once(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> tuple[Any, bool]:
        async with self._sessionmaker() as session:
            unit = UpdateUnit(session, self._clock, receipt=data.get("inbox_receipt"))
            data["session"] = session
            token = current_unit.set(unit)
            try:
                result = await handler(event, data)
                await unit.commit()
            except AlreadyHandledError:
                await session.rollback()
                log.warning("update handled elsewhere first; this run is rolled back")
                return UNHANDLED, False
            except BaseException:
                await session.rollback()
                raise
            finally:
                data[SHOWN_KEY] = unit.committed
                unit.closed = True
                current_unit.reset(token)
            return result, queued(session)
