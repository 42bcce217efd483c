"""/due, the .ics export, reminder settings, and a reminder travelling the whole way.

Registration plans outbox rows right after its own commit; the delivery worker sends them through
the strict fake Bot API when they fall due, in the student's language and time zone.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from bot.app import App
from calendars.clock import FixedClock
from models.outbox import Outbox
from models.people import User
from offline.api_server import FakeBotAPI
from tests.support.chat import ChatDriver


async def _student(chat: ChatDriver, language: str = "Русский", grade: str = "7") -> None:
    await chat.send("/start")
    await chat.click(language)
    await chat.click(1)  # student
    await chat.click(1)  # the demo region
    await chat.click(1)  # the demo municipality
    await chat.click("СОШ № 1")
    await chat.click(grade)


async def test_due_lists_deadlines_soonest_first(chat: ChatDriver) -> None:
    await _student(chat)
    reply = await chat.send("/due")
    assert reply.text.startswith("Ближайшие сроки")
    lines = [line for line in reply.text.splitlines() if line.startswith("⏰")]
    assert lines and all("Закрытие регистрации" in line for line in lines)
    assert any("Математика, школьный этап" in line for line in lines)
    assert reply.buttons[:2] == ["Экспорт в календарь", "Настройки напоминаний"]


async def test_due_in_english(make_chat) -> None:  # type: ignore[no-untyped-def]
    chat: ChatDriver = make_chat(1101, language_code="en")
    await _student(chat, "English")
    reply = await chat.send("/due")
    assert "Mathematics" in reply.text
    assert "Закрытие" not in reply.text


async def test_calendar_export_is_stable_across_imports(chat: ChatDriver) -> None:
    await _student(chat)
    first = (await chat.send("/calendar")).documents
    second = (await chat.send("/calendar")).documents
    assert len(first) == len(second) == 1
    assert first[0].file_name.endswith(".ics")
    cals = [Calendar.from_ical(doc.content) for doc in (first[0], second[0])]
    events = [[c for c in cal.walk("VEVENT")] for cal in cals]
    assert events[0], "the calendar has no events"
    uids = [sorted(str(e["UID"]) for e in evs) for evs in events]
    assert uids[0] == uids[1]  # re-importing updates rather than duplicates
    for event in events[0]:
        assert event.decoded("DTSTART").utcoffset() == timedelta(0)
        assert list(event.walk("VALARM")), "each deadline carries an alarm"


async def test_registration_reminder_is_delivered_once(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI, clock: FixedClock
) -> None:
    await _student(chat)
    await chat.send("/events")
    await chat.click("Математика · школьный этап")
    reply = await chat.click("Записаться")
    assert "записаны" in reply.text.lower()
    async with app.sessionmaker() as session:
        me = await session.scalar(select(User).where(User.tg_id == chat.user_id))
        assert me is not None
        rows = (
            await session.scalars(
                select(Outbox).where(Outbox.user_id == me.id, Outbox.status == "pending")
            )
        ).all()
    assert rows, "registering planned no reminders"
    # The consent reminders (issue 17) come earlier; they go out in the same digest.
    first_due = min(row.due_at for row in rows if row.step != "consent_due")
    assert first_due > clock.now()
    before = len(fake_api.bot_messages(chat.user_id))
    clock.set(first_due + timedelta(minutes=1))
    sent = await app.deliver_due()
    again = await app.deliver_due()
    assert sent >= 1 and again == 0
    delivered = fake_api.bot_messages(chat.user_id)[before:]
    assert len(delivered) == 1
    assert "Математика" in delivered[0].text


async def test_reminder_settings_screen(chat: ChatDriver) -> None:
    await _student(chat)
    reply = await chat.send("/reminders")
    assert reply.text.startswith("Напоминания")
    assert "Тихие часы: 22:00–08:00" in reply.text
    reply = await chat.click("Тихие часы")
    assert reply.buttons, "quiet hours offer choices"
