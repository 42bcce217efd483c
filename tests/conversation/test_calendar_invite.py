"""An invitation to a data-calendar role for one calendar (issue 14): the municipal office
invites a school's data operator for «Паспорт школы» only; the grant holds that calendar, and
the person sees only its steps. Forged picker buttons are refused and make no invitation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bot.app import App
from calendars.clock import FixedClock
from models.enums import Role
from models.invitations import Invitation
from models.people import RoleGrant
from tests.support.app import grant
from tests.support.calendar_world import HEADER, START, calendar_world, user_id_of
from tests.support.chat import ChatDriver, forged_click
from ui.callbacks.staff import InvCalCb

LINK = re.compile(r"https://t\.me/olymp_offline_bot\?start=(inv_[A-Za-z0-9_-]+)")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


async def test_an_invitation_for_one_calendar(
    app: App,
    make_chat,
    clock: FixedClock,  # type: ignore[no-untyped-def]
) -> None:
    world = await calendar_world(app)
    await grant(app, 7010, Role.MUNICIPAL_OFFICE, region_id=world.tomsk_region,
                municipality_id=world.tomsk_municipality, name="МОУО Кедровый")  # fmt: skip
    office: ChatDriver = make_chat(7010, first_name="МОУО")
    # A ВПР plan for the municipality, so that the school has steps in both calendars.
    await office.send("/vpr")
    plan = HEADER + "Математика;5;15.10.2024;19.10.2024\n"
    assert "План-график загружен" in (await office.upload("plan.csv", plan.encode())).text

    await office.send("/invite")
    await office.click("Ответственный за данные в школе")
    picker = await office.click("Кедровская СОШ № 1")
    assert "Для каких календарей?" in picker.text
    assert picker.buttons[:3] == ["Все календари", "Паспорт школы", "ВПР в ФИС ОКО"]
    created = await office.click("Паспорт школы")
    assert "Календари: Паспорт школы" in created.text
    found = LINK.search(created.text)
    assert found is not None, created.text
    pending = await office.send("/invites")
    assert "Паспорт школы" in pending.text

    newcomer: ChatDriver = make_chat(7050, first_name="Вера", last_name="Оператор")
    welcome = await newcomer.send(f"/start {found.group(1)}")
    assert "Календари: Паспорт школы" in welcome.text
    holder = await user_id_of(app, 7050)
    async with app.sessionmaker() as session:
        held = (await session.scalars(select(RoleGrant).where(RoleGrant.user_id == holder))).one()
    assert (held.role, held.school_id, held.calendar) == (
        Role.DATA_OPERATOR,
        world.schools["tomsk"],
        "school_passport",
    )
    # The inviter is told which calendar the accepted role covers.
    async with app.sessionmaker() as session:
        from models.outbox import Outbox

        notices = list(await session.scalars(
            select(Outbox.text).where(Outbox.user_id == await user_id_of(app, 7010))
        ))  # fmt: skip
    assert any("Вера Оператор" in n and "Календари: Паспорт школы" in n for n in notices)

    # The staff list of the region names the calendar beside the role.
    await grant(app, 7099, Role.REGIONAL, region_id=world.tomsk_region, name="Координатор")
    staff = await make_chat(7099, first_name="Координатор").send("/staff")
    assert "Вера Оператор</b> — ответственный за данные в школе · Паспорт школы" in staff.html

    # The person sees the passport's steps only: in /steps and in /due.
    menu = await newcomer.send("/steps")
    assert any(b.startswith("📝 Паспорт школы") for b in menu.buttons)
    assert not any("ВПР" in b for b in menu.buttons)
    due = await newcomer.send("/due")
    assert "Внесение и актуализация общих сведений" in due.text
    assert "ВПР" not in due.text
    # The school's own ВПР steps are refused to them, even by a forged button.
    from ui.callbacks.calendar_steps import CsAct, CsCb

    board = CsCb(act=CsAct.BOARD, cal="v", school=world.schools["tomsk"]).pack()
    reply = await forged_click(newcomer, board)
    assert reply.alert and "нет прав" in reply.alert


async def test_forged_calendar_picks_make_no_invitation(
    app: App,
    make_chat,
    clock: FixedClock,  # type: ignore[no-untyped-def]
) -> None:
    world = await calendar_world(app)
    await grant(app, 7010, Role.MUNICIPAL_OFFICE, region_id=world.tomsk_region,
                municipality_id=world.tomsk_municipality, name="МОУО Кедровый")  # fmt: skip
    office: ChatDriver = make_chat(7010, first_name="МОУО")
    await office.send("/invite")
    tomsk, moscow = world.schools["tomsk"], world.schools["moscow"]
    for data, refusal in (
        (InvCalCb(role="data_operator", id=tomsk, cal="olympiad"), "больше недоступен"),
        (InvCalCb(role="data_operator", id=tomsk, cal="x" * 30), "больше недоступен"),
        (InvCalCb(role="curator", id=tomsk, cal="vpr"), "больше недоступен"),
        (InvCalCb(role="admin", id=tomsk), "больше недоступен"),
        (InvCalCb(role="data_operator", id=moscow, cal="vpr"), "нет прав"),
        (InvCalCb(role="municipal_office", id=world.tomsk_municipality), "нет прав"),
    ):
        reply = await forged_click(office, data.pack())
        assert reply.alert and refusal in reply.alert, (data, reply.alert)
    async with app.sessionmaker() as session:
        made = await session.scalar(select(func.count()).select_from(Invitation))
    assert made == 0
