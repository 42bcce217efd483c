"""The catalog through the real dispatcher: list, filters, pages, card, forged buttons."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from bot.app import App
from models.enums import EventStatus
from models.olympiad import OlympiadEvent, Registration
from offline.api_server import FakeBotAPI
from tests.support.catalog_chat import enrol, event_id, extra_routers, more_events, press
from tests.support.chat import ChatDriver
from ui.callbacks.catalog import CatAct, CatCb

__all__ = ["extra_routers"]  # fixtures used here


async def test_student_opens_the_catalog_and_a_card_in_russian(app: App, chat: ChatDriver) -> None:
    await enrol(app, chat.user_id)
    reply = await chat.send("/events")
    assert reply.text.startswith("Олимпиады для вас\n7 класс · 2026/27 учебный год")
    assert "Найдено 8 олимпиад" in reply.text
    assert "4. Математика, школьный этап — 17 октября\nРегистрация участников" in reply.text
    assert "8. Математика, муниципальный этап — 19 ноября" in reply.text
    assert reply.buttons[-3:] == ["🔎 все этапы", "📚 все предметы", "🏷 любой статус"]
    listed = reply.last
    reply = await chat.click("Математика · школьный")
    assert reply.last is not None and listed is not None
    assert reply.last.message_id == listed.message_id  # the same message, edited
    assert reply.text.startswith("Математика · школьный этап олимпиады\n\n📅 17 октября 2026")
    assert "🎓 4–11 классы" in reply.text
    assert "ℹ️ Регистрация участников" in reply.text
    # 12 October is D − 5; registration closes at its end on Sakhalin's clock.
    assert "⏳ Регистрация до 12 октября 2026, 23:59 (осталось 6 дн. 14 ч)." in reply.text
    assert "👥 Записались: 0" in reply.text
    assert "Записи пока нет. Для этого класса регистрация открыта." in reply.text
    assert reply.buttons == ["✍️ Записаться", "« К списку"]
    reply = await chat.click("« К списку")
    assert "Найдено 8 олимпиад" in reply.text


async def test_filters_and_pages_edit_one_message_in_english(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await enrol(app, 2001, name="Ann Petrova", locale="en")
    await more_events(app, 4)
    chat = make_chat(2001, language_code="en")
    reply = await chat.send("/events")
    assert "12 olympiads found · page 1 of 2" in reply.text
    first = reply.last
    reply = await chat.click("▶")
    assert reply.last is not None and first is not None
    assert reply.last.message_id == first.message_id
    assert "page 2 of 2" in reply.text and "9. " in reply.text
    reply = await chat.click("🏷 any status")
    assert reply.text == "Show olympiads with which status?"
    reply = await chat.click("being held now")
    assert "Filters: all stages · every subject · being held now" in reply.text
    assert "1 olympiad found" in reply.text and "English, school stage" in reply.text
    reply = await chat.click("🔎 all stages")
    reply = await chat.click("municipal stage")
    assert "No olympiads match these filters." in reply.text
    reply = await chat.click("Show all olympiads")
    assert "12 olympiads found" in reply.text
    reply = await chat.click("📚 every subject")
    reply = await chat.click("Mathematics")
    assert "2 olympiads found" in reply.text
    assert "Filters: all stages · Mathematics · any status" in reply.text


async def test_forged_and_stale_buttons_are_refused_and_change_nothing(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI
) -> None:
    ann = await enrol(app, 2101, locale="en", name="Ann")
    other_child = await enrol(app, None, name="Someone else's child")
    chat = make_chat(2101, language_code="en")
    await chat.send("/events")
    await chat.click("Biology")
    biology = await event_id(app, "biology")
    async with app.sessionmaker() as session, session.begin():
        await session.execute(delete(OlympiadEvent).where(OlympiadEvent.id == biology))
    reply = await chat.click("Sign me up")
    assert reply.alert == "This olympiad is no longer in the catalog. Open /events again."
    math = await event_id(app, "math")
    forged = CatCb(act=CatAct.REGISTER, ch=other_child.id, ev=math).pack()
    reply = await press(fake_api, 2101, forged)
    assert reply.alert == "This child is not linked to your account."
    reply = await press(fake_api, 2101, CatCb(act=CatAct.LIST, ch=other_child.id).pack())
    assert reply.alert == "This child is not linked to your account."
    reply = await press(fake_api, 2101, "ca:r:notanumber")
    assert reply.alert == "This button is out of date. Send /help to start again."
    async with app.sessionmaker() as session:
        rows = (await session.scalars(select(Registration))).all()
    assert rows == []
    assert ann.id != other_child.id


async def test_cards_of_later_stages_show_admission_instead_of_a_button(
    app: App, chat: ChatDriver
) -> None:
    await enrol(app, chat.user_id)
    await chat.send("/events")
    reply = await chat.click("Математика · муниципальный")
    assert "Участников этого этапа определяет организатор" in reply.text
    assert "В списке участников пока нет." in reply.text
    assert "Регистрация до" not in reply.text
    assert reply.buttons == ["« К списку"]


async def test_without_a_profile_the_catalog_sends_to_start(app: App, chat: ChatDriver) -> None:
    reply = await chat.send("/events")
    assert reply.text == "Сначала выберите школу и класс: /start."
    async with app.sessionmaker() as session:
        assert await session.scalar(select(OlympiadEvent.status).limit(1)) in set(EventStatus)


async def test_a_subject_held_on_several_days_shows_the_students_own_deadline(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await enrol(app, 2201, name="Ann", locale="en", grade=9)
    chat = make_chat(2201, language_code="en")
    await chat.send("/events")
    reply = await chat.click("Computer science")
    assert (
        "📅 Dates by grade:\n• grades 5–6: 20 October 2026\n• grades 7–8: 21 October 2026\n"
        "• grades 9–11: 22 October 2026\n"
    ) in reply.text
    # Grade 9 sits on 22 October, so its registration closes at the end of 17 October.
    assert "⏳ Registration closes 17 October 2026, 23:59 (11 d 14 h left)." in reply.text
