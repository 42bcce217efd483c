"""Showing a screen in place: an unchanged screen is not an error."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.types import User as TgUser

from bot.i18n import build_i18n
from handlers.ui import show
from offline.api_server import FakeBotAPI


async def _callback(fake_api: FakeBotAPI, text: str) -> CallbackQuery:
    fake_api.add_user(7001)
    bot = fake_api.make_bot()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="x")]]
    )
    sent = await bot.send_message(7001, text, reply_markup=markup)
    user = TgUser(id=7001, is_bot=False, first_name="T")
    message = Message(
        message_id=sent.message_id, date=sent.date, chat=Chat(id=7001, type="private"), text=text
    ).as_(bot)
    return CallbackQuery(id="1", from_user=user, chat_instance="c", message=message, data="x").as_(
        bot
    )


async def test_same_screen_twice_is_not_an_error(fake_api: FakeBotAPI) -> None:
    cq = await _callback(fake_api, "menu")
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="y", callback_data="y")]]
    )
    with build_i18n("ru").context():
        await show(cq, "screen", markup)
        await show(cq, "screen", markup)
    edits = fake_api.calls_to("editMessageText")
    assert [c.ok for c in edits] == [True, False]
    assert "message is not modified" in (edits[1].description or "")
    assert fake_api.last_bot_message(7001).text == "screen"  # type: ignore[union-attr]
    await cq.bot.session.close()  # type: ignore[union-attr]
