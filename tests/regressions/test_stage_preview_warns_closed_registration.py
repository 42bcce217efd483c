"""/stage created an event dated today + 4 whose registration (closing at D − 5) was closed
from the start, and the preview said nothing. The preview now warns, naming the events."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from tests.support.chat import ChatDriver
from tests.support.stage_chat import COORDINATOR, coordinator, extra_routers

__all__ = ["extra_routers"]  # fixtures used here
# The test clock reads 6 October 2026, 10:00 in Yuzhno-Sakhalinsk.
SCHEDULE = "Предмет;Дата;Классы\nФизика;10.10.2026;7-11\nХимия;20.10.2026;7-11\n"


async def test_a_date_within_the_registration_window(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    await chat.send("/stage")
    await chat.click("Школьный этап")
    reply = await chat.upload("school.csv", SCHEDULE.encode())
    assert reply.errors == []
    assert "Будут созданы 2 мероприятия" in reply.text
    assert "⚠️ Регистрация уже была бы закрыта на 1 мероприятие" in reply.text
    # D − 5 is 5 October: registration closed at its end, Sakhalin time.
    assert "• Физика — закрыта 5 октября, 23:59" in reply.text
    assert "Химия — закрыта" not in reply.text


async def test_dates_far_enough_give_no_warning(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    await chat.send("/stage")
    await chat.click("Школьный этап")
    reply = await chat.upload(
        "school.csv", "Предмет;Дата;Классы\nХимия;20.10.2026;7-11\n".encode()
    )
    assert "Будет создано 1 мероприятие" in reply.text
    assert "закрыта" not in reply.text
