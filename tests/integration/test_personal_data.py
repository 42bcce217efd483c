"""What the bot keeps about a person, and erasing it with finished results kept anonymised."""

from __future__ import annotations

from sqlalchemy import func, select

from models.audit import AuditEntry
from models.enums import EventStatus, PersonKind, RegistrationState, Role
from models.fsm import FsmRecord
from models.olympiad import Registration
from models.outbox import DeliveryLog, DeliveryOutcome
from models.people import ParentLink, RoleGrant, User
from reminders.plan_queue import plan_waiting
from services.parents import links as parents
from services.people.erase import erase_person
from services.people.identity import Identity
from services.people.personal_data import collect
from services.registration.register import register
from tests.support.catalog_world import NOW, RULES, World, i18n, world

__all__ = ["i18n", "world"]  # fixtures used here


async def people(world: World) -> tuple[User, User]:
    ann = await world.person("Аня", "s1", 7, tg_id=301)
    mum = await world.person("Мама", "s1", 7, PersonKind.PARENT, tg_id=302)
    world.session.add(ParentLink(parent_id=mum.id, child_id=ann.id, created_at=NOW))
    await register(world.session, Identity(ann), ann, world.events["math"].id, NOW, RULES)
    await plan_waiting(world.session, RULES, NOW)
    world.session.add(
        Registration(
            event_id=world.events["history"].id,
            student_id=ann.id,
            grade=7,
            created_at=NOW,
            state=RegistrationState.PARTICIPATED,
            score=42.0,
        )
    )
    await world.session.flush()
    return ann, mum


async def test_collect_shows_profile_roles_links_registrations_and_other_rows(
    world: World,
) -> None:
    ann, mum = await people(world)
    world.session.add(
        RoleGrant(
            user_id=ann.id, role=Role.CURATOR, school_id=world.schools["s1"].id, created_at=NOW
        )
    )
    await world.session.flush()
    data = await collect(world.session, ann, NOW, "ru", "Europe/Moscow")
    assert (data.profile.name, data.profile.school, data.profile.grade, data.tg_id) == (
        "Аня",
        "s1",
        7,
        301,
    )
    assert [(r.role, r.place) for r in data.roles] == [(Role.CURATOR, "s1")]
    assert [p.name for p in data.parents] == ["Мама"]
    assert data.registrations.total == 2
    assert data.other.get("outbox", 0) > 0  # reminders planned for the registration
    mine = await collect(world.session, mum, NOW, "en", "Europe/Moscow")
    assert [c.name for c in mine.children] == ["Аня"] and mine.registrations.total == 0


async def test_erase_keeps_finished_results_without_the_person(world: World) -> None:
    ann, mum = await people(world)
    world.events["history"].status = EventStatus.FINISHED
    world.session.add_all(
        [
            DeliveryLog(
                outbox_id=1, user_id=ann.id, chat_id=301, outcome=DeliveryOutcome.SENT, at=NOW
            ),
            FsmRecord(key="fsm:301:301:default", state="x", data={"name": "Аня"}, updated_at=NOW),
            FsmRecord(key="fsm:3010:3010:default", state="y", data={}, updated_at=NOW),
            AuditEntry(at=NOW, actor_id=ann.id, action="test"),
        ]
    )
    await world.session.flush()
    ann_id = ann.id
    erased = await erase_person(world.session, ann, NOW, RULES)
    await world.session.commit()
    assert (erased.kept_anonymised, erased.deleted_registrations) == (1, 1)
    assert await world.session.get(User, ann_id) is None
    kept = (await world.session.scalars(select(Registration))).all()
    assert [(r.event_id, r.score, r.grade) for r in kept] == [
        (world.events["history"].id, 42.0, 7)
    ]
    placeholder = await world.session.get(User, kept[0].student_id)
    assert placeholder is not None
    assert (placeholder.tg_id, placeholder.full_name, placeholder.kind, placeholder.school_id) == (
        None,
        "",
        None,
        None,
    )
    assert await world.session.scalar(select(func.count(ParentLink.id))) == 0
    assert await world.session.scalar(select(func.count(DeliveryLog.id))) == 0
    assert [r.key for r in await world.session.scalars(select(FsmRecord))] == [
        "fsm:3010:3010:default"
    ]
    audit = (await world.session.scalars(select(AuditEntry))).one()
    assert audit.actor_id is None
    assert await world.session.get(User, mum.id) is not None


async def test_erasing_a_parent_erases_the_profiles_they_manage(world: World) -> None:
    mum = await world.person("Мама", "s1", 7, PersonKind.PARENT, tg_id=302)
    kid = await parents.create_child(
        world.session, mum, "Петя", world.schools["s1"].id, 5, NOW, RULES
    )
    linked = await world.person("Аня", "s1", 7, tg_id=301)
    world.session.add(ParentLink(parent_id=mum.id, child_id=linked.id, created_at=NOW))
    await register(world.session, Identity(mum), kid, world.events["math"].id, NOW, RULES)
    await world.session.flush()
    kid_id, linked_id = kid.id, linked.id
    erased = await erase_person(world.session, mum, NOW, RULES)
    await world.session.commit()
    assert erased.children_erased == 1
    assert await world.session.get(User, kid_id) is None
    assert await world.session.get(User, linked_id) is not None  # has their own account
    assert await world.session.scalar(select(func.count(Registration.id))) == 0
