"""An event still in «Регистрация участников» whose registration has closed for the student's
grade is shown as closed in the catalog and on its card, not as open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from calendars.clock import FixedClock
from models.enums import PersonKind
from models.geo import School
from models.people import User
from tests.support.chat import ChatDriver

OPEN = "Регистрация участников"
CLOSED = "Запись окончена, этап впереди"


async def test_closed_registration_reads_as_closed(
    app: App, clock: FixedClock, make_chat: Callable[..., ChatDriver]
) -> None:
    async with app.sessionmaker() as session, session.begin():
        school_id = await session.scalar(select(School.id).where(School.code == "sosh1"))
        session.add(
            User(
                tg_id=2401,
                full_name="Аня Петрова",
                kind=PersonKind.STUDENT,
                school_id=school_id,
                grade=7,
                created_at=clock.now(),
                onboarded_at=clock.now(),
            )
        )
    # Russian is held 7 days after the demo's first day; registration closes at D − 5.
    clock.advance(timedelta(days=3))
    chat = make_chat(2401)
    listing = await chat.send("/events")
    lines = listing.text.splitlines()
    russian = next(i for i, line in enumerate(lines) if "Русский язык" in line)
    mathematics = next(i for i, line in enumerate(lines) if "Математика" in line)
    assert lines[russian + 1] == CLOSED
    assert lines[mathematics + 1] == OPEN
    card = await chat.click("Русский язык")
    assert f"ℹ️ {CLOSED}" in card.text
    assert f"ℹ️ {OPEN}" not in card.text
    assert "⏳ Регистрация закрыта" in card.text
