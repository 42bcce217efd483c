"""Invitations on a real database: made within scope, stored as a hash, used once."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.audit import AuditEntry
from models.enums import PersonKind, Role
from models.invitations import Invitation
from models.people import RoleGrant, User
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope
from services.staff import invitations
from tests.support.staff_world import (
    ADMIN_TG,
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
ADMINS = frozenset({ADMIN_TG})


async def _municipal(session: AsyncSession, world: World) -> Identity:
    return await staff(session, 10, "Мария Муниципальная", Role.MUNICIPAL, world.muni(world.city))


async def _invite(session: AsyncSession, world: World) -> tuple[Identity, str]:
    inviter = await _municipal(session, world)
    created = await invitations.create_invitation(
        session, inviter, Role.CURATOR, world.school(world.school1), NOW
    )
    return inviter, created.token


async def test_created_within_scope_and_stored_only_as_a_hash(session: AsyncSession) -> None:
    world = await build_world(session)
    inviter = await _municipal(session, world)
    created = await invitations.create_invitation(
        session, inviter, Role.CURATOR, world.school(world.school2), NOW, ttl_hours=24
    )
    code = invitations.CODE_PREFIX + created.token
    assert len(code) <= 64
    assert all(c.isalnum() or c in "_-" for c in code)
    row = await session.scalar(select(Invitation))
    assert row is not None
    assert row.token_hash == hashlib.sha256(created.token.encode()).hexdigest()
    assert created.token not in (row.token_hash, str(row.__dict__))
    assert (row.role, row.school_id, row.municipality_id) == (
        Role.CURATOR,
        world.school2,
        world.city,
    )
    assert row.expires_at == NOW + timedelta(hours=24)
    assert created.invitation.place == "Школа № 2"
    entry = await session.scalar(select(AuditEntry))
    assert entry is not None
    assert (entry.action, entry.school_id, entry.actor_id) == (
        "invitation_create",
        world.school2,
        inviter.user.id,
    )
    assert created.token not in str(entry.after)
    link = invitations.deep_link("olymp_bot", created.token)
    assert link == f"https://t.me/olymp_bot?start=inv_{created.token}"


@pytest.mark.parametrize(
    ("who", "role", "target"),
    [
        ("municipal", Role.CURATOR, "village_school"),
        ("municipal", Role.MUNICIPAL, "city"),
        ("regional", Role.MUNICIPAL, "port"),
        ("regional", Role.REGIONAL, "north"),
        ("curator", Role.CURATOR, "school2"),
        ("student", Role.CURATOR, "school1"),
    ],
)
async def test_out_of_scope_or_above_me_is_refused(
    session: AsyncSession, who: str, role: Role, target: str
) -> None:
    world = await build_world(session)
    idents = {
        "municipal": lambda: _municipal(session, world),
        "regional": lambda: staff(session, 11, "Р", Role.REGIONAL, Scope(world.north)),
        "curator": lambda: staff(session, 12, "К", Role.CURATOR, world.school(world.school1)),
    }
    if who == "student":
        ident = Identity(await person(session, 13, "Ученик", PersonKind.STUDENT))
    else:
        ident = await idents[who]()
    place = {
        "village_school": world.school(world.village_school),
        "school1": world.school(world.school1),
        "school2": world.school(world.school2),
        "city": world.muni(world.city),
        "port": world.muni(world.port),
        "north": Scope(world.north),
    }[target]
    before = await snapshot(session)
    with pytest.raises(Refused, match="forbidden"):
        await invitations.create_invitation(session, ident, role, place, NOW)
    assert await snapshot(session) == before


async def test_accepting_grants_the_role_and_tells_the_inviter(session: AsyncSession) -> None:
    world = await build_world(session)
    inviter, token = await _invite(session, world)
    newcomer = await person(session, 20, "Ксения Кураторова")
    accepted = await invitations.accept_invitation(
        session, Identity(newcomer), f"inv_{token}", NOW + timedelta(hours=1), ADMINS
    )
    grant = await session.scalar(select(RoleGrant).where(RoleGrant.user_id == newcomer.id))
    assert grant is accepted.grant
    assert (grant.role, grant.region_id, grant.municipality_id, grant.school_id) == (
        Role.CURATOR,
        world.north,
        world.city,
        world.school1,
    )
    assert grant.granted_by_id == inviter.user.id
    assert newcomer.kind == PersonKind.STAFF
    invitation = await session.scalar(select(Invitation))
    assert invitation is not None
    assert invitation.used_by_id == newcomer.id
    assert invitation.used_at == NOW + timedelta(hours=1)
    actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["invitation_create", "invitation_accept"]
    [notice] = await outbox_texts(session, inviter.user.id)
    assert "Ксения Кураторова" in notice
    assert "Школа № 1" in notice


async def test_each_bad_link_gets_its_own_reason(session: AsyncSession) -> None:
    world = await build_world(session)
    inviter, token = await _invite(session, world)
    first = Identity(await person(session, 21, "Первый"))
    second = Identity(await person(session, 22, "Второй"))
    await invitations.accept_invitation(session, first, f"inv_{token}", NOW, ADMINS)
    before = await snapshot(session)
    cases = [
        (second, f"inv_{token}", "invitation_used"),
        (first, f"inv_{token}", "invitation_yours"),
        (second, "inv_" + "A" * 22, "invitation_invalid"),
        (second, "inv_<script>", "invitation_invalid"),
        (second, "inv_" + "x" * 200, "invitation_invalid"),
        (second, "inv_", "invitation_invalid"),
    ]
    for ident, code, reason in cases:
        with pytest.raises(Refused) as refused:
            await invitations.accept_invitation(session, ident, code, NOW, ADMINS)
        assert refused.value.reason == reason, code
    assert await snapshot(session) == before


async def test_expired_revoked_and_own_links(session: AsyncSession) -> None:
    world = await build_world(session)
    inviter, token = await _invite(session, world)
    guest = Identity(await person(session, 23, "Гость"))
    late = NOW + timedelta(hours=invitations.DEFAULT_TTL_HOURS)
    with pytest.raises(Refused, match="invitation_expired"):
        await invitations.accept_invitation(session, guest, f"inv_{token}", late, ADMINS)
    with pytest.raises(Refused, match="invitation_own"):
        await invitations.accept_invitation(session, inviter, f"inv_{token}", NOW, ADMINS)
    invitation = await session.scalar(select(Invitation))
    assert invitation is not None
    await invitations.revoke_invitation(session, inviter, invitation.id, NOW)
    with pytest.raises(Refused, match="invitation_revoked"):
        await invitations.accept_invitation(session, guest, f"inv_{token}", NOW, ADMINS)
    with pytest.raises(Refused, match="invitation_not_pending"):
        await invitations.revoke_invitation(session, inviter, invitation.id, NOW)
    actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["invitation_create", "invitation_revoke"]
    assert (
        await session.scalar(select(RoleGrant).where(RoleGrant.user_id == guest.user.id)) is None
    )


async def test_only_the_maker_or_an_admin_takes_an_invitation_back(session: AsyncSession) -> None:
    world = await build_world(session)
    inviter, _token = await _invite(session, world)
    invitation = await session.scalar(select(Invitation))
    assert invitation is not None
    colleague = await staff(session, 30, "Коллега", Role.MUNICIPAL, world.muni(world.city))
    with pytest.raises(Refused, match="forbidden"):
        await invitations.revoke_invitation(session, colleague, invitation.id, NOW)
    taken = await invitations.revoke_invitation(session, await admin(session), invitation.id, NOW)
    assert taken.role == Role.CURATOR
    assert invitation.id == taken.id


async def test_a_link_dies_with_the_inviters_role(session: AsyncSession) -> None:
    world = await build_world(session)
    inviter, token = await _invite(session, world)
    inviter.grants[0].revoked_at = NOW
    await session.flush()
    guest = Identity(await person(session, 24, "Гость"))
    with pytest.raises(Refused, match="invitation_revoked"):
        await invitations.accept_invitation(session, guest, f"inv_{token}", NOW, ADMINS)


async def test_an_admins_invitation_and_a_role_already_held(session: AsyncSession) -> None:
    world = await build_world(session)
    boss = await admin(session)
    created = await invitations.create_invitation(
        session, boss, Role.REGIONAL, Scope(world.south), NOW
    )
    again = await invitations.create_invitation(
        session, boss, Role.REGIONAL, Scope(world.south), NOW
    )
    guest = Identity(await person(session, 25, "Регина"))
    accepted = await invitations.accept_invitation(
        session, guest, f"inv_{created.token}", NOW, ADMINS
    )
    holder = Identity(guest.user, grants=(accepted.grant,))
    with pytest.raises(Refused, match="role_already_held"):
        await invitations.accept_invitation(session, holder, f"inv_{again.token}", NOW, ADMINS)
    # Not used up by the refusal: someone else can still take it.
    other = Identity(await person(session, 26, "Другой"))
    await invitations.accept_invitation(session, other, f"inv_{again.token}", NOW, ADMINS)


async def test_two_people_racing_for_one_link(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        world = await build_world(session)
        _inviter, token = await _invite(session, world)
        ids = [(await person(session, 40 + i, f"Гонщик {i}")).id for i in range(2)]
        await session.commit()

    async def accept(user_id: int) -> str:
        async with sessionmaker() as session, session.begin():
            user = await session.get(User, user_id)
            assert user is not None
            await invitations.accept_invitation(
                session, Identity(user), f"inv_{token}", NOW, ADMINS
            )
        return "won"

    outcomes = await asyncio.gather(*(accept(i) for i in ids), return_exceptions=True)
    assert outcomes.count("won") == 1
    [lost] = [o for o in outcomes if o != "won"]
    # PostgreSQL waits for the winner and finds the row claimed; SQLite refuses the second
    # writer of a stale snapshot outright. Either way the loser's transaction rolls back.
    if isinstance(lost, Refused):
        assert lost.reason == "invitation_used"
    else:
        assert isinstance(lost, DBAPIError), lost
    async with sessionmaker() as session:
        grants = list(await session.scalars(select(RoleGrant).where(RoleGrant.user_id.in_(ids))))
        assert len(grants) == 1
        accepted = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "invitation_accept")
            )
        )
        assert [a.actor_id for a in accepted] == [grants[0].user_id]


async def test_pending_lists_my_open_invitations_only(session: AsyncSession) -> None:
    world = await build_world(session)
    inviter = await _municipal(session, world)
    made = [
        await invitations.create_invitation(
            session, inviter, Role.CURATOR, world.school(world.school1), NOW + timedelta(minutes=i)
        )
        for i in range(10)
    ]
    guest = Identity(await person(session, 27, "Гость"))
    await invitations.accept_invitation(session, guest, f"inv_{made[0].token}", NOW, ADMINS)
    await invitations.revoke_invitation(session, inviter, made[1].invitation.id, NOW)
    colleague = await staff(session, 31, "Коллега", Role.MUNICIPAL, world.muni(world.city))
    await invitations.create_invitation(
        session, colleague, Role.CURATOR, world.school(world.school2), NOW
    )
    first = await invitations.pending_invitations(session, inviter, NOW, 0)
    assert (first.total, first.pages, len(first.items)) == (8, 1, 8)
    assert [i.id for i in first.items] == [m.invitation.id for m in reversed(made[2:])]
    later = NOW + timedelta(hours=invitations.DEFAULT_TTL_HOURS, minutes=5)
    assert (await invitations.pending_invitations(session, inviter, later, 0)).total == 4
    student = Identity(await person(session, 28, "Ученик", PersonKind.STUDENT))
    with pytest.raises(Refused, match="forbidden"):
        await invitations.pending_invitations(session, student, NOW, 0)


async def test_a_role_held_through_a_narrow_grant_is_recognised(session: AsyncSession) -> None:
    world = await build_world(session)
    _inviter, token = await _invite(session, world)
    # Holds the same curator role with a grant that names only the school.
    holder = await staff(session, 60, "Уже куратор", Role.CURATOR, world.school(world.school1))
    assert holder.grants[0].municipality_id is None
    with pytest.raises(Refused, match="role_already_held"):
        await invitations.accept_invitation(session, holder, f"inv_{token}", NOW, ADMINS)
