"""Forming the next-stage list: preview, commit, re-run, failure half-way, scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import EventStatus, Level, PersonKind, Placement, RegistrationState
from models.olympiad import Registration
from models.outbox import Outbox
from models.people import User
from services.admission import lists as admission
from services.admission.preview import Admit
from services.admission.sources import Target
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope
from tests.support.results_world import (
    NOW,
    YEAR,
    World,
    count,
    i18n_context,
    link_parent,
    outbox_texts,
    register,
    world,
)

__all__ = ["i18n_context", "world"]


@pytest.fixture
async def stage(session: AsyncSession, world: World) -> dict[str, int]:
    """The school stage of "ys" summed up, its municipal math event open, last year's winner."""
    async with session.begin():
        math = await world.event(session, "math", "math", Level.SCHOOL, municipality=world.ys)
        math.passing_score, math.passing_scores = 20, {"11": 25}
        math.results_published_at = NOW
        physics = await world.event(
            session, "physics", "physics", Level.SCHOOL, municipality=world.ys
        )
        physics.passing_score = 10
        history = await world.event(
            session, "history", "history", Level.SCHOOL, municipality=world.ys
        )
        target = await world.event(
            session,
            "m_math",
            "math",
            Level.MUNICIPAL,
            municipality=world.ys,
            status=EventStatus.REGISTRATION,
            grades=(7, 11),
        )
        last_year = await world.event(
            session,
            "m_math_2025",
            "math",
            Level.MUNICIPAL,
            municipality=world.ys,
            year=YEAR - 1,
            grades=(7, 11),
        )
        last_year.results_published_at = NOW
        ids = {"target": target.id}
        for key, school, grade, event, score in (
            ("anna", world.school1, 9, math, 30),
            ("boris", world.school1, 9, math, 19),
            ("vera", world.school2, 11, math, 25),
            ("gleb", world.school1, 6, math, 40),
            ("dina", world.school1, 9, physics, 15),
            ("egor", world.school2, 9, history, 45),
            ("anna", world.school1, 9, physics, 12),
        ):
            if key not in ids:
                student = await world.person(
                    session, key.title() + " Тестова", school, grade, tg_id=1000 + len(ids)
                )
                ids[key] = student.id
            await register(session, event, await session.get_one(User, ids[key]), score)
        winner = await world.person(session, "Фомин Фёдор", world.school2, 10, tg_id=2000)
        ids["fomin"] = winner.id
        reg = await register(session, last_year, winner, 44, grade=9)
        reg.placement = Placement.WINNER
        parent = await world.person(
            session, "Мама Анны", None, None, tg_id=3000, kind=PersonKind.PARENT
        )
        ids["parent"] = parent.id
        await link_parent(session, parent, await session.get_one(User, ids["anna"]))
        curator = world.staff["curator1"].user
        ids["curator1"] = curator.id
    return ids


def ys_target(world: World) -> Target:
    return Target(Level.MUNICIPAL, Scope(world.region.id, world.ys.id), YEAR)


async def admitted(session: AsyncSession, event_id: int) -> set[int]:
    rows = await session.scalars(
        select(Registration.student_id).where(
            Registration.event_id == event_id, Registration.state == RegistrationState.ADMITTED
        )
    )
    return set(rows)


async def test_preview_counts_borderline_and_gaps(
    session: AsyncSession, world: World, stage: dict[str, int]
) -> None:
    async with session.begin():
        preview = await admission.preview(
            session, world.staff["municipal"], ys_target(world), "ru"
        )
    assert sorted((a.found.person.name, a.found.candidate.source) for a in preview.admits) == [
        ("Anna Тестова", "score"),
        ("Vera Тестова", "score"),
        ("Фомин Фёдор", "award"),
    ]
    assert [(c.subject, c.grade, c.total, c.new) for c in preview.counts] == [
        ("Математика", 9, 1, 1),
        ("Математика", 10, 1, 1),
        ("Математика", 11, 1, 1),
    ]
    assert [(n.name, n.score, n.threshold, n.admitted) for n in preview.borderline] == [
        ("Vera Тестова", 25, 25, True),
        ("Boris Тестова", 19, 20, False),
    ]
    assert preview.missing_events == ["Физика"]  # Anna and Dina clear physics: no event
    assert preview.no_threshold == ["История"]
    assert preview.unpublished == ["История", "Физика"]
    assert preview.out_of_grades == 1  # Gleb is in grade 6; the municipal stage starts at 7
    assert preview.new == 3
    assert await count(session, AuditEntry) == 0  # a preview writes nothing


