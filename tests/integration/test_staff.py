"""The staff list of my scope and taking a role away, on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import PersonKind, Role
from models.people import RoleGrant
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import zone_of
from services.scopes import Scope
from services.staff import members as staff_service
from tests.support.staff_world import (
    NOW,
    World,
    admin,
    build_world,
    i18n_context,
    outbox_texts,
    person,
    snapshot,
    staff,
)

pytestmark = pytest.mark.usefixtures(i18n_context.__name__)


async def _team(session: AsyncSession, world: World) -> dict[str, Identity]:
    regional = await staff(session, 1, "Роман Регионов", Role.REGIONAL, Scope(world.north))
    municipal = await staff(
        session, 2, "Мария Городская", Role.MUNICIPAL, world.muni(world.city), regional.user.id
    )
    return {
        "regional": regional,
        "municipal": municipal,
        "village": await staff(
            session, 3, "Сергей Сельский", Role.MUNICIPAL, world.muni(world.village)
        ),
        "curator": await staff(
            session,
            4,
            "Ксения Первая",
            Role.CURATOR,
            world.school(world.school1),
            municipal.user.id,
        ),
        "curator2": await staff(
            session, 5, "Анна Вторая", Role.CURATOR, world.school(world.school2)
        ),
        "far": await staff(
            session, 6, "Пётр Портовый", Role.CURATOR, world.school(world.port_school)
        ),
        "south": await staff(session, 7, "Юлия Южная", Role.REGIONAL, Scope(world.south)),
    }


async def test_each_role_sees_its_own_scope(session: AsyncSession) -> None:
    world = await build_world(session)
    team = await _team(session, world)

    async def names(ident: Identity) -> list[str]:
        return [m.name for m in (await staff_service.staff_page(session, ident, 0, "ru")).items]

    assert await names(team["regional"]) == [
        "Роман Регионов",
        "Мария Городская",
        "Сергей Сельский",
        "Ксения Первая",
        "Анна Вторая",
    ]
    assert await names(team["municipal"]) == ["Мария Городская", "Ксения Первая", "Анна Вторая"]
    everyone = await staff_service.staff_page(session, await admin(session), 0, "ru")
    assert everyone.total == 7
    for role in ("curator", "far"):
        with pytest.raises(Refused, match="forbidden"):
            await staff_service.staff_page(session, team[role], 0, "ru")
    student = Identity(await person(session, 50, "Ученик", PersonKind.STUDENT))
    with pytest.raises(Refused, match="forbidden"):
        await staff_service.staff_page(session, student, 0, "ru")


async def test_the_list_shows_role_place_granter_and_what_i_may_revoke(
    session: AsyncSession,
) -> None:
    world = await build_world(session)
    team = await _team(session, world)
    page = await staff_service.staff_page(session, team["regional"], 0, "ru")
    rows = {m.name: m for m in page.items}
    me = rows["Роман Регионов"]
    assert (me.role, me.place, me.can_revoke) == (Role.REGIONAL, "Север", False)
    city = rows["Мария Городская"]
    assert (city.role, city.place, city.granted_by, city.can_revoke) == (
        Role.MUNICIPAL,
        "Город",
        "Роман Регионов",
        True,
    )
    assert city.scope == Scope(world.north, world.city)
    first = rows["Ксения Первая"]
    assert (first.place, first.scope, first.since) == (
        "Школа № 1",
        world.school(world.school1),
        NOW,
    )
    assert rows["Анна Вторая"].can_revoke
    in_english = await staff_service.staff_page(session, team["regional"], 0, "en")
    assert in_english.items[0].place == "North"


async def test_revoking_records_tells_and_takes_effect(session: AsyncSession) -> None:
    world = await build_world(session)
    team = await _team(session, world)
    curator = team["curator"]
    member = await staff_service.revoke_role(
        session, team["municipal"], curator.grants[0].id, NOW, "ru"
    )
    assert member.name == "Ксения Первая"
    grant = await session.get(RoleGrant, curator.grants[0].id)
    assert grant is not None
    assert grant.revoked_at == NOW
    entry = await session.scalar(select(AuditEntry))
    assert entry is not None
    assert (entry.action, entry.actor_id, entry.school_id, entry.municipality_id) == (
        "role_revoke",
        team["municipal"].user.id,
        world.school1,
        world.city,
    )
    assert entry.before == {"role": "curator", "holder": "Ксения Первая"}
    [notice] = await outbox_texts(session, curator.user.id)
    assert "Школа № 1" in notice
    with pytest.raises(Refused, match="role_not_active"):
        await staff_service.revoke_role(session, team["municipal"], grant.id, NOW, "ru")
    names = [
        m.name for m in (await staff_service.staff_page(session, team["municipal"], 0, "ru")).items
    ]
    assert "Ксения Первая" not in names


@pytest.mark.parametrize(
    ("who", "whom"),
    [
        ("municipal", "far"),  # another region
        ("village", "curator"),  # another municipality of the region
        ("municipal", "regional"),  # above me
        ("municipal", "village"),  # my own level, not granted by me
        ("curator", "curator2"),  # curators revoke nobody
        ("south", "municipal"),
    ],
)
async def test_revoking_outside_my_reach_is_refused(
    session: AsyncSession, who: str, whom: str
) -> None:
    world = await build_world(session)
    team = await _team(session, world)
    before = await snapshot(session)
    with pytest.raises(Refused, match="forbidden"):
        await staff_service.revoke_role(session, team[who], team[whom].grants[0].id, NOW, "ru")
    assert await snapshot(session) == before


async def test_my_own_role_and_unknown_roles(session: AsyncSession) -> None:
    world = await build_world(session)
    team = await _team(session, world)
    with pytest.raises(Refused, match="role_is_yours"):
        await staff_service.staff_member(
            session, team["municipal"], team["municipal"].grants[0].id, "ru"
        )
    with pytest.raises(Refused, match="role_not_active"):
        await staff_service.staff_member(session, team["municipal"], 999_999, "ru")
    boss = await admin(session)
    far = await staff_service.staff_member(session, boss, team["far"].grants[0].id, "ru")
    assert far.can_revoke


async def test_pages_of_a_long_list(session: AsyncSession) -> None:
    world = await build_world(session)
    team = await _team(session, world)
    for i in range(9):
        await staff(session, 100 + i, f"Куратор {i:02}", Role.CURATOR, world.school(world.school2))
    first = await staff_service.staff_page(session, team["municipal"], 0, "ru", page_size=8)
    assert (first.total, first.pages, len(first.items)) == (12, 2, 8)
    second = await staff_service.staff_page(session, team["municipal"], 1, "ru", page_size=8)
    assert len(second.items) == 4
    assert not {m.grant_id for m in first.items} & {m.grant_id for m in second.items}
    # A page past the end (the list shrank meanwhile) shows the last one.
    beyond = await staff_service.staff_page(session, team["municipal"], 5, "ru", page_size=8)
    assert (beyond.page, [m.grant_id for m in beyond.items]) == (
        1,
        [m.grant_id for m in second.items],
    )


async def test_staff_times_are_shown_in_the_zone_of_the_region_they_serve(
    session: AsyncSession,
) -> None:
    world = await build_world(session)
    team = await _team(session, world)

    async def zone(ident: Identity, default: str) -> str:
        return await zone_of(session, ident.user, default)

    assert await zone(team["regional"], "Europe/Moscow") == "Asia/Sakhalin"
    assert await zone(team["far"], "Europe/Moscow") == "Asia/Tomsk"
    assert await zone(await admin(session), "Europe/Moscow") == "Europe/Moscow"
    team["south"].user.timezone = "Asia/Omsk"
    await session.flush()
    assert await zone(team["south"], "Europe/Moscow") == "Asia/Omsk"
