"""АИС СГО (seed 001) through the real dispatcher: card completeness reported in the bot and
uploaded as a table (one bad row: a localized error and nothing saved; a good table: bands per
municipality, the low ones first, reminders to them), and the school-year switch reminders at
10:00 of each reader's own day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from calendars.clock import FixedClock
from models.collections import CardCompleteness
from offline.api_server import FakeBotAPI
from tests.support.chat import ChatDriver
from tests.support.collections_world import COORDINATOR, SCHOOLS, three_zone_region

HEADER = "Код ОО;Процент заполнения\n"
BAD = HEADER + "sosh1;95\ngym1;сто\nlyc1;85\n"
GOOD = HEADER + "sosh1;95\ngym1;79,9\nlyc1;85\nsosh8;60\n"


async def _figures(app: App) -> dict[int, int]:
    async with app.sessionmaker() as session:
        rows = await session.execute(select(CardCompleteness.school_id, CardCompleteness.tenths))
        return {school_id: tenths for school_id, tenths in rows}


async def test_completeness_reported_uploaded_and_reminded(
    app: App,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    world = await three_zone_region(app, grant_role)
    chats = {tg: make_chat(tg) for tg, _zone in SCHOOLS.values()}
    coordinator = make_chat(COORDINATOR)

    reply = await chats[703].send("/completeness")
    assert "данных пока нет" in reply.text
    await chats[703].click("Сообщить")
    reply = await chats[703].send("89,9")
    assert "Сохранено: 89,9 % — средний уровень." in reply.texts[0]
    assert await _figures(app) == {world.school_ids["lyc1"]: 899}

    await coordinator.send("/completeness")
    reply = await coordinator.click("Загрузить таблицу")
    assert "Код ОО" in reply.text
    reply = await coordinator.upload("заполненность.csv", BAD.encode())
    assert "Таблица не загружена: ничего не сохранено." in reply.text
    assert "Строка 3: «сто» — не процент от 0 до 100." in reply.text
    assert await _figures(app) == {world.school_ids["lyc1"]: 899}  # nothing half-imported

    reply = await coordinator.upload("заполненность.csv", GOOD.encode())
    assert "Данные загружены: организаций — 4." in reply.texts[0]
    overview = reply.texts[-1]
    assert "низкий: 2, средний: 1, высокий: 1" in overview
    lines = [line for line in overview.splitlines() if line and line[0] in "🔴🟡🟢"]
    assert [line[:1] for line in lines] == ["🔴", "🔴", "🟡", "🟢"]
    assert "СОШ № 8" in lines[0] and "60 %" in lines[0]  # the lowest first
    assert "79,9 %" in lines[1]

    before = {tg: len(fake_api.bot_messages(tg)) for tg in chats}
    reply = await coordinator.click("Напомнить низким")
    assert "организаций с низким уровнем: 2" in reply.text
    await coordinator.click("Напомнить низким")  # twice the same day: no doubles

    def reminded() -> set[int]:
        return {
            tg
            for tg in chats
            if any("ниже 80 %" in m.text for m in fake_api.bot_messages(tg)[before[tg] :])
        }

    await app.deliver_due()
    assert reminded() == {704}  # 10:00 in Yuzhno-Sakhalinsk, 06:00 in Tomsk: quiet hours
    clock.set(dt.datetime(2026, 10, 6, 8, 0, tzinfo=ZoneInfo("Asia/Tomsk")))
    await app.deliver_due()
    assert reminded() == {702, 704}
    assert sum("ниже 80 %" in m.text for m in fake_api.bot_messages(704)) == 1


async def test_school_year_switch_reminders_at_local_ten(
    app: App,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    await three_zone_region(app, grant_role)
    for tg, _zone in SCHOOLS.values():
        make_chat(tg)
    clock.set(dt.datetime(2027, 3, 28, tzinfo=dt.UTC))
    assert await app.plan_data_calendars() > 0
    assert await app.plan_data_calendars() == 0  # planned once
    for tg, zone in ((701, "Asia/Sakhalin"), (702, "Asia/Tomsk"), (703, "Europe/Moscow")):
        ten = dt.datetime(2027, 4, 1, 10, 0, tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)
        count = len(fake_api.bot_messages(tg))
        clock.set(ten - dt.timedelta(minutes=1))
        await app.deliver_due()
        assert len(fake_api.bot_messages(tg)) == count, f"{tg} reminded before 10:00 local"
        clock.set(ten)
        await app.deliver_due()
        new = fake_api.bot_messages(tg)[count:]
        assert any("возможен с 1 апреля" in m.text for m in new), tg
