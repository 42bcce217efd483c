"""/stage: a coordinator creates a stage from a schedule file, after a preview."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from bot.settings import PROJECT_ROOT
from models.enums import EventStatus, Level
from tests.support.chat import ChatDriver
from tests.support.stage_chat import (
    COORDINATOR,
    coordinator,
    event_statuses,
    extra_routers,
)

__all__ = ["extra_routers"]
SCHEDULE = (PROJECT_ROOT / "tests" / "data" / "schedules" / "school_mixed.csv").read_bytes()


async def test_coordinator_creates_the_school_stage(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    reply = await chat.send("/stage")
    assert reply.buttons[0].startswith("Школьный этап")
    reply = await chat.click(1)
    assert "2026/27" in reply.text
    template = await chat.click("шаблон")
    assert [d.file_name for d in template.documents] == ["schedule_school.xlsx"]
    reply = await chat.upload("schedule.csv", SCHEDULE)
    assert "Будет создано 5 мероприятий" in reply.text
    assert "строка 6" in reply.text and "строка 7" in reply.text
    assert reply.buttons[0] == "✅ Создать 5 мероприятий"
    older = reply.last
    assert older is not None
    reply = await chat.upload("schedule.csv", SCHEDULE)  # sent twice: two previews
    before = await event_statuses(app)
    stale = await chat.click("Создать 5", message_id=older.message_id)
    assert stale.alert is not None and "устарел" in stale.alert
    assert await event_statuses(app) == before
    reply = await chat.click("Создать 5")
    assert "Создано 5 мероприятий (школьный этап)" in reply.text
    after = await event_statuses(app)
    created = {code: status for code, status in after.items() if code not in before}
    assert created == dict.fromkeys(
        ("physics", "chemistry", "geography", "astronomy", "technology"), EventStatus.REGISTRATION
    )


async def test_drafts_and_a_refused_file(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    await chat.send("/stage")
    await chat.click("Муниципальный этап")
    reply = await chat.click("черновиками")
    assert "будут созданы черновиками" in reply.text
    reply = await chat.upload("schedule.pdf", b"%PDF-1.4 not a table")
    assert ".xlsx" in reply.text
    schedule = "Предмет;Дата;Классы\nФизика;20.11.2026;7-11\nХимия;21.11.2026;9-11\n"
    reply = await chat.upload("municipal.csv", schedule.encode("cp1251"))
    assert "Будут созданы 2 мероприятия" in reply.text
    await chat.click("Создать 2")
    statuses = await event_statuses(app, Level.MUNICIPAL)
    assert statuses["physics"] == statuses["chemistry"] == EventStatus.DRAFT


async def test_people_without_a_stage(chat: ChatDriver) -> None:
    reply = await chat.send("/stage")
    assert reply.text == "Вы не организуете ни один этап олимпиады."
    assert reply.buttons == []


async def test_english_coordinator(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    await coordinator(app, 701)
    chat = make_chat(701, language_code="en")
    await chat.send("/stage")
    reply = await chat.click("School stage")
    assert "Send the schedule as a file" in reply.text
    reply = await chat.upload("s.csv", b"Subject;Date\nPhysics;20.10.2026\n")
    assert "1 event will be created" in reply.text
    reply = await chat.click("Create 1 event")
    assert reply.text.startswith("✅ 1 event of the school stage created.")


async def test_a_long_report_still_fits_one_message(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    await chat.send("/stage")
    await chat.click("Школьный этап")
    rows = "".join(f"Неведомый предмет номер {i} {'х' * 40};20.10.2026\n" for i in range(80))
    reply = await chat.upload("long.csv", ("Предмет;Дата\n" + rows).encode())
    assert reply.errors == []
    assert "80 строк с ошибками" in reply.text and "…и ещё" in reply.text
    assert reply.buttons == ["Отмена"]  # nothing valid to create


async def test_untouched_rows_past_dates_and_odd_file_names(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    await chat.send("/stage")
    await chat.click("Муниципальный этап")
    reply = await chat.upload("<b>&.pdf", b"%PDF-1.4 not a table")
    assert reply.errors == [] and "<b>&.pdf" in reply.text
    schedule = (
        "Предмет;Дата;Классы\nФизика;20.11.2026;7-11\nХимия;01.10.2026;9-11\n"
        "Биология;;7-11\nИстория;;5-11\nГеография;;\n"
    )
    reply = await chat.upload("municipal.csv", schedule.encode())
    assert reply.errors == []
    assert "Будет создано 1 мероприятие" in reply.text
    assert "строка 3: Дата 01.10.2026 уже прошла" in reply.text
    assert "Нет даты" not in reply.text
    assert "3 предмета без даты пропущено (не заполнены)." in reply.text
