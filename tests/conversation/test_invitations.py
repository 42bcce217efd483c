"""/invite → role → place → link; the link opened by the invitee; /invites takes one back."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.enums import Role
from models.people import RoleGrant
from tests.support.chat import ChatDriver
from tests.support.staff_chat import (
    extra_routers,
    outbox_texts,
    person_as,
    places,
    user_of,
)

__all__ = ["extra_routers"]
LINK = re.compile(r"https://t\.me/olymp_offline_bot\?start=(inv_[A-Za-z0-9_-]+)")


async def test_municipal_invites_a_curator_who_accepts(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, me = await person_as(app, make_chat, "municipal", where)
    assert me is not None
    reply = await coordinator.send("/invite")
    assert reply.text.startswith("Пригласить сотрудника")
    assert reply.buttons == ["Школьный куратор"]
    reply = await coordinator.click("Школьный куратор")
    # One municipality: the list starts at its schools.
    assert "Выберите школу" in reply.text
    assert where.school_name in reply.buttons
    assert "Томская гимназия № 1" not in reply.buttons
    reply = await coordinator.click(where.school_name)
    found = LINK.search(reply.text)
    assert found is not None, reply.text
    code = found.group(1)
    assert len(code) <= 64
    # 72 hours after 10:00 on 6 October in Yuzhno-Sakhalinsk.
    assert "9 октября 2026, 10:00" in reply.text

    newcomer = make_chat(3101, first_name="Ксения", last_name="Новикова")
    reply = await newcomer.send(f"/start {code}")
    assert reply.text.startswith("✅ Добро пожаловать! Теперь вы школьный куратор")
    assert where.school_name in reply.text
    assert "/help" in reply.text
    holder = await user_of(app, 3101)
    async with app.sessionmaker() as session:
        grant = await session.scalar(select(RoleGrant).where(RoleGrant.user_id == holder.id))
    assert grant is not None
    assert (grant.role, grant.school_id, grant.granted_by_id) == (
        Role.CURATOR,
        where.school,
        me.id,
    )
    [notice] = await outbox_texts(app, me.id)
    assert "Ксения Новикова" in notice

    stranger = make_chat(3102, first_name="Чужой")
    reply = await stranger.send(f"/start {code}")
    assert reply.text == "Это приглашение уже использовано. Попросите новое."
    reply = await newcomer.send(f"/start {code}")
    assert "роль уже ваша" in reply.text
    reply = await stranger.send("/start inv_" + "Q" * 22)
    assert reply.text.startswith("Ссылка-приглашение недействительна")


async def test_invites_lists_and_takes_back(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, _me = await person_as(app, make_chat, "municipal", where)
    await coordinator.send("/invite")
    await coordinator.click("Школьный куратор")
    found = LINK.search((await coordinator.click(where.school_name)).text)
    assert found is not None
    reply = await coordinator.send("/invites")
    assert "Ваши неиспользованные приглашения" in reply.text
    assert "школьный куратор · " + where.school_name in reply.text
    assert "Истекает 9 октября 2026, 10:00" in reply.text
    reply = await coordinator.click(f"✖ 1. {where.school_name}")
    assert reply.text.startswith("✅ Приглашение отозвано")
    assert "Нет. /invite" in reply.text
    guest = make_chat(3103)
    reply = await guest.send(f"/start {found.group(1)}")
    assert reply.text == "Это приглашение отозвано. Попросите новое."


async def test_admin_walks_regions_and_invites_a_regional_coordinator(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    admin, _user = await person_as(app, make_chat, "admin", where)
    reply = await admin.send("/invite")
    assert reply.buttons == [
        "Региональный координатор",
        "РЦОИ (региональный центр обработки информации)",
        "Муниципальный координатор",
        "МОУО (муниципальный орган управления образованием)",
        "Школьный куратор",
        "Ответственный за данные в школе",
    ]
    reply = await admin.click("Региональный координатор")
    assert "Выберите регион" in reply.text
    assert "▶" in reply.buttons  # every region of the reference data, a page at a time
    assert "« Назад" in reply.buttons
    reply = await admin.click("▶")
    assert reply.text.startswith("Пригласить: региональный координатор")
    reply = await admin.click("« Назад")
    assert reply.buttons[0] == "Региональный координатор"
    reply = await admin.click("Школьный куратор")
    # Regions with municipalities: Sakhalin and the test's Tomsk.
    assert reply.buttons[:2] == ["Сахалинская область", "Томская область"]
    reply = await admin.click("Томская область")
    assert reply.buttons[0] == "Город Томск"
    reply = await admin.click("Город Томск")
    reply = await admin.click("Томская гимназия № 1")
    assert LINK.search(reply.text) is not None
    assert "Томская гимназия № 1" in reply.text


async def test_the_link_in_english(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    where = await places(app)
    regional, _user = await person_as(app, make_chat, "regional", where)
    async with app.sessionmaker() as session, session.begin():
        user = await session.get(type(_user), _user.id) if _user else None
        assert user is not None
        user.locale = "en"
    reply = await regional.send("/invite")
    assert reply.buttons == ["Municipal coordinator"]
    reply = await regional.click("Municipal coordinator")
    assert "Choose the municipality" in reply.text
    assert reply.buttons[0].startswith("городской округ")
    reply = await regional.click(1)
    assert "It works once" in reply.text
    assert "9 October 2026, 10:00" in reply.text


async def test_the_data_calendars_chain_by_invitation(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    """Regional centre → municipal office → a school's data operator, who then sees /steps."""
    where = await places(app)
    centre, me = await person_as(app, make_chat, "regional_centre", where)
    assert me is not None
    reply = await centre.send("/invite")
    assert reply.buttons == [
        "МОУО (муниципальный орган управления образованием)",
        "Ответственный за данные в школе",
    ]
    await centre.click("МОУО")
    reply = await centre.click(1)  # the demo region's one municipality
    assert "Для каких календарей?" in reply.text
    reply = await centre.click("Все календари")
    assert "Календари: все календари" in reply.text
    found = LINK.search(reply.text)
    assert found is not None, reply.text
    office = make_chat(3201, first_name="Анна", last_name="Викторовна")
    reply = await office.send(f"/start {found.group(1)}")
    assert reply.text.startswith("✅ Добро пожаловать! Теперь вы МОУО")

    reply = await office.send("/invite")
    assert reply.buttons == ["Ответственный за данные в школе"]
    await office.click("Ответственный за данные в школе")
    await office.click(where.school_name)
    found = LINK.search((await office.click("Все календари")).text)
    assert found is not None
    operator = make_chat(3202, first_name="Светлана")
    reply = await operator.send(f"/start {found.group(1)}")
    assert reply.text.startswith("✅ Добро пожаловать! Теперь вы ответственный за данные в школе")
    holder = await user_of(app, 3202)
    async with app.sessionmaker() as session:
        grant = await session.scalar(select(RoleGrant).where(RoleGrant.user_id == holder.id))
    assert grant is not None
    held = (grant.role, grant.school_id, grant.calendar)
    assert held == (Role.DATA_OPERATOR, where.school, None)
    reply = await operator.send("/steps")
    assert any(where.school_name in button for button in reply.buttons), reply.buttons
    help_text = (await operator.send("/help")).text
    assert "/steps" in help_text and "/vpr" not in help_text
