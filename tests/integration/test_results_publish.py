"""Placements and publication: each participant and parent hears only their own result."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import Level, PersonKind, Placement, RegistrationState
from models.olympiad import OlympiadEvent, Registration
from services.errors import Refused
from services.results import entry as results_entry
from services.results import publish as results_publish
from tests.support.results_world import (
    NOW,
    World,
    i18n_context,
    link_parent,
    outbox_texts,
    register,
    world,
)

__all__ = ["i18n_context", "world"]


@pytest.fixture
async def scored(session: AsyncSession, world: World) -> dict[str, int]:
    """School history of "ys" (max 50, passing 20): Ivanov 45, Petrov 30, Orlova 10, Zuev absent.

    Ivanov and Orlova share a parent."""
    async with session.begin():
        event = await world.event(
            session, "history", "history", Level.SCHOOL, municipality=world.ys
        )
        event.passing_score = 20
        ids = {"event": event.id}
        for key, name, score, tg in (
            ("ivanov", "Иванов Иван", 45, 11),
            ("petrov", "Петров Олег", 30, 12),
            ("orlova", "Орлова Юлия", 10, 13),
            ("zuev", "Зуев Лев", None, 14),
        ):
            student = await world.person(session, name, world.school1, 9, tg_id=tg)
            ids[key] = student.id
            await register(session, event, student, score)
        parent = await world.person(
            session, "Иванова Мама", None, None, tg_id=50, kind=PersonKind.PARENT
        )
        ids["parent"] = parent.id
        for child in ("ivanov", "orlova"):
            await link_parent(session, parent, await session.get_one(type(parent), ids[child]))
        return ids


async def placements(session: AsyncSession, event_id: int) -> dict[int, tuple[str | None, str]]:
    rows = await session.execute(
        select(Registration.student_id, Registration.placement, Registration.state).where(
            Registration.event_id == event_id
        )
    )
    return {sid: (placement, state) for sid, placement, state in rows}


async def test_rule_sets_placements_and_is_audited(
    session: AsyncSession, world: World, scored: dict[str, int]
) -> None:
    async with session.begin():
        totals = await results_publish.auto_placements(
            session, world.staff["municipal"], scored["event"], NOW
        )
    # 3 scored in grade 9: quota floor(1.35) = 1 → one winner, nobody else above the quota
    assert totals == {Placement.WINNER: 1, Placement.PARTICIPANT: 2}
    found = await placements(session, scored["event"])
    assert found[scored["ivanov"]][0] == Placement.WINNER
    assert found[scored["zuev"]][0] is None
    await session.rollback()
    with pytest.raises(Refused, match="forbidden"):
        async with session.begin():
            await results_publish.auto_placements(
                session, world.staff["curator1"], scored["event"], NOW
            )
    assert await session.scalar(
        select(AuditEntry.after).where(AuditEntry.action == "placements_computed")
    ) == {"winner": 1, "participant": 2}


@pytest.mark.usefixtures("i18n_context")
async def test_publication_tells_each_only_their_own_result(
    session: AsyncSession, world: World, scored: dict[str, int]
) -> None:
    async with session.begin():
        published = await results_publish.publish(
            session, world.staff["municipal"], scored["event"], NOW
        )
    assert (published.participants, published.absent) == (3, 1)
    assert published.messages == 4  # three students with Telegram and one parent
    texts = await outbox_texts(session)
    assert set(texts) == {scored["ivanov"], scored["petrov"], scored["orlova"], scored["parent"]}
    ivanov = texts[scored["ivanov"]][0]
    assert "История" in ivanov and "45" in ivanov and "из 50" in ivanov
    assert "30" not in ivanov and "Петров" not in ivanov
    petrov = texts[scored["petrov"]][0]
    assert "30" in petrov and "45" not in petrov
    parent = texts[scored["parent"]]
    assert len(parent) == 1  # one message about both children
    assert "Иванов Иван" in parent[0] and "Орлова Юлия" in parent[0]
    assert "Петров" not in parent[0] and "30" not in parent[0]
    event = await session.get(OlympiadEvent, scored["event"])
    assert event is not None and event.results_published_at == NOW
    found = await placements(session, scored["event"])
    assert found[scored["zuev"]] == (None, RegistrationState.ABSENT)
    assert found[scored["petrov"]][0] == Placement.PARTICIPANT
    entry = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "res_results_published")
    )
    assert entry is not None and entry.after == {"participants": 3, "absent": 1}


@pytest.mark.usefixtures("i18n_context")
async def test_published_results_are_final(
    session: AsyncSession, world: World, scored: dict[str, int]
) -> None:
    async with session.begin():
        await results_publish.publish(session, world.staff["municipal"], scored["event"], NOW)
    reg_id = await session.scalar(
        select(Registration.id).where(Registration.student_id == scored["zuev"])
    )
    assert reg_id is not None
    await session.rollback()
    with pytest.raises(Refused, match="res_results_published"):
        async with session.begin():
            await results_publish.publish(session, world.staff["municipal"], scored["event"], NOW)
    with pytest.raises(Refused, match="res_results_published"):
        async with session.begin():
            await results_entry.set_score(session, world.staff["curator1"], reg_id, "5", NOW)


@pytest.mark.parametrize("who", ["curator1", "municipal_kor", "regional"])
async def test_only_the_organiser_publishes(
    session: AsyncSession, world: World, scored: dict[str, int], who: str
) -> None:
    with pytest.raises(Refused, match="forbidden"):
        async with session.begin():
            await results_publish.publish(session, world.staff[who], scored["event"], NOW)
    event = await session.get(OlympiadEvent, scored["event"])
    assert event is not None and event.results_published_at is None
