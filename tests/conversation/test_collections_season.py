"""A ФИС ОКО data collection's season (seed 004) through the real dispatcher and the strict fake
Bot API: opened in Moscow time, organisations start and submit, the coordinator watches the
totals, the organisations not started are nudged at 10:00 of their own day in Yuzhno-Sakhalinsk,
Tomsk and Moscow, and the .xlsx report arrives from the background."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.app import App
from calendars.clock import FixedClock
from models.audit import AuditEntry
from models.collections import Collection, CollectionOrg, CollectionReport, OrgState
from models.outbox import Outbox, OutboxKind, OutboxStatus
from offline.api_server import FakeBotAPI
from tests.support.chat import ChatDriver, forged_click
from tests.support.collections_world import COORDINATOR, SCHOOLS, three_zone_region
from ui.callbacks.collections import ColAct, ColCb

UTC = dt.UTC
OPENS = dt.datetime(2026, 10, 6, 7, 0, tzinfo=UTC)  # 06.10.2026 10:00 Moscow time


def _at(day: int, zone: str) -> dt.datetime:
    """10:00 on a day of October 2026 in a zone."""
    return dt.datetime(2026, 10, day, 10, 0, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def _nudged(app: App, fake_api: FakeBotAPI, clock: FixedClock, at: dt.datetime) -> set[int]:
    """Who got a nudge when the clock reached `at` (and nobody a minute before)."""
    before = {tg: len(fake_api.bot_messages(tg)) for tg, _z in SCHOOLS.values()}
    clock.set(at - dt.timedelta(minutes=1))
    await app.deliver_due()
    early = {tg for tg, n in before.items() if len(fake_api.bot_messages(tg)) > n}
    assert not early, f"nudged before 10:00 local: {early}"
    clock.set(at)
    await app.deliver_due()
    got = set()
    for tg, count in before.items():
        new = fake_api.bot_messages(tg)[count:]
        if any("не приступила" in m.text for m in new):
            got.add(tg)
    return got


async def _wait_document(fake_api: FakeBotAPI, tg_id: int) -> bytes:
    for _try in range(100):
        for message in fake_api.bot_messages(tg_id):
            if message.document is not None and message.document.file_name.endswith(".xlsx"):
                return message.document.content
        await asyncio.sleep(0.05)
    raise AssertionError("the report never arrived")


async def _open_collection(coordinator: ChatDriver) -> None:
    reply = await coordinator.send("/collections")
    assert "Сборы данных" in reply.text
    reply = await coordinator.click("Открыть сбор")
    assert "название" in reply.text
    await coordinator.send("Сбор расписания ВПР 2026")
    reply = await coordinator.send("31.02.2026 10:00")
    assert "не дата и время" in reply.text  # refused; the question stands
    reply = await coordinator.send("06.10.2026 10:00")
    assert "закрывается" in reply.text
    reply = await coordinator.send("10.10.2026 18:00")
    assert "Каких организаций" in reply.text
    reply = await coordinator.click("Все организации моей территории")
    assert "шаблона" in reply.text
    reply = await coordinator.upload("шаблон.xlsx", b"PK\x03\x04 template")
    assert "Всего: 4" in reply.text and "Не приступило: 4" in reply.text
    # Read in Yuzhno-Sakhalinsk with the Moscow time beside it.
    assert "6 октября 2026, 18:00 (6 октября, 10:00" in reply.text


async def test_a_collection_season(  # noqa: PLR0915 - one season, told in order
    app: App,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    await three_zone_region(app, grant_role)
    coordinator = make_chat(COORDINATOR)
    sosh1, moscow = make_chat(701), make_chat(703)
    for tg in (702, 704):
        make_chat(tg)
    await _open_collection(coordinator)

    clock.set(OPENS)
    await app.deliver_due()
    for tg, _zone in SCHOOLS.values():
        texts = [m.text for m in fake_api.bot_messages(tg)]
        assert any("Сбор данных: Сбор расписания ВПР 2026" in t for t in texts), tg
    # Each reader sees the close in their own zone, and the Moscow time beside it.
    assert "10 октября 2026, 22:00 (10 октября, 18:00" in fake_api.bot_messages(702)[-1].text
    assert "10 октября 2026, 18:00" in fake_api.bot_messages(703)[-1].text

    reply = await sosh1.click("Открыть сбор")
    assert "Статус: Не приступил" in reply.text
    reply = await sosh1.click("В работе")
    assert "Статус: В работе" in reply.text and "Начало работы" in reply.text
    reply = await sosh1.click("Сдано")
    assert "Статус: Сдано" in reply.text
    reply = await sosh1.click("В работе")  # a step back asks first
    assert "Вернуть «Сдано» в «В работе»" in reply.text
    reply = await sosh1.click("Да, вернуть")
    assert "Статус: В работе" in reply.text
    reply = await sosh1.click("Сдано")
    assert "Статус: Сдано" in reply.text
    reply = await sosh1.click("Шаблон")
    assert [d.file_name for d in reply.documents] == ["шаблон.xlsx"]

    # 10:00 local on the organisation's day three days before its closing day.
    assert await _nudged(app, fake_api, clock, _at(7, "Asia/Tomsk")) == {702}
    assert await _nudged(app, fake_api, clock, _at(7, "Europe/Moscow")) == {703}
    # 18:00 Moscow time on 10 October is 02:00 on 11 October in Yuzhno-Sakhalinsk.
    assert await _nudged(app, fake_api, clock, _at(8, "Asia/Sakhalin")) == {704}
    reply = await moscow.click("Открыть сбор")
    reply = await moscow.click("В работе")
    assert "Статус: В работе" in reply.text
    assert await _nudged(app, fake_api, clock, _at(9, "Asia/Tomsk")) == {702}
    assert await _nudged(app, fake_api, clock, _at(9, "Europe/Moscow")) == set()  # it started
    assert await _nudged(app, fake_api, clock, _at(10, "Asia/Sakhalin")) == {704}
    assert await app.deliver_due() == 0  # no doubles
    assert not any("не приступила" in m.text for m in fake_api.bot_messages(701))

    reply = await coordinator.send("/collections")
    reply = await coordinator.click("Сбор расписания ВПР 2026")
    assert "Всего: 4" in reply.text
    assert "Не приступило: 2" in reply.text
    assert "В работе: 1" in reply.text
    assert "Сдано: 1" in reply.text
    reply = await coordinator.click("Организации")
    lines = [line for line in reply.text.splitlines() if line and line[0] in "⚪🟡🟢"]
    assert [line.split(":")[-1].strip()[:12] for line in lines][:2] == ["Не приступил"] * 2
    assert lines[-1].startswith("🟢") and "Сдано" in lines[-1]

    await coordinator.click("Итоги")
    reply = await coordinator.click("Отчёт (.xlsx)")
    content = await _wait_document(fake_api, COORDINATOR)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Статус" and rows[0][5] == "Дата подачи (МСК)"
    states = sorted(str(row[3]) for row in rows[1:])
    assert states == ["В работе", "Не приступил", "Не приступил", "Сдано"]
    submitted = next(row for row in rows[1:] if row[3] == "Сдано")
    assert submitted[0] == "sosh1" and isinstance(submitted[5], dt.datetime)
    assert submitted[5] == OPENS.astimezone(ZoneInfo("Europe/Moscow")).replace(tzinfo=None)
    assert any("готов" in m.text for m in fake_api.bot_messages(COORDINATOR)[-2:])

    async with app.sessionmaker() as session:
        changes = await session.scalar(
            select(func.count()).where(AuditEntry.action == "collection_state")
        )
        backwards = await session.scalar(
            select(func.count()).where(
                AuditEntry.action == "collection_state", AuditEntry.exceptional.is_(True)
            )
        )
    assert (changes, backwards) == (5, 1)


async def test_the_opening_notice_brings_the_template_through_the_outbox(
    app: App,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    """Issue 14 §3: each responsible person gets the notice with the template file attached,
    sent by the delivery worker when the collection opens, not by the coordinator's update."""
    await three_zone_region(app, grant_role)
    coordinator = make_chat(COORDINATOR)
    for tg, _zone in SCHOOLS.values():
        make_chat(tg)
    await _open_collection(coordinator)
    for tg, _zone in SCHOOLS.values():
        assert fake_api.bot_messages(tg) == [], "nothing goes out before the collection opens"
    async with app.sessionmaker() as session:
        template = await session.scalar(select(Collection.template_file_id))
        queued = list(await session.scalars(select(Outbox.status).where(
            Outbox.kind == OutboxKind.DOCUMENT, Outbox.key.like("msg:col:%:open:%"))))  # fmt: skip
    assert template and queued == [OutboxStatus.PENDING] * len(SCHOOLS)

    since = len(fake_api.calls)
    clock.set(OPENS)
    assert await app.deliver_due() == len(SCHOOLS)
    sent = [c for c in fake_api.calls[since:] if c.method == "sendDocument"]
    # The file Telegram already has, by its id: no upload per person.
    assert sorted(c.chat_id or 0 for c in sent) == sorted(tg for tg, _z in SCHOOLS.values())
    assert {c.params["document"] for c in sent} == {template}
    for tg, _zone in SCHOOLS.values():
        [notice] = fake_api.bot_messages(tg)
        assert notice.document is not None and notice.document.file_name == "шаблон.xlsx"
        assert notice.document.content == b"PK\x03\x04 template"
        assert "Сбор данных: Сбор расписания ВПР 2026" in notice.text  # the caption
        assert "Файл шаблона приложен." in notice.text
    assert await app.deliver_due() == 0  # once

    # The buttons under the file still work: a screen comes as a new message, the file stays.
    sosh1 = make_chat(701)
    reply = await sosh1.click("Открыть сбор")
    assert "Статус: Не приступил" in reply.text
    assert fake_api.bot_messages(701)[0].document is not None
    reply = await sosh1.click("Шаблон")
    assert [d.file_name for d in reply.documents] == ["шаблон.xlsx"]


