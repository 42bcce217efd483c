"""A student takes over the record the school made, with /claim CODE or the deep link."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.people import User
from tests.support.chat import ChatDriver
from tests.support.curator_chat import (
    add_students,
    curator_of,
    extra_routers,
    registered,
    schools,
)

__all__ = ["extra_routers"]
CODE = re.compile(r"/claim ([A-Z0-9]{4}-[A-Z0-9]{4})")
LINK = re.compile(r"https://t\.me/olymp_offline_bot\?start=(claim_[A-Z0-9]{8})")


async def _code_for(chat: ChatDriver, grade_button: str, name: str, give: str) -> str:
    await chat.send("/school")
    await chat.click(grade_button)
    await chat.click(name)
    return (await chat.click(give)).text


async def test_student_claims_with_the_command_ru(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 821, where.a)
    await add_students(app, where.a, 7, ["Борисов Борис Ильич"])
    curator = make_chat(821)
    await curator.send("/school")
    await curator.click("Записать на олимпиаду")
    await curator.click("Математика · 17 окт. · 0")
    await curator.click("7 класс · 0/1")
    await curator.click("Отметить весь класс")
    await curator.click("Записать отмеченных (1)")
    await curator.click("Да, записать")
    text = await _code_for(curator, "7 класс · 1", "Борисов Борис Ильич", "Выдать код привязки")
    found = CODE.search(text)
    assert found is not None, text
    assert "Код действует один раз, до 20 октября, 10:00." in text

    student = make_chat(3021, first_name="Боря")
    reply = await student.send("/claim")
    assert reply.text == (
        "Отправьте код, который дал школьный куратор, вот так: /claim ABCD-EFGH\n"
        "Или просто пришлите код следующим сообщением; /cancel — отмена."
    )
    reply = await student.send("/cancel")
    assert reply.text.startswith("Отменено.")
    reply = await student.send(found.group(1))  # the flow is left: not taken as a code
    assert not reply.text.startswith("✅")
    reply = await student.send(f"/claim {found.group(1).lower()}")
    assert reply.text.startswith("✅ Готово, Борисов Борис Ильич!")
    assert "7 класс, МАОУ СОШ № 1 г. Южно-Сахалинска" in reply.text
    assert "1 запись на олимпиаду перенесена в ваш аккаунт." in reply.text
    assert await registered(app, where.math) == ["Борисов Борис Ильич"]
    async with app.sessionmaker() as session:
        holder = await session.scalar(select(User).where(User.full_name == "Борисов Борис Ильич"))
    assert holder is not None and holder.tg_id == 3021
    other = make_chat(3022)
    reply = await other.send(f"/claim {found.group(1)}")
    assert reply.text.startswith("Код недействителен.")


async def test_bare_claim_takes_the_code_as_the_next_message(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 823, where.a)
    await add_students(app, where.a, 8, ["Кузнецов Кирилл"])
    curator = make_chat(823)
    found = CODE.search(
        await _code_for(curator, "8 класс · 1", "Кузнецов Кирилл", "Выдать код привязки")
    )
    assert found is not None
    student = make_chat(3024)
    await student.send("/claim")
    reply = await student.send("ZZZZ-ZZZZ")
    assert reply.text.startswith("Код недействителен.")  # still waiting for a code: try again
    reply = await student.send(f"  {found.group(1)}  ")
    assert reply.text.startswith("✅ Готово, Кузнецов Кирилл!")
    reply = await student.send("/cancel")
    assert reply.text.startswith("Отменять нечего.")  # the flow ended with the claim


async def test_student_claims_with_the_link_en(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 822, where.a)
    await add_students(app, where.a, 9, ["Smirnov Ivan"])
    curator = make_chat(822, language_code="en")
    text = await _code_for(curator, "Grade 9 · 1", "Smirnov Ivan", "Give a claim code")
    found = LINK.search(text)
    assert found is not None, text
    student = make_chat(3023, language_code="en")
    reply = await student.send(f"/start {found.group(1)}")
    assert reply.text.startswith("✅ Done, Smirnov Ivan!")
    assert "grade 9, МАОУ СОШ № 1 г. Южно-Сахалинска" in reply.text
    reply = await curator.send("/school")
    assert "with Telegram: 1" in reply.text
