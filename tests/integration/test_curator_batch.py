"""The set-based list import answers each pair as a single registration would, tricky rows too.

The same list is imported once (in a savepoint that is then rolled back) and its pairs are then
registered one by one through `services.registration.register`: the reasons, the audit entries,
the family notices and the planned reminders must be the same.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.audit import AuditEntry
from models.enums import Level, PersonKind
from models.olympiad import Registration
from models.outbox import Outbox
from models.people import ParentLink, User
from reminders.plan_queue import plan_waiting
from services.curator.batch import insert_pairs
from services.curator.bulk import register_one
from services.curator.pairs import Pair, PairBatch
from services.curator.school import open_school
from services.curator.upload import Outcome, import_list
from services.people.identity import Identity
from services.registration.facts import ActorMode
from tests.support.curator_world import (
    NOW,
    World,
    add_curator,
    add_student,
    build_world,
    i18n_context,
)

pytestmark = pytest.mark.usefixtures(i18n_context.__name__)

LIST = """Фамилия;Имя;Класс;Предметы
Петрова;Анна;7;Математика, Биология
Новиков;Никита;8;Математика
Новиков;Никита;8;математика
Иванов;Иван;8;Математика, Алхимия
Малыш;Миша;3;Математика
Поздний;Павел;7;Английский язык
"""
# (name, subject code) of every row's subject the import tries to register, in file order.
PAIRS = [
    ("Петрова Анна", "math"),
    ("Петрова Анна", "biology"),
    ("Новиков Никита", "math"),
    ("Новиков Никита", "math"),  # the same row twice in the file
    ("Иванов Иван", "math"),  # registered before the list
    ("Малыш Миша", "math"),  # grade 3: not admitted
    ("Поздний Павел", "english"),  # registration closed
]


async def _school(session: AsyncSession, world: World) -> tuple[Identity, dict[str, int]]:
    curator = await add_curator(session, world.school_a)
    ids = {}
    for name, grade, tg_id in (
        ("Петрова Анна", 7, 3001),
        ("Новиков Никита", 8, None),
        ("Иванов Иван", 8, 3002),
        ("Малыш Миша", 3, None),
        ("Поздний Павел", 7, None),
    ):
        ids[name] = (await add_student(session, world.school_a, grade, name, tg_id=tg_id)).id
    parent = User(tg_id=4001, full_name="Мама Анны", kind=PersonKind.PARENT, created_at=NOW)
    session.add(parent)
    await session.flush()
    session.add(ParentLink(parent_id=parent.id, child_id=ids["Петрова Анна"], created_at=NOW))
    ivanov = await session.get(User, ids["Иванов Иван"])
    assert ivanov is not None
    math = world.events[("math", Level.SCHOOL)]
    assert await register_one(session, curator, ivanov, math, world.ref.rules, NOW) is None
    await session.commit()
    return curator, ids


async def _effects(
    session: AsyncSession, rules: Calendar
) -> tuple[list[str], list[tuple[int, str]], set[str]]:
    """Audit targets, family notices (recipient, registration) and reminder rows by key, once
    the queued planning has run."""
    await plan_waiting(session, rules, NOW)
    audit = await session.scalars(
        select(AuditEntry.target).where(AuditEntry.action == "register_student")
    )
    regs = {
        r.id: f"event:{r.event_id} student:{r.student_id}"
        for r in await session.scalars(select(Registration))
    }
    notices = []
    for user_id, key in await session.execute(
        select(Outbox.user_id, Outbox.key).where(Outbox.key.like("msg:registration:%"))
    ):
        notices.append((user_id, regs[int(key.split(":")[2])]))
    reminders = await session.scalars(select(Outbox.key).where(~Outbox.key.like("msg:%")))
    return sorted(audit), sorted(notices), set(reminders)


async def test_batch_gives_the_single_registration_answers(session: AsyncSession) -> None:
    world = await build_world(session)
    curator, ids = await _school(session, world)
    rules = world.ref.rules
    savepoint = await session.begin_nested()
    result = await import_list(
        session, curator, world.school_a, "list.csv", LIST.encode(), rules=rules, now=NOW
    )
    batch = [
        (line.outcome, line.refusal.reason if line.refusal else None) for line in result.lines
    ]
    batch_effects = await _effects(session, rules)
    await savepoint.rollback()

    single = []
    for name, code in PAIRS:
        student = await session.get(User, ids[name], populate_existing=True)
        assert student is not None
        event_id = world.events[(code, Level.SCHOOL)]
        refusal = await register_one(session, curator, student, event_id, rules, NOW)
        single.append(refusal.reason if refusal else None)

    unknown = (Outcome.UNKNOWN_SUBJECT, "row_unknown_subject")
    assert batch == [
        (Outcome.REGISTERED, None),
        (Outcome.REGISTERED, None),
        (Outcome.REGISTERED, None),
        (Outcome.ALREADY, "reg_already"),
        (Outcome.ALREADY, "reg_already"),
        unknown,
        (Outcome.INELIGIBLE, "reg_grade_not_admitted"),
        (Outcome.INELIGIBLE, "reg_status_closed"),
    ]
    assert [reason for _o, reason in batch if (_o, reason) != unknown] == single
    single_effects = await _effects(session, rules)
    assert batch_effects == single_effects
    audit, notices, reminders = batch_effects
    assert len(audit) == 4  # Иванов's earlier registration, and the three of the list
    told = {user for user, _r in notices}
    # Анна (with Telegram) and her parent, and Иванов for his earlier registration.
    assert told & set(ids.values()) == {ids["Петрова Анна"], ids["Иванов Иван"]}
    assert len(told - set(ids.values())) == 1
    assert reminders, "the registered students with Telegram get their reminders planned"


async def test_a_pair_registered_meanwhile_is_already_registered(session: AsyncSession) -> None:
    """A student's own tap between the list's check and its insert: the unique constraint
    catches it, as in `register`, and only that pair is answered "already registered"."""
    world = await build_world(session)
    curator, ids = await _school(session, world)
    school = await open_school(session, curator, world.school_a)
    math = world.events[("math", Level.SCHOOL)]
    anna = await session.get(User, ids["Петрова Анна"])
    nikita = await session.get(User, ids["Новиков Никита"])
    assert anna is not None and nikita is not None
    pairs = [Pair(anna, 7, math), Pair(nikita, 8, math)]
    check = PairBatch(session, curator, school, world.ref.rules, NOW)
    await check.load({math})
    assert [check.check(p)[0] for p in pairs] == [ActorMode.STAFF, ActorMode.STAFF]
    assert await register_one(session, curator, anna, math, world.ref.rules, NOW) is None
    inserted = await insert_pairs(session, curator, pairs, NOW)
    assert list(inserted) == [1]  # Никита's row; Анна's was taken meanwhile
    registered = await session.scalars(
        select(Registration.student_id).where(Registration.event_id == math)
    )
    assert sorted(registered) == sorted(
        [ids["Петрова Анна"], ids["Новиков Никита"], ids["Иванов Иван"]]
    )
