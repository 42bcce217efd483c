"""Quiet hours per calendar, three gaps closed: the ФИС ОКО collections are a calendar of their
own (their nudges wait for the end of its quiet hours, the olympiad keeps the general ones),
/reminders offers only the calendars that concern the person (a forged button for another is
refused), and /mydata lists the person's own quiet hours, which deleting the data removes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.app import App
from calendars.clock import FixedClock
from models.enums import PersonKind, Role
from models.outbox import CalendarQuiet, Outbox, OutboxStatus
from models.people import RoleGrant, User
from offline.api_server import FakeBotAPI
from tests.support.chat import ChatDriver, forged_click
from tests.support.collections_world import (
    COORDINATOR,
    SCHOOLS,
    open_collection,
    three_zone_region,
)
from ui.callbacks.reminders import QuietAct, RemQuietCb

SAKHALIN = ZoneInfo("Asia/Sakhalin")
OPENS = dt.datetime(2026, 10, 6, 7, 0, tzinfo=dt.UTC)  # 06.10.2026 10:00 Moscow time
QUIET_ME, OTHER = SCHOOLS["sosh8"][0], SCHOOLS["sosh1"][0]  # both in Yuzhno-Sakhalinsk


async def _open_collection(coordinator: ChatDriver) -> None:
    screen = await open_collection(coordinator, "Сбор расписания ВПР 2026", b"PK\x03\x04 template")
    assert "Не приступило: 4" in screen


async def _pending(app: App, tg_id: int) -> list[Outbox]:
    async with app.sessionmaker() as session:
        user_id = await session.scalar(select(User.id).where(User.tg_id == tg_id))
        query = select(Outbox).where(
            Outbox.user_id == user_id, Outbox.status == OutboxStatus.PENDING
        )
        return list(await session.scalars(query))


def _nudges(fake_api: FakeBotAPI, tg_id: int) -> int:
    return sum("не приступила" in m.text for m in fake_api.bot_messages(tg_id))


async def test_collection_nudges_wait_for_the_collections_quiet_hours(
    app: App,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    await three_zone_region(app, grant_role)
    me, other = make_chat(QUIET_ME), make_chat(OTHER)
    await _open_collection(make_chat(COORDINATOR))

    # The general quiet hours, confirmed, plan the curator's olympiad reminders too.
    await me.send("/reminders")
    await me.click("Тихие часы")
    await me.click("22:00–08:00")
    olympiad = {(r.key, r.due_at) for r in await _pending(app, QUIET_ME) if r.event_id}
    assert olympiad, "the curator has olympiad reminders ahead"

    await me.send("/reminders")
    listing = await me.click("Тихие часы по календарям")
    assert "Сборы данных ФИС ОКО: как общие" in listing.text
    assert "Олимпиада (ВсОШ): как общие" in listing.text
    assert "Паспорт школы" not in listing.text and "ВПР" not in listing.text  # not a data role
    await me.click("Сборы данных ФИС ОКО")
    await me.click("Свои часы…")
    saved = await me.send("08–11")
    assert "Свои часы: 08:00–11:00" in saved.text

    # The collection's nudges moved to 11:00 Sakhalin time; the olympiad's rows did not move.
    nudges = [r for r in await _pending(app, QUIET_ME) if ":nudge:" in r.key]
    assert sorted({r.due_at.astimezone(SAKHALIN).hour for r in nudges}) == [11]
    assert {(r.key, r.due_at) for r in await _pending(app, QUIET_ME) if r.event_id} == olympiad

    clock.set(OPENS)
    await app.deliver_due()
    # 18:00 Moscow on 10 October is 02:00 on 11 October in Sakhalin: three days before, the 8th.
    clock.set(dt.datetime(2026, 10, 8, 10, 0, tzinfo=SAKHALIN))
    await app.deliver_due()
    assert (_nudges(fake_api, QUIET_ME), _nudges(fake_api, OTHER)) == (0, 1)
    clock.set(dt.datetime(2026, 10, 8, 10, 59, tzinfo=SAKHALIN))
    await app.deliver_due()
    assert _nudges(fake_api, QUIET_ME) == 0
    clock.set(dt.datetime(2026, 10, 8, 11, 0, tzinfo=SAKHALIN))
    await app.deliver_due()
    assert (_nudges(fake_api, QUIET_ME), _nudges(fake_api, OTHER)) == (1, 1)
    assert other.user_id == OTHER


async def test_only_the_calendars_that_concern_the_person_are_offered(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    world = await three_zone_region(app, grant_role)
    # A data operator held in ВПР only: ВПР, the collections and the switch, not the passport.
    await grant_role(7401, Role.DATA_OPERATOR, school_id=world.school_ids["sosh1"])
    async with app.sessionmaker() as session, session.begin():
        await session.execute(
            update(RoleGrant)
            .where(
                RoleGrant.user_id == select(User.id).where(User.tg_id == 7401).scalar_subquery()
            )
            .values(calendar="vpr")
        )
    operator = make_chat(7401)
    await operator.send("/reminders")
    listing = await operator.click("Тихие часы по календарям")
    assert "ВПР в ФИС ОКО: как общие" in listing.text
    assert "Сборы данных ФИС ОКО: как общие" in listing.text
    assert "Паспорт школы" not in listing.text and "Олимпиада" not in listing.text
    for code in ("school_passport", "olympiad"):
        reply = await forged_click(operator, RemQuietCb(act=QuietAct.CUSTOM, cal=code).pack())
        assert reply.alert and "больше недоступен" in reply.alert, code
    assert "Сохранено" not in (await operator.send("18–09")).text

    # A student: the olympiad alone; the collections' button, forged, is refused.
    student = make_chat(7402)
    async with app.sessionmaker() as session, session.begin():
        sosh1 = world.school_ids["sosh1"]
        session.add(User(tg_id=7402, full_name="Аня", kind=PersonKind.STUDENT, grade=7,
                         school_id=sosh1, created_at=app.clock.now()))  # fmt: skip
    await student.send("/reminders")
    listing = await student.click("Тихие часы по календарям")
    assert "Олимпиада (ВсОШ): как общие" in listing.text
    assert "Сборы данных" not in listing.text and "ВПР" not in listing.text
    reply = await forged_click(student, RemQuietCb(act=QuietAct.GENERAL, cal="collections").pack())
    assert reply.alert and "больше недоступен" in reply.alert

    # Somebody nobody gave a role or a profile: nothing to set, said so.
    nobody = make_chat(7403)
    await nobody.send("/reminders")
    listing = await nobody.click("Тихие часы по календарям")
    assert "Ни один календарь пока не присылает вам напоминаний" in listing.text


async def test_mydata_lists_the_calendars_quiet_hours_and_erasing_removes_them(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    await three_zone_region(app, grant_role)
    me = make_chat(QUIET_ME)
    await me.send("/reminders")
    await me.click("Тихие часы по календарям")
    await me.click("Сборы данных ФИС ОКО")
    await me.click("Свои часы…")
    await me.send("08–11")
    reply = await me.send("/mydata")
    assert "Тихие часы по календарям\nСборы данных ФИС ОКО: 08:00–11:00" in reply.text
    assert "calendar_quiet_hours" not in reply.text

    await me.click("🗑 Удалить мои данные")
    reply = await me.click("Да, удалить всё")
    assert reply.text.startswith("🗑 Готово")
    async with app.sessionmaker() as session:
        assert list(await session.scalars(select(CalendarQuiet))) == []
