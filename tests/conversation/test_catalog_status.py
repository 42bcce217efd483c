"""/my: registrations with their state; a result only once the organiser publishes it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update

from bot.app import App
from models.enums import PersonKind, Placement, RegistrationState
from models.olympiad import OlympiadEvent, Registration
from tests.support.catalog_chat import enrol, event_id, extra_routers, link
from tests.support.chat import ChatDriver

__all__ = ["extra_routers"]  # fixture used here


async def sign_up(app: App, student_id: int, subject: str) -> int:
    found = await event_id(app, subject)
    async with app.sessionmaker() as session, session.begin():
        session.add(
            Registration(
                event_id=found, student_id=student_id, grade=7, created_at=app.clock.now()
            )
        )
    return found


async def test_results_appear_only_when_published_in_russian(app: App, chat: ChatDriver) -> None:
    ann = await enrol(app, chat.user_id)
    reply = await chat.send("/my")
    assert "Вы пока ни на одну олимпиаду не записаны." in reply.text
    history = await sign_up(app, ann.id, "history")
    await sign_up(app, ann.id, "math")
    async with app.sessionmaker() as session, session.begin():
        await session.execute(
            update(Registration)
            .where(Registration.event_id == history)
            .values(state=RegistrationState.PARTICIPATED, score=81.5, placement=Placement.WINNER)
        )
    reply = await chat.send("/my")
    assert reply.text.startswith("Мои записи\n2 записи")
    assert "1. История, школьный этап — 25 сентября 2026\nПодведение итогов · участвовал(а)" in (
        reply.text
    )
    assert "81.5" not in reply.text and "Результат" not in reply.text
    async with app.sessionmaker() as session, session.begin():
        await session.execute(
            update(OlympiadEvent)
            .where(OlympiadEvent.id == history)
            .values(results_published_at=app.clock.now(), passing_score=60.0)
        )
    reply = await chat.send("/my")
    assert "Результат: 81.5 из 100 · 🏆 победитель этапа" in reply.text
    assert "🎉 Проходной балл на следующий этап набран." in reply.text
    reply = await chat.click("История")
    assert "🏅 Результат: 81.5 из 100 · 🏆 победитель этапа" in reply.text
    # Published just now: the appeal window of the school stage is open.
    assert reply.buttons == ["📝 Подать апелляцию", "« К моим записям"]
    reply = await chat.click("« К моим записям")
    assert reply.text.startswith("Мои записи")


async def test_a_parent_chooses_whose_registrations_in_english(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    mum = await enrol(app, 2301, name="Mary", kind=PersonKind.PARENT, locale="en")
    ann = await enrol(app, None, name="Ann", grade=7)
    bob = await enrol(app, None, name="Bob", grade=9)
    await link(app, mum, ann, managed=True)
    await link(app, mum, bob, managed=True)
    await sign_up(app, bob.id, "math")
    chat = make_chat(2301, language_code="en")
    reply = await chat.send("/my")
    assert reply.text == "Whose registrations do you want to see?"
    assert reply.buttons == ["👤 Ann", "👤 Bob"]
    reply = await chat.click("Bob")
    assert reply.text.startswith("Registrations of Bob\n1 registration")
    assert "Mathematics, school stage — 17 October 2026\nRegistration is open · signed up" in (
        reply.text
    )
    reply = await chat.click("All olympiads")
    assert reply.text.startswith("Olympiads for Bob\nGrade 9")
