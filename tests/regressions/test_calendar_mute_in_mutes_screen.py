"""A calendar muted from /steps is listed on the /reminders "Muted" screen, which used to read
every mute's second part as an event id, and can be unmuted there."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.outbox import Mute
from tests.support.chat import ChatDriver
from tests.support.staff_chat import person_as, places


async def test_a_muted_calendar_is_named_and_unmuted(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    operator, me = await person_as(app, make_chat, "data_operator", where)
    assert me is not None
    await operator.send("/steps")
    await operator.click("📝 Паспорт школы")
    reply = await operator.click("🔕 Не напоминать по этому календарю")
    assert "🔔 Снова напоминать" in reply.buttons
    await operator.send("/reminders")
    reply = await operator.click("Отключённые")
    label = "Включить: Все напоминания «Паспорт школы»"
    assert label in reply.buttons, reply.buttons
    await operator.click(label)
    async with app.sessionmaker() as session:
        left = list(await session.scalars(select(Mute.target).where(Mute.user_id == me.id)))
    assert left == []
