"""/overview: the coordinator's picture of the stage, the chart, and editing from a card."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.enums import PersonKind, Role
from models.geo import School
from models.olympiad import OlympiadEvent, Registration
from models.outbox import Outbox, OutboxKind
from models.people import User
from tests.support.app import grant
from tests.support.chat import ChatDriver
from tests.support.stage_chat import (
    COORDINATOR,
    coordinator,
    demo_scope,
    event_id,
    extra_routers,
)

__all__ = ["extra_routers"]


async def _registered(app: App, subject: str, count: int) -> list[int]:
    """Students of the first two demo schools registered for a school-stage subject."""
    event = await event_id(app, subject)
    async with app.sessionmaker() as session, session.begin():
        schools = list(await session.scalars(select(School.id).order_by(School.id).limit(2)))
        students = [
            User(
                tg_id=6000 + i,
                full_name=f"Ученик {i}",
                kind=PersonKind.STUDENT,
                grade=9,
                school_id=schools[i % 2],
                created_at=app.clock.now(),
                locale="ru",
            )
            for i in range(count)
        ]
        session.add_all(students)
        await session.flush()
        session.add_all(
            Registration(event_id=event, student_id=s.id, grade=9, created_at=app.clock.now())
            for s in students
        )
    return [s.id for s in students]


async def test_overview_pages_filters_and_chart(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    await _registered(app, "math", 3)
    chat = make_chat(COORDINATOR)
    reply = await chat.send("/overview")
    assert reply.text.startswith("Обзор этапов 2026/27")
    assert "8 мероприятий" in reply.text
    assert "Математика · школьный этап · Регистрация участников" in reply.text
    assert "записано: 3" in reply.text
    assert "⚠️ Английский язык" in reply.text  # nobody registered before its control point
    reply = await chat.click("Муниципальный этап")
    assert "1 мероприятие" in reply.text and "Русский язык" not in reply.text
    reply = await chat.click("• Муниципальный этап")
    reply = await chat.click("Все")
    photo = await chat.click("По предметам")
    sent = [c for c in photo.calls if c.method == "sendPhoto" and c.ok]
    assert len(sent) == 1
    assert sent[0].params.get("caption") == "Записи по предметам"
    photo = await chat.click("По школам")
    assert [c.method for c in photo.calls if c.ok].count("sendPhoto") == 1


async def test_editing_a_date_tells_the_participants(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    students = await _registered(app, "math", 2)
    chat = make_chat(COORDINATOR)
    await chat.send("/overview")
    reply = await chat.click("Математика · Школьный этап")
    assert "Дата: 17.10.2026" in reply.text
    reply = await chat.click("✏️ Дата")
    assert "ДД.ММ.ГГГГ" in reply.text
    reply = await chat.send("31.10.2030")
    assert "вне 2026/27 учебного года" in reply.text
    reply = await chat.send("19.10.2026")
    assert "Дата: 17.10.2026 → 19.10.2026" in reply.text
    async with app.sessionmaker() as session:
        event = await session.get(OlympiadEvent, await event_id(app, "math"))
        texts = list(
            await session.scalars(
                select(Outbox.text).where(
                    Outbox.kind == OutboxKind.MESSAGE, Outbox.user_id.in_(students)
                )
            )
        )
    assert event is not None and str(event.held_on) == "2026-10-19"
    assert len(texts) == 2 and all("17.10.2026 → <b>19.10.2026</b>" in (t or "") for t in texts)


async def test_curators_and_other_municipalities(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    region_id, _muni_id = await demo_scope(app)
    async with app.sessionmaker() as session:
        school = await session.scalar(select(School.id).order_by(School.id).limit(1))
    await grant(app, 720, Role.CURATOR, school_id=school)
    reply = await make_chat(720).send("/overview")
    assert reply.text == "У вас нет прав на это действие."
    await grant(app, 730, Role.REGIONAL, region_id=region_id)
    regional = make_chat(730)
    reply = await regional.send("/overview")
    assert "8 мероприятий" in reply.text  # the region monitors its municipalities
    reply = await regional.click("Математика · Школьный этап")
    assert "✏️ Дата" not in reply.buttons  # but only the municipality organises them


async def test_typed_values_are_shown_not_parsed(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    reply = await chat.send(f"/event {await event_id(app, 'math')}")
    await chat.click("✏️ Классы")
    reply = await chat.send("<i>&")
    assert reply.errors == []
    assert "«<i>&» — не классы" in reply.text
    reply = await chat.send(f"/event {await event_id(app, 'math')}")
    await chat.click("✏️ Дата")
    reply = await chat.send("<b>1 & 2</b>")
    assert reply.errors == []
    assert "«<b>1 & 2</b>» — не дата" in reply.text
    reply = await chat.send("01.10.2026")
    assert "Дата 01.10.2026 уже прошла (сегодня 06.10.2026)" in reply.text


async def test_event_numbers_out_of_range_or_unknown(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    malformed = (await chat.send("/event abc")).text
    assert malformed.startswith("Укажите номер мероприятия")
    for command in ("/event 99999999999999999999999", "/event_99999999999999999999", "/event 0"):
        reply = await chat.send(command)
        assert reply.errors == [] and reply.text == malformed
    reply = await chat.send("/event 2147483647")
    assert reply.text == "Олимпиада №2147483647 не найдена; номера есть в /overview."
    reply = await chat.send("/event 9999")
    assert reply.text == "Олимпиада №9999 не найдена; номера есть в /overview."
