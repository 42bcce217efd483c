"""Picks the language: the one the person chose, else Telegram's if we speak it, else default."""

from __future__ import annotations

from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18nMiddleware


class PersonI18nMiddleware(I18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        me = data.get("me")
        if me is not None and me.locale in self.i18n.available_locales:
            return str(me.locale)
        tg_user: User | None = data.get("event_from_user")
        if tg_user is not None and tg_user.language_code:
            code = tg_user.language_code.split("-")[0]
            if me is not None and me.locale is None and code in self.i18n.available_locales:
                return code
        return self.i18n.default_locale
