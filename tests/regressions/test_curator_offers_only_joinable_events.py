"""The curator's «Записать на олимпиаду» offered events no student of the school could join
(physics for grades 9–11 at a school of grades 7–8). Only events some student of the school
may still be registered for are offered now."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update

from bot.app import App
from models.olympiad import OlympiadEvent
from tests.support.chat import ChatDriver
from tests.support.curator_chat import add_students, curator_of, extra_routers, schools

__all__ = ["extra_routers"]  # fixtures used here


async def test_an_event_for_grades_the_school_lacks(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 801, where.a)
    await add_students(app, where.a, 7, ["Петрова Анна"])
    await add_students(app, where.a, 8, ["Борисов Борис"])
    async with app.sessionmaker() as session, session.begin():
        await session.execute(
            update(OlympiadEvent)
            .where(OlympiadEvent.id == where.math)
            .values(grade_min=9, grade_max=11)
        )
    chat = make_chat(801)
    await chat.send("/school")
    reply = await chat.click("Записать на олимпиаду")
    assert "Математика" not in reply.text
    assert not any(b.startswith("Математика") for b in reply.buttons)

    await add_students(app, where.a, 10, ["Волкова Вера"])  # now one student may join
    await chat.send("/school")
    reply = await chat.click("Записать на олимпиаду")
    assert "• Математика · 17 октября · до 12 октября, 23:59" in reply.text
