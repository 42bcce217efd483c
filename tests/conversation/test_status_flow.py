"""/status: a coordinator moves events along the lifecycle after a preview."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.audit import AuditEntry
from models.enums import EventStatus, PersonKind, Role
from models.olympiad import Registration
from models.outbox import Outbox, OutboxKind
from models.people import User
from tests.support.app import grant
from tests.support.chat import ChatDriver, forged_click
from tests.support.stage_chat import (
    COORDINATOR,
    coordinator,
    event_id,
    event_statuses,
    extra_routers,
    other_municipality,
)
from ui.callbacks.stage import EventAct, EventCb, StatusAct, StatusCb

__all__ = ["extra_routers"]


async def _student_in(app: App, subjects: list[str]) -> int:
    """A student of the demo's first school registered for these school-stage subjects."""
    async with app.sessionmaker() as session, session.begin():
        from models.geo import School

        school = await session.scalar(select(School.id).where(School.code == "sosh1"))
        student = User(
            tg_id=5100,
            full_name="Аня",
            kind=PersonKind.STUDENT,
            school_id=school,
            grade=9,
            created_at=app.clock.now(),
            locale="ru",
        )
        session.add(student)
        await session.flush()
        for subject in subjects:
            session.add(
                Registration(
                    event_id=await event_id(app, subject),
                    student_id=student.id,
                    grade=9,
                    created_at=app.clock.now(),
                )
            )
        return student.id


async def test_chosen_subjects_close_registration(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    student = await _student_in(app, ["math", "russian"])
    chat = make_chat(COORDINATOR)
    reply = await chat.send("/status")
    reply = await chat.click("Школьный этап")
    assert "7 мероприятий в этом учебном году" in reply.text
    await chat.click("Выбранные предметы")
    await chat.click("Математика")
    reply = await chat.click("Русский язык")
    assert "Выбрано 2 предмета" in reply.text
    await chat.click("Далее")
    reply = await chat.click("Проведение")
    assert "Изменятся 2 мероприятия" in reply.text
    assert "Регистрация участников → Проведение: 2" in reply.text
    reply = await chat.click("Подтвердить")
    assert "Статус изменён у 2 мероприятий" in reply.text
    statuses = await event_statuses(app)
    assert statuses["math"] == statuses["russian"] == EventStatus.CONDUCTING
    assert statuses["biology"] == EventStatus.REGISTRATION
    async with app.sessionmaker() as session:
        texts = list(
            await session.scalars(
                select(Outbox.text).where(
                    Outbox.user_id == student, Outbox.kind == OutboxKind.MESSAGE
                )
            )
        )
    assert len(texts) == 1  # one message for both subjects
    assert "Регистрация закрыта на 2 олимпиады" in (texts[0] or "")


async def test_going_back_needs_a_typed_reason(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    await chat.send("/status")
    await chat.click("Школьный этап")
    await chat.click("Все мероприятия этапа")
    reply = await chat.click("Проведение")
    assert "Регистрация участников → Проведение: 5" in reply.text
    assert "Подведение итогов → Проведение: 1" in reply.text
    assert "уже в этом статусе" in reply.text  # English is already being held
    assert reply.buttons == ["Отмена"]
    reply = await chat.send("Перенос сроков приказом управления")
    assert "Причина: Перенос сроков приказом управления" in reply.text
    reply = await chat.click("Подтвердить")
    assert "Статус изменён у 6 мероприятий" in reply.text
    assert set((await event_statuses(app)).values()) == {EventStatus.CONDUCTING}
    async with app.sessionmaker() as session:
        exceptional = (
            await session.scalars(select(AuditEntry).where(AuditEntry.exceptional.is_(True)))
        ).all()
    assert [e.reason for e in exceptional] == ["Перенос сроков приказом управления"]


async def test_one_event_from_its_card(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    history = await event_id(app, "history")
    reply = await chat.send(f"/event_{history}")
    assert "История" in reply.text and "Подведение итогов" in reply.text
    reply = await chat.click("→ Завершено")
    assert "Изменится 1 мероприятие" in reply.text
    await chat.click("Подтвердить")
    assert (await event_statuses(app))["history"] == EventStatus.FINISHED
    reply = await chat.send(f"/event {history}")
    assert "Завершено" in reply.text
    assert "✖ Отменено" not in reply.buttons  # a finished event cannot be cancelled
    assert "⚠️ Подведение итогов" in reply.buttons


async def test_a_curator_or_student_cannot_change_statuses(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    chat = make_chat(5200)
    reply = await chat.send("/status")
    assert "не организуете" in reply.text
    math = await event_id(app, "math")
    reply = await chat.send(f"/event_{math}")
    assert reply.text == "У вас нет прав на это действие."
    assert (await event_statuses(app))["math"] == EventStatus.REGISTRATION


async def test_forged_buttons_are_refused(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    await coordinator(app)
    await grant(app, 740, Role.MUNICIPAL, municipality_id=await other_municipality(app))
    chat = make_chat(COORDINATOR)
    await chat.send("/overview")
    math = await event_id(app, "math")
    bogus = StatusCb(act=StatusAct.TARGET, event_id=math, target="bogus").pack()
    reply = await forged_click(chat, bogus)
    assert reply.alert is not None and "больше недоступен" in reply.alert
    missing = await forged_click(chat, EventCb(act=EventAct.CARD, event_id=999_999).pack())
    assert missing.alert == "Этой олимпиады больше нет."
    stranger = make_chat(740)
    await stranger.send("/overview")
    foreign = StatusCb(act=StatusAct.TARGET, event_id=math, target="cancelled").pack()
    reply = await forged_click(stranger, foreign)
    assert reply.alert == "У вас нет прав на это действие."
    reply = await forged_click(
        stranger, EventCb(act=EventAct.FIELD, event_id=math, field="date").pack()
    )
    assert reply.alert == "У вас нет прав на это действие."
    assert (await event_statuses(app))["math"] == EventStatus.REGISTRATION
