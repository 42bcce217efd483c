"""A subject held on different days per grade: the curator and a student of a grade read the
same registration deadline for that grade (registration closes per grade, see demo.yaml)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.app import App
from models.enums import PersonKind, Role
from models.geo import School
from models.people import User
from tests.support.chat import ChatDriver


async def _grade8_student(app: App, tg_id: int) -> int:
    async with app.sessionmaker() as session, session.begin():
        school_id = await session.scalar(select(School.id).where(School.code == "sosh1"))
        assert school_id is not None
        session.add(
            User(
                tg_id=tg_id,
                full_name="Аня Петрова",
                kind=PersonKind.STUDENT,
                school_id=school_id,
                grade=8,
                created_at=app.clock.now(),
                onboarded_at=app.clock.now(),
            )
        )
    return school_id


async def test_curator_sees_the_grade_8_deadline_the_student_sees(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role: Callable[..., Awaitable[User]],
) -> None:
    school_id = await _grade8_student(app, 2301)
    student = make_chat(2301)
    await student.send("/events")
    card = await student.click("Информатика")
    # Grades 7–8 sit on 21 October: their registration closes at the end of 16 October.
    assert "⏳ Регистрация до 16 октября 2026, 23:59" in card.text

    await grant_role(2302, Role.CURATOR, school_id=school_id)
    curator = make_chat(2302)
    await curator.send("/school")
    listing = await curator.click("Записать на олимпиаду")
    line = next(x for x in listing.text.splitlines() if x.startswith("• Информатика"))
    assert "до 16 октября, 23:59 (7–8 классы)" in line
    assert "до 15 октября, 23:59 (5–6 классы)" in line
    event = await curator.click("Информатика")
    assert "📅 7–8 классы: 21 октября, запись до 16 октября, 23:59" in event.text
