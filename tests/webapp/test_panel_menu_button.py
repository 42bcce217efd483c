"""The panel's menu button follows the person's roles: set when an invitation is accepted (in
their own chat, answering that update), reset to Telegram's default through the outbox when a
coordinator takes their last staff role away."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.app import App
from models.enums import Role
from models.outbox import Outbox, OutboxKind, OutboxStatus
from offline.api_server import FakeBotAPI
from tests.support.app import grant
from tests.support.chat import ChatDriver
from tests.support.staff_chat import person_as, places, user_of

PANEL = "https://panel.example.org/app"
LINK = re.compile(r"https://t\.me/olymp_offline_bot\?start=(inv_[A-Za-z0-9_-]+)")


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"webapp_url": PANEL}


async def test_accepting_an_invitation_sets_the_panels_menu_button(
    app: App, fake_api: FakeBotAPI, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, _me = await person_as(app, make_chat, "municipal", where)
    await coordinator.send("/invite")
    await coordinator.click("Школьный куратор")
    reply = await coordinator.click(where.school_name)
    found = LINK.search(reply.text)
    assert found is not None, reply.text

    newcomer = make_chat(3301, first_name="Ксения")
    assert 3301 not in fake_api.core.menu_buttons
    reply = await newcomer.send(f"/start {found.group(1)}")
    assert reply.text.startswith("✅ Добро пожаловать!")
    button = fake_api.core.menu_buttons[3301]
    assert button == {"type": "web_app", "text": "Панель", "web_app": {"url": PANEL}}


async def test_revoking_the_last_role_resets_the_menu_button_through_the_outbox(
    app: App, fake_api: FakeBotAPI, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, _me = await person_as(app, make_chat, "municipal", where)
    for calendar in (None, "vpr"):  # two roles: the first revoked leaves the panel
        await grant(
            app, 3302, Role.CURATOR if calendar is None else Role.DATA_OPERATOR,
            region_id=where.region, municipality_id=where.municipality, school_id=where.school,
            name="Ксения Кураторова",
        )  # fmt: skip
    curator = make_chat(3302, first_name="Ксения")
    await curator.send("/help")
    assert fake_api.core.menu_buttons[3302]["type"] == "web_app"
    holder = await user_of(app, 3302)

    for step in (1, 2):
        reply = await coordinator.send("/staff")
        revoke = [b for b in reply.buttons if "Ксения Кураторова" in b]
        assert revoke, reply.buttons
        await coordinator.click(revoke[0])
        reply = await coordinator.click("Да, снять роль")
        assert "больше не" in reply.text
        async with app.sessionmaker() as session:
            menus = list(
                await session.scalars(
                    select(Outbox).where(
                        Outbox.user_id == holder.id, Outbox.kind == OutboxKind.MENU
                    )
                )
            )
        assert len(menus) == step - 1  # queued only once the last role is gone
    await app.deliver_due()
    assert fake_api.core.menu_buttons[3302] == {"type": "default"}
    async with app.sessionmaker() as session:
        status = await session.scalar(select(Outbox.status).where(Outbox.kind == OutboxKind.MENU))
    assert status == OutboxStatus.SENT
