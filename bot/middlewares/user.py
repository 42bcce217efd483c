"""Loads the person behind the update (creating them on first contact) and their Viewer.

`viewer` (person, locale, zone, now) is built here once per update; `me` and `ident` are the
same person, kept for the screens that only need the record.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.middlewares.i18n import preferred_locale
from bot.people_cache import PeopleCache
from calendars.clock import Clock
from services.people.identity import identify
from services.people.viewer import Policy, build_viewer


class UserMiddleware(BaseMiddleware):
    def __init__(self, policy: Policy, clock: Clock, people: PeopleCache | None = None) -> None:
        self._policy = policy
        self._clock = clock
        # With Redis the person and their grants usually come from the cache, without a query.
        self._identify = people.identify if people is not None else identify

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
        ident = await self._identify(
            session, tg_user.id, tg_user.full_name, self._policy.admin_ids, now
        )
        locale = preferred_locale(ident.user, tg_user)
        data["ident"] = ident
        data["me"] = ident.user
        data["locale"] = locale
        data["viewer"] = await build_viewer(
            session, ident, locale or self._policy.default_locale, now, self._policy.default_zone
        )
        return await handler(event, data)
