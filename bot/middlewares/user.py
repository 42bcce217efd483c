"""Loads the person behind the update (creating them on first contact) and their Viewer.

`viewer` (person, locale, zone, now) is built here once per update; `me` and `ident` are the
same person, kept for the screens that only need the record.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession

from bot.middlewares.i18n import preferred_locale
from bot.people_cache import PeopleCache
from bot.update_unit import current_unit
from calendars.clock import Clock
from models.fsm import FsmRecord
from services.people.identity import Identity, identify, identity_of, person_query
from services.people.viewer import Policy, build_viewer

StateKey = Callable[[dict[str, Any]], str | None]


class UserMiddleware(BaseMiddleware):
    def __init__(
        self,
        policy: Policy,
        clock: Clock,
        people: PeopleCache | None = None,
        state_key: StateKey | None = None,
    ) -> None:
        self._policy = policy
        self._clock = clock
        # With Redis the person and their grants usually come from the cache, without a query.
        self._identify = people.identify if people is not None else identify
        # With the FSM state in the database, its record comes in the person's query.
        self._state_key = state_key if people is None else None

    async def _who(self, session: AsyncSession, tg_user: User, data: dict[str, Any]) -> Identity:
        now, admins = self._clock.now(), self._policy.admin_ids
        key = self._state_key(data) if self._state_key is not None else None
        unit = current_unit.get()
        if key is None or unit is None:
            return await self._identify(session, tg_user.id, tg_user.full_name, admins, now)
        query = (
            person_query(tg_user.id)
            .add_columns(FsmRecord)
            .outerjoin(FsmRecord, FsmRecord.key == key)
        )
        rows = (await session.execute(query)).all()
        if rows:
            unit.states[key] = rows[0][3]
        return await identity_of(session, rows, tg_user.id, tg_user.full_name, admins, now)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: User | None = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return await handler(event, data)
        session, now = data["session"], self._clock.now()
        ident = await self._who(session, tg_user, data)
        locale = preferred_locale(ident.user, tg_user)
        data["ident"] = ident
        data["me"] = ident.user
        data["locale"] = locale
        data["viewer"] = await build_viewer(
            session, ident, locale or self._policy.default_locale, now, self._policy.default_zone
        )
        return await handler(event, data)
