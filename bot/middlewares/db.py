"""One database session per update: the update is the unit of work (see bot/update_unit.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.update_unit import AlreadyHandledError, UpdateUnit, current_unit
from calendars.clock import Clock

log = logging.getLogger(__name__)


class DbSessionMiddleware(BaseMiddleware):
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
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
                return UNHANDLED
            except BaseException:
                await session.rollback()
                raise
            finally:
                unit.closed = True
                current_unit.reset(token)
            return result
