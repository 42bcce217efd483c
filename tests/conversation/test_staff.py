"""/staff: who holds a role in my scope, and taking one away after a confirmation."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.audit import AuditEntry
from models.enums import Role
from models.people import RoleGrant
from tests.support.app import grant
from tests.support.chat import ChatDriver
from tests.support.staff_chat import (
    extra_routers,
    outbox_texts,
    person_as,
    places,
)

__all__ = ["extra_routers"]


async def test_municipal_lists_and_revokes_a_curator(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, me = await person_as(app, make_chat, "municipal", where)
    assert me is not None
    curator = await grant(
        app, 3201, Role.CURATOR, region_id=where.region, municipality_id=where.municipality,
        school_id=where.school, name="Ксения Кураторова",
    )  # fmt: skip
    await grant(
        app, 3202, Role.CURATOR, region_id=where.other_region,
        municipality_id=where.other_municipality, school_id=where.other_school,
        name="Томский Куратор",
    )  # fmt: skip
    reply = await coordinator.send("/staff")
    assert reply.text.startswith("Сотрудники в вашей зоне ответственности · 2 человека")
    assert "Municipal Тестов — муниципальный координатор" in reply.text
    assert "Ксения Кураторова — школьный куратор" in reply.text
    assert where.school_name in reply.text
    assert "Томский Куратор" not in reply.text
    # Only the curator can be revoked: my own role has no button.
    assert reply.buttons == ["✖ 2. Ксения Кураторова"]
    reply = await coordinator.click("✖ 2. Ксения Кураторова")
    assert reply.text.startswith("Снять роль?")
    reply = await coordinator.click("« Назад")
    assert reply.text.startswith("Сотрудники в вашей зоне ответственности")
    await coordinator.click("✖ 2. Ксения Кураторова")
    reply = await coordinator.click("Да, снять роль")
    assert reply.text.startswith("✅ Ксения Кураторова больше не школьный куратор")
    async with app.sessionmaker() as session:
        revoked = await session.scalar(select(RoleGrant).where(RoleGrant.user_id == curator.id))
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "role_revoke"))
    assert revoked is not None
    assert revoked.revoked_at == app.clock.now()
    assert entry is not None
    assert entry.actor_id == me.id
    [notice] = await outbox_texts(app, curator.id)
    assert notice.startswith("ℹ️ Вы больше не школьный куратор")
    reply = await coordinator.send("/staff")
    assert "Ксения Кураторова" not in reply.text


async def test_staff_in_english_and_refused_for_a_curator(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    curator, _user = await person_as(app, make_chat, "curator", where)
    reply = await curator.send("/staff")
    assert reply.text == "У вас нет прав на это действие."
    regional = make_chat(3203, language_code="en")
    await grant(app, 3203, Role.REGIONAL, region_id=where.region, name="Regina")
    reply = await regional.send("/staff")
    assert reply.text.startswith("Staff in your scope · 2 people")
    assert "Regina — regional coordinator" in reply.text
    assert "Curator Тестов — school curator" in reply.text
    assert reply.buttons == ["✖ 2. Curator Тестов"]
