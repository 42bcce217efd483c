"""The chat-like test helper and the console rendering of bot messages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from offline.api_server import FakeBotAPI
from offline.render_text import to_console
from offline.simulate import UserActionError
from tests.support.chat import ChatDriver

SUBJECTS = ["Математика", "Физика", "Информатика", "Математика (олимпиадная)"]


def menu() -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(text=SUBJECTS[0], callback_data="s:0"),
            InlineKeyboardButton(text=SUBJECTS[1], callback_data="s:1"),
        ],
        [
            InlineKeyboardButton(text=SUBJECTS[2], callback_data="s:2"),
            InlineKeyboardButton(text=SUBJECTS[3], callback_data="s:3"),
        ],
        [InlineKeyboardButton(text="Удалить меню", callback_data="delete")],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def make_router() -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("<b>Выберите</b> предмет", parse_mode="HTML", reply_markup=menu())

    @router.callback_query(F.data.startswith("s:"))
    async def subject(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message) and callback.data is not None
        name = SUBJECTS[int(callback.data.removeprefix("s:"))]
        await callback.answer(f"Вы выбрали: {name}", show_alert=True)
        await callback.message.edit_text(f"Предмет: <i>{name}</i>", parse_mode="HTML")

    @router.callback_query(F.data == "delete")
    async def delete(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.answer()
        await callback.message.delete()

    @router.message(F.document)
    async def document(message: Message) -> None:
        await message.answer_document(BufferedInputFile(b"ok", "report.txt"), caption="Отчёт")

    return router


@pytest.fixture
async def chat(server: FakeBotAPI, bot: Bot, user_id: int) -> AsyncIterator[ChatDriver]:
    dp = Dispatcher()
    dp.include_router(make_router())
    async with server.run_polling(dp, bot):
        yield ChatDriver(server, user_id)


async def test_send_and_click_by_text(chat: ChatDriver) -> None:
    reply = await chat.send("/start")
    assert reply.text == "Выберите предмет"
    assert reply.html == "<b>Выберите</b> предмет"
    assert reply.buttons == [*SUBJECTS, "Удалить меню"]
    reply = await chat.click("Физика")
    assert reply.alert == "Вы выбрали: Физика"
    assert reply.text == "Предмет: Физика"
    assert reply.buttons == []
    assert reply.messages[0].edited


async def test_click_by_number_and_exact_text_wins(chat: ChatDriver) -> None:
    await chat.send("/start")
    assert (await chat.click(3)).text == "Предмет: Информатика"
    await chat.send("/start")
    # "Математика" is also a substring of button 4: the exact match is taken.
    assert (await chat.click("Математика")).text == "Предмет: Математика"
    await chat.send("/start")
    assert (await chat.click("олимпиадная")).text == "Предмет: Математика (олимпиадная)"


async def test_ambiguous_text_is_an_error(chat: ChatDriver) -> None:
    await chat.send("/start")
    with pytest.raises(UserActionError, match="ambiguous"):
        await chat.click("Мат")


async def test_delete_and_history(chat: ChatDriver) -> None:
    first = await chat.send("/start")
    assert first.last is not None
    reply = await chat.click("Удалить меню")
    assert reply.deleted == [first.last.message_id]
    assert reply.messages == []
    assert reply.answered
    assert reply.alert is None
    assert chat.last is None
    assert [(m.text, m.from_bot, m.deleted) for m in chat.history] == [
        ("/start", False, False),
        ("Выберите предмет", True, True),
    ]


async def test_upload_returns_documents(chat: ChatDriver) -> None:
    reply = await chat.upload("list.csv", b"a;b\n")
    (document,) = reply.documents
    assert (document.file_name, document.content) == ("report.txt", b"ok")
    assert reply.text == "Отчёт"
    assert chat.last is not None
    assert to_console(chat.last) == "Отчёт\n📎 report.txt (2 bytes)"


async def test_console_rendering(chat: ChatDriver) -> None:
    await chat.send("/start")
    assert chat.last is not None
    assert to_console(chat.last) == (
        "Выберите предмет\n"
        "[1] Математика  [2] Физика\n"
        "[3] Информатика  [4] Математика (олимпиадная)\n"
        "[5] Удалить меню"
    )
    coloured = to_console(chat.last, colors=True)
    assert coloured.startswith("\x1b[1mВыберите\x1b[22m предмет\n")
    await chat.click(2)
    assert to_console(chat.last) == "Предмет: Физика (edited)"
