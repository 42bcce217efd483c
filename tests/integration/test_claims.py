"""Claim codes: issued by the curator for a record without Telegram, redeemed once, merged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.claims import ClaimCode
from models.enums import Level, PersonKind
from models.people import ParentLink, User
from services.curator.bulk import register_many
from services.curator.claims import code_hash, issue_code, normalize_code, redeem
from services.errors import Refused
from tests.support.curator_world import (
    NOW,
    add_curator,
    add_student,
    build_world,
    i18n_context,
    registered_names,
)

pytestmark = pytest.mark.usefixtures(i18n_context.__name__)


async def _account(session: AsyncSession, tg_id: int, kind: PersonKind | None = None) -> User:
    user = User(tg_id=tg_id, full_name="Tg Name", kind=kind, created_at=NOW)
    session.add(user)
    await session.flush()
    return user


async def test_code_is_hashed_single_use_and_merges_the_record(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    record = await add_student(session, world.school_a, 7, "Борисов Борис Ильич")
    math = world.events[("math", Level.SCHOOL)]
    biology = world.events[("biology", Level.SCHOOL)]
    for event in (math, biology):
        await register_many(
            session, curator, world.school_a, event, [record.id], rules=world.ref.rules, now=NOW
        )
    parent = await _account(session, 7001, PersonKind.PARENT)
    session.add(ParentLink(parent_id=parent.id, child_id=record.id, created_at=NOW))
    issued = await issue_code(session, curator, record.id, NOW)
    assert len(issued.code) == 9 and issued.code[4] == "-"
    stored = (await session.scalars(select(ClaimCode))).one()
    assert stored.code_hash == code_hash(issued.code) and issued.code not in stored.code_hash
    assert stored.expires_at == NOW + timedelta(days=14)

    me = await _account(session, 7002)
    claimed = await redeem(session, me, f" {issued.code.lower()} ", NOW + timedelta(days=1))
    assert (claimed.full_name, claimed.school_id, claimed.grade, claimed.registrations) == (
        "Борисов Борис Ильич",
        world.school_a,
        7,
        2,
    )
    assert me.kind == PersonKind.STUDENT and me.tg_id == 7002
    assert await session.get(User, record.id) is None
    assert await registered_names(session, math) == ["Борисов Борис Ильич"]
    link = (await session.scalars(select(ParentLink))).one()
    assert link.child_id == me.id
    with pytest.raises(Refused) as info:
        await redeem(session, await _account(session, 7003), issued.code, NOW)
    assert info.value.reason == "claim_code_invalid"


async def test_merge_keeps_one_registration_per_event(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    record = await add_student(session, world.school_a, 7, "Борисов Борис")
    me = await add_student(session, world.school_a, 7, "Боря", tg_id=7002)
    math = world.events[("math", Level.SCHOOL)]
    await register_many(
        session, curator, world.school_a, math, [record.id, me.id], rules=world.ref.rules, now=NOW
    )
    issued = await issue_code(session, curator, record.id, NOW)
    claimed = await redeem(session, me, "claim_" + issued.code.replace("-", ""), NOW)
    assert claimed.registrations == 0
    assert await registered_names(session, math) == ["Борисов Борис"]


async def test_expired_and_replaced_codes_do_not_work(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    record = await add_student(session, world.school_a, 7, "Борисов Борис")
    first = await issue_code(session, curator, record.id, NOW)
    second = await issue_code(session, curator, record.id, NOW)
    me = await _account(session, 7002)
    for code, at in ((first.code, NOW), (second.code, NOW + timedelta(days=15)), ("ABC", NOW)):
        with pytest.raises(Refused) as info:
            await redeem(session, me, code, at)
        assert info.value.reason == "claim_code_invalid"
    assert (await redeem(session, me, second.code, NOW + timedelta(days=13))).student_id == me.id


async def test_codes_only_for_own_offline_students(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    online = await add_student(session, world.school_a, 7, "Петрова Анна", tg_id=3001)
    foreign = await add_student(session, world.school_b, 7, "Чужой Ученик")
    cases = (
        (online.id, "claim_not_offline"),
        (foreign.id, "forbidden"),
        (424242, "unknown_student"),
    )
    for student_id, reason in cases:
        with pytest.raises(Refused) as info:
            await issue_code(session, curator, student_id, NOW)
        assert info.value.reason == reason
    assert await session.scalar(select(func.count()).select_from(ClaimCode)) == 0


async def test_parent_cannot_take_over_a_child_record(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    record = await add_student(session, world.school_a, 7, "Борисов Борис")
    issued = await issue_code(session, curator, record.id, NOW)
    parent = await _account(session, 7001, PersonKind.PARENT)
    with pytest.raises(Refused) as info:
        await redeem(session, parent, issued.code, NOW)
    assert info.value.reason == "claim_for_students"
    assert await session.get(User, record.id) is not None


def test_codes_are_read_loosely() -> None:
    assert normalize_code("claim_abcd-efgh") == "ABCDEFGH"
    assert normalize_code(" abcd efgh ") == "ABCDEFGH"
