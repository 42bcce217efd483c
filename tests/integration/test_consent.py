"""Consent data access and rules on a real database (SQLite, and PostgreSQL when reachable):
one row per student and year, deadlines from the first school-stage event, reminders planned
once and cancelled once the consent is given, refusals that change nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models.audit import AuditEntry
from models.consent import Consent, ConsentMethod, consent_of, consented, give, withdraw
from models.enums import PersonKind, Role
from models.olympiad import Registration
from models.outbox import Outbox, OutboxStatus
from models.people import ParentLink, RoleGrant, User
from reminders.consent import replan_consent
from reminders.consent_deadlines import consent_deadlines
from services.consent import actions
from services.consent.school import school_consents
from services.errors import Refused
from services.exports import lists as exports
from services.people.identity import Identity
from services.scopes import Scope
from tests.support.catalog_world import NOW, RULES, World, i18n, world

__all__ = ["i18n", "world"]  # fixtures used here
SAKHALIN = ZoneInfo("Asia/Sakhalin")


async def registered(world: World, name: str, *events: str, tg_id: int | None = None) -> User:
    student = await world.person(name, tg_id=tg_id)
    for event in events:
        world.session.add(
            Registration(
                event_id=world.events[event].id, student_id=student.id, grade=7, created_at=NOW
            )
        )
    await world.session.flush()
    return student


async def curator(world: World, school: str, tg_id: int) -> Identity:
    person = await world.person("Куратор", school, None, PersonKind.STUDENT, tg_id=tg_id)
    grant = RoleGrant(
        user_id=person.id, role=Role.CURATOR, school_id=world.schools[school].id, created_at=NOW
    )
    world.session.add(grant)
    await world.session.flush()
    return Identity(user=person, grants=(grant,))


async def test_one_row_per_student_and_year(world: World) -> None:
    ann = await registered(world, "Аня", "math")
    session = world.session
    row = await give(session, ann.id, 2026, ConsentMethod.PAPER, None, NOW)
    assert await consented(session, [ann.id], 2026) == {ann.id}
    assert await consented(session, [ann.id], 2025) == set()
    await withdraw(session, row, None, NOW)
    assert await consented(session, [ann.id], 2026) == set()
    again = await give(session, ann.id, 2026, ConsentMethod.BOT, None, NOW + dt.timedelta(hours=1))
    assert again.id == row.id and again.withdrawn_at is None and again.method == ConsentMethod.BOT
    stored = await consent_of(session, ann.id, 2026)
    assert stored is not None and stored.given_at == NOW + dt.timedelta(hours=1)
    session.add(Consent(student_id=ann.id, school_year=2026, method="bot", given_at=NOW))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_the_deadline_is_three_working_days_before_the_first_event(world: World) -> None:
    # Russian on Monday 12 October, mathematics on Saturday 17 October: the first counts.
    both = await registered(world, "Оба", "russian", "math")
    math_only = await registered(world, "Математик", "math")
    nothing = await world.person("Никуда")
    municipal = await registered(world, "Муниципал", "math_m")  # another level: no deadline
    found = await consent_deadlines(
        world.session, [both.id, math_only.id, nothing.id, municipal.id], RULES, 2026
    )
    assert set(found) == {both.id, math_only.id}
    # 12 Oct (Mon) − 3 working days = Wednesday 7 October; 17 Oct (Sat) → 14 October.
    assert found[both.id][0] == dt.datetime(2026, 10, 8, 0, 0, tzinfo=SAKHALIN)
    assert found[math_only.id][0] == dt.datetime(2026, 10, 15, 0, 0, tzinfo=SAKHALIN)


async def test_reminders_are_planned_once_and_go_when_consent_is_given(world: World) -> None:
    session = world.session
    ann = await registered(world, "Аня", "math", tg_id=501)
    mother = await world.person("Мама", kind=PersonKind.PARENT, tg_id=502)
    session.add(ParentLink(parent_id=mother.id, child_id=ann.id, created_at=NOW))
    ident = await curator(world, "s1", 503)
    first = await replan_consent(session, [ann.id], RULES, 2026, NOW)
    again = await replan_consent(session, [ann.id], RULES, 2026, NOW)
    assert first.inserted == 6 and again.inserted == again.cancelled == 0  # 3 people × 2
    rows = (await session.scalars(select(Outbox).where(Outbox.step == "consent_due"))).all()
    assert {r.user_id for r in rows} == {ann.id, mother.id, ident.user.id}
    assert all((r.payload or {})["students"] == [ann.id] for r in rows)
    parent = Identity(user=mother)
    await actions.parent_gives(session, parent, ann.id, 2026, NOW, RULES, "Europe/Moscow")
    pending = await session.scalar(
        select(func.count()).where(
            Outbox.step == "consent_due", Outbox.status == OutboxStatus.PENDING
        )
    )
    assert pending == 0
    with pytest.raises(Refused) as caught:
        await actions.parent_gives(session, parent, ann.id, 2026, NOW, RULES, "Europe/Moscow")
    assert caught.value.reason == "consent_already_given"
    audit = (await session.scalars(select(AuditEntry))).all()
    assert [(a.action, a.target, a.after) for a in audit] == [
        ("consent_given", f"user:{ann.id}", {"school_year": 2026})
    ]
    assert audit[0].school_id == world.schools["s1"].id


async def test_curator_list_marks_and_refusals(world: World) -> None:
    session = world.session
    ident = await curator(world, "s1", 601)
    other = await curator(world, "s2", 602)
    petya = await registered(world, "Петя", "math")
    ann = await registered(world, "Аня", "russian")
    found = await school_consents(session, ident, world.schools["s1"].id, NOW, RULES)
    assert [(s.name, s.missing) for s in found.items] == [("Аня", True), ("Петя", True)]
    assert (found.total, found.missing) == (2, 2)
    school = world.schools["s1"].id
    with pytest.raises(Refused) as caught:
        await actions.curator_marks(session, other, school, petya.id, 2026, NOW, RULES, "UTC")
    assert caught.value.reason == "forbidden"
    await actions.curator_marks(session, ident, school, petya.id, 2026, NOW, RULES, "UTC")
    found = await school_consents(session, ident, school, NOW, RULES)
    assert [(s.name, s.given) for s in found.items] == [("Аня", False), ("Петя", True)]
    assert found.items[1].given_by == "Куратор"
    # The export of the school shows the consent column.
    rows = [
        row
        async for chunk in exports.chunks(session, Scope(school_id=school), 2026)
        for row in chunk
    ]
    workbook_rows = {row[7]: exports._cells(row, True)[-1] for row in rows}
    assert workbook_rows == {"Петя": "да", "Аня": "нет"}
    await actions.curator_unmarks(session, ident, school, petya.id, 2026, NOW, RULES, "UTC")
    with pytest.raises(Refused) as caught:
        await actions.curator_unmarks(session, ident, school, petya.id, 2026, NOW, RULES, "UTC")
    assert caught.value.reason == "consent_not_paper"
    assert ann.id not in await consented(session, [ann.id, petya.id], 2026)
