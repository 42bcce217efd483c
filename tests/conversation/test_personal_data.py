"""/mydata: everything the bot keeps about me, and deleting it after a confirmation."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.enums import EventStatus, PersonKind, RegistrationState
from models.olympiad import OlympiadEvent, Registration
from models.people import ParentLink, User
from tests.support.catalog_chat import enrol, event_id, extra_routers, link
from tests.support.chat import ChatDriver

__all__ = ["extra_routers"]  # fixture used here


async def test_show_then_keep_then_delete_in_russian(app: App, chat: ChatDriver) -> None:
    ann = await enrol(app, chat.user_id, name="Аня Петрова")
    mum = await enrol(app, 2701, name="Мария", kind=PersonKind.PARENT)
    await link(app, mum, ann)
    history = await event_id(app, "history")
    async with app.sessionmaker() as session, session.begin():
        session.add(
            Registration(
                event_id=history,
                student_id=ann.id,
                grade=7,
                score=70.0,
                state=RegistrationState.PARTICIPATED,
                created_at=app.clock.now(),
            )
        )
        event = await session.get(OlympiadEvent, history)
        assert event is not None
        event.status = EventStatus.FINISHED
        event.results_published_at = app.clock.now()
    reply = await chat.send("/mydata")
    assert reply.text.startswith("Что я о вас храню\n\nВаш профиль\nИмя: Аня Петрова\n")
    assert f"Telegram id: {chat.user_id}" in reply.text
    assert "Вы: ученик" in reply.text and "7 класс" in reply.text
    assert "Семейные связи\nРодитель: Мария" in reply.text
    assert "История, школьный этап, 25 сентября 2026 · участвовал(а) · 70" in reply.text
    assert "СНИЛС" in reply.text  # the promise of what is never asked
    reply = await chat.click("🗑 Удалить мои данные")
    assert reply.text.startswith("Удалить всё, что я о вас храню?")
    reply = await chat.click("Нет, оставить данные")
    assert reply.text.startswith("Что я о вас храню")
    await chat.click("🗑 Удалить мои данные")
    reply = await chat.click("Да, удалить всё")
    assert reply.text.startswith("🗑 Готово: ваши данные удалены.\n")
    assert "1 результат завершённой олимпиады сохранён без вашего имени." in reply.text
    async with app.sessionmaker() as session:
        assert await session.get(User, ann.id) is None
        kept = (await session.scalars(select(Registration))).one()
        anonymous = await session.get(User, kept.student_id)
        assert anonymous is not None and (anonymous.tg_id, anonymous.full_name) == (None, "")
        assert (await session.scalars(select(ParentLink))).all() == []
    reply = await chat.send("/mydata")  # a new, empty record starts
    assert "Записи пока нет" not in reply.text and "записей нет" in reply.text


async def test_a_parent_deletes_their_data_with_the_managed_profile_in_english(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    mum = await enrol(app, 2801, name="Mary", kind=PersonKind.PARENT, locale="en")
    kid = await enrol(app, None, name="Pete", grade=5)
    await link(app, mum, kid, managed=True)
    chat = make_chat(2801, language_code="en")
    reply = await chat.send("/mydata")
    assert "Family links\nChild: Pete (profile managed by you)" in reply.text
    reply = await chat.click("Delete my data")
    assert "The profile of the child you manage will be deleted too." in reply.text
    reply = await chat.click("Yes, delete everything")
    assert reply.text.startswith("🗑 Done: your data is deleted.")
    async with app.sessionmaker() as session:
        assert await session.get(User, kid.id) is None
        assert await session.get(User, mum.id) is None
