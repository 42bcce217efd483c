"""Mini App buttons as Telegram checks them: an https URL, or the request is refused."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    WebAppInfo,
)

from offline.api_server import FakeBotAPI


def _markup(url: str) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(text="Открыть панель", web_app=WebAppInfo(url=url))
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


async def test_web_app_button_needs_https(bot: Bot, user_id: int) -> None:
    sent = await bot.send_message(user_id, "панель", reply_markup=_markup("https://x.example/app"))
    assert sent.reply_markup is not None
    with pytest.raises(TelegramBadRequest, match="Only HTTPS links are allowed"):
        await bot.send_message(user_id, "панель", reply_markup=_markup("http://x.example/app"))


async def test_menu_button_web_app(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    good = MenuButtonWebApp(text="Панель", web_app=WebAppInfo(url="https://x.example/app"))
    assert await bot.set_chat_menu_button(chat_id=user_id, menu_button=good)
    assert server.core.menu_buttons[user_id]["web_app"] == {"url": "https://x.example/app"}
    plain = MenuButtonWebApp(text="Панель", web_app=WebAppInfo(url="http://x.example/app"))
    with pytest.raises(TelegramBadRequest, match="Only HTTPS links are allowed"):
        await bot.set_chat_menu_button(chat_id=user_id, menu_button=plain)
    assert (await bot.get_chat_menu_button(chat_id=user_id)).type == "web_app"
