"""A button of an onboarding that was over still acted: it redrew a screen («Choose your
region.», once in English to a Russian-speaking curator) and could change the person's
language or make a curator a student. Such a button is now refused, in the person's
language, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from models.people import User
from tests.support.chat import ChatDriver
from tests.support.staff_chat import person_as, places

STALE = "Этот вариант больше недоступен. Начните заново: /start."


async def test_a_curator_presses_an_old_onboarding_button(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    _staff_chat, me = await person_as(app, make_chat, "curator", where)
    assert me is not None
    # Telegram in English, the bot chosen in Russian: the person's choice is what counts.
    chat = make_chat(me.tg_id, language_code="en")
    await chat.send("/start")
    reply = await chat.click("Русский")
    assert "Я ученик" in reply.buttons
    kind_screen = reply.last
    assert kind_screen is not None
    await chat.send("/cancel")
    reply = await chat.click("Я ученик", message_id=kind_screen.message_id)
    assert reply.alert == STALE
    assert not reply.messages and not reply.errors  # no screen redrawn, in any language
    async with app.sessionmaker() as session:
        person = await session.get(User, me.id)
    assert person is not None
    assert (person.locale, person.kind) == ("ru", me.kind)


async def test_the_flow_in_progress_still_works(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    chat = make_chat(1001)
    await chat.send("/start")
    await chat.click("Русский")
    reply = await chat.click("Я ученик")
    assert reply.text.startswith("Выберите регион")
