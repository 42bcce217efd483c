"""The steps a municipal office does itself (issue 14): «Паспорт школы» rows whose responsible
level is `МОУО`. The Tomsk office is nudged before the date, marks its step done in /steps and
its nudges stop; the Moscow office, the Tomsk regional centre and a school's operator are refused
whatever button they forge."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import App
from calendars.clock import FixedClock
from models.calendar_steps import ORG_MUNICIPALITY, StepMark
from models.enums import Role
from models.geo import School
from models.outbox import Outbox, OutboxStatus
from tests.support.app import grant
from tests.support.calendar_world import calendar_world, make_operator, user_id_of
from tests.support.chat import ChatDriver, forged_click
from ui.callbacks.calendar_steps import CoAct, CoCb

# 5 April 2025, 10:00 in Tomsk: nine days before the offices' ГИА-11 staff proposals (14 April).
START = dt.datetime(2025, 4, 5, 3, 0, tzinfo=dt.UTC)
TOMSK = ZoneInfo("Asia/Tomsk")
STEP = "staff_proposals_gia11"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


async def _nudges(app: App, municipality_id: int) -> list[Outbox]:
    prefix = f"msg:cs:school_passport:{STEP}:m{municipality_id}:"
    async with app.sessionmaker() as session:
        return list(await session.scalars(select(Outbox).where(Outbox.key.startswith(prefix))))


async def test_the_office_marks_its_own_step_and_others_are_refused(
    app: App,
    make_chat,
    clock: FixedClock,  # type: ignore[no-untyped-def]
) -> None:
    world = await calendar_world(app)
    async with app.sessionmaker() as session:
        moscow = await session.get(School, world.schools["moscow"])
        assert moscow is not None
        moscow_muni = moscow.municipality_id
    tomsk_muni = world.tomsk_municipality
    await grant(app, 7010, Role.MUNICIPAL_OFFICE, region_id=world.tomsk_region,
                municipality_id=tomsk_muni, name="МОУО Кедровый")  # fmt: skip
    await grant(app, 7011, Role.MUNICIPAL_OFFICE, municipality_id=moscow_muni, name="МОУО Москва")
    await grant(app, 7020, Role.REGIONAL_CENTRE, region_id=world.tomsk_region, name="РЦОИ")
    await make_operator(app, 7002, world.schools["tomsk"])
    office: ChatDriver = make_chat(7010, first_name="МОУО")
    foreign: ChatDriver = make_chat(7011, first_name="МОУО")
    centre: ChatDriver = make_chat(7020, first_name="РЦОИ")
    operator: ChatDriver = make_chat(7002, first_name="Оператор")
    for chat in (office, foreign, centre, operator):
        await chat.send("/due")
    assert "предложения по распределению работников по ППЭ" in (await office.send("/due")).text

    # Nudges: to each office about its own step, at 08:00 Tomsk time (the end of quiet hours).
    assert await app.plan_calendar_nudges() > 0
    ours = await _nudges(app, tomsk_muni)
    assert {r.user_id for r in ours} == {await user_id_of(app, 7010)}
    assert [r.due_at.astimezone(TOMSK).hour for r in ours] == [8] * len(ours)
    assert await _nudges(app, moscow_muni)

    # The office's own board in /steps; the step is marked done in one press.
    await office.send("/steps")
    board = await office.click("📝 Паспорт школы · Город tomsk")
    assert "выполнено 0 из 2" in board.text
    card = await office.click("ГИА-11: предложения")
    assert "Город tomsk" in card.text and "14 апреля 2025, 23:59" in card.text
    marked = await office.click("✅ Отметить выполненным")
    assert "Выполнено:" in marked.text and "МОУО Кедровый" in marked.text
    assert "✅ Отметить выполненным" not in marked.buttons
    assert {r.status for r in await _nudges(app, tomsk_muni)} == {OutboxStatus.CANCELLED}
    assert {r.status for r in await _nudges(app, moscow_muni)} == {OutboxStatus.PENDING}
    assert await app.plan_calendar_nudges() == 0  # done: nothing planned again
    due = await office.send("/due")
    assert "ГИА-11: предложения" not in due.text and "ГИА-9: предложения" in due.text

    # Anyone else is refused, whatever they forge: another municipality's office, the regional
    # centre above (it watches, it does not mark), a school's operator.
    done = CoCb(act=CoAct.DONE, cal="p", org="m", id=tomsk_muni, item="staff_proposals_gia9")
    for chat in (foreign, centre, operator):
        reply = await forged_click(chat, done.pack())
        assert reply.alert and "нет прав" in reply.alert
    step = done.model_copy(update={"act": CoAct.STEP})
    for chat in (foreign, operator):
        reply = await forged_click(chat, step.pack())
        assert reply.alert and "нет прав" in reply.alert
    # The centre sees the card, without the button.
    watched = await forged_click(centre, step.pack())
    assert "ГИА-9: предложения" in watched.text
    assert "✅ Отметить выполненным" not in centre.buttons
    for data in (
        CoCb(act=CoAct.DONE, cal="p", org="x", id=tomsk_muni, item=STEP).pack(),
        CoCb(act=CoAct.DONE, cal="q", org="m", id=tomsk_muni, item=STEP).pack(),
    ):
        reply = await forged_click(office, data)
        assert reply.alert and "больше недоступен" in reply.alert
    reply = await forged_click(
        office, CoCb(act=CoAct.DONE, cal="p", org="m", id=tomsk_muni, item="school_details").pack()
    )
    assert reply.alert and "больше нет в календаре" in reply.alert

    # The regional centre's own steps are its to mark (here one already past its date).
    await centre.send("/steps")
    board = await centre.click("📝 Паспорт школы · Томская область")
    assert "ГИА-11: определение пунктов проведения экзаменов" in board.text
    assert "ГИА-11: предложения" not in board.text  # the offices' rows are not the centre's
    await centre.click("ГИА-11: определение пунктов")
    marked = await centre.click("✅ Отметить выполненным")
    assert "Выполнено:" in marked.text and "РЦОИ" in marked.text
    centre_step = CoCb(
        act=CoAct.DONE, cal="p", org="r", id=world.tomsk_region, item="exam_assignment_gia11"
    )
    reply = await forged_click(office, centre_step.pack())
    assert reply.alert and "нет прав" in reply.alert
    async with app.sessionmaker() as session:
        marks = list(
            await session.scalars(select(StepMark).where(StepMark.org_kind == ORG_MUNICIPALITY))
        )
    assert [(m.org_kind, m.org_id, m.item) for m in marks] == [
        (ORG_MUNICIPALITY, tomsk_muni, STEP)
    ]
