"""Quiet hours per calendar (issue 14): a data operator in Yuzhno-Sakhalinsk takes «Паспорт
школы» nudges only in working hours (quiet 18–09) while the olympiad's reminders keep the
general quiet hours (22–08); set in /reminders, checked by what arrives and when."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import App
from calendars.clock import FixedClock
from models.enums import Role
from models.outbox import Outbox, OutboxStatus
from offline.api_server import FakeBotAPI
from tests.support.app import grant
from tests.support.calendar_world import START, calendar_world, make_operator, user_id_of
from tests.support.chat import ChatDriver, forged_click
from ui.callbacks.reminders import QuietAct, RemQuietCb

SAKHALIN = ZoneInfo("Asia/Sakhalin")
TOMSK = ZoneInfo("Asia/Tomsk")
PASSPORT_ROWS = "msg:cs:school_passport:%"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


async def _rows(app: App, user_id: int) -> tuple[list[Outbox], list[Outbox]]:
    """The person's pending olympiad reminders and «Паспорт школы» nudges."""
    async with app.sessionmaker() as session:
        rows = list(
            await session.scalars(
                select(Outbox).where(
                    Outbox.user_id == user_id, Outbox.status == OutboxStatus.PENDING
                )
            )
        )
    olympiad = [r for r in rows if r.event_id is not None]
    passport = [r for r in rows if r.key.startswith("msg:cs:school_passport:")]
    return olympiad, passport


def _local(rows: list[Outbox], zone: ZoneInfo) -> list[tuple[int, int, int]]:
    return sorted({(r.due_at.astimezone(zone).day, r.due_at.astimezone(zone).hour, 0)
                   for r in rows})  # fmt: skip


async def test_passport_quiet_hours_leave_the_olympiad_alone(
    app: App,
    make_chat,
    fake_api: FakeBotAPI,
    clock: FixedClock,  # type: ignore[no-untyped-def]
) -> None:
    world = await calendar_world(app)
    school = world.schools["sakhalin"]
    await make_operator(app, 7001, school)
    await make_operator(app, 7002, world.schools["tomsk"])
    # The same person is the school's olympiad curator: the olympiad's reminders come too.
    async with app.sessionmaker() as session:
        from models.geo import Municipality, School

        found = await session.get(School, school)
        assert found is not None
        muni = await session.get(Municipality, found.municipality_id)
        assert muni is not None
    await grant(app, 7001, Role.CURATOR, region_id=muni.region_id, municipality_id=muni.id,
                school_id=school)  # fmt: skip
    me: ChatDriver = make_chat(7001, first_name="Оператор")
    await me.send("/due")
    await make_chat(7002, first_name="Оператор").send("/due")
    user, tomsk_user = await user_id_of(app, 7001), await user_id_of(app, 7002)

    # The general quiet hours, confirmed in /reminders, plan the olympiad's reminders.
    await me.send("/reminders")
    await me.click("Тихие часы")
    await me.click("22:00–08:00")
    assert await app.plan_calendar_nudges() > 0
    olympiad, passport = await _rows(app, user)
    assert olympiad and passport
    # The general reading: a week and a day before 30 September, at 08:00 Sakhalin time.
    assert [(d, h) for d, h, _ in _local(passport, SAKHALIN)] == [(24, 8), (30, 8)]
    before = {(r.key, r.due_at) for r in olympiad}
    assert any(r.due_at.astimezone(SAKHALIN).hour == 8 for r in olympiad)  # noqa: PLR2004

    # /reminders → quiet hours by calendar → «Паспорт школы» → own hours, with bad input first.
    await me.send("/reminders")
    listing = await me.click("Тихие часы по календарям")
    assert "Паспорт школы: как общие" in listing.text
    assert "Олимпиада (ВсОШ): как общие" in listing.text
    card = await me.click("Паспорт школы")
    assert "Как общие: 22:00–08:00" in card.text
    ask = await me.click("Свои часы…")
    assert "Пришлите тихие часы календаря «Паспорт школы»" in ask.text
    assert "Часы — от 00 до 23" in (await me.send("25–09")).text
    assert "например 18–09" in (await me.send("с шести вечера")).text
    assert "в разное время" in (await me.send("9-9")).text
    saved = await me.send("18–09")
    assert "Сохранено" in saved.text and "Свои часы: 18:00–09:00" in saved.text
    listing = await me.send("/reminders")
    listing = await me.click("Тихие часы по календарям")
    assert "Паспорт школы: свои 18:00–09:00" in listing.text

    # Only this person's passport rows moved: to 09:00, the end of the calendar's own hours.
    olympiad, passport = await _rows(app, user)
    assert [(d, h) for d, h, _ in _local(passport, SAKHALIN)] == [(24, 9), (30, 9)]
    assert {(r.key, r.due_at) for r in olympiad} == before
    _, theirs = await _rows(app, tomsk_user)
    assert [(d, h) for d, h, _ in _local(theirs, TOMSK)] == [(24, 8), (30, 8)]

    # Delivery, Sakhalin time: the olympiad's 08:00 reminder comes; the passport's waits.
    first = min(r.due_at for r in olympiad if r.due_at.astimezone(SAKHALIN).hour == 8)  # noqa: PLR2004
    clock.set(first)
    count = len(fake_api.bot_messages(7001))
    await app.deliver_due()
    assert len(fake_api.bot_messages(7001)) > count
    clock.set(dt.datetime(2024, 9, 24, 8, 0, tzinfo=SAKHALIN))
    await app.deliver_due()
    nudges = [m for m in fake_api.bot_messages(7001) if "Ещё не выполнено" in m.text]
    assert nudges == []
    clock.set(dt.datetime(2024, 9, 24, 9, 0, tzinfo=SAKHALIN))
    await app.deliver_due()
    nudges = [m for m in fake_api.bot_messages(7001) if "Ещё не выполнено" in m.text]
    assert len(nudges) == 1

    # Back to the general hours: the nudges ahead (now two weeks from 24 September) at 08:00.
    await me.send("/reminders")
    await me.click("Тихие часы по календарям")
    await me.click("Паспорт школы")
    card = await me.click("Как общие")
    assert "Как общие: 22:00–08:00" in card.text
    _, passport = await _rows(app, user)
    local = _local(passport, SAKHALIN)
    assert (30, 8, 0) in local and {h for _, h, _ in local} == {8}


async def test_forged_calendar_quiet_buttons_are_refused(
    app: App,
    make_chat,  # type: ignore[no-untyped-def]
) -> None:
    chat: ChatDriver = make_chat(7301, first_name="Оператор")
    await chat.send("/reminders")
    for data in (
        RemQuietCb(act=QuietAct.GENERAL, cal="collections").pack(),
        RemQuietCb(act=QuietAct.CUSTOM, cal="x" * 20).pack(),
        RemQuietCb(act=QuietAct.OPEN, cal="").pack(),
    ):
        reply = await forged_click(chat, data)
        assert reply.alert and "больше недоступен" in reply.alert, data
    # Nothing was asked for: a text now is not taken as quiet hours.
    reply = await chat.send("18–09")
    assert "Сохранено" not in reply.text
