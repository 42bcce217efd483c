"""Picks the language: the one the person chose, else Telegram's if we speak it, else default."""

from __future__ import annotations

from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18nMiddleware

from bot.settings import SUPPORTED_LOCALES
from models.people import User as Person


def preferred_locale(person: Person | None, tg_user: User | None) -> str | None:
    if person is not None and person.locale in SUPPORTED_LOCALES:
        return person.locale
    if tg_user is not None and tg_user.language_code:
        code = tg_user.language_code.split("-")[0]
        if code in SUPPORTED_LOCALES:
            return code
    return None


class PersonI18nMiddleware(I18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        # Set by the user middleware as a plain string: error handlers run after the rollback
        # has expired the person's row, and must still speak their language.
        locale = data.get("locale")
        return locale if locale in self.i18n.available_locales else self.i18n.default_locale
