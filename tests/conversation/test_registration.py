"""Signing up and withdrawing from the card: confirmations, double taps, rules re-checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from bot.app import App
from calendars.clock import FixedClock
from models.enums import EventStatus
from models.olympiad import OlympiadEvent, Registration
from offline.api_server import FakeBotAPI
from tests.support.catalog_chat import enrol, event_id, extra_routers, press
from tests.support.chat import ChatDriver
from ui.callbacks.catalog import CatAct, CatCb

__all__ = ["extra_routers"]  # fixture used here
SAKHALIN = ZoneInfo("Asia/Sakhalin")


async def registrations(app: App) -> int:
    async with app.sessionmaker() as session:
        return int(await session.scalar(select(func.count(Registration.id))) or 0)


async def test_sign_up_and_a_second_tap_in_russian(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI
) -> None:
    await enrol(app, chat.user_id)
    await chat.send("/events")
    await chat.click("Математика · школьный")
    reply = await chat.click("✍️ Записаться")
    assert reply.text.startswith(
        "✅ Вы записаны.\n"
        "Этап пройдёт 17 октября 2026. Отменить запись можно до 12 октября, 23:59.\n"
        "Я напомню перед этапом."
    )
    assert "👥 Записались: 1" in reply.text
    assert reply.buttons == ["↩️ Отменить запись", "« К списку"]
    # The same press again (a double tap, or the button on another device).
    math = await event_id(app, "math")
    reply = await press(fake_api, chat.user_id, CatCb(act=CatAct.REGISTER, ev=math).pack())
    assert reply.alert == "Уже есть запись на эту олимпиаду."
    assert await registrations(app) == 1
    reply = await chat.send("/events")
    assert "Регистрация участников · ✅ записан(а)" in reply.text


async def test_withdraw_with_a_confirmation_in_english(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await enrol(app, 2401, name="Ann", locale="en")
    chat = make_chat(2401, language_code="en")
    await chat.send("/events")
    await chat.click("Russian · school")
    reply = await chat.click("Sign me up")
    assert "The stage is held on 12 October 2026." in reply.text
    assert "Registration can be withdrawn until 7 October, 23:59." in reply.text
    reply = await chat.click("Withdraw the registration")
    assert reply.text.startswith("Withdraw the registration?\n\nRussian, school stage")
    reply = await chat.click("No, leave it as it is")
    assert "✅ You are signed up. State: signed up" in reply.text
    await chat.click("Withdraw the registration")
    reply = await chat.click("Yes, withdraw")
    assert reply.text.startswith(
        "↩️ The registration is withdrawn.\nYou can sign up again until 7 October, 23:59."
    )
    assert reply.buttons == ["✍️ Sign me up", "« To the list"]
    assert await registrations(app) == 0


async def test_a_status_change_while_on_the_card_is_caught_by_the_press(
    app: App, chat: ChatDriver
) -> None:
    await enrol(app, chat.user_id)
    await chat.send("/events")
    await chat.click("Биология")
    async with app.sessionmaker() as session, session.begin():
        await session.execute(
            update(OlympiadEvent)
            .where(OlympiadEvent.id == await event_id(app, "biology"))
            .values(status=EventStatus.CANCELLED)
        )
    reply = await chat.click("✍️ Записаться")
    assert reply.alert == "Организатор отменил эту олимпиаду."
    assert "ℹ️ Отменено организатором" in reply.text  # the card, as it stands now
    assert reply.buttons == ["« К списку"]
    assert await registrations(app) == 0


async def test_the_last_minute_on_sakhalin_and_one_minute_later(
    app: App, chat: ChatDriver, clock: FixedClock
) -> None:
    await enrol(app, chat.user_id)
    clock.set(dt.datetime(2026, 10, 12, 23, 59, tzinfo=SAKHALIN))
    await chat.send("/events")
    reply = await chat.click("Математика · школьный")
    assert "⏳ Регистрация до 12 октября 2026, 23:59 (осталось 1 мин)." in reply.text
    reply = await chat.click("✍️ Записаться")
    assert reply.text.startswith("✅ Вы записаны.")
    await chat.click("↩️ Отменить запись")
    clock.set(dt.datetime(2026, 10, 13, 0, 0, tzinfo=SAKHALIN))
    reply = await chat.click("Да, отменить запись")
    assert reply.alert == "Регистрация закрылась 12 октября, 23:59; отменить запись уже нельзя."
    assert "Регистрация закрыта с 12 октября 2026, 23:59." in reply.text
    assert await registrations(app) == 1
    await chat.send("/events")
    reply = await chat.click("Биология")
    assert "✍️ Записаться" in reply.buttons
    clock.set(dt.datetime(2026, 10, 21, 0, 0, tzinfo=SAKHALIN))  # biology closes 20 Oct
    reply = await chat.click("✍️ Записаться")
    assert reply.alert == "Поздно: регистрация закрылась 20 октября, 23:59."
    assert reply.buttons == ["« К списку"]
