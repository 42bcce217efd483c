"""A curator who drops a class list into the chat without pressing «Загрузить список» means a
class list: it is taken (after asking which school, when they curate several)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import func, select

from bot.app import App
from models.enums import PersonKind, Role
from models.geo import School
from models.people import User
from tests.support.chat import ChatDriver

LIST = "Фамилия;Имя;Отчество;Класс;Предметы\nПетрова;Анна;;7;Математика\n"
REPORT = "📄 Строк: 1 · записано: 1"


async def _school_ids(app: App) -> dict[str, int]:
    async with app.sessionmaker() as session:
        return {s.code: s.id for s in await session.scalars(select(School))}


async def _students(app: App, school_id: int) -> int:
    async with app.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.school_id == school_id, User.kind == PersonKind.STUDENT)
        )
    return int(count or 0)


async def test_a_curator_of_one_school_gets_the_list_taken(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role: Callable[..., Awaitable[User]],
) -> None:
    school = (await _school_ids(app))["sosh1"]
    await grant_role(2501, Role.CURATOR, school_id=school)
    reply = await make_chat(2501).upload("7а.csv", LIST.encode())
    assert "не ждал файла" not in reply.text
    assert reply.text.startswith(REPORT)
    assert await _students(app, school) == 1


async def test_a_curator_of_two_schools_is_asked_which(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role: Callable[..., Awaitable[User]],
) -> None:
    ids = await _school_ids(app)
    for code in ("sosh1", "gym1"):
        await grant_role(2502, Role.CURATOR, school_id=ids[code])
    chat = make_chat(2502)
    reply = await chat.upload("7а.csv", LIST.encode())
    assert reply.text == "📄 Для какой школы список учеников 7а.csv?"
    reply = await chat.click("Гимназия")
    assert reply.text.startswith(REPORT)
    assert (await _students(app, ids["gym1"]), await _students(app, ids["sosh1"])) == (1, 0)


async def test_a_student_sending_a_spreadsheet_is_still_told_no_file_was_expected(
    make_chat: Callable[..., ChatDriver],
) -> None:
    reply = await make_chat(2503).upload("7а.csv", LIST.encode())
    assert "Здесь я не ждал файла" in reply.text
