"""The data calendars played through the real dispatcher: «Паспорт школы» (seed 002) and ВПР
(seed 003). Schools in Sakhalin, Tomsk and Moscow; their data operators mark steps done (with
the signed form where the step needs one), the municipal office and the regional centre watch
who lags, and nudges arrive at 08:00 each school's own time (the end of the quiet hours)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.app import App
from calendars.clock import FixedClock
from models.calendar_steps import StepMark
from models.enums import Role
from models.geo import Municipality, School
from models.outbox import Outbox, OutboxStatus
from offline.api_server import FakeBotAPI
from tests.support.app import grant
from tests.support.calendar_world import HEADER, START, calendar_world, make_operator, user_id_of
from tests.support.chat import ChatDriver

UTC = dt.UTC
ZONES = {"sakhalin": "Asia/Sakhalin", "tomsk": "Asia/Tomsk", "moscow": "Europe/Moscow"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


async def test_school_passport_season(
    app: App,
    make_chat,
    fake_api: FakeBotAPI,
    clock: FixedClock,  # type: ignore[no-untyped-def]
) -> None:
    world = await calendar_world(app)
    operators = {"sakhalin": 7001, "tomsk": 7002, "moscow": 7003}
    for key, tg_id in operators.items():
        await make_operator(app, tg_id, world.schools[key])
    await make_operator(app, 7004, world.schools["tomsk2"])
    await grant(app, 7010, Role.MUNICIPAL_OFFICE, region_id=world.tomsk_region,
                municipality_id=world.tomsk_municipality, name="МОУО Кедровый")  # fmt: skip

    # Every operator has written to the bot once (Telegram delivers only to known chats).
    for tg_id in (7001, 7003):
        await make_chat(tg_id, first_name="Оператор").send("/due")
    # The operator of a Tomsk school: /due lists the passport's first steps, Tomsk time.
    tomsk: ChatDriver = make_chat(7002, first_name="Оператор")
    due = await tomsk.send("/due")
    assert "Внесение и актуализация общих сведений" in due.text
    assert "30 сентября 2024, 23:59" in due.text
    # The .ics holds the same steps, with UIDs that stay the same across exports.
    first = (await tomsk.send("/calendar")).documents[0]
    second = (await tomsk.send("/calendar")).documents[0]
    uids = [
        sorted(str(e["UID"]) for e in Calendar.from_ical(doc.content).walk("VEVENT"))
        for doc in (first, second)
    ]
    school = world.schools["tomsk"]
    assert f"school_passport-school_details-s{school}@olymp-bot" in uids[0]
    assert uids[0] == uids[1]

    # Nudges: a week before 30 September, at 08:00 in each school's own zone.
    assert await app.plan_calendar_nudges() > 0
    assert await app.plan_calendar_nudges() == 0  # planning again is a no-op
    async with app.sessionmaker() as session:
        rows = list(await session.scalars(
            select(Outbox).where(Outbox.key.like("msg:cs:school_passport:school_details:%"))
        ))  # fmt: skip
    assert len({row.user_id for row in rows}) == 4  # every school's operator
    for key, zone in ZONES.items():
        user = await user_id_of(app, operators[key])
        local = sorted(r.due_at.astimezone(ZoneInfo(zone)) for r in rows if r.user_id == user)
        # A week and a day before the end of 30 September, moved out of the night to 08:00.
        assert [(t.day, t.hour, t.minute) for t in local] == [(24, 8, 0), (30, 8, 0)], key

    # The Tomsk operator marks 30 September done: the signed form is required, as a document.
    await tomsk.send("/steps")
    board = await tomsk.click("Паспорт школы")
    assert "Кедровская СОШ № 1" in board.text and "выполнено 0 из" in board.text
    card = await tomsk.click("Внесение и актуализация")
    assert "Нужна подписанная форма выверки" in card.text
    ask = await tomsk.click("✅ Отметить выполненным")
    assert "подписанную форму выверки документом" in ask.text
    refused = await tomsk.send("вот форма")
    assert "Это не документ" in refused.text
    done = await tomsk.upload("vyverka.pdf", b"%PDF-1.4 signed form")
    assert "Отмечено как выполненное" in done.text and "vyverka.pdf" in done.text
    async with app.sessionmaker() as session:
        mark = (await session.scalars(select(StepMark))).one()
    assert mark.file_id and mark.file_name == "vyverka.pdf" and mark.done_at == START
    assert mark.done_by_id == await user_id_of(app, 7002)
    # Its pending nudge is cancelled; the other schools' stay.
    async with app.sessionmaker() as session:
        statuses = {
            row.key.split(":u")[1].split(":")[0]: row.status
            for row in await session.scalars(
                select(Outbox).where(Outbox.key.like("msg:cs:school_passport:school_details:%"))
            )
        }
    assert statuses[str(await user_id_of(app, 7002))] == OutboxStatus.CANCELLED
    assert statuses[str(await user_id_of(app, 7004))] == OutboxStatus.PENDING

    # /mydata names the role and the marks made.
    mydata = await tomsk.send("/mydata")
    assert "ответственный за данные школы" in mydata.text
    assert "шаги календарей, отмеченные вами как выполненные" in mydata.text

    # A step without the form is marked in one press.
    await tomsk.send("/steps")
    await tomsk.click("Паспорт школы")
    await tomsk.click("Внесение данных об обучающихся 1–8")
    marked = await tomsk.click("✅ Отметить выполненным")
    assert "Выполнено:" in marked.text

    # The municipal office sees its two schools, the one behind first, once it is overdue.
    clock.set(dt.datetime(2024, 10, 2, 3, 0, tzinfo=UTC))
    office: ChatDriver = make_chat(7010, first_name="МОУО")
    await office.send("/steps")
    lag = await office.click("📊 Паспорт школы: школы")
    lines = [line for line in lag.text.splitlines() if line[:2] in ("1.", "2.")]
    assert "Кедровская СОШ № 2" in lines[0] and "Кедровская СОШ № 1" in lines[1]
    assert "просрочено: 1" in lag.text
    assert "Школа № 57" not in lag.text  # Moscow is not in the office's scope

    # Delivery: the Sakhalin school's nudge went out at 08:00 Sakhalin time on 24 September.
    clock.set(dt.datetime(2024, 9, 24, 8, 0, tzinfo=ZoneInfo("Asia/Sakhalin")))
    before = len(fake_api.bot_messages(7001))
    await app.deliver_due()
    sent = fake_api.bot_messages(7001)[before:]
    assert len(sent) == 1 and "Ещё не выполнено" in sent[0].text
    assert len(fake_api.bot_messages(7003)) == 1  # its /due only: Moscow's 08:00 is later


async def test_vpr_season(app: App, make_chat, fake_api: FakeBotAPI, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    world = await calendar_world(app)
    for key, tg_id in {"sakhalin": 7101, "tomsk": 7102, "tomsk2": 7104, "moscow": 7103}.items():
        await make_operator(app, tg_id, world.schools[key])
    await grant(app, 7110, Role.MUNICIPAL_OFFICE, region_id=world.tomsk_region,
                municipality_id=world.tomsk_municipality, name="МОУО Кедровый")  # fmt: skip
    office: ChatDriver = make_chat(7110, first_name="МОУО")
    ask = await office.send("/vpr")
    assert "План-график ВПР" in ask.text
    bad = HEADER + "Математика;5;15.10.2024;14.10.2024\nИстория;13;16.10.2024;20.10.2024\n"
    reply = await office.upload("plan.csv", bad.encode())
    assert "Ничего не загружено" in reply.text
    assert "Строка 2" in reply.text and "Строка 3" in reply.text
    async with app.sessionmaker() as session:
        from models.calendar_steps import PlanWork

        assert list(await session.scalars(select(PlanWork))) == []
    good = HEADER + "Математика;5;15.10.2024;19.10.2024\nИстория;6;16.10.2024;20.10.2024\n"
    reply = await office.upload("plan.csv", good.encode())
    assert "План-график загружен: работ — 2, школ — 2" in reply.text

    # The Tomsk operator: upload by 23:00 Moscow = 03:00 the next day in Tomsk.
    tomsk: ChatDriver = make_chat(7102, first_name="Оператор")
    await tomsk.send("/steps")
    board = await tomsk.click("ВПР")
    # The history work is encrypted: its key at 07:30 Tomsk time.
    assert "16 октября 2024, 07:30" in board.text
    card = await tomsk.click("Математика, 5: Загрузка формы")
    assert "20 октября 2024, 03:00 (19 октября, 23:00 по московскому времени)" in card.text
    marked = await tomsk.click("✅ Отметить выполненным")
    assert "Выполнено:" in marked.text
    # Materials are a notice, not something to mark.
    await tomsk.click("« Шаги")
    info = await tomsk.click("Математика, 5: Архив")
    assert "Отмечать нечего" in info.text and "Отметить выполненным" not in info.buttons

    # After U the office sees the school that has not uploaded first.
    clock.set(dt.datetime(2024, 10, 21, 3, 0, tzinfo=UTC))
    await office.send("/steps")
    lag = await office.click("📊 ВПР в ФИС ОКО: школы")
    lines = [line for line in lag.text.splitlines() if line[:2] in ("1.", "2.")]
    assert "Кедровская СОШ № 2" in lines[0], lag.text
    assert "просрочено: 2" in lag.text and "просрочено: 1" in lag.text

    # Sakhalin: the regional centre uploads a plan for its region; 23:00 Moscow is 07:00 there.
    clock.set(START)
    async with app.sessionmaker() as session:
        sakhalin = await session.get(School, world.schools["sakhalin"])
        assert sakhalin is not None
        muni = await session.get(Municipality, sakhalin.municipality_id)
        assert muni is not None
    await grant(app, 7120, Role.REGIONAL_CENTRE, region_id=muni.region_id, name="РЦОИ")
    centre: ChatDriver = make_chat(7120, first_name="РЦОИ")
    await centre.send("/vpr")
    reply = await centre.upload("plan.csv", good.encode())
    assert "План-график загружен" in reply.text
    sakhalin_chat: ChatDriver = make_chat(7101, first_name="Оператор")
    await sakhalin_chat.send("/steps")
    await sakhalin_chat.click("ВПР")
    card = await sakhalin_chat.click("Математика, 5: Загрузка формы")
    assert "20 октября 2024, 07:00 (19 октября, 23:00 по московскому времени)" in card.text
    clock.set(dt.datetime(2024, 10, 12, 3, 0, tzinfo=UTC))
    await app.plan_calendar_nudges()
    async with app.sessionmaker() as session:
        rows = list(await session.scalars(
            select(Outbox).where(Outbox.key.like("msg:cs:vpr:%results_uploaded:%"))
        ))  # fmt: skip
    user = await user_id_of(app, 7101)
    mine = sorted(
        r.due_at.astimezone(ZoneInfo("Asia/Sakhalin")) for r in rows if r.user_id == user
    )
    # Mathematics (U 19 October: 07:00 on the 20th there) and history (U 20 October): a week
    # and a day before 07:00, which is still quiet, so at 08:00.
    assert [(m.day, m.hour) for m in mine] == [(13, 8), (14, 8), (19, 8), (20, 8)], mine