@pytest.mark.usefixtures("i18n_context")
async def test_commit_registers_notifies_and_reruns_idempotently(
    session: AsyncSession, world: World, stage: dict[str, int]
) -> None:
    async with session.begin():
        done = await admission.commit(session, world.staff["municipal"], ys_target(world), NOW)
    assert (done.created, done.already) == (3, 0)
    assert await admitted(session, stage["target"]) == {
        stage["anna"],
        stage["vera"],
        stage["fomin"],
    }
    texts = await outbox_texts(session)
    assert len(texts[stage["anna"]]) == 1 and "Математика" in texts[stage["anna"]][0]
    assert len(texts[stage["parent"]]) == 1 and "Anna Тестова" in texts[stage["parent"]][0]
    curator = texts[stage["curator1"]]
    assert len(curator) == 1 and "Anna Тестова" in curator[0]
    assert "Vera" not in curator[0]  # Vera studies at school 2, not the curator's
    assert stage["boris"] not in texts
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "list_formed"))
    assert entry is not None and entry.after is not None and entry.after["admitted"] == 3

    await session.rollback()
    async with session.begin():  # Boris's score is corrected; the list is formed again
        boris = await session.scalar(
            select(Registration).where(Registration.student_id == stage["boris"])
        )
        assert boris is not None
        boris.score = 21
        again = await admission.commit(session, world.staff["municipal"], ys_target(world), NOW)
    assert (again.created, again.already) == (1, 3)
    assert await admitted(session, stage["target"]) == {
        stage["anna"],
        stage["vera"],
        stage["fomin"],
        stage["boris"],
    }
    texts = await outbox_texts(session)
    assert len(texts[stage["anna"]]) == 1  # not told twice
    assert len(texts[stage["boris"]]) == 1


async def test_failure_half_way_leaves_nothing(
    session: AsyncSession, world: World, stage: dict[str, int]
) -> None:
    async def failing(
        session: AsyncSession, admits: Sequence[Admit], level: Level, key: str, now: datetime
    ) -> int:
        raise RuntimeError("the outbox broke after the registrations were written")

    with pytest.raises(RuntimeError):
        async with session.begin():
            await admission.commit(
                session, world.staff["municipal"], ys_target(world), NOW, notifier=failing
            )
    assert await admitted(session, stage["target"]) == set()
    assert await count(session, AuditEntry) == 0
    assert await count(session, Outbox) == 0


@pytest.mark.parametrize("who", ["curator1", "municipal_kor", "regional"])
async def test_others_cannot_form_the_municipal_list(
    session: AsyncSession, world: World, stage: dict[str, int], who: str
) -> None:
    with pytest.raises(Refused, match="forbidden"):
        async with session.begin():
            await admission.commit(session, world.staff[who], ys_target(world), NOW)
    assert await admitted(session, stage["target"]) == set()


async def test_each_coordinator_forms_their_own_list(session: AsyncSession, world: World) -> None:
    async with session.begin():
        found = {
            who: await admission.targets(session, world.staff[who], NOW)
            for who in ("municipal", "regional")
        }
    assert found["municipal"] == [ys_target(world)]
    assert found["regional"] == [Target(Level.REGIONAL, Scope(world.region.id), YEAR)]
    with pytest.raises(Refused, match="forbidden"):
        await admission.targets(session, world.staff["curator1"], NOW)
    admin = Identity(user=world.staff["curator1"].user, is_admin=True)
    with pytest.raises(Refused, match="adm_no_admission_scope"):  # admins hold no scope
        await admission.targets(session, admin, NOW)


@pytest.mark.usefixtures("i18n_context")
async def test_regional_list_from_every_municipality(session: AsyncSession, world: World) -> None:
    async with session.begin():
        target = await world.event(
            session,
            "r_math",
            "math",
            Level.REGIONAL,
            status=EventStatus.REGISTRATION,
            grades=(9, 11),
        )
        for muni, name, score in (
            (world.ys, "Юнона Ю", 40),
            (world.kor, "Корней К", 38),
            (world.kor, "Слабый С", 10),
        ):
            event = world.events.get(f"m{muni.id}") or await world.event(
                session, f"m{muni.id}", "math", Level.MUNICIPAL, municipality=muni
            )
            event.passing_score = 30
            school = world.school1 if muni is world.ys else world.school3
            await register(session, event, await world.person(session, name, school, 10), score)
        done = await admission.commit(
            session,
            world.staff["regional"],
            Target(Level.REGIONAL, Scope(world.region.id), YEAR),
            NOW,
        )
    assert done.created == 2
    assert len(await admitted(session, target.id)) == 2