async def test_a_collection_for_chosen_organisations(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    await three_zone_region(app, grant_role)
    coordinator = make_chat(COORDINATOR)
    await coordinator.send("/collections")
    await coordinator.click("Открыть сбор")
    await coordinator.send("Сбор сведений о кадрах")
    await coordinator.send("06.10.2026 10:00")
    reply = await coordinator.send("10.10.2026 18:00")
    assert "коды организаций через запятую" in reply.text
    reply = await coordinator.send("sosh1, nope")
    assert "нет организаций с такими кодами: nope" in reply.text
    reply = await coordinator.send("SOSH1; gym1")
    assert "шаблона" in reply.text
    reply = await coordinator.click("Без шаблона")
    assert "Всего: 2" in reply.text and "Не приступило: 2" in reply.text
    outsider = make_chat(705)
    reply = await outsider.send("/collections")
    assert "Сборы данных вас не касаются" in reply.text


async def test_others_cannot_act_for_an_organisation_or_coordinate(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    world = await three_zone_region(app, grant_role)
    coordinator, curator = make_chat(COORDINATOR), make_chat(701)
    await _open_collection(coordinator)
    reply = await curator.send("/collections")
    assert "Открыть сбор" not in curator.buttons
    gym1 = world.school_ids["gym1"]
    for data in (
        ColCb(act=ColAct.SET, c=1, s=gym1, st="s").pack(),  # another school's state
        ColCb(act=ColAct.REPORT, c=1).pack(),
        ColCb(act=ColAct.CARD, c=1).pack(),
        ColCb(act=ColAct.NEW).pack(),
    ):
        reply = await forged_click(curator, data)
        assert reply.alert and ("нет прав" in reply.alert or "открывают" in reply.alert), data
    async with app.sessionmaker() as session:
        states = set(await session.scalars(select(CollectionOrg.state)))
        jobs = await session.scalar(select(func.count()).select_from(CollectionReport))
    assert states == {OrgState.NOT_STARTED} and jobs == 0
