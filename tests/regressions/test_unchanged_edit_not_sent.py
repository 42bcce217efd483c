"""A press whose screen would not change sent the same edit again (Telegram: 400 "message is
not modified") and left the person without feedback. Now no such edit reaches the Bot API
(the fake server refuses it as Telegram does) and the press is answered "nothing has changed".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.app import App
from calendars.clock import FixedClock
from models.people import User
from offline.api_server import FakeBotAPI
from offline.markup import keyboard_buttons
from services.audit import record as audit
from services.people.identity import Identity
from services.scopes import Scope
from tests.support.catalog_chat import enrol, press
from tests.support.chat import ChatDriver, Reply
from tests.support.staff_chat import person_as, places

NOTHING = "Ничего не изменилось."


def _no_edit(reply: Reply) -> None:
    assert not reply.errors, [c.description for c in reply.errors]
    assert not [c for c in reply.calls if c.method.startswith("editMessage")]


async def test_the_current_audit_page(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    where = await places(app)
    coordinator, me = await person_as(app, make_chat, "municipal", where)
    assert me is not None
    async with app.sessionmaker() as session, session.begin():
        found = await session.get(User, me.id)
        assert found is not None
        for minutes in range(8):
            await audit.record(
                session, Identity(found), "status_change",
                Scope(where.region, where.municipality), f"Событие {minutes}",
                app.clock.now() - timedelta(minutes=minutes),
            )  # fmt: skip
    reply = await coordinator.send("/audit")
    assert "1/2" in reply.buttons
    reply = await coordinator.click("1/2")
    _no_edit(reply)
    assert reply.alert == NOTHING


async def test_the_reminder_timing_already_chosen(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await enrol(app, 1001)
    chat = make_chat(1001)
    await chat.send("/reminders")
    reply = await chat.click("Когда напоминать")
    assert "✓ Как обычно для моей роли" in reply.buttons
    reply = await chat.click("✓ Как обычно для моей роли")
    _no_edit(reply)
    assert reply.alert == NOTHING


async def test_register_on_a_closed_card(
    app: App, make_chat: Callable[..., ChatDriver], clock: FixedClock, fake_api: FakeBotAPI
) -> None:
    await enrol(app, 1001)
    chat = make_chat(1001)
    await chat.send("/events")
    reply = await chat.click("Математика · школьный")
    assert reply.last is not None
    [register] = [
        b["callback_data"]
        for b in keyboard_buttons(reply.last.reply_markup)
        if b["text"] == "✍️ Записаться"
    ]
    # Registration for school mathematics closes at the end of 12 October, Sakhalin time: the
    # card drawn after that has no button, and the one kept from before is pressed on it.
    clock.set(clock.now() + timedelta(days=7))
    await chat.click("« К списку")
    reply = await chat.click("Математика · школьный")
    assert "✍️ Записаться" not in reply.buttons
    reply = await press(fake_api, 1001, register)
    _no_edit(reply)
    assert reply.alert and "регистрация закрылась" in reply.alert


async def test_admit_refresh_with_nothing_new(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, _me = await person_as(app, make_chat, "municipal", where)
    reply = await coordinator.send("/admit")
    assert "Обновить" in reply.buttons
    reply = await coordinator.click("Обновить")
    _no_edit(reply)
    assert reply.alert == NOTHING
