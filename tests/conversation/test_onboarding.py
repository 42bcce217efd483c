"""/start → language → student or parent → region → municipality → school → grade → welcome."""

from __future__ import annotations

from sqlalchemy import delete, select

from bot.app import App
from models.geo import School
from models.people import User
from tests.support.chat import ChatDriver

SCHOOL = "МАОУ СОШ № 1 г. Южно-Сахалинска"


async def _user(app: App, tg_id: int) -> User:
    async with app.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.tg_id == tg_id))
        assert user is not None
        return user


async def test_student_onboards_in_russian(app: App, chat: ChatDriver) -> None:
    reply = await chat.send("/start")
    assert "Выберите язык" in reply.text
    assert reply.buttons == ["Русский", "English"]
    reply = await chat.click("Русский")
    assert reply.text.startswith("Кто вы?")
    reply = await chat.click("Я ученик")
    assert reply.text == "Выберите регион."
    reply = await chat.click("Сахалинская область")
    reply = await chat.click("Южно-Сахалинск")
    assert SCHOOL in reply.buttons
    reply = await chat.click(SCHOOL)
    assert "В каком вы классе?" in reply.text
    reply = await chat.click("7")
    welcome, menu = reply.texts
    assert welcome.startswith("✅ Готово, Аня Петрова!")
    assert "7 класс" in welcome
    assert "/help — Что я умею" in welcome
    assert menu == "Главное меню — под полем ввода."
    assert reply.buttons == ["📚 Олимпиады", "📋 Мои записи", "⏰ Сроки", "⚙️ Настройки"]
    user = await _user(app, 1001)
    assert (user.locale, user.kind, user.grade) == ("ru", "student", 7)
    assert user.onboarded_at == app.clock.now()


async def test_parent_onboards_in_english(app: App, make_chat) -> None:  # type: ignore[no-untyped-def]
    chat: ChatDriver = make_chat(1002, first_name="Olga", language_code="en")
    await chat.send("/start")
    reply = await chat.click("English")
    assert reply.text.startswith("Who are you?")
    reply = await chat.click("I am a parent")
    assert reply.buttons == ["Sakhalin Oblast"]
    await chat.click("Sakhalin Oblast")
    await chat.click("Южно-Сахалинск")
    reply = await chat.click(SCHOOL)
    assert "Which grade is your child in?" in reply.text
    reply = await chat.click("4")
    assert reply.texts[0].startswith("✅ All set, Olga!")
    assert "Grade 4" in reply.texts[0]
    assert reply.buttons == ["📚 Olympiads", "📋 My registrations", "⏰ Deadlines", "⚙️ Settings"]
    user = await _user(app, 1002)
    assert (user.locale, user.kind, user.grade) == ("en", "parent", 4)


async def test_rerunning_start_changes_answers(app: App, chat: ChatDriver) -> None:
    for grade in ("7", "9"):
        await chat.send("/start")
        await chat.click("Русский")
        await chat.click("Я ученик")
        await chat.click("Сахалинская область")
        await chat.click("Южно-Сахалинск")
        await chat.click("Гимназия")
        await chat.click(grade)
    user = await _user(app, 1001)
    assert user.grade == 9


async def test_name_with_markup_is_escaped(app: App, make_chat) -> None:  # type: ignore[no-untyped-def]
    chat: ChatDriver = make_chat(1003, first_name="<b>&", last_name="</i>")
    await chat.send("/start")
    await chat.click("Русский")
    await chat.click("Я ученик")
    await chat.click("Сахалинская область")
    await chat.click("Южно-Сахалинск")
    await chat.click(SCHOOL)
    reply = await chat.click("8")
    assert reply.errors == []
    welcome = reply.messages[0]
    assert welcome.text.startswith("✅ Готово, <b>& </i>!")
    assert "&lt;b&gt;&amp;" in welcome.html


async def test_school_removed_while_listed_is_refused(app: App, chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.click("Русский")
    await chat.click("Я ученик")
    await chat.click("Сахалинская область")
    await chat.click("Южно-Сахалинск")
    async with app.sessionmaker() as session, session.begin():
        await session.execute(delete(School).where(School.code == "sosh8"))
    reply = await chat.click("СОШ № 8")
    assert reply.alert is not None and "больше недоступен" in reply.alert
    user = await _user(app, 1001)
    assert user.school_id is None


async def test_back_button_returns_to_municipalities(app: App, chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.click("Русский")
    await chat.click("Я ученик")
    await chat.click("Сахалинская область")
    await chat.click("Южно-Сахалинск")
    reply = await chat.click("« Назад")
    assert reply.text.startswith("Выберите муниципалитет")


async def test_main_menu_buttons_do_what_commands_do(app: App, chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.click("Русский")
    await chat.click("Я ученик")
    await chat.click("Сахалинская область")
    await chat.click("Южно-Сахалинск")
    await chat.click(SCHOOL)
    await chat.click("7")
    by_button = await chat.send("📚 Олимпиады")
    by_command = await chat.send("/events")
    assert by_button.text == by_command.text
    assert by_button.buttons == by_command.buttons
    settings = await chat.send("⚙️ Настройки")
    assert settings.text.startswith("Настройки")
