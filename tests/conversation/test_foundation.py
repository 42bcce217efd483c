"""/help by role, /settings, /cancel, the command menu, and replies to anything unexpected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.fsm.state import State, StatesGroup
from sqlalchemy import select

from bot.app import App
from handlers.command_menu import publish_commands
from models.enums import Role
from models.geo import School
from models.people import User
from offline.api_server import FakeBotAPI
from tests.support.app import ADMIN_TG_ID
from tests.support.chat import ChatDriver


async def _onboard(chat: ChatDriver, language: str = "Русский") -> None:
    await chat.send("/start")
    await chat.click(language)
    await chat.click("Я ученик")
    await chat.click(1)
    await chat.click(1)
    await chat.click("СОШ № 1")
    await chat.click("9")


async def test_help_lists_commands_for_a_newcomer(chat: ChatDriver) -> None:
    reply = await chat.send("/help")
    assert reply.text.startswith("Начните с /start")
    assert "/settings — Язык и часовой пояс" in reply.text


async def test_help_differs_by_role(
    app: App, make_chat: Callable[..., ChatDriver], grant_role: Callable[..., Awaitable[User]]
) -> None:
    async with app.sessionmaker() as session:
        school_id = await session.scalar(select(School.id).where(School.code == "sosh1"))
    await grant_role(2001, Role.CURATOR, school_id=school_id)
    student = await make_chat(2002).send("/help")
    curator = await make_chat(2001).send("/help")
    admin = await make_chat(ADMIN_TG_ID).send("/help")

    def commands(text: str) -> set[str]:
        return {line.split(" ")[0] for line in text.splitlines() if line.startswith("/")}

    mine, theirs, all_ = commands(student.text), commands(curator.text), commands(admin.text)
    assert {"/start", "/help", "/settings", "/due"} <= mine
    assert "/school" in theirs and "/school" not in mine
    assert "/stage" in all_ and "/stage" not in theirs and "/stage" not in mine
    assert mine <= theirs <= all_


async def test_settings_change_language_and_zone(app: App, chat: ChatDriver) -> None:
    await _onboard(chat)
    reply = await chat.send("/settings")
    assert "Часовой пояс: Сахалин (UTC+11) — как у вашей школы" in reply.text
    reply = await chat.click("Язык")
    reply = await chat.click("English")
    assert reply.text.startswith("Settings")
    assert "Language: English" in reply.text
    reply = await chat.click("Time zone")
    reply = await chat.click("Tomsk (UTC+7)")
    assert "Time zone: Tomsk (UTC+7)" in reply.text
    assert "as your school" not in reply.text
    async with app.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.tg_id == chat.user_id))
    assert user is not None and (user.locale, user.timezone) == ("en", "Asia/Tomsk")
    await chat.click("Time zone")
    reply = await chat.click("As my school")
    assert "Sakhalin (UTC+11) — as your school" in reply.text


class Demo(StatesGroup):
    waiting = State()


async def test_cancel_leaves_a_flow(app: App, chat: ChatDriver, fake_api: FakeBotAPI) -> None:
    reply = await chat.send("/cancel")
    assert reply.text.startswith("Отменять нечего")
    from aiogram.fsm.storage.base import StorageKey

    key = StorageKey(bot_id=app.bot.id, chat_id=chat.user_id, user_id=chat.user_id)
    await app.dp.storage.set_state(key, Demo.waiting)
    assert await app.dp.storage.get_state(key) == Demo.waiting.state
    reply = await chat.send("/cancel")
    assert reply.text == "Отменено. Ничего не изменилось."
    assert await app.dp.storage.get_state(key) is None


async def test_unexpected_input_always_gets_an_answer(chat: ChatDriver) -> None:
    assert "не знаю такой команды" in (await chat.send("/nonsense")).text
    assert "Я не понял" in (await chat.send("просто текст")).text
    assert "не ждал файла" in (await chat.upload("x.txt", b"hello")).text


async def test_stale_button_gets_an_alert(chat: ChatDriver, fake_api: FakeBotAPI) -> None:
    reply = await chat.send("/start")
    message_id = reply.last.message_id  # type: ignore[union-attr]
    # A keyboard from an older version of the bot, whose callbacks nothing handles any more.
    (message,) = [m for m in fake_api.core.history[chat.user_id] if m.message_id == message_id]
    message.reply_markup = {"inline_keyboard": [[{"text": "old", "callback_data": "zz:1"}]]}
    reply = await chat.click("old")
    assert reply.alert == "Эта кнопка устарела. Отправьте /help, чтобы начать заново."


async def test_command_menu_is_published_per_language(app: App, fake_api: FakeBotAPI) -> None:
    await publish_commands(app.bot, app.i18n)
    fake_api.add_user(3001, language_code="en")
    ru = fake_api.visible_commands(3001, "ru")
    en = fake_api.visible_commands(3001, "en")
    default = fake_api.visible_commands(3001, "")
    assert {"command": "start", "description": "Выбрать школу и класс"} in ru
    assert {"command": "start", "description": "Choose school and grade"} in en
    assert default == ru


async def test_cancel_leaves_onboarding(chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.click("Русский")
    reply = await chat.send("/cancel")
    assert reply.text == "Отменено. Ничего не изменилось."


async def test_staff_help_has_no_family_hint(
    app: App, make_chat: Callable[..., ChatDriver], grant_role: Callable[..., Awaitable[User]]
) -> None:
    async with app.sessionmaker() as session:
        school_id = await session.scalar(select(School.id).where(School.code == "sosh1"))
    await grant_role(2101, Role.CURATOR, school_id=school_id)
    reply = await make_chat(2101).send("/help")
    assert "Начните с /start" not in reply.text
    assert "/school" in reply.text


async def test_staff_without_school_see_times_in_their_regions_zone(
    app: App, make_chat: Callable[..., ChatDriver], grant_role: Callable[..., Awaitable[User]]
) -> None:
    from models.geo import Region

    async with app.sessionmaker() as session:
        region_id = await session.scalar(select(Region.id).where(Region.code == "65"))
    await grant_role(2201, Role.REGIONAL, region_id=region_id)
    reply = await make_chat(2201).send("/settings")
    # The same zone the reminders are delivered in, not the deployment default (Moscow).
    assert "Часовой пояс: Сахалин (UTC+11)" in reply.text
