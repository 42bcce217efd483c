"""Simulated users and the wait-until-processed synchronisation with a real Dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from offline.api_server import FakeBotAPI, UpdateNotProcessedError
from offline.simulate import UserActionError


def subjects_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Математика", callback_data="subject:math"),
                InlineKeyboardButton(text="Физика", callback_data="subject:phys"),
            ],
            [InlineKeyboardButton(text="Сайт", url="https://example.org")],
        ]
    )


def make_router() -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(
            "Выберите <b>предмет</b>:", parse_mode="HTML", reply_markup=subjects_keyboard()
        )

    @router.message(Command("slow"))
    async def slow(message: Message) -> None:
        await asyncio.sleep(0.3)
        await message.answer("первое")
        await asyncio.sleep(0.3)
        await message.answer("второе")

    @router.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        data = await bot.download(message.document)
        assert data is not None
        content = data.read()
        lines = content.decode().splitlines()
        await message.answer(f"Получено строк: {len(lines)}")
        await message.answer_document(
            BufferedInputFile(content.upper(), f"checked_{message.document.file_name}")
        )

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Вы написали: {message.text}")

    @router.callback_query(F.data.startswith("subject:"))
    async def chosen(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.answer("Сохранено")
        await callback.message.edit_text(f"Предмет: {callback.data}")

    return router


@pytest.fixture
async def polling(server: FakeBotAPI, bot: Bot) -> AsyncIterator[Dispatcher]:
    dp = Dispatcher()
    dp.include_router(make_router())
    async with server.run_polling(dp, bot):
        yield dp


@pytest.mark.usefixtures("polling")
async def test_text_round_trip(server: FakeBotAPI, user_id: int) -> None:
    result = await server.user_sends_text(user_id, "/start")
    assert [call.method for call in result.calls] == ["sendMessage"]
    (message,) = result.sent
    assert message.text == "Выберите предмет:"
    assert message.html == "Выберите <b>предмет</b>:"
    assert message.button_texts == ["Математика", "Физика", "Сайт"]
    command = result.update["message"]["entities"][0]
    assert command == {"type": "bot_command", "offset": 0, "length": 6}


@pytest.mark.usefixtures("polling")
async def test_returns_only_after_the_handler_finished(server: FakeBotAPI, user_id: int) -> None:
    result = await server.user_sends_text(user_id, "/slow")
    assert [m.text for m in result.sent] == ["первое", "второе"]
    follow_up = await server.user_sends_text(user_id, "ещё")
    assert [m.text for m in follow_up.sent] == ["Вы написали: ещё"]
    texts = [m.text for m in server.history(user_id)]
    assert texts == ["/slow", "первое", "второе", "ещё", "Вы написали: ещё"]
    assert [m.message_id for m in server.history(user_id)] == [1, 2, 3, 4, 5]


@pytest.mark.usefixtures("polling")
async def test_click_edits_the_message(server: FakeBotAPI, user_id: int) -> None:
    start = await server.user_sends_text(user_id, "/start")
    menu_id = start.sent[0].message_id
    result = await server.user_clicks(user_id, menu_id, "subject:phys")
    assert [call.method for call in result.calls] == ["answerCallbackQuery", "editMessageText"]
    assert result.callback_answers[0].params["text"] == "Сохранено"
    assert result.edited[0].text == "Предмет: subject:phys"
    assert result.edited[0].reply_markup is None
    clicked = result.update["callback_query"]
    assert clicked["message"]["message_id"] == menu_id
    assert clicked["from"]["id"] == user_id


@pytest.mark.usefixtures("polling")
async def test_click_by_text_and_number(server: FakeBotAPI, user_id: int) -> None:
    await server.user_sends_text(user_id, "/start")
    by_text = await server.user_clicks_button(user_id, "Матем")
    assert by_text.edited[0].text == "Предмет: subject:math"
    await server.user_sends_text(user_id, "/start")
    by_number = await server.user_clicks_button(user_id, 2)
    assert by_number.edited[0].text == "Предмет: subject:phys"


@pytest.mark.usefixtures("polling")
async def test_impossible_clicks_are_refused(server: FakeBotAPI, user_id: int) -> None:
    start = await server.user_sends_text(user_id, "/start")
    menu_id = start.sent[0].message_id
    with pytest.raises(UserActionError, match="no button with callback_data"):
        await server.user_clicks(user_id, menu_id, "subject:chem")
    with pytest.raises(UserActionError, match="not a callback button"):
        await server.user_clicks_button(user_id, "Сайт")
    with pytest.raises(UserActionError, match="no button matches"):
        await server.user_clicks_button(user_id, "Химия")
    with pytest.raises(UserActionError, match="no button number 4"):
        await server.user_clicks_button(user_id, 4)
    with pytest.raises(UserActionError, match="unknown user"):
        await server.user_sends_text(999, "hi")


@pytest.mark.usefixtures("polling")
async def test_document_round_trip(server: FakeBotAPI, user_id: int) -> None:
    result = await server.user_sends_document(user_id, "list.csv", b"a;b\nc;d\ne;f\n")
    sent = result.sent
    assert sent[0].text == "Получено строк: 3"
    assert sent[1].document is not None
    assert sent[1].document.file_name == "checked_list.csv"
    assert sent[1].document.content == b"A;B\nC;D\nE;F\n"
    incoming = result.update["message"]["document"]
    assert incoming["file_name"] == "list.csv"
    assert incoming["mime_type"] == "text/csv"
    assert incoming["file_size"] == 12
    assert [call.method for call in result.calls] == ["getFile", "sendMessage", "sendDocument"]


async def test_updates_of_unrequested_types_are_not_delivered(
    server: FakeBotAPI, bot: Bot, user_id: int
) -> None:
    dp = Dispatcher()

    @dp.message()
    async def only_messages(message: Message) -> None:
        await message.answer("ok", reply_markup=subjects_keyboard())

    async with server.run_polling(dp, bot):
        first = await server.user_sends_text(user_id, "hi")
        assert first.delivered
        menu_id = first.sent[0].message_id
        # aiogram asks only for "message" updates here, so Telegram would keep the click.
        click = await server.user_clicks(user_id, menu_id, "subject:math")
    assert not click.delivered
    assert click.calls == []


async def test_waiting_without_polling_fails_clearly(server: FakeBotAPI, user_id: int) -> None:
    with pytest.raises(UpdateNotProcessedError, match="handle_as_tasks=False"):
        await server.user_sends_text(user_id, "/start", timeout=0.3)


async def test_handler_errors_do_not_block_the_queue(
    server: FakeBotAPI, bot: Bot, user_id: int
) -> None:
    dp = Dispatcher()

    @dp.message(Command("boom"))
    async def boom(message: Message) -> None:
        await message.answer("<b>сломано", parse_mode="HTML")

    @dp.message()
    async def fine(message: Message) -> None:
        await message.answer("работаю")

    async with server.run_polling(dp, bot):
        broken = await server.user_sends_text(user_id, "/boom")
        after = await server.user_sends_text(user_id, "ping")
    assert broken.sent == []
    assert broken.errors[0].description is not None
    assert broken.errors[0].description.startswith("Bad Request: can't parse entities:")
    assert [m.text for m in after.sent] == ["работаю"]


async def test_blocked_user_writing_again_unblocks(
    server: FakeBotAPI, bot: Bot, user_id: int
) -> None:
    dp = Dispatcher()
    dp.include_router(make_router())
    server.block(user_id)
    async with server.run_polling(dp, bot):
        result = await server.user_sends_text(user_id, "/start")
    assert [m.text for m in result.sent] == ["Выберите предмет:"]


async def test_polling_start_failure_is_raised(server: FakeBotAPI, bot: Bot) -> None:
    dp = Dispatcher()

    async def broken_startup() -> None:
        msg = "startup failed"
        raise ValueError(msg)

    dp.startup.register(broken_startup)
    with pytest.raises(ValueError, match="startup failed"):
        async with server.run_polling(dp, bot):
            pass
