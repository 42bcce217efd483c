"""Parents: linking by the child's code, a managed profile, signing up for a child, unlinking."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.enums import PersonKind
from models.olympiad import Registration
from models.outbox import Outbox
from models.people import ParentLink, User
from tests.support.catalog_chat import enrol, extra_routers
from tests.support.chat import ChatDriver

__all__ = ["extra_routers"]  # fixture used here


def shown_code(chat: ChatDriver) -> str:
    message = chat.last
    assert message is not None
    return message.text.split("\n")[2]


async def test_a_parent_links_with_the_childs_code_in_russian(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    ann = await enrol(app, 2501, name="Аня")
    await enrol(app, 2502, name="Мария", kind=PersonKind.PARENT)
    child, parent = make_chat(2501), make_chat(2502)
    reply = await child.send("/parentcode")
    assert reply.text.startswith("Код для родителя\n\n")
    assert "Код действует один раз, до 10:15." in reply.text  # 15 minutes, Sakhalin time
    code = shown_code(child)
    reply = await parent.send("/children")
    assert "С вашим аккаунтом пока не связан ни один ребёнок." in reply.text
    reply = await parent.click("🔑 Ввести код ребёнка")
    assert "Он выглядит как ABCD-EFGH" in reply.text
    reply = await parent.send("НЕТА-КОДА")
    assert reply.text.startswith("Этот код не подходит.")
    reply = await parent.send(code.lower())
    assert reply.text.startswith(
        "✅ Аня — теперь в списке ваших детей.\n\nВаши дети\n👤 Аня, 7 класс"
    )
    async with app.sessionmaker() as session:
        note = await session.scalar(
            select(Outbox.text).where(Outbox.user_id == ann.id, Outbox.key.like("%parent-linked%"))
        )
    assert note is not None and "Мария теперь связан(а) с вашим аккаунтом как родитель" in note
    # The child sees the parent and removes the link; the code screen lists who is linked.
    reply = await child.send("/parentcode")
    assert "Связанные родители:\n👤 Мария" in reply.text
    reply = await child.click("✖ Отвязать: Мария")
    assert reply.text.startswith("Отвязать: Мария?")
    reply = await child.click("✔ Да, удалить")
    assert "Связанные родители" not in reply.text
    reply = await parent.send("/children")
    assert "👤 Аня" not in reply.text


async def test_a_parent_adds_a_profile_and_signs_the_child_up_in_english(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await enrol(app, 2601, name="Mary", kind=PersonKind.PARENT, locale="en")
    chat = make_chat(2601, language_code="en")
    await chat.send("/children")
    reply = await chat.click("Add a child under 14")
    assert "I don't need any documents or a date of birth." in reply.text
    reply = await chat.send("12")
    assert reply.text == "Write the child's name in letters, 2 to 100 characters."
    reply = await chat.send("Pete  Ivanov")
    assert reply.text == "Which school does Pete Ivanov attend?"
    assert reply.buttons[0].startswith("🏫 Same as mine:")
    reply = await chat.click("Гимназия")
    assert reply.text == "Which grade is Pete Ivanov in?"
    reply = await chat.click("6")
    assert reply.text.startswith("✅ The profile of Pete Ivanov is added.")
    reply = await chat.click("Pete Ivanov")
    assert "A profile you manage" in reply.text and "Grade 6" in reply.text
    reply = await chat.click("Olympiads")
    assert reply.text.startswith("Olympiads for Pete Ivanov\nGrade 6")
    await chat.click("Mathematics · school")
    reply = await chat.click("Sign up Pete Ivanov")
    assert reply.text.startswith("✅ Pete Ivanov is signed up.")
    async with app.sessionmaker() as session:
        pete = await session.scalar(select(User).where(User.full_name == "Pete Ivanov"))
        assert pete is not None and pete.tg_id is None
        rows = (await session.scalars(select(Registration.student_id))).all()
    assert rows == [pete.id]
    await chat.send("/children")
    await chat.click("Pete Ivanov")
    reply = await chat.click("Delete the profile")
    assert reply.text.startswith("Delete the profile of Pete Ivanov?")
    reply = await chat.click("Yes, remove")
    assert reply.text.startswith("✅ The profile of Pete Ivanov is deleted.")
    async with app.sessionmaker() as session:
        assert await session.get(User, pete.id) is None
        assert (await session.scalars(select(ParentLink))).all() == []


async def test_wrong_codes_end_the_attempt_after_five(app: App, chat: ChatDriver) -> None:
    await enrol(app, chat.user_id, kind=PersonKind.PARENT)
    await chat.send("/children")
    await chat.click("Ввести код")
    for _ in range(4):
        reply = await chat.send("AAAA-BBBB")
        assert reply.text.startswith("Этот код не подходит.")
    reply = await chat.send("AAAA-BBBB")
    assert reply.text.startswith("Слишком много неверных кодов.")
    reply = await chat.send("AAAA-BBBB")
    assert "Этот код не подходит" not in reply.text  # no longer waiting for a code


async def test_a_parent_without_children_browses_but_is_sent_to_link(
    app: App, chat: ChatDriver
) -> None:
    await enrol(app, chat.user_id, name="Мария", kind=PersonKind.PARENT)
    reply = await chat.send("/events")
    assert "Найдено 8 олимпиад" in reply.text  # by the school and grade given at /start
    reply = await chat.click("Математика · школьный")
    assert "⛔ Участвуют только ученики. Свяжите аккаунт с ребёнком в /children" in reply.text
    assert reply.buttons == ["« К списку"]
    reply = await chat.send("/my")
    assert reply.text.startswith("С вашим аккаунтом пока не связан ни один ребёнок.")
    reply = await chat.send("/parentcode")
    assert reply.text == "Код для родителя показывается только в аккаунте ученика."
