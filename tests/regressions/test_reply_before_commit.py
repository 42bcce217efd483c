"""Replies went out before the update's commit (issue 16: «Сначала выберите школу» right after
picking the school). Now the first request to Telegram commits what the handler did: whatever
the user is shown, another connection already sees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import AnswerCallbackQuery, EditMessageText, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from sqlalchemy import func, select

from bot.app import App
from models.olympiad import Registration
from tests.support.catalog_chat import enrol, extra_routers
from tests.support.chat import ChatDriver

if TYPE_CHECKING:
    from aiogram import Bot

__all__ = ["extra_routers"]  # fixture used here


class SeenFromOutside(BaseRequestMiddleware):
    """Registered inside the commit: at each reply, counts registrations on a fresh connection."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.seen: list[tuple[str, int]] = []

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, AnswerCallbackQuery | EditMessageText):
            async with self.app.sessionmaker() as session:
                count = await session.scalar(select(func.count(Registration.id)))
            self.seen.append((type(method).__name__, int(count or 0)))
        return await make_request(bot, method)


async def test_a_registration_is_committed_before_the_reply(app: App, chat: ChatDriver) -> None:
    probe = SeenFromOutside(app)
    app.bot.session.middleware(probe)
    await enrol(app, chat.user_id)
    await chat.send("/events")
    await chat.click("Математика · школьный")
    probe.seen.clear()
    reply = await chat.click("✍️ Записаться")
    assert reply.text.startswith("✅ Вы записаны.")
    assert probe.seen, "the reply made no request the probe could see"
    assert all(count == 1 for _, count in probe.seen), probe.seen
