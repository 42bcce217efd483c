"""Registering and withdrawing: who may, until when, and never twice."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.audit import AuditEntry
from models.enums import EventStatus, Level, PersonKind, RegistrationState, Role
from models.olympiad import Registration
from models.outbox import Outbox, OutboxStatus
from models.people import ParentLink, RoleGrant, User
from reminders.plan_queue import plan_waiting
from services.errors import Refused
from services.people.identity import Identity
from services.registration.facts import ActorMode
from services.registration.register import register, unregister
from tests.support.catalog_world import NOW, RULES, World, i18n, world

__all__ = ["i18n", "world"]  # fixtures used here


def me(user: User, *grants: RoleGrant) -> Identity:
    return Identity(user=user, grants=grants)


async def refused(coro: object) -> str:
    with pytest.raises(Refused) as caught:
        await coro  # type: ignore[misc]
    return caught.value.reason


async def count(session: AsyncSession, event_id: int) -> int:
    found = await session.scalar(
        select(func.count(Registration.id)).where(Registration.event_id == event_id)
    )
    return int(found or 0)


async def pending(session: AsyncSession, user_id: int, step: str) -> int:
    found = await session.scalar(
        select(func.count(Outbox.id)).where(
            Outbox.user_id == user_id,
            Outbox.step == step,
            Outbox.status == OutboxStatus.PENDING,
        )
    )
    return int(found or 0)


async def test_student_signs_up_and_withdraws_with_reminders_replanned(world: World) -> None:
    ann = await world.person("Ann", "s1", 7, tg_id=101)
    math = world.events["math"]
    outcome = await register(world.session, me(ann), ann, math.id, NOW, RULES)
    assert outcome.mode == ActorMode.SELF
    assert outcome.held_on == dt.date(2026, 10, 17)
    assert outcome.deadline == dt.datetime(2026, 10, 12, 13, 0, tzinfo=dt.UTC)
    row = await world.session.get(Registration, outcome.registration_id)
    assert row is not None and (row.grade, row.state) == (7, RegistrationState.REGISTERED)
    # The press only queues the planning; it runs after the press's own commit.
    assert await pending(world.session, ann.id, "stage_day") == 0
    assert await plan_waiting(world.session, RULES, NOW) == 1
    assert await pending(world.session, ann.id, "stage_day") > 0
    assert await plan_waiting(world.session, RULES, NOW) == 0

    later = NOW + dt.timedelta(days=1)
    await unregister(world.session, me(ann), ann, math.id, later, RULES)
    assert await count(world.session, math.id) == 0
    assert await plan_waiting(world.session, RULES, later) == 1
    assert await pending(world.session, ann.id, "stage_day") == 0


async def test_a_second_press_is_already_registered_and_leaves_one_row(world: World) -> None:
    ann = await world.person("Ann", "s1", 7)
    await register(world.session, me(ann), ann, world.events["math"].id, NOW, RULES)
    again = register(world.session, me(ann), ann, world.events["math"].id, NOW, RULES)
    assert await refused(again) == "reg_already"
    assert await count(world.session, world.events["math"].id) == 1


async def test_two_devices_at_once_end_with_one_row(
    world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    ann = await world.person("Ann", "s1", 7)
    event_id = world.events["math"].id
    await world.session.commit()
    async with sessionmaker() as first, sessionmaker() as second:
        one = await first.get(User, ann.id)
        two = await second.get(User, ann.id)
        assert one is not None and two is not None
        await register(first, me(one), one, event_id, NOW, RULES)  # not committed yet
        # The second device checked before the first committed: only the constraint stops it.
        racing = asyncio.create_task(register(second, me(two), two, event_id, NOW, RULES))
        await asyncio.sleep(0.5)
        await first.commit()
        assert await refused(racing) == "reg_already"
        await second.commit()  # the savepoint kept the rest of the transaction usable
    async with sessionmaker() as check:
        assert await count(check, event_id) == 1


async def test_each_rule_refuses_with_its_own_reason(world: World) -> None:
    ann = await world.person("Ann", "s1", 7)
    cases = {
        "math_m": "reg_formed_by_organiser",
        "history": "reg_status_closed",
        "draft": "reg_not_open_yet",
        "math_kholmsk": "reg_out_of_scope",
    }
    for name, reason in cases.items():
        attempt = register(world.session, me(ann), ann, world.events[name].id, NOW, RULES)
        assert await refused(attempt) == reason, name
    small = await world.person("Small", "s1", 3)
    attempt = register(world.session, me(small), small, world.events["russian"].id, NOW, RULES)
    assert await refused(attempt) == "reg_grade_not_admitted"
    late = dt.datetime(2026, 10, 7, 13, 0, tzinfo=dt.UTC)  # 00:00 on 8 Oct in Sakhalin
    attempt = register(world.session, me(ann), ann, world.events["russian"].id, late, RULES)
    assert await refused(attempt) == "reg_deadline_passed"
    just_in_time = late - dt.timedelta(minutes=1)
    await register(world.session, me(ann), ann, world.events["russian"].id, just_in_time, RULES)
    gone = register(world.session, me(ann), ann, 987654, NOW, RULES)
    assert await refused(gone) == "cat_event_gone"


async def test_status_changed_after_the_card_was_shown(world: World) -> None:
    ann = await world.person("Ann", "s1", 7)
    math = world.events["math"]
    math.status = EventStatus.CONDUCTING
    await world.session.flush()
    attempt = register(world.session, me(ann), ann, math.id, NOW, RULES)
    assert await refused(attempt) == "reg_status_closed"
    assert await count(world.session, math.id) == 0


async def test_parents_sign_up_their_child_and_strangers_cannot(world: World) -> None:
    child = await world.person("Ann", "s1", 7, tg_id=101)
    parent = await world.person("Mum", "s1", 7, PersonKind.PARENT, tg_id=102)
    stranger = await world.person("Stranger", "s1", 7, PersonKind.PARENT, tg_id=103)
    world.session.add(ParentLink(parent_id=parent.id, child_id=child.id, created_at=NOW))
    await world.session.flush()
    attempt = register(world.session, me(stranger), child, world.events["math"].id, NOW, RULES)
    assert await refused(attempt) == "forbidden"
    outcome = await register(world.session, me(parent), child, world.events["math"].id, NOW, RULES)
    assert outcome.mode == ActorMode.PARENT
    # The child hears about it (the parent saw it on screen).
    told = await world.session.scalar(
        select(func.count(Outbox.id)).where(
            Outbox.user_id == child.id, Outbox.key.like("%registration:%")
        )
    )
    assert told == 1
    attempt = register(world.session, me(parent), parent, world.events["math"].id, NOW, RULES)
    assert await refused(attempt) == "reg_not_a_student"


async def test_curators_act_for_their_own_school_and_school_stage_only(world: World) -> None:
    curator = await world.person("Curator", None, None, PersonKind.STAFF)
    grant = RoleGrant(
        user_id=curator.id,
        role=Role.CURATOR,
        school_id=world.schools["s1"].id,
        municipality_id=world.towns["ys"].id,
        region_id=world.regions["65"].id,
        created_at=NOW,
    )
    world.session.add(grant)
    await world.session.flush()
    own = await world.person("Own", "s1", 9)
    other = await world.person("Other", "s2", 9)
    staff = me(curator, grant)
    outcome = await register(world.session, staff, own, world.events["math"].id, NOW, RULES)
    assert outcome.mode == ActorMode.STAFF
    audit = await world.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "register_student")
    )
    assert audit is not None and audit.actor_id == curator.id
    assert (
        await refused(register(world.session, staff, other, world.events["math"].id, NOW, RULES))
        == "forbidden"
    )
    assert (
        await refused(register(world.session, staff, own, world.events["math_m"].id, NOW, RULES))
        == "forbidden"
    )


async def test_withdrawing_after_the_deadline_or_after_taking_part_is_refused(
    world: World,
) -> None:
    ann = await world.person("Ann", "s1", 7)
    math = world.events["math"]
    await register(world.session, me(ann), ann, math.id, NOW, RULES)
    late = dt.datetime(2026, 10, 12, 13, 0, tzinfo=dt.UTC)
    assert await refused(unregister(world.session, me(ann), ann, math.id, late, RULES)) == (
        "unreg_deadline_passed"
    )
    row = await world.session.scalar(select(Registration).where(Registration.event_id == math.id))
    assert row is not None
    row.state = RegistrationState.PARTICIPATED
    await world.session.flush()
    assert await refused(unregister(world.session, me(ann), ann, math.id, NOW, RULES)) == (
        "unreg_state"
    )
    other = world.events["russian"].id
    assert await refused(unregister(world.session, me(ann), ann, other, NOW, RULES)) == (
        "reg_not_registered"
    )
    assert math.level == Level.SCHOOL
