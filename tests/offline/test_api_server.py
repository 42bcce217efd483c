"""The fake Bot API refuses what Telegram refuses, as seen through a real aiogram Bot."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MenuButtonCommands,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from offline.api_server import FakeBotAPI
from offline.faults import RateLimiter
from offline.state import ApiError, RateLimits

PARSE_ERROR = "Bad Request: can't parse entities:"
# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


# ---------------------------------------------------------------- HTML parse mode


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("&lt;b&gt;&amp;", "<b>&"),
        ("<b>жирный <i>и курсив</i></b> <u>под</u>", "жирный и курсив под"),
        ('<a href="https://example.org/?a=1&amp;b=2">ссылка</a>', "ссылка"),
        ('<pre><code class="language-python">print(1 &lt; 2)</code></pre>', "print(1 < 2)"),
        ('<span class="tg-spoiler">тайна</span> <tg-spoiler>ещё</tg-spoiler>', "тайна ещё"),
        ("<blockquote expandable>цитата</blockquote>", "цитата"),
        ("&#1046;&#x416; &quot;q&quot;", 'ЖЖ "q"'),
        ("a &gt; b", "a > b"),
    ],
)
async def test_html_accepted(bot: Bot, user_id: int, html: str, expected: str) -> None:
    sent = await bot.send_message(user_id, html, parse_mode="HTML")
    assert sent.text == expected


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>&</b>", "Character '&' is reserved"),
        ("Tom & Jerry", "Character '&' is reserved"),
        ("&nbsp;", "Character '&' is reserved"),
        ("<b>не закрыт", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<br/>", 'Unsupported start tag "br/"'),
    ],
)
async def test_html_refused(bot: Bot, user_id: int, html: str, detail: str) -> None:
    with pytest.raises(TelegramBadRequest) as error:
        await bot.send_message(user_id, html, parse_mode="HTML")
    assert error.value.message.startswith(PARSE_ERROR)
    assert detail in error.value.message


async def test_html_byte_offsets_count_utf8_bytes(bot: Bot, user_id: int) -> None:
    with pytest.raises(TelegramBadRequest) as error:
        await bot.send_message(user_id, "Привет <foo>", parse_mode="HTML")
    # "Привет " is 13 bytes in UTF-8: Telegram reports byte offsets, not characters.
    assert error.value.message == (
        'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 13'
    )


async def test_html_entities_have_utf16_offsets(bot: Bot, user_id: int) -> None:
    sent = await bot.send_message(user_id, "😀 <b>ж</b>", parse_mode="HTML")
    assert sent.entities is not None
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 3, 1)]


async def test_bare_ampersand_tolerated_when_not_strict(user_id: int) -> None:
    async with FakeBotAPI(strict_ampersand=False) as server:
        server.add_user(user_id, "Аня")
        bot = server.make_bot()
        try:
            sent = await bot.send_message(user_id, "<b>Tom & Jerry</b>", parse_mode="HTML")
        finally:
            await bot.session.close()
    assert sent.text == "Tom & Jerry"


async def test_plain_text_keeps_markup_characters(bot: Bot, user_id: int) -> None:
    sent = await bot.send_message(user_id, "<b>не тег</b> & всё")
    assert sent.text == "<b>не тег</b> & всё"
    assert not sent.entities


# ---------------------------------------------------------------- text length


async def test_length_limit_is_4096_after_parsing(bot: Bot, user_id: int) -> None:
    sent = await bot.send_message(user_id, "<b>" + "я" * 4096 + "</b>", parse_mode="HTML")
    assert sent.text is not None
    assert len(sent.text) == 4096
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(user_id, "я" * 4097)
    # An entity is one character however long its source: 4096 × "&amp;" fits.
    await bot.send_message(user_id, "&amp;" * 4096, parse_mode="HTML")


async def test_length_is_counted_in_utf16_code_units(bot: Bot, user_id: int) -> None:
    # An emoji outside the BMP is two UTF-16 code units.
    await bot.send_message(user_id, "😀" * 2048)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user_id, "😀" * 2048 + "a")


async def test_empty_text_refused(bot: Bot, user_id: int) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await bot.send_message(user_id, "")
    with pytest.raises(TelegramBadRequest, match="Bad Request: text must be non-empty"):
        await bot.send_message(user_id, "<b> </b>\n", parse_mode="HTML")


async def test_surrounding_whitespace_is_trimmed(bot: Bot, user_id: int) -> None:
    sent = await bot.send_message(user_id, "\n  текст \n\n")
    assert sent.text == "текст"


# ---------------------------------------------------------------- reply markup


async def test_callback_data_limit_is_64_bytes(bot: Bot, user_id: int) -> None:
    await bot.send_message(user_id, "ok", reply_markup=keyboard([("a", "x" * 64)]))
    await bot.send_message(user_id, "ok", reply_markup=keyboard([("a", "я" * 32)]))
    with pytest.raises(TelegramBadRequest, match="Bad Request: BUTTON_DATA_INVALID"):
        await bot.send_message(user_id, "no", reply_markup=keyboard([("a", "x" * 65)]))
    # 33 Cyrillic letters are 33 characters but 66 bytes.
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user_id, "no", reply_markup=keyboard([("a", "я" * 33)]))


async def test_inline_button_needs_exactly_one_action(bot: Bot, user_id: int) -> None:
    both = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text="a", url="https://example.org", callback_data="x")]
        ]
    )
    with pytest.raises(TelegramBadRequest, match="exactly one of the optional fields"):
        await bot.send_message(user_id, "x", reply_markup=both)
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(
            user_id,
            "x",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="a")]]),
        )
    with pytest.raises(TelegramBadRequest, match="text must be non-empty"):
        await bot.send_message(user_id, "x", reply_markup=keyboard([("", "data")]))


async def test_reply_keyboard_and_removal_accepted(
    bot: Bot, user_id: int, server: FakeBotAPI
) -> None:
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Да"), KeyboardButton(text="Нет")]]
    )
    await bot.send_message(user_id, "Выбор", reply_markup=markup)
    assert server.bot_messages(user_id)[-1].button_texts == ["Да", "Нет"]
    await bot.send_message(user_id, "Убрал", reply_markup=ReplyKeyboardRemove())
    assert server.bot_messages(user_id)[-1].reply_markup == {"remove_keyboard": True}
    with pytest.raises(TelegramBadRequest, match="Keyboard button text must be non-empty"):
        await bot.send_message(
            user_id,
            "x",
            reply_markup=ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text=" ")]]),
        )


async def test_recorded_params_are_decoded(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    await bot.send_message(
        user_id, "<b>x</b>", parse_mode="HTML", reply_markup=keyboard([("a", "b")])
    )
    call = server.calls_to("sendMessage")[-1]
    assert call.ok
    assert call.params["chat_id"] == user_id
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "a", "callback_data": "b"}]]
    }
    message = server.bot_messages(user_id)[-1]
    assert (message.html, message.text) == ("<b>x</b>", "x")


# ---------------------------------------------------------------- editing


async def test_message_not_modified(bot: Bot, user_id: int) -> None:
    markup = keyboard([("Да", "yes")])
    sent = await bot.send_message(user_id, "<b>Вопрос</b>", parse_mode="HTML", reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is not modified"):
        await bot.edit_message_text(
            "<b>Вопрос</b>",
            chat_id=user_id,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=markup,
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=user_id, message_id=sent.message_id, reply_markup=markup
        )


async def test_edit_without_markup_drops_the_keyboard(
    bot: Bot, user_id: int, server: FakeBotAPI
) -> None:
    sent = await bot.send_message(user_id, "Вопрос", reply_markup=keyboard([("Да", "yes")]))
    edited = await bot.edit_message_text("Вопрос", chat_id=user_id, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.reply_markup is None
    stored = server.bot_messages(user_id)[-1]
    assert stored.edited
    assert stored.reply_markup is None


async def test_edit_unknown_or_foreign_message(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to edit not found"):
        await bot.edit_message_text("x", chat_id=user_id, message_id=999)
    server.add_user(user_id + 1, "Боб")
    sent = await bot.send_message(user_id, "моё")
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=user_id + 1, message_id=sent.message_id)


async def test_delete_message_twice(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    sent = await bot.send_message(user_id, "временное")
    assert await bot.delete_message(user_id, sent.message_id) is True
    assert server.history(user_id)[-1].deleted
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to delete not found"):
        await bot.delete_message(user_id, sent.message_id)


# ---------------------------------------------------------------- chats


@pytest.mark.parametrize("chat_id", [424242, "@nobody", "abc"])
async def test_unknown_chat(bot: Bot, chat_id: int | str) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: chat not found"):
        await bot.send_message(chat_id, "x")


async def test_chat_by_username(bot: Bot, user_id: int) -> None:
    sent = await bot.send_message("@anya", "по имени")
    assert sent.chat.id == user_id


async def test_blocked_user(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    server.block(user_id)
    with pytest.raises(TelegramForbiddenError, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(user_id, "x")
    server.unblock(user_id)
    await bot.send_message(user_id, "снова можно")


async def test_bot_cannot_write_first(bot: Bot, server: FakeBotAPI) -> None:
    server.add_user(7, "Новый", has_started=False)
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await bot.send_message(7, "x")


async def test_get_chat(bot: Bot, user_id: int) -> None:
    chat = await bot.get_chat(user_id)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (
        user_id,
        "private",
        "Аня",
        "anya",
    )
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat(1)


async def test_chat_action_and_menu_button(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    assert await bot.send_chat_action(user_id, "typing") is True
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(user_id, "dancing")
    assert await bot.set_chat_menu_button(chat_id=user_id, menu_button=MenuButtonCommands())
    assert server.core.menu_buttons[user_id] == {"type": "commands"}


# ---------------------------------------------------------------- files


async def test_send_document_keeps_bytes(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    content = "ФИО;класс\nИванов;9\n".encode()
    sent = await bot.send_document(
        user_id,
        BufferedInputFile(content, "список.csv"),
        caption="<i>готово</i>",
        parse_mode="HTML",
    )
    assert sent.document is not None
    assert sent.document.file_name == "список.csv"
    assert sent.caption == "готово"
    stored = server.bot_messages(user_id)[-1]
    assert stored.document is not None
    assert stored.document.content == content
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(user_id, BufferedInputFile(b"x", "a.txt"), caption="я" * 1025)
    # A caption is parsed as strictly as a text (the outbox sends its captions as HTML).
    with pytest.raises(TelegramBadRequest, match="Unsupported start tag"):
        await bot.send_document(
            user_id, BufferedInputFile(b"x", "a.txt"), caption="<br>", parse_mode="HTML"
        )


async def test_send_photo_needs_an_image(bot: Bot, user_id: int) -> None:
    sent = await bot.send_photo(user_id, BufferedInputFile(PNG, "dot.png"))
    assert sent.photo is not None
    assert (sent.photo[-1].width, sent.photo[-1].height) == (1, 1)
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(user_id, BufferedInputFile(b"not an image", "x.png"))


async def test_resend_document_by_file_id(bot: Bot, user_id: int) -> None:
    first = await bot.send_document(user_id, BufferedInputFile(b"data", "a.bin"))
    assert first.document is not None
    again = await bot.send_document(user_id, first.document.file_id)
    assert again.document is not None
    assert again.document.file_id == first.document.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(user_id, "no-such-file-id")


# ---------------------------------------------------------------- commands


async def test_set_my_commands_validation(bot: Bot) -> None:
    assert await bot.set_my_commands([BotCommand(command="start", description="Начать")])
    with pytest.raises(TelegramBadRequest, match="Bad Request: BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start", description="x")])
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="my-list", description="x")])
    with pytest.raises(TelegramBadRequest, match="command length must not exceed 32"):
        await bot.set_my_commands([BotCommand(command="a" * 33, description="x")])
    with pytest.raises(TelegramBadRequest, match="command description must be non-empty"):
        await bot.set_my_commands([BotCommand(command="help", description="   ")])
    with pytest.raises(TelegramBadRequest, match="description length must not exceed 256"):
        await bot.set_my_commands([BotCommand(command="help", description="я" * 257)])
    too_many = [BotCommand(command=f"c{i}", description="x") for i in range(101)]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMANDS_TOO_MUCH"):
        await bot.set_my_commands(too_many)
    with pytest.raises(TelegramBadRequest, match="invalid language code"):
        await bot.set_my_commands([BotCommand(command="a", description="x")], language_code="rus")
    assert [c.command for c in await bot.get_my_commands()] == ["start"]


async def test_commands_are_kept_per_scope_and_language(
    bot: Bot, user_id: int, server: FakeBotAPI
) -> None:
    await bot.set_my_commands([BotCommand(command="start", description="Start")])
    await bot.set_my_commands(
        [BotCommand(command="start", description="Начать")],
        scope=BotCommandScopeAllPrivateChats(),
        language_code="ru",
    )
    await bot.set_my_commands(
        [BotCommand(command="admin", description="Панель")],
        scope=BotCommandScopeChat(chat_id=user_id),
    )
    ru_private = await bot.get_my_commands(
        scope=BotCommandScopeAllPrivateChats(), language_code="ru"
    )
    assert [c.description for c in ru_private] == ["Начать"]
    assert await bot.get_my_commands(language_code="ru") == []
    assert [c["command"] for c in server.visible_commands(user_id, "ru")] == ["admin"]
    assert [c["description"] for c in server.visible_commands(1, "ru")] == ["Начать"]
    assert [c["description"] for c in server.visible_commands(1, "en")] == ["Start"]
    assert await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=user_id))
    assert [c["command"] for c in server.visible_commands(user_id, "en")] == ["start"]


# ---------------------------------------------------------------- faults


async def test_injected_429_carries_retry_after(
    bot: Bot, user_id: int, server: FakeBotAPI
) -> None:
    server.inject("sendMessage", 429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(user_id, "x")
    assert error.value.retry_after == 3
    assert "Too Many Requests: retry after 3" in error.value.message
    await bot.send_message(user_id, "the fault applied once")
    assert [c.ok for c in server.calls_to("sendMessage")] == [False, True]
    assert server.calls_to("sendMessage")[0].injected


async def test_injected_403_and_5xx(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    server.inject(None, 403)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(user_id, "x")
    server.inject("sendMessage", 500, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Internal Server Error"):
            await bot.send_message(user_id, "x")
    server.inject("sendDocument", 502)
    await bot.send_message(user_id, "other methods are not affected")
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await bot.send_document(user_id, BufferedInputFile(b"x", "x.txt"))


async def test_injected_gateway_page_is_not_json(
    bot: Bot, user_id: int, server: FakeBotAPI
) -> None:
    server.inject("sendMessage", "gateway")
    with pytest.raises(ClientDecodeError):
        await bot.send_message(user_id, "x")
    assert server.calls_to("sendMessage")[0].status == 502
    await bot.send_message(user_id, "the next one goes through")


async def test_fault_for_one_chat(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    server.add_user(77, "Другой")
    server.inject("sendMessage", 403, chat_id=77)
    await bot.send_message(user_id, "этому можно")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(77, "а этому нет")


async def test_injected_timeout(server: FakeBotAPI, user_id: int) -> None:
    bot = server.make_bot(session_timeout=0.5)
    server.inject("sendMessage", "timeout", delay=30)
    try:
        with pytest.raises(TelegramNetworkError, match="Request timeout error"):
            await bot.send_message(user_id, "x")
    finally:
        await bot.session.close()


async def test_injected_connection_drop(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    server.inject("sendMessage", "drop")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user_id, "x")
    await bot.send_message(user_id, "next one goes through")


async def test_global_rate_limit(user_id: int) -> None:
    async with FakeBotAPI(rate_limits=RateLimits(enabled=True, global_per_second=5)) as server:
        server.add_user(user_id, "Аня")
        bot = server.make_bot()
        try:
            for number in range(5):
                await bot.send_message(user_id, f"{number}")
            with pytest.raises(TelegramRetryAfter) as error:
                await bot.send_message(user_id, "6th within a second")
            await bot.send_chat_action(user_id, "typing")  # not a message: not limited
        finally:
            await bot.session.close()
    assert error.value.retry_after == 1
    stamps = [call.timestamp for call in server.calls_to("sendMessage")]
    assert stamps == sorted(stamps)
    assert [call.status for call in server.calls_to("sendMessage")] == [200] * 5 + [429]


def test_rate_limiter_window_with_a_fake_clock() -> None:
    now = [100.0]
    limiter = RateLimiter(RateLimits(enabled=True), clock=lambda: now[0])
    for _ in range(30):
        limiter.check("sendMessage", 1)
        now[0] += 0.01
    with pytest.raises(ApiError) as error:
        limiter.check("sendDocument", 2)
    assert (error.value.code, error.value.retry_after) == (429, 1)
    now[0] = 100.0 + 1.0  # the first send leaves the one-second window
    limiter.check("sendMessage", 3)
    limiter.check("getChat", 3)  # only sending methods count


async def test_per_chat_rate_limit_with_burst(user_id: int) -> None:
    limits = RateLimits(enabled=True, per_chat_per_second=1.0, per_chat_burst=2)
    async with FakeBotAPI(rate_limits=limits) as server:
        server.add_user(user_id, "Аня")
        server.add_user(8, "Другой")
        bot = server.make_bot()
        try:
            await bot.send_message(user_id, "1")
            await bot.send_message(user_id, "2")
            with pytest.raises(TelegramRetryAfter) as error:
                await bot.send_message(user_id, "3")
            await bot.send_message(8, "other chats have their own budget")
        finally:
            await bot.session.close()
    assert error.value.retry_after == 1


# ---------------------------------------------------------------- protocol


async def test_unknown_method_and_wrong_token(server: FakeBotAPI) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{server.base_url}/bot{server.token}/sendTelepathy"
        async with http.post(url, data={"chat_id": "1"}) as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.post(f"{server.base_url}/bot1:wrong/getMe") as response:
            assert response.status == 401
            assert (await response.json())["description"] == "Unauthorized"
        # Method names are case-insensitive, as on api.telegram.org.
        async with http.get(f"{server.base_url}/bot{server.token}/GETME") as response:
            body = await response.json()
            assert body["ok"] is True
            assert body["result"]["is_bot"] is True


async def test_json_body_is_accepted(server: FakeBotAPI, user_id: int) -> None:
    payload = {
        "chat_id": user_id,
        "text": "json",
        "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]},
    }
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{server.base_url}/bot{server.token}/sendMessage", json=payload) as response,
    ):
        body = json.loads(await response.text())
    assert body["ok"] is True
    assert body["result"]["reply_markup"] == payload["reply_markup"]


async def test_concurrent_get_updates_conflict(bot: Bot, server: FakeBotAPI) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=3))
    while server.updates.poll_count == 0:
        await server.updates.wait_changed(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await first
    assert await second == []


async def test_answer_callback_query_rules(bot: Bot, user_id: int, server: FakeBotAPI) -> None:
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("12345")
    sent = await bot.send_message(user_id, "?", reply_markup=keyboard([("Да", "yes")]))
    pending = asyncio.create_task(server.user_clicks(user_id, sent.message_id, "yes"))
    updates = await bot.get_updates(timeout=2)
    assert updates[0].callback_query is not None
    query_id = updates[0].callback_query.id
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(query_id, text="я" * 201)
    assert await bot.answer_callback_query(query_id, text="я" * 200)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
    result = await pending
    assert [c.method for c in result.callback_answers] == ["answerCallbackQuery"]
