"""/overview showed «Далее: проверка: участники записаны» for an event already in «Подведение
итогов»: the next step was the next one on the calendar, whatever the event's status. The
steps a status has left behind are skipped now."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update

from bot.app import App
from models.enums import EventStatus
from models.olympiad import OlympiadEvent
from tests.support.chat import ChatDriver
from tests.support.stage_chat import COORDINATOR, coordinator, event_id, extra_routers

__all__ = ["extra_routers"]  # fixtures used here


def _block(text: str, head: str) -> str:
    """The lines of one event on the overview page."""
    start = text.index(head)
    end = text.find("\n\n", start)
    return text[start : end if end != -1 else None]


async def _overview(app: App, chat: ChatDriver, status: EventStatus) -> str:
    math = await event_id(app, "math")
    async with app.sessionmaker() as session, session.begin():
        await session.execute(
            update(OlympiadEvent).where(OlympiadEvent.id == math).values(status=status)
        )
    reply = await chat.send("/overview")
    return _block(reply.text, "Математика · школьный этап")


async def test_summing_up_early(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    # 6 October: the school mathematics of 17 October is summed up ahead of the calendar.
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    block = await _overview(app, chat, EventStatus.SUMMARIZING)
    assert "Подведение итогов" in block
    assert "Далее: срок внесения результатов, 31 окт., 23:59" in block
    assert "участники записаны" not in block


async def test_conducting_skips_registration(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    block = await _overview(app, chat, EventStatus.CONDUCTING)
    assert "Далее:" in block and "участники записаны" not in block


async def test_registration_still_leads(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    await coordinator(app)
    chat = make_chat(COORDINATOR)
    block = await _overview(app, chat, EventStatus.REGISTRATION)
    assert "Далее: проверка: участники записаны, 12 окт., 23:59" in block
