"""Parent links: one-time codes (hashed, short-lived, single use), managed profiles, unlinking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from models.enums import PersonKind
from models.outbox import Outbox
from models.parents import ParentLinkCode
from models.people import ParentLink, User
from services.errors import Refused
from services.parents import links as parents
from services.parents.codes import CODE_TTL, issue_code
from services.parents.unlink import unlink
from tests.support.catalog_world import NOW, RULES, World, i18n, world

__all__ = ["i18n", "world"]  # fixtures used here


async def reason(coro: object) -> str:
    with pytest.raises(Refused) as caught:
        await coro  # type: ignore[misc]
    return caught.value.reason


async def family(world: World) -> tuple[User, User]:
    child = await world.person("Аня", "s1", 7, tg_id=201)
    parent = await world.person("Мама", "s1", 7, PersonKind.PARENT, tg_id=202)
    return child, parent


async def test_a_code_links_once_and_only_its_hash_is_stored(world: World) -> None:
    child, parent = await family(world)
    issued = await issue_code(world.session, child, NOW)
    assert issued.expires_at == NOW + CODE_TTL
    stored = (await world.session.scalars(select(ParentLinkCode))).one()
    assert issued.code.replace("-", "") not in stored.code_hash and len(stored.code_hash) == 64
    linked = await parents.link_by_code(world.session, parent, issued.code.lower(), NOW, RULES)
    assert linked.id == child.id
    assert [c.name for c in await parents.children_of(world.session, parent.id)] == ["Аня"]
    assert [p.name for p in await parents.parents_of_child(world.session, child.id)] == ["Мама"]
    other = await world.person("Папа", "s1", 7, PersonKind.PARENT, tg_id=203)
    again = parents.link_by_code(world.session, other, issued.code, NOW, RULES)
    assert await reason(again) == "par_code_invalid"
    told = await world.session.scalar(
        select(func.count(Outbox.id)).where(
            Outbox.user_id == child.id, Outbox.key.like("%parent-linked%")
        )
    )
    assert told == 1


async def test_expired_own_and_retyped_codes(world: World) -> None:
    child, parent = await family(world)
    issued = await issue_code(world.session, child, NOW)
    late = NOW + CODE_TTL
    assert await reason(parents.link_by_code(world.session, parent, issued.code, late, RULES)) == (
        "par_code_invalid"
    )
    fresh = await issue_code(world.session, child, NOW)
    assert await reason(parents.link_by_code(world.session, child, fresh.code, NOW, RULES)) == (
        "par_own_code"
    )
    fresh = await issue_code(world.session, child, NOW)
    # Typed on a Russian keyboard with spaces: Cyrillic look-alikes are read as Latin.
    cyrillic = fresh.code.translate(str.maketrans("ABEKMHPCTXY", "АВЕКМНРСТХУ"))
    typed = " ".join(cyrillic.replace("-", ""))
    linked = await parents.link_by_code(world.session, parent, typed, NOW, RULES)
    assert linked.id == child.id
    newer = await issue_code(world.session, child, NOW)
    assert await reason(parents.link_by_code(world.session, parent, newer.code, NOW, RULES)) == (
        "par_already_linked"
    )


async def test_only_students_get_codes_and_a_new_code_replaces_the_old(world: World) -> None:
    child, parent = await family(world)
    assert await reason(issue_code(world.session, parent, NOW)) == "par_code_students_only"
    first = await issue_code(world.session, child, NOW)
    await issue_code(world.session, child, NOW + dt.timedelta(minutes=1))
    assert await reason(parents.link_by_code(world.session, parent, first.code, NOW, RULES)) == (
        "par_code_invalid"
    )


async def test_managed_profile_then_deleted_with_its_link(world: World) -> None:
    _, parent = await family(world)
    kid = await parents.create_child(
        world.session, parent, "  Петя   Иванов ", world.schools["s2"].id, 4, NOW, RULES
    )
    assert (kid.full_name, kid.tg_id, kid.kind, kid.grade) == (
        "Петя Иванов",
        None,
        PersonKind.STUDENT,
        4,
    )
    info = await parents.children_of(world.session, parent.id)
    assert [(c.name, c.managed, c.school) for c in info] == [("Петя Иванов", True, "s2")]
    assert (await parents.acting_for(world.session, parent, kid.id)).id == kid.id
    gone = await unlink(world.session, parent, parent.id, kid.id, NOW, RULES)
    assert gone.profile_erased
    assert await world.session.get(User, kid.id) is None
    assert await reason(parents.child_of(world.session, parent, kid.id)) == "par_not_your_child"


async def test_bad_names_full_families_and_strangers(world: World) -> None:
    child, parent = await family(world)
    school = world.schools["s1"].id
    for bad in ("", "1", "12345", "x" * 101):
        assert (
            await reason(parents.create_child(world.session, parent, bad, school, 5, NOW, RULES))
            == "par_bad_name"
        )
    for n in range(parents.MAX_CHILDREN):
        await parents.create_child(world.session, parent, f"Ребёнок {n}", school, 5, NOW, RULES)
    assert (
        await reason(parents.create_child(world.session, parent, "Лишний", school, 5, NOW, RULES))
        == "par_too_many_children"
    )
    stranger = await world.person("Чужой", "s1", 7, PersonKind.PARENT)
    assert await reason(parents.acting_for(world.session, stranger, child.id)) == (
        "par_not_your_child"
    )
    assert await reason(unlink(world.session, stranger, parent.id, child.id, NOW, RULES)) == (
        "par_link_gone"
    )


async def test_the_child_removes_a_linked_parent_and_the_parent_is_told(world: World) -> None:
    child, parent = await family(world)
    world.session.add(ParentLink(parent_id=parent.id, child_id=child.id, created_at=NOW))
    await world.session.flush()
    gone = await unlink(world.session, child, parent.id, child.id, NOW, RULES)
    assert not gone.profile_erased
    assert await parents.children_of(world.session, parent.id) == []
    assert await world.session.get(User, child.id) is not None
    told = await world.session.scalar(
        select(func.count(Outbox.id)).where(
            Outbox.user_id == parent.id, Outbox.key.like("%parent-unlinked%")
        )
    )
    assert told == 1
